#!/bin/sh
# nfguard verify through a real HTTP/2 front (nghttpx, TLS with the test
# CA, in front of the stand-in API): the exact status of live, invalid and
# unknown tokens; a 429 with Retry-After waited for and retried once; more
# requests in flight than the 8 of HTTP/1.1, all on one connection;
# --verify-streams caps them; over HTTP/1.1 (the stand-in's own https)
# still 8 at once on at most 8 connections.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start --latency-ms 100
h2front_start

# log_since LINE: nghttpx's log lines after the first LINE.
log_since() {
	tail -n +"$(($1 + 1))" "$WORK/h2front.log"
}

l=$(mktok LIVE) d=$(mktok DEAD) u=$(mktok TEAPOT) r=$(mktok RATE)
i=0
while [ "$i" -lt 40 ]; do
	mktok LIVE
	echo
	i=$((i + 1))
done >live40.txt
printf '%s\n%s\n%s\n%s\n' "$l" "$d" "$u" "$r" | cat - live40.txt >tokens.txt

t0=$(date +%s)
nfg_in tokens.txt verify -f json --api-url "$API_H2" --cacert "$CA_FILE"
t1=$(date +%s)
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)" "stderr"
expect_count 44
assert_eq "$(jq_out '[.findings[0:4][] | "\(.line) \(.verification.status) \(.verification.http_status)"] | join(",")')" \
	"1 live 200,2 invalid 401,3 unknown 418,4 live 200" "statuses"
assert_eq "$(jq_out '[.findings[] | select(.verification.status == "live")] | length')" \
	42 "live tokens"
assert_eq "$(jq_out '.scan.verification | "\(.tokens) \(.live) \(.invalid) \(.unknown)"')" \
	"44 42 1 1" "scan.verification"
# The 429's Retry-After (1 s) was waited for, then one retry: 45 requests.
assert_eq "$(requests_for "$r")" 2 "requests for the rate-limited token"
assert_eq "$(requests_for "$l")" 1 "requests for a live token"
assert_eq "$(api_stat '[.tokens[]] | add')" 45 "whoami requests"
[ $((t1 - t0)) -ge 1 ] || fail "Retry-After not waited for ($((t1 - t0)) s)"
assert_eq "$(awk '$2 == "h2"' "$WORK/h2front.log" | wc -l | tr -d ' ')" 45 \
	"requests over h2"
assert_eq "$(awk '$3 == 429' "$WORK/h2front.log" | wc -l | tr -d ' ')" 1 \
	"429 answers"
assert_eq "$(h2front_connections 0)" 1 "connections to the HTTP/2 front"
# More at once than HTTP/1.1's 8: multiplexed on that one connection.
peak=$(api_peak | jq '.http')
[ "$peak" -gt 8 ] || fail "at most $peak requests at once over HTTP/2"

# --verify-streams caps the streams in flight.
seen=$(wc -l <"$WORK/h2front.log")
nfg_in live40.txt verify -f json --api-url "$API_H2" --cacert "$CA_FILE" \
	--verify-streams 4
expect_rc 1
expect_count 40
assert_eq "$(jq_out '[.findings[] | select(.verification.status == "live")] | length')" \
	40 "live tokens (--verify-streams 4)"
assert_eq "$(api_peak | jq '.http')" 4 "requests at once (--verify-streams 4)"
assert_eq "$(log_since "$seen" | awk '$2 == "h2"' | wc -l | tr -d ' ')" 40 \
	"requests over h2 (--verify-streams 4)"
assert_eq "$(h2front_connections "$seen")" 1 \
	"connections (--verify-streams 4)"

# HTTP/1.1 (no h2 offered): one request per connection, 8 at once.
nfg_in live40.txt verify -f json --api-url "$API_HTTPS" --cacert "$CA_FILE"
expect_rc 1
expect_count 40
assert_eq "$(api_peak | jq '.https')" 8 "requests at once over HTTP/1.1"
conns=$(api_stat '.listeners.https.connections')
[ "$conns" -ge 1 ] && [ "$conns" -le 8 ] ||
	fail "$conns connections over HTTP/1.1"
