#!/bin/sh
# Benchmarks `nfguard dir` against ripgrep on a generated tree (cached),
# in one run, and checks that nfguard found every planted token exactly
# once, at the planted path, line and column: the plain ones and the
# encoded ones (DIR.encoded), and with --no-decode the plain ones only.
# Prints the recall of each (found/planted).
#
# Usage: bench/dir.sh [SIZE_MB]      (default 100)
# Environment: NFGUARD (binary, default build/nfguard), SEED (default 1),
#   NFG_BENCH_DIR (tree cache, default ~/.cache/nfguard-bench),
#   RUNS (timed runs per command, default 10), WARMUP (default 2).
# Exit status: 0 when the check passed, 1 when it failed, 2 on bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
size=${1:-100}
seed=${SEED:-1}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
nfg=${NFGUARD:-$root/build/nfguard}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
. "$here/lib.sh"
tree=$cache/tree-${size}mb-seed$seed
# The pattern the issue names (written in two pieces so that this file
# never holds anything that looks like a token).
pat='nf_''at_[A-Za-z0-9_-]{16,}'

case $size in '' | *[!0-9]*)
	echo "usage: $0 [SIZE_MB]" >&2
	exit 2
	;;
esac
bench_require jq rg

# The tree is reused while it is newer than its generator; DIR.planted is
# written last, so its presence means the tree is complete.
mkdir -p "$cache"
if [ ! -f "$tree.planted" ] || [ ! -f "$tree.encoded" ] ||
	[ "$here/gen-tree.sh" -nt "$tree.planted" ]; then
	rm -rf "$tree" "$tree.planted"
	echo "== generating ${size} MB tree (seed $seed) in $tree"
	"$here/gen-tree.sh" "$tree" "$size" "$seed"
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/nfg-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT

files=$(find "$tree" -name .git -prune -o -type f -print | wc -l)
bytes=$(find "$tree" -name .git -prune -o -type f -printf '%s\n' |
	awk '{ s += $1 } END { printf "%.0f", s }')
plain=$(wc -l <"$tree.planted")
encoded=$(wc -l <"$tree.encoded")
planted=$((plain + encoded))
LC_ALL=C sort "$tree.planted" "$tree.encoded" >"$out/planted"
echo "== tree: $files files, $bytes bytes, $planted planted tokens" \
	"($plain plain, $encoded encoded)"
echo "== nfguard: $("$nfg" --version) ($nfg), $(nproc) cores"

# Correctness: one run, report compared with the planted list.
echo "== check: every planted token found exactly once"
set +e
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%M' -o "$out/rss" \
		"$nfg" dir -f json -o "$out/report.json" "$tree" 2>"$out/err"
else
	"$nfg" dir -f json -o "$out/report.json" "$tree" 2>"$out/err"
fi
rc=$?
set -e
ok=1
if [ "$rc" != 1 ]; then
	echo "FAIL: nfguard exited $rc, expected 1 (findings)" >&2
	cat "$out/err" >&2
	ok=0
fi
if [ -s "$out/report.json" ]; then
	jq -r '.findings[] | [.path, .line, .column, .end_column] | @tsv' \
		"$out/report.json" | LC_ALL=C sort >"$out/found"
	found=$(wc -l <"$out/found")
	unique=$(jq -r '.findings[].fingerprint' "$out/report.json" |
		sort -u | wc -l)
	scanned=$(jq -r '.scan.files_scanned' "$out/report.json")
	sbytes=$(jq -r '.scan.bytes_scanned' "$out/report.json")
	echo "found $found (unique fingerprints $unique), planted $planted;" \
		"files_scanned $scanned of $files, bytes_scanned $sbytes of $bytes"
	if ! diff "$out/planted" "$out/found" >"$out/diff"; then
		echo "FAIL: findings differ from the planted list" \
			"(< planted only, > reported only):" >&2
		head -n 20 "$out/diff" >&2
		ok=0
	fi
	[ "$unique" = "$planted" ] || {
		echo "FAIL: $unique distinct fingerprints, expected $planted" >&2
		ok=0
	}
	[ "$scanned" = "$files" ] && [ "$sbytes" = "$bytes" ] || {
		echo "FAIL: scan counts differ from the tree" >&2
		ok=0
	}
else
	echo "FAIL: no report written" >&2
	ok=0
fi
[ -s "$out/rss" ] && echo "peak RSS: $(tail -n 1 "$out/rss") KiB"

# Recall: of LIST's tokens, how many the sorted list of places FOUND
# holds ("found/listed").
recall() {
	echo "$(LC_ALL=C comm -12 "$1" "$2" | wc -l)/$(wc -l <"$1")"
}
echo "== check: with --no-decode, the plain tokens and nothing more"
set +e
"$nfg" dir -f json --no-decode -o "$out/plain.json" "$tree" 2>"$out/err"
rc=$?
set -e
: >"$out/plain"
if [ "$rc" != 1 ] || [ ! -s "$out/plain.json" ]; then
	echo "FAIL: nfguard --no-decode exited $rc, expected 1 (findings)" >&2
	cat "$out/err" >&2
	ok=0
else
	jq -r '.findings[] | [.path, .line, .column, .end_column] | @tsv' \
		"$out/plain.json" | LC_ALL=C sort >"$out/plain"
	cmp -s "$tree.planted" "$out/plain" || {
		echo "FAIL: --no-decode findings differ from the plain tokens" >&2
		ok=0
	}
fi
[ -f "$out/found" ] || : >"$out/found"
echo "recall plain:   $(recall "$tree.planted" "$out/found")" \
	"(--no-decode $(recall "$tree.planted" "$out/plain"))"
echo "recall encoded: $(recall "$tree.encoded" "$out/found")" \
	"(--no-decode $(recall "$tree.encoded" "$out/plain"))"

# Timing: the three commands in one run (page cache warm for all).
cmd_nfg="$(q "$nfg") dir -f json --exit-code 0 $(q "$tree") >/dev/null"
cmd_rg="rg -c $(q "$pat") $(q "$tree") >/dev/null"
cmd_rga="rg -uuu -a -c $(q "$pat") $(q "$tree") >/dev/null"
# The same scan with no decoder: what decoding costs.
cmd_nd="$(q "$nfg") dir -f json --exit-code 0 --no-decode $(q "$tree") >/dev/null"

echo "== timing: $warmup warm-up + $runs runs each"
if command -v hyperfine >/dev/null 2>&1; then
	hyperfine -w "$warmup" -r "$runs" --export-json "$out/times.json" \
		-n nfguard "$cmd_nfg" -n rg "$cmd_rg" -n 'rg -uuu -a' "$cmd_rga" \
		-n 'nfguard --no-decode' "$cmd_nd"
	jq -r '.results[] | [.command, .mean, .stddev] | @tsv' \
		"$out/times.json" >"$out/times"
else
	# Without hyperfine: median of the runs, measured with date.
	median() {
		i=0
		while [ "$i" -lt "$((warmup + runs))" ]; do
			t0=$(date +%s%N)
			sh -c "$2"
			t1=$(date +%s%N)
			[ "$i" -lt "$warmup" ] || echo $((t1 - t0))
			i=$((i + 1))
		done | sort -n | awk -v n="$1" '{ v[NR] = $1 }
			END { printf "%s\t%.6f\t0\n", n, v[int((NR + 1) / 2)] / 1e9 }'
	}
	{
		median nfguard "$cmd_nfg"
		median rg "$cmd_rg"
		median 'rg -uuu -a' "$cmd_rga"
		median 'nfguard --no-decode' "$cmd_nd"
	} >"$out/times"
fi

awk -F '\t' -v size="$size" -v files="$files" -v found="${found:-0}" \
	-v planted="$planted" '
	{ t[$1] = $2; sd[$1] = $3 }
	END {
		printf "\n%-12s %10s %10s\n", "command", "wall (ms)", "vs rg"
		split("nfguard|rg|rg -uuu -a", names, "|")
		for (i = 1; i <= 3; i++) {
			n = names[i]
			printf "%-12s %10.1f %9.2fx\n", n, t[n] * 1000,
				t[n] / t["rg"]
		}
		printf "\nratio nfguard/rg = %.2f (nfguard/rg -uuu -a = %.2f)\n",
			t["nfguard"] / t["rg"], t["nfguard"] / t["rg -uuu -a"]
		nd = t["nfguard --no-decode"]
		printf "decoding costs nfguard/nfguard --no-decode = %.2f (%.1f ms without; target <= 1.15: %s)\n",
			t["nfguard"] / nd, nd * 1000,
			t["nfguard"] / nd <= 1.15 ? "met" : "MISSED"
		printf "\n| %d MB | %d | %.0f | %.0f | %.2f | %.0f | %.2f | %d/%d |\n",
			size, files, t["nfguard"] * 1000, t["rg"] * 1000,
			t["nfguard"] / t["rg"], t["rg -uuu -a"] * 1000,
			t["nfguard"] / t["rg -uuu -a"], found, planted
	}' "$out/times"

if [ "$ok" = 1 ]; then
	echo "check: PASS"
else
	echo "check: FAIL"
	exit 1
fi
