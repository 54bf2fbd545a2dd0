#!/bin/sh
# A container that cannot be read whole fails closed: a truncated gzip, a
# tar with a damaged header, an encrypted zip entry give exit 2, one
# stderr line naming the input and why, scan.decode_failed 1; what could
# be decoded is still scanned and reported, and the other inputs too.
set -eu

mkdir src
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken)

# A gzip cut in half: the token near its start is still found.
{
	printf 'NF_TOKEN=%s\n' "$t1"
	head -c 3000000 /dev/urandom | base64
} >src/big.log
mkarchive gzip src/big.log.gz src/big.log
size=$(wc -c <src/big.log.gz | tr -d ' ')
head -c $((size / 2)) src/big.log.gz >cut.gz
nfg dir -f json cut.gz
expect_decode_problem decode_failed cut.gz 'cannot decode gzip: '
expect_count 1
expect_finding cut.gz 1 10 "$t1"

# A tar whose second header's checksum is wrong: the first entry stays.
printf 'NF_TOKEN=%s\n' "$t2" >src/a.env
printf 'NF_TOKEN=%s\n' "$t3" >src/b.env
mkarchive tar damaged.tar a.env=src/a.env b.env=src/b.env
printf 'X' | dd of=damaged.tar bs=1 seek=$((1024 + 148)) conv=notrunc \
	2>/dev/null
nfg dir -f json damaged.tar
expect_decode_problem decode_failed damaged.tar \
	'cannot decode tar: Damaged tar archive'
expect_finding 'damaged.tar!a.env' 1 10 "$t2"
# The entry past the damage is not decoded, but its plain bytes are in the
# tar: the raw scan reports them where they are (line 2 starts after
# a.env's line; the token follows b.env's header at 1536 and "NF_TOKEN=").
expect_finding damaged.tar 2 $((1536 + 9 - (512 + ${#t2} + 10) + 1)) "$t3"
expect_count 2

# An entry marked encrypted (general purpose flag bit 0 of its local
# header): not decoded, said; the next entry is read.
printf 'NF_TOKEN=%s\n' "$t4" >src/c.env
mkarchive zip-stored enc.zip secret.env=src/a.env c.env=src/c.env
printf '\001' | dd of=enc.zip bs=1 seek=6 conv=notrunc 2>/dev/null
nfg dir -f json enc.zip
expect_decode_problem decode_failed enc.zip \
	"encrypted entry 'secret.env' not decoded"
# Its bytes are stored plain (only the flag says encrypted): the raw scan
# finds them where they are, at 30 + 10 + 9. Its line and column are
# counted from the bytes before it: the name length, 10, is a line feed
# at offset 26, and the CRC-32 of the random entry (offset 14) may hold
# one too.
lc=$(pos_of enc.zip $((30 + 10 + 9)))
expect_finding enc.zip "${lc% *}" "${lc#* }" "$t2"
expect_finding 'enc.zip!c.env' 1 10 "$t4"

# A clean input next to a corrupt one is scanned as always.
mkdir tree
cp cut.gz tree/
printf 'NF_TOKEN=%s\n' "$t3" >tree/plain.env
nfg dir -f json tree
expect_decode_problem decode_failed "'cut.gz': cannot decode gzip: "
expect_count 2
expect_finding plain.env 1 10 "$t3"
