#!/bin/sh
# The human report's fix advice fits what verification found: no "revoke
# it now" when every token is verified invalid, and the command that
# revokes live ones when a token is live.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

mktok_tree LIVE DEAD
mkdir dead live
printf 'T=%s\n' "$tok_DEAD" >dead/a.env
printf 'T=%s\n' "$tok_LIVE" >live/a.env
remedy="fix (notiflows-account-token): Revoke the token now in the Notiflows dashboard"
revoke_hint="    Live tokens: revoke them with 'nfguard revoke' (the tokens on its standard"

# fix_lines: the report's lines from "fix (" to the blank line after it.
fix_lines() {
	sed -n '/^fix (/,/^$/p' "$WORK/out"
}

nfg dir --verify --api-url "$API_HTTP" --no-color dead
expect_rc 1
assert_eq "$(fix_lines)" "fix (notiflows-account-token): no token found works any more (verified invalid or revoked): nothing
    to revoke. Take them out of the files, and out of git history where
    they were committed." "fix for an invalid token"

nfg dir --verify --api-url "$API_HTTP" --no-color live
expect_rc 1
fix_lines | grep -qF "$remedy" || fail "live: no remediation"
fix_lines | grep -qxF "$revoke_hint" || fail "live: no revoke hint"

# Both: the remediation stands (one token still works).
nfg dir --verify --api-url "$API_HTTP" --no-color tree
expect_rc 1
fix_lines | grep -qF "$remedy" || fail "both: no remediation"
fix_lines | grep -qxF "$revoke_hint" || fail "both: no revoke hint"

# verify and revoke read tokens, not files: the summary counts tokens
# read (distinct ones as verification counts them), the hint for live
# tokens names no --revoke verify does not take, and after a revocation
# the revocation summary alone says what is left.
l=$(mktok LIVE) d=$(mktok DEAD) nr=$(mktok NOREV)
printf '%s\n%s\n%s\n%s\n' "$l" "$d" "$l" "$nr" >tokens.txt
nfg_in tokens.txt verify --api-url "$API_HTTP" --no-color
expect_rc 1
assert_eq "$(fix_lines | tail -n +2)" \
"    Live tokens: revoke them with 'nfguard revoke' (the same tokens on its
    standard input)." "verify: revoke hint"
assert_eq "$(tail -n 2 "$WORK/out")" "4 tokens read, 3 distinct (157 B read)
verified 3 tokens: 2 live, 1 invalid, 0 unknown" "verify: summary"
nfg_in tokens.txt revoke --yes --audit-log audit.jsonl --api-url "$API_HTTP" \
	--no-color
expect_rc 1
assert_eq "$(fix_lines | sed -n 2p)" "" "revoke: no revoke hint after revoking"
grep -qxF "4 tokens read, 3 distinct (157 B read)" "$WORK/out" ||
	fail "revoke: summary"
grep -qxF "  - 1 live token not revoked: delete it in the dashboard, https://app.notiflows.com/account-tokens" "$WORK/out" ||
	fail "revoke: what is left"

# Not verified: the remediation, no claim about liveness.
nfg dir --no-color dead
expect_rc 1
fix_lines | grep -qF "$remedy" || fail "unverified: no remediation"
if fix_lines | grep -qF "Live tokens"; then
	fail "unverified: revoke hint without a live token"
fi

# On a terminal, verification and revocation show their progress (requests
# done of total), erased before the report; never into a pipe.
if command -v script >/dev/null; then
	script -qec "$(printf '%s ' "$NFGUARD" dir --verify --no-color \
		--api-url "$API_HTTP" tree)" /dev/null </dev/null |
		tr '\r' '\n' >"$WORK/out"
	grep -q "^nfguard: verifying: 2/2 requests" "$WORK/out" ||
		fail "no verify progress on a terminal"
	script -qec "$(printf '%s ' "$NFGUARD" dir --revoke --yes --no-color \
		--audit-log audit.jsonl --api-url "$API_HTTP" live)" /dev/null \
		</dev/null | tr '\r' '\n' >"$WORK/out"
	grep -q "^nfguard: revoking: [0-9]*/2 requests" "$WORK/out" ||
		fail "no revoke progress on a terminal"
fi
nfg dir --verify --no-color --api-url "$API_HTTP" tree
if grep -q "requests" "$WORK/err"; then
	fail "verify progress into a pipe"
fi
