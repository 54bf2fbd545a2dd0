#!/bin/sh
# --cache DIR: the first sweep clones each URL target into DIR (0700, an
# entry named from the target's normalised key), the second only fetches:
# a commit pushed in between is found, a deleted ref is pruned, local
# targets are not copied. A cache entry that is not nfguard's copy of that
# repository, or not a repository, fails that repository and is left as
# it is.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/remote.sh"

ta=$(mktoken) tb=$(mktoken) tn=$(mktoken) tl=$(mktoken)
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
	printf 'a=%s\n' "$ta" >a.txt
	commit_at '2024-01-02 00:00:00 +0000' a
	git branch gone
)
mkrepo b
(
	cd b
	printf 'b=%s\n' "$tb" >b.txt
	commit_at '2024-01-03 00:00:00 +0000' b
)
ca=$(git -C a rev-parse HEAD)
cb=$(git -C b rev-parse HEAD)
mkdir https
bare_from b https/b.git
https_start "$PWD/https" x-access-token pw.txt
a_url=file://$PWD/a
b_url=$HTTPS_URL/b.git
export NFGUARD_GIT_TOKEN="$pw"

nfg git -f json --cacert "$CA_FILE" --cache cache local "$a_url" "$b_url"
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "local|scanned|local|null|1
$a_url|scanned|clone|null|1
$b_url|scanned|clone|null|1" "first run"
assert_eq "$(jq_out '[.scan.repositories[] | .refs] | join(",")')" "2,3,2" \
	"refs, first run"
assert_eq "$(stat -c %a cache)" 700 "the cache folder's mode"
assert_eq "$(ls cache | grep -c '\.git$')" 2 "cache entries"

# A new commit with a token on each remote, a branch deleted: fetched.
(
	cd a
	printf 'n=%s\n' "$tn" >n.txt
	commit_at '2024-02-01 00:00:00 +0000' new
	git branch -q -D gone
)
cn=$(git -C a rev-parse HEAD)
nfg git -f json --cacert "$CA_FILE" --cache cache local "$a_url" "$b_url"
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "local|scanned|local|null|1
$a_url|scanned|fetch|null|2
$b_url|scanned|fetch|null|1" "second run"
assert_eq "$(jq_out '[.scan.repositories[] | .refs] | join(",")')" "2,2,2" \
	"refs, second run (the deleted branch pruned)"
assert_eq "$(findings_json)" "$(sort <<END
local|l.txt|1|$(git -C local rev-parse HEAD)|$(fp "$tl")
$a_url|a.txt|1|$ca|$(fp "$ta")
$a_url|n.txt|1|$cn|$(fp "$tn")
$b_url|b.txt|1|$cb|$(fp "$tb")
END
)" "findings, second run"
grep -q 'nfguard' cache/*/config && ! grep -qF "$pw" -r cache ||
	fail "the credential is in the cache, or the cache is unmarked"
nfg git --no-color --cacert "$CA_FILE" --cache cache "$b_url"
expect_rc 1
grep -qF "  scanned  $b_url  1 finding (1 commit, 1 blob, " "$WORK/out" &&
	grep -q ', fetched)$' "$WORK/out" ||
	fail "no fetched line in: $(cat "$WORK/out")"

# Entries that are not nfguard's copy of the repository: reported, kept.
entry_a=$(cd cache && ls -d *.git | grep -v 127.0.0.1)
entry_b=$(cd cache && ls -d *127.0.0.1*.git)
git --git-dir="cache/$entry_a" config nfguard.target other/repository
rm -rf "cache/$entry_b"
mkdir "cache/$entry_b"
echo mine >"cache/$entry_b/notes.txt"
nfg git -f json --cacert "$CA_FILE" --cache cache "$a_url" "$b_url"
expect_rc 2
assert_eq "$(repos_json)" "$a_url|failed|fetch|the cache entry '$entry_a' is not nfguard's copy of this repository|0
$b_url|failed|fetch|the cache entry '$entry_b' is not a repository: could not find repository from 'cache/$entry_b'|0" \
	"foreign cache entries"
assert_eq "$(cat "cache/$entry_b/notes.txt")" mine "a foreign entry kept"
assert_eq "$(git --git-dir="cache/$entry_a" config nfguard.target)" \
	other/repository "an entry of another repository kept"
