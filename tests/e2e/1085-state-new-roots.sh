#!/bin/sh
# --state: new commits whose history does not end at a recorded tip,
# each dated before the recorded ones: a new orphan branch (its whole
# tree is new: every blob scanned, one commit), a branch from an old
# commit that is no tip (only its own commit and blob). Both are answered
# by the walk that hides the recorded tips, as before, and say nothing.
# Then a force-pushed rewrite that loses a recorded tip: the whole history
# again, with the warning, and only the tokens not reported before.
set -eu

t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken)

mkrepo r
(
	cd r
	printf 'README\n' >README.md
	commit_at '2024-01-01 10:00:00 +0000' m1
	printf 'A=1\nTOKEN=%s\n' "$t1" >config.env
	commit_at '2024-02-01 10:00:00 +0000' m2
	printf 'notes\n' >notes.txt
	commit_at '2024-03-01 10:00:00 +0000' m3
)
m1=$(git -C r rev-parse main~2)
m3=$(git -C r rev-parse main)
repos='.scan.repositories[] | [.repository, .incremental, .commits,
	.blobs, .findings] | map(tostring) | join(" ")'
found='.findings[] | [.path, .line, .column, .commit, .fingerprint] |
	map(tostring) | join(" ")'

nfg git -f json --state state.json r
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the first run"
assert_eq "$(jq_out "$repos")" "r full 3 3 1" "the first run"

# An orphan branch dated 2020: README.md as on main (the same blob) and
# a new file with a token: both blobs are its own, as it has no parent.
(
	cd r
	git checkout -q --orphan pages
	git rm -q -r --cached .
	rm config.env notes.txt
	printf 'page: %s\n' "$t2" >index.html
	commit_at '2020-01-01 10:00:00 +0000' o1
	git checkout -q main
)
o1=$(git -C r rev-parse pages)
state_run "after the orphan branch" "index.html 1 7 $o1 $(fp "$t2")" \
	"r incremental 1 2 1" nfg git -f json --state state.json r

# A branch from m1, which no ref names: one commit, one new blob.
(
	cd r
	git checkout -q -b fix "$m1"
	printf 'fix: %s\n' "$t3" >fix.txt
	commit_at '2021-01-01 10:00:00 +0000' f1
	git checkout -q main
)
f1=$(git -C r rev-parse fix)
state_run "after the branch from m1" "fix.txt 1 6 $f1 $(fp "$t3")" \
	"r incremental 1 1 1" nfg git -f json --state state.json r

# main rewritten from m1 and force-pushed, m2 and m3 pruned: the tip m3
# recorded is gone, so the whole history is scanned again; t1 (in m2) is
# gone with it, t2 and t3 are not reported again, t4 is.
(
	cd r
	git reset -q --hard "$m1"
	printf 'rewrite: %s\n' "$t4" >rewrite.txt
	commit_at '2024-05-01 10:00:00 +0000' r1
	git reflog expire --expire=now --all
	git gc -q --prune=now
)
r1=$(git -C r rev-parse main)
nfg git -f json --state state.json r
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 'r': history rewritten: 1 of the 3 commits scanned before is gone ($m3): the whole history is scanned" \
	"stderr after the rewrite"
assert_eq "$(jq_out "$found")" "rewrite.txt 1 10 $r1 $(fp "$t4")" \
	"findings after the rewrite"
assert_eq "$(jq_out "$repos")" "r fallback 4 4 1" "the run after the rewrite"
assert_eq "$(jq_out '.scan.suppressed.state')" 2 \
	"tokens reported before (t2, t3)"
