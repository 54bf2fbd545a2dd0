#!/bin/sh
# Git LFS: a file tracked with LFS is a pointer blob in history and its
# content an object of the LFS store (lfs/objects/ab/cd/<sha256> of the
# git folder). The layout is built by hand, byte for byte as git-lfs
# writes it, so the test needs no git-lfs. A token in a local LFS object
# is reported at the pointer's path and commit with the line and column
# it has in the object (full scan loose and packed, --range,
# --unreachable, staged); pointers whose object is not local are counted
# (scan.lfs_missing, SARIF run properties, the human summary) with one
# warning line, exit status unchanged; an object that is not the size its
# pointer says is an error (exit 2); a blob that starts like a pointer but
# is not an exact one is scanned as text and counted as malformed.
set -eu

top=$(pwd -P)

# lfs_put FILE PATH: stores FILE's bytes as an LFS object of the current
# repository and writes PATH as its pointer (what git-lfs's clean filter
# stages in place of FILE).
lfs_put() {
	_lp_oid=$(sha256sum <"$1" | cut -d' ' -f1)
	_lp_dir=.git/lfs/objects/$(printf %s "$_lp_oid" | cut -c1-2)/$(printf %s "$_lp_oid" | cut -c3-4)
	mkdir -p "$_lp_dir"
	cp "$1" "$_lp_dir/$_lp_oid"
	printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' \
		"$_lp_oid" "$(wc -c <"$1" | tr -d ' ')" >"$2"
}

# lfs_path FILE: the object path of FILE's bytes, from the git folder.
lfs_path() {
	_lq_oid=$(sha256sum <"$1" | cut -d' ' -f1)
	printf 'lfs/objects/%s/%s/%s' "$(printf %s "$_lq_oid" | cut -c1-2)" \
		"$(printf %s "$_lq_oid" | cut -c3-4)" "$_lq_oid"
}

missing1='warning: 1 LFS object is not in this clone: its pointer was scanned, not its content (git lfs fetch --all gets it)'

mkrepo r
cd r
printf '*.bin filter=lfs diff=lfs merge=lfs -text\n' >.gitattributes
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' 'init'
c0=$(git rev-parse HEAD)
# The token on line 3 of a binary-ish object, at byte 5 of its line.
tl=$(mktoken)
printf 'MODEL\000\001\n\377\376\n\001\002\003\004%s\000tail\n' "$tl" >"$top/model.content"
mkdir -p assets
lfs_put "$top/model.content" assets/model.bin
commit_at '2024-01-02 10:00:00 +0000' 'add the model with LFS'
c1=$(git rev-parse HEAD)
printf 'more\n' >>README.md
commit_at '2024-01-03 10:00:00 +0000' 'later'
pblob=$(git rev-parse HEAD:assets/model.bin)
cd "$top"

# A full scan of loose objects: the token at the pointer's path, the
# line and column it has in the object, the commit that brought the
# pointer, the pointer's blob.
nfg git -f json r
expect_rc 1
expect_count 1
expect_finding assets/model.bin 3 5 "$tl"
expect_git "$tl" commit="$c1" blob="$pblob" location=file reachable=true \
	occurrences=2
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing) \(.scan.lfs_malformed) \(.scan.errors)"')" \
	'1 0 0 0' "scan.lfs_pointers, lfs_missing, lfs_malformed, errors"
expect_no_stderr
jq_out '.findings' >loose.json
# The object's bytes are read and counted once.
with=$(jq_out '.scan.bytes_scanned')
mv r/.git/lfs lfs.aside
nfg git -f json r
expect_rc 0
assert_eq "$((with - $(jq_out '.scan.bytes_scanned')))" \
	"$(wc -c <model.content | tr -d ' ')" "bytes_scanned less without the object"
mv lfs.aside r/.git/lfs
# The same once packed (the pack is read ahead of the walk; the object is
# read once the pointer's path is known), under --unreachable, and for
# the range that brought it.
git -C r gc -q --prune=now
nfg git -f json r
expect_rc 1
jq_out '.findings' >packed.json
cmp -s loose.json packed.json ||
	fail "findings differ loose/packed: $(diff loose.json packed.json)"
# The pointer read ahead is read again, and counted once.
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.files_scanned) \(.scan.blobs_scanned)"')" \
	'1 4 4' "scan.lfs_pointers, files_scanned, blobs_scanned (packed)"
expect_no_stderr
nfg git -f json --unreachable r
expect_rc 1
jq_out '.findings' >unreachable.json
cmp -s loose.json unreachable.json ||
	fail "findings differ with --unreachable: $(diff loose.json unreachable.json)"
nfg git -f json --range "$c0..$c1" r
expect_rc 1
expect_count 1
expect_finding assets/model.bin 3 5 "$tl"
expect_git "$tl" commit="$c1" occurrences=1
nfg git -f json --range "$c1..HEAD" r
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.lfs_pointers')" 0 "scan.lfs_pointers (range without LFS)"

# A pointer whose object is not local (a clone without git lfs fetch
# --all): counted, one warning line, the exit status is the findings'.
cd r
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12\n' \
	"$(printf 'not here\n' | sha256sum | cut -d' ' -f1)" >gone.bin
commit_at '2024-01-04 10:00:00 +0000' 'a pointer without its object'
cd "$top"
nfg git -f json r
expect_rc 1
expect_count 1
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing) \(.scan.errors)"')" \
	'2 1 0' "scan.lfs_pointers, lfs_missing, errors"
assert_eq "$(cat "$WORK/err")" "nfguard: $missing1" "stderr"
assert_eq "$(jq_out '.scan.problems[0] | "\(.kind): \(.message)"')" \
	"$missing1" "scan.problems[0]"
nfg git -f sarif r
expect_rc 1
assert_eq "$(jq_out '.runs[0].properties | "\(.lfsPointers) \(.lfsMissing) \(.lfsMalformed)"')" \
	'2 1 0' "SARIF run properties"
assert_eq "$(jq_out '.runs[0].invocations[0].toolExecutionNotifications[0] | "\(.level): \(.message.text)"')" \
	"$missing1." "SARIF notification"
assert_eq "$(jq_out '.runs[0].invocations[0].executionSuccessful')" true \
	"SARIF executionSuccessful"
nfg git r
expect_rc 1
expect_stdout '1 finding in 1 file (4 commits, 5 blobs, 2 LFS pointers, 1 LFS object missing, '
# Without a token, a missing object alone leaves the exit status 0.
mkrepo m
cp r/gone.bin m/
cd m
commit_at '2024-01-04 10:00:00 +0000' 'only a pointer'
cd "$top"
nfg git -f json m
expect_rc 0
assert_eq "$(cat "$WORK/err")" "nfguard: $missing1" "stderr (no findings)"

# lfs.storage moves the store (relative to the git folder).
mv r/.git/lfs r/.git/store
git -C r config lfs.storage store
nfg git -f json r
expect_rc 1
expect_finding assets/model.bin 3 5 "$tl"
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing)"')" \
	'2 1' "scan.lfs_pointers, lfs_missing (lfs.storage)"
git -C r config --unset lfs.storage
mv r/.git/store r/.git/lfs

# An object that is not the size its pointer says is not what the pointer
# names (git-lfs itself deletes such a file and fetches it again): an
# error, exit 2, and its bytes are not reported as the pointer's content.
mkrepo w
cd w
tw=$(mktoken)
printf 'W=%s\n' "$tw" >"$top/weights.content"
lfs_put "$top/weights.content" weights.bin
commit_at '2024-02-01 10:00:00 +0000' 'weights'
obj=$(lfs_path "$top/weights.content")
chmod u+w ".git/$obj"
printf 'extra\n' >>".git/$obj"
cd "$top"
size=$(wc -c <"$top/weights.content" | tr -d ' ')
nfg git -f json w
expect_rc 2
expect_count 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot scan the LFS object of 'weights.bin': '$top/w/.git/$obj' is $((size + 6)) bytes, its pointer says $size (git lfs fsck)" \
	"stderr"
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing) \(.scan.errors)"')" \
	'1 0 1' "scan.lfs_pointers, lfs_missing, errors"

# A blob that starts like a pointer but is not an exact one (a CR, an
# extra key): git-lfs checks such a file out as the text it is; it is
# scanned as text, counted as malformed, and said once.
mkrepo b
cd b
tb=$(mktoken)
printf 'version https://git-lfs.github.com/spec/v1\r\noid sha256:%s\r\nsize 3\r\nnote %s\r\n' \
	"$(printf 'abc' | sha256sum | cut -d' ' -f1)" "$tb" >odd.bin
commit_at '2024-03-01 10:00:00 +0000' 'an odd pointer'
cd "$top"
nfg git -f json b
expect_rc 1
expect_count 1
expect_finding odd.bin 4 6 "$tb"
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing) \(.scan.lfs_malformed)"')" \
	'0 0 1' "scan.lfs_pointers, lfs_missing, lfs_malformed"
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 1 file starts like an LFS pointer but is not one: scanned as text, no LFS object read" \
	"stderr (malformed)"

# A pointer only the object database holds (dropped from history): with
# --unreachable its object is scanned too; the token is not reachable.
cd r
td=$(mktoken)
printf 'dangling %s\n' "$td" >"$top/dangling.content"
lfs_put "$top/dangling.content" dangling.bin
dblob=$(git hash-object -w dangling.bin)
rm dangling.bin
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_token "$td"
nfg git -f json --unreachable r
expect_rc 1
expect_finding '' 1 10 "$td"
expect_git "$td" blob="$dblob" reachable=false commit='<absent>'

# staged: a new LFS file's token is reported at its staged path, with the
# line in the object; changed, only the tokens its old object lacked.
cd r
ts=$(mktoken)
printf 'first\nS=%s\n' "$ts" >"$top/staged.content"
lfs_put "$top/staged.content" staged.bin
git add staged.bin
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding staged.bin 2 3 "$ts"
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing)"')" \
	'1 0' "scan.lfs_pointers, lfs_missing (staged)"
expect_no_stderr
commit_at '2024-04-01 10:00:00 +0000' 'staged.bin' 2>/dev/null
t2=$(mktoken)
printf 'first\nS=%s\nT=%s\n' "$ts" "$t2" >"$top/staged2.content"
lfs_put "$top/staged2.content" staged.bin
git add staged.bin
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding staged.bin 3 3 "$t2"
# Its object gone (staged with GIT_LFS_SKIP_SMUDGE, or pruned): the
# pointer is scanned, the missing object counted and said.
rm ".git/$(lfs_path "$top/staged2.content")"
nfg staged -f json
expect_rc 0
assert_eq "$(jq_out '"\(.scan.lfs_pointers) \(.scan.lfs_missing)"')" \
	'1 1' "scan.lfs_pointers, lfs_missing (staged, missing)"
assert_eq "$(cat "$WORK/err")" "nfguard: $missing1" "stderr (staged)"
