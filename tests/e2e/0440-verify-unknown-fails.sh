#!/bin/sh
# Unverifiable is not clean: under --verify --fail-on live a token whose
# status is unknown (5xx, a closed port, any answer that is neither live
# nor invalid) fails like a live one, and stderr always says in one line
# how many distinct tokens could not be verified and why (whatever the
# format, with -o too); the JSON scan object and the SARIF run properties
# count them; a run with only invalid tokens still passes, silently.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

# err_is LINE: the last stderr is exactly LINE.
err_is() {
	assert_eq "$(cat "$WORK/err")" "$1" "stderr"
}

down=$(mktok DOWN) dead=$(mktok DEAD) tea=$(mktok TEAPOT) tea2=$(mktok TEAPOT)
mkdir tree
# DOWN twice: one distinct token, counted once.
printf 'A=%s\nB=%s\nC=%s\n' "$down" "$dead" "$down" >tree/a.env

# Human: exit 1 (it was 0), the line on stderr, the summary counts it.
nfg dir --verify --fail-on live --api-url "$API_HTTP" --no-color tree
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (server error 500 after 4 attempts: 1)"
grep -qxF "verified 2 tokens: 0 live, 1 invalid, 1 unknown" "$WORK/out" ||
	fail "human summary: $(tail -n 1 "$WORK/out")"

# -f json -o FILE: stdout empty, the same line on stderr, exact counts.
nfg dir -f json -o report.json --verify --fail-on live \
	--api-url "$API_HTTP" tree
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (server error 500 after 4 attempts: 1)"
[ ! -s "$WORK/out" ] || fail "stdout is not empty with -o"
assert_eq "$(jq -c '.scan.verification' report.json)" \
	'{"tokens":2,"live":0,"invalid":1,"unknown":1}' "scan.verification"
assert_eq "$(jq -r '[.findings[].verification.status] | join(",")' \
	report.json)" "unknown,invalid,unknown" "finding statuses"

# SARIF -o FILE: the run's properties count the tokens too.
nfg dir -f sarif -o report.sarif --verify --fail-on live \
	--api-url "$API_HTTP" tree
expect_rc 1
err_is "nfguard: warning: 1 token could not be verified (server error 500 after 4 attempts: 1)"
assert_eq "$(jq -c '.runs[0].properties.verification' report.sarif)" \
	'{"tokens":2,"live":0,"invalid":1,"unknown":1}' "SARIF verification"

# Several reasons: most tokens first, then by text; --fail-on any (the
# default) prints the line as well; jsonl has no scan object but the
# line is there.
printf 'D=%s\nE=%s\nF=%s\n' "$tea" "$down" "$tea2" >tree/b.env
for f in human jsonl; do
	nfg dir -f "$f" --verify --api-url "$API_HTTP" tree
	expect_rc 1
	err_is "nfguard: warning: 3 tokens could not be verified (unexpected status 418: 2; server error 500 after 4 attempts: 1)"
done

# The API is unreachable (a closed port): every token is unknown.
nfg dir -f json --verify --fail-on live --api-url http://127.0.0.1:1 \
	--verify-timeout 1 tree
expect_rc 1
err_is "nfguard: warning: 4 tokens could not be verified (connect: cannot connect after 4 attempts: 4)"
assert_eq "$(jq_out '.scan.verification | "\(.tokens) \(.live) \(.invalid) \(.unknown)"')" \
	"4 0 0 4" "scan.verification with the API unreachable"

# Only invalid tokens: --fail-on live passes, nothing on stderr, and the
# counts are still in the report.
mkdir clean
printf 'A=%s\n' "$dead" >clean/a.env
nfg dir -f json --verify --fail-on live --api-url "$API_HTTP" clean
expect_rc 0
expect_no_stderr
assert_eq "$(jq -c '.scan.verification' "$WORK/out")" \
	'{"tokens":1,"live":0,"invalid":1,"unknown":0}' "scan.verification (clean)"

# No token on stderr.
for t in "$down" "$tea" "$tea2" "$dead"; do
	if grep -qF -- "${t#nf_at_}" "$WORK/err" report.json report.sarif; then
		fail "a token appears without --show-secret"
	fi
done
