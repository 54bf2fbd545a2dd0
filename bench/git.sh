#!/bin/sh
# Benchmarks `nfguard git` on real histories against what other tools pay
# to read the same history (every object inflated once with git cat-file,
# and the patch stream of git log -p), in one run per corpus, and checks
# that nfguard's scan of each corpus exits 0 (no findings). The cost of
# --strict-objects (every object's id checked) is timed beside the
# default scan, when the binary has the option.
#
# Usage: bench/git.sh [REPO_OR_MIRROR...]
#   Default: the repositories named in NFG_BENCH_CORPORA (space-separated
#   paths), else bare clones of curl and git made in the cache from their
#   public repositories (the only network use; a second run reuses them).
#   A repository with
#   refs/pull/* refs (a mirror) is not scanned itself: a clean bare clone
#   with only its branches and tags (`git clone --bare --no-local`, what a
#   user's clone holds) is made in the cache and reused while the
#   mirror's branches and tags are unchanged. Other repositories are used
#   as they are.
# Environment: NFGUARD (binary, default build/nfguard), NFG_BENCH_DIR
#   (clone cache, default ~/.cache/nfguard-bench), RUNS (timed runs of
#   the full scans, default 3), WARMUP (default 1), RANGE (default
#   HEAD~10..HEAD), RANGE_RUNS (default 20), RANGE_WARMUP (default 3),
#   LOGP_TIMEOUT (seconds for the single git log -p run, default 1200;
#   0 skips it).
# Exit status: 0 when every scan exited 0, 1 when one reported findings or
# failed, 2 on bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${RUNS:-3}
warmup=${WARMUP:-1}
range=${RANGE:-HEAD~10..HEAD}
range_runs=${RANGE_RUNS:-20}
range_warmup=${RANGE_WARMUP:-3}
logp_timeout=${LOGP_TIMEOUT:-1200}
nfg=${NFGUARD:-$root/build/nfguard}
cache=${NFG_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nfguard-bench}
. "$here/lib.sh"
# The pattern the issue names (written in two pieces so that this file
# never holds anything that looks like a token).
pat='nf_''at_[A-Za-z0-9_-]{16,}'

for n in "$runs" "$warmup" "$range_runs" "$range_warmup" "$logp_timeout"; do
	case $n in '' | *[!0-9]*)
		echo "$0: RUNS, WARMUP, RANGE_RUNS, RANGE_WARMUP and" \
			"LOGP_TIMEOUT must be numbers" >&2
		exit 2
		;;
	esac
done
bench_require git jq rg timeout
if [ $# -eq 0 ]; then
	if [ -n "${NFG_BENCH_CORPORA:-}" ]; then
		# shellcheck disable=SC2086
		set -- $NFG_BENCH_CORPORA
	else
		mkdir -p "$cache"
		for name in curl git; do
			m=$cache/public-$name.git
			[ -d "$m" ] || git clone -q --bare \
				"https://github.com/$name/$name.git" "$m" || {
				echo "$0: cannot clone $name: name corpora as" \
					"arguments or in NFG_BENCH_CORPORA" >&2
				exit 2
			}
			set -- "$@" "$m"
		done
	fi
fi
for r in "$@"; do
	git -C "$r" rev-parse --git-dir >/dev/null 2>&1 || {
		echo "$0: '$r' is not a git repository" >&2
		exit 2
	}
done

out=$(mktemp -d "${TMPDIR:-/tmp}/nfg-bench-git.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir -p "$cache"


echo "== nfguard: $("$nfg" --version) ($nfg)"
echo "== machine: $(nproc) cores" \
	"($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1))," \
	"$(awk '/^MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo)," \
	"$(git --version), $(rg --version | head -n 1)," \
	"$(hyperfine --version 2>/dev/null || echo 'no hyperfine'), $(date -u +%Y-%m-%d)"

ok=1
printf '' >"$out/summary"
for src in "$@"; do
	repo=$(corpus "$src")
	label=$(basename "$repo")
	label=${label#git-}
	label=${label%.git}
	printf '' >"$out/times"
	commits=$(git -C "$repo" rev-list --all --count)
	echo
	echo "== corpus $label: $repo ($commits commits);" \
		"load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

	# Check: one full scan, report kept, peak RSS measured. No findings
	# expected; any finding is a false positive or a real leak to report.
	set +e
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$out/rss" "$nfg" git --no-progress -f json \
			-o "$out/report.json" "$repo" 2>"$out/err"
	else
		"$nfg" git --no-progress -f json -o "$out/report.json" "$repo" \
			2>"$out/err"
	fi
	rc=$?
	set -e
	[ -s "$out/err" ] && sed 's/^/nfguard stderr: /' "$out/err"
	extra=
	case $rc in
	0) echo "check: nfguard exited 0, no findings" ;;
	1)
		echo "FAIL: nfguard exited 1: findings (false positives, or" \
			"real leaks to report):" >&2
		jq -r '.findings[] | [.rule_id, .secret_redacted, .location,
			.path, (.line | tostring), .commit // "", .ref // "",
			(.reachable | tostring)] | @tsv' "$out/report.json" >&2
		ok=0
		extra=' --exit-code 0'
		;;
	*)
		echo "FAIL: nfguard exited $rc; corpus skipped" >&2
		ok=0
		continue
		;;
	esac
	blobs=$(jq -r '.scan.blobs_scanned' "$out/report.json")
	bytes=$(jq -r '.scan.bytes_scanned' "$out/report.json")
	refs=$(jq -r '.scan.refs' "$out/report.json")
	nfind=$(jq -r '.scan.findings' "$out/report.json")
	rss=0
	[ -s "$out/rss" ] && rss=$(awk -F ': ' \
		'/Maximum resident set size/ { print $2 }' "$out/rss")
	echo "corpus: $commits commits, $refs refs, $blobs blobs," \
		"$bytes bytes inflated; peak RSS $rss KiB"

	# a) and b): full history, page cache warm for both. The report goes
	# to standard output, not `-o /dev/null`: builds before 8f281e7 renamed
	# a temporary file over the -o path, replacing /dev/null when root.
	cmd_a="$(q "$nfg") git --no-progress -f json$extra $(q "$repo") >/dev/null"
	cmd_b="git -C $(q "$repo") cat-file --batch-all-objects --batch --unordered | rg -a -c $(q "$pat") >$(q "$out/b.count"); [ \$? -le 1 ]"
	# s): a) with every object's id checked, in the same hyperfine run.
	set --
	if "$nfg" help git 2>/dev/null | grep -- --strict-objects >/dev/null; then
		set -- -n 'nfguard git --strict-objects' \
			"$(q "$nfg") git --no-progress -f json --strict-objects$extra $(q "$repo") >/dev/null"
	fi
	# n): a) with no decoder, the baseline of what decoding costs.
	if "$nfg" help git 2>/dev/null | grep -- --no-decode >/dev/null; then
		set -- "$@" -n 'nfguard git --no-decode' \
			"$(q "$nfg") git --no-progress -f json --no-decode$extra $(q "$repo") >/dev/null"
	fi
	echo "== a), s) and b): $warmup warm-up + $runs runs each"
	timeit "$warmup" "$runs" -n 'nfguard git' "$cmd_a" "$@" \
		-n 'cat-file | rg' "$cmd_b"
	bcount=$(cat "$out/b.count" 2>/dev/null || true)

	# c): the patch stream, once (minutes), with a time limit.
	tc=0 ccount=
	if [ "$logp_timeout" -gt 0 ]; then
		echo "== c): git log -p --all | rg, one run (limit ${logp_timeout} s)"
		t0=$(date +%s.%N)
		set +e
		cputime timeout "$logp_timeout" sh -c "git -C $(q "$repo") log -p --all |
			rg -a -c $(q "$pat") >$(q "$out/c.count"); [ \$? -le 1 ]"
		crc=$?
		set -e
		t1=$(date +%s.%N)
		tc=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		ccount=$(cat "$out/c.count" 2>/dev/null || true)
		ccount=${ccount:-0}
		case $crc in
		0) ;;
		124)
			echo "c) timed out after $logp_timeout s: figure is a lower bound"
			tc=-$logp_timeout ccount=-
			;;
		*)
			echo "c) failed (exit $crc)" >&2
			ccount=-
			;;
		esac
		cc=0
		[ -s "$out/cpu" ] && cc=$(awk 'END { print $1 + $2 }' "$out/cpu")
		printf 'log -p | rg\t%s\t0\t%s\t%s\n' "${tc#-}" "${tc#-}" "$cc" \
			>>"$out/times"
	fi

	# d): --range over the last commits.
	rcommits=$(git -C "$repo" rev-list --count "$range" 2>/dev/null || echo 0)
	if [ "$rcommits" -gt 0 ]; then
		cmd_d="$(q "$nfg") git --no-progress -f json$extra --range $(q "$range") $(q "$repo") >/dev/null"
		echo "== d): --range $range ($rcommits commits):" \
			"$range_warmup warm-up + $range_runs runs"
		timeit "$range_warmup" "$range_runs" -n 'nfguard --range' "$cmd_d"
	fi

	ta=$(tget 'nfguard git') sa=$(tget 'nfguard git' 3)
	tn=$(tget 'nfguard git --no-decode')
	[ -n "$tn" ] && awk -v a="$ta" -v n="$tn" 'BEGIN {
		printf "n) nfguard git --no-decode %.2f s; decoding costs a/n = %.2f (target <= 1.10: %s)\n",
			n, a / n, a / n <= 1.10 ? "met" : "MISSED" }'
	ts=$(tget 'nfguard git --strict-objects')
	ss=$(tget 'nfguard git --strict-objects' 3)
	cs=$(tget 'nfguard git --strict-objects' 5)
	tb=$(tget 'cat-file | rg') sb=$(tget 'cat-file | rg' 3)
	td=$(tget 'nfguard --range') sd=$(tget 'nfguard --range' 3)
	ma=$(tget 'nfguard git' 4) mb=$(tget 'cat-file | rg' 4)
	md=$(tget 'nfguard --range' 4)
	ca=$(tget 'nfguard git' 5) cb=$(tget 'cat-file | rg' 5)
	cc=$(tget 'log -p | rg' 5)
	awk -v label="$label" -v commits="$commits" -v blobs="$blobs" \
		-v bytes="$bytes" -v rss="$rss" -v ta="$ta" -v sa="$sa" \
		-v tb="$tb" -v sb="$sb" -v tc="$tc" -v td="${td:-0}" \
		-v sd="${sd:-0}" -v ma="$ma" -v mb="$mb" -v md="${md:-0}" -v ca="$ca" -v cb="$cb" -v cc="${cc:-0}" -v range="$range" -v rcommits="$rcommits" \
		-v bcount="${bcount:-0}" -v ccount="$ccount" \
		-v ts="${ts:-0}" -v ss="${ss:-0}" -v cs="${cs:-0}" \
		-v nfind="$nfind" -v summary="$out/summary" '
	function met(c) { return c ? "met" : "MISSED" }
	BEGIN {
		lim = (tc < 0 ? ">" : "")
		if (tc < 0) tc = -tc
		printf "\n%-48s %18s  %s\n", "command (" label ")",
			"wall: mean ± sd", "ratio"
		printf "%-48s %10.2f ± %.2f s  min %.2f s, CPU %.2f s, %.0f MB/s\n",
			"a) nfguard git", ta, sa, ma, ca, bytes / ta / 1e6
		if (ts > 0)
			printf "%-48s %10.2f ± %.2f s  CPU %.2f s; s/a = %.2f, CPU %.2f\n",
				"s) nfguard git --strict-objects", ts, ss, cs,
				ts / ta, (ca > 0 ? cs / ca : 0)
		printf "%-48s %10.2f ± %.2f s  min %.2f s, CPU %.2f s; a/b = %.2f, of mins %.2f (target <= 1.0: %s)\n",
			"b) cat-file --batch-all-objects | rg -a -c", tb, sb, mb, cb,
			ta / tb, ma / mb, met(ta / tb <= 1.0)
		if (tc > 0)
			printf "%-48s %9s%.1f s (1 run)  CPU %.1f s; c/a = %s%.1fx, to min a %s%.1fx (target >= 5: %s)\n",
				"c) log -p --all | rg -a -c", lim, tc, cc, lim, tc / ta,
				lim, tc / ma,
				(lim != "" && tc / ta < 5 ? "unknown" : met(tc / ta >= 5))
		if (rcommits > 0)
			printf "%-48s %10.1f ± %.1f ms  min %.1f ms (target < 100 ms: %s)\n",
				sprintf("d) nfguard git --range %s (%d commits)", range,
					rcommits), td * 1000, sd * 1000, md * 1000,
				met(td < 0.1)
		printf "%-48s %10.0f MiB\n", "e) peak RSS of a)", rss / 1024
		printf "corpus: %d commits, %d blobs, %.2f GB inflated;" \
			" findings %d; rg -c matching lines: cat-file %d, log -p %s\n",
			commits, blobs, bytes / 1e9, nfind, bcount,
			(ccount == "" ? "-" : ccount)
		printf "| %s | %d | %d | %.2f GB | %.2f ± %.2f | %.2f ± %.2f | %.2f | %s | %s | %.1f ± %.1f (%d) | %.0f MiB | %.1f / %.1f / %s | %s |\n",
			label, commits, blobs, bytes / 1e9, ta, sa, tb, sb, ta / tb,
			(tc > 0 ? sprintf("%s%.1f", lim, tc) : "-"),
			(tc > 0 ? sprintf("%s%.1fx", lim, tc / ta) : "-"),
			td * 1000, sd * 1000, rcommits, rss / 1024, ca, cb,
			(tc > 0 ? sprintf("%.1f", cc) : "-"),
			(ts > 0 ? sprintf("%.2f ± %.2f (%.2fx, CPU %.2fx)", ts, ss,
				ts / ta, (ca > 0 ? cs / ca : 0)) : "-") >>summary
	}' </dev/null
done

if [ -s "$out/summary" ]; then
	echo
	echo "| corpus | commits | blobs | inflated | a) nfguard git (s) | b) cat-file \\| rg (s) | a/b | c) log -p \\| rg (s) | c/a | d) --range (ms, commits) | peak RSS | CPU a / b / c (s) | s) --strict-objects (s, s/a) |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	cat "$out/summary"
fi
if [ "$ok" = 1 ]; then
	echo "check: PASS"
else
	echo "check: FAIL"
	exit 1
fi
