#!/bin/sh
# A loose object whose file was replaced by another object's (valid zlib
# data, another id's bytes) is corrupt: nfguard checks the id of every
# loose object it reads, by whatever path (history, a range, staged), so
# the blob that held a token is never read as the other one's harmless
# text. Said once, naming the object and its file, counted in
# scan.objects_corrupt (JSON, SARIF, human), exit 2; the rest is scanned.
set -eu

mkrepo r
cd r
t=$(mktoken) t2=$(mktoken)
printf 'T=%s\n' "$t" >a.env
commit_at '2024-01-01 10:00:00 +0000' 'leak'
printf 'harmless\n' >b.txt
printf 'U=%s\n' "$t2" >c.env
commit_at '2024-01-02 10:00:00 +0000' 'more'
a=$(git rev-parse HEAD:a.env)
b=$(git rev-parse HEAD:b.txt)
c2=$(git rev-parse HEAD)
loose() { printf 'objects/%s/%s' "$(printf %s "$1" | cut -c1-2)" \
	"$(printf %s "$1" | cut -c3-)"; }
cd ..
[ -z "$(ls r/.git/objects/pack)" ] || fail "setup: objects are packed"

# Untouched: both tokens found.
nfg git -f json r
expect_rc 1
expect_count 2

# a.env's blob file now holds b.txt's blob: valid, but not object $a.
chmod u+w "r/.git/$(loose "$a")"
cp "r/.git/$(loose "$b")" "r/.git/$(loose "$a")"
line="nfguard: object $a is corrupt: hash mismatch in '$(loose "$a")'"
for args in "" "--range HEAD" "--ref main"; do
	# shellcheck disable=SC2086
	nfg git -f json $args r
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" "$line" "stderr ($args)"
	expect_count 1
	expect_git "$t2" path=c.env commit="$c2"
	assert_eq "$(jq_out '"\(.scan.objects_corrupt) \(.scan.errors)"')" \
		"1 1" "objects_corrupt and errors ($args)"
done
nfg git -f sarif r
expect_rc 2
assert_eq "$(jq_out '.runs[0].properties.objectsCorrupt')" 1 "objectsCorrupt"
nfg git r
expect_rc 2
grep -q '^1 finding in 1 file, incomplete: 1 error (2 commits, 2 blobs, 1 corrupt object, ' \
	"$WORK/out" || fail "human summary: $(tail -n 1 "$WORK/out")"

# A loose commit replaced by its parent's bytes: the history behind it
# cannot be trusted; said as corrupt, not scanned as the parent.
c1=$(git -C r rev-parse HEAD~1)
cp -R r r2
chmod u+w "r2/.git/$(loose "$c2")"
cp "r2/.git/$(loose "$c1")" "r2/.git/$(loose "$c2")"
nfg git -f json r2
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: object $c2 is corrupt: hash mismatch in '$(loose "$c2")'" \
	"stderr (commit)"
assert_eq "$(jq_out '"\(.scan.objects_corrupt) \(.scan.commits)"')" "1 0" \
	"objects_corrupt and commits (commit)"
# A range cannot be walked through it: the scan stops (no report).
# (libgit2 1.5's revparse leaks a reference on that error path: not ours,
# so leak checking is off for this one run; tests/valgrind.supp too.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
	nfg git -f json --range HEAD~1..main r2
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad range 'HEAD~1..main': object $c2 is corrupt: hash mismatch in a loose object" \
	"stderr (commit, range)"

# staged: a staged blob replaced by another one is an error (exit 2).
mkrepo s
cd s
printf 'harmless\n' >b.txt
commit_at '2024-01-01 10:00:00 +0000' 'base'
t3=$(mktoken)
printf 'S=%s\n' "$t3" >s.env
git add s.env
x=$(git rev-parse :s.env)
bb=$(git rev-parse HEAD:b.txt)
chmod u+w ".git/$(loose "$x")"
cp ".git/$(loose "$bb")" ".git/$(loose "$x")"
cd ..
nfg staged -f json s
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot diff 's.env': object $x is corrupt: hash mismatch in '$(loose "$x")'" \
	"stderr (staged)"
