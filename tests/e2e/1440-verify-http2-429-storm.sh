#!/bin/sh
# A storm of 429s over HTTP/2, at the default settings: 120 of 143 tokens
# are rate-limited on their first request, answered at once on streams of
# one connection. Each is waited for (Retry-After: 1, or the body's
# retry_after) and retried exactly once, then live; a token whose server
# errs forever ends unknown after the usual 4 attempts, named on stderr;
# nothing else is retried, no second connection is opened, every status
# is exact.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start --latency-ms 20
h2front_start

i=0
while [ "$i" -lt 60 ]; do
	mktok RATE
	echo
	mktok HINT
	echo
	i=$((i + 1))
done >limited.txt
i=0
while [ "$i" -lt 20 ]; do
	mktok LIVE
	echo
	i=$((i + 1))
done >live.txt
d1=$(mktok DOWN) d2=$(mktok DOWN) d3=$(mktok DOWN)
printf '%s\n%s\n%s\n' "$d1" "$d2" "$d3" | cat limited.txt live.txt - >tokens.txt
r1=$(sed -n 1p limited.txt) h1=$(sed -n 2p limited.txt) l1=$(sed -n 1p live.txt)

t0=$(date +%s)
nfg_in tokens.txt verify -f json --api-url "$API_H2" --cacert "$CA_FILE"
t1=$(date +%s)
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 3 tokens could not be \
verified (server error 500 after 4 attempts: 3)" "stderr"
expect_count 143
assert_eq "$(jq_out '.scan.verification | "\(.tokens) \(.live) \(.invalid) \(.unknown)"')" \
	"143 140 0 3" "scan.verification"
assert_eq "$(jq_out '[.findings[] | "\(.verification.status) \(.verification.http_status)"] |
	group_by(.) | map("\(.[0]) \(length)") | join(",")')" \
	"live 200 140,unknown 500 3" "statuses"
# Each rate-limited token twice, each live one once, each failing one 4
# times: 2 x 120 + 20 + 4 x 3 requests, all over h2, on one connection.
assert_eq "$(requests_for "$r1") $(requests_for "$h1") $(requests_for "$l1") \
$(requests_for "$d1")" "2 2 1 4" "requests for RATE HINT LIVE DOWN tokens"
assert_eq "$(api_stat '[.tokens[]] | add')" 272 "whoami requests"
assert_eq "$(api_stat '[.tokens[] | select(. == 2)] | length')" 120 \
	"tokens asked twice"
assert_eq "$(awk '$2 == "h2"' "$WORK/h2front.log" | wc -l | tr -d ' ')" 272 \
	"requests over h2"
assert_eq "$(awk '$3 == 429' "$WORK/h2front.log" | wc -l | tr -d ' ')" 120 \
	"429 answers"
assert_eq "$(awk '$3 == 500' "$WORK/h2front.log" | wc -l | tr -d ' ')" 12 \
	"500 answers"
assert_eq "$(h2front_connections 0)" 1 "connections to the HTTP/2 front"
[ $((t1 - t0)) -ge 1 ] || fail "Retry-After not waited for ($((t1 - t0)) s)"
# The storm came on many streams at once, as the default allows.
peak=$(api_peak | jq '.http')
[ "$peak" -gt 8 ] || fail "at most $peak requests at once over HTTP/2"
