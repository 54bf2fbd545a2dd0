#!/bin/sh
# nfguard uninstall-hooks in one repository: nfguard's hooks removed, the
# hooks --chain kept put back byte for byte, and the refusals (exit 2,
# nothing changed): a repository with no hook of nfguard's, and a hook
# that replaced nfguard's after --chain kept another.
set -eu

top=$(pwd -P)
out_is() {
	assert_eq "$(cat "$WORK/out")" "$1" "stdout"
}
err_is() {
	assert_eq "$(cat "$WORK/err")" "$1" "stderr"
}
# snap: the hooks folder's files with their checksums and modes.
snap() {
	(cd "$top/r/.git/hooks" && ls -l | awk '{print $1, $NF}' &&
		cat ./* | cksum)
}

mkrepo r
h=$top/r/.git/hooks
rm -f "$h"/*.sample
printf '#!/bin/sh\necho own\n' >"$h/pre-push"
chmod +x "$h/pre-push"
before=$(snap)

# Only a hook of someone else's: nothing of nfguard's to remove.
nfg uninstall-hooks r
expect_rc 2
err_is "nfguard: '$h/pre-push' is not nfguard's: left alone
nfguard: no nfguard hook in '$h'"
assert_eq "$(snap)" "$before" "hooks after a refused uninstall"

# pre-commit installed, pre-push chained: uninstall gives back the folder.
nfg install-hooks --pre-push --chain r
expect_rc 0
nfg uninstall-hooks r
expect_rc 0
out_is "nfguard: removed $h/pre-commit
nfguard: removed (the hook it chained is back) $h/pre-push"
assert_eq "$(snap)" "$before" "hooks after uninstall"

# A hook put over nfguard's after --chain kept one: both left alone.
nfg install-hooks --pre-push --chain r
expect_rc 0
printf '#!/bin/sh\necho mine now\n' >"$h/pre-push"
mid=$(snap)
nfg uninstall-hooks r
expect_rc 2
err_is "nfguard: '$h/pre-push.nfguard-chained' is kept for '$h/pre-push', which is not nfguard's any more: left alone"
assert_eq "$(snap)" "$mid" "hooks after a refused uninstall"
# Without nfguard's in front of it, the kept hook is not revived.
rm "$h/pre-push"
nfg uninstall-hooks r
expect_rc 2
err_is "nfguard: '$h/pre-push.nfguard-chained' is there without nfguard's '$h/pre-push': left alone"

# Usage.
nfg uninstall-hooks r other
expect_rc 2
err_is "nfguard: uninstall-hooks takes one repository (got 'other')"
nfg uninstall-hooks --hooks-dir x r
expect_rc 2
err_is "nfguard: --hooks-dir needs --global"
nfg install-hooks --global r
expect_rc 2
err_is "nfguard: install-hooks takes no repository with --global (got 'r')"
