#!/bin/sh
# A blob over 256 MiB (what nfguard's own pack reader builds at most) is
# read by libgit2, as a whole one of that size always was: built from
# deltas, it was refused as an error instead ("delta result too large").
# Its chain is checked first (loops, depth, CRC-32, work) by nfguard's
# reader: only the result's size hands it over.
set -eu

mkdir packs
t=$(mktoken)
t2=$(mktoken)
# A 1 MiB base of 1024 lines, and a delta copying it 257 times then
# inserting a line with t2: line 263169, column 3 of big.bin.
big=$(T2=$t2 python3 - packs <<'PY'
import hashlib, os, sys
sys.dont_write_bytecode = True  # nothing written in the source tree
sys.path.insert(0, os.path.join(os.environ["SRCDIR"], "tests", "tools"))
import packwriter as pw
mib = 1 << 20
line = b"x" * 1023 + b"\n"
base = line * 1024
ins = b"T=" + os.environ["T2"].encode() + b"\n"
size = 257 * mib + len(ins)
delta = (pw.delta_size(mib) + pw.delta_size(size) + b"\xc0\x10" * 257 +
         bytes([len(ins)]) + ins)
h = hashlib.sha1(b"blob %d\0" % size)
for _ in range(257):
    h.update(base)
h.update(ins)
p = pw.Pack()
off = p.whole(pw.BLOB, base)
p.ofs_delta(off, delta, h.digest())
p.write(sys.argv[1])
print(h.hexdigest())
PY
)
leak_and_missing big.bin "$big" "$t"
cp ../packs/* .git/objects/pack/
cd ..

nfg git -f json r </dev/null
expect_rc 1
expect_count 2
expect_no_stderr
expect_git "$t" path=leak.txt location=file
expect_git "$t2" path=big.bin location=file line=263169 column=3
