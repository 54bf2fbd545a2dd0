#!/bin/sh
# Objects libgit2 reads on its own, outside the walk nfguard checks: a
# range's tip tag (parsed as a revision), the parent of a range's bottom
# (read by the walk to hide it), --since-commit's. Each lies in a pack
# as two reference deltas on each other, which libgit2 1.5 follows
# forever. Every object libgit2 reads passes the check of its chain
# first (one guard on the object database): the range is refused, exit 2.
set -eu

mkrepo r
cd r
t=$(mktoken)
printf 'T=%s\n' "$t" >a.txt
commit_at '2024-01-01 10:00:00 +0000' 'one'
c1=$(git rev-parse HEAD)
printf 'b\n' >b.txt
commit_at '2024-01-02 10:00:00 +0000' 'two'
c2=$(git rev-parse HEAD)
printf 'c\n' >c.txt
commit_at '2024-01-03 10:00:00 +0000' 'three'
GIT_COMMITTER_DATE='2024-01-03 10:00:00 +0000' git tag -a -m 'v1' v1
tag=$(git rev-parse v1)
# The tag and c1 become loops (their loose files gone); y1 and y2 are
# their partners, which no ref names.
python3 - .git/objects/pack "$tag" "$c1" <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
p = pw.Pack()
same = pw.delta_size(10) + pw.delta_size(10) + b"\x90\x0a"
for i, x in enumerate(sys.argv[2:]):
    x, y = bytes.fromhex(x), hashlib.sha1(b"y%d" % i).digest()
    p.ref_delta(y, same, x)
    p.ref_delta(x, same, y)
p.write(sys.argv[1])
PY
for id in "$tag" "$c1"; do
	rm "$(git rev-parse --git-path objects)/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
done
cd ..

# Each line: the arguments, then the range as nfguard names it.
while IFS='|' read -r args range; do
	# libgit2 1.5's revparse and revwalk leak on these error paths: not
	# ours, so leak checking is off for them; tests/valgrind.supp too.
	# shellcheck disable=SC2086
	ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
		nfg git -f json $args r </dev/null
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: bad range '$range': delta chain loops" "stderr ($args)"
done <<EOF
--range v1|v1
--range $c2..HEAD|$c2..HEAD
--since-commit $c2|$c2..HEAD
EOF
