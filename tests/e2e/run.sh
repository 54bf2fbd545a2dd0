#!/bin/sh
# Runs one e2e script under a clean environment: no inherited variables, a
# temporary HOME and work folder, git isolated from any user or system
# config. Keeps what the script and the runs of nfguard printed, with the
# tokens it planted, in BUILD_DIR/e2e-transcripts/SCRIPT (see lib.sh).
# Usage: run.sh SCRIPT NFGUARD_BINARY SOURCE_DIR BUILD_DIR
set -eu
script=$1 bin=$2 src=$3 build=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/nfguard-e2e.XXXXXX")
trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/home" "$work/tmp" "$work/transcript" "$work/fifo"
: >"$work/planted"
mkfifo "$work/fifo/script.out" "$work/fifo/script.err"
tee "$work/transcript/script.stdout" <"$work/fifo/script.out" &
p1=$!
tee "$work/transcript/script.stderr" <"$work/fifo/script.err" >&2 &
p2=$!
set +e
env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work/home" \
	TMPDIR="$work/tmp" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	CI="${CI:-}" NFGUARD="$bin" SRCDIR="$src" BUILDDIR="$build" \
	WORK="$work" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
	GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.com \
	GIT_COMMITTER_NAME="Test Committer" \
	GIT_COMMITTER_EMAIL=committer@example.com \
	NFGUARD_VALGRIND="${NFGUARD_VALGRIND:-}" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}exitcode=99" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}exitcode=99" \
	sh -c 'cd "$WORK/tmp" && . "$SRCDIR/tests/e2e/lib.sh" && . "$1"' \
	sh "$script" >"$work/fifo/script.out" 2>"$work/fifo/script.err"
rc=$?
wait "$p1" "$p2" || :
keep=$build/e2e-transcripts/$(basename "$script" .sh)
rm -rf "$keep"
mkdir -p "$keep"
cp -R "$work/transcript" "$keep/out"
cp "$work/planted" "$keep/planted"
echo "$rc" >"$keep/status"
exit $rc
