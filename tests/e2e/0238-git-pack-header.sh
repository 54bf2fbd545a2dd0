#!/bin/sh
# A pack whose header is not a pack's (signature, version 2 or 3) or
# names another object count than its index holds is refused when it is
# opened, with its reason: its objects are then unreadable (libgit2
# refuses it too), each an error, exit 2.
set -eu

mkrepo r
cd r
t=$(mktoken)
printf 'T=%s\n' "$t" >a.env
commit_at '2024-01-01 10:00:00 +0000' 'leak'
c=$(git rev-parse HEAD)
git repack -adq
pack=$(cd .git && ls objects/pack/*.pack)
cp ".git/$pack" ../good.pack
cd ..

# Each line: offset, the bytes written there (printf escapes), the reason.
while IFS='|' read -r at bytes why; do
	cp good.pack "r/.git/$pack"
	# shellcheck disable=SC2059
	printf "$bytes" | dd of="r/.git/$pack" bs=1 seek="$at" conv=notrunc \
		2>/dev/null
	nfg git -f json r </dev/null
	expect_rc 2
	expect_count 0
	# Problems are said in order; HEAD and main name the commit.
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: cannot read object $c: object not found - no match for id ($c) (2 times)
nfguard: corrupt pack '$pack': $why" "stderr ($why)"
done <<EOF
0|PACX|no PACK signature
7|\\004|version 4
11|\\004|holds 4 objects, its index 3
EOF
