# Servers for the remote sweep tests (1050-1069), sourced after lib.sh and
# tests/mockapi/lib.sh: git daemon (git://) and git http-backend behind TLS
# and basic authentication (tests/tools/git-https-server.py), both on
# 127.0.0.1, stopped when the test's shell exits.
command -v python3 >/dev/null || skip "python3 is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"
[ -x "$(git --exec-path)/git-daemon" ] || skip "git daemon is not installed"

REMOTE_PIDS=
trap 'remote_stop; ! command -v mockapi_stop >/dev/null || mockapi_stop' EXIT

remote_stop() {
	for _p in $REMOTE_PIDS; do
		kill "$_p" 2>/dev/null || :
		wait "$_p" 2>/dev/null || :
	done
	REMOTE_PIDS=
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# bare_from REPO DEST: a bare copy of every ref of the repository REPO.
bare_from() {
	git clone -q --mirror "$1" "$2"
}

# daemon_start ROOT: git daemon serving every repository under ROOT; sets
# DAEMON_URL (git://127.0.0.1:PORT).
daemon_start() {
	_port=$(free_port)
	git daemon --export-all --base-path="$1" --listen=127.0.0.1 \
		--port="$_port" --reuseaddr --informative-errors \
		2>"$WORK/daemon.log" &
	REMOTE_PIDS="$REMOTE_PIDS $!"
	DAEMON_URL=git://127.0.0.1:$_port
	python3 -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$_port" || fail "git daemon did not start: $(cat "$WORK/daemon.log")"
}

# https_start ROOT USER PASSWORD_FILE: git http-backend for every
# repository under ROOT behind TLS (certificate from mockapi_certs) and
# basic authentication; sets HTTPS_URL (https://127.0.0.1:PORT) and
# HTTPS_LOG (one line per request: METHOD PATH STATUS).
https_start() {
	[ -n "${CA_FILE:-}" ] || mockapi_certs
	_pf=$WORK/https.port
	HTTPS_LOG=$WORK/https.log
	rm -f "$_pf"
	: >"$HTTPS_LOG"
	python3 "$SRCDIR/tests/tools/git-https-server.py" --root "$1" \
		--cert "$WORK/certs/good.pem" --key "$WORK/certs/good.key" \
		--user "$2" --password-file "$3" --port-file "$_pf" \
		--log "$HTTPS_LOG" 2>"$WORK/https.err" &
	REMOTE_PIDS="$REMOTE_PIDS $!"
	_i=0
	while [ ! -s "$_pf" ]; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || fail "the https server did not start: $(cat "$WORK/https.err")"
		sleep 0.1
	done
	HTTPS_URL=https://127.0.0.1:$(jq -r .port "$_pf")
}

# mkpassword: a fresh random credential, planted so that no output may
# hold it (tests/tools/check-transcripts.sh).
mkpassword() {
	_pw=pw$(rand_body 30)
	plant_token "$_pw"
	printf '%s' "$_pw"
}

# repos_json: the last -f json report's repositories, one a line:
# "REPOSITORY|STATUS|TRANSFER|ERROR|FINDINGS".
repos_json() {
	jq_out '[.scan.repositories[] |
		"\(.repository)|\(.status)|\(.transfer)|\(.error)|\(.findings)"] |
		join("\n")'
}

# findings_json: the last -f json report's findings, sorted, one a line:
# "REPOSITORY|PATH|LINE|COMMIT|FINGERPRINT".
findings_json() {
	jq_out '[.findings[] |
		"\(.repository)|\(.path)|\(.line)|\(.commit)|\(.fingerprint)"] |
		sort | join("\n")'
}
