#!/bin/sh
# A repository owned by another user is scanned (no safe.directory needed):
# incident responders scan every repository on a machine.
set -eu

[ "$(id -u)" = 0 ] || skip "needs root to give the repository away"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"

tok=$(mktoken)
mkrepo repo
cd repo
printf 'TOKEN=%s\n' "$tok" >app.env
commit_at 2021-01-01T00:00:00Z "add config"
c=$(git rev-parse HEAD)
cd ..
chown -R nobody repo
# git itself refuses it now: proof that the ownership check is in play.
if git -C repo rev-parse HEAD >/dev/null 2>&1; then
	fail "git accepted a repository owned by another user"
fi

nfg git -f json repo
expect_rc 1
expect_count 1
assert_eq "$(jq_out '.findings[0].commit')" "$c" "commit"
assert_eq "$(jq_out '.findings[0].path')" "app.env" "path"
assert_eq "$(jq_out '.findings[0].fingerprint')" "$(fp "$tok")" "fingerprint"
