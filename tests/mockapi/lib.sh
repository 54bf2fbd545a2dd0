# Helpers for the tests that talk to the stand-in Management API
# (tests/mockapi/server.py); POSIX sh, sourced after tests/e2e/lib.sh.
#
# mockapi_start [SERVER ARGS...]: makes a CA and two server certificates
# (one for 127.0.0.1 and localhost, one for another host) with openssl,
# the first naming 127.0.0.1 as a DNS name too (libgit2 1.5 with mbedTLS
# ignores IP-address names),
# starts the server in the background and waits for its ports. Sets
#   API_HTTP   http://127.0.0.1:PORT     API_HTTPS  https://127.0.0.1:PORT
#   API_WRONG  https://127.0.0.1:PORT (certificate for wrong.example)
#   CA_FILE    the CA that signed both certificates
# and stops the server when the test's shell exits (or after --max-seconds:
# 1800 under NFGUARD_VALGRIND, where a test outlives the default).
# mockapi_stats: prints the server's /__stats JSON.
# deletes_for TOKEN: revoke (DELETE) requests the server got for TOKEN.
# mktok MARKER [N]: a token whose body is MARKER + N (default 28) random
# characters, built at run time; planted (plant_token).

mockapi_certs() {
	_d=$WORK/certs
	mkdir -p "$_d"
	(
		cd "$_d"
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout ca.key -out ca.pem -days 2 \
			-subj "/CN=nfguard test CA" >/dev/null 2>&1
		for _n in good wrong; do
			if [ "$_n" = good ]; then
				_san="subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1"
			else
				_san="subjectAltName=DNS:wrong.example"
			fi
			openssl req -new -newkey ec \
				-pkeyopt ec_paramgen_curve:prime256v1 -nodes \
				-keyout "$_n.key" -out "$_n.csr" \
				-subj "/CN=$_n" >/dev/null 2>&1
			printf '%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
				"$_san" >"$_n.ext"
			openssl x509 -req -in "$_n.csr" -CA ca.pem -CAkey ca.key \
				-CAcreateserial -days 2 -extfile "$_n.ext" \
				-out "$_n.pem" >/dev/null 2>&1
		done
	) || fail "openssl could not make the test certificates"
	CA_FILE=$_d/ca.pem
}

# wait_ports PID PORT_FILE LOG WHAT: waits (10 s at most) for the server
# PID to write PORT_FILE; fails with its LOG if it does not or exits.
wait_ports() {
	_i=0
	while [ ! -s "$2" ]; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || {
			cat "$3" >&2
			fail "$4 did not start"
		}
		kill -0 "$1" 2>/dev/null || {
			cat "$3" >&2
			fail "$4 exited"
		}
		sleep 0.1
	done
}

# stand_in_prepare NAME: python3 and openssl present (else the test is
# skipped), the certificates made, _pf set to a fresh $WORK/NAME.ports.
stand_in_prepare() {
	command -v python3 >/dev/null || skip "python3 is not installed"
	command -v openssl >/dev/null || skip "openssl is not installed"
	mockapi_certs
	_pf=$WORK/$1.ports
	rm -f "$_pf"
}

mockapi_start() {
	stand_in_prepare mockapi
	python3 "$SRCDIR/tests/mockapi/server.py" --port-file "$_pf" \
		--cert "$WORK/certs/good.pem" --key "$WORK/certs/good.key" \
		--wrong-cert "$WORK/certs/wrong.pem" \
		--wrong-key "$WORK/certs/wrong.key" "$@" \
		${NFGUARD_VALGRIND:+--max-seconds 1800} \
		2>"$WORK/mockapi.log" &
	MOCKAPI_PID=$!
	trap 'stand_ins_stop' EXIT
	wait_ports "$MOCKAPI_PID" "$_pf" "$WORK/mockapi.log" "the stand-in API"
	API_HTTP=http://127.0.0.1:$(jq -r .http "$_pf")
	API_HTTPS=https://127.0.0.1:$(jq -r .https "$_pf")
	API_WRONG=https://127.0.0.1:$(jq -r .wrong "$_pf")
}

# stand_ins_stop: the EXIT trap of the tests that start stand-ins: they
# and the git servers of tests/e2e/remote.sh, when sourced, are stopped.
stand_ins_stop() {
	mockapi_stop
	! command -v remote_stop >/dev/null || remote_stop
}

# mockapi_stop: stops every stand-in started (both kinds, as one EXIT trap
# serves them).
mockapi_stop() {
	for _p in "${MOCKAPI_PID:-}" "${HOSTS_PID:-}" "${H2FRONT_PID:-}"; do
		[ -z "$_p" ] || kill "$_p" 2>/dev/null || true
		[ -z "$_p" ] || wait "$_p" 2>/dev/null || true
	done
	MOCKAPI_PID= HOSTS_PID= H2FRONT_PID=
}

# stats_of BASE [PATH]: the /__stats (or PATH) JSON of the stand-in at
# BASE.
stats_of() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
		"$1${2:-/__stats}"
}

mockapi_stats() {
	stats_of "$API_HTTP"
}

# api_stat FILTER: jq -r FILTER on a fresh /__stats.
api_stat() {
	mockapi_stats | jq -r "$1"
}

# requests_for TOKEN: how many whoami requests the server got for TOKEN.
requests_for() {
	api_stat ".tokens[\"$(fp "$1")\"] // 0"
}

mktok() {
	_mk=$1$(rand_body "${2:-28}")
	plant_token "nf_at_$_mk"
	printf 'nf_%s_%s' at "$_mk"
}

# deletes_for TOKEN: how many revoke requests the server got for TOKEN.
deletes_for() {
	api_stat ".deletes[\"$(fp "$1")\"] // 0"
}

# mktok_tree MARKER...: one token per marker, as $tok_MARKER, written to
# tokens.env and tree/tokens.env; a plain scan of tree must find them all
# (the markers pass the rule's filters).
mktok_tree() {
	: >tokens.env
	for _m in "$@"; do
		_t=$(mktok "$_m")
		eval "tok_$_m=\$_t"
		printf 'NOTIFLOWS_TOKEN_%s=%s\n' "$_m" "$_t" >>tokens.env
	done
	mkdir tree
	cp tokens.env tree/
	nfg dir -f json tree
	expect_rc 1
	expect_count $#
}

# hosts_start REPOS_JSON: starts the GitHub/GitLab listing stand-in
# (tests/mockapi/hosts.py) over http and https (mockapi_certs) on the
# repositories REPOS_JSON lists; sets HOSTS_HTTP, HOSTS_HTTPS and CA_FILE
# and stops it when the test's shell exits (mockapi_stop). hosts_requests FILTER: jq -r
# FILTER on the requests it got.
hosts_start() {
	stand_in_prepare hosts
	python3 "$SRCDIR/tests/mockapi/hosts.py" --port-file "$_pf" \
		--repos "$1" --cert "$WORK/certs/good.pem" \
		--key "$WORK/certs/good.key" 2>"$WORK/hosts.log" &
	HOSTS_PID=$!
	trap 'stand_ins_stop' EXIT
	wait_ports "$HOSTS_PID" "$_pf" "$WORK/hosts.log" "the listing stand-in"
	HOSTS_HTTP=http://127.0.0.1:$(jq -r .http "$_pf")
	HOSTS_HTTPS=https://127.0.0.1:$(jq -r .https "$_pf")
}

# hosts_repos NAME: JSON for hosts_start listing $HOSTS_BASE/NAME1 ..
# NAME7 (HOSTS_BASE: where a server serves them, e.g. git daemon's URL),
# NAME3 a fork and NAME4 archived.
hosts_repos() {
	printf '['
	for _i in 1 2 3 4 5 6 7; do
		[ "$_i" = 1 ] || printf ','
		printf '{"url":"%s/%s%s","fork":%s,"archived":%s}' "$HOSTS_BASE" "$1" \
			"$_i" "$([ "$_i" = 3 ] && echo true || echo false)" \
			"$([ "$_i" = 4 ] && echo true || echo false)"
	done
	printf ']\n'
}

# hosts_mkrepos NAME TOKEN1 .. TOKEN7: repositories NAME1 .. NAME7, each
# with one commit; NAMEi.env holds "TOKEN=TOKENi" unless TOKENi is "".
hosts_mkrepos() {
	_n=$1
	shift
	for _i in 1 2 3 4 5 6 7; do
		mkrepo "$_n$_i"
		(
			cd "$_n$_i"
			printf 'repo %s\n' "$_i" >README
			[ -z "$1" ] || printf 'TOKEN=%s\n' "$1" >"$_n$_i.env"
			commit_at "2024-01-0$_i 00:00:00 +0000" "$_n$_i"
		)
		shift
	done
}

# hosts_swept: the last report's targets, $HOSTS_BASE/ removed, on one
# line. hosts_findings: its findings as "REPO PATH LINE COLUMN FINGERPRINT".
hosts_swept() {
	jq_out '[.scan.targets[] | sub("^'"$HOSTS_BASE"'/"; "")] | join(" ")'
}

hosts_findings() {
	jq_out '.findings[] | [(.repository | sub("^'"$HOSTS_BASE"'/"; "")),
		.path, .line, .column, .fingerprint] | map(tostring) | join(" ")'
}

hosts_requests() {
	stats_of "$HOSTS_HTTP" | jq -r "$1"
}

# h2front_start: nghttpx (Debian's nghttp2-proxy; the test is skipped
# without it) on 127.0.0.1 in front of the stand-in's plain http listener
# (mockapi_start first), with the certificate for 127.0.0.1 made there: a
# real HTTP/2 front that offers h2 and http/1.1 by ALPN, as a CDN does.
# Sets API_H2 (https://127.0.0.1:PORT); stopped with the stand-in. Its
# log, $WORK/h2front.log, has a line "CLIENT_PORT ALPN STATUS" per request.
# h2front_connections LINE: client connections that sent the requests
# logged after the first LINE lines (distinct client ports). api_peak: the stand-in's /__peak JSON (most whoami
# requests answered at once per listener; reading it starts over).
h2front_start() {
	# Debian installs it in /usr/sbin, which a user's PATH may lack.
	_ngx=$(command -v nghttpx || command -v /usr/sbin/nghttpx) ||
		skip "nghttpx is not installed (Debian package nghttp2-proxy)"
	_port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
	: >"$WORK/h2front.log"
	"$_ngx" --conf=/dev/null --workers=1 --no-ocsp \
		--frontend="127.0.0.1,$_port" \
		--backend="127.0.0.1,${API_HTTP##*:}" \
		--accesslog-file="$WORK/h2front.log" \
		--accesslog-format='$remote_port $alpn $status' \
		--errorlog-file="$WORK/h2front.err" \
		"$WORK/certs/good.key" "$WORK/certs/good.pem" 2>>"$WORK/h2front.err" &
	H2FRONT_PID=$!
	_i=0
	until python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		"$_port" 2>/dev/null; do
		_i=$((_i + 1))
		if [ "$_i" -ge 100 ] || ! kill -0 "$H2FRONT_PID" 2>/dev/null; then
			cat "$WORK/h2front.err" >&2
			fail "nghttpx did not start"
		fi
		sleep 0.1
	done
	API_H2=https://127.0.0.1:$_port
}

h2front_connections() {
	awk -v from="$1" 'NR > from { print $1 }' "$WORK/h2front.log" |
		sort -u | wc -l | tr -d ' '
}

api_peak() {
	stats_of "$API_HTTP" /__peak
}
