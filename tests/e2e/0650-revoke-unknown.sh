#!/bin/sh
# nfguard revoke (and --revoke): a token that could not be verified is not
# revoked, is listed under "still to do" with its reason, is counted on
# stderr in one line, and keeps the exit status at 1; a token revoked in
# the run no longer fails --fail-on live.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

# err_is LINE: stderr is the audit log line, then LINE.
audit="nfguard: audit log: $HOME/.local/state/nfguard/audit.jsonl"
err_is() {
	assert_eq "$(cat "$WORK/err")" "$audit
$1" "stderr"
}

r=$(mktok REVOK) u=$(mktok TEAPOT)
printf '%s\n%s\n' "$r" "$u" >tokens.txt

nfg_in tokens.txt revoke --yes --api-url "$API_HTTP" --no-color
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)"
assert_eq "$(deletes_for "$r") $(deletes_for "$u")" "1 0" "DELETE requests"
assert_eq "$(sed -n '/^still to do:$/,$p' "$WORK/out")" "still to do:
  - give each system that used a revoked token a new one, and rotate it
    wherever the old one was deployed (1 revoked)
  - 1 token could not be verified and was not revoked: run again once
    the API answers, or delete it in the dashboard if it works,
    https://app.notiflows.com/account-tokens:
      $(redact "$u")  stdin:2 (unexpected status 418)
  - take every token out of the files that hold it, and rewrite git
    history (git filter-repo) where it was committed: clones keep it" \
	"still to do"

# JSON to a file: the same line on stderr, the counts, exit 1.
u2=$(mktok TEAPOT) u3=$(mktok DOWN) r2=$(mktok REVOK)
printf '%s\n%s\n%s\n' "$u2" "$u3" "$r2" >more.txt
nfg_in more.txt revoke --yes -f json -o out.json --api-url "$API_HTTP"
expect_rc 1
err_is "nfguard: warning: 2 tokens could not be verified (server error 500 after 4 attempts: 1; unexpected status 418: 1)"
assert_eq "$(jq -c '.scan.verification' out.json)" \
	'{"tokens":3,"live":1,"invalid":0,"unknown":2}' "scan.verification"
assert_eq "$(jq -r '[.findings[].revocation.status] | join(",")' out.json)" \
	"skipped,skipped,revoked" "revocation statuses"

# Plural wording, and every unknown token listed.
nfg_in more.txt revoke --yes --api-url "$API_HTTP" --no-color
expect_rc 1
grep -qxF "  - 2 tokens could not be verified and were not revoked: run again once" \
	"$WORK/out" || fail "plural still-to-do line: $(cat "$WORK/out")"
grep -qxF "      $(redact "$u2")  stdin:1 (unexpected status 418)" \
	"$WORK/out" || fail "unknown token stdin:1 not listed"
grep -qxF "      $(redact "$u3")  stdin:2 (server error 500 after 4 attempts)" \
	"$WORK/out" || fail "unknown token stdin:2 not listed"

# The API unreachable: nothing verified, nothing revoked, exit 1.
printf '%s\n' "$(mktok REVOK)" >one.txt
nfg_in one.txt revoke --yes --api-url http://127.0.0.1:1 --verify-timeout 1
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (connect: cannot connect after 4 attempts: 1)"

# A scan with --revoke --fail-on live: revoked passes, unknown fails.
mkdir tree
printf 'T=%s\n' "$(mktok REVOK)" >tree/a.env
nfg dir --revoke --yes --fail-on live --api-url "$API_HTTP" tree
expect_rc 0
assert_eq "$(cat "$WORK/err")" "$audit" "stderr"
printf 'U=%s\n' "$(mktok TEAPOT)" >tree/b.env
nfg dir --revoke --yes --fail-on live --api-url "$API_HTTP" tree
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)"
