#!/bin/sh
# --gitlab-group: a self-managed GitLab stand-in (base
# http://127.0.0.1:PORT/api/v4, loopback plain http) lists a subgroup's
# seven projects over three pages, by Link or by X-Next-Page alone, a
# fork (forked_from_project) and an archived one among them. The group
# path is URL-encoded, subgroups asked for, the token sent as
# PRIVATE-TOKEN and nowhere else; a 429 resetting in a second is waited;
# Retry-After: 3600, a 404 and a page 2 that fails forever fail with
# exit 2 and no report. Combined with --github-org and --repos-from.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/remote.sh"

t1=$(mktoken) t3=$(mktoken) t4=$(mktoken) t6=$(mktoken)
hosts_mkrepos p "$t1" "" "$t3" "$t4" "" "$t6" ""
# Served by git daemon: the API may name network URLs only.
daemon_start "$PWD"
HOSTS_BASE=$DAEMON_URL
hosts_repos p >repos.json
hosts_start repos.json
API=$HOSTS_HTTP/api/v4
GL=glt-$(rand_body 24)
plant_token "$GL"
export GITLAB_TOKEN="$GL"

paths() {
	hosts_requests '[.requests[] | select(.path | contains("'"$1"'")) |
		.path] | join(",")'
}

nfg git -f json --gitlab-api-url "$API" --gitlab-group acme/sub
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr"
assert_eq "$(hosts_swept)" "p1 p2 p3 p4 p5 p6 p7" "swept"
assert_eq "$(hosts_findings)" \
	"p1 p1.env 1 7 $(fp "$t1")
p3 p3.env 1 7 $(fp "$t3")
p4 p4.env 1 7 $(fp "$t4")
p6 p6.env 1 7 $(fp "$t6")" "findings"
q=include_subgroups=true\&per_page=100
assert_eq "$(paths acme%2Fsub)" \
	"/api/v4/groups/acme%2Fsub/projects?$q,/api/v4/groups/acme%2Fsub/projects?$q&page=2,/api/v4/groups/acme%2Fsub/projects?$q&page=3" \
	"requests"
assert_eq "$(hosts_requests '[.requests[].auth] | unique | join(",")')" \
	"$(printf '%s' "$GL" | sha256sum | cut -d' ' -f1)" "PRIVATE-TOKEN"

# X-Next-Page alone (no Link): the page number added to the first URL.
nfg git -f json --gitlab-api-url "$API" --gitlab-group nolink --skip-forks \
	--skip-archived
expect_rc 1
assert_eq "$(hosts_swept)" "p1 p2 p5 p6 p7" "X-Next-Page, forks and archived left out"
assert_eq "$(paths /nolink/)" \
	"/api/v4/groups/nolink/projects?$q,/api/v4/groups/nolink/projects?$q&page=2,/api/v4/groups/nolink/projects?$q&page=3" \
	"X-Next-Page requests"

# With --github-org (the same stand-in) and --repos-from: one sweep, each
# repository once.
printf '%s/p7\n' "$HOSTS_BASE" >list.txt
mkrepo extra
(cd extra && commit_at '2024-03-01 00:00:00 +0000' extra)
nfg git -f json --gitlab-api-url "$API" --gitlab-group acme \
	--github-api-url "$HOSTS_HTTP" --github-org acme --repos-from list.txt \
	extra
expect_rc 1
assert_eq "$(hosts_swept)" "extra p7 p1 p2 p3 p4 p5 p6" "combined"
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 8 repositories listed more than once, swept once" \
	"combined stderr"

# 429 with RateLimit-Reset in a second: waited.
nfg git -f json --gitlab-api-url "$API" --gitlab-group ratelimit
expect_rc 1
assert_eq "$(hosts_swept)" "p1 p2 p3 p4 p5 p6 p7" "after a 429"
assert_eq "$(paths /ratelimit/ | tr ',' '\n' | sed 's/.*per_page=100//' |
	tr '\n' ,)" ",&page=2,&page=2,&page=3," "rate-limited requests"

fails() {
	nfg git -f json --gitlab-api-url "$API" --gitlab-group "$1"
	expect_rc 2
	assert_eq "$(cat "$WORK/out")" "" "stdout ($1)"
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: cannot list gitlab group '$1': $2" "stderr ($1)"
}
fails longlimit "page 1: rate limited (429) for 3600 s more, longer than the 60 s nfguard waits; try again later"
fails missing "page 1: not found (404)"
fails broken "page 2: server error 500 after 4 attempts"
