#!/bin/sh
# Errors of dir and stdin: missing targets, unreadable files and folders
# (even as root), bad options and rule files, output paths that cannot be
# written (no half report left behind), --exit-code, jsonl line counts and
# the zero-bytes warning. Errors exit 2 and beat findings.
set -eu

# err_line: the first stderr line is one nfguard message: "nfguard: "
# then lower case, no full stop at the end.
err_line() {
	_l=$(head -n 1 "$WORK/err")
	case $_l in
	'nfguard: '[A-Z]* | *.) fail "badly formed error line: $_l" ;;
	'nfguard: '?*) ;;
	*) fail "stderr does not start with an nfguard message: '$_l'" ;;
	esac
}

mkdir tree
t=$(mktoken)
printf 'T=%s\n' "$t" >tree/ok.env

# A target that does not exist is an error, and beats findings; the
# report is still written.
nfg dir -f json nope
expect_rc 2
expect_stderr "nfguard: 'nope': No such file or directory"
err_line
nfg dir -f json tree nope
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'nope': No such file or directory" "stderr"
expect_count 1
expect_finding tree/ok.env 1 3 "$t"
nfg dir -f json -o both.json nope tree
expect_rc 2
jq -e . both.json >/dev/null || fail "report not written on error"
assert_eq "$(jq -r '.findings[0].path' both.json)" tree/ok.env "path"

# Unreadable standard input (a folder: read fails with EISDIR).
nfg_in / stdin -f json
expect_rc 2
err_line

# Bad usage.
for cmd in dir stdin; do
	nfg "$cmd" --frobnicate
	expect_rc 2
	expect_stderr "nfguard: unknown option '--frobnicate'"
	expect_stderr "nfguard help $cmd"
	[ ! -s "$WORK/out" ] || fail "$cmd: output on a usage error"
done
# A typo is answered with the nearest option or command (swapped, missing
# or changed letters); a word far from every name gets no guess.
nfg dir --formt=json tree
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: unknown option '--formt=json': did you mean '--format'? (try 'nfguard help dir')" \
	"stderr"
nfg git --rnage HEAD tree
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: unknown option '--rnage': did you mean '--range'? (try 'nfguard help git')" \
	"stderr"
nfg gti tree
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: unknown command 'gti': did you mean 'git'? (try 'nfguard help')" \
	"stderr"
nfg help verfy
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: unknown command 'verfy': did you mean 'verify'? (try 'nfguard help')" \
	"stderr"
nfg scan tree
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: unknown command 'scan' (try 'nfguard help')" "stderr"
# help's own help, and one command at most.
nfg help --help
expect_rc 0
assert_eq "$(head -n 1 "$WORK/out")" "usage: nfguard help [COMMAND]" "help --help"
nfg help dir extra
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: help takes one command at most (usage: nfguard help [COMMAND])" \
	"stderr"
[ ! -s "$WORK/out" ] || fail "help dir extra: output on a usage error"

# Each command's usage lines name every option its help lists (--help
# aside), each once; a long usage wraps under the command's name.
for cmd in dir git staged install-hooks stdin rules verify revoke merge \
	uninstall-hooks help completion; do
	nfg help "$cmd"
	expect_rc 0
	sed -n '1,/^$/p' "$WORK/out" >usage
	sed -n '/^Options:$/,$p' "$WORK/out" |
		sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z0-9-]*\).*/\2/p' |
		grep -v '^--help$' >opts || true
	# The usage's words: what [, ], | and spaces separate.
	tr '[]| ' '\n\n\n\n' <usage >words
	while read -r o; do
		s=$(sed -n "s/^  \(-.\), $o[ =]*.*/\1/p;s/^  \(-.\), $o\$/\1/p" \
			"$WORK/out")
		n=$(grep -c -x -e "$o" -e "${s:-$o}" words) || true
		[ "$n" = 1 ] || fail "help $cmd: usage names $o $n times"
	done <opts
	awk 'length > 79 { exit 1 }' usage || fail "help $cmd: usage too wide"
done
nfg help verify
assert_eq "$(sed -n '1,/^$/p' "$WORK/out")" \
"usage: nfguard verify [-f FMT] [-o FILE] [--show-secret] [--exit-code N]
                      [--color auto|always|never] [--no-color] [-q]
                      [--rules PATH] [--verify] [--api-url URL] [--cacert FILE]
                      [--verify-concurrency N] [--verify-streams N]
                      [--verify-timeout SECS] [--fail-on live|any] < TOKENS" "verify usage"

# An option that takes no value, given one, is named as it was given.
nfg dir --quiet=1
expect_rc 2
expect_stderr "nfguard: option '--quiet' takes no value (try 'nfguard help dir')"
err_line
nfg stdin --verify=yes
expect_rc 2
expect_stderr "nfguard: option '--verify' takes no value (try 'nfguard help stdin')"
nfg dir -f bogus tree
expect_rc 2
expect_stderr bogus
err_line
nfg dir --format=bogus tree
expect_rc 2
expect_stderr bogus
nfg dir -f
expect_rc 2
for n in 126 -1 abc 7x '' 2; do
	nfg dir --exit-code "$n" tree
	expect_rc 2
	err_line
done
# 2 is the error status: findings must not pass for an error.
expect_stderr "nfguard: --exit-code: must be an integer from 0 to 125 other than 2 (the error status)"
nfg dir -j abc tree
expect_rc 2

# A path too long for the system: the message keeps its reason, and the
# path loses its middle rather than the end of the line.
long=$(printf '%05000d' 0 | tr 0 x)
nfg dir "$long"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: ' ... ': File name too long" "stderr"
nfg dir "a/$long/b"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: cannot open 'a/ ... /b': File name too long" \
	"stderr"

# A report that cannot be written is named once, with the file.
if [ -w /dev/full ]; then
	nfg dir -f json -o /dev/full tree
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: cannot write the report to '/dev/full': No space left on device" \
		"stderr"
	set +e
	nfguard_exec dir -f json tree >/dev/full 2>"$WORK/err"
	rc=$?
	set -e
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: cannot write the report to standard output: No space left on device" \
		"stderr"
fi

# Rule files: malformed JSON, missing file, a pattern that does not compile,
# a pattern without the "secret" group.
printf '{"version": 1, "rules": [\n' >bad.json
nfg dir --rules bad.json tree
expect_rc 2
expect_stderr bad.json
err_line
nfg dir --rules missing.json tree
expect_rc 2
expect_stderr missing.json
jq '.rules[0].id = "broken-rule" |
	.rules[0].pattern = "(?<secret>nf_at_[A-Za-z0-9_-]{16,256}"' \
	"$SRCDIR/rules/notiflows.json" >broken.json
nfg dir --rules broken.json tree
expect_rc 2
expect_stderr broken-rule
expect_stderr pattern
err_line
jq '.rules[0].id = "nogroup-rule" |
	.rules[0].pattern = "nf_at_[A-Za-z0-9_-]{16,256}"' \
	"$SRCDIR/rules/notiflows.json" >nogroup.json
nfg dir --rules nogroup.json tree
expect_rc 2
expect_stderr nogroup-rule
expect_stderr pattern

# Output files: -o writes the whole report or nothing.
mkdir many
i=0
while [ $i -lt 100 ]; do
	printf 'T=%s\n' "$(mktoken)" >"many/f$i.env"
	i=$((i + 1))
done
nfg dir -f json -o missing/dir/report.json many
expect_rc 2
expect_stderr missing/dir/report.json
err_line
[ ! -e missing ] || fail "-o created a folder"

mkdir out
nfg dir -f json -o out/report.json many
expect_rc 1
[ ! -s "$WORK/out" ] || fail "-o: report also went to stdout"
cp out/report.json "$WORK/out"
expect_count 100
assert_eq "$(ls -A out)" report.json "files in the output folder"
nfg dir -f jsonl -o out/report.json tree
expect_rc 1
assert_eq "$(wc -l <out/report.json | tr -d ' ')" 1 "overwritten report"
assert_eq "$(ls -A out)" report.json "files in the output folder"

# A write that fails half way (file size limit: write() fails with EFBIG)
# leaves the old report untouched and no temporary file.
printf 'OLD\n' >out/report.json
set +e
(
	trap '' XFSZ
	ulimit -f 1 # 512 bytes, far below the ~30 KB report
	exec "$NFGUARD" dir -f json -o out/report.json many
) >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
record_output "$WORK/out" "$WORK/err"
expect_rc 2
err_line
assert_eq "$(cat out/report.json)" OLD "report after a failed write"
assert_eq "$(ls -A out)" report.json "files in the output folder"

# --exit-code.
nfg dir --exit-code 7 tree
expect_rc 7
nfg dir --exit-code 0 tree
expect_rc 0
nfg dir --exit-code 125 -f json tree
expect_rc 125
expect_count 1
mkdir clean
printf 'nothing here\n' >clean/a.txt
nfg dir --exit-code 7 clean
expect_rc 0

# jsonl: exactly one line per finding.
nfg dir -f jsonl many
expect_rc 1
assert_eq "$(wc -l <"$WORK/out" | tr -d ' ')" 100 "jsonl lines"
assert_eq "$(jq -s 'map(select(.rule_id == "notiflows-account-token")) |
	length' "$WORK/out")" 100 "jsonl finding objects"

# A scan that reads zero bytes says so (exit status unaffected).
mkdir empty
nfg dir -f json empty
expect_rc 0
expect_count 0
expect_stderr 'nfguard: warning: nothing was scanned (0 bytes)'
: >empty/zero.txt
nfg dir -f json empty
expect_rc 0
assert_eq "$(jq_out '"\(.scan.files_scanned) \(.scan.bytes_scanned)"')" \
	"1 0" "files_scanned bytes_scanned"
expect_stderr 'nfguard: warning: nothing was scanned (0 bytes)'
nfg dir -f json clean
expect_rc 0
expect_no_stderr

# Last, as they may skip the test: modes that root must obey too.

# An output folder that cannot be written (root, too: nodac).
mkdir ro
chmod 555 ro
if nodac sh -c ': >ro/probe' 2>/dev/null; then
	skip "file modes are not enforced here even without CAP_DAC_OVERRIDE"
fi
nfg_nodac dir -f json -o ro/report.json many
expect_rc 2
expect_stderr ro/report.json
assert_eq "$(ls -A ro)" '' "files in the read-only folder"
chmod 755 ro

# Unreadable file and folder. Tests run as root in CI, which reads any
# file: nfg_nodac drops the capabilities that allow that.
mkdir tree/closed
t_locked=$(mktoken)
printf 'T=%s\n' "$t_locked" >tree/locked.txt
printf 'T=%s\n' "$(mktoken)" >tree/closed/inside.txt
chmod 000 tree/locked.txt tree/closed
if nodac cat tree/locked.txt >/dev/null 2>&1; then
	skip "file modes are not enforced here even without CAP_DAC_OVERRIDE"
fi
nfg_nodac dir -f json tree
expect_rc 2
expect_stderr "locked.txt': Permission denied"
expect_stderr "closed': Permission denied"
err_line
assert_eq "$(grep -c 'locked.txt' "$WORK/err")" 1 \
	"stderr lines naming locked.txt"
expect_count 1
expect_finding ok.env 1 3 "$t"
nfg_nodac dir -f json --skip-unreadable tree
expect_rc 1
expect_stderr "locked.txt"
expect_stderr "closed"
expect_count 1
mv tree/ok.env ok.env.saved
nfg_nodac dir -f json --skip-unreadable tree
expect_rc 0
expect_count 0
nfg_nodac dir -f json tree/locked.txt
expect_rc 2
expect_stderr "nfguard: cannot open 'tree/locked.txt': Permission denied"
