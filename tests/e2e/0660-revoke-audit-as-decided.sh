#!/bin/sh
# Each revocation decision is in the audit log the moment it is made, not
# when the run is over: nfguard revokes two tokens at once; one DELETE
# answers at once (then whoami answers 401: revoked), the other hangs.
# While it hangs, the first token's decision is already on disk, and
# SIGTERM then loses it not: the log holds the first token's
# revoke_requested and revoked lines and the hanging one's
# revoke_requested line only.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start --hang-seconds 240 --max-seconds 300

r=$(mktok REVOK) h=$(mktok RHANG)
printf '%s\n%s\n' "$r" "$h" >tokens.txt
# The binary itself in the background, to be signalled.
nfguard_spawn revoke -f json --yes --verify-concurrency 2 --verify-timeout 300 \
	--api-url "$API_HTTP" --audit-log audit.jsonl \
	<tokens.txt >"$WORK/out" 2>"$WORK/err" &
pid=$!

# actions FINGERPRINT: the actions logged for that token, in order.
actions() {
	if [ -f audit.jsonl ]; then
		jq -r --arg fp "$1" 'select(.fingerprint == $fp) | .action' \
			audit.jsonl | paste -sd, -
	fi
}
# Wait (at most 90 s: valgrind, a busy machine) for the first token's
# decision and the other's DELETE, which hangs for 240 s.
fr=$(fp "$r") end=$(($(date +%s) + 90))
while { [ "$(actions "$fr")" != "revoke_requested,revoked" ] ||
	[ "$(deletes_for "$h")" != 1 ]; } && [ "$(date +%s)" -lt "$end" ]; do
	sleep 0.1
done
assert_eq "$(deletes_for "$h")" 1 "DELETE requests of the hanging token"
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
assert_eq "$rc" 143 "exit status of nfguard after SIGTERM"
record_output "$WORK/out" "$WORK/err" audit.jsonl

assert_eq "$(actions "$fr")" "revoke_requested,revoked" \
	"audit lines of the token revoked before the kill"
assert_eq "$(jq -r --arg fp "$(fp "$r")" 'select(.fingerprint == $fp and
	.action == "revoked") | "\(.http_status) \(.location.path):\(.location.line)"' \
	audit.jsonl)" "204 stdin:1" "its decision line"
assert_eq "$(jq -r --arg fp "$(fp "$h")" 'select(.fingerprint == $fp) |
	"\(.action) \(.attempt)"' audit.jsonl)" "revoke_requested 1" \
	"audit lines of the token whose DELETE hangs"
for x in "$r" "$h"; do
	if grep -qF -- "${x#nf_at_}" audit.jsonl; then
		fail "the audit log holds a token"
	fi
done
