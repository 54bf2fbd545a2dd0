#!/bin/sh
# Times the multi-literal search (src/engine/multilit.c) against glibc's
# memmem on a corpus held in memory: one keyword, and the keyword's 17
# encoded forms that issue 14's decoders are reached by. Exits 1 when two
# searches count different occurrences.
#
# Usage: bench/multilit.sh [REPO]
# Environment: NFG_BENCH_CORPUS (a file, scanned as it is), else REPO or
#   NFG_BENCH_REPO (a git repository: `git archive HEAD` of it, kept in
#   NFG_BENCH_DIR, default ~/.cache/nfguard-bench), BENCH_MULTILIT (the
#   program, default build/tests/bench_multilit), RUNS (runs of each
#   search, the fastest counts; default 21), CHUNKS (bytes a scan call,
#   0 for the whole corpus in one; default "0 4096").
# Exit status: 0, 1 when the searches disagree, 2 on bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
prog=${BENCH_MULTILIT:-$root/build/tests/bench_multilit}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
runs=${RUNS:-21}
chunks=${CHUNKS:-0 4096}

[ -x "$prog" ] || {
	echo "$0: no program at '$prog' (build bench_multilit or set" \
		"BENCH_MULTILIT)" >&2
	exit 2
}
corpus=${NFG_BENCH_CORPUS:-}
if [ -z "$corpus" ]; then
	repo=${1:-${NFG_BENCH_REPO:-}}
	[ -n "$repo" ] || {
		echo "usage: $0 REPO (or set NFG_BENCH_REPO or" \
			"NFG_BENCH_CORPUS)" >&2
		exit 2
	}
	head=$(git -C "$repo" rev-parse HEAD) || exit 2
	name=$(basename "$(cd "$repo" && pwd)")
	mkdir -p "$cache"
	corpus=$cache/multilit-${name%.git}-$head.tar
	if [ ! -f "$corpus" ]; then
		echo "== git archive HEAD of $repo into $corpus"
		git -C "$repo" archive --format=tar -o "$corpus.tmp" HEAD
		mv "$corpus.tmp" "$corpus"
	fi
fi
echo "== corpus: $corpus"
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for chunk in $chunks; do
	"$prog" "$corpus" "$runs" "$chunk" || exit 1
done
