#!/bin/sh
# A range that walks no commit (A..B with B reachable from A, a tip that
# --exclude or --exclude-glob hides, --since-commit of the tip itself)
# says so on stderr, as git rev-list agrees it is empty: the exit status is
# unchanged (0), the JSON counts 0 commits. -q keeps the range warning. An
# annotated tag named as the range's tip has its message scanned, even
# when the commit it names is excluded (a pushed tag brings its message).
set -eu

mkrepo r
cd r
ta=$(mktoken)
printf 'T=%s\n' "$ta" >old.env
commit_at '2024-01-01 10:00:00 +0000' c1
c1=$(git rev-parse HEAD)
printf 'two\n' >README.md
commit_at '2024-01-02 10:00:00 +0000' c2
c2=$(git rev-parse HEAD)
tt=$(mktoken)
GIT_COMMITTER_DATE='2024-01-03 10:00:00 +0000' git tag -a -m "release $tt" v1
tag1=$(git rev-parse v1)
cd ..

# expect_empty RANGE ARGS...: nfguard git -f json ARGS on r walks no
# commit, exit 0, and stderr is exactly the two warnings; git rev-list
# agrees that the range is empty.
expect_empty() {
	_range=$1
	shift
	nfg git -f json "$@" r
	expect_rc 0
	assert_eq "$(jq_out '"\(.scan.commits) \(.findings | length)"')" "0 0" \
		"$*: commits, findings"
	assert_eq "$(cat "$WORK/err")" "nfguard: warning: the range '$_range' holds no commit
nfguard: warning: nothing was scanned (0 bytes)" "$*: stderr"
}
expect_empty "$c2..$c2" --range "$c2..$c2"
assert_eq "$(git -C r rev-list --count "$c2..$c2")" 0 "git rev-list A..A"
expect_empty "$c2..$c1" --range "$c2..$c1"
assert_eq "$(git -C r rev-list --count "$c2..$c1")" 0 "git rev-list c2..c1"
expect_empty main --range main --exclude "$c2"
assert_eq "$(git -C r rev-list --count main "^$c2")" 0 "git rev-list main ^c2"
expect_empty "$c1" --range "$c1" --exclude-glob 'refs/heads/*'
assert_eq "$(git -C r rev-list --count "$c1" --not --glob='refs/heads/*')" 0 \
	"git rev-list c1 --not --glob"
expect_empty main..HEAD --since-commit main

# -q: no "nothing was scanned", the range warning stays.
nfg git -q --range "$c2..$c2" r
expect_rc 0
assert_eq "$(cat "$WORK/out")" "" "-q stdout"
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: the range '$c2..$c2' holds no commit" "-q stderr"

# A range that holds commits: no warning.
nfg git -f json --range "$c1..$c2" r
expect_rc 0
assert_eq "$(jq_out .scan.commits)" 1 "commits of c1..c2"
expect_no_stderr

# The tag as the tip: its message is scanned though its commit is
# excluded; as B of A..B too.
nfg git -f json --range refs/tags/v1 --exclude main r
expect_rc 1
expect_count 1
expect_git "$tt" location=tag-message commit="$tag1" ref=v1 path=
assert_eq "$(jq_out .scan.commits)" 0 "commits"
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: the range 'refs/tags/v1' holds no commit" "stderr"
nfg git -f json --range "$c1..v1" r
expect_rc 1
expect_count 1
expect_git "$tt" location=tag-message commit="$tag1" ref=v1
assert_eq "$(jq_out .scan.commits)" 1 "commits of c1..v1"
expect_no_stderr
