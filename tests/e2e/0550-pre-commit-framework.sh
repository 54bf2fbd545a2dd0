#!/bin/sh
# The pre-commit framework (https://pre-commit.com, Debian package
# pre-commit) runs nfguard from this checkout's .pre-commit-hooks.yaml:
# 'pre-commit try-repo SRCDIR nfguard' fails in a repository with a staged
# token, naming its redacted form, and passes without one. language:
# system runs 'nfguard' from PATH; no network is needed (checked without
# one when unshare allows it).
set -eu

if ! command -v pre-commit >/dev/null 2>&1; then
	[ "$CI" != true ] || fail "pre-commit is not installed (apt-get install pre-commit)"
	skip "pre-commit is not installed (apt-get install pre-commit)"
fi
# The checkout may belong to another user (CI): trust it, for git only.
GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'
export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1 ||
	skip "$SRCDIR is not a git checkout: try-repo needs one"
[ -f "$SRCDIR/.pre-commit-hooks.yaml" ] || fail "no .pre-commit-hooks.yaml"

PATH="$(dirname "$NFGUARD"):$PATH"
export PATH
# (nfguard is also a shell function here: ask a new shell.)
onpath=$(sh -c 'command -v nfguard')
[ "$onpath" = "$(dirname "$NFGUARD")/nfguard" ] ||
	fail "nfguard on PATH is '$onpath', not the one under test"
# Without a network when possible: the hook must not need one.
nonet=
if unshare -rn true 2>/dev/null; then
	nonet='unshare -rn'
fi

mkrepo r
cd r
printf 'readme\n' >README.md
git add README.md
git commit -q -m first

# A staged token: the hook fails, the token shown redacted, never whole.
t1=$(mktoken)
printf 'a = 1\nTOKEN = "%s"\n' "$t1" >settings.py
git add settings.py
# shellcheck disable=SC2086 # $nonet: a command and its option, or nothing
run_cmd $nonet pre-commit try-repo "$SRCDIR" nfguard
expect_rc 1
expect_stdout "nfguard"
expect_stdout "Failed"
expect_stdout "settings.py:2:10"
expect_stdout "$(redact "$t1")"
expect_no_output "$t1"

# No token staged (a token in an unstaged change only): the hook passes.
git commit -q --no-verify -m 'token, bypassing hooks'
printf 'b = 2\n' >>settings.py
git add settings.py
t2=$(mktoken)
printf 'c = "%s"\n' "$t2" >>settings.py
# shellcheck disable=SC2086 # $nonet: a command and its option, or nothing
run_cmd $nonet pre-commit try-repo "$SRCDIR" nfguard
# shellcheck disable=SC2154 # rc: set by run_cmd (lib.sh)
[ "$rc" = 0 ] || {
	cat "$WORK/out" "$WORK/err" >&2
	fail "pre-commit try-repo failed without a staged token (exit $rc)"
}
expect_stdout "Passed"
# pre-commit put the unstaged change back.
grep -qF "$t2" settings.py || fail "the unstaged change was lost"
