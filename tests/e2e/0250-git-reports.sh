#!/bin/sh
# nfguard git reports: --all-occurrences lists every (commit, path) that
# holds a token; jsonl carries the same findings as json; SARIF has
# paths relative to the repository, the commit in properties and the
# repository in versionControlProvenance; human, -o, --show-secret,
# --exit-code, --no-progress, help and bad options.
set -eu

top=$(pwd -P)

mkrepo r
cd r
# No reflogs: they would repeat the message's token (git folder files are
# 0275's subject).
git config core.logAllRefUpdates false
t=$(mktoken) tm=$(mktoken)
printf 'x\nT=%s\n' "$t" >a.txt
commit_at '2024-01-01 10:00:00 +0000' 'c1'
c1=$(git rev-parse HEAD)
printf 'other\n' >o.txt
commit_at '2024-01-02 10:00:00 +0000' "$(printf 'c2 %s' "$tm")"
c2=$(git rev-parse HEAD)
git mv a.txt b.txt
commit_at '2024-01-03 10:00:00 +0000' 'c3'
c3=$(git rev-parse HEAD)
cp b.txt c.txt
commit_at '2024-01-04 10:00:00 +0000' 'c4'
c4=$(git rev-parse HEAD)
cd "$top"

nfg git -f json r
expect_rc 1
expect_count 2
expect_finding a.txt 2 3 "$t"
expect_git "$t" commit="$c1" occurrences=4
expect_finding '' 1 4 "$tm"
jq_out '.findings' >json.json

# --all-occurrences: one finding per (commit, path) holding the token.
nfg git -f json --all-occurrences r
expect_rc 1
got=$(jq -r --arg fp "$(fp "$t")" '.findings[] | select(.fingerprint == $fp) |
	"\(.path) \(.commit) \(.line) \(.column)"' "$WORK/out" | sort)
want=$(printf '%s\n' "a.txt $c1 2 3" "a.txt $c2 2 3" "b.txt $c3 2 3" \
	"b.txt $c4 2 3" "c.txt $c4 2 3" | sort)
assert_eq "$got" "$want" "(path commit line column) of --all-occurrences"
assert_eq "$(jq_out \
	'[.findings[] | select(.location == "commit-message")] | length')" 1 \
	"commit-message findings with --all-occurrences"
expect_count 6

# jsonl: the same finding objects, one a line.
nfg git -f jsonl r
expect_rc 1
assert_eq "$(wc -l <"$WORK/out" | tr -d ' ')" 2 "jsonl lines"
jq -c . "$WORK/out" >jsonl.c || fail "jsonl line is not JSON"
jq -c '.[]' json.json >json.c
cmp -s json.c jsonl.c || fail "jsonl differs from json: $(diff json.c jsonl.c)"

# SARIF: relative artifact URI, commit in properties, repository in
# versionControlProvenance.
nfg git -f sarif r
expect_rc 1
assert_eq "$(jq_out '.version')" 2.1.0 "sarif version"
assert_eq "$(jq_out '.runs[0].results | length')" 2 "sarif results"
jq -e '[.runs[0].results[].locations[]?.physicalLocation.artifactLocation.uri] |
	index("a.txt") != null' "$WORK/out" >/dev/null ||
	fail "no result at artifact uri a.txt: $(jq -c '.runs[0].results' "$WORK/out")"
jq -e --arg c "$c1" '[.runs[0].results[] | select(
	[.locations[]?.physicalLocation.artifactLocation.uri] == ["a.txt"]) |
	.properties | tostring | contains($c)] == [true]' "$WORK/out" \
	>/dev/null || fail "commit $c1 not in the result properties"
jq -e --arg r "$top/r" '.runs[0].versionControlProvenance | tostring |
	contains($r)' "$WORK/out" >/dev/null ||
	fail "repository not in versionControlProvenance: $(jq -c '.runs[0].versionControlProvenance' "$WORK/out")"

# human: the path and the redacted token, never the token.
nfg git --no-color r
expect_rc 1
grep -qF a.txt "$WORK/out" || fail "human output lacks the path"
grep -qF "$(redact "$t")" "$WORK/out" || fail "human lacks the redacted token"
if grep -qF "$t" "$WORK/out"; then fail "human shows the token"; fi

# --show-secret, --exit-code, --no-progress, -o.
nfg git -f json --show-secret r
expect_rc 1
expect_git "$t" secret="$t"
nfg git -f json --exit-code 5 --no-progress r
expect_rc 5
nfg git -f json -o report.json r
expect_rc 1
[ ! -s "$WORK/out" ] || fail "-o: stdout not empty"
jq -e '.findings | length == 2' report.json >/dev/null ||
	fail "-o: report.json lacks the findings"
assert_eq "$(jq -r '.scan.command' report.json)" git "scan.command"

# Help and bad usage.
nfg git --help
expect_rc 0
for o in --unreachable --range --since-commit --ref --all-occurrences; do
	grep -qF -- "$o" "$WORK/out" || fail "git --help lacks $o"
done
nfg git --frobnicate r
expect_rc 2
expect_stderr "nfguard: unknown option '--frobnicate'"

# --all-occurrences with a token twice in one blob and another token in
# between: still one finding per (commit, path) for each token, at its
# first line.
mkrepo r2
cd r2
tx=$(mktoken) ty=$(mktoken)
printf 'A=%s\nU=%s\nB=%s\n' "$tx" "$ty" "$tx" >a.env
commit_at '2024-02-01 10:00:00 +0000' 'twice'
cx=$(git rev-parse HEAD)
cd "$top"
nfg git -f json --all-occurrences r2
expect_rc 1
expect_count 2
expect_git "$tx" commit="$cx" path=a.env line=1 column=3
expect_git "$ty" commit="$cx" path=a.env line=2 column=3

# The human report names places that have no path: an annotated tag's
# message as "tag NAME", a blob no tree names as "blob ID"; a finding no
# ref reaches says so; each line carries the rule's severity; the summary
# counts messages and blobs apart from files.
mkrepo h
cd h
git config core.logAllRefUpdates false
tf=$(mktoken) tt=$(mktoken) tb=$(mktoken) tu=$(mktoken)
printf 'T=%s\n' "$tf" >a.env
commit_at '2024-02-01 10:00:00 +0000' 'add'
GIT_COMMITTER_DATE='2024-02-01 10:00:00 +0000' git tag -a v1 -m "release $tt"
blob=$(printf 'B=%s\n' "$tb" | git hash-object -w --stdin)
git checkout -q -b gone
printf 'U=%s\n' "$tu" >u.env
commit_at '2024-02-02 10:00:00 +0000' 'side'
cu=$(git rev-parse HEAD)
git checkout -q main
git branch -q -D gone
cd "$top"
nfg git --unreachable --no-color h
expect_rc 1
grep -qxF "tag v1:1:9  notiflows-account-token (critical)  $(redact "$tt")" \
	"$WORK/out" || fail "human: no tag line"
grep -qxF "blob $blob:1:3  notiflows-account-token (critical)  $(redact "$tb")" \
	"$WORK/out" || fail "human: no blob line"
assert_eq "$(grep -A3 "^u.env:1:3 " "$WORK/out" | sed -n 3,4p)" \
	"    commit $cu Test Author <author@example.com> 2024-02-02T10:00:00Z
    unreachable: no ref reaches this commit" "unreachable commit"
assert_eq "$(grep -A2 "^blob " "$WORK/out" | sed -n 3p)" \
	"    unreachable: no ref reaches this blob" "unreachable blob"
expect_stdout "4 findings in 2 files, 1 message and 1 blob ("
