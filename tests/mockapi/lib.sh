# Helpers for the tests that talk to the stand-in Management API
# (tests/mockapi/server.py); POSIX sh, sourced after tests/e2e/lib.sh.
#
# mockapi_start [SERVER ARGS...]: makes a CA and two server certificates
# (one for 127.0.0.1 and localhost, one for another host) with openssl,
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
				_san="subjectAltName=IP:127.0.0.1,DNS:localhost"
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

mockapi_start() {
	command -v python3 >/dev/null || skip "python3 is not installed"
	command -v openssl >/dev/null || skip "openssl is not installed"
	mockapi_certs
	_pf=$WORK/mockapi.ports
	rm -f "$_pf"
	python3 "$SRCDIR/tests/mockapi/server.py" --port-file "$_pf" \
		--cert "$WORK/certs/good.pem" --key "$WORK/certs/good.key" \
		--wrong-cert "$WORK/certs/wrong.pem" \
		--wrong-key "$WORK/certs/wrong.key" "$@" \
		${NFGUARD_VALGRIND:+--max-seconds 1800} \
		2>"$WORK/mockapi.log" &
	MOCKAPI_PID=$!
	trap 'mockapi_stop' EXIT
	_i=0
	while [ ! -s "$_pf" ]; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || {
			cat "$WORK/mockapi.log" >&2
			fail "the stand-in API did not start"
		}
		kill -0 "$MOCKAPI_PID" 2>/dev/null || {
			cat "$WORK/mockapi.log" >&2
			fail "the stand-in API exited"
		}
		sleep 0.1
	done
	API_HTTP=http://127.0.0.1:$(jq -r .http "$_pf")
	API_HTTPS=https://127.0.0.1:$(jq -r .https "$_pf")
	API_WRONG=https://127.0.0.1:$(jq -r .wrong "$_pf")
}

mockapi_stop() {
	if [ -n "${MOCKAPI_PID:-}" ]; then
		kill "$MOCKAPI_PID" 2>/dev/null || true
		wait "$MOCKAPI_PID" 2>/dev/null || true
		MOCKAPI_PID=
	fi
}

mockapi_stats() {
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1] + "/__stats", timeout=10).read().decode())' \
		"$API_HTTP"
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
