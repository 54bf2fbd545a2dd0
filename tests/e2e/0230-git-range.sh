#!/bin/sh
# nfguard git --range A..B reports only what the commits of B not in A
# introduced (a push's new commits, merges included); --since-commit REV
# is REV..HEAD; --ref limits the starting points to the refs or
# revisions named. Bad revisions are errors.
set -eu

top=$(pwd -P)

# Old history (already pushed): a token in a file and one in a message.
mkrepo r
cd r
ta=$(mktoken) tb=$(mktoken) tc=$(mktoken) td=$(mktoken) te=$(mktoken)
printf 'T=%s\n' "$ta" >old.env
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' 'c1'
printf 'two\n' >README.md
commit_at '2024-01-02 10:00:00 +0000' "$(printf 'c2\n\nsee %s' "$tb")"
printf 'three\n' >README.md
commit_at '2024-01-03 10:00:00 +0000' 'c3'
old=$(git rev-parse HEAD)
# The push: a token in a new file and one in the message of c4, then an
# unrelated change (the trees still hold every token).
printf 'x=1\nNEW=%s\n' "$tc" >new.env
commit_at '2024-01-04 10:00:00 +0000' "$(printf 'c4\n\nkey %s' "$td")"
c4=$(git rev-parse HEAD)
printf 'five\n' >README.md
commit_at '2024-01-05 10:00:00 +0000' 'c5'
c5=$(git rev-parse HEAD)
cd "$top"

nfg git -f json --range "$old..$c5" r
expect_rc 1
expect_count 2
expect_finding new.env 2 5 "$tc"
expect_git "$tc" commit="$c4" location=file date=2024-01-04T10:00:00Z \
	blob="$(git -C r rev-parse "$c4:new.env")" reachable=true
expect_finding '' 3 5 "$td"
expect_git "$td" commit="$c4" location=commit-message
expect_no_token "$ta"
expect_no_token "$tb"
jq_out '.findings' >range.json
# The same with symbolic revisions, and with --since-commit (HEAD = c5).
nfg git -f json --range main~2..main r
expect_rc 1
jq_out '.findings' >range-names.json
cmp -s range.json range-names.json ||
	fail "--range main~2..main differs: $(diff range.json range-names.json)"
nfg git -f json --since-commit "$old" r
expect_rc 1
jq_out '.findings' >since.json
cmp -s range.json since.json ||
	fail "--since-commit differs from --range: $(diff range.json since.json)"
# A range whose only commit changes nothing that holds a token: nothing,
# though its tree still holds every token.
nfg git -f json --range "$c4..$c5" r
expect_rc 0
expect_count 0
# An empty range.
nfg git -f json --range "$c5..$c5" r
expect_rc 0
expect_count 0
# The whole history for comparison.
nfg git -f json r
expect_rc 1
expect_count 4

# A push that brings a side branch in through a merge: the side commit
# introduced its token, in the range c5..main as in c3..main.
cd r
git checkout -q -b side "$old"
printf 'S=%s\n' "$te" >side.env
commit_at '2024-01-06 10:00:00 +0000' 'side'
s1=$(git rev-parse HEAD)
git checkout -q main
GIT_AUTHOR_DATE='2024-01-07 10:00:00 +0000' \
	GIT_COMMITTER_DATE='2024-01-07 10:00:00 +0000' \
	git merge -q --no-ff -m 'merge side' side
cd "$top"
nfg git -f json --range "$c5..main" r
expect_rc 1
expect_count 1
expect_finding side.env 1 3 "$te"
expect_git "$te" commit="$s1" date=2024-01-06T10:00:00Z
nfg git -f json --range "$old..main" r
expect_rc 1
expect_count 3
expect_git "$tc" commit="$c4"
expect_git "$td" commit="$c4" location=commit-message
expect_git "$te" commit="$s1"
expect_no_token "$ta"
expect_no_token "$tb"
nfg git -f json --since-commit "$c5" r
expect_rc 1
expect_count 1
expect_git "$te" commit="$s1"

# Bad revisions: exit 2, the revision named on stderr in git's words (not
# libgit2's "OID prefix is too short"); three dots are refused with the
# two-dot form to use.
nfg git -f json --range "nope..main" r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad range 'nope..main': unknown revision 'nope'" "stderr"
nfg git -f json --range "main..ab" r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad range 'main..ab': unknown revision 'ab'" "stderr"
nfg git -f json --range "ab" r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad range 'ab': unknown revision 'ab'" "stderr"
nfg git -f json --range "main...$c5" r
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad range 'main...$c5': three-dot ranges are not supported; use A..B (the commits of B that A lacks)" \
	"stderr"
nfg git -f json --since-commit nope r
expect_rc 2
expect_stderr "nope"

# --ref: branches main and feature forked after a shared token; another
# token only under a tag.
mkrepo r2
cd r2
tbase=$(mktoken) tf=$(mktoken) tm=$(mktoken) tx=$(mktoken)
printf 'B=%s\n' "$tbase" >base.env
commit_at '2024-02-01 10:00:00 +0000' 'base'
cb=$(git rev-parse HEAD)
git checkout -q -b feature
printf 'F=%s\n' "$tf" >feature.env
commit_at '2024-02-02 10:00:00 +0000' 'feature'
cf=$(git rev-parse HEAD)
git checkout -q main
printf 'M=%s\n' "$tm" >main.env
commit_at '2024-02-03 10:00:00 +0000' 'main'
cm=$(git rev-parse HEAD)
git checkout -q -b tmp
printf 'X=%s\n' "$tx" >tag.env
commit_at '2024-02-04 10:00:00 +0000' 'tagged only'
git tag only-tag
git checkout -q main
git branch -q -D tmp
cd "$top"
nfg git -f json r2
expect_rc 1
expect_count 4
nfg git -f json --ref feature r2
expect_rc 1
expect_count 2
expect_git "$tbase" commit="$cb" occurrences=2
expect_git "$tf" commit="$cf"
expect_no_token "$tm"
expect_no_token "$tx"
jq_out '.findings' >ref-feature.json
for spec in refs/heads/feature "$cf"; do
	nfg git -f json --ref "$spec" r2
	expect_rc 1
	jq_out '.findings' >ref-other.json
	cmp -s ref-feature.json ref-other.json ||
		fail "--ref $spec differs from --ref feature: $(diff ref-feature.json ref-other.json)"
done
nfg git -f json --ref main r2
expect_rc 1
expect_count 2
expect_git "$tm" commit="$cm"
expect_no_token "$tf"
nfg git -f json --ref main --ref feature r2
expect_rc 1
expect_count 3
expect_git "$tbase" commit="$cb" occurrences=3
expect_no_token "$tx"
nfg git -f json --ref only-tag r2
expect_rc 1
expect_count 3
expect_git "$tx" commit="$(git -C r2 rev-parse only-tag)"
nfg git -f json --ref nope r2
expect_rc 2
expect_stderr "nope"

# A push that copies a file whose token is already in A (same blob, new
# path), after a commit that changes something else. Whether the copy is
# reported is the range's call (the blob is not new; the path is), but
# the answer must not depend on where the range starts, and a report may
# only name the commit and path that made the copy.
mkrepo r3
cd r3
tcp=$(mktoken)
printf 'T=%s\n' "$tcp" >d.json
commit_at '2024-03-01 10:00:00 +0000' 'c1'
printf '1\n' >o.txt
commit_at '2024-03-02 10:00:00 +0000' 'c2'
printf '2\n' >o.txt
commit_at '2024-03-03 10:00:00 +0000' 'c3'
cp d.json c.yaml
commit_at '2024-03-04 10:00:00 +0000' 'c4 copies d.json'
c4=$(git rev-parse HEAD)
cd "$top"
for from in main~1 main~2; do
	nfg git -f json --range "$from..main" r3
	case $(jq_out '.findings | length') in
	0) expect_rc 0 ;;
	1)
		expect_rc 1
		expect_git "$tcp" commit="$c4" path=c.yaml line=1
		;;
	*) fail "--range $from..main: $(jq_out '.findings | length') findings" ;;
	esac
	jq_out '.findings' >"copy-$from.json"
done
cmp -s copy-main~1.json copy-main~2.json ||
	fail "the copy's findings depend on the range start: $(diff copy-main~1.json copy-main~2.json)"
