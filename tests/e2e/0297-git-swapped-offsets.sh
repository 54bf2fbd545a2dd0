#!/bin/sh
# Two offsets swapped in a pack index (its own checksum made right again):
# each id now points at the other's entry, so a token was reported at the
# wrong path and commit. The index's CRC-32 of each entry no longer
# matches the entry nfguard's own pack reader reads: both objects are
# corrupt, said once each with the pack's path, exit 2, nothing
# misattributed. A range scan reads packed blobs with the same reader
# (packs are mapped in every scan): caught there too, with or without
# --strict-objects, and in a scan from a linked worktree.
set -eu

mkrepo r
cd r
t=$(mktoken)
printf 'T=%s\n' "$t" >a.env
commit_at '2024-01-01 10:00:00 +0000' 'leak'
seq 1 50 >b.txt
commit_at '2024-01-02 10:00:00 +0000' 'data'
a=$(git rev-parse HEAD:a.env)
b=$(git rev-parse HEAD:b.txt)
c1=$(git rev-parse HEAD~1)
git repack -adfq --window=0
idx=$(cd .git && ls objects/pack/*.idx)
pack=${idx%.idx}.pack
cd ..

nfg git -f json r
expect_rc 1
expect_git "$t" path=a.env commit="$c1"
# A linked worktree's objects are the main git dir's packs.
git -C r worktree add -q ../wt

chmod u+w "r/.git/$idx"
offs=$(python3 - "r/.git/$idx" "$a" "$b" <<'PY'
import hashlib, struct, sys
path, a, b = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
d = bytearray(open(path, 'rb').read())
n = struct.unpack('>I', d[8 + 255 * 4:8 + 256 * 4])[0]
ids = [bytes(d[1032 + 20 * i:1052 + 20 * i]) for i in range(n)]
base = 1032 + 24 * n
pa, pb = ids.index(a), ids.index(b)
oa = d[base + 4 * pa:base + 4 * pa + 4]
ob = d[base + 4 * pb:base + 4 * pb + 4]
d[base + 4 * pa:base + 4 * pa + 4], d[base + 4 * pb:base + 4 * pb + 4] = ob, oa
d[-20:] = hashlib.sha1(d[:-20]).digest()
open(path, 'wb').write(d)
print(struct.unpack('>I', oa)[0], struct.unpack('>I', ob)[0])
PY
)
off_a=${offs% *} off_b=${offs#* }

nfg git -f json r
expect_rc 2
expect_count 0
assert_eq "$(sort "$WORK/err")" "$(sort <<EOF2
nfguard: object $a is corrupt: CRC-32 mismatch at offset $off_b in '$pack'
nfguard: object $b is corrupt: CRC-32 mismatch at offset $off_a in '$pack'
EOF2
)" "stderr"
assert_eq "$(jq_out '"\(.scan.objects_corrupt) \(.scan.errors)"')" "2 2" \
	"objects_corrupt and errors"

# Packs are mapped in every scan: a range's reads are checked alike, and
# a scan from a linked worktree reads the same packs.
for args in "--range HEAD" "--strict-objects --range HEAD" "wt"; do
	if [ "$args" = wt ]; then
		nfg git -f json wt
	else
		# shellcheck disable=SC2086
		nfg git -f json $args r
	fi
	expect_rc 2
	expect_count 0
	assert_eq "$(sort "$WORK/err")" "$(sort <<EOF2
nfguard: object $a is corrupt: CRC-32 mismatch at offset $off_b in '$pack'
nfguard: object $b is corrupt: CRC-32 mismatch at offset $off_a in '$pack'
EOF2
)" "stderr ($args)"
	assert_eq "$(jq_out .scan.objects_corrupt)" 2 "objects_corrupt ($args)"
done
