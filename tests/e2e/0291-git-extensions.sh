#!/bin/sh
# Repository extensions libgit2 1.5 does not know but that change nothing
# for a reader are read: preciousObjects, worktreeConfig (what a sparse
# checkout sets), partialClone (as git before 2.27 wrote it) — a partial
# clone's missing blobs are each reported, exit 2, the rest is scanned.
set -eu

# Every repository here has format version 1, whose extension check leaks
# inside libgit2 1.5 (git_regexp_match frees nothing for a config key that
# does not match): not ours, so leak checking is off under ASan;
# valgrind still checks, with that one leak named in tests/valgrind.supp.
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
export ASAN_OPTIONS

top=$(pwd -P)

# preciousObjects: objects must never be deleted; nfguard deletes none.
mkrepo precious
cd precious
tp=$(mktoken)
printf 'P=%s\n' "$tp" >p.env
commit_at '2024-01-01 10:00:00 +0000' 'precious'
cp=$(git rev-parse HEAD)
git config core.repositoryformatversion 1
git config extensions.preciousObjects true
git log --oneline >/dev/null
cd "$top"
nfg git -f json precious
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding p.env 1 3 "$tp"
expect_git "$tp" commit="$cp" location=file

# worktreeConfig, set by a sparse checkout: history and staged both read.
mkrepo sparse
cd sparse
ts=$(mktoken) tst=$(mktoken)
mkdir -p keep skip
printf 'S=%s\n' "$ts" >keep/s.env
printf 'x\n' >skip/x.txt
commit_at '2024-01-02 10:00:00 +0000' 'sparse'
cs=$(git rev-parse HEAD)
git sparse-checkout set keep
assert_eq "$(git config extensions.worktreeConfig)" true "setup: extension"
# git 2.39 leaves the version at 0, where extensions mean nothing; later
# versions (and 'git worktree' users, as its manual advises) raise it.
git config core.repositoryformatversion 1
git config --worktree core.sparseCheckoutCone true
printf 'T=%s\n' "$tst" >keep/t.env
git add keep/t.env
cd "$top"
nfg git -f json sparse
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding keep/s.env 1 3 "$ts"
expect_git "$ts" commit="$cs"
nfg staged -f json sparse
expect_rc 1
expect_count 1
expect_finding keep/t.env 1 3 "$tst"

# partialClone: the blob the remote kept back is reported by id (exit 2),
# the one checked out is found.
mkrepo origin
cd origin
git config uploadpack.allowFilter true
told=$(mktoken) tnew=$(mktoken)
printf 'O=%s\n' "$told" >a.env
commit_at '2024-01-03 10:00:00 +0000' 'old'
bold=$(git rev-parse HEAD:a.env)
printf 'N=%s\n' "$tnew" >a.env
commit_at '2024-01-04 10:00:00 +0000' 'new'
cnew=$(git rev-parse HEAD)
cd "$top"
git clone -q --filter=blob:none "file://$top/origin" partial 2>/dev/null
cd partial
# (rev-list, unlike cat-file, does not fetch what is missing)
git rev-list --objects --missing=print --all | grep -qx "?$bold" ||
	fail "setup: the old blob is not missing"
git config core.repositoryformatversion 1
git config extensions.partialClone origin
cd "$top"
nfg git -f json partial
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot read blob $bold: object not found - no match for id ($bold)" \
	"stderr"
expect_count 1
expect_finding a.env 1 3 "$tnew"
expect_git "$tnew" commit="$cnew"
assert_eq "$(jq_out .scan.errors)" 1 "scan.errors"
