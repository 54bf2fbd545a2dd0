#!/bin/sh
# No output of the e2e tests holds a whole token: every file that
# tests/e2e/run.sh kept in DIR/SCRIPT/out (what each script and each run of
# nfguard printed or wrote) is searched for every token any script planted
# (DIR/SCRIPT/planted). A hit is named by file and a shortened token, never
# the token itself. Fails too when there is nothing to search, or when a
# script planted tokens but kept no output, so it cannot pass vacuously.
# Usage: check-transcripts.sh DIR          the check (after the e2e tests)
#        check-transcripts.sh --clean DIR  empties DIR (before them)
set -eu
if [ "$1" = --clean ]; then
	rm -rf "$2"
	exit 0
fi
dir=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfguard-transcripts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0 scripts=0

# short TOKEN: at most its first 10 characters (half of a short one), so
# that a report of a leak does not leak it again.
short() {
	_n=${#1}
	_k=$((_n / 2 < 10 ? _n / 2 : 10))
	printf '%s… (%s characters)' "$(printf '%s' "$1" | cut -c1-"$_k")" "$_n"
}

for s in "$dir"/*/; do
	[ -f "$s/planted" ] || continue
	s=${s%/}
	scripts=$((scripts + 1))
	[ -s "$s/planted" ] || continue
	[ "$(cat "$s/status" 2>/dev/null)" != 77 ] || continue
	if [ -z "$(find "$s/out" -type f ! -name '*.cmdline' \
		! -name 'script.std*' -print | head -n 1)" ]; then
		echo "FAIL: ${s##*/} planted $(wc -l <"$s/planted") tokens but kept no output of nfguard" >&2
		bad=1
	fi
done
[ "$scripts" -gt 0 ] || {
	echo "FAIL: no transcript in $dir: run the e2e tests with it" >&2
	exit 1
}
cat "$dir"/*/planted | sort -u >"$tmp/planted"
[ -s "$tmp/planted" ] || {
	echo "FAIL: the e2e tests in $dir planted no token" >&2
	exit 1
}

grep -rlaF -f "$tmp/planted" --exclude='*.cmdline' "$dir"/*/out | sort >"$tmp/hits" || :
while IFS= read -r f; do
	grep -oaF -f "$tmp/planted" "$f" | sort -u >"$tmp/found"
	while IFS= read -r t; do
		echo "FAIL: ${f#"$dir"/} holds a whole token: $(short "$t")" >&2
	done <"$tmp/found"
	bad=1
done <"$tmp/hits"
[ "$bad" = 0 ] || exit 1
echo "$(wc -l <"$tmp/planted") tokens planted by $scripts scripts: in no output"
