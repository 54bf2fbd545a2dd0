#!/bin/sh
# nfguard git on a pack of 200 KiB whose one blob sits on a chain of
# 4,000 offset deltas, each building 64 MiB: following it whole meant
# 250 GiB of copying (hours). Reading one object may inflate and build
# at most 2 GiB: the blob is named, counted as an error, the rest scanned.
set -eu

# Only the chain's top, z, is in the index: its bases are found by offset.
z=$(printf z | sha1sum | cut -d' ' -f1)
t=$(mktoken)
leak_and_missing big.bin "$z" "$t"
python3 - .git/objects/pack <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
mib = 1 << 20
p = pw.Pack()
off = p.whole(pw.BLOB, bytes(mib), None)
off = p.ofs_delta(off, pw.copies(mib, 64, mib))
for i in range(2, 4001):
    z = hashlib.sha1(b"z").digest() if i == 4000 else None
    off = p.ofs_delta(off, pw.copies(64 * mib, 64, mib), z)
p.write(sys.argv[1])
PY
[ "$(cat .git/objects/pack/*.pack | wc -c)" -lt 262144 ] ||
	fail "the pack is not small"
cd ..

nfg git -f json r </dev/null
expect_rc 2
expect_count 1
expect_git "$t" path=leak.txt location=file
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot read blob $z: delta chain builds more than 2 GiB" \
	"stderr"
assert_eq "$(jq_out '"\(.scan.blobs_scanned) \(.scan.errors)"')" "1 1" \
	"scan.blobs_scanned, scan.errors"
