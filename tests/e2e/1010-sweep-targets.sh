#!/bin/sh
# The targets of a sweep: --repos-from FILE (comments, blank lines, blanks
# around a name, CRLF, a repository listed twice) and '-' for standard
# input, with operands too; a list naming nothing, or a bad line, is an
# error before any scan. A URL target that cannot be fetched fails alone,
# named without its userinfo everywhere, exit 2.
set -eu

t1=$(mktoken) t2=$(mktoken)
mkrepo one
(
	cd one
	printf 'a=%s\n' "$t1" >a.txt
	commit_at '2024-01-01 00:00:00 +0000' one
)
mkrepo two
(
	cd two
	printf 'b=%s\n' "$t2" >b.txt
	commit_at '2024-01-02 00:00:00 +0000' two
)
c1=$(git -C one rev-parse HEAD)
c2=$(git -C two rev-parse HEAD)

printf '# the fleet\n\n  one  \r\n\t# not this\n./two/\ntwo\n' >list.txt
nfg git -f json --repos-from list.txt
expect_rc 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 1 repository listed more than once, swept once" \
	"stderr"
assert_eq "$(jq_out '[.scan.targets, [.scan.repositories[] |
	"\(.repository):\(.status)"], [.findings[] |
	"\(.repository):\(.path):\(.line):\(.commit)"]] | tostring')" \
	"[[\"one\",\"./two/\"],[\"one:scanned\",\"./two/:scanned\"],[\"one:a.txt:1:$c1\",\"./two/:b.txt:1:$c2\"]]" \
	"targets, repositories and findings"

# Standard input, after an operand; an operand listed again is swept once.
printf 'two\none\n' | nfguard git -f json --repos-from - one \
	>"$WORK/out" 2>"$WORK/err" && rc=0 || rc=$?
expect_rc 1
assert_eq "$(jq_out '[.scan.repositories[].repository] | join(",")')" \
	"one,two" "repositories from an operand and stdin"
expect_stderr "1 repository listed more than once, swept once"

# Nothing to sweep, or a bad line: an error before any scan.
printf '# nothing\n\n' >empty.txt
nfg git -f json --repos-from empty.txt
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --repos-from: 'empty.txt' lists no repository" "stderr"
assert_eq "$(cat "$WORK/out")" "" "stdout"
printf 'one\nftp://me:pw@host/x\n' >bad.txt
nfg git -f json --repos-from bad.txt
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --repos-from: bad.txt:2: 'ftp://host/x': unsupported URL scheme 'ftp' (https, http, ssh, git, file, or [user@]host:path)" \
	"stderr"
nfg git -f json --repos-from missing.txt one
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --repos-from: cannot open 'missing.txt': No such file or directory" \
	"stderr"
nfg git --repo-jobs 0 one two
expect_rc 2
expect_stderr "nfguard: --repo-jobs: "

# URL targets fail alone with their reason (no network: plain http to
# another host is refused, nothing listens on the port), named without
# userinfo; a password on the command line is warned about.
closed=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
nfg git -f json one 'http://user:hunter2@example.com/acme/app.git' \
	"ssh://git@127.0.0.1:$closed/acme/lib.git" two
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'http://example.com/acme/app.git': plain http is allowed only to a loopback address: use https
nfguard: 'ssh://127.0.0.1:$closed/acme/lib.git': cannot clone: failed to connect to 127.0.0.1: Connection refused
nfguard: warning: a URL on the command line holds a password, which other users can read in the process list: use NFGUARD_GIT_PASSWORD or a credential helper" \
	"stderr"
assert_eq "$(jq_out '[.scan.repositories[] | "\(.repository)|\(.status)|\(.error)|\(.findings)"] | join("\n")')" \
	"one|scanned|null|1
http://example.com/acme/app.git|failed|plain http is allowed only to a loopback address: use https|0
ssh://127.0.0.1:$closed/acme/lib.git|failed|cannot clone: failed to connect to 127.0.0.1: Connection refused|0
two|scanned|null|1" "scan.repositories"
expect_count 2
assert_eq "$(jq_out '.scan.errors')" 2 "scan.errors"
grep -q 'hunter2\|user@' "$WORK/out" "$WORK/err" &&
	fail "the URL's userinfo is in the report or on stderr"

# A URL alone: the sweep fails, nothing else happens.
nfg git -f json "ssh://git@127.0.0.1:$closed/acme/app.git" --repos-from /dev/null
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'ssh://127.0.0.1:$closed/acme/app.git': cannot clone: failed to connect to 127.0.0.1: Connection refused" \
	"stderr"
assert_eq "$(jq_out '[.scan.repositories[] | .status] | join(",")')" \
	failed "status"

# On a terminal: the progress line counts the repositories done, names
# those in flight and counts the findings so far, then is erased.
command -v script >/dev/null || fail "script (util-linux) not found"
script -qec "$NFGUARD git -f json -o sweep.json one two" "$WORK/tty" \
	>/dev/null || :
record_output "$WORK/tty" sweep.json
tr '\r' '\n' <"$WORK/tty" | sed 's/\x1b\[K//' >progress.txt
for line in "nfguard: 0/2 repositories, 0 findings, scanning one" \
	"nfguard: 1/2 repositories, 1 finding, scanning two" \
	"nfguard: 2/2 repositories, 2 findings"; do
	grep -qxF "$line" progress.txt ||
		fail "no progress line '$line' in: $(cat progress.txt)"
done
grep -qF "$(printf '\r\033[K')" "$WORK/tty" || fail "the line is not erased"
