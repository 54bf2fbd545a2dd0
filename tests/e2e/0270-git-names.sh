#!/bin/sh
# A token in a tree entry's name (a file, a folder) is a "path-name"
# finding at the entry's whole path, line 1 and the token's byte column
# in that path, at the commit that brought the name; one in a ref's name
# (branch, tag, notes ref) a "ref-name" finding; one in a symbolic link's
# target a "file" finding at the link's path. In full and --range scans,
# and in staged (a new path); nothing printed holds a whole token.
set -eu

top=$(pwd -P)
ta=$(mktoken) tb=$(mktoken) tc=$(mktoken) ts=$(mktoken) tr=$(mktoken)
tl=$(mktoken) tn=$(mktoken) td=$(mktoken)

# c1: a file and a folder named with tokens (a token-named file below
# that folder), and a symbolic link whose target holds one.
mkrepo r
cd r
mkdir src "cfg.$tb" "cfg.$tb/deep" docs
printf 'plain\n' >"src/key.$ta.env"
printf 'plain\n' >"cfg.$tb/a.txt"
printf 'plain\n' >"cfg.$tb/deep/$tc"
printf 'readme\n' >docs/README
ln -s "../$ts" link
commit_at '2024-01-01 10:00:00 +0000' 'c1'
c1=$(git rev-parse HEAD)
# c2: the file's token again, at another path; a lightweight tag.
printf 'plain\n' >"docs/$ta"
commit_at '2024-01-02 10:00:00 +0000' 'c2'
c2=$(git rev-parse HEAD)
git tag "rel/$tl"
# c3: a changed file under the token-named folder (no new name there),
# and a new token-named folder; a branch and a notes ref named with
# tokens.
printf 'changed\n' >"cfg.$tb/a.txt"
mkdir "new.$td"
printf 'plain\n' >"new.$td/x"
commit_at '2024-01-03 10:00:00 +0000' 'c3'
c3=$(git rev-parse HEAD)
git branch "feature/$tr"
git notes --ref="$tn" add -m 'a note' HEAD
notes=$(git rev-parse "refs/notes/$tn")
cd "$top"

# no_whole_token: no token planted here is in the last stdout or stderr.
no_whole_token() {
	for _t in "$ta" "$tb" "$tc" "$ts" "$tr" "$tl" "$tn" "$td"; do
		expect_no_output "$_t"
	done
}

# expect_name TOKEN PATH COLUMN COMMIT: the path-name finding of TOKEN at
# PATH (redacted as reported), line 1 and COLUMN, brought by COMMIT.
expect_name() {
	expect_place "$1" "path=$2" path-name "$2" 1 "$3" "$4"
}

rta=$(redact "$ta") rtb=$(redact "$tb")
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 9
no_whole_token
expect_name "$ta" "src/key.$rta.env" 9 "$c1"
expect_name "$ta" "docs/$rta" 6 "$c2"
# The folder's token is reported at the folder only, not for each file
# under it; a token-named file below it is reported at its whole path.
expect_name "$tb" "cfg.$rtb" 5 "$c1"
expect_name "$tc" "cfg.$rtb/deep/$(redact "$tc")" \
	$(($(bytelen "cfg.$tb/deep/") + 1)) "$c1"
expect_name "$td" "new.$(redact "$td")" 5 "$c3"
expect_git "$ts" location=file path=link line=1 column=4 commit="$c1" \
	blob="$(git -C r rev-parse "$c1:link")"
expect_git "$tr" location=ref-name path= line=1 column=20 end_column=58 \
	ref="refs/heads/feature/$(redact "$tr")" commit="$c3" \
	author_name='Test Author' occurrences=1 reachable=true
expect_git "$tl" location=ref-name line=1 column=15 \
	ref="refs/tags/rel/$(redact "$tl")" commit="$c2"
expect_git "$tn" location=ref-name line=1 column=12 \
	ref="refs/notes/$(redact "$tn")" commit="$notes"
for f in human sarif; do
	nfg git -f "$f" r
	expect_rc 1
	no_whole_token
done

# A range names what its commits brought: c2's new path, c3's new
# folder; no ref names (a range reads none), no name c3 only changed.
nfg git -f json --range "$c1..main" r
expect_rc 1
expect_no_stderr
expect_count 2
no_whole_token
expect_name "$ta" "docs/$rta" 6 "$c2"
expect_name "$td" "new.$(redact "$td")" 5 "$c3"
nfg git -f json --range "$c2..main" r
expect_rc 1
expect_count 1
expect_name "$td" "new.$(redact "$td")" 5 "$c3"
for f in human sarif; do
	nfg git -f "$f" --range "$c1..main" r
	expect_rc 1
	no_whole_token
done

# staged: a new path's name (the index has no folder entries: a token in
# a folder's name is reported at the file's path); a rename that keeps a
# token the old name held brings nothing new.
tq=$(mktoken)
cd r
mkdir "q.$tq"
printf 'plain\n' >"q.$tq/a"
git mv "src/key.$ta.env" "src/key2.$ta.env"
git add -A
nfg staged -f json
cd "$top"
expect_rc 1
expect_count 1
expect_no_output "$tq"
expect_no_output "$ta"
expect_finding "q.$(redact "$tq")/a" 1 3 "$tq"
assert_eq "$(jq_out '.findings[0].location')" path-name 'staged location'
