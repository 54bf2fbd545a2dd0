#!/bin/sh
# nfguard --version names the version (the project's), the commit the build
# was configured from and each library loaded, line by line; --format json
# gives the same under stable field names; anything else is a usage error.
set -eu

ver=$(sed -n 's/^project(nfguard VERSION \([0-9.]*\) .*/\1/p' \
	"$SRCDIR/CMakeLists.txt")
[ -n "$ver" ] || fail "no project version in CMakeLists.txt"
# The commit is the one the build was configured from: HEAD, or one
# before it when commits came after the last build.
if top=$(git -c safe.directory='*' -C "$SRCDIR" rev-parse --show-toplevel \
	2>/dev/null) && [ "$(cd "$top" && pwd -P)" = "$(cd "$SRCDIR" && pwd -P)" ]
then
	in_checkout=1
else
	in_checkout=
fi
modver() { pkg-config --modversion "$1"; }

nfg --version
expect_rc 0
expect_no_stderr
assert_eq "$(sed -n 1p "$WORK/out")" "nfguard $ver" "version line"
commit=$(sed -n 's/^commit //p' "$WORK/out")
if [ -n "$in_checkout" ]; then
	printf '%s\n' "$commit" | grep -Eqx '[0-9a-f]{40}' ||
		fail "commit line: '$(sed -n 2p "$WORK/out")'"
	git -c safe.directory='*' -C "$SRCDIR" merge-base --is-ancestor \
		"$commit" HEAD || fail "commit $commit is not HEAD or before it"
else
	assert_eq "$commit" unknown "commit outside a checkout"
fi
assert_eq "$(sed -n 4p "$WORK/out"; sed -n 6,10p "$WORK/out")" \
	"libgit2 $(modver libgit2)
cjson $(modver libcjson)
zlib $(modver zlib)
libarchive $(modver libarchive)
liblzma $(modver liblzma)
libdeflate $(modver libdeflate)" "library lines"
sed -n 5p "$WORK/out" | grep -Eq "^libcurl $(modver libcurl | sed \
	's/\./\\./g') \(tls [A-Za-z]+/[0-9][0-9a-z.]*\)\$" ||
	fail "libcurl line: '$(sed -n 5p "$WORK/out")'"
assert_eq "$(sed -n 3p "$WORK/out" | sed 's/(jit o[nf]*)$/(jit X)/')" \
	"pcre2 $(modver libpcre2-8) (jit X)" "pcre2 line"
sed -n 3p "$WORK/out" | grep -Eq ' \(jit (on|off)\)$' ||
	fail "pcre2 line: '$(sed -n 3p "$WORK/out")'"
assert_eq "$(wc -l <"$WORK/out" | tr -d ' ')" 10 "lines"
cp "$WORK/out" human

# JSON: exactly these fields, the values of the human lines.
for f in "-f json" "--format json" "--format=json"; do
	# shellcheck disable=SC2086 # split on purpose
	nfg --version $f
	expect_rc 0
	expect_no_stderr
	assert_eq "$(jq -r '[paths(scalars) | map(tostring) | join(".")] |
		join(" ")' "$WORK/out")" "name version commit \
libraries.pcre2.version libraries.pcre2.jit libraries.libgit2.version \
libraries.libcurl.version libraries.libcurl.tls libraries.cjson.version \
libraries.zlib.version libraries.libarchive.version \
libraries.liblzma.version libraries.libdeflate.version" "JSON fields ($f)"
	assert_eq "$(jq -r '"nfguard \(.version)\ncommit \(.commit)\n" +
		(.libraries | to_entries | map("\(.key) \(.value.version)" +
		(if .value.jit != null then " (jit \(if .value.jit then "on"
		else "off" end))" elif .value.tls then " (tls \(.value.tls))"
		else "" end)) | join("\n"))' "$WORK/out")" "$(cat human)" \
		"JSON values against the human lines ($f)"
	assert_eq "$(jq -r .name "$WORK/out")" nfguard "name"
done
nfg --version -f human
expect_rc 0
assert_eq "$(cat "$WORK/out")" "$(cat human)" "--format human"

# Usage errors: one line each, exit 2, nothing on stdout.
nfg --version extra
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --version takes no operand, not 'extra'" "operand"
nfg --version --format xml
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --version --format: 'xml' is not human or json" "format"
nfg --version --verify
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --version takes only --format human|json, not '--verify'" \
	"option"
nfg --version -f
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: option '-f' needs a value (human or json)" "missing value"
assert_eq "$(cat "$WORK/out")" "" "stdout of a usage error"
