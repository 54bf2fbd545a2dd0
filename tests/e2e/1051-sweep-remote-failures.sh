#!/bin/sh
# Remote targets that fail, each alone with its reason while the others
# are reported, exit 2: refused credentials (libgit2 would ask again: one
# refusal ends it, and the reason says authentication failed), no
# credentials at all, a repository the server does not have, a port
# nothing listens on, a certificate no trusted CA signed, and plain http
# to a host that is not loopback. A password in a URL on the command line
# is accepted with a warning and shown nowhere.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/remote.sh"

ta=$(mktoken) tc=$(mktoken)
pw=$(mkpassword)
printf '%s\n' "$pw" >pw.txt
mkrepo a
(
	cd a
	printf 'a=%s\n' "$ta" >a.txt
	commit_at '2024-01-02 00:00:00 +0000' a
)
mkrepo c
(
	cd c
	printf 'c=%s\n' "$tc" >c.txt
	commit_at '2024-01-04 00:00:00 +0000' c
)
ca=$(git -C a rev-parse HEAD)
mkdir https
bare_from c https/c.git
https_start "$PWD/https" x-access-token pw.txt
closed=$(free_port)
a_url=file://$PWD/a

# Wrong credentials: that repository fails alone; one refusal, not a loop.
export NFGUARD_GIT_TOKEN=wrong-credential
nfg git -f json --cacert "$CA_FILE" "$a_url" "$HTTPS_URL/c.git"
unset NFGUARD_GIT_TOKEN
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: '$HTTPS_URL/c.git': cannot clone: authentication failed" \
	"stderr"
assert_eq "$(repos_json)" "$a_url|scanned|clone|null|1
$HTTPS_URL/c.git|failed|clone|cannot clone: authentication failed|0" \
	"repositories"
assert_eq "$(findings_json)" "$a_url|a.txt|1|$ca|$(fp "$ta")" "findings"
assert_eq "$(grep -c ' 401$' "$HTTPS_LOG")" 2 \
	"refused requests (one without credentials, one with)"
assert_eq "$(jq_out .scan.errors)" 1 "scan.errors"

# No credentials at all (no variable, no helper).
nfg git -f json --cacert "$CA_FILE" "$HTTPS_URL/c.git"
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: '$HTTPS_URL/c.git': cannot clone: authentication failed: no credentials (NFGUARD_GIT_TOKEN, or a git credential helper)" \
	"stderr without credentials"

# A missing repository, a closed port, an untrusted certificate, plain
# http to another host: each fails alone, the file:// URL is reported.
export NFGUARD_GIT_USERNAME=x-access-token NFGUARD_GIT_PASSWORD="$pw"
nfg git -f json --cacert "$CA_FILE" "$HTTPS_URL/missing.git" \
	"git://127.0.0.1:$closed/x.git" "$a_url" \
	'http://example.invalid/acme/app.git'
expect_rc 2
assert_eq "$(repos_json)" "$HTTPS_URL/missing.git|failed|clone|cannot clone: unexpected http status code: 404|0
git://127.0.0.1:$closed/x.git|failed|clone|cannot clone: failed to connect to 127.0.0.1: Connection refused|0
$a_url|scanned|clone|null|1
http://example.invalid/acme/app.git|failed|clone|plain http is allowed only to a loopback address: use https|0" \
	"repositories"
assert_eq "$(findings_json)" "$a_url|a.txt|1|$ca|$(fp "$ta")" "findings"
assert_eq "$(jq_out .scan.errors)" 3 "scan.errors"
nfg git -f json "$HTTPS_URL/c.git" "$a_url"
expect_rc 2
assert_eq "$(jq_out '.scan.repositories[0].error')" \
	"cannot clone: the SSL certificate is invalid: 0x08 - The certificate is not correctly signed by the trusted CA" \
	"without --cacert"
unset NFGUARD_GIT_USERNAME NFGUARD_GIT_PASSWORD

# A password in a URL operand: used, with a warning, and shown nowhere.
# (A wrong one: this test's own command lines are kept in its transcript.)
nfg git -f json --cacert "$CA_FILE" \
	"https://x-access-token:in-argv-secret@${HTTPS_URL#https://}/c.git"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: '$HTTPS_URL/c.git': cannot clone: authentication failed
nfguard: warning: a URL on the command line holds a password, which other users can read in the process list: use NFGUARD_GIT_PASSWORD or a credential helper" "stderr"
assert_eq "$(repos_json)" \
	"$HTTPS_URL/c.git|failed|clone|cannot clone: authentication failed|0" \
	"repositories"
grep -q 'in-argv-secret\|x-access-token@' "$WORK/out" "$WORK/err" &&
	fail "the URL's userinfo is in the report or on stderr"
# The same URL in a --repos-from list is not in argv: no warning.
printf 'https://x-access-token:%s@%s/c.git\n' "$pw" "${HTTPS_URL#https://}" >list.txt
nfg git -f json --cacert "$CA_FILE" --repos-from list.txt
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "$HTTPS_URL/c.git|scanned|clone|null|1" \
	"a URL's own credentials"
assert_eq "$(ls "$TMPDIR" | grep -c nfguard-clone || :)" 0 \
	"temporary clones left in TMPDIR"
