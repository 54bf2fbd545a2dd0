#!/bin/sh
# An xz stream is decoded within 80 MiB of memory: one whose header asks
# for a 128 MiB dictionary is not decoded, an error naming the input and
# what it needs (scan.decode_limited, exit 2), in a file, on stdin and as
# an entry of a tar (whose other entries are still scanned); one asking
# for 64 MiB (what xz -9 uses) is decoded.
set -eu

mkdir src
t_big=$(mktoken) t_ok=$(mktoken) t_side=$(mktoken)
# compressible, so that no token stands in the xz stream's raw bytes
filler() {
	yes 'log line of a release build' | head -n 200
}
{
	filler
	printf 'key=%s\n' "$t_big"
} >src/big.txt
{
	filler
	printf 'key=%s\n' "$t_ok"
} >src/ok.txt
printf 'key=%s\n' "$t_side" >src/side.env
mkarchive xz-dict big.xz 128 src/big.txt
mkarchive xz-dict ok.xz 64 src/ok.txt
mkarchive tar bundle.tar big.xz=big.xz side.env=src/side.env

nfg dir -f json big.xz
expect_decode_problem decode_limited "nfguard: 'big.xz': xz stream not \
decoded: it needs 129 MiB of memory, over the limit of 80 MiB"
expect_count 0

nfg_pipe big.xz stdin -f json
expect_decode_problem decode_limited "nfguard: 'stdin': xz stream not \
decoded: it needs 129 MiB of memory, over the limit of 80 MiB"
expect_count 0

nfg dir -f json bundle.tar
expect_decode_problem decode_limited "nfguard: 'bundle.tar': xz stream in \
'big.xz' not decoded: it needs 129 MiB of memory, over the limit of 80 MiB"
expect_count 1
expect_finding 'bundle.tar!side.env' 1 5 "$t_side"

nfg dir -f json ok.xz
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding ok.xz 201 5 "$t_ok"
expect_encoding "$t_ok" '["xz"]'
