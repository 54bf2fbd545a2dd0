#!/bin/sh
# nfguard install-hooks: where hooks go (core.hooksPath relative to the
# work tree root or absolute; the common git dir for worktrees), what it
# prints, and an existing hook that is not nfguard's: left alone (exit 2),
# kept and run first (--chain; its failure blocks the commit, a chained
# pre-push gets git's lines on stdin), or replaced (--force).
set -eu

top=$(pwd -P)
g() {
	env -u NFGUARD git "$@"
}
# out_is TEXT: the last stdout is exactly TEXT.
out_is() {
	assert_eq "$(cat "$WORK/out")" "$1" "stdout"
}

# Not a repository.
mkdir plain
nfg install-hooks plain
expect_rc 2
expect_stderr "'plain' is not a git repository"

# core.hooksPath, relative: relative to the work tree root, wherever
# install-hooks runs.
mkrepo r
cd r
mkdir -p sub/deeper
git config core.hooksPath .githooks
cd sub/deeper
nfg install-hooks
expect_rc 0
out_is "nfguard: installed $top/r/.githooks/pre-commit"
cd "$top/r"
[ -x .githooks/pre-commit ] || fail "no .githooks/pre-commit"
[ ! -e .git/hooks/pre-commit ] || fail "hook also in .git/hooks"
[ ! -e sub/deeper/.githooks ] || fail "hooksPath taken relative to the cwd"
printf 'x\n' >a.txt
git add a.txt
run_cmd g commit -q -m clean
expect_rc 0
t1=$(mktoken)
printf 'T=%s\n' "$t1" >b.env
git add b.env
head=$(git rev-parse HEAD)
run_cmd g commit -q -m token
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "$(redact "$t1")"
git reset -q
rm b.env
# Running it again updates the hooks.
cd "$top"
nfg install-hooks --pre-push r
expect_rc 0
out_is "nfguard: updated $top/r/.githooks/pre-commit
nfguard: installed $top/r/.githooks/pre-push"

# core.hooksPath, absolute.
git -C r config core.hooksPath "$top/shared-hooks"
nfg install-hooks r
expect_rc 0
out_is "nfguard: installed $top/shared-hooks/pre-commit"
[ -x shared-hooks/pre-commit ] || fail "no shared-hooks/pre-commit"
git -C r config --unset core.hooksPath

# An existing hook that is not nfguard's: exit 2, left untouched.
cd r
printf '#!/bin/sh\ntouch "%s/own-ran"\n' "$top" >.git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
cp .git/hooks/pre-commit "$top/own-hook"
nfg install-hooks
expect_rc 2
expect_stderr "nfguard: '$top/r/.git/hooks/pre-commit' exists and is not nfguard's: --chain keeps it and runs it first, --force replaces it"
cmp -s .git/hooks/pre-commit "$top/own-hook" || fail "the existing hook changed"
[ ! -e .git/hooks/pre-commit.nfguard-chained ] || fail "chained without --chain"
nfg install-hooks --force --chain
expect_rc 2
cmp -s .git/hooks/pre-commit "$top/own-hook" || fail "the existing hook changed"

# --chain keeps it as pre-commit.nfguard-chained and runs it first.
nfg install-hooks --chain
expect_rc 0
out_is "nfguard: installed (the existing hook runs first) $top/r/.git/hooks/pre-commit"
cmp -s .git/hooks/pre-commit.nfguard-chained "$top/own-hook" ||
	fail "the chained hook is not the old one"
printf 'y\n' >>a.txt
git add a.txt
run_cmd g commit -q -m 'clean, chained'
expect_rc 0
[ -e "$top/own-ran" ] || fail "the chained hook did not run"
rm "$top/own-ran"
printf 'T=%s\n' "$t1" >b.env
git add b.env
head=$(git rev-parse HEAD)
run_cmd g commit -q -m 'token, chained'
expect_rc 1
expect_ref . HEAD "$head"
[ -e "$top/own-ran" ] || fail "the chained hook did not run"
git reset -q
rm b.env
# The chained hook fails: the commit is blocked, even when it is clean.
printf '#!/bin/sh\necho "own hook says no" >&2\nexit 1\n' \
	>.git/hooks/pre-commit.nfguard-chained
printf 'z\n' >>a.txt
git add a.txt
run_cmd g commit -q -m 'clean, chained hook fails'
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "own hook says no"
rm .git/hooks/pre-commit.nfguard-chained
run_cmd g commit -q -m 'clean, chained hook gone'
expect_rc 0

# A chained pre-push gets git's lines on its stdin.
git init -q --bare -b main "$top/remote.git"
git remote add origin "$top/remote.git"
printf '#!/bin/sh\ncat >"%s/pre-push-stdin"\n' "$top" >.git/hooks/pre-push
chmod +x .git/hooks/pre-push
nfg install-hooks --pre-push --chain
expect_rc 0
out_is "nfguard: updated $top/r/.git/hooks/pre-commit
nfguard: installed (the existing hook runs first) $top/r/.git/hooks/pre-push"
run_cmd g push -q origin main
expect_rc 0
assert_eq "$(cat "$top/pre-push-stdin")" \
	"refs/heads/main $(git rev-parse main) refs/heads/main 0000000000000000000000000000000000000000" \
	"what the chained pre-push read"

# --force replaces an existing hook.
printf '#!/bin/sh\nexit 0\n' >.git/hooks/pre-commit
nfg install-hooks --force
expect_rc 0
out_is "nfguard: replaced the existing hook with $top/r/.git/hooks/pre-commit"
grep -q '" staged --hook --quiet' .git/hooks/pre-commit || fail "not nfguard's hook"
[ ! -e .git/hooks/pre-commit.nfguard-chained ] || fail "--force chained"
printf 'T=%s\n' "$t1" >b.env
git add b.env
head=$(git rev-parse HEAD)
run_cmd g commit -q -m 'token, forced'
expect_rc 1
expect_ref . HEAD "$head"
git reset -q
rm b.env

# A worktree: the hooks go to the common git dir, and a commit in the
# worktree is blocked.
g worktree add -q -b wt "$top/wt"
cd "$top/wt"
nfg install-hooks
expect_rc 0
out_is "nfguard: updated $top/r/.git/hooks/pre-commit"
[ ! -e "$(git rev-parse --git-dir)/hooks/pre-commit" ] ||
	fail "hook in the worktree's own git dir"
t2=$(mktoken)
printf 'W=%s\n' "$t2" >wt.env
git add wt.env
head=$(git rev-parse HEAD)
run_cmd g commit -q -m 'token in worktree'
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "wt.env:1:3"
expect_stderr "$(redact "$t2")"
git reset -q
rm wt.env
printf 'clean\n' >wt.txt
git add wt.txt
run_cmd g commit -q -m 'clean in worktree'
expect_rc 0
# In a fresh repository, install-hooks from a worktree installs there too.
cd "$top"
mkrepo r2
cd r2
commit_at '2024-01-01 10:00:00 +0000' c1
g worktree add -q -b wt2 "$top/wt2"
cd "$top/wt2"
nfg install-hooks
expect_rc 0
out_is "nfguard: installed $top/r2/.git/hooks/pre-commit"

# A hook kind git never runs where it is installed is a warning (still
# installed, exit 0): pre-commit in a bare repository, pre-receive in one
# with a work tree.
git init -q --bare kinds.git
mkrepo kinds
nfg install-hooks kinds.git
expect_rc 0
assert_eq "$(cat "$WORK/err")" "nfguard: warning: a bare repository has no work tree to commit from: git never runs its pre-commit hook (--pre-receive guards a server)" "stderr (bare, pre-commit)"
nfg install-hooks --pre-receive kinds
expect_rc 0
assert_eq "$(cat "$WORK/err")" "nfguard: warning: git runs pre-receive only in the repository pushed to, usually a bare one on a server: this one has a work tree" "stderr (work tree, pre-receive)"
nfg install-hooks --pre-receive kinds.git
expect_rc 0
expect_no_stderr
