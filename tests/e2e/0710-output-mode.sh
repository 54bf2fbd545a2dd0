#!/bin/sh
# -o never widens access to a report: an existing regular file keeps its
# permission bits (through a symbolic link, those of the file it names) and
# its group, with or without --show-secret; a new report holding whole
# tokens (--show-secret) is 0600, any other gets 0666 less the umask.
set -eu

umask 022
mkdir tree
tok=$(mktoken)
printf 'T=%s\n' "$tok" >tree/a.env

# run_o FILE ARGS...: a json scan of tree written to FILE; one finding.
run_o() {
	_ro=$1
	shift
	nfg dir -f json -o "$_ro" "$@" tree
	expect_rc 1
	expect_no_stderr
	assert_eq "$(jq -r '.findings[0].fingerprint' "$_ro")" "$(fp "$tok")" \
		"fingerprint in $_ro"
}

# An existing 0600 report stays 0600, with and without --show-secret.
printf 'old\n' >private.json
chmod 600 private.json
run_o private.json
assert_eq "$(stat -c %a private.json)" 600 "mode of a 0600 report rewritten"
run_o private.json --show-secret
assert_eq "$(stat -c %a private.json)" 600 \
	"mode of a 0600 report rewritten with --show-secret"
assert_eq "$(jq -r '.findings[0].secret' private.json)" "$tok" \
	"whole token with --show-secret"

# Any other mode is kept too, also with --show-secret.
printf 'old\n' >shared.json
chmod 640 shared.json
run_o shared.json --show-secret
assert_eq "$(stat -c %a shared.json)" 640 "mode of a 0640 report rewritten"

# Through a symbolic link: the linked file's mode, the link kept.
printf 'old\n' >real.json
chmod 600 real.json
ln -s real.json link.json
run_o link.json
[ -L link.json ] || fail "the link was replaced"
assert_eq "$(stat -c %a real.json)" 600 "mode of a 0600 report via a link"

# New files: 0600 with --show-secret, 0644 (0666 less umask 022) without.
run_o new-secret.json --show-secret
assert_eq "$(stat -c %a new-secret.json)" 600 \
	"mode of a new report with --show-secret"
run_o new.json
assert_eq "$(stat -c %a new.json)" 644 "mode of a new report"

# The human format holds whole tokens with --show-secret just the same.
nfg dir -o new-secret.txt --show-secret tree
expect_rc 1
assert_eq "$(stat -c %a new-secret.txt)" 600 \
	"mode of a new human report with --show-secret"
grep -qF "$tok" new-secret.txt || fail "human report lacks the whole token"

# An existing report's group is kept (when the test may chgrp, as root).
printf 'old\n' >group.json
chmod 640 group.json
if chgrp nogroup group.json 2>/dev/null; then
	run_o group.json
	assert_eq "$(stat -c '%a %G' group.json)" "640 nogroup" \
		"mode and group of a rewritten report"
	# Without the right to give the new file that group (no CAP_CHOWN,
	# not a member), it gets no group bits rather than the wrong group.
	if setpriv --bounding-set=-chown true 2>/dev/null; then
		run_cmd setpriv --bounding-set=-chown -- sh -c \
			'. "$SRCDIR/tests/e2e/lib.sh"; nfguard "$@"' sh \
			dir -f json -o group.json tree
		expect_rc 1
		expect_no_stderr
		assert_eq "$(stat -c '%a %G' group.json)" "600 $(id -gn)" \
			"mode and group of a report whose group cannot be kept"
	fi
fi
assert_eq "$(ls | grep -c nfguard- || true)" 0 "temporary files left"
