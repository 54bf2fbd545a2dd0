#!/bin/sh
# The pre-commit hook installed by 'nfguard install-hooks', run by real
# 'git commit': a staged token blocks the commit (nothing is committed,
# stderr shows where, the redacted token and the advice); a clean commit,
# a token only in the work tree, in the unstaged part of a file or on a
# line committed before do not. 'git commit -a' and 'git commit PATH'
# (a temporary index) and a merge's conflict resolution are judged by
# what they commit. The hook needs no nfguard on PATH (it names the
# installing binary) and honours $NFGUARD.
set -eu

top=$(pwd -P)
bin=$(realpath "$NFGUARD")

# git runs the hook without $NFGUARD, and with an 'nfguard' on PATH that
# would let everything through: the hook must not use it.
mkdir fakebin
printf '#!/bin/sh\ntouch "%s/fake-ran"\nexit 0\n' "$top" >fakebin/nfguard
chmod +x fakebin/nfguard
PATH="$top/fakebin:$PATH"
export PATH
g() {
	env -u NFGUARD git "$@"
}

mkrepo r
cd r
nfg install-hooks
expect_rc 0
assert_eq "$(cat "$WORK/out")" "nfguard: installed $top/r/.git/hooks/pre-commit" \
	"install-hooks output"
[ -x .git/hooks/pre-commit ] || fail "pre-commit hook not executable"
grep -qF "$bin" .git/hooks/pre-commit ||
	fail "the hook does not name $bin: $(cat .git/hooks/pre-commit)"
[ ! -e .git/hooks/pre-push ] || fail "pre-push installed without --pre-push"

# A clean first commit (unborn HEAD) is allowed.
printf 'readme\n' >README.md
printf 'a\nb\nc\n' >app.cfg
git add README.md app.cfg
run_cmd g commit -q -m first
expect_rc 0
c1=$(git rev-parse HEAD)

# A staged token blocks the commit.
t1=$(mktoken)
printf 'a\nTOKEN=%s\nc\n' "$t1" >app.cfg
git add app.cfg
run_cmd g commit -q -m 'add token'
expect_rc 1
expect_ref . HEAD "$c1"
expect_stderr "app.cfg:2:7"
expect_stderr "$(redact "$t1")"
expect_stderr 'nothing has left this machine'
expect_stderr 'git restore --staged'
expect_stderr 'nfguard:allow'
expect_no_output "$t1"
[ ! -e "$top/fake-ran" ] || fail "the hook ran the nfguard found on PATH"
# --no-verify skips hooks, as git documents (used below to plant tokens).
git reset -q

# The token only in the work tree (unstaged) does not block a commit of
# another file; it stays uncommitted.
printf 'more\n' >>README.md
git add README.md
run_cmd g commit -q -m 'readme only'
expect_rc 0
c2=$(git rev-parse HEAD)
[ "$c2" != "$c1" ] || fail "no new commit"
git diff --quiet -- app.cfg && fail "app.cfg lost its unstaged change"

# A partially staged file: the staged version has no token, the work tree
# adds one. Allowed, and the commit holds the staged version.
printf 'a\nb\nc\nd\n' >app.cfg
git add app.cfg
printf 'a\nb\nc\nd\nTOKEN=%s\n' "$t1" >app.cfg
run_cmd g commit -q -m 'partial'
expect_rc 0
c3=$(git rev-parse HEAD)
[ "$c3" != "$c2" ] || fail "no new commit"
assert_eq "$(git show HEAD:app.cfg)" "$(printf 'a\nb\nc\nd')" "committed app.cfg"

# 'git commit -a' and 'git commit PATH' commit the work tree through a
# temporary index: blocked, nothing committed.
run_cmd g commit -q -a -m 'all'
expect_rc 1
expect_ref . HEAD "$c3"
expect_stderr "app.cfg:5:7"
run_cmd g commit -q -m 'path' app.cfg
expect_rc 1
expect_ref . HEAD "$c3"
expect_stderr "app.cfg:5:7"
# 'git commit -a' ignores untracked files: a token in one does not block.
git checkout -q -- app.cfg
printf 'U=%s\n' "$t1" >untracked.env
printf 'b2\n' >>README.md
run_cmd g commit -q -a -m 'all clean'
expect_rc 0
c4=$(git rev-parse HEAD)
rm untracked.env

# A token committed before (with --no-verify) on a line the next commit
# does not touch does not block that commit.
t2=$(mktoken)
printf 'OLD=%s\nx=1\n' "$t2" >old.env
git add old.env
g commit -q --no-verify -m 'legacy token'
printf 'OLD=%s\nx=2\n' "$t2" >old.env
git add old.env
run_cmd g commit -q -m 'change x'
expect_rc 0
[ "$(git rev-parse HEAD^)" != "$c4" ] || fail "legacy commit missing"

# A merge whose conflict resolution adds a token: blocked, the merge stays
# in progress; a clean resolution is committed as a merge.
git checkout -q -b side
printf 'x=side\n' >conflict.txt
git add conflict.txt
g commit -q -m side
git checkout -q main
printf 'x=main\n' >conflict.txt
git add conflict.txt
g commit -q -m main
cmain=$(git rev-parse HEAD)
run_cmd g merge side
expect_rc 1
t3=$(mktoken)
printf 'x=%s\n' "$t3" >conflict.txt
git add conflict.txt
run_cmd g commit -q --no-edit
expect_rc 1
expect_ref . HEAD "$cmain"
expect_stderr "conflict.txt:1:3"
expect_stderr "$(redact "$t3")"
[ -f .git/MERGE_HEAD ] || fail "the merge is no longer in progress"
printf 'x=both\n' >conflict.txt
git add conflict.txt
run_cmd g commit -q --no-edit
expect_rc 0
assert_eq "$(git rev-list --parents -n 1 HEAD | wc -w)" 3 \
	"words in 'commit parents' of the merge"

# $NFGUARD overrides the binary the hook runs.
printf '#!/bin/sh\ntouch "%s/wrapper-ran"\nexec "%s" "$@"\n' "$top" "$bin" \
	>"$top/wrapper"
chmod +x "$top/wrapper"
t4=$(mktoken)
printf 'W=%s\n' "$t4" >w.env
git add w.env
head=$(git rev-parse HEAD)
run_cmd env NFGUARD="$top/wrapper" git commit -q -m wrapped
expect_rc 1
[ -e "$top/wrapper-ran" ] || fail "the hook did not run \$NFGUARD"
expect_ref . HEAD "$head"
expect_stderr "$(redact "$t4")"
[ ! -e "$top/fake-ran" ] || fail "the hook ran the nfguard found on PATH"

# A bare repository used with --work-tree (dotfiles): git exports
# GIT_DIR and GIT_WORK_TREE to the hook. A clean commit is allowed, a
# token blocked.
cd "$top"
git init -q --bare -b main dot.git
nfg install-hooks dot.git
expect_rc 0
mkdir home
printf 'set -o vi\n' >home/.bashrc
git --git-dir=dot.git --work-tree=home add .bashrc
run_cmd g --git-dir=dot.git --work-tree=home commit -q -m clean
expect_rc 0
expect_no_stderr
t5=$(mktoken)
printf 'export NOTIFLOWS_TOKEN=%s\n' "$t5" >>home/.bashrc
git --git-dir=dot.git --work-tree=home add .bashrc
dhead=$(git --git-dir=dot.git rev-parse HEAD)
run_cmd g --git-dir=dot.git --work-tree=home commit -q -m token
expect_rc 1
expect_ref dot.git HEAD "$dhead"
expect_stderr ".bashrc:2:24"
