#!/bin/sh
# With every decoder on, what holds no token reports nothing and says
# nothing: a compressed tarball and a zip of real source (nfguard's own
# tree, which its CI self-scan keeps free of tokens), text that opens like
# a zlib header ("x^2"), binaries that open like PNG and ELF, a text file
# whose first 512 bytes are not a tar header; and the compressed tarball
# still decodes (scan.decode_failed 0, no problem).
set -eu

git -C "$SRCDIR" rev-parse --verify -q HEAD >/dev/null ||
	skip "the source folder is not a git checkout"
mkdir tree
git -C "$SRCDIR" archive --format=tar HEAD | gzip -n >tree/src.tar.gz
git -C "$SRCDIR" archive --format=zip HEAD >tree/src.zip
printf 'x^2 + y^2 = r^2\n' >tree/math.txt
printf 'x^\234 then text that is no deflate stream at all\n' >tree/header.txt
python3 - <<'PY'
import random
rng = random.Random(1120)
noise = bytes(rng.randrange(256) for _ in range(100000))
with open("tree/image.png", "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + noise)
with open("tree/tool", "wb") as f:
    f.write(b"\x7fELF\2\1\1" + b"\0" * 9 + noise)
with open("tree/long.txt", "w") as f:
    f.write("lorem ipsum dolor sit amet " * 40)
PY

nfg dir -f json tree
expect_rc 0
expect_no_stderr
expect_count 0
assert_eq "$(jq_out '"\(.scan.decode_limited) \(.scan.decode_failed)"')" \
	"0 0" "scan.decode_limited, scan.decode_failed"

# The same bytes from stdin and in a git blob.
nfg_in tree/src.tar.gz stdin -f json
expect_rc 0
expect_no_stderr
expect_count 0
mkrepo r
cp tree/src.zip tree/math.txt r/
cd r
commit_at '2024-01-01 10:00:00 +0000' 'vendored'
cd ..
nfg git -f json r
expect_rc 0
expect_no_stderr
expect_count 0
