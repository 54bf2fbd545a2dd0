#!/bin/sh
# nfguard git attributes each token to the commit that introduced it:
# added then removed, file later deleted, carried through 30 commits,
# renamed and copied, a merge resolution, a clean merge from a side
# branch, an unmerged side branch, topological order before dates and
# dates between unrelated commits. Exact commit, path, line, column, blob,
# author, date (UTC), reachable and occurrences.
# Other authors commit in subshells, on purpose:
# shellcheck disable=SC2030,SC2031
set -eu

top=$(pwd -P)

# A token added in commit 2 and removed in commit 3, by another author,
# in a time zone east of UTC.
mkrepo r1
cd r1
printf '# app\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' 'init'
t1=$(mktoken)
printf 'APP_ENV=dev\nDEBUG=0\nNOTIFLOWS_TOKEN=%s\n' "$t1" >config.env
(
	export GIT_AUTHOR_NAME='Alice Leaker'
	export GIT_AUTHOR_EMAIL=alice@example.org
	commit_at '2024-01-02 12:30:00 +0200' 'add config'
)
c2=$(git rev-parse HEAD)
b2=$(git rev-parse HEAD:config.env)
printf 'APP_ENV=dev\nDEBUG=0\n' >config.env
commit_at '2024-01-03 09:00:00 +0000' 'remove the token'
cd "$top"
nfg git -f json r1
expect_rc 1
expect_count 1
expect_finding config.env 3 17 "$t1"
expect_git "$t1" commit="$c2" blob="$b2" author_name='Alice Leaker' \
	author_email=alice@example.org date=2024-01-02T10:30:00Z \
	location=file reachable=true occurrences=1 \
	repository="$top/r1"
assert_eq "$(jq_out '.scan.command')" git "scan.command"
assert_eq "$(jq_out '.scan.commits')" 3 "scan.commits"
# README, config.env with and without the token: each unique blob once.
assert_eq "$(jq_out '.scan.blobs_scanned')" 3 "scan.blobs_scanned"
# Found the same way when the repository is found from the current
# folder, even from a subfolder.
mkdir r1/sub
cd r1/sub
nfg git -f json
cd "$top"
expect_rc 1
expect_count 1
expect_finding config.env 3 17 "$t1"
expect_git "$t1" commit="$c2" repository="$top/r1"

# A file later deleted is still found, attributed to its adding commit.
mkrepo r2
cd r2
printf 'hello\n' >README.md
commit_at '2024-02-01 10:00:00 +0000' 'init'
mkdir keys
t2=$(mktoken 40)
printf 'line one\ntoken=%s\n' "$t2" >keys/secret.txt
commit_at '2024-02-02 10:00:00 +0000' 'add keys'
c2=$(git rev-parse HEAD)
b2=$(git rev-parse HEAD:keys/secret.txt)
git rm -q keys/secret.txt
commit_at '2024-02-03 10:00:00 +0000' 'oops, remove keys'
printf 'hello again\n' >README.md
commit_at '2024-02-04 10:00:00 +0000' 'later work'
cd "$top"
nfg git -f json r2
expect_rc 1
expect_count 1
expect_finding keys/secret.txt 2 7 "$t2"
expect_git "$t2" commit="$c2" blob="$b2" date=2024-02-02T10:00:00Z \
	author_name='Test Author' author_email=author@example.com \
	location=file reachable=true occurrences=1

# Tokens carried through 30 commits: one in a file modified elsewhere in
# every commit (30 different blobs, token line unchanged), one in a file
# never touched again (one blob) while another file changes. Each is one
# finding, at its first commit (not the root), with occurrences 30.
mkrepo r3
cd r3
printf 'start\n' >counter.txt
commit_at '2024-03-01 00:00:00 +0000' 'root without tokens'
ta=$(mktoken) tb=$(mktoken)
printf 'header\n%s\n' "$ta" >a.txt
printf 'KEY=%s\n' "$tb" >b.txt
printf '1\n' >counter.txt
commit_at '2024-03-01 00:01:00 +0000' 'commit 1 of 30'
c1=$(git rev-parse HEAD)
ba=$(git rev-parse HEAD:a.txt)
bb=$(git rev-parse HEAD:b.txt)
i=2
while [ "$i" -le 30 ]; do
	printf 'change %s\n' "$i" >>a.txt
	printf '%s\n' "$i" >counter.txt
	commit_at "2024-03-01 00:$(printf '%02d' "$i"):00 +0000" \
		"commit $i of 30"
	i=$((i + 1))
done
cd "$top"
nfg git -f json r3
expect_rc 1
expect_count 2
expect_finding a.txt 2 1 "$ta"
expect_finding b.txt 1 5 "$tb"
expect_git "$ta" commit="$c1" blob="$ba" occurrences=30 \
	date=2024-03-01T00:01:00Z reachable=true
expect_git "$tb" commit="$c1" blob="$bb" occurrences=30
assert_eq "$(jq_out '.scan.commits')" 31 "scan.commits"

# A file renamed (git mv), then renamed again with lines added above the
# token, then copied: one finding at the first path and line; every
# commit holds the token.
mkrepo r4
cd r4
mkdir old
t4=$(mktoken)
printf 'x\nT=%s\n' "$t4" >old/name.txt
commit_at '2024-04-01 10:00:00 +0000' 'add name'
c1=$(git rev-parse HEAD)
b1=$(git rev-parse HEAD:old/name.txt)
mkdir new
git mv old/name.txt new/place.txt
commit_at '2024-04-02 10:00:00 +0000' 'move it'
git mv new/place.txt final.txt
{
	printf 'added\nabove\n'
	cat final.txt
} >final.tmp
mv final.tmp final.txt
commit_at '2024-04-03 10:00:00 +0000' 'move and edit'
cp final.txt copy.txt
commit_at '2024-04-04 10:00:00 +0000' 'copy'
cd "$top"
nfg git -f json r4
expect_rc 1
expect_count 1
expect_finding old/name.txt 2 3 "$t4"
expect_git "$t4" commit="$c1" blob="$b1" occurrences=4 location=file

# A merge whose conflict resolution adds a token that neither parent has:
# the merge commit introduced it. Then a clean merge of a side branch
# that added another token: that side commit introduced it.
mkrepo r5
cd r5
printf 'base\n' >f.txt
commit_at '2024-05-01 10:00:00 +0000' 'base'
git checkout -q -b side
printf 'side\n' >f.txt
commit_at '2024-05-02 10:00:00 +0000' 'side edit'
git checkout -q main
printf 'main\n' >f.txt
commit_at '2024-05-03 10:00:00 +0000' 'main edit'
git merge -q --no-edit side >/dev/null 2>&1 && fail "merge did not conflict"
t5=$(mktoken)
printf 'main\nside\nTOKEN=%s\n' "$t5" >f.txt
commit_at '2024-05-04 10:00:00 +0000' 'merge side, resolved'
m1=$(git rev-parse HEAD)
assert_eq "$(git rev-list --parents -n 1 HEAD | wc -w)" 3 "merge parents"
bm=$(git rev-parse HEAD:f.txt)
git checkout -q -b side2
t5b=$(mktoken)
printf 'S=%s\n' "$t5b" >s.txt
commit_at '2024-05-05 10:00:00 +0000' 'side2 adds s'
s2=$(git rev-parse HEAD)
git checkout -q main
printf 'more\n' >m.txt
commit_at '2024-05-06 10:00:00 +0000' 'main goes on'
GIT_AUTHOR_DATE='2024-05-07 10:00:00 +0000' \
	GIT_COMMITTER_DATE='2024-05-07 10:00:00 +0000' \
	git merge -q --no-ff -m 'merge side2' side2
git branch -q -D side side2
cd "$top"
nfg git -f json r5
expect_rc 1
expect_count 2
expect_finding f.txt 3 7 "$t5"
expect_finding s.txt 1 3 "$t5b"
# t5: the merge, side2's commit, main's next commit and the last merge.
expect_git "$t5" commit="$m1" blob="$bm" date=2024-05-04T10:00:00Z \
	occurrences=4 reachable=true
expect_git "$t5b" commit="$s2" date=2024-05-05T10:00:00Z occurrences=2

# An unmerged side branch (HEAD on main) is scanned.
mkrepo r6
cd r6
printf 'base\n' >README.md
commit_at '2024-06-01 10:00:00 +0000' 'base'
git checkout -q -b feature
t6=$(mktoken)
printf '{\n  "token": "%s"\n}\n' "$t6" >feature.json
(
	export GIT_AUTHOR_NAME='Bob Branch' GIT_AUTHOR_EMAIL=bob@example.net
	commit_at '2024-06-02 10:00:00 -0500' 'feature work'
)
f1=$(git rev-parse HEAD)
git checkout -q main
printf 'base 2\n' >README.md
commit_at '2024-06-03 10:00:00 +0000' 'main work'
cd "$top"
nfg git -f json r6
expect_rc 1
expect_count 1
expect_finding feature.json 2 13 "$t6"
expect_git "$t6" commit="$f1" blob="$(git -C r6 rev-parse "$f1:feature.json")" \
	author_name='Bob Branch' author_email=bob@example.net \
	date=2024-06-02T15:00:00Z reachable=true occurrences=1

# The same token added by two unrelated commits (neither an ancestor of
# the other): the earlier author date wins, whichever was made first.
mkrepo r7
cd r7
printf 'base\n' >README.md
commit_at '2024-07-01 10:00:00 +0000' 'base'
t7=$(mktoken)
git checkout -q -b late
printf 'T=%s\n' "$t7" >late.txt
commit_at '2024-07-20 10:00:00 +0000' 'late copy'
git checkout -q -b early main
printf 'xx\nT=%s\n' "$t7" >early.txt
commit_at '2024-07-10 10:00:00 +0000' 'early copy'
e1=$(git rev-parse HEAD)
git checkout -q main
cd "$top"
nfg git -f json r7
expect_rc 1
expect_count 1
expect_finding early.txt 2 3 "$t7"
expect_git "$t7" commit="$e1" date=2024-07-10T10:00:00Z occurrences=2

# Topological order beats dates: a parent dated after its child (clock
# skew) still introduced the token the child carries.
mkrepo r8
cd r8
t8=$(mktoken)
printf 'T=%s\n' "$t8" >a.txt
commit_at '2024-08-20 10:00:00 +0000' 'parent, clock ahead'
p1=$(git rev-parse HEAD)
printf 'b\n' >b.txt
commit_at '2024-08-01 10:00:00 +0000' 'child, clock right'
cd "$top"
nfg git -f json r8
expect_rc 1
expect_count 1
expect_finding a.txt 1 3 "$t8"
expect_git "$t8" commit="$p1" date=2024-08-20T10:00:00Z occurrences=2
