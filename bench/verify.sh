#!/bin/sh
# Benchmarks `nfguard verify`: N distinct live tokens (default 1000) against
# the stand-in Management API (tests/mockapi/server.py) with LATENCY_MS of
# added latency per request (default 50), at the default concurrency (and
# at the others in CONCURRENCY), against the serial time N x LATENCY_MS;
# over HTTP/1.1 (the stand-in's own https) and, in the same run, over
# HTTP/2 through nghttpx in front of it (at the default and at each
# --verify-streams value in STREAMS).
# Checks that every token came back live, that the server got exactly
# one request per token (nothing retried, nothing lost) and that no run
# opened more connections than --verify-concurrency allows.
#
# Usage: bench/verify.sh
# Environment: NFGUARD (binary, default build/nfguard), N (tokens, default
#   1000), LATENCY_MS (default 50), CONCURRENCY (extra --verify-concurrency
#   values to time over HTTP/1.1, default "1 32"; "" for none), STREAMS
#   (extra --verify-streams values to time over HTTP/2, default "8"),
#   RUNS (default 3: the median wall time is reported), SCHEME (http or
#   https, default https: the real cost, TLS handshakes included; http
#   times HTTP/1.1 only), PROTOCOLS (default "h1 h2"; h2 needs nghttpx,
#   Debian's nghttp2-proxy).
# Exit status: 0 when every check passed, 1 otherwise.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
nfg=${NFGUARD:-$root/build/nfguard}
n=${N:-1000}
latency=${LATENCY_MS:-50}
extra=${CONCURRENCY-1 32}
streams=${STREAMS-8}
runs=${RUNS:-3}
scheme=${SCHEME:-https}
protocols=${PROTOCOLS:-h1 h2}
[ "$scheme" = https ] || protocols=h1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nfguard-bench-verify.XXXXXX")
SRCDIR=$root
export WORK SRCDIR
trap 'mockapi_stop; rm -rf "$WORK"' EXIT
. "$root/tests/e2e/lib.sh"
. "$root/tests/mockapi/lib.sh"
mockapi_start --latency-ms "$latency" --max-seconds 3600
case " $protocols " in
*" h2 "*)
	if command -v nghttpx >/dev/null 2>&1 || [ -x /usr/sbin/nghttpx ]; then
		h2front_start
	else
		echo "== nghttpx is not installed (nghttp2-proxy): HTTP/2 skipped"
		protocols=h1
	fi
	;;
esac

# Tokens are made here, at run time, and live only in $WORK: as mktok
# LIVE makes them (the marker, then 28 random characters), all in one
# pipeline: a few processes per token took minutes on a loaded machine.
pre=$(printf 'nf_%s_LIVE' at)
{
	LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c $((n * 28)) |
		fold -w 28
	echo
} | sed "s/^/$pre/" >"$WORK/tokens.txt"
[ "$(sort -u "$WORK/tokens.txt" | wc -l)" = "$n" ] ||
	fail "$n distinct tokens were not made"

ms_now() {
	date +%s%N | cut -c1-13
}

# mark PROTOCOL: where the server of PROTOCOL is (its log's lines, its
# connections); conns PROTOCOL MARK: connections since MARK.
mark() {
	if [ "$1" = h2 ]; then
		wc -l <"$WORK/h2front.log" | tr -d ' '
	else
		api_stat ".listeners.$scheme.connections"
	fi
}

conns() {
	if [ "$1" = h2 ]; then
		h2front_connections "$2"
	else
		echo $(($(mark "$1") - $2))
	fi
}

# run PROTOCOL OPTION VALUE: median wall time in ms of RUNS runs (VALUE
# "default": the option not given); checks each run.
run() {
	_proto=$1 _opt=$2 _v=$3
	if [ "$_proto" = h2 ]; then
		_url=$API_H2
	elif [ "$scheme" = https ]; then
		_url=$API_HTTPS
	else
		_url=$API_HTTP
	fi
	set -- -f json --api-url "$_url"
	[ "$scheme" = http ] || set -- "$@" --cacert "$CA_FILE"
	[ "$_v" = default ] || set -- "$@" "$_opt" "$_v"
	_most=8
	[ "$_opt" != --verify-concurrency ] || [ "$_v" = default ] || _most=$_v
	_times=
	_r=0
	while [ "$_r" -lt "$runs" ]; do
		_before=$(api_stat '[.tokens[]] | add // 0')
		_m=$(mark "$_proto")
		_t0=$(ms_now)
		_rc=0
		"$nfg" verify "$@" <"$WORK/tokens.txt" >"$WORK/out.json" ||
			_rc=$?
		_t1=$(ms_now)
		_after=$(api_stat '[.tokens[]] | add // 0')
		_conns=$(conns "$_proto" "$_m")
		[ "$_rc" = 1 ] || fail "exit status $_rc, expected 1 (live tokens)"
		_live=$(jq '[.findings[] | select(.verification.status ==
			"live")] | length' "$WORK/out.json")
		[ "$_live" = "$n" ] || fail "$_live of $n tokens live"
		[ $((_after - _before)) = "$n" ] ||
			fail "$((_after - _before)) requests for $n tokens"
		[ "$_conns" -le "$_most" ] ||
			fail "$_conns connections, more than $_most"
		_times="$_times $((_t1 - _t0))"
		_r=$((_r + 1))
	done
	_w=$(printf '%s\n' $_times | sort -n | sed -n "$(((runs + 1) / 2))p")
	printf '%-9s %-26s %8d %6s %6d\n' "$_proto" "${_opt#--verify-} $_v" \
		"$_w" "$(awk -v s="$serial" -v w="$_w" \
		'BEGIN { printf "%.1f", s / w }')" "$_conns"
}

serial=$((n * latency))
printf 'nfguard verify: %d distinct tokens, %d ms latency, %s, median of %d runs\n' \
	"$n" "$latency" "$scheme" "$runs"
echo "== $(nproc) cores, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-9s %-26s %8s %6s %6s\n' protocol option wall_ms ratio conns
printf '%-9s %-26s %8d %6s\n' serial "N x latency" "$serial" 1.0
for proto in $protocols; do
	if [ "$proto" = h2 ]; then
		opt=--verify-streams vals=$streams
	else
		opt=--verify-concurrency vals=$extra
	fi
	# The "default" run passes neither option.
	for v in default $vals; do
		run "$proto" "$opt" "$v"
	done
done
echo "== load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
