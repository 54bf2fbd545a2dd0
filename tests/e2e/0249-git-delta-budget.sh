#!/bin/sh
# nfguard git on a pack of 200 KiB whose one blob sits on a chain of
# 4,000 offset deltas, each building 64 MiB: following it whole meant
# 250 GiB of copying (hours). Reading one object may inflate and build
# at most 2 GiB: the blob is named, counted as an error, the rest scanned.
set -eu

# z is the chain's top; its bases are found by offset. First written as
# no git would (the bases in no index): a base that is no object of the
# index makes z corrupt before anything is built. Then as git would index
# it (every entry under an id): reading z stops at the budget. A --ref
# scan reads only z (a full scan would read each indexed base too).
z=$(printf z | sha1sum | cut -d' ' -f1)
t=$(mktoken)
leak_and_missing big.bin "$z" "$t"
# Writes the pack ($1: top or every) and checks it is small; prints z's
# base's offset.
write_pack() {
	rm -f .git/objects/pack/pack-*
	python3 - .git/objects/pack "$1" <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
mib = 1 << 20
every = sys.argv[2] == "every"
p = pw.Pack()
off = p.whole(pw.BLOB, bytes(mib), b"" if every else None)
def oid(i):
    if i == 4000:
        return hashlib.sha1(b"z").digest()
    return hashlib.sha1(b"z%d" % i).digest() if every else None
off = p.ofs_delta(off, pw.copies(mib, 64, mib), oid(1))
for i in range(2, 4001):
    base, off = off, p.ofs_delta(off, pw.copies(64 * mib, 64, mib), oid(i))
p.write(sys.argv[1])
print(base)  # z's base
PY
	[ "$(cat .git/objects/pack/*.pack | wc -c)" -lt 262144 ] ||
		fail "the pack is not small"
}
base=$(write_pack top)
pack=$(cd .git && ls objects/pack/*.pack)
cd ..

nfg git -f json r </dev/null
expect_rc 2
expect_count 1
expect_git "$t" path=leak.txt location=file
assert_eq "$(cat "$WORK/err")" \
	"nfguard: object $z is corrupt: its delta base at offset $base is no object of the index in '$pack'" \
	"stderr (bases in no index)"
assert_eq "$(jq_out '"\(.scan.blobs_scanned) \(.scan.errors) \(.scan.objects_corrupt)"')" \
	"1 1 1" "scan.blobs_scanned, scan.errors, scan.objects_corrupt"

cd r
write_pack every >/dev/null
cd ..
nfg git -f json --ref main r </dev/null
expect_rc 2
expect_count 1
expect_git "$t" path=leak.txt location=file
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot read blob $z: delta chain builds more than 2 GiB" \
	"stderr (every entry indexed)"
assert_eq "$(jq_out '"\(.scan.blobs_scanned) \(.scan.errors) \(.scan.objects_corrupt)"')" \
	"1 1 0" "scan.blobs_scanned, scan.errors, scan.objects_corrupt (--ref)"
