#!/bin/sh
# nfguard verify: a token that could not be verified gives the exit
# status a live token gives (1, or --exit-code N), with the one stderr
# line saying how many and why; only invalid tokens exit 0.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

err_is() {
	assert_eq "$(cat "$WORK/err")" "$1" "stderr"
}

d=$(mktok DEAD) u=$(mktok TEAPOT)
printf '%s\n%s\n' "$d" "$u" >tokens.txt

nfg_in tokens.txt verify --api-url "$API_HTTP" --no-color
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)"
grep -qxF "verified 2 tokens: 0 live, 1 invalid, 1 unknown" "$WORK/out" ||
	fail "human summary: $(tail -n 1 "$WORK/out")"

nfg_in tokens.txt verify -f json -o out.json --api-url "$API_HTTP" \
	--exit-code 3
expect_rc 3
err_is "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)"
assert_eq "$(jq -c '.scan.verification' out.json)" \
	'{"tokens":2,"live":0,"invalid":1,"unknown":1}' "scan.verification"

# The API unreachable: every token stays unknown, exit 1.
nfg_in tokens.txt verify --api-url http://127.0.0.1:1 --verify-timeout 1
expect_rc 1
err_is "nfguard: warning: 2 tokens could not be verified (connect: cannot connect after 4 attempts: 2)"

# Only invalid: exit 0, nothing on stderr.
printf '%s\n' "$d" >dead.txt
nfg_in dead.txt verify --api-url "$API_HTTP"
expect_rc 0
expect_no_stderr
