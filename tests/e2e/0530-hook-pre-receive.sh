#!/bin/sh
# The server-side pre-receive hook ('nfguard install-hooks --pre-receive
# BARE') with real pushes into a bare repository: a push whose new commits
# carry a token is rejected (the client sees "remote: nfguard: push
# rejected" and the redacted token) and changes no ref; clean pushes, new
# branches made only of commits the server has (even one holding a legacy
# token), and deletions are accepted.
set -eu

top=$(pwd -P)
g() {
	env -u NFGUARD git "$@"
}

git init -q --bare -b main srv.git
mkrepo c
cd c
git remote add origin "$top/srv.git"
# Legacy history, on the server before the hook existed.
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' c1
tl=$(mktoken)
printf 'LEGACY=%s\n' "$tl" >legacy.env
commit_at '2024-01-02 10:00:00 +0000' legacy
legacy=$(git rev-parse HEAD)
g push -q origin main
cd "$top"

nfg install-hooks --pre-receive srv.git
expect_rc 0
assert_eq "$(cat "$WORK/out")" "nfguard: installed $top/srv.git/hooks/pre-receive" \
	"install-hooks output"
[ -x srv.git/hooks/pre-receive ] || fail "pre-receive not installed"
[ ! -e srv.git/hooks/pre-commit ] || fail "pre-commit installed in the server"
cd c

# A clean push to an existing branch: accepted.
printf 'two\n' >>README.md
commit_at '2024-01-03 10:00:00 +0000' c3
run_cmd g push origin main
expect_rc 0
c3=$(git rev-parse HEAD)
expect_ref "$top/srv.git" main "$c3"

# A token in a pushed commit: rejected, the server's ref unchanged.
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >new.env
commit_at '2024-01-04 10:00:00 +0000' 'add key'
printf 'three\n' >>README.md
commit_at '2024-01-05 10:00:00 +0000' c5
run_cmd g push origin main
expect_rc 1
expect_ref "$top/srv.git" main "$c3"
expect_stderr "remote: nfguard: push rejected"
expect_stderr "new.env:2:5"
expect_stderr "$(redact "$t1")"
expect_stderr "pre-receive hook declined"
expect_no_output "$t1"
expect_no_output "$(redact "$tl")"
git reset -q --hard "$c3"

# A new branch at a commit the server has (it holds the legacy token):
# nothing new, accepted.
run_cmd g push origin "$legacy:refs/heads/old"
expect_rc 0
expect_ref "$top/srv.git" old "$legacy"
# A new branch with a new clean commit on the legacy one: accepted.
git checkout -q -b feature "$legacy"
printf 'feature\n' >feature.txt
commit_at '2024-01-06 10:00:00 +0000' feature
run_cmd g push origin feature
expect_rc 0
expect_ref "$top/srv.git" feature "$(git rev-parse feature)"
# A new branch whose own commit holds a token: rejected, not created.
git checkout -q -b leaky "$c3"
t2=$(mktoken)
printf 'x: %s\n' "$t2" >leak.yml
commit_at '2024-01-07 10:00:00 +0000' leak
run_cmd g push origin leaky
expect_rc 1
expect_ref "$top/srv.git" leaky '<none>'
expect_stderr "remote: nfguard: push rejected"
expect_stderr "$(redact "$t2")"

# Deletions are accepted.
run_cmd g push origin :old
expect_rc 0
expect_ref "$top/srv.git" old '<none>'
run_cmd g push origin --delete feature
expect_rc 0
expect_ref "$top/srv.git" feature '<none>'
