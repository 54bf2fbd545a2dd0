#!/bin/sh
# Benchmarks `nfguard verify`: N distinct live tokens (default 1000) against
# the stand-in Management API (tests/mockapi/server.py) with LATENCY_MS of
# added latency per request (default 50), at the default concurrency (and
# at the others in CONCURRENCY), against the serial time N x LATENCY_MS.
# Checks that every token came back live and that the server got exactly
# one request per token (nothing retried, nothing lost).
#
# Usage: bench/verify.sh
# Environment: NFGUARD (binary, default build/nfguard), N (tokens, default
#   1000), LATENCY_MS (default 50), CONCURRENCY (extra --verify-concurrency
#   values to time, default "1 32"; "" for none), RUNS (default 3: the
#   median wall time is reported), SCHEME (http or https, default https:
#   the real cost, TLS handshakes included).
# Exit status: 0 when every check passed, 1 otherwise.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
nfg=${NFGUARD:-$root/build/nfguard}
n=${N:-1000}
latency=${LATENCY_MS:-50}
extra=${CONCURRENCY-1 32}
runs=${RUNS:-3}
scheme=${SCHEME:-https}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nfguard-bench-verify.XXXXXX")
SRCDIR=$root
export WORK SRCDIR
trap 'mockapi_stop; rm -rf "$WORK"' EXIT
. "$root/tests/e2e/lib.sh"
. "$root/tests/mockapi/lib.sh"
mockapi_start --latency-ms "$latency" --max-seconds 3600

# Tokens are made here, at run time, and live only in $WORK.
i=0
while [ "$i" -lt "$n" ]; do
	mktok LIVE
	echo
	i=$((i + 1))
done >"$WORK/tokens.txt"

if [ "$scheme" = https ]; then
	url=$API_HTTPS
	set -- --cacert "$CA_FILE"
else
	url=$API_HTTP
	set --
fi

ms_now() {
	date +%s%N | cut -c1-13
}

# run CONCURRENCY: median wall time in ms of RUNS runs; checks each run.
run() {
	_c=$1
	shift
	_times=
	_r=0
	while [ "$_r" -lt "$runs" ]; do
		_before=$(api_stat '[.tokens[]] | add // 0')
		_t0=$(ms_now)
		_rc=0
		if [ "$_c" = default ]; then
			"$nfg" verify -f json --api-url "$url" "$@" \
				<"$WORK/tokens.txt" >"$WORK/out.json" || _rc=$?
		else
			"$nfg" verify -f json --api-url "$url" \
				--verify-concurrency "$_c" "$@" \
				<"$WORK/tokens.txt" >"$WORK/out.json" || _rc=$?
		fi
		_t1=$(ms_now)
		_after=$(api_stat '[.tokens[]] | add // 0')
		[ "$_rc" = 1 ] || fail "exit status $_rc, expected 1 (live tokens)"
		_live=$(jq '[.findings[] | select(.verification.status ==
			"live")] | length' "$WORK/out.json")
		[ "$_live" = "$n" ] || fail "$_live of $n tokens live"
		[ $((_after - _before)) = "$n" ] ||
			fail "$((_after - _before)) requests for $n tokens"
		_times="$_times $((_t1 - _t0))"
		_r=$((_r + 1))
	done
	printf '%s\n' $_times | sort -n | sed -n "$(((runs + 1) / 2))p"
}

serial=$((n * latency))
printf 'nfguard verify: %d distinct tokens, %d ms latency, %s, median of %d runs\n' \
	"$n" "$latency" "$scheme" "$runs"
printf '%-22s %10s %8s\n' concurrency wall_ms ratio
printf '%-22s %10d %8s\n' "serial (N x latency)" "$serial" 1.0
# The "default" run passes no --verify-concurrency at all.
for c in default $extra; do
	w=$(run "$c" "$@")
	label=$c
	[ "$c" = default ] && label="default (8)"
	printf '%-22s %10d %8s\n' "$label" "$w" \
		"$(awk -v s="$serial" -v w="$w" 'BEGIN { printf "%.1f", s / w }')"
done
