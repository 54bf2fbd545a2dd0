#!/bin/sh
# --state: a branch from a commit 4150 deep in a 4200-commit history
# (no ref names it): the search from the new tip would read every commit
# below it to learn that none is new, so it gives up past its budget
# (4096 commits) and the walk that hides the recorded tip answers: one
# commit, one blob, no word. A commit on top of the recorded tip, dated
# before it, closes at once. (Counts as before the search: it is the
# budget's path that is tested.)
set -eu

t1=$(mktoken) t2=$(mktoken)

# 4200 commits of one tree (one blob), made at once by fast-import.
mkrepo r
awk 'BEGIN {
	print "blob\nmark :1\ndata 7\nREADME"
	for (i = 1; i <= 4200; i++) {
		msg = "c" i
		printf "commit refs/heads/main\nmark :%d\n", i + 1
		printf "committer C <c@example.com> %d +0000\n", 1600000000 + i * 60
		printf "data %d\n%s\n", length(msg), msg
		if (i == 1)
			print "M 100644 :1 README.md"
		else
			printf "from :%d\n", i
		print ""
	}
}' | git -C r fast-import --quiet
git -C r checkout -q main

nfg git -f json --state state.json r
expect_rc 0
assert_eq "$(cat "$WORK/err")" "" "stderr of the first run"
assert_eq "$(jq_out '.scan.repositories[] | [.incremental, .commits,
	.blobs] | map(tostring) | join(" ")')" "full 4200 1" "the first run"

# A branch from main~50: 4150 commits below it, none new.
(
	cd r
	git checkout -q -b old main~50
	printf 'old: %s\n' "$t1" >old.txt
	commit_at '2019-01-01 10:00:00 +0000' old
	git checkout -q main
)
old=$(git -C r rev-parse old)
state_run "after the branch from main~50" "old.txt 1 6 $old $(fp "$t1")" \
	"r incremental 1 1 1" nfg git -f json --state state.json r

# On top of main, dated before it: closed at main.
(
	cd r
	printf 'new: %s\n' "$t2" >new.txt
	commit_at '2019-02-01 10:00:00 +0000' new
)
new=$(git -C r rev-parse main)
state_run "after the commit on main" "new.txt 1 6 $new $(fp "$t2")" \
	"r incremental 1 1 1" nfg git -f json --state state.json r
