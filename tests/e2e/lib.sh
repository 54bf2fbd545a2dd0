# Shared helpers for e2e scripts (POSIX sh, sourced by run.sh).
# Every assertion names what it expected and what it got, and fails the
# test at once.

# fail MESSAGE: stop this test with a message.
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# skip MESSAGE: this test cannot run here (exit 77 = skipped under ctest).
skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

# rand_body N: N random base62 characters.
rand_body() {
	LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"
}

# plant_token TOKEN...: lists TOKENs in $WORK/planted, the tokens that no
# output may hold whole (tests/tools/check-transcripts.sh greps the
# transcript for them). mktoken does it; a test that builds a token some
# other way (another rule's, an odd shape) calls it.
plant_token() {
	printf '%s\n' "$@" >>"$WORK/planted"
}

# mktoken [N]: a fresh token with an N-character body (default 32), built
# at run time so that no realistic token is ever committed; planted.
mktoken() {
	_mk=$(rand_body "${1:-32}")
	plant_token "nf_at_$_mk"
	printf 'nf_%s_%s' at "$_mk"
}

# fp TOKEN: the fingerprint nfguard must report for TOKEN.
fp() {
	printf 'sha256:%s' "$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"
}

# --- The transcript: every output of the suite, checked for tokens. ---
# Each run of nfguard (and each command of run_cmd) is numbered; its files
# in $WORK/transcript are N.cmdline (its arguments), N.stdout, N.stderr
# and N.report-NAME (the report files it was told to write). run.sh keeps
# the transcript and $WORK/planted in BUILDDIR/e2e-transcripts/SCRIPT,
# where the test e2e/no-token-in-outputs looks for every planted token in
# every output. Recording a run costs three processes (mkfifo, two tee).

# rec_next ARGS...: claims the next run number (skipping those a subshell
# took) by writing ARGS as its N.cmdline; sets $_rec_n and $_rec_p, the
# path of the run's files less their suffix.
rec_next() {
	_rec_n=$((${_rec_n:-0} + 1))
	while [ -e "$WORK/transcript/$_rec_n.cmdline" ]; do
		_rec_n=$((_rec_n + 1))
	done
	_rec_p=$WORK/transcript/$_rec_n
	printf '%s\n' "$@" >"$_rec_p.cmdline"
}

# record_output FILE...: keeps a copy of each FILE (what nfguard wrote
# without the nfguard function: through a hook git ran, a CI script, a
# pty, a binary killed by a signal) in the transcript, as N.NAME.
record_output() {
	rec_next record_output "$@"
	for _rec_f; do
		[ ! -f "$_rec_f" ] || cp -- "$_rec_f" "$_rec_p.${_rec_f##*/}"
	done
}

# shows_secret ARGS...: true when ARGS ask for whole tokens, the one case
# where an output may hold them (such runs are not recorded).
shows_secret() {
	case " $* " in
	*" --show-secret "*) return 0 ;;
	esac
	return 1
}

# rec_reports ARGS...: copies to $_rec_p.report-NAME the files that
# nfguard ARGS wrote besides stdout and stderr: -o/--output, --audit-log, and the
# default audit log of a revocation.
rec_reports() {
	_rec_next=
	for _rec_a; do
		_rec_f=
		if [ -n "$_rec_next" ]; then
			_rec_f=$_rec_a _rec_next=
		else
			case $_rec_a in
			-o | --output | --audit-log) _rec_next=1 ;;
			--output=* | --audit-log=*) _rec_f=${_rec_a#*=} ;;
			-o?*) _rec_f=${_rec_a#-o} ;;
			revoke | --revoke)
				case ${XDG_STATE_HOME:-} in
				/*) _rec_f=$XDG_STATE_HOME ;;
				*) _rec_f=${HOME:-}/.local/state ;;
				esac
				_rec_f=$_rec_f/nfguard/audit.jsonl
				;;
			esac
		fi
		[ -z "$_rec_f" ] || [ ! -f "$_rec_f" ] ||
			cp -- "$_rec_f" "$_rec_p.report-${_rec_f##*/}"
	done
}

# nfguard_exec ARGS...: the binary under test, through valgrind when
# NFGUARD_VALGRIND is set (exit 99 on any error or definite leak).
nfguard_exec() {
	if [ -n "${NFGUARD_VALGRIND:-}" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite \
			--suppressions="$SRCDIR/tests/valgrind.supp" \
			"$NFGUARD" "$@"
	else
		"$NFGUARD" "$@"
	fi
}

# nfguard ARGS...: runs the binary under test (nfguard_exec) and records
# its stdout, stderr and report files in the transcript. Both streams
# pass through tee on FIFOs: they still stream, stdin and the exit status
# are the binary's, and the copies are complete when it returns.
nfguard() {
	if shows_secret "$@"; then
		nfguard_exec "$@"
		return
	fi
	rec_next "$@"
	_rec_fifo=$WORK/fifo/$_rec_n
	mkfifo "$_rec_fifo.out" "$_rec_fifo.err"
	tee "$_rec_p.stdout" <"$_rec_fifo.out" &
	_rec_p1=$!
	tee "$_rec_p.stderr" <"$_rec_fifo.err" >&2 &
	_rec_p2=$!
	nfguard_exec "$@" >"$_rec_fifo.out" 2>"$_rec_fifo.err" && _rec_rc=0 ||
		_rec_rc=$?
	wait "$_rec_p1" "$_rec_p2" || :
	rec_reports "$@"
	return "$_rec_rc"
}

# nfguard_spawn ARGS...: replaces the shell with the binary under test
# (under valgrind when NFGUARD_VALGRIND is set, without the leak check: a
# process killed leaks), so that after "nfguard_spawn ARGS... &" $! is the
# process to signal.
nfguard_spawn() {
	if [ -n "${NFGUARD_VALGRIND:-}" ]; then
		exec valgrind -q --error-exitcode=99 \
			--suppressions="$SRCDIR/tests/valgrind.supp" \
			"$NFGUARD" "$@"
	fi
	exec "$NFGUARD" "$@"
}

# nfg ARGS...: runs nfguard; sets $rc, keeps stdout/stderr in
# $WORK/out,err.
nfg() {
	set +e
	nfguard "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}

# nfg_in FILE ARGS...: like nfg, with FILE on standard input.
nfg_in() {
	_in=$1
	shift
	nfg "$@" <"$_in"
}

# expect_rc N: the last nfg call exited with N.
expect_rc() {
	[ "$rc" = "$1" ] || {
		cat "$WORK/err" >&2
		fail "exit status $rc, expected $1"
	}
}

# assert_eq GOT WANT [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

# jq_out FILTER: runs jq -r FILTER on the last stdout.
jq_out() {
	jq -r "$1" "$WORK/out"
}

# expect_stderr TEXT: the last stderr contains TEXT.
expect_stderr() {
	grep -qF -- "$1" "$WORK/err" || {
		cat "$WORK/err" >&2
		fail "stderr lacks '$1'"
	}
}

# --- Helpers for the dir/stdin scripts (0100-0199); generic. ---

# bytelen STRING: its length in bytes (${#s} counts characters).
bytelen() {
	printf '%s' "$1" | wc -c | tr -d ' '
}

# redact TOKEN: the secret_redacted form nfguard must report for TOKEN:
# the prefix, then the first H and the last T characters of the body B
# around "…" (U+2026), where H + T = R = min(8, floor(B / 4), B - 13)
# (none when R <= 0), H = ceil(R / 2): 4 + 4 for a 32-character body.
redact() {
	_rd_body=${1#nf_at_}
	_rd_b=$(bytelen "$_rd_body")
	_rd_r=$((_rd_b / 4))
	[ "$_rd_r" -le 8 ] || _rd_r=8
	[ "$_rd_r" -le $((_rd_b - 13)) ] || _rd_r=$((_rd_b - 13))
	[ "$_rd_r" -ge 0 ] || _rd_r=0
	printf 'nf_%s_%s…%s' at \
		"$(printf '%s' "$_rd_body" | head -c $(((_rd_r + 1) / 2)))" \
		"$(printf '%s' "$_rd_body" | tail -c $((_rd_r / 2)))"
}

# expect_count N: the last stdout is a -f json report with exactly N
# findings, in the findings array and in scan.findings alike.
expect_count() {
	_ec=$(jq -r '"\(.findings | length) \(.scan.findings)"' "$WORK/out") ||
		fail "stdout is not a JSON report"
	assert_eq "$_ec" "$1 $1" "findings (array length, scan.findings)"
}

# expect_finding PATH LINE COLUMN TOKEN: the last stdout is a -f json
# report that holds TOKEN (matched by fingerprint) exactly once, at PATH
# (compared as JSON text, so pass invalid bytes as \xNN), LINE and COLUMN,
# with end_column = COLUMN + bytes of TOKEN, the built-in rule id and the
# right redacted form.
expect_finding() {
	_ef_fp=$(fp "$4")
	_ef_n=$(jq --arg fp "$_ef_fp" \
		'[.findings[] | select(.fingerprint == $fp)] | length' \
		"$WORK/out") || fail "stdout is not a JSON report"
	[ "$_ef_n" = 1 ] ||
		fail "$1:$2:$3: token reported $_ef_n times, expected once"
	_ef_got=$(jq -r --arg fp "$_ef_fp" '.findings[] |
		select(.fingerprint == $fp) |
		"\(.line):\(.column):\(.end_column):\(.rule_id):\(.secret_redacted)"' \
		"$WORK/out")
	assert_eq "$_ef_got" \
		"$2:$3:$(($3 + $(bytelen "$4"))):notiflows-account-token:$(redact "$4")" \
		"line:column:end_column:rule_id:secret_redacted of the token at $1"
	jq -e --arg fp "$_ef_fp" --arg p "$1" '.findings[] |
		select(.fingerprint == $fp) | .path == $p' "$WORK/out" \
		>/dev/null || fail "path: got '$(jq -r --arg fp "$_ef_fp" \
		'.findings[] | select(.fingerprint == $fp) | .path' \
		"$WORK/out")', expected '$1'"
}

# pos_of FILE OFFSET: prints "LINE COLUMN" (1-based; lines end at \n,
# columns count bytes) of the byte at 0-based OFFSET in FILE. Binary-safe.
pos_of() {
	_po_l=$(head -c "$2" "$1" | tr -dc '\n' | wc -c)
	_po_c=$({
		head -c "$2" "$1" | tr -c '\n' x
		printf x
	} | tail -n 1 | wc -c)
	echo "$((_po_l + 1)) $((_po_c))"
}

# nfg_pipe FILE ARGS...: like nfg_in, but FILE arrives through a pipe
# (short reads, no size, no seeking).
# shellcheck disable=SC2002 # cat makes the pipe
nfg_pipe() {
	_in=$1
	shift
	set +e
	cat "$_in" | nfguard "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}

# nodac CMD ARGS...: runs CMD without the capabilities that let root
# ignore file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a chmod 000
# file is unreadable even when the tests run as root, as in CI. Uses
# setpriv (util-linux); as a normal user it just runs CMD.
nodac() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --bounding-set=-dac_override,-dac_read_search -- "$@"
	else
		"$@"
	fi
}

# nfg_nodac ARGS...: nfg under nodac. Skips the test when file modes
# cannot be enforced here (no setpriv, or not allowed to drop the caps).
nfg_nodac() {
	nodac true 2>/dev/null ||
		skip "cannot drop CAP_DAC_OVERRIDE here: root reads any file"
	set +e
	nodac sh -c '. "$SRCDIR/tests/e2e/lib.sh"; nfguard "$@"' sh "$@" \
		>"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
}

# --- Helpers for the git scripts (0200-0299); generic. ---

# mkrepo DIR: a new repository in DIR (created if needed), branch main.
mkrepo() {
	git init -q -b main "$1"
}

# commit_at DATE MSG: in the repository of the current folder, stages
# every change (git add -A) and commits it (empty commits allowed) with
# message MSG and author and committer dates fixed to DATE (any git date
# format, e.g. "2024-01-02 03:04:05 +0000"), so that within a run the
# commit id depends only on content and identity.
commit_at() {
	git add -A
	GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 \
		git commit -q --allow-empty -m "$2"
}

# expect_git TOKEN KEY=VALUE...: the last stdout is a -f json report that
# holds TOKEN (matched by fingerprint) exactly once, and in that finding
# each top-level KEY reads VALUE as text (jq tostring: strings bare,
# true/false, numbers); "<absent>" stands for a key that is not there.
expect_git() {
	_eg_fp=$(fp "$1")
	shift
	_eg_n=$(jq --arg fp "$_eg_fp" \
		'[.findings[] | select(.fingerprint == $fp)] | length' \
		"$WORK/out") || fail "stdout is not a JSON report"
	[ "$_eg_n" = 1 ] || fail "token reported $_eg_n times, expected once"
	for _eg_kv in "$@"; do
		_eg_k=${_eg_kv%%=*}
		_eg_got=$(jq -r --arg fp "$_eg_fp" --arg k "$_eg_k" \
			'.findings[] | select(.fingerprint == $fp) |
			if has($k) then .[$k] | tostring else "<absent>" end' \
			"$WORK/out")
		assert_eq "$_eg_got" "${_eg_kv#*=}" "$_eg_k"
	done
}

# expect_no_token TOKEN: the last -f json stdout does not hold TOKEN.
expect_no_token() {
	_en_n=$(jq --arg fp "$(fp "$1")" \
		'[.findings[] | select(.fingerprint == $fp)] | length' \
		"$WORK/out") || fail "stdout is not a JSON report"
	assert_eq "$_en_n" 0 "findings of a token that must not be reported"
}

# expect_no_stderr: the last run wrote nothing on stderr (a clean scan has
# nothing to say; this also catches sanitizer reports, whose exit status 1
# would pass for "findings").
expect_no_stderr() {
	[ ! -s "$WORK/err" ] || {
		cat "$WORK/err" >&2
		fail "stderr is not empty"
	}
}

# --- Helpers for the gate scripts (0500-0599); generic. ---

# run_cmd CMD ARGS...: runs any command (git, a hook, pre-commit); sets
# $rc, keeps stdout/stderr in $WORK/out,err, like nfg.
run_cmd() {
	set +e
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
	shows_secret "$@" || record_output "$WORK/out" "$WORK/err"
}

# expect_stdout TEXT: the last stdout contains TEXT.
expect_stdout() {
	grep -qF -- "$1" "$WORK/out" || {
		cat "$WORK/out" >&2
		fail "stdout lacks '$1'"
	}
}

# expect_output TEXT: the last stdout or stderr contains TEXT (git
# passes a hook's stdout on as its own stdout or stderr, by version).
expect_output() {
	cat "$WORK/out" "$WORK/err" | grep -qF -- "$1" || {
		cat "$WORK/out" "$WORK/err" >&2
		fail "output lacks '$1'"
	}
}

# expect_no_output TEXT: neither the last stdout nor the last stderr
# contains TEXT (e.g. a whole token that must never be printed).
expect_no_output() {
	! grep -qF -- "$1" "$WORK/out" "$WORK/err" ||
		fail "output holds '${1%"${1#??????????}"}…', which must not be printed"
}

# expect_ref REPO REF WANT: in the repository REPO, REF resolves to the
# commit WANT ("<none>" when REF must not exist), e.g. a remote's branch
# after a push that had to be refused.
expect_ref() {
	_er_got=$(git -C "$1" rev-parse -q --verify "$2^{commit}" 2>/dev/null) ||
		_er_got='<none>'
	assert_eq "$_er_got" "$3" "$2 in $1"
}

# token_field TOKEN OBJECT KEY: the last report's OBJECT.KEY (e.g.
# verification status) of TOKEN's finding, as text; "<absent>" if none.
token_field() {
	jq -r --arg fp "$(fp "$1")" --arg o "$2" --arg k "$3" '.findings[] |
		select(.fingerprint == $fp) | .[$o] |
		if has($k) then .[$k] | tostring else "<absent>" end' \
		"$WORK/out"
}

# expect_place TOKEN KEY=VALUE LOCATION PATH LINE COLUMN COMMIT: the last
# -f json stdout holds exactly one finding of TOKEN whose KEY reads VALUE
# (e.g. path=a.env, commit=ID), and it is at LOCATION, PATH, LINE and
# COLUMN (end_column just past the token) in COMMIT, redacted, with
# occurrences 1: a place in history that is not a file (names, headers).
expect_place() {
	_ep_sel='.findings[] | select(.fingerprint == $fp and
		(.[$k] | tostring) == $v)'
	set -- "$@" "$(fp "$1")" "${2%%=*}" "${2#*=}"
	assert_eq "$(jq -r --arg fp "$8" --arg k "$9" --arg v "${10}" \
		"[$_ep_sel] | length" "$WORK/out")" 1 "findings with $2"
	assert_eq "$(jq -r --arg fp "$8" --arg k "$9" --arg v "${10}" \
		"$_ep_sel"' | "\(.location) \(.path) \(.line) \(.column) \(.end_column) \(.commit) \(.secret_redacted) \(.occurrences)"' \
		"$WORK/out")" \
		"$3 $4 $5 $6 $(($6 + $(bytelen "$1"))) $7 $(redact "$1") 1" \
		"location path line column end_column commit redacted occurrences ($2)"
}

# mem_error NAME: the problem nfguard reports for /proc/self/mem named
# NAME. As root its first read fails; as another user the file is root's,
# since nfguard makes itself non-dumpable (src/main.c).
mem_error() {
	if [ "$(id -u)" = 0 ]; then
		printf "cannot read '%s': read failed: Input/output error" "$1"
	else
		printf "cannot open '%s': Permission denied" "$1"
	fi
}

# --- Helpers for the SARIF scripts (0300, 1020). ---

# sarif_validators: installs the SARIF validators once per build folder
# (tests/tools/install-validators.sh) into $BUILDDIR/validators, the
# folder it sets as $vdir; skips the test without npm or its registry,
# except in CI.
sarif_validators() {
	vdir=$BUILDDIR/validators
	set +e
	"$SRCDIR/tests/tools/install-validators.sh" "$vdir" 2>"$WORK/install.err"
	_sv_rc=$?
	set -e
	case $_sv_rc in
	0) ;;
	3)
		cat "$WORK/install.err" >&2
		if [ "${CI:-}" = true ]; then
			fail "SARIF validators unavailable, and CI must validate the SARIF"
		fi
		skip "SARIF validators unavailable (npm or the npm registry)"
		;;
	*)
		cat "$WORK/install.err" >&2
		fail "install-validators.sh failed (exit $_sv_rc)"
		;;
	esac
}

# expect_sarif_valid FILE WHAT: FILE passes every SARIF validator
# (sarif_validators installed them in $vdir), strict; else the test fails
# with the validators' output and "WHAT does not validate".
expect_sarif_valid() {
	set +e
	NFG_VALIDATORS=$vdir NFG_SARIF_STRICT=1 \
		"$SRCDIR/tests/tools/validate-sarif.sh" "$1" \
		>"$WORK/validate.out" 2>&1
	_esv_rc=$?
	set -e
	[ "$_esv_rc" = 0 ] || {
		cat "$WORK/validate.out" >&2
		fail "$2 does not validate (validate-sarif.sh exit $_esv_rc)"
	}
}

# leak_and_missing NAME ID TOKEN: in a new repository r (left as the
# current folder), a commit of leak.txt holding TOKEN, then one that adds
# NAME naming blob ID, which need not exist yet: a test writes the crafted
# pack that holds it afterwards (git itself may not read it).
leak_and_missing() {
	mkrepo r
	cd r
	printf 'T=%s\n' "$3" >leak.txt
	commit_at '2024-01-01 10:00:00 +0000' 'leak'
	_lm_tree=$({
		git ls-tree HEAD
		printf '100644 blob %s\t%s\n' "$2" "$1"
	} | git mktree --missing)
	git update-ref refs/heads/main "$(GIT_COMMITTER_DATE='2024-01-02 10:00:00 +0000' \
		git commit-tree -p HEAD -m "$1" "$_lm_tree")"
}

# --- Helpers for the decoding scripts (1100-1199). ---

# mkarchive KIND OUT ARGS...: a compressed stream or an archive built by
# tests/tools/mkarchive.py (KIND gzip, zlib, bzip2, xz: ARGS is one file;
# zip, zip-stored, tar, tar.gz, tar.xz: ARGS are NAME=FILE entries).
mkarchive() {
	python3 "$SRCDIR/tests/tools/mkarchive.py" "$@" || fail "mkarchive $*"
}

# expect_encoding TOKEN JSON: in the last -f json report, the one finding
# of TOKEN has the encoding chain JSON (e.g. '["gzip","tar:a.env"]').
expect_encoding() {
	assert_eq "$(jq -c --arg fp "$(fp "$1")" '[.findings[] |
		select(.fingerprint == $fp) | .encoding]' "$WORK/out")" \
		"[$(printf '%s' "$2" | jq -c .)]" "encoding of the token"
}

# expect_decode_problem COUNTER TEXT...: the last run exited 2 and wrote
# one stderr line holding every TEXT, and its -f json report counts one in
# scan.COUNTER (decode_limited or decode_failed).
expect_decode_problem() {
	expect_rc 2
	assert_eq "$(wc -l <"$WORK/err" | tr -d ' ')" 1 "stderr lines"
	_edp_c=$1
	shift
	for _edp_t; do
		expect_stderr "$_edp_t"
	done
	assert_eq "$(jq -r ".scan.$_edp_c" "$WORK/out")" 1 "scan.$_edp_c"
}

# block_object REPO REV: the loose object REV names in the work tree REPO
# becomes a FIFO, so a scan that reads it waits (in open) until killed;
# unblock_object puts the object back.
block_object() {
	_bo=$(git -C "$1" rev-parse "$2")
	_bo=$1/.git/objects/$(echo "$_bo" | cut -c1-2)/$(echo "$_bo" | cut -c3-)
	mv "$_bo" "$WORK/blocked-object"
	mkfifo "$_bo"
}
unblock_object() {
	rm -f "$_bo"
	mv "$WORK/blocked-object" "$_bo"
}

# journaled STATE: the repositories STATE's journal (--state) records, one
# a line, by the base name of their key.
journaled() {
	tail -n +2 "$1.journal" | jq -r '.key | sub(".*/"; "")'
}

# token_repos NAME...: a work tree per NAME, of two commits: README.md
# (2024-01-01), then NAME.env holding a new token on line 2 (2024-02-01).
token_repos() {
	for _tr in "$@"; do
		_tr_t=$(mktoken)
		mkrepo "$_tr"
		(
			cd "$_tr"
			printf 'name: %s\n' "$_tr" >README.md
			commit_at '2024-01-01 10:00:00 +0000' init
			printf 'x=1\nTOKEN=%s\n' "$_tr_t" >"$_tr.env"
			commit_at '2024-02-01 10:00:00 +0000' token
		)
	done
}

# journal_wait N STATE PID: waits until STATE's journal names N
# repositories; after 120 s kills PID, undoes block_object and fails.
journal_wait() {
	_jw_i=0
	while [ "$(journaled "$2" 2>/dev/null | wc -l)" != "$1" ]; do
		_jw_i=$((_jw_i + 1))
		[ "$_jw_i" -lt 1200 ] || {
			kill -9 "$3" 2>/dev/null || true
			unblock_object
			fail "the journal never named $1 repositories"
		}
		sleep 0.1
	done
}

# sweep_killed_at N STATE ARGS...: runs nfguard git --state STATE ARGS in
# the background (held by block_object, which it undoes), kills it with
# SIGTERM once STATE's journal names N repositories, records its output
# in $WORK/out and err, and checks it exited 143.
sweep_killed_at() {
	_sk_n=$1 _sk_state=$2
	shift 2
	nfguard_spawn git --no-progress --state "$_sk_state" "$@" \
		>"$WORK/out" 2>"$WORK/err" &
	_sk_pid=$!
	journal_wait "$_sk_n" "$_sk_state" "$_sk_pid"
	kill -TERM "$_sk_pid"
	set +e
	wait "$_sk_pid"
	rc=$?
	set -e
	unblock_object
	record_output "$WORK/out" "$WORK/err"
	assert_eq "$rc" 143 "exit status of the killed sweep"
}

# state_run WHAT FINDINGS REPOS CMD ARG...: runs CMD ARG... (nfg, or a
# function that calls it) and checks a --state run's outcome: exit 1,
# nothing on stderr, the findings (path line column commit fingerprint)
# and the repositories (name incremental commits blobs findings), a line
# each, as given; WHAT names the run in failures.
state_run() {
	_sr_what=$1 _sr_found=$2 _sr_repos=$3
	shift 3
	"$@"
	expect_rc 1
	assert_eq "$(cat "$WORK/err")" "" "stderr $_sr_what"
	assert_eq "$(jq_out '.findings[] | [.path, .line, .column, .commit,
		.fingerprint] | map(tostring) | join(" ")')" "$_sr_found" \
		"findings $_sr_what"
	assert_eq "$(jq_out '.scan.repositories[] | [.repository,
		.incremental, .commits, .blobs, .findings] | map(tostring) |
		join(" ")')" "$_sr_repos" "repositories $_sr_what"
}

# fi_commits N: fast-import commands for N commits on main (marks 1..N),
# one second apart, each changing f.txt.
fi_commits() {
	_fi=1
	while [ "$_fi" -le "$1" ]; do
		printf 'commit refs/heads/main\nmark :%d\n' "$_fi"
		printf 'committer C <c@example.com> %d +0000\n' \
			$((1700000000 + _fi))
		printf 'data <<EOT\nc%d\nEOT\n' "$_fi"
		printf 'M 100644 inline f.txt\ndata <<EOT\nv%d\nEOT\n' "$_fi"
		_fi=$((_fi + 1))
	done
}

# --- Helpers for the html scripts (1300-1399). ---

# page FILE [OUT]: the -f html report FILE as tests/e2e/htmlreport.py
# reads it, in OUT (default page.json); fails when it is not well formed.
page() {
	python3 "$SRCDIR/tests/e2e/htmlreport.py" "$1" >"${2:-page.json}" ||
		fail "$1 is not a well-formed report"
}

# --- Helpers for the start-up scripts (1420-1429). ---

# traced ARGS...: nfguard ARGS under strace (skips the test when strace
# is missing or cannot trace here), the files it opened in $WORK/trace;
# sets $rc and keeps stdout/stderr in $WORK/out,err.
traced() {
	command -v strace >/dev/null 2>&1 || skip "strace is not installed"
	strace -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here"
	set +e
	# LeakSanitizer cannot run under ptrace (the ASan build's runs)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=open,openat -o "$WORK/trace" \
		"$NFGUARD" "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	set -e
	record_output "$WORK/out" "$WORK/err"
}
