#!/bin/sh
# install-hooks --global and uninstall-hooks --global, with HOME a folder
# of the test and git reading its ~/.gitconfig: a commit with a token is
# stopped in any repository, each repository's own hooks still run
# (pre-commit; pre-push with git's lines on stdin), a core.hooksPath that
# points elsewhere is refused, or kept and run with --chain, and
# uninstall gives back HOME's files and git config byte for byte (the
# config made by install removed, an empty [core] section too).
set -eu

top=$(pwd -P)
unset GIT_CONFIG_GLOBAL
mkdir -p "$HOME/.config"
printf '[user]\n\tname = Dev\n' >"$HOME/.gitconfig"
hooks=$HOME/.config/nfguard/hooks
g() {
	env -u NFGUARD git "$@"
}
out_is() {
	assert_eq "$(cat "$WORK/out")" "$1" "stdout"
}
err_is() {
	assert_eq "$(cat "$WORK/err")" "$1" "stderr"
}
# snap: every file and folder under HOME with its bytes' checksum.
snap() {
	(cd "$HOME" && find . | sort | while read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s\n' "$f" "$(cksum <"$f")"
		else
			printf '%s\n' "$f"
		fi
	done)
}

# A repository with its own hooks, which record that they ran.
mkrepo r
cd r
printf '#!/bin/sh\necho own >>"%s/ran"\n' "$top" >.git/hooks/pre-commit
printf '#!/bin/sh\ncat >"%s/pre-push-stdin"\n' "$top" >.git/hooks/pre-push
chmod +x .git/hooks/pre-commit .git/hooks/pre-push
git init -q --bare -b main "$top/remote.git"
git remote add origin "$top/remote.git"
cd "$top"
before=$(snap)

nfg install-hooks --global --pre-push
expect_rc 0
out_is "nfguard: installed $hooks/pre-commit
nfguard: installed $hooks/pre-push
nfguard: core.hooksPath set to '$hooks' in '$HOME/.gitconfig'
nfguard: each repository's own hooks run first"
assert_eq "$(git config --global core.hooksPath)" "$hooks" "core.hooksPath"
# The repository's hooks are where they were.
[ -x r/.git/hooks/pre-commit ] || fail "the repository's hook moved"

# A commit with a token is stopped; the repository's own hook ran first.
cd r
printf 'x\n' >a.txt
git add a.txt
run_cmd g commit -q -m clean
expect_rc 0
assert_eq "$(cat "$top/ran")" own "own hooks run"
head=$(git rev-parse HEAD)
t1=$(mktoken)
printf 'T=%s\n' "$t1" >b.env
git add b.env
run_cmd g commit -q -m token
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "b.env:1:3"
expect_stderr "$(redact "$t1")"
assert_eq "$(cat "$top/ran")" "own
own" "own hooks run"
git reset -q
rm b.env
# The repository's own hook fails: the commit stops there.
printf '#!/bin/sh\necho "own hook says no" >&2\nexit 3\n' >.git/hooks/pre-commit
printf 'y\n' >>a.txt
git add a.txt
run_cmd g commit -q -m 'own hook fails'
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "own hook says no"
printf '#!/bin/sh\necho own >>"%s/ran"\n' "$top" >.git/hooks/pre-commit
run_cmd g commit -q -m clean2
expect_rc 0
# The repository's pre-push gets git's lines on its stdin.
run_cmd g push -q origin main
expect_rc 0
assert_eq "$(cat "$top/pre-push-stdin")" \
	"refs/heads/main $(git rev-parse main) refs/heads/main 0000000000000000000000000000000000000000" \
	"what the repository's pre-push read"
cd "$top"

# A local uninstall in a repository the global hooks serve is refused.
nfg uninstall-hooks r
expect_rc 2
err_is "nfguard: '$hooks' is nfguard's global hooks folder (core.hooksPath): use --global"
nfg install-hooks r
expect_rc 2
err_is "nfguard: '$hooks' is nfguard's global hooks folder (core.hooksPath): use --global"

# Installing again updates; uninstalling gives back HOME as it was.
nfg install-hooks --global
expect_rc 0
out_is "nfguard: updated $hooks/pre-commit
nfguard: each repository's own hooks run first"
nfg uninstall-hooks --global
expect_rc 0
out_is "nfguard: removed $hooks/pre-commit
nfguard: removed $hooks/pre-push
nfguard: core.hooksPath unset in '$HOME/.gitconfig'"
assert_eq "$(snap)" "$before" "HOME after uninstall"
nfg uninstall-hooks --global
expect_rc 2
err_is "nfguard: no nfguard hook in '$hooks'"

# No ~/.gitconfig before: none after either.
rm "$HOME/.gitconfig"
before=$(snap)
nfg install-hooks --global
expect_rc 0
[ -f "$HOME/.gitconfig" ] || fail "no ~/.gitconfig written"
nfg uninstall-hooks --global
expect_rc 0
assert_eq "$(snap)" "$before" "HOME after uninstall, no config before"

# A core.hooksPath that points elsewhere: refused, nothing changes.
mkdir "$top/team-hooks"
printf '#!/bin/sh\necho team >>"%s/ran"\n' "$top" >"$top/team-hooks/pre-commit"
chmod +x "$top/team-hooks/pre-commit"
printf '[core]\n\teditor = vi\n\thooksPath = %s/team-hooks\n' "$top" \
	>"$HOME/.gitconfig"
before=$(snap)
nfg install-hooks --global
expect_rc 2
err_is "nfguard: core.hooksPath is already '$top/team-hooks' (in '$HOME/.gitconfig'): --chain keeps it and runs its hooks first"
assert_eq "$(snap)" "$before" "HOME after a refused install"
# --chain: its hooks run too, after the repository's own.
nfg install-hooks --global --chain
expect_rc 0
out_is "nfguard: installed $hooks/pre-commit
nfguard: core.hooksPath set to '$hooks' in '$HOME/.gitconfig'
nfguard: each repository's own hooks run first, then those of '$top/team-hooks'"
rm -f "$top/ran"
cd r
printf 'z\n' >>a.txt
git add a.txt
run_cmd g commit -q -m 'clean, chained'
expect_rc 0
assert_eq "$(cat "$top/ran")" "own
team" "hooks run"
head=$(git rev-parse HEAD)
printf 'T=%s\n' "$t1" >b.env
git add b.env
run_cmd g commit -q -m 'token, chained'
expect_rc 1
expect_ref . HEAD "$head"
git reset -q
rm b.env
cd "$top"
nfg uninstall-hooks --global
expect_rc 0
out_is "nfguard: removed $hooks/pre-commit
nfguard: core.hooksPath set back to '$top/team-hooks' in '$HOME/.gitconfig'"
assert_eq "$(snap)" "$before" "HOME after uninstall, chained"

# A hooks folder of one's own, with --hooks-dir; core.hooksPath changed
# by hand since: the hooks go, core.hooksPath stays as it is.
nfg install-hooks --global --chain --hooks-dir my-hooks
expect_rc 0
git config --global core.hooksPath /elsewhere
nfg uninstall-hooks --global --hooks-dir my-hooks
expect_rc 0
out_is "nfguard: removed $top/my-hooks/pre-commit
nfguard: core.hooksPath is '/elsewhere' in '$HOME/.gitconfig', not this folder: left as it is"
[ ! -e my-hooks ] || fail "my-hooks left behind"
assert_eq "$(git config --global core.hooksPath)" /elsewhere "core.hooksPath"
