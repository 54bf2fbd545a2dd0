#!/bin/sh
# Every header under src/ compiles on its own: a file that includes only
# it must pass the compiler (it includes what it uses, in any order).
# Usage: check-headers.sh SOURCE_DIR C_COMPILER
set -eu
src=$1 cc=$2
flags=$(pkg-config --cflags libpcre2-8 libgit2 libcurl libcjson zlib)
n=0 bad=0
for h in $(cd "$src/src" && find . -name '*.h' | sed 's|^\./||' | sort); do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! printf '#include "%s"\n' "$h" |
		"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
			-fsyntax-only $flags -I"$src/src" -x c - 2>"${TMPDIR:-/tmp}/hdr.$$"; then
		echo "FAIL: $h does not compile on its own:" >&2
		cat "${TMPDIR:-/tmp}/hdr.$$" >&2
		bad=$((bad + 1))
	fi
done
rm -f "${TMPDIR:-/tmp}/hdr.$$"
echo "$n headers, $bad that do not compile on their own"
[ "$bad" = 0 ]
