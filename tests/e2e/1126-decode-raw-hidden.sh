#!/bin/sh
# Bytes a container walk never reaches are still scanned as they are, so
# decoding finds what --no-decode finds: a token after a gzip member,
# after a tar's end blocks, after a zip's central directory, between an
# empty zip's end record and a zip after it, between two zip entries and
# between two gzip members is reported once, plain (no encoding), at its
# line and column in the raw bytes, in files, stdin and git blobs. After
# a zlib stream the same, beside the error the zlib decoder gives there.
set -eu

top=$(pwd -P)
mkdir src tree
t_gz=$(mktoken) t_tar=$(mktoken) t_zip=$(mktoken) t_pre=$(mktoken)
t_gap=$(mktoken) t_mid=$(mktoken) t_zl=$(mktoken)
printf '# release\n' >src/README.md
printf 'notes\n' >src/notes.txt
for k in gz tar zip pre gap mid zl; do
	eval "printf 'token=%s\n' \"\$t_$k\"" >"src/$k.txt"
done
mkarchive tar.gz src/rel.tar.gz README.md=src/README.md
mkarchive tar src/rel.tar README.md=src/README.md
mkarchive zip src/rel.zip README.md=src/README.md
mkarchive zip src/empty.zip
mkarchive gzip src/readme.gz src/README.md
mkarchive zlib src/readme.zz src/README.md
cat src/rel.tar.gz src/gz.txt >tree/a.tar.gz
cat src/rel.tar src/tar.txt >tree/b.tar
cat src/rel.zip src/zip.txt >tree/c.zip
cat src/empty.zip src/pre.txt src/rel.zip >tree/d.zip
mkarchive zip-gap tree/e.zip src/gap.txt README.md=src/README.md \
	notes.txt=src/notes.txt
cat src/readme.gz src/mid.txt src/readme.gz >tree/f.gz
cat src/readme.zz src/zl.txt >zl.zz

# where TOKEN FILE: "LINE COLUMN" of TOKEN's first byte in FILE.
where() {
	pos_of "$2" "$(grep -obaF -- "$1" "$2" | head -n 1 | cut -d: -f1)"
}

# expect_all [PREFIX]: the last report holds the six tokens of tree/,
# plain, at PREFIX (the file's name when not given) and their raw place.
expect_all() {
	expect_count 6
	for _k in a.tar.gz:gz b.tar:tar c.zip:zip d.zip:pre e.zip:gap \
		f.gz:mid; do
		_f=${_k%%:*}
		eval "_t=\$t_${_k#*:}"
		# shellcheck disable=SC2046 # "LINE COLUMN"
		expect_finding "${1:-$_f}" $(where "$_t" "tree/$_f") "$_t"
		expect_git "$_t" encoding='<absent>'
	done
}

nfg dir -f json tree
expect_rc 1
expect_no_stderr
expect_all
jq -c '[.findings[] | [.path, .line, .column, .fingerprint]]' \
	"$WORK/out" >"$WORK/decoded"

# The same findings, where they are, as with --no-decode.
nfg dir -f json --no-decode tree
expect_rc 1
expect_all
jq -c '[.findings[] | [.path, .line, .column, .fingerprint]]' \
	"$WORK/out" >"$WORK/plain"
cmp -s "$WORK/decoded" "$WORK/plain" ||
	fail "decoded and --no-decode findings differ"

# stdin, read through a pipe: the label is the path.
for f in a.tar.gz b.tar c.zip d.zip e.zip f.gz; do
	nfg_pipe "tree/$f" stdin -f json
	expect_rc 1
	expect_no_stderr
	expect_count 1
done
# the last one, f.gz, in detail
# shellcheck disable=SC2046 # "LINE COLUMN"
expect_finding stdin $(where "$t_mid" tree/f.gz) "$t_mid"

# git blobs.
mkrepo r
cp tree/* r/
cd r
commit_at '2024-01-01 10:00:00 +0000' 'release'
c=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_all
expect_git "$t_gap" commit="$c" path=e.zip

# After a zlib stream: the zlib decoder says what it could not decode
# (exit 2), and the raw scan finds the token there.
nfg dir -f json zl.zz
expect_decode_problem decode_failed \
	"nfguard: 'zl.zz': cannot decode zlib: data after the zlib stream"
expect_count 1
# shellcheck disable=SC2046 # "LINE COLUMN"
expect_finding zl.zz $(where "$t_zl" zl.zz) "$t_zl"
expect_git "$t_zl" encoding='<absent>'
