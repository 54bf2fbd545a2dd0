#!/bin/sh
# Consent: without a terminal nothing is revoked unless --yes is given;
# --dry-run shows the plan and sends no DELETE; on a terminal (a pty made
# by script(1)) the list is shown and only "y" revokes. The server counts
# DELETE requests.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

t=$(mktok REVOK) d=$(mktok DEAD)
mkdir tree
printf 'T=%s\nD=%s\n' "$t" "$d" >tree/a.env

# No terminal (stdin and stderr are files here), no --yes: skipped.
nfg dir -f json --revoke --api-url "$API_HTTP" tree </dev/null
expect_rc 1
expect_stderr "nfguard: not revoking 1 live token: no terminal to confirm on (pass --yes)"
assert_eq "$(deletes_for "$t")" 0 "DELETE requests without --yes"
assert_eq "$(jq -r --arg fp "$(fp "$t")" '.findings[] |
	select(.fingerprint == $fp) | .revocation |
	"\(.status): \(.reason)"' "$WORK/out")" \
	"skipped: not confirmed (no terminal; pass --yes)" "revocation"
printf '%s\n' "$t" >tok.txt
nfg_in tok.txt revoke -f json --api-url "$API_HTTP"
expect_rc 1
expect_stderr "(pass --yes)"
assert_eq "$(deletes_for "$t")" 0 "DELETE requests of nfguard revoke without --yes"

# --dry-run: the plan on stderr, dry_run in the report and the log, no
# DELETE (only the verification whoami).
before=$(requests_for "$t")
nfg dir -f json --revoke --dry-run --audit-log dry.jsonl \
	--api-url "$API_HTTP" tree
expect_rc 1
expect_stderr "nfguard: dry run: would revoke 1 live token:"
expect_stderr "  nf_at_$(redact "$t" | cut -c7-)  project Mock Project (mock-project)  a.env:1"
assert_eq "$(deletes_for "$t")" 0 "DELETE requests with --dry-run"
assert_eq "$(requests_for "$t")" $((before + 1)) "whoami requests with --dry-run"
assert_eq "$(jq -r '[.findings[].revocation | "\(.status): \(.reason)"] |
	join(",")' "$WORK/out")" \
	"dry_run: dry run: no revoke request sent,skipped: not live: the API rejected the token (401)" \
	"dry-run revocations"
assert_eq "$(jq -r '.action' dry.jsonl | sort | paste -sd, -)" \
	"dry_run,skipped" "dry-run audit actions"
# --dry-run wins over --yes.
nfg dir -f json --revoke --dry-run --yes --api-url "$API_HTTP" tree
expect_rc 1
assert_eq "$(deletes_for "$t")" 0 "DELETE requests with --dry-run --yes"

# On a terminal: script(1) runs nfguard on a pty and types ANSWER.
command -v script >/dev/null || skip "script (util-linux) is not installed"
if [ -n "${NFGUARD_VALGRIND:-}" ]; then
	run="valgrind -q --error-exitcode=99 --leak-check=full"
	run="$run --errors-for-leak-kinds=definite"
	run="$run --suppressions=$SRCDIR/tests/valgrind.supp $NFGUARD"
else
	run=$NFGUARD
fi
# on_tty ANSWER ARGS...: nfguard ARGS on a pty fed ANSWER; sets $rc from
# nfguard's status; the pty's output is in $WORK/tty (and the transcript).
on_tty() {
	_a=$1
	shift
	rm -f "$WORK/rc"
	printf '%s\n' "$_a" | script -qec \
		"$run $* --api-url $API_HTTP; echo \$? >$WORK/rc" \
		"$WORK/tty" >/dev/null
	rc=$(cat "$WORK/rc")
	record_output "$WORK/tty" out.json "$HOME/.local/state/nfguard/audit.jsonl"
}
on_tty n revoke -f json -o out.json "<tok.txt"
assert_eq "$rc" 1 "exit status after answering n"
grep -qF "nfguard: 1 live token will be revoked:" "$WORK/tty" ||
	fail "no list on the terminal: $(cat "$WORK/tty")"
grep -qF "  $(redact "$t")  project Mock Project (mock-project)  stdin:1" \
	"$WORK/tty" || fail "the list lacks the token: $(cat "$WORK/tty")"
grep -qF "Revoke it now? This cannot be undone. [y/N]" "$WORK/tty" ||
	fail "no question on the terminal"
assert_eq "$(deletes_for "$t")" 0 "DELETE requests after answering n"
assert_eq "$(jq -r '.findings[0].revocation | "\(.status): \(.reason)"' \
	out.json)" "skipped: not confirmed (answered no)" "after n"
# An empty answer is no.
on_tty '' dir -f json -o out.json --revoke tree
assert_eq "$rc" 1 "exit status after an empty answer"
assert_eq "$(deletes_for "$t")" 0 "DELETE requests after an empty answer"
# y revokes: from nfguard dir (stdin is the terminal) ...
on_tty y dir -f json -o out.json --revoke tree
assert_eq "$rc" 1 "exit status of dir after answering y (findings)"
assert_eq "$(deletes_for "$t")" 1 "DELETE requests after answering y"
assert_eq "$(jq -r --arg fp "$(fp "$t")" '.findings[] |
	select(.fingerprint == $fp) | .revocation.status' out.json)" \
	revoked "after y"
# ... and from nfguard revoke (tokens on stdin, the answer from /dev/tty).
t2=$(mktok REVOK)
printf '%s\n' "$t2" >tok2.txt
on_tty yes revoke -f json -o out.json "<tok2.txt"
assert_eq "$rc" 0 "exit status of revoke after answering yes"
assert_eq "$(deletes_for "$t2")" 1 "DELETE requests after answering yes"
assert_eq "$(jq -r '.findings[0].revocation.status' out.json)" revoked \
	"nfguard revoke after yes"
