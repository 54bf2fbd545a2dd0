#!/bin/sh
# Benchmarks sweeps: CLONES bare clones of one real history, each with a
# distinct commit of its own added, swept by one `nfguard git` run against
# `nfguard git` run on each clone in turn, in the same hyperfine run; the
# sweep's peak RSS; when the binary has --state, the incremental second
# run (one new commit in every clone) against the first; when it has
# --cache, a sweep of the same clones through file:// URLs into an empty
# cache (clone) and again (fetch only). Every scan must exit 0.
#
# Usage: bench/sweep.sh [REPO_OR_MIRROR]
#   Default: the first repository named in NFG_BENCH_CORPORA, else a bare
#   clone of curl made in the cache (as bench/git.sh does). A mirror with
#   refs/pull/* is replaced by a clean bare clone (bench/git.sh's corpus).
# Environment: NFGUARD (binary, default build/nfguard), NFG_BENCH_DIR
#   (cache of clones, default ~/.cache/nfguard-bench), CLONES (default 20),
#   REPO_JOBS (--repo-jobs of the sweeps, default the number of cores),
#   RUNS (default 3), WARMUP (default 1), CACHE_CLONES (how many of the
#   clones the --cache part sweeps through file:// URLs, default CLONES).
#   Needs git, jq, hyperfine and GNU time (/usr/bin/time).
# Exit status: 0 when every scan exited 0, 1 otherwise, 2 on bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
clones=${CLONES:-20}
runs=${RUNS:-3}
warmup=${WARMUP:-1}
jobs=${REPO_JOBS:-$(nproc)}
cache_clones=${CACHE_CLONES:-$clones}
nfg=${NFGUARD:-$root/build/nfguard}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
. "$here/lib.sh"

for n in "$clones" "$runs" "$warmup" "$jobs" "$cache_clones"; do
	case $n in '' | *[!0-9]*)
		echo "$0: CLONES, RUNS, WARMUP, REPO_JOBS and CACHE_CLONES must be numbers" >&2
		exit 2
		;;
	esac
done
bench_require git jq hyperfine /usr/bin/time
out=$(mktemp -d "${TMPDIR:-/tmp}/nfg-bench-sweep.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir -p "$cache"

if [ $# -eq 0 ]; then
	if [ -n "${NFG_BENCH_CORPORA:-}" ]; then
		# shellcheck disable=SC2086
		set -- $NFG_BENCH_CORPORA
	else
		m=$cache/public-curl.git
		[ -d "$m" ] || git clone -q --bare \
			https://github.com/curl/curl.git "$m" || {
			echo "$0: cannot clone curl: name a corpus" >&2
			exit 2
		}
		set -- "$m"
	fi
fi
src=$(corpus "$1")
label=$(basename "$src")
label=${label#git-}
label=${label%.git}

# The clones, made once and kept in the cache while the source's branches
# and tags are unchanged (full copies: each sweep reads its own objects).
# The first is cloned; the others are copies of its files, as alike and
# made in seconds where each clone would index the packs again.
farm=$cache/sweep-$label-$clones
stamp=$(git -C "$src" for-each-ref refs/heads refs/tags | git hash-object --stdin)
if [ ! -f "$farm.stamp" ] || [ "$(cat "$farm.stamp")" != "$stamp" ]; then
	rm -rf "$farm" "$farm.stamp"
	mkdir -p "$farm"
	echo "== cloning $src into $farm/c1.git" >&2
	git clone -q --bare --no-local "$src" "$farm/c1.git"
	i=2
	while [ "$i" -le "$clones" ]; do
		echo "== copying $farm/c1.git to $farm/c$i.git" >&2
		cp -R "$farm/c1.git" "$farm/c$i.git"
		i=$((i + 1))
	done
	echo "$stamp" >"$farm.stamp"
fi

# add_commit REPO REF TEXT: a commit on top of HEAD adding bench.txt with
# TEXT, at a fixed date, as REF (made again at each run: same ids).
add_commit() {
	blob=$(printf '%s\n' "$3" | git -C "$1" hash-object -w --stdin)
	tree=$(printf '100644 blob %s\tbench.txt\n' "$blob" | git -C "$1" mktree)
	commit=$(GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
		GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com \
		GIT_AUTHOR_DATE='2026-01-01 00:00:00 +0000' \
		GIT_COMMITTER_DATE='2026-01-01 00:00:00 +0000' \
		git -C "$1" commit-tree "$tree" -p HEAD -m "$3")
	git -C "$1" update-ref "$2" "$commit"
}

set --
i=1
while [ "$i" -le "$clones" ]; do
	r=$farm/c$i.git
	git -C "$r" update-ref -d refs/heads/nfg-bench-new 2>/dev/null || true
	add_commit "$r" refs/heads/nfg-bench-own "clone $i of $clones"
	set -- "$@" "$r"
	i=$((i + 1))
done
repos=$*
qrepos=
for r in "$@"; do
	qrepos="$qrepos $(q "$r")"
done
commits=$(git -C "$1" rev-list --all --count)

echo "== nfguard: $("$nfg" --version) ($nfg)"
echo "== machine: $(nproc) cores," \
	"$(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo)," \
	"$(git --version), $(hyperfine --version), $(date -u +%Y-%m-%d)"
echo "== corpus $label: $clones clones of $src ($commits commits each);" \
	"load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

# Check and peak RSS: one sweep with its report kept.
ok=1
set +e
/usr/bin/time -f '%M' -o "$out/rss" "$nfg" git --no-progress \
	--repo-jobs "$jobs" -f json -o "$out/sweep.json" "$@" 2>"$out/err"
rc=$?
set -e
[ -s "$out/err" ] && sed 's/^/nfguard stderr: /' "$out/err"
scanned=$(jq '[.scan.repositories[] | select(.status == "scanned")] | length' \
	"$out/sweep.json" 2>/dev/null || echo 0)
if [ "$rc" != 0 ] || [ "$scanned" != "$clones" ]; then
	echo "FAIL: the sweep exited $rc with $scanned of $clones repositories scanned" >&2
	ok=0
fi
rss=$(tail -n 1 "$out/rss")
one=$(set -- $repos && echo "$1")
/usr/bin/time -f '%M' -o "$out/rss1" "$nfg" git --no-progress -f json \
	-o /dev/null "$one" || ok=0
rss1=$(tail -n 1 "$out/rss1")

# a) each in turn, b) one sweep, c) one sweep of one repository at a time.
printf '' >"$out/times"
cmd_a="for r in$qrepos; do $(q "$nfg") git --no-progress -f json \"\$r\" >/dev/null || exit 1; done"
cmd_b="$(q "$nfg") git --no-progress --repo-jobs $jobs -f json$qrepos >/dev/null"
cmd_c="$(q "$nfg") git --no-progress --repo-jobs 1 -f json$qrepos >/dev/null"
echo "== a) each in turn, b) sweep --repo-jobs $jobs, c) sweep --repo-jobs 1:" \
	"$warmup warm-up + $runs runs each"
timeit "$warmup" "$runs" -n 'each in turn' "$cmd_a" \
	-n 'sweep' "$cmd_b" -n 'sweep jobs 1' "$cmd_c"

# d) --state: the first run (no state) and the second after one new
# commit in every clone (the state of a first run restored before each).
has() {
	"$nfg" help git 2>/dev/null | grep -q -- "$1"
}
if has --state; then
	"$nfg" git --no-progress --repo-jobs "$jobs" -f json \
		--state "$out/state.base" "$@" >/dev/null || ok=0
	i=1
	for r in "$@"; do
		add_commit "$r" refs/heads/nfg-bench-new "new commit $i"
		i=$((i + 1))
	done
	echo "== d) --state: first run and incremental run:" \
		"$warmup warm-up + $runs runs each"
	hyperfine -w "$warmup" -r "$runs" --export-json "$out/hf.json" \
		-n 'state first' --prepare "rm -f $(q "$out/state")" \
		"$(q "$nfg") git --no-progress --repo-jobs $jobs -f json --state $(q "$out/state")$qrepos >/dev/null" \
		-n 'state incremental' \
		--prepare "cp $(q "$out/state.base") $(q "$out/state")" \
		"$(q "$nfg") git --no-progress --repo-jobs $jobs -f json --state $(q "$out/state")$qrepos >/dev/null"
	jq -r '.results[] | [.command, .mean, .stddev, .min, .user + .system] | @tsv' \
		"$out/hf.json" >>"$out/times"
	for r in "$@"; do
		git -C "$r" update-ref -d refs/heads/nfg-bench-new
	done
else
	echo "== d) skipped: this nfguard has no --state"
fi

# e) --cache: file:// URLs into an empty cache (clone), then again (fetch).
# hyperfine runs a single --prepare before every command, so the second
# command has one of its own that leaves the cache as the first left it.
if has --cache && [ "$cache_clones" -gt 0 ]; then
	urls=
	i=1
	for r in "$@"; do
		[ "$i" -le "$cache_clones" ] || break
		urls="$urls $(q "file://$r")"
		i=$((i + 1))
	done
	echo "== e) --cache over file:// URLs of $cache_clones of the clones:" \
		"clone, then fetch only: $runs runs each"
	hyperfine -w 0 -r "$runs" --export-json "$out/hf.json" \
		-n 'cache clone' --prepare "rm -rf $(q "$out/cache")" \
		"$(q "$nfg") git --no-progress --repo-jobs $jobs -f json --cache $(q "$out/cache")$urls >/dev/null" \
		-n 'cache fetch' --prepare : \
		"$(q "$nfg") git --no-progress --repo-jobs $jobs -f json --cache $(q "$out/cache")$urls >/dev/null"
	jq -r '.results[] | [.command, .mean, .stddev, .min, .user + .system] | @tsv' \
		"$out/hf.json" >>"$out/times"
else
	echo "== e) skipped: this nfguard has no --cache, or CACHE_CLONES is 0"
fi

ta=$(tget 'each in turn') tb=$(tget 'sweep') tc=$(tget 'sweep jobs 1')
td1=$(tget 'state first') td2=$(tget 'state incremental')
te1=$(tget 'cache clone') te2=$(tget 'cache fetch')
ca=$(tget 'each in turn' 5) cb=$(tget 'sweep' 5) cc=$(tget 'sweep jobs 1' 5)
cd1=$(tget 'state first' 5) cd2=$(tget 'state incremental' 5)
awk -v n="$clones" -v jobs="$jobs" -v ta="$ta" -v tb="$tb" -v tc="$tc" \
	-v td1="${td1:-0}" -v td2="${td2:-0}" -v te1="${te1:-0}" \
	-v te2="${te2:-0}" -v rss="$rss" -v rss1="$rss1" -v nc="$cache_clones" \
	-v ca="${ca:-0}" -v cb="${cb:-0}" -v cc="${cc:-0}" -v cd1="${cd1:-0}" \
	-v cd2="${cd2:-0}" -v load="$(cut -d ' ' -f 1-3 /proc/loadavg)" '
function met(c) { return c ? "met" : "MISSED" }
function cpu(c) { return c > 0 ? sprintf(" (CPU %.2f s)", c) : "" }
BEGIN {
	printf "\n%-44s %10s  %s\n", "what (" n " repositories)", "wall", "ratio"
	printf "%-44s %8.2f s%s\n", "a) nfguard git on each in turn", ta, cpu(ca)
	printf "%-44s %8.2f s%s  b/a = %.2f (target <= 1.0: %s)\n",
		"b) one sweep, --repo-jobs " jobs, tb, cpu(cb), tb / ta,
		met(tb / ta <= 1.0)
	printf "%-44s %8.2f s%s  c/a = %.2f\n", "c) one sweep, --repo-jobs 1",
		tc, cpu(cc), tc / ta
	printf "%-44s %8.0f MiB (one repository alone: %.0f MiB)\n",
		"peak RSS of b)", rss / 1024, rss1 / 1024
	if (td1 > 0)
		printf "%-44s %8.2f s / %.2f s  second/first = %.1f%% (target <= 5%%: %s)%s\n",
			"d) --state first / incremental", td1, td2,
			100 * td2 / td1, met(td2 / td1 <= 0.05),
			(cd1 > 0 ? sprintf("; CPU %.2f s / %.2f s = %.1f%%", cd1, cd2, 100 * cd2 / cd1) : "")
	if (te1 > 0)
		printf "%-44s %8.2f s / %.2f s  fetch/clone = %.2f\n",
			"e) --cache file:// clone / fetch (" nc " repositories)",
			te1, te2, te2 / te1
	printf "load average at the end: %s\n", load
}' </dev/null
if [ "$ok" = 1 ]; then
	echo "check: PASS"
else
	echo "check: FAIL"
	exit 1
fi
