#!/bin/sh
# libarchive (with libxml2, ICU and the rest it pulls in) is loaded only
# by a run that decodes an archive or a gzip/bzip2 stream, and by
# --version, which names it. Seen from outside with strace (the library
# file opened or not); a libarchive that cannot be loaded fails the
# decoding, said and counted, never a clean exit.
set -eu

ldd "$NFGUARD" | grep -q 'libarchive\.so' &&
	fail "nfguard is linked with libarchive: $(ldd "$NFGUARD" | grep archive)"

# expect_libarchive YES|NO WHAT: the last traced run loaded libarchive.
expect_libarchive() {
	if grep -q '/libarchive\.so[^"]*", O_RDONLY|O_CLOEXEC) = [0-9]' \
		"$WORK/trace"; then
		[ "$1" = YES ] || fail "$2 loaded libarchive"
	else
		[ "$1" = NO ] || fail "$2 did not load libarchive"
	fi
}

t1=$(mktoken)
t2=$(mktoken)
mkdir plain packed
printf 'key=%s\n' "$t1" >plain/a.env
printf 'key=%s\n' "$t2" >packed.env
gzip -c packed.env >packed/b.env.gz

traced dir -f json plain
expect_rc 1
expect_count 1
expect_finding a.env 1 5 "$t1"
expect_libarchive NO "dir without archives"

traced stdin -f json --label in.env <plain/a.env
expect_rc 1
expect_count 1
expect_libarchive NO "stdin"

mkrepo app
cd app
cp ../plain/a.env .
git add a.env
traced staged -f json
expect_rc 1
expect_count 1
expect_finding a.env 1 5 "$t1"
expect_libarchive NO "staged"
cd ..

traced dir -f json --no-decode packed
expect_rc 0
expect_count 0
expect_libarchive NO "dir --no-decode"

traced dir -f json packed
expect_rc 1
expect_count 1
expect_encoding "$t2" '["gzip"]'
expect_libarchive YES "dir on a gzip file"

traced --version
expect_rc 0
expect_stdout "libarchive $(pkg-config --modversion libarchive)"
expect_libarchive YES "--version"

# A libarchive without its functions (zlib under its name, found first on
# LD_LIBRARY_PATH): the gzip file is not decoded, and that is an error.
libz=$(ldd "$NFGUARD" | sed -n 's/^[[:space:]]*libz\.so\.1 => \([^ ]*\).*/\1/p')
[ -n "$libz" ] || fail "nfguard does not use libz.so.1: $(ldd "$NFGUARD")"
mkdir fake
cp "$libz" fake/libarchive.so.13
nfg_env() {
	set +e
	LD_LIBRARY_PATH=$(pwd -P)/fake nfguard "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}
nfg_env dir -f json packed
expect_decode_problem decode_failed "nfguard: 'b.env.gz': cannot decode gzip: \
cannot load libarchive (libarchive.so.13 has no archive_version_number); \
archives and gzip or bzip2 streams need it"
expect_count 0
nfg_env --version
expect_rc 0
expect_stdout "libarchive not found"
