#!/bin/sh
# The default audit log of --revoke stays out of the scanned folder (the
# repository under incident): $XDG_STATE_HOME/nfguard/audit.jsonl, else
# $HOME/.local/state/nfguard/audit.jsonl, folders created 0700 and the
# file 0600; stderr says where it went; nothing is written in the current
# folder; with neither variable usable and no --audit-log, exit 2 before
# any request.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

t=$(mktok REVOK)
mkrepo repo
cd repo
printf 'T=%s\n' "$t" >a.env
umask 022

# No XDG_STATE_HOME: under HOME, each new folder 0700, the log 0600.
state=$HOME/.local/state
[ ! -e "$HOME/.local" ] || fail "$HOME/.local exists before the test"
nfg dir -f json --revoke --yes --api-url "$API_HTTP" .
expect_rc 1
expect_count 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: audit log: $state/nfguard/audit.jsonl" "stderr"
for d in "$HOME/.local" "$state" "$state/nfguard"; do
	assert_eq "$(stat -c %a "$d")" 700 "mode of $d"
done
assert_eq "$(stat -c %a "$state/nfguard/audit.jsonl")" 600 "audit log mode"
assert_eq "$(jq -r .action "$state/nfguard/audit.jsonl" | sort | paste -sd, -)" \
	"revoke_requested,revoked" "audit actions"
assert_eq "$(git status --porcelain --untracked-files=all)" "?? a.env" \
	"files in the scanned repository"
assert_eq "$(ls -A)" "$(printf '.git\na.env')" "files in the current folder"

# XDG_STATE_HOME wins, and is created when missing.
x=$(mktok REVOK)
printf 'X=%s\n' "$x" >>a.env
XDG_STATE_HOME=$WORK/xdg/state
export XDG_STATE_HOME
nfg dir -f json --revoke --yes --api-url "$API_HTTP" .
expect_rc 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: audit log: $WORK/xdg/state/nfguard/audit.jsonl" "stderr"
for d in "$WORK/xdg" "$WORK/xdg/state" "$WORK/xdg/state/nfguard"; do
	assert_eq "$(stat -c %a "$d")" 700 "mode of $d"
done
assert_eq "$(stat -c %a "$WORK/xdg/state/nfguard/audit.jsonl")" 600 \
	"audit log mode"
assert_eq "$(jq -r --arg fp "$(fp "$x")" 'select(.fingerprint == $fp) |
	.action' "$WORK/xdg/state/nfguard/audit.jsonl" | sort | paste -sd, -)" \
	"revoke_requested,revoked" "audit actions under XDG_STATE_HOME"
assert_eq "$(wc -l <"$state/nfguard/audit.jsonl" | tr -d ' ')" 2 \
	"lines of the HOME log (untouched)"
assert_eq "$(ls -A)" "$(printf '.git\na.env')" "files in the current folder"

# nfguard revoke alike.
r=$(mktok REVOK)
printf '%s\n' "$r" >"$WORK/tokens.txt"
nfg_in "$WORK/tokens.txt" revoke --yes --api-url "$API_HTTP" -f json
expect_rc 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: audit log: $WORK/xdg/state/nfguard/audit.jsonl" "stderr"
assert_eq "$(ls -A)" "$(printf '.git\na.env')" "files in the current folder"

# A relative XDG_STATE_HOME is ignored (XDG): HOME is used.
XDG_STATE_HOME=rel/state
nfg_in "$WORK/tokens.txt" revoke --yes --api-url "$API_HTTP" -f json
expect_rc 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: audit log: $state/nfguard/audit.jsonl" "stderr"
[ ! -e rel ] || fail "a relative XDG_STATE_HOME was used"

# revoke_env SETUP [ARGS...]: nfguard revoke of the tokens, through nfg (so
# under valgrind too), in a subshell whose environment SETUP changed; sets
# $rc.
revoke_env() {
	set +e
	(
		eval "$1"
		shift
		nfg_in "$WORK/tokens.txt" revoke --yes --api-url "$API_HTTP" "$@"
		exit "$rc"
	)
	rc=$?
	set -e
}

# Neither usable and no --audit-log: exit 2, no request sent.
before=$(api_stat '[.listeners[].requests] | add')
for h in unset relative; do
	if [ "$h" = unset ]; then
		revoke_env 'unset HOME XDG_STATE_HOME'
	else
		revoke_env 'export HOME=home XDG_STATE_HOME='
	fi
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: no folder for the audit log: neither XDG_STATE_HOME nor HOME is an absolute path (pass --audit-log FILE)" \
		"stderr with HOME $h"
done
assert_eq "$(api_stat '[.listeners[].requests] | add')" "$before" \
	"requests without an audit log"
# --audit-log FILE needs neither, and is named as given.
revoke_env 'unset HOME XDG_STATE_HOME' --audit-log "$WORK/given.jsonl"
expect_rc 0
record_output "$WORK/given.jsonl"
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: $WORK/given.jsonl" "stderr"
assert_eq "$(ls -A)" "$(printf '.git\na.env')" "files in the current folder"
