# Shell functions the benchmark scripts share; POSIX sh. The script sets
# nfg (the binary), out (its temporary folder, before the timing
# functions run) and cache (the clone cache, for corpus).

# bench_require TOOL...: exits 2 unless every TOOL and the binary $nfg
# are there; makes nfg absolute.
bench_require() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "$0: '$tool' is required" >&2
			exit 2
		}
	done
	[ -x "$nfg" ] || {
		echo "$0: no nfguard binary at '$nfg' (build it or set NFGUARD)" >&2
		exit 2
	}
	nfg=$(cd "$(dirname "$nfg")" && pwd)/$(basename "$nfg")
}

# Runs "$@", writing its CPU time (user system, seconds) to $out/cpu.
cputime() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$out/cpu" "$@"
	else
		"$@"
	fi
}

# q STRING: STRING quoted for sh -c.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# Prints the repository to scan for $1: the mirror's clean bare clone in
# the cache, or $1 itself (absolute).
corpus() {
	src=$(cd "$1" && pwd)
	if [ -z "$(git -C "$src" for-each-ref --count=1 refs/pull)" ]; then
		echo "$src"
		return
	fi
	name=$(basename "$src")
	case $name in repo | .git) name=$(basename "$(dirname "$src")") ;; esac
	dest=$cache/git-${name%.git}.git
	stamp=$(git -C "$src" for-each-ref refs/heads refs/tags |
		git hash-object --stdin)
	if [ ! -f "$dest.stamp" ] || [ "$(cat "$dest.stamp")" != "$stamp" ]
	then
		rm -rf "$dest" "$dest.stamp"
		echo "== cloning $src (branches and tags) into $dest" >&2
		git clone -q --bare --no-local "$src" "$dest"
		echo "$stamp" >"$dest.stamp"
	fi
	echo "$dest"
}

# Times commands given as -n NAME CMD; appends NAME, mean, stddev, min and
# mean CPU time (user + system; 0 when unknown), in seconds and separated by
# tabs, to $out/times. Uses hyperfine when installed, else the median
# of the runs measured with date.
timeit() {
	w=$1 r=$2
	shift 2
	if command -v hyperfine >/dev/null 2>&1; then
		set -- -w "$w" -r "$r" --export-json "$out/hf.json" "$@"
		hyperfine "$@"
		jq -r '.results[] | [.command, .mean, .stddev, .min, .user + .system] | @tsv' \
			"$out/hf.json" >>"$out/times"
		return
	fi
	while [ $# -ge 3 ]; do
		n=$2 c=$3
		shift 3
		i=0
		while [ "$i" -lt "$((w + r))" ]; do
			t0=$(date +%s%N)
			sh -c "$c" || echo "$0: '$n' failed" >&2
			t1=$(date +%s%N)
			[ "$i" -lt "$w" ] || echo $((t1 - t0))
			i=$((i + 1))
		done | sort -n | awk -v n="$n" '{ v[NR] = $1 }
			END { printf "%s\t%.6f\t0\t%.6f\t0\n", n,
				v[int((NR + 1) / 2)] / 1e9, v[1] / 1e9 }' \
			>>"$out/times"
	done
}

# Column $2 (default 2: mean) of $out/times for name $1.
tget() {
	awk -F '\t' -v n="$1" -v c="${2:-2}" '$1 == n { print $c }' "$out/times"
}

# bench_verdict: "check: PASS" when $ok is 1, else "check: FAIL" and exit 1.
bench_verdict() {
	if [ "$ok" = 1 ]; then
		echo "check: PASS"
	else
		echo "check: FAIL"
		exit 1
	fi
}
