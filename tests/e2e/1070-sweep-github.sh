#!/bin/sh
# --github-org / --github-user: a GitHub Enterprise stand-in (base
# https://127.0.0.1:PORT/api/v3, taken as given) lists seven repositories
# over three pages, a fork and an archived one among them. Exactly those
# are swept, with their findings; --skip-forks and --skip-archived leave
# them out; the token goes as a Bearer header and nowhere else. A short
# rate limit is waited, a long one, a 404, a page 2 that fails forever,
# a next link to another host, a loop, a body that is not JSON and an
# empty listing each fail the listing with exit 2 and no report.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/remote.sh"

t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken) t7=$(mktoken)
# r1..r7: r3 a fork, r4 archived, r5 clean, r6 holds r1's token.
hosts_mkrepos r "$t1" "$t2" "$t3" "$t4" "" "$t1" "$t7"
# Served by git daemon: the API may name network URLs only.
daemon_start "$PWD"
HOSTS_BASE=$DAEMON_URL
hosts_repos r >repos.json
hosts_start repos.json
API=$HOSTS_HTTPS/api/v3
GH=ght-$(rand_body 24)
plant_token "$GH" "Bearer $GH"
export GITHUB_TOKEN="$GH"


nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" --github-org acme
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr"
assert_eq "$(hosts_swept)" "r1 r2 r3 r4 r5 r6 r7" "swept"
assert_eq "$(hosts_findings)" \
	"r1 r1.env 1 7 $(fp "$t1")
r2 r2.env 1 7 $(fp "$t2")
r3 r3.env 1 7 $(fp "$t3")
r4 r4.env 1 7 $(fp "$t4")
r6 r6.env 1 7 $(fp "$t1")
r7 r7.env 1 7 $(fp "$t7")" "findings"
assert_eq "$(jq_out '[.scan.repositories[].status] | unique | join(",")')" \
	"scanned" "statuses"
assert_eq "$(jq_out '.incidents[0].repositories | length')" 2 "incident"
# Three pages, each with the token as a Bearer header; page 1 exactly
# the documented endpoint below the base, nothing appended to it.
bearer=$(printf 'Bearer %s' "$GH" | sha256sum | cut -d' ' -f1)
assert_eq "$(hosts_requests '.requests[] | "\(.path) \(.auth)"')" \
	"/api/v3/orgs/acme/repos?per_page=100&type=all $bearer
/api/v3/orgs/acme/repos?per_page=100&type=all&page=2 $bearer
/api/v3/orgs/acme/repos?per_page=100&type=all&page=3 $bearer" "requests"

# Forks, archived, both left out; a user's listing; a REPO operand too.
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" \
	--github-org acme --skip-forks
expect_rc 1
assert_eq "$(hosts_swept)" "r1 r2 r4 r5 r6 r7" "--skip-forks"
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" \
	--github-org acme --skip-archived
expect_rc 1
assert_eq "$(hosts_swept)" "r1 r2 r3 r5 r6 r7" "--skip-archived"
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API/" \
	--github-user someone --skip-forks --skip-archived "$HOSTS_BASE/r1"
expect_rc 1
assert_eq "$(hosts_swept)" "r1 r2 r5 r6 r7" "--github-user with an operand"
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 1 repository listed more than once, swept once" \
	"stderr with an operand"
assert_eq "$(hosts_requests '.requests[-3].path')" \
	"/api/v3/users/someone/repos?per_page=100&type=owner" "user endpoint"

# A rate limit resetting in a second: waited, the listing completes.
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" \
	--github-org ratelimit
expect_rc 1
assert_eq "$(hosts_swept)" "r1 r2 r3 r4 r5 r6 r7" "after a short rate limit"
assert_eq "$(hosts_requests '[.requests[] | select(.path |
	contains("/ratelimit/")) | .path | sub(".*type=all"; "")] |
	join(",")')" ",&page=2,&page=2,&page=3" "rate-limited requests"

# The failures: no report, exit 2, one line saying why.
fails() {
	nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" \
		--github-org "$1"
	expect_rc 2
	assert_eq "$(cat "$WORK/out")" "" "stdout ($1)"
	assert_eq "$(cat "$WORK/err")" "nfguard: cannot list github org '$1': $2" \
		"stderr ($1)"
}
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" \
	--github-org longlimit
expect_rc 2
case $(cat "$WORK/err") in
"nfguard: cannot list github org 'longlimit': page 1: rate limited (403) for 360"[01]" s more, longer than the 60 s nfguard waits; try again later") ;;
*) fail "long rate limit: $(cat "$WORK/err")" ;;
esac
fails missing "page 1: not found (404)"
fails broken "page 2: server error 500 after 4 attempts"
before=$(hosts_requests '.requests | length')
fails evil "page 1: the next page's link points outside the API base; the token is not sent there"
assert_eq "$(hosts_requests '.requests | length')" $((before + 1)) \
	"requests after a foreign link"
fails loop "page 3 links back to page 2 (a loop)"
fails junk "page 1: the answer is not JSON"
fails empty "the API listed no repository"

# Without GITHUB_TOKEN no Authorization header is sent.
unset GITHUB_TOKEN
nfg git -f json --cacert "$CA_FILE" --github-api-url "$API" --github-org acme
expect_rc 1
assert_eq "$(hosts_requests '.requests[-1].auth')" "null" "no token"

# Usage: a base that is not https (nor loopback http); the options alone.
nfg git --github-api-url http://example.com/api/v3 --github-org acme
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --github-api-url: plain http is allowed only to a loopback address (127.0.0.1, ::1, localhost); use https" "bad base"
nfg git --skip-forks r1 r2
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --skip-forks, --skip-archived, --github-api-url and --gitlab-api-url go with --github-org, --github-user or --gitlab-group" "--skip-forks alone"
