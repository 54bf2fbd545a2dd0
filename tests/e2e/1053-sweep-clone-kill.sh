#!/bin/sh
# A sweep stopped by SIGTERM while it clones leaves nothing behind: the
# temporary clone (TMPDIR/nfguard-clone-XXXXXX) and a --cache entry being
# made (DIR/.new-XXXXXX) are removed by the signal handler, and the exit
# status is 143. The server is a git:// listener that accepts and never
# answers, so the clone is in flight when the signal comes.
set -eu
command -v python3 >/dev/null || skip "python3 is not installed"

python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)' >port.txt &
server=$!
trap 'kill $server 2>/dev/null || :' EXIT
i=0
while [ ! -s port.txt ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "the silent server did not start"
	sleep 0.1
done
url=git://127.0.0.1:$(cat port.txt)/silent.git
mkdir tmp cache

# wait_for GLOB: waits until a path matches GLOB (10 s at most).
wait_for() {
	i=0
	while ! ls -d $1 >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "nothing matched $1"
		sleep 0.1
	done
}

for mode in temporary cache; do
	if [ "$mode" = temporary ]; then
		set -- "$url"
		glob="tmp/nfguard-clone-*"
	else
		set -- --cache cache "$url"
		glob="cache/.new-*"
	fi
	TMPDIR=$PWD/tmp nfguard_spawn git -f json --no-progress "$@" \
		>"$WORK/out" 2>"$WORK/err" &
	pid=$!
	wait_for "$glob"
	kill -TERM "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	assert_eq "$rc" 143 "exit status after SIGTERM ($mode)"
	assert_eq "$(ls -A tmp)" "" "TMPDIR after SIGTERM ($mode)"
	assert_eq "$(ls -A cache | grep -v '\.lock$' || :)" "" \
		"cache after SIGTERM ($mode)"
done
