#!/bin/sh
# A packed object whose bytes and stored CRC-32 were both changed to
# match (the pack and index checksums made right again) passes the
# default checks, which are git's cheap ones: the token it held is gone
# and nothing is said. --strict-objects hashes every object read, as git
# fsck does, by nfguard's own reader (packs are mapped in every history
# scan) and through libgit2 (staged): the object is corrupt, exit 2.
set -eu

mkrepo r
cd r
t=$(mktoken)
printf 'T=%s\n' "$t" >a.env
printf 'harmless\n' >b.txt
commit_at '2024-01-01 10:00:00 +0000' 'leak'
a=$(git rev-parse HEAD:a.env)
# Stored (level 0) deflate blocks: the bytes can be changed in place.
git -c pack.compression=0 repack -adfq --window=0
idx=$(cd .git && ls objects/pack/*.idx)
pack=${idx%.idx}.pack
cd ..

chmod u+w r/.git/objects/pack/*
off=$(python3 - "r/.git/$idx" "r/.git/$pack" "$a" "$t" <<'PY'
import hashlib, struct, sys, zlib
ipath, ppath, a, tok = sys.argv[1:]
a, tok = bytes.fromhex(a), tok.encode()
x = bytearray(open(ipath, 'rb').read())
p = bytearray(open(ppath, 'rb').read())
n = struct.unpack('>I', x[8 + 255 * 4:8 + 256 * 4])[0]
ids = [bytes(x[1032 + 20 * i:1052 + 20 * i]) for i in range(n)]
offs = [struct.unpack('>I', x[1032 + 24 * n + 4 * i:1036 + 24 * n + 4 * i])[0]
        for i in range(n)]
i = ids.index(a)
off = offs[i]
end = min([o for o in offs if o > off] + [len(p) - 20])
h = off
while p[h] & 0x80:
    h += 1
h += 1
d = zlib.decompressobj()
old = d.decompress(bytes(p[h:end]))
new = zlib.compress(old.replace(tok, b'x' * len(tok)), 0)
assert len(new) == end - h and tok in old
p[h:end] = new
crc = zlib.crc32(bytes(p[off:end]))
x[1032 + 20 * n + 4 * i:1036 + 20 * n + 4 * i] = struct.pack('>I', crc)
p[-20:] = hashlib.sha1(p[:-20]).digest()
x[-40:-20] = p[-20:]
x[-20:] = hashlib.sha1(x[:-20]).digest()
open(ppath, 'wb').write(p)
open(ipath, 'wb').write(x)
print(off)
PY
)
git -C r fsck 2>/dev/null && fail "setup: git fsck finds nothing wrong"

# The default checks pass: the token is not there to be found.
nfg git -f json r
expect_rc 0
expect_count 0
assert_eq "$(jq_out .scan.objects_corrupt)" 0 "objects_corrupt (default)"

nfg git -f json --strict-objects r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: object $a is corrupt: hash mismatch at offset $off in '$pack'" \
	"stderr (--strict-objects)"
assert_eq "$(jq_out '"\(.scan.objects_corrupt) \(.scan.blobs_scanned)"')" \
	"1 1" "objects_corrupt and blobs_scanned"

nfg git -f json --strict-objects --range HEAD r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: object $a is corrupt: hash mismatch at offset $off in '$pack'" \
	"stderr (--strict-objects --range)"

# staged reads HEAD's version of a changed file to diff it.
git clone -q --no-hardlinks r w
cd w
printf 'more\n' >>a.env
git add a.env
cd ..
nfg staged -f json w
expect_rc 0
nfg staged -f json --strict-objects w
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot diff 'a.env': object $a is corrupt: hash mismatch in '$pack'" \
	"stderr (staged --strict-objects)"
