#!/bin/sh
# Each reason nfguard cannot open a repository gets its own true message
# and exit 2, where all of them used to say "is not a git repository": a
# path that does not exist, the SHA-256 object format, a repository
# format version above 1, an extension libgit2 1.5 cannot read (named).
set -eu

# nfg_v1 ARGS...: nfg on a repository of format version 1. libgit2 1.5
# leaks in its extension check of such a repository (git_regexp_match
# frees nothing for a config key that does not match): not ours, so leak
# checking is off for these runs (tests/valgrind.supp names the leak).
nfg_v1() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
		nfg "$@"
}

# only_line TEXT: stderr is exactly the one line TEXT.
only_line() {
	assert_eq "$(cat "$WORK/err")" "$1" "stderr"
}

# No such path: history and staged alike.
nfg git -f json does-not-exist
expect_rc 2
only_line "nfguard: cannot open 'does-not-exist': No such file or directory"
nfg staged does-not-exist
expect_rc 2
only_line "nfguard: cannot open 'does-not-exist': No such file or directory"

# A token in the path is never printed whole, even in a fatal error.
tok=$(mktoken)
nfg git -f json "gone/$tok"
expect_rc 2
only_line "nfguard: cannot open 'gone/$(redact "$tok")': No such file or directory"

# A folder that is no repository keeps its message.
mkdir plain
nfg git -f json plain
expect_rc 2
only_line "nfguard: 'plain' is not a git repository"

# SHA-256 objects: git reads them, libgit2 1.5 cannot.
git init -q -b main --object-format=sha256 sha
printf 'x\n' >sha/a.txt
git -C sha add a.txt
git -C sha commit -q -m one
git -C sha log --oneline >/dev/null
nfg_v1 git -f json sha
expect_rc 2
only_line "nfguard: 'sha' uses the SHA-256 object format, which nfguard does not support yet"
nfg_v1 staged sha
expect_rc 2
only_line "nfguard: 'sha' uses the SHA-256 object format, which nfguard does not support yet"

# The object format named, as SHA-1: git opens it, so does nfguard; a
# format no git knows is refused by name.
mkrepo sha1
git -C sha1 config core.repositoryformatversion 1
git -C sha1 config extensions.objectFormat sha1
printf 'x\n' >sha1/a.txt
git -C sha1 add a.txt
git -C sha1 commit -q -m one
nfg_v1 git -f json sha1
expect_rc 0
expect_no_stderr
assert_eq "$(jq_out .scan.commits)" 1 "commits of the explicit SHA-1 repository"
sed 's/objectFormat = sha1/objectFormat = md5/' sha1/.git/config >cfg
cp cfg sha1/.git/config
nfg_v1 git -f json sha1
expect_rc 2
only_line "nfguard: 'sha1' uses the object format 'md5', which nfguard cannot read"

# An extension of a newer git (reftable refs): refused by name.
mkrepo reftable
git -C reftable config core.repositoryformatversion 1
git -C reftable config extensions.refStorage reftable
nfg_v1 git -f json reftable
expect_rc 2
only_line "nfguard: 'reftable' uses the repository extension 'refstorage', which nfguard cannot read"

# A format version no git knows yet.
mkrepo v2
git -C v2 config core.repositoryformatversion 2
nfg git -f json v2
expect_rc 2
only_line "nfguard: 'v2' uses repository format version 2, which nfguard cannot read"
