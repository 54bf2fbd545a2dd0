#!/bin/sh
# gzip, zlib, bzip2 and xz streams are decoded by content, not by name,
# in files, stdin (file and pipe) and git blobs: each token found once,
# at its line and column inside the decoded stream, with the chain
# ["gzip"] (or "zlib", "bzip2", "xz") and the plain token's fingerprint;
# --no-decode and a --decode list without the decoder find nothing there.
set -eu

top=$(pwd -P)
mkdir tree src
# src_log NAME: src/NAME.log with a new token on line 2; prints the token.
src_log() {
	_t=$(mktoken)
	# Filler after it, so that every compressor really compresses (xz
	# stores a short input as it is).
	{
		printf 'line one\nexport NF_TOKEN=%s\n' "$_t"
		yes 'filler line of a log' | head -n 200
	} >"src/$1.log"
	printf '%s' "$_t"
}
t_gzip=$(src_log gzip) t_zlib=$(src_log zlib)
t_bzip2=$(src_log bzip2) t_xz=$(src_log xz)
mkarchive gzip tree/app.log.gz src/gzip.log
mkarchive zlib tree/state.bin src/zlib.log
mkarchive bzip2 tree/app.log.bz2 src/bzip2.log
mkarchive xz tree/app.log.xz src/xz.log
# a gzip named as text: found by its bytes
t_named=$(mktoken)
printf 'export NF_TOKEN=%s\n' "$t_named" >src/named.log
mkarchive gzip tree/notes.txt src/named.log

nfg dir -f json tree
expect_rc 1
expect_no_stderr
expect_count 5
expect_finding app.log.gz 2 17 "$t_gzip"
expect_encoding "$t_gzip" '["gzip"]'
expect_finding state.bin 2 17 "$t_zlib"
expect_encoding "$t_zlib" '["zlib"]'
expect_finding app.log.bz2 2 17 "$t_bzip2"
expect_encoding "$t_bzip2" '["bzip2"]'
expect_finding app.log.xz 2 17 "$t_xz"
expect_encoding "$t_xz" '["xz"]'
expect_finding notes.txt 1 17 "$t_named"
expect_encoding "$t_named" '["gzip"]'
assert_eq "$(jq_out '"\(.scan.decode_limited) \(.scan.decode_failed)"')" \
	"0 0" "scan.decode_limited, scan.decode_failed"

# Decoders off: the compressed bytes hold no token.
nfg dir -f json --no-decode tree
expect_rc 0
expect_no_stderr
expect_count 0
nfg dir -f json --decode base64,utf16,zip,tar tree
expect_rc 0
expect_count 0
nfg dir -f json --decode xz tree
expect_rc 1
expect_count 1
expect_finding app.log.xz 2 17 "$t_xz"

# stdin, from a file and through a pipe.
nfg_in tree/app.log.bz2 stdin -f json
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding stdin 2 17 "$t_bzip2"
expect_encoding "$t_bzip2" '["bzip2"]'
nfg_pipe tree/app.log.gz stdin --label app.log.gz -f json
expect_rc 1
expect_count 1
expect_finding app.log.gz 2 17 "$t_gzip"
expect_encoding "$t_gzip" '["gzip"]'

# git blobs: the commit that added each.
mkrepo r
cp -R tree r/logs
cd r
commit_at '2024-01-01 10:00:00 +0000' 'logs'
c=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 5
expect_finding logs/app.log.gz 2 17 "$t_gzip"
expect_encoding "$t_gzip" '["gzip"]'
expect_git "$t_gzip" commit="$c"
expect_finding logs/state.bin 2 17 "$t_zlib"
expect_encoding "$t_zlib" '["zlib"]'
expect_finding logs/notes.txt 1 17 "$t_named"
expect_git "$t_xz" commit="$c" path=logs/app.log.xz
