#!/bin/sh
# Commit and tag objects are scanned whole: a token in an author's or
# committer's name or email, or a tagger's, is an "identity" finding
# (once per object); in an encoding, unknown or signature header a
# "commit-header" / "tag-header" finding, with the line and column in the
# raw object; in a message past a NUL byte a "commit-message" finding
# numbered from the message's first line; a tag object's name a
# "ref-name" finding. In full and --range scans; nothing printed holds a
# whole token.
set -eu

top=$(pwd -P)
ti1=$(mktoken) ti2=$(mktoken) ti3=$(mktoken) th=$(mktoken) tx=$(mktoken)
tg=$(mktoken) tm1=$(mktoken) tm2=$(mktoken) tt=$(mktoken) ttm=$(mktoken)
ttn=$(mktoken) ttx=$(mktoken)

mkrepo r
cd r
# No reflogs: they would repeat the identities as git-dir findings (0275
# tests the git folder); this test is about the objects.
git config core.logAllRefUpdates false
# c1: the author's name and email and the committer's name and email hold
# tokens; ti1 is in both names, reported once.
printf 'readme\n' >README
GIT_AUTHOR_NAME="Dev $ti1" GIT_AUTHOR_EMAIL="$ti3@example.com" \
	GIT_COMMITTER_NAME="Dev $ti1" GIT_COMMITTER_EMAIL="$ti2@example.com" \
	commit_at '2024-01-01 10:00:00 +0000' 'c1'
c1=$(git rev-parse HEAD)
# c2, written by hand: an encoding, an unknown and a signature header hold
# tokens, and the message holds one before a NUL byte and one after it.
{
	printf 'tree %s\nparent %s\n' "$(git rev-parse "$c1^{tree}")" "$c1"
	printf 'author A U <a@example.com> 1704189600 +0000\n'
	printf 'committer C O <c@example.com> 1704189600 +0000\n'
	printf 'encoding %s\nx-extra %s\n' "$th" "$tx"
	printf 'gpgsig -----BEGIN PGP SIGNATURE-----\n %s\n' "$tg"
	printf ' -----END PGP SIGNATURE-----\n\nsubject %s\n' "$tm1"
	printf '\000after nul %s\n' "$tm2"
} >../c2.txt
c2=$(git hash-object -t commit -w --literally --stdin <../c2.txt)
git update-ref refs/heads/main "$c2"
git reset -q --hard
# c3: the author's name again, in another commit: reported there too.
printf 'three\n' >README
GIT_AUTHOR_NAME="Dev $ti1" commit_at '2024-01-03 10:00:00 +0000' 'c3'
c3=$(git rev-parse HEAD)
# An annotated tag: its name, tagger and message hold tokens.
GIT_COMMITTER_NAME="Rel $tt" GIT_COMMITTER_DATE='2024-01-04 10:00:00 +0000' \
	git tag -a "v1.$ttn" -m "notes $ttm"
tag=$(git rev-parse "v1.$ttn")
# A tag written by hand with an unknown header holding a token.
{
	printf 'object %s\ntype commit\ntag odd\n' "$c1"
	printf 'tagger T <t@example.com> 1704067200 +0000\n'
	printf 'x-extra %s\n\nodd tag\n' "$ttx"
} >../odd.txt
odd=$(git hash-object -t tag -w --literally --stdin <../odd.txt)
git update-ref refs/tags/odd "$odd"
cd "$top"

# no_whole_token: no planted token is in the last stdout or stderr.
no_whole_token() {
	for _t in "$ti1" "$ti2" "$ti3" "$th" "$tx" "$tg" "$tm1" "$tm2" \
		"$tt" "$ttm" "$ttn" "$ttx"; do
		expect_no_output "$_t"
	done
}

# expect_at TOKEN COMMIT LOCATION LINE COLUMN: the finding of TOKEN in
# COMMIT (a commit or tag object) is at LOCATION, LINE and COLUMN, with
# an empty path.
expect_at() {
	expect_place "$1" "commit=$2" "$3" '' "$4" "$5" "$2"
}

# whole_object_findings: what every scan that walks c2 and the tag finds.
whole_object_findings() {
	expect_at "$th" "$c2" commit-header 5 10
	expect_at "$tx" "$c2" commit-header 6 9
	expect_at "$tg" "$c2" commit-header 8 2
	expect_at "$tm1" "$c2" commit-message 1 9
	expect_at "$tm2" "$c2" commit-message 2 12
	expect_at "$ti1" "$c3" identity 3 12
	expect_at "$tt" "$tag" identity 4 12
	expect_at "$ttm" "$tag" tag-message 1 7
	expect_git "$ttm" ref="v1.$(redact "$ttn")" \
		author_name="Rel $(redact "$tt")" date=2024-01-04T10:00:00Z
}

nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 13
no_whole_token
expect_at "$ti1" "$c1" identity 2 12
expect_at "$ti3" "$c1" identity 2 $(($(bytelen "author Dev $ti1 <") + 1))
expect_at "$ti2" "$c1" identity 3 \
	$(($(bytelen "committer Dev $ti1 <") + 1))
expect_git "$ti3" author_name="Dev $(redact "$ti1")" \
	author_email="$(redact "$ti3")@example.com" date=2024-01-01T10:00:00Z
whole_object_findings
expect_at "$ttx" "$odd" tag-header 5 9
# The tag's name: once, from its ref (the tag object's "tag" header
# repeats it), at the commit the ref points at.
expect_git "$ttn" location=ref-name line=1 column=14 \
	ref="refs/tags/v1.$(redact "$ttn")" commit="$c3"
for f in human sarif; do
	nfg git -f "$f" r
	expect_rc 1
	no_whole_token
done

# A range up to the tag: c2, c3 and the tip tag object, whose name comes
# from its "tag" header (no ref is read).
nfg git -f json --range "$c1..v1.$ttn" r
expect_rc 1
expect_no_stderr
expect_count 9
no_whole_token
whole_object_findings
expect_at "$ttn" "$tag" ref-name 3 8
expect_git "$ttn" ref="v1.$(redact "$ttn")"
for f in human sarif; do
	nfg git -f "$f" --range "$c1..v1.$ttn" r
	expect_rc 1
	no_whole_token
done
