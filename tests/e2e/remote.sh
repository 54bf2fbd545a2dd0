# Servers for the remote sweep tests (1050-1069), sourced after lib.sh and
# tests/mockapi/lib.sh: git daemon (git://), git http-backend behind TLS
# and basic authentication (tests/tools/git-https-server.py), and sshd
# with an ssh-agent, all on 127.0.0.1, stopped when the test's shell exits.
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
	wait_port "$_port" || fail "git daemon did not start: $(cat "$WORK/daemon.log")"
}

# wait_port PORT: waits up to 10 s until 127.0.0.1:PORT takes connections;
# status 1 if it never does.
wait_port() {
	python3 -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)' "$1"
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

# sshd_start AUTHORIZED_KEYS [PORT]: OpenSSH's sshd as the current user on
# 127.0.0.1 (a free port unless PORT), its own config and a host key made
# now (WORK/sshd/host_key, same for every server of the test): public
# keys only, the keys of the file AUTHORIZED_KEYS, no PAM; sets SSHD_PORT
# and SSHD_LOG (the server's log, one line per event, VERBOSE).
sshd_start() {
	_sshd=$(command -v sshd || echo /usr/sbin/sshd)
	[ -x "$_sshd" ] || skip "sshd is not installed (openssh-server)"
	# Run as root, sshd wants the folder its init script makes (a
	# container has none).
	[ "$(id -u)" != 0 ] || [ -d /run/sshd ] || mkdir -m 755 /run/sshd ||
		skip "sshd run as root needs /run/sshd"
	mkdir -p "$WORK/sshd"
	[ -f "$WORK/sshd/host_key" ] ||
		ssh-keygen -q -t ed25519 -N '' -C host -f "$WORK/sshd/host_key"
	SSHD_PORT=${2:-$(free_port)}
	SSHD_LOG=$WORK/sshd/$SSHD_PORT.log
	cat >"$WORK/sshd/$SSHD_PORT.config" <<END
ListenAddress 127.0.0.1
Port $SSHD_PORT
HostKey $WORK/sshd/host_key
PidFile $WORK/sshd/$SSHD_PORT.pid
AuthorizedKeysFile $1
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel VERBOSE
END
	# An absolute path: sshd re-executes itself for each connection.
	"$_sshd" -D -e -f "$WORK/sshd/$SSHD_PORT.config" 2>"$SSHD_LOG" &
	REMOTE_PIDS="$REMOTE_PIDS $!"
	wait_port "$SSHD_PORT" || fail "sshd did not start: $(cat "$SSHD_LOG")"
}

# agent_start KEY...: an ssh-agent of the test holding the private keys
# KEY; sets and exports SSH_AUTH_SOCK.
agent_start() {
	AGENTS=$((${AGENTS:-0} + 1))
	mkdir -p "$WORK/sshd"
	SSH_AUTH_SOCK=$WORK/sshd/agent$AGENTS.sock
	export SSH_AUTH_SOCK
	ssh-agent -D -a "$SSH_AUTH_SOCK" >/dev/null &
	REMOTE_PIDS="$REMOTE_PIDS $!"
	_i=0
	while [ ! -S "$SSH_AUTH_SOCK" ]; do
		_i=$((_i + 1))
		[ "$_i" -lt 100 ] || fail "ssh-agent did not start"
		sleep 0.1
	done
	for _k; do
		ssh-add -q "$_k" 2>/dev/null || fail "ssh-add $_k failed"
	done
}
