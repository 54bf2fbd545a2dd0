#!/bin/sh
# A token found 100 times is revoked with one DELETE, and every one of its
# findings carries the result. The audit log: created 0600 under
# $HOME/.local/state/nfguard by default (or --audit-log FILE; the default
# folder itself is tested in 0700), appended to, one line per
# decision about a distinct token plus one revoke_requested line per
# DELETE sent, with the documented fields and never the token. git scans
# record the commit.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

t=$(mktok REVOK) l=$(mktok RLIMIT) u=$(mktok NOREV) d=$(mktok DEAD)
mkdir tree
i=0
while [ "$i" -lt 100 ]; do
	printf 'TOKEN=%s\n' "$t" >"tree/f$i.env"
	i=$((i + 1))
done
printf 'a=%s\nb=%s\nc=%s\nd=%s\n' "$l" "$u" "$d" "$d" >tree/mixed.txt

umask 022
log=$HOME/.local/state/nfguard/audit.jsonl
nfg dir -f json --revoke --yes --api-url "$API_HTTP" -j 4 tree
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: $log" "stderr"
expect_count 104
assert_eq "$(deletes_for "$t")" 1 "DELETE requests for the token found 100 times"
assert_eq "$(jq_out '[.findings[] | select(.fingerprint == "'"$(fp "$t")"'") |
	.revocation.status] | group_by(.) | map("\(.[0])=\(length)") |
	join(",")')" "revoked=100" "revocation of its 100 findings"
assert_eq "$(jq_out '[.findings[].revocation.status] | group_by(.) |
	map("\(.[0])=\(length)") | join(",")')" \
	"revoke_unsupported=1,revoked=101,skipped=2" "all revocations"

# The log: mode 0600 whatever the umask.
[ -f "$log" ] || fail "no $log"
assert_eq "$(stat -c %a "$log")" 600 "audit log mode"
jq -e . "$log" >/dev/null || fail "audit log is not JSON lines"
# One decision per distinct token; one revoke_requested per DELETE sent
# (RLIMIT is sent twice: 429, then 204).
assert_eq "$(jq -r .action "$log" | sort | uniq -c |
	awk '{print $2 "=" $1}' | paste -sd, -)" \
	"revoke_requested=4,revoke_unsupported=1,revoked=2,skipped=1" \
	"audit actions"
assert_eq "$(wc -l <"$log" | tr -d ' ')" 8 "audit lines"
# a TOKEN FILTER: FILTER on the token's decision line.
a() {
	jq -r --arg fp "$(fp "$1")" "select(.fingerprint == \$fp and
		.action != \"revoke_requested\") | $2" "$log"
}
assert_eq "$(a "$t" '"\(.action) \(.http_status) \(.secret_redacted) \(.rule_id)"')" \
	"revoked 204 $(redact "$t") notiflows-account-token" "audit line of the token"
assert_eq "$(a "$t" '.location | "\(.path):\(.line) \(has("commit"))"')" \
	"f0.env:1 false" "audit location (the first finding)"
assert_eq "$(a "$t" '.project | "\(.id) \(.name) \(.slug)"')" \
	"prj_$(fp "$t" | cut -c8-15) Mock Project mock-project" "audit project"
a "$t" .request_id | grep -Eq '^req_[0-9]{6}$' || fail "audit request_id"
a "$t" .time | grep -Eq \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
	fail "audit time '$(a "$t" .time)'"
assert_eq "$(a "$d" '"\(.action): \(.reason) \(has("project"))"')" \
	"skipped: not live: the API rejected the token (401) false" \
	"audit line of an invalid token"
assert_eq "$(a "$u" '"\(.action) \(.http_status)"')" "revoke_unsupported 404" \
	"audit line of an unsupported revocation"
a "$u" .reason | grep -qF "https://app.notiflows.com/account-tokens" ||
	fail "audit: no dashboard guidance"
assert_eq "$(jq -r --arg fp "$(fp "$l")" 'select(.fingerprint == $fp and
	.action == "revoke_requested") | "\(.attempt) \(.request)"' \
	"$log" | paste -sd, -)" \
	"1 DELETE $API_HTTP/management/v1/account-tokens/current,2 DELETE $API_HTTP/management/v1/account-tokens/current" \
	"revoke_requested lines of the rate-limited token"
for x in "$t" "$l" "$u" "$d"; do
	if grep -qF -- "${x#nf_at_}" "$log"; then
		fail "the audit log holds a token"
	fi
done
assert_eq "$(deletes_for "$d")" 0 "DELETE requests for an invalid token"

# Appended to, never replaced (now 3 tokens are skipped, NOREV is sent
# again: 5 lines); --audit-log FILE instead of the default.
nfg dir -f json --revoke --yes --api-url "$API_HTTP" tree
expect_rc 1
assert_eq "$(wc -l <"$log" | tr -d ' ')" 13 "audit lines after a second run"
assert_eq "$(deletes_for "$t")" 1 "DELETE requests after the token was revoked"
mkdir logs
nfg dir -f json --revoke --yes --api-url "$API_HTTP" \
	--audit-log logs/audit.jsonl tree/mixed.txt
expect_rc 1
assert_eq "$(jq -r .action logs/audit.jsonl | sort | paste -sd, -)" \
	"revoke_requested,revoke_unsupported,skipped,skipped" "--audit-log FILE"
assert_eq "$(wc -l <"$log" | tr -d ' ')" 13 "default log untouched"

# nfguard revoke: tokens on stdin, each distinct one revoked once.
r=$(mktok REVOK)
printf '%s\n%s\n%s\n' "$r" "$d" "$r" >tokens.txt
nfg_in tokens.txt revoke -f json --yes --api-url "$API_HTTP" \
	--audit-log cmd.jsonl
expect_rc 0
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: cmd.jsonl" "stderr"
assert_eq "$(jq_out '[.findings[] | "\(.line) \(.revocation.status)"] |
	join(",")')" "1 revoked,2 skipped,3 revoked" "nfguard revoke report"
assert_eq "$(deletes_for "$r")" 1 "DELETE requests of nfguard revoke"
assert_eq "$(jq -r .action cmd.jsonl | sort | paste -sd, -)" \
	"revoke_requested,revoked,skipped" "nfguard revoke audit"
assert_eq "$(jq -r 'select(.action == "revoked") | .location |
	"\(.path):\(.line)"' cmd.jsonl)" "stdin:1" "nfguard revoke audit location"
# Empty input: a clean no-op that sends nothing.
: >empty
nfg_in empty revoke --yes --api-url "$API_HTTP" --audit-log empty.jsonl
expect_rc 0
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: empty.jsonl" "stderr"
nfg revoke --yes --api-url "$API_HTTP" "$r"
expect_rc 2
expect_stderr "nfguard: revoke takes no operands"
expect_no_output "${r#nf_at_}"

# git: the audit location names the commit; staged takes --revoke too.
g=$(mktok REVOK)
mkrepo repo
(
	cd repo
	printf 'x=%s\n' "$g" >a.txt
	commit_at "2024-01-01 00:00:00 +0000" one
)
c=$(git -C repo rev-parse HEAD)
nfg git -f json --revoke --yes --api-url "$API_HTTP" --audit-log git.jsonl repo
expect_rc 1
assert_eq "$(jq -r 'select(.action == "revoked") | .location |
	"\(.path):\(.line) \(.commit)"' git.jsonl)" "a.txt:1 $c" "git audit location"
s=$(mktok REVOK)
printf 'y=%s\n' "$s" >repo/b.txt
git -C repo add b.txt
nfg staged -f json --revoke --yes --api-url "$API_HTTP" \
	--audit-log staged.jsonl repo
expect_rc 1
assert_eq "$(jq_out '.findings[0].revocation.status')" revoked "staged --revoke"
assert_eq "$(deletes_for "$s")" 1 "DELETE requests of staged --revoke"
