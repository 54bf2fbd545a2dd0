#!/bin/sh
# nfguard git FILE.bundle: a bundle (v2 and v3) is scanned as the
# repository it holds, without unbundling it first: the same findings
# (path, line, column, commit, ref) as the repository itself, named by
# the bundle's path; a bundle of a range warns that history before its
# prerequisites is not in it; a thin or truncated one is an error (2);
# no output names the temporary repository.
set -eu

top=$(pwd -P)
tmp="$WORK/bundle-tmp"
mkdir "$tmp"
export TMPDIR="$tmp"

# bundle ARGS...: nfg, then checks that no output names the temporary
# repository and that it is gone.
bundle() {
	nfg "$@"
	if grep -qF -e "$tmp" -e nfguard-bundle- "$WORK/out" "$WORK/err"; then
		fail "an output names the temporary repository"
	fi
	assert_eq "$(ls -A "$tmp")" "" "temporary folder after the scan"
}

# Tokens in a blob, a commit message, on two branches and in a tag.
mkrepo src
cd src
tb=$(mktoken) tm=$(mktoken) tf=$(mktoken) tn=$(mktoken) tt=$(mktoken)
printf 'name = app\nKEY=%s\n' "$tb" >config.env
seq 1 100 >>config.env
commit_at '2024-01-01 10:00:00 +0000' 'init'
printf 'docs\n' >README.md
commit_at '2024-01-02 10:00:00 +0000' \
	"$(printf 'Add docs\n\ntoken %s' "$tm")"
git checkout -q -b feature
printf 'a\n  F=%s\n' "$tf" >feature.txt
commit_at '2024-01-03 10:00:00 +0000' 'feature'
printf 'Release 1\n\nkey: %s\n' "$tt" >../tagmsg
GIT_COMMITTER_DATE='2024-01-04 10:00:00 +0000' git tag -a v1 -F ../tagmsg
git checkout -q main
mkdir new
printf 'N=%s\n' "$tn" >new/main.txt
commit_at '2024-01-05 10:00:00 +0000' 'main'
git bundle create -q ../all.bundle --all
git bundle create -q --version=3 ../v3.bundle main feature v1
cd "$top"

# The fields compared, in a stable order.
fields='[.findings[] | [.fingerprint, .path, .line, .column, .commit,
	.ref, .location, .blob] | map(tostring) | join(" ")] | sort | .[]'
nfg git -f json src
expect_rc 1
expect_count 5
jq -r "$fields" "$WORK/out" >want
for b in all.bundle v3.bundle; do
	bundle git -f json "$b"
	expect_rc 1
	expect_no_stderr
	expect_count 5
	jq -r "$fields" "$WORK/out" >got
	diff want got || fail "$b: findings differ from the repository's"
	assert_eq "$(jq_out '[.findings[].repository] | unique | join(",")')" \
		"$b" "$b: findings' repository"
	assert_eq "$(jq_out '.scan.repository')" "$b" "$b: scan repository"
	assert_eq "$(jq_out '.scan.shallow')" false "$b: shallow"
done
expect_git "$tf" path=feature.txt line=2 column=5 \
	commit="$(git -C src rev-parse feature)"
expect_git "$tt" location=tag-message ref=v1

# A bundle of a range whose pack needs nothing of its prerequisite: the
# history before it is cut, as in a shallow clone, and said.
git -C src bundle create -q ../range.bundle main~1..main
bundle git -f json range.bundle
expect_rc 1
expect_count 1
expect_git "$tn" path=new/main.txt line=1 column=3 \
	commit="$(git -C src rev-parse main)" repository=range.bundle
assert_eq "$(jq_out '.scan.shallow')" true "range: shallow"
assert_eq "$(cat "$WORK/err")" "nfguard: warning: bundle: history before \
its 1 prerequisite commit is not in it (2 objects it names not scanned)" \
	"range: stderr"

# A change to a file of the prerequisite: git stores it as a delta
# against an object the bundle does not hold (a thin pack).
cd src
sed 's/^name = app$/name = app2/' config.env >c && mv c config.env
commit_at '2024-01-06 10:00:00 +0000' 'change'
git bundle create -q ../thin.bundle main~1..main
cd "$top"
bundle git -f json thin.bundle
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: 'thin.bundle': the bundle stores \
1 object as changes to objects of its prerequisites, which it does not \
hold: nfguard cannot read such a bundle yet" "thin: stderr"

# A truncated bundle.
size=$(wc -c <all.bundle)
head -c $((size - 40)) all.bundle >cut.bundle
bundle git -f json cut.bundle
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: 'cut.bundle': the bundle's pack \
is truncated (13 of 14 objects)" "truncated: stderr"

# A file that is not a bundle, or a FIFO (never waited on): as before,
# not a repository.
printf 'hello\n' >plain.txt
mkfifo fifo.bundle
for f in plain.txt fifo.bundle; do
	nfg git "$f"
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: '$f' is not a git repository" "$f"
done
exit 0
