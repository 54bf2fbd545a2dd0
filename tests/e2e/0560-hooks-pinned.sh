#!/bin/sh
# The hooks are gates whatever a CI-minded .nfguard.json says: with
# {"format": "sarif", "exit_code": 0, "fail_on": "live"} in the
# repository, the pre-commit, pre-push and pre-receive hooks (--hook)
# still refuse a token with a human report and exit 1, and say "stopped"
# only then; the config's suppressions still apply. Run by hand, staged
# says "would be stopped", and the same config without --verify is exit 2.
set -eu

top=$(pwd -P)
g() {
	env -u NFGUARD git "$@"
}
# line_in FILE LINE: FILE has exactly LINE as one of its lines.
line_in() {
	grep -qxF -- "$2" "$1" || {
		cat "$1" >&2
		fail "no line '$2'"
	}
}
ci='{"format": "sarif", "exit_code": 0, "fail_on": "live",
 "allow_paths": ["fixtures/"]}'
stopped='The commit was stopped: nothing has left this machine yet.'
would='The commit would be stopped: nothing has left this machine yet.'
push='nfguard: push stopped: the commits above carry a Notiflows account token.'

git init -q --bare -b main remote.git
mkrepo r
cd r
git remote add origin "$top/remote.git"
printf '%s\n' "$ci" >.nfguard.json
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' c1
g push -q origin main
c1=$(git rev-parse HEAD)
nfg install-hooks --pre-push
expect_rc 0

# pre-commit: a staged token is refused with the human report.
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >app.env
git add app.env
run_cmd g commit -q -m token
expect_rc 1
expect_ref . HEAD "$c1"
line_in "$WORK/err" "$stopped"
expect_stderr "app.env:2:5"
expect_stderr "$(redact "$t1")"
expect_no_output 'sarif-2.1.0'
expect_no_output "$would"
expect_no_output "$t1"

# The config's suppressions still apply: an allowed path commits.
git reset -q
mkdir fixtures
printf 'KEY=%s\n' "$(mktoken)" >fixtures/sample.env
git add fixtures
run_cmd g commit -q -m fixture
expect_rc 0
expect_no_output "stopped"
c2=$(git rev-parse HEAD)

# Run by hand: the config alone is refused; without it, "would be".
git add app.env
nfg staged
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: $top/r/.nfguard.json: key 'fail_on': 'live' needs --verify" \
	"stderr of staged by hand"
nfg staged --no-config --no-color
expect_rc 1
line_in "$WORK/out" "$would"
expect_no_output "$stopped"
nfg staged --hook --no-color
expect_rc 1
line_in "$WORK/out" "$stopped"
expect_no_output "$would"
nfg dir .
expect_rc 2
nfg git .
expect_rc 2
expect_stderr "key 'fail_on': 'live' needs --verify"

# pre-push: a commit holding a token (made with --no-verify) is refused.
g commit -q --no-verify -m token
run_cmd g push origin main
expect_rc 1
expect_ref "$top/remote.git" main "$c1"
line_in "$WORK/err" "$push"
expect_output "app.env:2:5"
expect_output "$(redact "$t1")"
expect_no_output 'sarif-2.1.0'
expect_no_output "$t1"
git reset -q --hard "$c2"
run_cmd g push -q origin main
expect_rc 0
expect_ref "$top/remote.git" main "$c2"

# pre-receive on a server whose folder holds the same config.
cd "$top"
printf '%s\n' "$ci" >remote.git/.nfguard.json
nfg install-hooks --pre-receive remote.git
expect_rc 0
cd remote.git
nfg git
expect_rc 2
expect_stderr "remote.git/.nfguard.json: key 'fail_on'"
cd ../r
t2=$(mktoken)
printf 'K=%s\n' "$t2" >srv.env
git add srv.env
g commit -q --no-verify -m token2
run_cmd g push --no-verify origin main
expect_rc 1
expect_ref "$top/remote.git" main "$c2"
expect_stderr "remote: nfguard: push rejected"
expect_stderr "srv.env:1:3"
expect_no_output 'sarif-2.1.0'
expect_no_output "$t2"
