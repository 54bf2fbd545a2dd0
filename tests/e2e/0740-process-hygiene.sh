#!/bin/sh
# A process that cannot spill secrets: before it reads anything nfguard
# makes itself non-dumpable and turns core files off (RLIMIT_CORE 0, soft
# and hard). So its /proc/PID files belong to root, and another process of
# the same user can read neither its memory nor its environment. nfguard
# stdin waits on a FIFO kept open while the test looks at it; as root,
# nfguard runs as an unprivileged user (setpriv), since root may read any
# process.
set -eu

mkfifo fifo
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	uid=65534
	set -- setpriv --reuid=$uid --regid=$uid --clear-groups --
	# The binary, a folder to run it in and a TMPDIR (valgrind's) where
	# that user may (the build may be in /root, $WORK is root's).
	bin=$(mktemp -d /tmp/nfguard-0740.XXXXXX)
	trap 'rm -rf "$bin"' EXIT
	cp "$NFGUARD" "$bin/nfguard"
	mkdir "$bin/tmp"
	chmod 755 "$bin" "$bin/nfguard"
	chmod 1777 "$bin/tmp"
	NFGUARD=$bin/nfguard
	# Raise the hard limit so that nfguard's own setting can be seen.
	ulimit -H -c unlimited
else
	uid=$(id -u)
	bin=$WORK
	set --
	[ "$(ulimit -H -c)" != 0 ] ||
		skip "core files are off here already: nothing to tell apart"
fi
# The other process: the same user as nfguard.
as_user() {
	"$@"
}
if [ $# -gt 0 ]; then
	as_user() {
		setpriv --reuid=$uid --regid=$uid --clear-groups -- "$@"
	}
fi
if [ -n "${NFGUARD_VALGRIND:-}" ]; then
	set -- "$@" valgrind -q --error-exitcode=99 \
		--suppressions="$SRCDIR/tests/valgrind.supp" "$NFGUARD"
else
	set -- "$@" "$NFGUARD"
fi

# Held open for writing: nfguard never sees the end of its input.
exec 3<>fifo
fifo=$PWD/fifo
(
	cd "$bin"
	TMPDIR=$bin/tmp
	ulimit -S -c "$(ulimit -H -c)"
	exec "$@" stdin -f json <"$fifo" >"$WORK/out" 2>"$WORK/err" 3>&-
) &
pid=$!

# core_limit: "SOFT HARD UNIT" of nfguard's core file size limit; nfguard
# sets it after it made itself non-dumpable.
core_limit() {
	awk '/^Max core file size/ {print $5, $6, $7}' "/proc/$pid/limits"
}
i=0
while [ "$(core_limit)" != "0 0 bytes" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || break
	sleep 0.1
done
assert_eq "$(core_limit)" "0 0 bytes" "core file size limit (soft hard)"
assert_eq "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "$uid" \
	"nfguard's user"
assert_eq "$(stat -c %u "/proc/$pid/status" "/proc/$pid/mem" \
	"/proc/$pid/environ" | paste -sd, -)" "0,0,0" \
	"owner of /proc/PID/status, mem and environ"
for f in mem environ; do
	set +e
	as_user cat "/proc/$pid/$f" >/dev/null 2>"$WORK/cat.err"
	crc=$?
	set -e
	assert_eq "$crc" 1 "exit status of cat /proc/PID/$f as nfguard's user"
	assert_eq "$(cat "$WORK/cat.err")" \
		"cat: /proc/$pid/$f: Permission denied" "cat /proc/PID/$f"
done

# Still a scanner: the input ends, the token is found.
t=$(mktoken)
printf 'T=%s\n' "$t" >&3
exec 3>&-
set +e
wait "$pid"
rc=$?
set -e
record_output "$WORK/out" "$WORK/err"
expect_rc 1
expect_count 1
expect_finding stdin 1 3 "$t"
