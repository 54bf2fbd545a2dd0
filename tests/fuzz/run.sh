#!/bin/sh
# Runs libFuzzer targets built with -DNFG_FUZZ=ON: each replays its past
# crashes, then fuzzes for SECONDS from a copy of its seeds (the tree is
# never written). Prints one summary line per target: executions, edges
# covered, and the crash or oracle failure if any (its input is kept in
# OUT_DIR, default a temporary folder). Exit 1 when any target failed.
# Usage: run.sh BUILD_DIR SECONDS [TARGET...]   (TARGET: glob, engine, ...)
set -u
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/nfguard-fuzz.XXXXXX")}
mkdir -p "$out"
if [ $# -eq 0 ]; then
	for bin in "$build"/tests/fuzz/fuzz_*; do
		[ -x "$bin" ] && set -- "$@" "${bin##*/fuzz_}"
	done
fi
failed=0
for name in "$@"; do
	bin=$build/tests/fuzz/fuzz_$name
	corpus=$out/$name.corpus
	log=$out/$name.log
	rm -rf "$corpus" && mkdir -p "$corpus" "$out/$name.artifacts"
	cp "$here/corpus/$name"/* "$corpus"/ 2>/dev/null
	status=ok
	if [ -d "$here/crashes/$name" ] &&
		! "$bin" -runs=0 "$here/crashes/$name"/* >"$log" 2>&1; then
		status="past crash fails again (see $log)"
	elif ! "$bin" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$out/$name.artifacts/" "$corpus" \
		>"$log" 2>&1; then
		status="FAILED: $(ls "$out/$name.artifacts" | head -1) (see $log)"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	printf '%-16s %ss  %s execs  %s  %s\n' "$name" "$seconds" \
		"${execs:-?}" "${cov:-cov: ?}" "$status"
	[ "$status" = ok ] || failed=1
done
exit $failed
