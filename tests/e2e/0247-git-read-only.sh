#!/bin/sh
# nfguard reads the repositories it scans and writes nothing into them:
# after full, --unreachable and range scans of a bare clone, a staged scan
# and a dir scan of it, every file and folder is as it was (libgit2 1.5
# created logs/refs/stash when asked for a stash reflog that did not
# exist: a scan wrote into the repository under incident).
set -eu

mkrepo w
cd w
t=$(mktoken)
printf 'T=%s\n' "$t" >a.env
commit_at '2024-01-01 10:00:00 +0000' 'one'
printf 'x\n' >b.txt
commit_at '2024-01-02 10:00:00 +0000' 'two'
cd ..
git clone -q --bare w r.git

# snap DIR: every path below DIR with its type, mode, size and content hash.
snap() {
	(cd "$1" && find . -exec stat -c '%n %F %a %s' {} + | sort &&
		find . -type f -exec sha256sum {} + | sort)
}
before=$(snap r.git)
nfg git -f json r.git
expect_rc 1
nfg git -f json --unreachable r.git
expect_rc 1
nfg git -f json --range HEAD~1..HEAD r.git
expect_rc 0
nfg dir -f json r.git
expect_rc 1
assert_eq "$(snap r.git)" "$before" 'the bare repository after the scans'

# The work tree's repository too, with staged.
before=$(snap w/.git)
nfg git -f json w
expect_rc 1
nfg staged -f json w
expect_rc 0
assert_eq "$(snap w/.git)" "$before" 'the work tree repository after the scans'
