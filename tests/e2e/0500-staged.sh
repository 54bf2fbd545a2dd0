#!/bin/sh
# nfguard staged: what the next commit would add. The index against HEAD
# (the whole index before the first commit), tokens on added lines only,
# with the staged path, line and column; the staged blob is read, not the
# work tree. Renames report nothing; a binary file reports the tokens its
# HEAD version lacked. The repository is found like git (cwd, REPO,
# GIT_DIR, GIT_INDEX_FILE).
set -eu

top=$(pwd -P)
mkrepo r
cd r

# Unborn HEAD: the whole index is scanned; an untracked file is not.
t1=$(mktoken) t2=$(mktoken) tu=$(mktoken)
printf 'a\nK=%s\n' "$t1" >one.env
mkdir -p cfg
printf '# settings\n\n\tkey: "%s"\n' "$t2" >cfg/app.yml
printf 'U=%s\n' "$tu" >untracked.env
git add one.env cfg/app.yml
nfg staged -f json
expect_rc 1
expect_count 2
expect_finding one.env 2 3 "$t1"
expect_finding cfg/app.yml 3 8 "$t2"
expect_no_token "$tu"
assert_eq "$(jq_out '.scan.command')" staged "scan.command"
# The same from a subfolder, and with REPO given from outside.
cd cfg
nfg staged -f json
expect_rc 1
expect_count 2
cd "$top"
nfg staged -f json r
expect_rc 1
expect_count 2
expect_finding cfg/app.yml 3 8 "$t2"
cd r
rm untracked.env
git commit -q --no-verify -m initial

# Nothing staged: exit 0. The human report says so, --quiet says nothing.
nfg staged --no-color
expect_rc 0
expect_stdout 'no findings'
nfg staged --quiet --no-color
expect_rc 0
[ ! -s "$WORK/out" ] || fail "--quiet printed: $(cat "$WORK/out")"

# A new token on a new first line moves the old one to line 3: only the
# added line is reported, at its staged line. A token added to the work
# tree after staging (a partially staged file) is not.
t3=$(mktoken) t4=$(mktoken)
printf 'N=%s\na\nK=%s\n' "$t3" "$t1" >one.env
git add one.env
printf 'N=%s\na\nK=%s\nW=%s\n' "$t3" "$t1" "$t4" >one.env
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding one.env 1 3 "$t3"
expect_no_token "$t4"
# The work tree alone (nothing staged) blocks nothing.
git reset -q
nfg staged -f json
expect_rc 0
expect_count 0
git checkout -q -- one.env

# A changed line: the token on it counts as added, even if the token was
# already elsewhere in the file.
printf 'a\nK=%s # changed\n' "$t1" >one.env
git add one.env
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding one.env 2 3 "$t1"
git reset -q --hard

# The human report names path:line:column, the redacted token, and says
# that nothing has left the machine, how to unstage, how to allow.
t5=$(mktoken)
printf 'x = 1\ny = "%s"\n' "$t5" >new.py
git add new.py
nfg staged --no-color
expect_rc 1
expect_stdout "new.py:2:6"
expect_stdout "$(redact "$t5")"
expect_stdout "$(fp "$t5")"
expect_stdout 'nothing has left this machine'
expect_stdout 'git restore --staged'
expect_stdout 'nfguard:allow'
expect_stdout '.nfguardignore'
expect_no_output "$t5"
nfg staged --quiet --no-color
expect_rc 1
expect_stdout "$(redact "$t5")"
git reset -q --hard

# A pure rename of a file holding a token reports nothing; a rename with
# an added line reports that line only, at the new path.
git mv one.env moved.env
nfg staged -f json
expect_rc 0
expect_count 0
printf 'M=%s\n' "$t3" >>moved.env
git add moved.env
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding moved.env 3 3 "$t3"
git reset -q --hard

# A deletion adds nothing.
git rm -q one.env
nfg staged -f json
expect_rc 0
expect_count 0
git reset -q --hard

# Binary files: a new token is reported (line and column count bytes,
# lines end at \n); the tokens the HEAD version already had are not.
tb1=$(mktoken) tb2=$(mktoken)
{
	printf '\000\001\002bin '
	printf '%s\000' "$tb1"
} >blob.bin
git add blob.bin
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding blob.bin 1 8 "$tb1"
git commit -q --no-verify -m binary
{
	printf '\000\001\002bin '
	printf '%s\000\n\377' "$tb1"
	printf '%s' "$tb2"
} >blob.bin
git add blob.bin
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding blob.bin 2 2 "$tb2"
expect_no_token "$tb1"
git reset -q --hard

# GIT_INDEX_FILE: the index git names is read (git commit -a and
# git commit PATH use a temporary one); GIT_DIR from outside the tree.
t6=$(mktoken)
printf 'I=%s\n' "$t6" >idx.env
GIT_INDEX_FILE="$top/alt-index" git read-tree HEAD
GIT_INDEX_FILE="$top/alt-index" git add idx.env
GIT_INDEX_FILE="$top/alt-index" nfg staged -f json
expect_rc 1
expect_count 1
expect_finding idx.env 1 3 "$t6"
nfg staged -f json
expect_rc 0
expect_count 0
cd "$top"
GIT_DIR="$top/r/.git" GIT_INDEX_FILE="$top/alt-index" nfg staged -f json
expect_rc 1
expect_count 1
expect_finding idx.env 1 3 "$t6"

# Not a repository.
mkdir plain
nfg staged plain
expect_rc 2
expect_stderr "'plain' is not a git repository"

# GIT_WORK_TREE too, as git exports it to hooks for
# 'git --git-dir=D --work-tree=W commit' (a bare repository of dotfiles).
GIT_DIR="$top/r/.git" GIT_WORK_TREE="$top/r" \
	GIT_INDEX_FILE="$top/alt-index" nfg staged -f json
expect_rc 1
expect_count 1
expect_finding idx.env 1 3 "$t6"
