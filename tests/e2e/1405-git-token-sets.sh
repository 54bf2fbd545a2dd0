#!/bin/sh
# nfguard git counts a token's occurrences by the sets of tokens the
# commits' trees hold (issue 17): a set that recurs after others (a file
# deleted and restored), tokens of one file whose sets part (one line
# removed), a token deep in folders, each placed at its first commit and
# line, with and without --all-occurrences; and notes of one fan-out
# folder, each at the id it annotates.
set -eu

ta=$(mktoken) tb=$(mktoken) tc=$(mktoken)
mkrepo r
cd r
printf 'app\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' c1
printf 'A=%s\nB=%s\n' "$ta" "$tb" >a.env
commit_at '2024-01-02 10:00:00 +0000' c2
c2=$(git rev-parse HEAD)
mkdir -p dir/sub
printf 'x\nC=%s\n' "$tc" >dir/sub/c.env
commit_at '2024-01-03 10:00:00 +0000' c3
c3=$(git rev-parse HEAD)
printf 'A=%s\n' "$ta" >a.env
commit_at '2024-01-04 10:00:00 +0000' c4
git rm -q a.env
commit_at '2024-01-05 10:00:00 +0000' c5
printf 'A=%s\nB=%s\n' "$ta" "$tb" >a.env
commit_at '2024-01-06 10:00:00 +0000' c6
printf 'app 2\n' >README.md
commit_at '2024-01-07 10:00:00 +0000' c7
cd ..

# A: c2 c3 c4 c6 c7; B: c2 c3 c6 c7; C: c3 to c7.
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 3
expect_finding a.env 1 3 "$ta"
expect_git "$ta" commit="$c2" occurrences=5 reachable=true
expect_finding a.env 2 3 "$tb"
expect_git "$tb" commit="$c2" occurrences=4 reachable=true
expect_finding dir/sub/c.env 2 3 "$tc"
expect_git "$tc" commit="$c3" occurrences=5 reachable=true
nfg git -f json --all-occurrences r
expect_rc 1
expect_count 14

# 300 commits, then notes for all: two of them, on commits whose ids
# share their first two digits (one fan-out folder), hold tokens.
tn1=$(mktoken) tn2=$(mktoken)
mkrepo n
cd n
fi_commits 300 | git fast-import --quiet
pair=$(git rev-list main | sort | awk '{ p = substr($0, 1, 2) }
	p == last { print prev, $0; exit } { last = p; prev = $0 }')
n1=${pair% *} n2=${pair#* }
[ -n "$n1" ] && [ "$n1" != "$n2" ] || fail "setup: no two ids alike"
{
	printf 'commit refs/notes/commits\n'
	printf 'committer C <c@example.com> 1710000000 +0000\n'
	printf 'data <<EOT\nnotes\nEOT\n'
	for c in $(git rev-list main); do
		case $c in
		"$n1") body="K=$tn1" ;;
		"$n2") body="K=$tn2" ;;
		*) body="note" ;;
		esac
		printf 'N inline %s\ndata <<EOT\n%s\nEOT\n' "$c" "$body"
	done
} | git fast-import --quiet
rest=${n2#??}
git ls-tree -r --name-only refs/notes/commits | grep -qx "${n2%"$rest"}/$rest" ||
	fail "setup: the notes tree is not fanned out"
cd ..
nfg git -f json n
expect_rc 1
expect_no_stderr
expect_count 2
expect_finding "$n1" 1 3 "$tn1"
expect_finding "$n2" 1 3 "$tn2"
