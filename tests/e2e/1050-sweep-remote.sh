#!/bin/sh
# Remote targets: a file:// URL, a git:// URL served by git daemon and an
# https:// URL served by git http-backend behind TLS (a test CA, trusted
# with --cacert) and basic authentication (NFGUARD_GIT_TOKEN), swept with
# a local repository. Each URL is cloned as a bare mirror of every ref the
# server advertises: a token pushed only to a pull request ref is found.
# Exact findings per repository, the transfer of each, the temporary
# clones removed, and the credential in no report, no stderr and no
# process's command line while the sweep runs.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/remote.sh"

tl=$(mktoken) ta=$(mktoken) tb=$(mktoken) tc=$(mktoken) tp=$(mktoken)
pw=$(mkpassword)
printf '%s\n' "$pw" >pw.txt

mkrepo local
(
	cd local
	printf 'l=%s\n' "$tl" >l.txt
	commit_at '2024-01-01 00:00:00 +0000' local
)
mkrepo a
(
	cd a
	printf 'x\na=%s\n' "$ta" >a.txt
	commit_at '2024-01-02 00:00:00 +0000' a
)
mkrepo b
(
	cd b
	printf 'x\ny\nb=%s\n' "$tb" >b.txt
	commit_at '2024-01-03 00:00:00 +0000' b
	git tag -a -m 'release' v1
)
mkrepo c
(
	cd c
	printf 'c=%s\n' "$tc" >c.txt
	commit_at '2024-01-04 00:00:00 +0000' c
	git checkout -q -b pr
	printf 'clean\np=%s\n' "$tp" >p.txt
	commit_at '2024-01-05 00:00:00 +0000' 'pull request'
	git checkout -q main
)
cl=$(git -C local rev-parse HEAD)
ca=$(git -C a rev-parse HEAD)
cb=$(git -C b rev-parse HEAD)
cc=$(git -C c rev-parse main)
cp=$(git -C c rev-parse pr)
mkdir daemon https
bare_from b daemon/b.git
git init -q --bare -b main https/c.git
# The pull request's commit lives only under refs/pull/: no branch has it.
git -C c push -q ../https/c.git main 'pr:refs/pull/1/head'
daemon_start "$PWD/daemon"
https_start "$PWD/https" x-access-token pw.txt

# The credential from the environment, never in argv; the sweep runs in
# the background while every process's command line is searched for it.
export NFGUARD_GIT_TOKEN="$pw"
(nfg git -f json --cacert "$CA_FILE" --repo-jobs 2 local "file://$PWD/a" \
	"$DAEMON_URL/b.git" "$HTTPS_URL/c.git"
echo "$rc" >rc.txt) &
sweep=$!
seen=0
while kill -0 "$sweep" 2>/dev/null; do
	for f in /proc/[0-9]*/cmdline; do
		if grep -qaF -- "$pw" "$f" 2>/dev/null; then
			fail "the credential is in $f: $(tr '\0' ' ' <"$f" | cut -c1-60)"
		fi
	done
	seen=$((seen + 1))
done
wait "$sweep"
unset NFGUARD_GIT_TOKEN
rc=$(cat rc.txt)
[ "$seen" -gt 0 ] || fail "the command lines were never searched"
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "local|scanned|local|null|1
file://$PWD/a|scanned|clone|null|1
$DAEMON_URL/b.git|scanned|clone|null|1
$HTTPS_URL/c.git|scanned|clone|null|2" "repositories"
assert_eq "$(findings_json)" "$(sort <<END
local|l.txt|1|$cl|$(fp "$tl")
file://$PWD/a|a.txt|2|$ca|$(fp "$ta")
$DAEMON_URL/b.git|b.txt|3|$cb|$(fp "$tb")
$HTTPS_URL/c.git|c.txt|1|$cc|$(fp "$tc")
$HTTPS_URL/c.git|p.txt|2|$cp|$(fp "$tp")
END
)" "findings"
expect_count 5
# Every ref: b's branch, its tag and HEAD; c's branch, the pull request
# ref and HEAD.
assert_eq "$(jq_out '[.scan.repositories[] | .refs] | join(",")')" \
	"2,2,3,3" "refs per repository"
assert_eq "$(ls "$TMPDIR" | grep -c nfguard-clone || :)" 0 \
	"temporary clones left in TMPDIR"
grep -q "GET /c.git/info/refs?service=git-upload-pack 200" "$HTTPS_LOG" ||
	fail "no authenticated request in: $(cat "$HTTPS_LOG")"

# The human report says how each repository was obtained.
export NFGUARD_GIT_TOKEN="$pw"
nfg git --no-color --cacert "$CA_FILE" local "$HTTPS_URL/c.git"
unset NFGUARD_GIT_TOKEN
expect_rc 1
sed -n '/^repositories:/,/^[0-9]* findings/{/^[0-9]* findings/!p;}' "$WORK/out" |
	sed 's/, [0-9.]* [KMG]*i*B/, SIZE/' >human.txt
assert_eq "$(cat human.txt)" "repositories: 2 (2 scanned, 0 empty, 0 failed)
  scanned  local  1 finding (1 commit, 1 blob, SIZE)
  scanned  $HTTPS_URL/c.git  2 findings (2 commits, 2 blobs, SIZE, cloned)" \
	"the repositories' lines"

# One URL alone is a sweep too; git's credential helper gives the
# password (a helper that reads it from a file: never in argv).
cat >helper.sh <<END
#!/bin/sh
[ "\$1" = get ] || exit 0
printf 'username=x-access-token\npassword=%s\n' "\$(cat "$PWD/pw.txt")"
END
chmod +x helper.sh
git config -f gitconfig credential.helper "$PWD/helper.sh"
GIT_CONFIG_GLOBAL=$PWD/gitconfig
export GIT_CONFIG_GLOBAL
nfg git -f json --cacert "$CA_FILE" "$HTTPS_URL/c.git"
GIT_CONFIG_GLOBAL=/dev/null
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "$HTTPS_URL/c.git|scanned|clone|null|2" \
	"a URL alone, credentials from a helper"
