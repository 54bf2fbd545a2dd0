#!/bin/sh
# nfguard staged reads every index git writes: split (core.splitIndex:
# entries replaced, deleted and added on top of a shared index), sparse
# (directories outside the cone as tree entries, expanded), with an
# untracked cache or fsmonitor data, version 3 (intent-to-add and
# skip-worktree flags) and version 4 (prefix-compressed paths). In each a
# staged token is one finding at its staged path, line and column, and a
# clean index exits 0. A corrupt index, a missing shared index: exit 2.
set -eu

top=$(pwd -P)

# base DIR: a repository with one commit of clean files in folders.
base() {
	mkrepo "$1"
	mkdir -p "$1/src/app" "$1/out/deep" "$1/docs"
	printf 'one\ntwo\n' >"$1/src/app/main.c"
	printf 'keep\n' >"$1/src/app/util.c"
	printf 'y\n' >"$1/out/y.txt"
	printf 'z\n' >"$1/out/deep/z.txt"
	printf 'readme\n' >"$1/docs/README"
	(cd "$1" && commit_at "2024-01-02 03:04:05 +0000" base)
}

# has_ext SIG: the index of the current repository holds extension SIG.
has_ext() {
	LC_ALL=C grep -aq "$1" .git/index || fail "the index has no '$1'"
}

# index_version N: the index of the current repository is version N.
index_version() {
	assert_eq "$(od -An -tu1 -j7 -N1 .git/index | tr -d ' ')" "$1" \
		"index version"
}

# staged_one PATH LINE COLUMN TOKEN: staged finds TOKEN there, alone.
staged_one() {
	nfg staged -f json
	expect_rc 1
	expect_count 1
	expect_finding "$@"
}

# staged_clean: nothing staged; stderr says only that.
staged_clean() {
	nfg staged -f json
	expect_rc 0
	expect_count 0
	! grep -v '^nfguard: warning: nothing was scanned' "$WORK/err" ||
		fail "stderr says more than that nothing was scanned"
}

# status_shape SIG PATH: a token staged in a new file PATH, git status
# run before and after (it writes the untracked cache and fsmonitor
# data), the index holding extension SIG: one finding at PATH 1:3; then
# committed, nothing staged.
status_shape() {
	_ss_t=$(mktoken)
	git status --porcelain >/dev/null
	printf 'K=%s\n' "$_ss_t" >"$2"
	git add "$2"
	git status --porcelain >/dev/null
	has_ext "$1"
	staged_one "$2" 1 3 "$_ss_t"
	git commit -q --no-verify -m "$1"
	git status --porcelain >/dev/null
	staged_clean
}

# Split index: a changed file (a replacement in the split index), a
# deleted one and a new one, the shared index holding the rest.
base split
cd split
git config splitIndex.maxPercentChange 100
git update-index --split-index
t1=$(mktoken)
printf 'one\nK=%s\ntwo\n' "$t1" >src/app/main.c
git rm -q docs/README
printf 'new\n' >src/app/new.c
git add src/app/main.c src/app/new.c
has_ext link
ls .git/sharedindex.* >/dev/null
staged_one src/app/main.c 2 3 "$t1"
git commit -q --no-verify -m split
staged_clean
# A commit through the hook on a split index: blocked with a token,
# through without one; git commit -a names a temporary index.
nfguard install-hooks >/dev/null
t2=$(mktoken)
printf 'T=%s\n' "$t2" >src/app/util.c
run_cmd git commit -q -a -m leak
[ "$rc" != 0 ] || fail "the hook let a token through a split index"
expect_output "src/app/util.c:1:3"
git checkout -q -- src/app/util.c
printf 'clean\n' >src/app/util.c
run_cmd git commit -q -a -m clean
expect_rc 0
# Its shared index gone: exit 2, named (its id follows "link" and the
# extension's size).
off=$(LC_ALL=C grep -abo link .git/index | head -n 1 | cut -d: -f1)
shared=sharedindex.$(od -An -tx1 -j$((off + 8)) -N20 .git/index | tr -d ' \n')
[ -f ".git/$shared" ] || fail "no .git/$shared"
mv ".git/$shared" "$top/"
nfg staged -f json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot read the index '$top/split/.git/index': its shared index '$shared' is missing" \
	"stderr"
mv "$top/$shared" .git/
staged_clean
cd "$top"

# Sparse index: out/ is one entry (a tree) outside the cone. Nothing
# staged there is nothing found; a soft reset leaves out/ at a tree that
# differs from HEAD's: its new token is staged, at its path.
base sparse
cd sparse
t3=$(mktoken)
printf 'z\nZ=%s\n' "$t3" >out/deep/z.txt
commit_at "2024-01-03 03:04:05 +0000" deep
git sparse-checkout init --cone --sparse-index
git sparse-checkout set src
has_ext sdir
assert_eq "$(git ls-files --sparse -s | awk '$4 == "out/" { print $1 }')" \
	040000 "mode of the sparse directory out/"
staged_clean
t4=$(mktoken)
printf 'S=%s\n' "$t4" >src/app/s.env
git add src/app/s.env
staged_one src/app/s.env 1 3 "$t4"
git reset -q
rm src/app/s.env
git reset -q --soft HEAD~1
assert_eq "$(git ls-files --sparse | grep -c '^out/$')" 1 "out/ still sparse"
staged_one out/deep/z.txt 2 3 "$t3"
cd "$top"

# Untracked cache.
base untr
cd untr
git config core.untrackedCache true
git update-index --untracked-cache
printf 'u\n' >untracked.txt
status_shape UNTR src/app/u.env
cd "$top"

# fsmonitor data, from a hook that reports nothing changed.
base fsm
cd fsm
printf '#!/bin/sh\nprintf "/\\0"\n' >.git/fsmon
chmod +x .git/fsmon
git config core.fsmonitor .git/fsmon
git config core.fsmonitorHookVersion 1
git update-index --fsmonitor
status_shape FSMN docs/f.env
cd "$top"

# Version 3: an intent-to-add file (its token is not staged) and a
# skip-worktree one beside the staged token.
base v3
cd v3
git update-index --skip-worktree src/app/util.c
t7=$(mktoken) t8=$(mktoken)
printf 'I=%s\n' "$t7" >ita.env
git add -N ita.env
printf 'one\ntwo\n  V=%s\n' "$t8" >src/app/main.c
git add src/app/main.c
index_version 3
staged_one src/app/main.c 3 5 "$t8"
expect_no_token "$t7"
git rm -q --cached ita.env
git commit -q --no-verify -m v3
staged_clean
cd "$top"

# Version 4: paths compressed against the previous one.
base v4
cd v4
git update-index --index-version 4
t9=$(mktoken)
printf 'x\nx\nx\nW=%s\n' "$t9" >src/app/mainz.c
git add src/app/mainz.c
index_version 4
staged_one src/app/mainz.c 4 3 "$t9"
git commit -q --no-verify -m v4
staged_clean

# A corrupt index (one byte of an entry's stat data flipped): exit 2.
printf '\377' | dd of=.git/index bs=1 seek=20 conv=notrunc 2>/dev/null
nfg staged -f json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot read the index '$top/v4/.git/index': checksum mismatch" \
	"stderr"
