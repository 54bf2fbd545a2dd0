#!/bin/sh
# What a terminal gets. Colour in the human report: on a terminal by
# default, never with --color never, --no-color, NO_COLOR or TERM=dumb
# (which would print the escape codes as they are), always with --color
# always (even into a pipe or an -o file). stdin and verify reading a
# terminal say so, and how to end. The terminal is a real pty made by
# script(1), its input /dev/null (script ends it with an end of file).
set -eu

command -v script >/dev/null || skip "script (util-linux) is not installed"
mkdir tree
t=$(mktoken)
printf 'T=%s\n' "$t" >tree/a.env
esc=$(printf '\033')

# on_tty ENV... -- ARGS...: runs nfguard on a pty with the environment
# ENV (TERM=xterm unless given), its output (CR LF made LF) in $WORK/out.
on_tty() {
	_env="TERM=xterm"
	while [ "$1" != -- ]; do
		_env="$_env $1"
		shift
	done
	shift
	set +e
	# shellcheck disable=SC2086 # _env is words on purpose
	env $_env script -qec "$(printf '%s ' "$NFGUARD" "$@")" /dev/null \
		</dev/null | tr -d '\r' >"$WORK/out"
	rc=$?
	set -e
}

# coloured yes|no: whether $WORK/out holds an escape code.
coloured() {
	if grep -q "$esc\[" "$WORK/out"; then _got=yes; else _got=no; fi
	assert_eq "$_got" "$1" "colour ($2)"
}

on_tty -- dir --no-progress tree
coloured yes "a terminal"
grep -q "^T=\|a.env" "$WORK/out" || fail "no finding on the terminal"
on_tty TERM=dumb -- dir --no-progress tree
coloured no "TERM=dumb"
on_tty NO_COLOR=1 -- dir --no-progress tree
coloured no "NO_COLOR"
on_tty -- dir --no-progress --color never tree
coloured no "--color never"
on_tty -- dir --no-progress --no-color tree
coloured no "--no-color"
on_tty TERM=dumb -- dir --no-progress --color always tree
coloured yes "--color always on a dumb terminal"

# Not a terminal: no colour unless asked for.
nfg dir tree
expect_rc 1
coloured no "a pipe"
nfg dir --color auto tree
coloured no "--color auto into a pipe"
nfg dir --color always tree
expect_rc 1
coloured yes "--color always into a pipe"
nfg dir --color always -f json tree
coloured no "--color always with -f json"
nfg dir --color always -o rep.txt tree
expect_rc 1
cp rep.txt "$WORK/out"
coloured yes "--color always into -o"
nfg dir --color sometimes tree
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --color: 'sometimes' is not auto, always or never" "stderr"

# Reading a terminal: one line says what is read and how to end; never
# when the input is a file or a pipe.
on_tty -- stdin --no-color
assert_eq "$(head -n 1 "$WORK/out")" \
	"nfguard: reading standard input from the terminal; end with Ctrl-D" \
	"stdin on a terminal"
on_tty -- verify --no-color --api-url http://127.0.0.1:9
assert_eq "$(head -n 1 "$WORK/out")" \
	"nfguard: reading tokens from the terminal, one per line; end with Ctrl-D" \
	"verify on a terminal"
printf 'nothing\n' >plain.txt
nfg_in plain.txt stdin
expect_rc 0
expect_no_stderr

# dir shows its progress on a terminal (files and bytes read so far; the
# first file is shown at once, later ones ten times a second at most),
# never with --no-progress, never into a pipe.
on_tty -- dir --no-color tree
grep -q "^nfguard: 1 file, 0\.0 MiB, [0-9.]* MiB/s" "$WORK/out" ||
	fail "dir: no progress line on a terminal"
on_tty -- dir --no-color --no-progress tree
if grep -q "MiB/s" "$WORK/out"; then
	fail "dir: progress with --no-progress"
fi
nfg dir tree
if grep -q "MiB/s" "$WORK/err"; then
	fail "dir: progress into a pipe"
fi
