#!/bin/sh
# --state: a second run after one commit pushed to one of two repositories
# scans only that commit's new blobs and reports only its new token (path,
# line, column, commit); an unchanged run scans nothing and reports
# nothing; a force-pushed rewrite whose old commits are gone falls back to
# the whole history with a warning and still does not report the old
# token again. The state file is 0600 and holds no token. A corrupt state
# file, or one of another version, fails (exit 2) and is left untouched.
set -eu

t1=$(mktoken) t2=$(mktoken) t3=$(mktoken)

# alpha: a bare repository, pushed to from a clone; beta: a work tree.
git init -q --bare -b main alpha.git
git clone -q alpha.git work 2>/dev/null
(
	cd work
	printf 'README\n' >README.md
	commit_at '2024-01-01 10:00:00 +0000' init
	printf 'A=1\nTOKEN=%s\n' "$t1" >config.env
	commit_at '2024-02-01 10:00:00 +0000' config
	git push -q origin main
)
c1=$(git -C work rev-parse HEAD)
mkrepo beta
(
	cd beta
	printf 'nothing here\n' >notes.txt
	commit_at '2024-01-05 10:00:00 +0000' notes
)

repos='.scan.repositories[] | [.repository, .incremental, .commits,
	.blobs, .findings] | map(tostring) | join(" ")'

# The first run: everything, recorded.
nfg git -f json --state state.json alpha.git beta
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the first run"
assert_eq "$(jq_out '.findings[] | [.repository, .path, .line, .column,
	.commit] | map(tostring) | join(" ")')" \
	"alpha.git config.env 2 7 $c1" "findings of the first run"
assert_eq "$(jq_out "$repos")" "alpha.git full 2 2 1
beta full 1 1 0" "repositories of the first run"
assert_eq "$(stat -c %a state.json)" 600 "the state file's mode"
if grep -qF -- "${t1#nf_at_}" state.json; then
	fail "the state file holds a token"
fi
assert_eq "$(jq -r '[.version, (.repositories | length),
	.repositories[0].tips[0], .repositories[0].reported[0]] |
	map(tostring) | join(" ")' state.json)" \
	"1 2 $c1 $(fp "$t1")" "the state file"

# Nothing changed: nothing scanned, nothing reported.
nfg git -f json --state state.json alpha.git beta
expect_rc 0
assert_eq "$(cat "$WORK/err")" "" "stderr of the unchanged run"
expect_count 0
assert_eq "$(jq_out "$repos")" "alpha.git incremental 0 0 0
beta incremental 0 0 0" "repositories of the unchanged run"
assert_eq "$(jq_out '[.scan.blobs_scanned, .scan.commits,
	.scan.suppressed.state] | map(tostring) | join(" ")')" "0 0 0" \
	"totals of the unchanged run"

# One commit pushed to alpha: a new token, a clean file and a changed
# file (three new blobs); the old token stays in history.
(
	cd work
	printf 'x\ny\nkey: %s\n' "$t2" >deploy.yaml
	printf 'clean\n' >clean.txt
	printf 'README v2\n' >README.md
	commit_at '2024-03-01 10:00:00 +0000' deploy
	git push -q origin main
)
c2=$(git -C work rev-parse HEAD)
nfg git -f json --state state.json alpha.git beta
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr after the push"
assert_eq "$(jq_out '.findings[] | [.repository, .path, .line, .column,
	.commit, .fingerprint] | map(tostring) | join(" ")')" \
	"alpha.git deploy.yaml 3 6 $c2 $(fp "$t2")" "findings after the push"
assert_eq "$(jq_out "$repos")" "alpha.git incremental 1 3 1
beta incremental 0 0 0" "repositories after the push"
assert_eq "$(jq_out '.scan.blobs_scanned')" 3 "blobs scanned after the push"

# History rewritten and the old commits pruned: a full scan, said.
(
	cd work
	git reset -q --hard "$c1"
	printf 'other: %s\n' "$t3" >other.txt
	commit_at '2024-04-01 10:00:00 +0000' rewrite
	git push -q -f origin main
)
c3=$(git -C work rev-parse HEAD)
git -C alpha.git reflog expire --expire=now --all
git -C alpha.git gc -q --prune=now
nfg git -f json --state state.json alpha.git beta
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 'alpha.git': history rewritten: 1 of the 1 commits scanned before is gone ($c2): the whole history is scanned" \
	"stderr after the rewrite"
assert_eq "$(jq_out '.findings[] | [.path, .line, .commit] |
	map(tostring) | join(" ")')" "other.txt 1 $c3" \
	"findings after the rewrite"
assert_eq "$(jq_out "$repos")" "alpha.git fallback 3 3 1
beta incremental 0 0 0" "repositories after the rewrite"
assert_eq "$(jq_out '.scan.suppressed.state')" 1 \
	"the old token, reported before"

# The same with one repository: a sweep of one; human output says why.
nfg git --state state.json alpha.git
expect_rc 0
grep -q '^repositories: 1 (1 scanned, 0 empty, 0 failed)$' "$WORK/out" ||
	fail "no repositories line in: $(cat "$WORK/out")"

# A corrupt state file, or another version: exit 2, left untouched.
printf '{"version": 1, "rules": ' >bad.json
cp bad.json bad.orig
nfg git -f json --state bad.json alpha.git beta
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --state: 'bad.json': not valid JSON (at byte 23)" \
	"stderr with a corrupt state file"
assert_eq "$(cat "$WORK/out")" "" "no report with a corrupt state file"
cmp -s bad.json bad.orig || fail "the corrupt state file was changed"
jq '.version = 2' state.json >v2.json
cp v2.json v2.orig
nfg git -f json --state v2.json alpha.git
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --state: 'v2.json': unsupported version 2 (this nfguard reads 1)" \
	"stderr with a state file of another version"
cmp -s v2.json v2.orig || fail "the state file of another version was changed"
chmod 000 v2.json
if [ ! -r v2.json ]; then
	nfg git -f json --state v2.json alpha.git
	expect_rc 2
	expect_stderr "nfguard: --state: cannot open 'v2.json': Permission denied"
fi
chmod 600 v2.json

# Other rules: every repository whole, everything reported, said.
sed 's/"min_length": *[0-9]*/"min_length": 20/' \
	"$SRCDIR/rules/notiflows.json" >rules.json
nfg git -f json --rules rules.json --state state.json alpha.git beta
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: --state: 'state.json' was written with other rules (or nfguard:allow setting): every repository is scanned whole and all it holds reported" \
	"stderr with other rules"
assert_eq "$(jq_out "$repos")" "alpha.git full 3 3 2
beta full 1 1 0" "repositories with other rules"

# --state judges whole repositories, not ranges.
nfg git --state state.json --range HEAD~1..HEAD alpha.git
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --state cannot be combined with --range, --since-commit or --ref" \
	"stderr with --range"
