#!/bin/sh
# --state: a second run after one new commit dated before every recorded
# one (GIT_COMMITTER_DATE in the past) scans that commit alone: its new
# blobs and its token, and nothing of the history the last run scanned.
# That history is made unreadable (an old commit's object removed) to
# prove the run does not read it: a walk that hides the recorded tips
# reads the hidden history down to the new commit's date, and fails on
# it (what nfguard did before, exit 2). The same for a merge of an old
# side branch with a new commit of its own.
set -eu

t1=$(mktoken) t2=$(mktoken) t3=$(mktoken)

# main: m1 .. m4; side: s1, branched from m1. Loose objects, so that one
# commit can be taken out.
mkrepo r
(
	cd r
	git config gc.auto 0
	printf 'README\n' >README.md
	commit_at '2024-01-01 10:00:00 +0000' m1
	git branch side
	printf 'A=1\nTOKEN=%s\n' "$t1" >config.env
	commit_at '2024-02-01 10:00:00 +0000' m2
	printf 'notes\n' >notes.txt
	commit_at '2024-03-01 10:00:00 +0000' m3
	printf 'more notes\n' >>notes.txt
	commit_at '2024-04-01 10:00:00 +0000' m4
	git checkout -q side
	printf 'side\n' >side.txt
	commit_at '2024-01-15 10:00:00 +0000' s1
	git checkout -q main
)
m2=$(git -C r rev-parse main~2)
repos='.scan.repositories[] | [.repository, .incremental, .commits,
	.blobs, .findings] | map(tostring) | join(" ")'

nfg git -f json --state state.json r
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the first run"
assert_eq "$(jq_out "$repos")" "r full 5 5 1" "the first run"

# nfg_without_m2 ARG...: nfguard with m2 gone (git needs it, nfguard
# should not): only a run that reads the recorded history meets its
# absence.
obj=r/.git/objects/$(echo "$m2" | cut -c1-2)/$(echo "$m2" | cut -c3-)
nfg_without_m2() {
	mv "$obj" m2.object
	nfg "$@"
	mv m2.object "$obj"
}

# One commit on main dated 2020, before every recorded commit: a new
# token, a changed file, a clean file (three new blobs).
(
	cd r
	printf 'x\nkey: %s\n' "$t2" >deploy.yaml
	printf 'README v2\n' >README.md
	printf 'clean\n' >clean.txt
	commit_at '2020-06-01 10:00:00 +0000' past
)
c=$(git -C r rev-parse HEAD)
state_run "after the commit dated in the past" \
	"deploy.yaml 2 6 $c $(fp "$t2")" "r incremental 1 3 1" \
	nfg_without_m2 git -f json --state state.json r
assert_eq "$(jq_out '[.scan.commits, .scan.blobs_scanned] |
	map(tostring) | join(" ")')" "1 3" "totals after the commit dated in the past"

# The side branch gets a commit (one new blob with a token) and is merged
# into main, both dated 2019; the merge brings nothing of its own (its
# tree is one of its parents' entries each).
(
	cd r
	git checkout -q side
	printf 'side: %s\n' "$t3" >side.txt
	commit_at '2019-01-01 10:00:00 +0000' s2
	git checkout -q main
	GIT_AUTHOR_DATE='2019-02-01 10:00:00 +0000' \
		GIT_COMMITTER_DATE='2019-02-01 10:00:00 +0000' \
		git merge -q --no-ff -m merge side
)
s2=$(git -C r rev-parse side)
state_run "after the merge" "side.txt 1 7 $s2 $(fp "$t3")" \
	"r incremental 2 1 1" nfg_without_m2 git -f json --state state.json r

# The whole history: what the incremental runs found, no more.
nfg git -f json r
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the whole scan"
assert_eq "$(jq_out '[.findings[].path] | join(" ")')" \
	"config.env deploy.yaml side.txt" "findings of the whole scan"
