#!/bin/sh
# --verify and --revoke over a sweep: each distinct token is checked, and
# revoked, once for the whole sweep, however many repositories hold it;
# every finding carries the result; JSONL waits for the results.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

r=$(mktok REVOK) d=$(mktok DEAD) l=$(mktok LIVE)
for n in 1 2 3; do
	mkrepo "r$n"
	(
		cd "r$n"
		printf 'a=%s\nb=%s\n' "$r" "$d" >"f$n.env"
		commit_at "2024-01-0$n 00:00:00 +0000" one
	)
done
(
	cd r2
	printf 'c=%s\n' "$l" >live.txt
	commit_at '2024-01-05 00:00:00 +0000' two
)

nfg git -f json --verify --api-url "$API_HTTP" --repo-jobs 3 r1 r2 r3
expect_rc 1
expect_no_stderr
expect_count 7
assert_eq "$(requests_for "$r")" 1 "requests for the token of three repositories"
assert_eq "$(requests_for "$d")" 1 "requests for the invalid token"
assert_eq "$(requests_for "$l")" 1 "requests for the token of one repository"
assert_eq "$(jq_out '[.findings[] | "\(.repository):\(.verification.status)"] |
	join(",")')" \
	"r1:live,r1:invalid,r2:live,r2:invalid,r2:live,r3:live,r3:invalid" \
	"verification of every finding"
assert_eq "$(jq_out '[.incidents[] | "\(.repositories | join("+"))"] | join(",")')" \
	"r1+r2+r3,r1+r2+r3" "incidents"

# JSONL under --verify: written once verified, each finding once.
nfg git -f jsonl --verify --api-url "$API_HTTP" r1 r3
expect_rc 1
assert_eq "$(jq -rs '[.[] | "\(.repository):\(.verification.status)"] |
	join(",")' "$WORK/out")" "r1:live,r1:invalid,r3:live,r3:invalid" \
	"jsonl verification"

# --revoke: one DELETE for the token all three hold.
nfg git -f json --revoke --yes --audit-log audit.jsonl \
	--api-url "$API_HTTP" r1 r2 r3
expect_rc 1
assert_eq "$(deletes_for "$r")" 1 "DELETE requests for the shared token"
assert_eq "$(deletes_for "$l")" 1 "DELETE requests for the other live token"
assert_eq "$(jq_out '[.findings[] | select(.fingerprint == "'"$(fp "$r")"'") |
	"\(.repository):\(.revocation.status)"] | join(",")')" \
	"r1:revoked,r2:revoked,r3:revoked" "revocation of the shared token"
