#!/bin/sh
# nfguard git scans every starting point: commit messages, annotated tag
# messages (tagger as author, tag object id as commit), stashes (the
# newest and an older one, untracked files), notes, lightweight tags,
# remote-tracking and other refs, a detached HEAD, a ref to a bare blob,
# and refs in packed-refs.
set -eu

top=$(pwd -P)

# A commit message and an annotated tag message holding tokens.
mkrepo r1
cd r1
printf 'hello\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' 'init'
tm=$(mktoken) tt=$(mktoken)
printf 'staging\n' >env.txt
commit_at '2024-01-02 10:00:00 +0100' \
	"$(printf 'Add staging config\n\nUse token %s for staging.' "$tm")"
cm=$(git rev-parse HEAD)
printf 'Release 1\n\ndeploy token: %s\n' "$tt" >../tagmsg
(
	export GIT_COMMITTER_NAME='Tina Tagger'
	export GIT_COMMITTER_EMAIL=tina@example.org
	export GIT_COMMITTER_DATE='2024-02-03 04:05:06 +0100'
	git tag -a v1 -F ../tagmsg
)
tag=$(git rev-parse v1)
assert_eq "$(git cat-file -t "$tag")" tag "v1 is an annotated tag"
printf 'later\n' >README.md
commit_at '2024-01-03 10:00:00 +0000' 'later'
cd "$top"
nfg git -f json r1
expect_rc 1
expect_count 2
expect_finding '' 3 11 "$tm"
expect_git "$tm" location=commit-message commit="$cm" \
	author_name='Test Author' author_email=author@example.com \
	date=2024-01-02T09:00:00Z occurrences=1 reachable=true \
	repository="$top/r1"
expect_finding '' 3 15 "$tt"
expect_git "$tt" location=tag-message commit="$tag" ref=v1 \
	author_name='Tina Tagger' author_email=tina@example.org \
	date=2024-02-03T03:05:06Z reachable=true
# The message findings sort first (empty path).
assert_eq "$(jq_out '[.findings[].path] | unique | join(",")')" "" \
	"paths of message findings"

# Two stashes: the token of the older one is only in stash@{1}.
mkrepo r2
cd r2
printf 'a\nb\n' >tracked.txt
commit_at '2024-03-01 10:00:00 +0000' 'init'
told=$(mktoken) tnew=$(mktoken)
printf 'a\nb\nSTASHED=%s\n' "$told" >tracked.txt
git stash -q
printf 'NEWER=%s\na\nb\n' "$tnew" >tracked.txt
git stash -q
assert_eq "$(git stash list | wc -l)" 2 "stash entries"
w1=$(git rev-parse 'stash@{1}') w0=$(git rev-parse 'stash@{0}')
cd "$top"
nfg git -f json r2
expect_rc 1
expect_count 2
expect_finding tracked.txt 3 9 "$told"
expect_finding tracked.txt 1 7 "$tnew"
expect_git "$told" commit="$w1" location=file reachable=true \
	occurrences=1 blob="$(git -C r2 rev-parse "$w1:tracked.txt")"
expect_git "$tnew" commit="$w0" location=file reachable=true \
	occurrences=1 blob="$(git -C r2 rev-parse "$w0:tracked.txt")"

# A stash with an untracked file (git stash -u): that file lives in the
# stash's third parent, a root commit of its own.
mkrepo r3
cd r3
printf 'a\n' >tracked.txt
commit_at '2024-03-05 10:00:00 +0000' 'init'
tu=$(mktoken)
printf 'U=%s\n' "$tu" >untracked.env
printf 'b\n' >>tracked.txt
git stash -q -u
u=$(git rev-parse 'stash@{0}^3')
cd "$top"
[ ! -e r3/untracked.env ] || fail "git stash -u left the file"
nfg git -f json r3
expect_rc 1
expect_count 1
expect_finding untracked.env 1 3 "$tu"
expect_git "$tu" commit="$u" reachable=true

# A note (refs/notes/commits): an ordinary blob, found at the path of the
# note in the notes tree (the annotated commit's id).
mkrepo r4
cd r4
printf 'a\n' >README.md
commit_at '2024-04-01 10:00:00 +0000' 'init'
c1=$(git rev-parse HEAD)
tn=$(mktoken)
GIT_AUTHOR_DATE='2024-04-02 10:00:00 +0000' \
	GIT_COMMITTER_DATE='2024-04-02 10:00:00 +0000' \
	git notes add -m "note token $tn" HEAD
nc=$(git rev-parse refs/notes/commits)
cd "$top"
nfg git -f json r4
expect_rc 1
expect_count 1
expect_finding "$c1" 1 12 "$tn"
expect_git "$tn" commit="$nc" location=file reachable=true \
	date=2024-04-02T10:00:00Z

# Other starting points, each holding a commit no branch holds: a
# lightweight tag, a remote-tracking ref, any other ref, a detached HEAD;
# and a lightweight tag naming a blob directly.
mkrepo r5
cd r5
printf 'a\n' >README.md
commit_at '2024-05-01 10:00:00 +0000' 'init'
tl=$(mktoken) tr=$(mktoken) tp=$(mktoken) th=$(mktoken) tb=$(mktoken)
# off_main FILE TOKEN DATE: a commit adding FILE off main; prints its id.
off_main() {
	git checkout -q -b tmp main
	printf 'K=%s\n' "$2" >"$1"
	commit_at "$3" "add $1" >/dev/null
	git rev-parse HEAD
	git checkout -q main
	git branch -q -D tmp
}
cl=$(off_main light.txt "$tl" '2024-05-02 10:00:00 +0000')
git tag lt1 "$cl"
cr=$(off_main remote.txt "$tr" '2024-05-03 10:00:00 +0000')
git update-ref refs/remotes/origin/feature "$cr"
cp=$(off_main pull.txt "$tp" '2024-05-04 10:00:00 +0000')
git update-ref refs/pull/7/head "$cp"
bid=$(printf 'B=%s\n' "$tb" | git hash-object -w --stdin)
git tag blobtag "$bid"
git checkout -q --detach main
printf 'K=%s\n' "$th" >head.txt
commit_at '2024-05-05 10:00:00 +0000' 'detached work'
ch=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r5
expect_rc 1
expect_count 5
expect_finding light.txt 1 3 "$tl"
expect_git "$tl" commit="$cl" reachable=true occurrences=1
expect_finding remote.txt 1 3 "$tr"
expect_git "$tr" commit="$cr" reachable=true occurrences=1
expect_finding pull.txt 1 3 "$tp"
expect_git "$tp" commit="$cp" reachable=true occurrences=1
expect_finding head.txt 1 3 "$th"
expect_git "$th" commit="$ch" reachable=true occurrences=1
expect_git "$tb" blob="$bid" reachable=true location=file
jq_out '.findings' >loose-refs.json
# The same refs moved into packed-refs: the same findings.
git -C r5 pack-refs --all
[ ! -e r5/.git/refs/tags/lt1 ] || fail "pack-refs left a loose ref"
nfg git -f json r5
expect_rc 1
jq_out '.findings' >packed-refs.json
cmp -s loose-refs.json packed-refs.json ||
	fail "findings differ with packed refs: $(diff loose-refs.json packed-refs.json)"

# A linked worktree's HEAD (git worktree add --detach) is a starting
# point, as for git rev-list --all and git gc: its commit is found from
# the main work tree, reachable.
mkrepo r6
cd r6
printf 'a\n' >README.md
commit_at '2024-06-01 10:00:00 +0000' 'init'
git worktree add -q --detach ../r6-wt
cd ../r6-wt
tw=$(mktoken)
printf 'W=%s\n' "$tw" >wt.env
commit_at '2024-06-02 10:00:00 +0000' 'in the linked worktree'
cw=$(git rev-parse HEAD)
cd "$top"
git -C r6 rev-list --all | grep -q "$cw" || fail "setup: $cw not in --all"
nfg git -f json r6
expect_rc 1
expect_count 1
expect_finding wt.env 1 3 "$tw"
expect_git "$tw" commit="$cw" reachable=true repository="$top/r6"
