#!/bin/sh
# Notes: a note is reported at the id of the object it annotates, whether
# its notes tree spells that id whole (few notes) or fanned out into
# folders (256 notes and more: "2d/1839…"), in the notes commit that
# brought it or an older one, and with --ref refs/notes/commits.
set -eu

n=300
tfan=$(mktoken) tflat=$(mktoken)
mkrepo repo
cd repo
# n commits on main, then one notes commit holding a note for each: the
# note of commit 7 holds a token. fast-import fans out past 255 notes.
{
	fi_commits "$n"
	printf 'commit refs/notes/commits\n'
	printf 'committer C <c@example.com> 1710000000 +0000\n'
	printf 'data <<EOT\nnotes\nEOT\n'
	i=1
	while [ "$i" -le "$n" ]; do
		if [ "$i" = 7 ]; then
			body="K=$tfan"
		else
			body="note $i"
		fi
		printf 'N inline :%d\ndata <<EOT\n%s\nEOT\n' "$i" "$body"
		i=$((i + 1))
	done
} | git fast-import --quiet
c7=$(git rev-list --reverse main | sed -n 7p)
cnotes=$(git rev-parse refs/notes/commits)
rest=${c7#??}
git ls-tree -r --name-only refs/notes/commits | grep -qx "${c7%"$rest"}/$rest" ||
	fail "setup: the notes tree is not fanned out"
# A later note on top: the token's note is now in an older notes commit.
GIT_COMMITTER_DATE='2024-03-01 10:00:00 +0000' \
	git notes add -m 'later note' 'main^{tree}'
[ "$(git rev-parse refs/notes/commits~1)" = "$cnotes" ] ||
	fail "setup: notes history"
# A notes ref with one note: no fan-out, the path is the id already.
GIT_COMMITTER_DATE='2024-03-02 10:00:00 +0000' \
	git notes --ref review add -m "R=$tflat" "$c7"
creview=$(git rev-parse refs/notes/review)
cd ..

nfg git -f json repo
expect_rc 1
expect_no_stderr
expect_count 2
expect_finding "$c7" 1 3 "$tfan"
expect_git "$tfan" commit="$cnotes" location=file
expect_finding "$c7" 1 3 "$tflat"
expect_git "$tflat" commit="$creview" location=file

nfg git -f json --ref refs/notes/commits repo
expect_rc 1
expect_count 1
expect_finding "$c7" 1 3 "$tfan"
expect_git "$tfan" commit="$cnotes"
