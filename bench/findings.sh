#!/bin/sh
# What findings cost a history scan: the same history rewritten twice,
# once with TOKENS tokens planted over COMMITS commits spread across its
# life and once without, each scanned by `nfguard git` in one hyperfine
# run; the figure is the ratio of the two. The planted run must report
# exactly the planted tokens, at their path, line and commit.
#
# Usage: bench/findings.sh [REPO_OR_MIRROR]
#   Default: the first repository of NFG_BENCH_CORPORA, else a bare clone
#   of curl made in the cache (as bench/git.sh makes it).
# Environment: NFGUARD (binary, default build/nfguard), NFGUARD_BASE (a
#   second binary: timed beside it, and its reports must be the same
#   bytes, timings aside), NFG_BENCH_DIR (cache, default
#   ~/.cache/nfguard-bench), COMMITS (default 500; two tokens each),
#   SEED (default 1), RUNS (default 3), WARMUP (default 1).
# Exit status: 0 when every check passed, 1 when one failed, 2 on bad
# usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${RUNS:-3}
warmup=${WARMUP:-1}
commits=${COMMITS:-500}
seed=${SEED:-1}
nfg=${NFGUARD:-$root/build/nfguard}
base=${NFGUARD_BASE:-}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
. "$here/lib.sh"

for n in "$runs" "$warmup" "$commits" "$seed"; do
	case $n in '' | *[!0-9]*)
		echo "$0: RUNS, WARMUP, COMMITS and SEED must be numbers" >&2
		exit 2
		;;
	esac
done
bench_require git jq python3
if [ -n "$base" ]; then
	[ -x "$base" ] || {
		echo "$0: no binary at NFGUARD_BASE '$base'" >&2
		exit 2
	}
	base=$(cd "$(dirname "$base")" && pwd)/$(basename "$base")
fi
mkdir -p "$cache"
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	[ -n "${NFG_BENCH_CORPORA:-}" ] && set -- $NFG_BENCH_CORPORA
	if [ $# -eq 0 ]; then
		m=$cache/public-curl.git
		[ -d "$m" ] || git clone -q --bare \
			https://github.com/curl/curl.git "$m" || {
			echo "$0: cannot clone curl: name a repository" >&2
			exit 2
		}
		set -- "$m"
	fi
fi
git -C "$1" rev-parse --git-dir >/dev/null 2>&1 || {
	echo "$0: '$1' is not a git repository" >&2
	exit 2
}
out=$(mktemp -d "${TMPDIR:-/tmp}/nfg-bench-findings.XXXXXX")
trap 'rm -rf "$out"' EXIT
src=$(corpus "$1")
label=$(basename "$src" .git)
label=${label#git-}
total=$(git -C "$src" rev-list --all --count)

# rewrite NAME COMMITS: the history of src through fast-export, the
# planting filter and fast-import into $cache/hist-LABEL-NAME.git, then
# repacked whole (deltas of src reused), alone. Kept while src, the
# filter and the parameters are unchanged.
rewrite() {
	dest=$cache/hist-$label-$1.git
	stamp=$( (
		git -C "$src" for-each-ref refs/heads refs/tags
		cat "$here/plant-history.py"
		echo "$2 $seed"
	) | git hash-object --stdin)
	if [ -f "$dest.stamp" ] && [ "$(cat "$dest.stamp")" = "$stamp" ]; then
		return
	fi
	echo "== rewriting $src into $dest ($2 commits planted)" >&2
	rm -rf "$dest" "$dest.stamp" "$dest.planted"
	git init -q --bare "$dest"
	(cd "$src" && cd "$(git rev-parse --git-path objects)" && pwd) \
		>"$dest/objects/info/alternates"
	git -C "$src" fast-export --all --no-data --signed-tags=strip \
		--reencode=no |
		python3 "$here/plant-history.py" "$total" "$2" "$seed" \
			"$dest.marked" |
		git -C "$dest" fast-import --quiet --export-marks="$dest.marks"
	# Marks to commit ids in the planted list.
	awk -F '\t' 'NR == FNR { split($0, m, " "); id[m[1]] = m[2]; next }
		{ print $1 "\t" $2 "\t" id[$3] "\t" $4 }' "$dest.marks" \
		"$dest.marked" | LC_ALL=C sort >"$dest.planted"
	git -C "$dest" repack -a -d -q
	rm -f "$dest/objects/info/alternates" "$dest.marks" "$dest.marked"
	git -C "$dest" fsck --connectivity-only --no-dangling --no-progress
	echo "$stamp" >"$dest.stamp"
}
rewrite plain 0
plain=$dest
rewrite "tokens$commits-seed$seed" "$commits"
tokens=$dest
planted=$dest.planted

echo "== corpus $label: $src ($total commits); planted $(wc -l <"$planted")" \
	"tokens; load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
ok=1
# check BIN NAME REPO EXPECTED_EXIT: one scan, its report in $out/NAME.json.
check() {
	set +e
	"$1" git --no-progress -f json -o "$out/$2.json" "$3" 2>"$out/$2.err"
	rc=$?
	set -e
	[ -s "$out/$2.err" ] && sed "s/^/$2 stderr: /" "$out/$2.err"
	if [ "$rc" != "$4" ]; then
		echo "FAIL: $2 exited $rc, not $4" >&2
		ok=0
	fi
}
check "$nfg" plain "$plain" 0
check "$nfg" tokens "$tokens" 1
jq -r '.findings[] | [.path, (.line | tostring), .commit, .fingerprint] |
	@tsv' "$out/tokens.json" | LC_ALL=C sort >"$out/found"
if cmp -s "$out/found" "$planted"; then
	echo "check: $(wc -l <"$out/found") findings, each planted token" \
		"once at its path, line and commit"
else
	echo "FAIL: findings differ from the planted tokens (< found," \
		"> planted):" >&2
	diff "$out/found" "$planted" | head -20 >&2
	ok=0
fi
set --
if [ -n "$base" ]; then
	check "$base" base-plain "$plain" 0
	check "$base" base-tokens "$tokens" 1
	for v in plain tokens; do
		for b in "" base-; do
			jq -S 'walk(if type == "object" then del(.duration_ms,
				.started_at, .seconds) else . end)' \
				"$out/$b$v.json" >"$out/$b$v.cmp"
		done
		if cmp -s "$out/$v.cmp" "$out/base-$v.cmp"; then
			echo "check: $v reports of both binaries are the same"
		else
			echo "FAIL: $v reports differ between NFGUARD and" \
				"NFGUARD_BASE" >&2
			diff "$out/base-$v.cmp" "$out/$v.cmp" | head -20 >&2
			ok=0
		fi
	done
	set -- -n 'base plain' "$(q "$base") git --no-progress -f json $(q "$plain") >/dev/null" \
		-n 'base tokens' "$(q "$base") git --no-progress -f json --exit-code 0 $(q "$tokens") >/dev/null"
fi

echo "== timing: $warmup warm-up + $runs runs each"
printf '' >"$out/times"
timeit "$warmup" "$runs" \
	-n plain "$(q "$nfg") git --no-progress -f json $(q "$plain") >/dev/null" \
	-n tokens "$(q "$nfg") git --no-progress -f json --exit-code 0 $(q "$tokens") >/dev/null" \
	"$@"
awk -F '\t' -v label="$label" -v n="$(wc -l <"$planted")" \
	-v commits="$commits" -v load="$(cut -d ' ' -f 1 /proc/loadavg)" '
	{ t[$1] = $2; c[$1] = $5 }
	END {
		printf "%s: %d tokens over %d commits: plain %.2f s (CPU %.2f), tokens %.2f s (CPU %.2f): ratio %.2f, CPU %.2f (target <= 1.5: %s); load %s\n",
			label, n, commits, t["plain"], c["plain"], t["tokens"],
			c["tokens"], t["tokens"] / t["plain"],
			c["tokens"] / c["plain"],
			t["tokens"] / t["plain"] <= 1.5 ? "met" : "MISSED", load
		if ("base plain" in t)
			printf "base: plain %.2f s, tokens %.2f s: ratio %.2f; NFGUARD / NFGUARD_BASE with tokens %.2f\n",
				t["base plain"], t["base tokens"],
				t["base tokens"] / t["base plain"],
				t["tokens"] / t["base tokens"]
	}' "$out/times"
bench_verdict
