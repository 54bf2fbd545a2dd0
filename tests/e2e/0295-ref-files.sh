#!/bin/sh
# Ref files libgit2 passes over without a word: a loose ref holding
# garbage (the commits only it holds would go unscanned), a HEAD git
# would refuse, a shallow file with a line that is not an object id. Each
# is an error naming the file (exit 2); a ref lock file is not a ref.
set -eu

tok=$(mktoken)
mkrepo repo
cd repo
echo "one" >a.txt
commit_at "2024-01-01 00:00:00 +0000" "a"
git checkout -q --orphan side
git rm -q -rf .
echo "K=$tok" >b.txt
commit_at "2024-01-02 00:00:00 +0000" "b"
side=$(git rev-parse HEAD)
git checkout -q main
cd ..

# The clean repository: the token on branch side, one finding; a lock
# file left by a running git is not a ref.
echo "garbage" >repo/.git/refs/heads/main.lock
nfg git -f json repo
expect_rc 1
expect_count 1
expect_git "$tok" path=b.txt commit="$side"
expect_no_stderr
rm repo/.git/refs/heads/main.lock

# The branch's file garbled: its commit is reachable from no ref left.
cp repo/.git/refs/heads/side side.ref
echo "garbage" >repo/.git/refs/heads/side
nfg git -f json repo
expect_rc 2
expect_count 0
assert_eq "$(jq_out '.scan.errors')" 1 "scan.errors"
assert_eq "$(cat "$WORK/err")" "nfguard: ref 'refs/heads/side' cannot be read, so what only it holds was not scanned: corrupted loose reference file: refs/heads/side" "stderr"
cp side.ref repo/.git/refs/heads/side

# HEAD garbled: the refs are still scanned, and the scan is incomplete.
cp repo/.git/HEAD head.ref
echo "garbage" >repo/.git/HEAD
nfg git -f json repo
expect_rc 2
expect_count 1
assert_eq "$(cat "$WORK/err")" "nfguard: HEAD cannot be read: corrupted loose reference file: HEAD" "stderr"
cp head.ref repo/.git/HEAD

# A shallow clone whose shallow file gained a line that is no id.
git clone -q --depth 1 --no-single-branch "file://$PWD/repo" shallow
nfg git -f json shallow
expect_rc 1
expect_count 1
echo "zz" >>shallow/.git/shallow
nfg git -f json shallow
expect_rc 2
expect_count 1
expect_stderr "nfguard: '$PWD/shallow/.git/shallow' line 3 is not an object id"
