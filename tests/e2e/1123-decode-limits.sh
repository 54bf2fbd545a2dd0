#!/bin/sh
# Bombs hit their limit and fail closed: exit 2, one stderr line naming
# the input, the limit and its flag, scan.decode_limited 1; what was
# decoded before the limit is still scanned and reported.
set -eu

mkdir src
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken)

# Depth: a gzip in a zip in a tar.gz is 4 layers; with 3 the gzip is
# not opened, its siblings still are.
printf 'NF_TOKEN=%s\n' "$t1" >src/deep.env
mkarchive gzip src/deep.env.gz src/deep.env
printf 'NF_TOKEN=%s\n' "$t2" >src/side.env
mkarchive zip src/inner.zip deep.env.gz=src/deep.env.gz side.env=src/side.env
mkarchive tar.gz nested.tgz inner.zip=src/inner.zip
nfg dir -f json nested.tgz
expect_rc 1
expect_no_stderr
expect_count 2
nfg dir -f json --decode-depth 3 nested.tgz
expect_decode_problem decode_limited nested.tgz \
	"gzip in 'inner.zip!deep.env.gz' not decoded: it would be decoding layer 4, beyond the limit of 3 (--decode-depth)"
expect_count 1
expect_finding 'nested.tgz!inner.zip!side.env' 1 10 "$t2"

# Bytes per input: a gzip of 64 MiB of zeros, the token first.
{
	printf 'NF_TOKEN=%s\n' "$t3"
	head -c 67108864 /dev/zero
} >src/zeros
mkarchive gzip bomb.gz src/zeros
nfg dir -f json --decode-max-bytes 1000000 bomb.gz
expect_decode_problem decode_limited bomb.gz \
	'decoding stopped after 1000000 bytes decoded from this input, its limit (--decode-max-bytes)'
expect_count 1
expect_finding bomb.gz 1 10 "$t3"
# the whole run's budget
nfg dir -f json --decode-max-total 1000000 bomb.gz
expect_decode_problem decode_limited bomb.gz \
	'decoding stopped after 1000000 bytes decoded in this run, its limit (--decode-max-total)'
expect_count 1

# Entries: a zip of 20000 entries stops at the limit, at once.
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("many.zip", "w") as z:
    for i in range(20000):
        z.writestr(zipfile.ZipInfo("f%d.txt" % i, (2024, 1, 1, 0, 0, 0)), "x")
PY
nfg dir -f json --decode-max-entries 100 many.zip
expect_decode_problem decode_limited many.zip \
	'decoding stopped after 100 archive entries of this input, its limit (--decode-max-entries)'
expect_count 0

# The same from stdin, and the defaults take a 64 MiB gzip whole.
nfg_in bomb.gz stdin -f json --decode-max-bytes 1000000
expect_decode_problem decode_limited stdin '(--decode-max-bytes)'
expect_finding stdin 1 10 "$t3"
nfg dir -f json bomb.gz
expect_rc 1
expect_no_stderr
