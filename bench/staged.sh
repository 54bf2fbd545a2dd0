#!/bin/sh
# Benchmarks `nfguard staged` (the pre-commit hook) on a typical commit in
# a large work tree, side by side with git's own look at the same change
# (`git diff --cached`), in one run: the hook must cost tens of
# milliseconds. The work tree is a checkout of curl's history mirror
# (cached); the commit changes three files by a few lines and adds one,
# one of them holding a token built at run time, which must be found once.
#
# Usage: bench/staged.sh [MIRROR]   (default: NFG_BENCH_STAGED_REPO, else
#   a bare clone of curl made in the cache from its public repository)
# Environment: NFGUARD (binary, default build/nfguard), NFG_BENCH_DIR
#   (cache, default ~/.cache/nfguard-bench), RUNS (default 30).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${RUNS:-30}
nfg=${NFGUARD:-$root/build/nfguard}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
mirror=${1:-${NFG_BENCH_STAGED_REPO:-}}
if [ -z "$mirror" ]; then
	mirror=$cache/public-curl.git
	mkdir -p "$cache"
	[ -d "$mirror" ] || git clone -q --bare https://github.com/curl/curl.git \
		"$mirror" || {
		echo "$0: cannot clone curl: name a repository" >&2
		exit 2
	}
fi
wt=$cache/staged-$(printf '%s' "$mirror" | sha256sum | cut -c1-12)

command -v hyperfine >/dev/null 2>&1 || {
	echo "$0: hyperfine is required" >&2
	exit 2
}
[ -x "$nfg" ] || {
	echo "$0: no nfguard binary at '$nfg' (build it or set NFGUARD)" >&2
	exit 2
}
nfg=$(cd "$(dirname "$nfg")" && pwd)/$(basename "$nfg")

if [ ! -d "$wt/.git" ]; then
	mkdir -p "$cache"
	git clone -q --no-local --single-branch "$mirror" "$wt"
fi
cd "$wt"
git reset -q --hard HEAD
git clean -qfd

# A typical commit: three small edits and a new file, one with a token.
files=$(git ls-files '*.c' | head -n 3)
for f in $files; do
	printf '/* touched by bench/staged.sh */\n' >>"$f"
done
body=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
printf 'NOTIFLOWS_TOKEN=nf_''at_%s\n' "$body" >bench-new.env
git add -A
trap 'git -C "$wt" reset -q --hard HEAD; git -C "$wt" clean -qfd' EXIT

echo "== work tree: $(git ls-files | wc -l) files, HEAD $(git rev-parse --short HEAD)"
echo "== staged: $(git diff --cached --name-only | wc -l) files"
n=$("$nfg" staged -f json | jq '.findings | length') || true
[ "$n" = 1 ] || {
	echo "$0: expected 1 finding, got '$n'" >&2
	exit 1
}

hyperfine -N -i -w 3 -r "$runs" --export-json "$cache/staged.json" \
	-n 'nfguard staged' "$nfg staged -q -f json" \
	-n 'git diff --cached' 'git diff --cached --no-color' \
	>/dev/null 2>&1 || true
jq -r '.results[] | "\(.command)\t\(.mean * 1000 | . * 10 | round / 10) ms ± \(.stddev * 1000 | . * 10 | round / 10) ms"' \
	"$cache/staged.json"
jq -r '.results as $r | "ratio nfguard/git-diff: \(($r[0].mean / $r[1].mean) * 100 | round / 100)"' \
	"$cache/staged.json"
