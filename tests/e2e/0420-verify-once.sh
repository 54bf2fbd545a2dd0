#!/bin/sh
# Each distinct token is verified once per run, whatever its number of
# findings: 50 files holding one token give 50 findings and one request,
# in dir, stdin and git scans; every finding carries the result.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

t=$(mktok LIVE) d=$(mktok DEAD)
mkdir tree
i=0
while [ "$i" -lt 50 ]; do
	printf 'TOKEN=%s\n' "$t" >"tree/f$i.env"
	i=$((i + 1))
done
printf 'a=%s\nb=%s\nc=%s\n' "$d" "$d" "$t" >tree/mixed.txt

nfg dir -f json --verify --api-url "$API_HTTP" -j 4 tree
expect_rc 1
expect_no_stderr
expect_count 53
assert_eq "$(jq_out '[.findings[].verification.status] | group_by(.) |
	map("\(.[0])=\(length)") | join(",")')" "invalid=2,live=51" \
	"statuses of the findings"
assert_eq "$(requests_for "$t")" 1 "requests for the token found 51 times"
assert_eq "$(requests_for "$d")" 1 "requests for the token found twice"
assert_eq "$(jq_out '[.findings[].verification.request_id] | unique |
	length')" 2 "request ids (one per request)"

# Low concurrency works the same.
nfg dir -f json --verify --api-url "$API_HTTP" --verify-concurrency 1 tree
expect_rc 1
assert_eq "$(requests_for "$t")" 2 "requests for the token after two runs"

# git --all-occurrences: a finding per commit and path, one request.
mkrepo repo
(
	cd repo
	printf 'x=%s\n' "$t" >a.txt
	commit_at "2024-01-01 00:00:00 +0000" one
	printf 'y\n' >>a.txt
	commit_at "2024-01-02 00:00:00 +0000" two
	printf 'z=%s\n' "$t" >b.txt
	commit_at "2024-01-03 00:00:00 +0000" three
)
nfg git -f json --all-occurrences --verify --api-url "$API_HTTP" repo
expect_rc 1
expect_count 4
assert_eq "$(jq_out '[.findings[].verification.status] | join(",")')" \
	"live,live,live,live" "git statuses"
assert_eq "$(requests_for "$t")" 3 "requests for the token after the git run"

# -o FILE gets the verified report too.
nfg dir -f json -o report.json --verify --api-url "$API_HTTP" tree/mixed.txt
expect_rc 1
assert_eq "$(jq -r '[.findings[].verification.status] | join(",")' \
	report.json)" "invalid,invalid,live" "statuses in -o FILE"
