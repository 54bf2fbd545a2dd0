#!/bin/sh
# The pre-push hook ('nfguard install-hooks --pre-push') with real
# 'git push' to a local bare remote: only the commits the remote lacks are
# scanned. A token in a pushed commit blocks the push (existing branch and
# new branch) and leaves the remote ref unchanged; a token in a commit the
# remote already has (pushed with --no-verify) does not block a clean new
# branch built on it; a deletion is allowed.
set -eu

top=$(pwd -P)
g() {
	env -u NFGUARD git "$@"
}

git init -q --bare -b main remote.git
mkrepo r
cd r
git remote add origin "$top/remote.git"
nfg install-hooks --pre-push
expect_rc 0
assert_eq "$(cat "$WORK/out")" "nfguard: installed $top/r/.git/hooks/pre-commit
nfguard: installed $top/r/.git/hooks/pre-push" "install-hooks output"

# First push of main (the remote has nothing): clean, allowed.
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' c1
run_cmd g push -q origin main
expect_rc 0
expect_ref "$top/remote.git" main "$(git rev-parse main)"

# A legacy token already on the remote (pushed with --no-verify).
tl=$(mktoken)
printf 'LEGACY=%s\n' "$tl" >legacy.env
git add legacy.env
g commit -q --no-verify -m legacy
run_cmd g push -q --no-verify origin main
expect_rc 0
legacy=$(git rev-parse main)
expect_ref "$top/remote.git" main "$legacy"

# An existing branch: a clean commit is pushed.
printf 'two\n' >>README.md
git add README.md
g commit -q -m c2
run_cmd g push -q origin main
expect_rc 0
c2=$(git rev-parse main)
expect_ref "$top/remote.git" main "$c2"

# A token in a new commit (followed by a clean one): blocked, remote
# unchanged, the token shown redacted with its path and line, the advice.
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >new.env
git add new.env
g commit -q --no-verify -m 'add key'
printf 'three\n' >>README.md
git add README.md
g commit -q -m c4
run_cmd g push origin main
expect_rc 1
expect_ref "$top/remote.git" main "$c2"
expect_output "new.env:2:5"
expect_output "$(redact "$t1")"
expect_stderr "nfguard: push stopped"
expect_stderr "Revoke"
expect_stderr "Rewrite the commits"
expect_no_output "$t1"
expect_no_output "$(redact "$tl")"
# The same token removed again in a later commit: still in the pushed
# history, still blocked.
git rm -q new.env
g commit -q -m 'remove key'
run_cmd g push origin main
expect_rc 1
expect_ref "$top/remote.git" main "$c2"
expect_output "$(redact "$t1")"
git reset -q --hard "$c2"

# A token in a commit message blocks too.
t2=$(mktoken)
g commit -q --allow-empty -m "$(printf 'debug\n\nused %s' "$t2")"
run_cmd g push origin main
expect_rc 1
expect_ref "$top/remote.git" main "$c2"
expect_output "$(redact "$t2")"
git reset -q --hard "$c2"

# A new branch (remote sha all zeros) built on the legacy commit: only its
# own commits are scanned. Clean: allowed.
git checkout -q -b feature "$legacy"
printf 'feature\n' >feature.txt
git add feature.txt
g commit -q -m feature
run_cmd g push -q origin feature
expect_rc 0
expect_no_stderr
expect_ref "$top/remote.git" feature "$(git rev-parse feature)"
# A new branch whose own commit holds a token: blocked, not created.
git checkout -q -b leaky "$c2"
t3=$(mktoken)
printf 'x: %s\n' "$t3" >leak.yml
git add leak.yml
g commit -q --no-verify -m leak
run_cmd g push origin leaky
expect_rc 1
expect_ref "$top/remote.git" leaky '<none>'
expect_output "leak.yml:1:4"
expect_output "$(redact "$t3")"
expect_no_output "$(redact "$tl")"
# Several refs in one push: the clean one is not pushed either.
git checkout -q main
printf 'four\n' >>README.md
git add README.md
g commit -q -m c5
run_cmd g push origin main leaky
expect_rc 1
expect_ref "$top/remote.git" main "$c2"
expect_ref "$top/remote.git" leaky '<none>'
run_cmd g push -q origin main
expect_rc 0
expect_ref "$top/remote.git" main "$(git rev-parse main)"

# A deletion is allowed, even of a branch that holds a token.
git push -q --no-verify origin leaky
expect_ref "$top/remote.git" leaky "$(git rev-parse leaky)"
run_cmd g push -q origin :leaky
expect_rc 0
expect_ref "$top/remote.git" leaky '<none>'
run_cmd g push -q origin --delete feature
expect_rc 0
expect_ref "$top/remote.git" feature '<none>'

# Pushing by URL (git passes the URL as the remote's name): a new clean
# branch on the legacy commit is still judged by its own commits only,
# since the URL is origin's and origin's refs say what the remote has.
git checkout -q -b by-url "$legacy"
printf 'by url\n' >by-url.txt
git add by-url.txt
g commit -q -m 'by url'
run_cmd g push -q "$top/remote.git" by-url
expect_rc 0
expect_ref "$top/remote.git" by-url "$(git rev-parse by-url)"
