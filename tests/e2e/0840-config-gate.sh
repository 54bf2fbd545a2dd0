#!/bin/sh
# A config file cannot switch the gate off: flags and .nfguard.json are
# judged by one check. "fail_on": "live" without --verify is exit 2 on
# dir, git and staged, naming the file and key (as the flag is refused);
# with --verify it applies. exit_code out of 0..125 is refused alike from
# both, named by its source. exit_code 0 is allowed, but when findings
# exist and the status is 0 only because of it, one stderr line says so.
# --hook refuses the flags it pins.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

top=$(pwd -P)
t=$(mktok DEAD)
mkrepo r
cd r
printf 'T=%s\n' "$t" >a.env
commit_at '2024-01-01 00:00:00 +0000' one
printf 'U=%s\n' "$t" >b.env
git add b.env
cfg=$top/r/.nfguard.json

# fail_on live from the config, no --verify: refused on every scan.
printf '{"fail_on": "live"}\n' >.nfguard.json
for cmd in dir git staged; do
	nfg "$cmd" .
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: $cfg: key 'fail_on': 'live' needs --verify" \
		"stderr of $cmd"
	assert_eq "$(cat "$WORK/out")" "" "stdout of $cmd"
done
# Named as given with --config; the flag keeps its own message.
cp .nfguard.json "$top/ci.json"
nfg dir --config ../ci.json .
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: ../ci.json: key 'fail_on': 'live' needs --verify" "stderr"
nfg dir --no-config --fail-on live .
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --fail-on live needs --verify" \
	"stderr"
# The flag wins over the config, as for every key.
nfg dir --fail-on any -f json .
expect_rc 1
expect_count 2
# With --verify the config's fail_on applies: an invalid token passes.
nfg dir --verify --api-url "$API_HTTP" -f json .
expect_rc 0
expect_count 2
expect_no_stderr
assert_eq "$(jq_out '[.findings[].verification.status] | join(",")')" \
	"invalid,invalid" "verification"

# exit_code out of range: the same check for the config and the flag.
printf '{"exit_code": 300}\n' >.nfguard.json
nfg dir .
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: $cfg: key 'exit_code': must be an integer from 0 to 125 other than 2 (the error status)" \
	"stderr"
printf '{"exit_code": -1}\n' >.nfguard.json
nfg git .
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: $cfg: key 'exit_code': must be an integer from 0 to 125 other than 2 (the error status)" \
	"stderr"
nfg dir --no-config --exit-code 126 .
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --exit-code: must be an integer from 0 to 125 other than 2 (the error status)" "stderr"
nfg dir --exit-code 4 .
expect_rc 4

# exit_code 0 passes findings, and says so once, naming its source.
printf '{"exit_code": 0}\n' >.nfguard.json
nfg dir -f json .
expect_rc 0
expect_count 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 2 findings, exit status 0 (exit_code 0 in $cfg)" \
	"stderr"
nfg staged -f json .
expect_rc 0
expect_count 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 1 finding, exit status 0 (exit_code 0 in $cfg)" \
	"stderr"
nfg dir --no-config --exit-code 0 -f json .
expect_rc 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 2 findings, exit status 0 (--exit-code 0)" "stderr"
# No finding, no warning.
nfg dir --no-config --exit-code 0 .git/refs
expect_rc 0
expect_no_stderr
# Findings that do not fail the run (--fail-on live, none live): none.
nfg dir --verify --api-url "$API_HTTP" --fail-on live -f json .
expect_rc 0
expect_no_stderr

# --hook pins the format, the exit code and --fail-on: not with them.
for o in "--format json" "--exit-code 3" "--fail-on any"; do
	# shellcheck disable=SC2086 # $o: an option and its value
	nfg staged --hook $o .
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: --hook cannot be combined with ${o%% *}" "stderr"
done
nfg staged --hook .
expect_rc 1
nfg dir --hook .
expect_rc 2
expect_stderr "nfguard: unknown option '--hook'"
