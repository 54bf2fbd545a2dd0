#!/bin/sh
# A crash loses no record of a request that was sent: nfguard revokes two
# tokens at once; one DELETE answers slowly, the other hangs. nfguard is
# killed with SIGKILL once the server has received both DELETEs; the audit
# log already holds a revoke_requested line for every DELETE the server
# received (neither has answered, so no decision is made yet: 0660 tests
# that a decision made is on disk at once).
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start --slow-seconds 60 --hang-seconds 60

s=$(mktok RSLOW) h=$(mktok RHANG)
printf '%s\n%s\n' "$s" "$h" >tokens.txt
# The binary itself in the background (not the nfguard shell function,
# whose subshell would be killed instead).
nfguard_spawn revoke -f json --yes --verify-concurrency 2 --verify-timeout 120 \
	--api-url "$API_HTTP" --audit-log audit.jsonl \
	<tokens.txt >"$WORK/out" 2>"$WORK/err" &
pid=$!
# Wait until the server got both DELETEs (the hanging one is in flight).
i=0
while [ "$(deletes_for "$s")" != 1 ] || [ "$(deletes_for "$h")" != 1 ]; do
	i=$((i + 1))
	[ "$i" -lt 300 ] || {
		kill -9 "$pid" 2>/dev/null || true
		fail "the server never got both DELETE requests"
	}
	sleep 0.1
done
kill -9 "$pid"
set +e
wait "$pid"
rc=$?
set -e
assert_eq "$rc" 137 "exit status of the killed nfguard"
record_output "$WORK/out" "$WORK/err" audit.jsonl

[ -s audit.jsonl ] || fail "the audit log is empty after the kill"
jq -e . audit.jsonl >/dev/null || fail "the audit log is not JSON lines"
assert_eq "$(jq -r --arg fp "$(fp "$h")" 'select(.fingerprint == $fp) |
	"\(.action) \(.attempt)"' audit.jsonl)" "revoke_requested 1" \
	"audit lines of the token whose DELETE was in flight"
assert_eq "$(jq -r --arg fp "$(fp "$s")" 'select(.fingerprint == $fp) |
	.action' audit.jsonl | paste -sd, -)" "revoke_requested" \
	"audit lines of the slow token (no answer yet)"
assert_eq "$(jq -r 'select(.action == "revoke_requested") | .fingerprint' \
	audit.jsonl | sort | paste -sd, -)" \
	"$(printf '%s\n%s\n' "$(fp "$s")" "$(fp "$h")" | sort | paste -sd, -)" \
	"a revoke_requested line for each DELETE received"
for x in "$s" "$h"; do
	if grep -qF -- "${x#nf_at_}" audit.jsonl; then
		fail "the audit log holds a token"
	fi
done
