#!/bin/sh
# nfguard git reads the object database itself: binary blobs, loose and
# packed objects (same findings either way, and mixed), dangling commits
# and blobs (only with --unreachable, reachable false; loose or packed),
# LFS pointer files (scanned as text, nothing fetched).
set -eu

top=$(pwd -P)

# loose_count REPO: the number of loose objects in REPO.
loose_count() {
	git -C "$1" count-objects -v | sed -n 's/^count: //p'
}

# pack_count REPO: the number of packs in REPO.
pack_count() {
	git -C "$1" count-objects -v | sed -n 's/^packs: //p'
}

# Binary blobs: NUL and high bytes around the token; lines count \n.
mkrepo r1
cd r1
tb1=$(mktoken) tb2=$(mktoken)
printf '\000\001\002\003%s\000\377\376\n' "$tb1" >bin.dat
printf '\211PNG\r\n\032\n\000\000%s\000\000' "$tb2" >img.png
commit_at '2024-01-01 10:00:00 +0000' 'binaries'
c1=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r1
expect_rc 1
expect_count 2
expect_finding bin.dat 1 5 "$tb1"
expect_finding img.png 3 3 "$tb2"
expect_git "$tb1" commit="$c1" blob="$(git -C r1 rev-parse HEAD:bin.dat)"
expect_git "$tb2" commit="$c1" blob="$(git -C r1 rev-parse HEAD:img.png)"

# A history with findings of every kind, scanned loose, then packed by
# git gc, then with a new loose commit on top of the pack.
mkrepo r2
cd r2
ta=$(mktoken) tm=$(mktoken) tt=$(mktoken) ts=$(mktoken) tn=$(mktoken)
printf 'A=%s\n' "$ta" >a.env
printf 'readme\n' >README.md
commit_at '2024-02-01 10:00:00 +0000' 'init'
git rm -q a.env
commit_at '2024-02-02 10:00:00 +0000' "$(printf 'drop a\n\nwas %s' "$tm")"
GIT_COMMITTER_DATE='2024-02-03 10:00:00 +0000' \
	git tag -a v1 -m "tag with $tt"
git checkout -q -b side
mkdir -p deep/er
printf 'x\ny\nS=%s\n' "$ts" >deep/er/side.yaml
commit_at '2024-02-04 10:00:00 +0000' 'side'
git checkout -q main
cd "$top"
assert_eq "$(pack_count r2)" 0 "packs before gc"
nfg git -f json r2
expect_rc 1
expect_count 4
expect_finding a.env 1 3 "$ta"
expect_finding '' 3 5 "$tm"
expect_finding '' 1 10 "$tt"
expect_finding deep/er/side.yaml 3 3 "$ts"
expect_git "$tt" location=tag-message ref=v1 commit="$(git -C r2 rev-parse v1)"
jq_out '.findings' >loose.json
jq_out '"\(.scan.commits) \(.scan.blobs_scanned)"' >loose.scan
git -C r2 gc -q --prune=now
assert_eq "$(loose_count r2)" 0 "loose objects after gc"
assert_eq "$(pack_count r2)" 1 "packs after gc"
nfg git -f json r2
expect_rc 1
jq_out '.findings' >packed.json
jq_out '"\(.scan.commits) \(.scan.blobs_scanned)"' >packed.scan
cmp -s loose.json packed.json ||
	fail "findings differ loose/packed: $(diff loose.json packed.json)"
cmp -s loose.scan packed.scan ||
	fail "commits/blobs_scanned differ loose/packed: $(cat loose.scan packed.scan)"
cd r2
printf 'N=%s\n' "$tn" >new.env
commit_at '2024-02-05 10:00:00 +0000' 'new loose commit'
cn=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r2
expect_rc 1
expect_count 5
expect_finding new.env 1 3 "$tn"
expect_git "$tn" commit="$cn" reachable=true
expect_git "$ta" commit="$(git -C r2 rev-parse main~2)" occurrences=1

# Dangling objects: a commit dropped by reset, a commit replaced by
# --amend (reflogs expired, ORIG_HEAD removed: nothing keeps them), and a
# blob written with hash-object. Not found by default; found with
# --unreachable, reachable false.
mkrepo r3
cd r3
printf 'base\n' >README.md
commit_at '2024-03-01 10:00:00 +0000' 'base'
td=$(mktoken) tam=$(mktoken) tbl=$(mktoken)
printf 'D=%s\n' "$td" >d.txt
commit_at '2024-03-02 10:00:00 +0000' 'to be reset away'
cd=$(git rev-parse HEAD)
bd=$(git rev-parse HEAD:d.txt)
git reset -q --hard HEAD~1
printf 'x\nAM=%s\n' "$tam" >a.txt
commit_at '2024-03-03 10:00:00 +0000' 'to be amended'
ca=$(git rev-parse HEAD)
printf 'x\n' >a.txt
git add a.txt
GIT_AUTHOR_DATE='2024-03-03 11:00:00 +0000' \
	GIT_COMMITTER_DATE='2024-03-03 11:00:00 +0000' \
	git commit -q --amend -m 'amended'
bblob=$(printf 'just a blob\nBL=%s\n' "$tbl" | git hash-object -w --stdin)
git reflog expire --expire=now --expire-unreachable=now --all
rm -f .git/ORIG_HEAD
git fsck --unreachable --no-reflogs 2>/dev/null | grep -q "commit $cd" ||
	fail "setup: $cd is not dangling"
cd "$top"
nfg git -f json r3
expect_rc 0
expect_count 0
nfg git -f json --unreachable r3
expect_rc 1
expect_count 3
expect_finding d.txt 1 3 "$td"
expect_git "$td" commit="$cd" blob="$bd" reachable=false location=file \
	author_name='Test Author' date=2024-03-02T10:00:00Z
expect_finding a.txt 2 4 "$tam"
expect_git "$tam" commit="$ca" reachable=false
expect_finding '' 2 4 "$tbl"
expect_git "$tbl" blob="$bblob" reachable=false commit='<absent>' \
	author_name='<absent>' author_email='<absent>' date='<absent>'
jq_out '.findings' >dangling-loose.json
# The same dangling objects in packs (every object packed; the reachable
# ones twice, in two packs): the same findings.
git -C r3 repack -q -a -d
git -C r3 cat-file --batch-all-objects --batch-check='%(objectname)' |
	git -C r3 pack-objects -q .git/objects/pack/pack >/dev/null
git -C r3 prune-packed
assert_eq "$(loose_count r3)" 0 "loose objects after packing"
nfg git -f json r3
expect_rc 0
expect_count 0
nfg git -f json --unreachable r3
expect_rc 1
jq_out '.findings' >dangling-packed.json
cmp -s dangling-loose.json dangling-packed.json ||
	fail "dangling findings differ loose/packed: $(diff dangling-loose.json dangling-packed.json)"

# An LFS pointer file with no token: nothing reported; a pointer-like
# file with a token on an extra line is found (scanned as text).
mkrepo r4
cd r4
oid=$(printf 'hello world\n' | sha256sum | cut -d' ' -f1)
printf '*.bin filter=lfs diff=lfs merge=lfs -text\n' >.gitattributes
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12\n' \
	"$oid" >model.bin
commit_at '2024-04-01 10:00:00 +0000' 'lfs pointer'
cd "$top"
nfg git -f json r4
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.blobs_scanned')" 2 "scan.blobs_scanned"
size=$(git -C r4 cat-file -s HEAD:model.bin)
jq -e --argjson n "$size" '.scan.bytes_scanned >= $n' "$WORK/out" \
	>/dev/null || fail "pointer bytes not scanned: $(jq_out .scan)"
cd r4
tl=$(mktoken)
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 12\nx-note %s\n' \
	"$oid" "$tl" >other.bin
commit_at '2024-04-02 10:00:00 +0000' 'pointer with a token'
cd "$top"
nfg git -f json r4
expect_rc 1
expect_count 1
expect_finding other.bin 4 8 "$tl"
