#!/bin/sh
# Alternates of alternates by relative paths, as GitLab's object pools
# lay them out: a fork borrows from a pool member that borrows from the
# pool. git resolves each relative path against the objects folder of
# the file that names it, whatever the current folder; so does nfguard
# (libgit2 1.5 alone resolves the second level against the current
# folder and loses the pool's objects). A folder that is missing, or a
# loop, is a warning; the scan goes on.
set -eu

top=$(pwd -P)

# The pool holds the first commit; the member adds one; the fork one more.
mkrepo seed
cd seed
tpool=$(mktoken) tmember=$(mktoken) tfork=$(mktoken)
printf 'P=%s\n' "$tpool" >pool.env
commit_at '2024-01-01 10:00:00 +0000' 'pool'
cpool=$(git rev-parse HEAD)
cd "$top"
git clone -q --bare seed pool.git
git clone -q --bare --shared pool.git member.git
printf '../../pool.git/objects\n' >member.git/objects/info/alternates
git clone -q --shared member.git work
cd work
printf 'M=%s\n' "$tmember" >member.env
commit_at '2024-01-02 10:00:00 +0000' 'member'
cmember=$(git rev-parse HEAD)
git push -q origin HEAD:main
cd "$top"
git clone -q --shared member.git fork
printf '../../../member.git/objects\n' >fork/.git/objects/info/alternates
cd fork
printf 'F=%s\n' "$tfork" >fork.env
commit_at '2024-01-03 10:00:00 +0000' 'fork'
cfork=$(git rev-parse HEAD)
cd "$top"
rm -rf work
git -C fork log --format=%H >/dev/null || fail "setup: git cannot read fork"

# expect_three: the three tokens, each at its own commit, nothing else.
expect_three() {
	expect_count 3
	expect_finding pool.env 1 3 "$tpool"
	expect_git "$tpool" commit="$cpool"
	expect_finding member.env 1 3 "$tmember"
	expect_git "$tmember" commit="$cmember"
	expect_finding fork.env 1 3 "$tfork"
	expect_git "$tfork" commit="$cfork"
}

# From a folder elsewhere, relative and absolute, -j 1 and 4; --unreachable.
mkdir -p elsewhere/deeper
cd elsewhere/deeper
for args in "-j 1 ../../fork" "-j 4 $top/fork" "--unreachable ../../fork"; do
	# shellcheck disable=SC2086 # args holds several words
	nfg git -f json $args
	expect_rc 1
	expect_no_stderr
	expect_three
done
cd "$top"

# A folder that does not exist and a loop (the pool naming the fork):
# warnings, each once, and the scan complete.
printf '../../../member.git/objects\n../../../gone.git/objects\n' \
	>fork/.git/objects/info/alternates
printf '../../fork/.git/objects\n' >pool.git/objects/info/alternates
cd elsewhere
nfg git -f json ../fork
cd "$top"
expect_rc 1
expect_three
assert_eq "$(sort "$WORK/err")" \
	"nfguard: warning: '$top/fork/.git/objects/info/alternates' names the object folder '../../../gone.git/objects': No such file or directory
nfguard: warning: '$top/pool.git/objects/info/alternates' names '$top/fork/.git/objects', which leads back to it: a loop, read once" \
	"stderr"
