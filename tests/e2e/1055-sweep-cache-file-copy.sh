#!/bin/sh
# A file:// URL swept into --cache is copied (its object files, as git
# copies them for a local clone), not rebuilt into a new pack through
# libgit2's local transport: the cache entry holds the source's own pack,
# the same refs as the source (a clone's refs/remotes/origin/HEAD too,
# none of git_clone's own), and no remote in its config. A source that
# borrows objects through objects/info/alternates (here a relative path,
# which a copy would break) is fetched through the transport instead, and
# every blob of it is still found.
set -eu
. "$SRCDIR/tests/e2e/remote.sh"

ts=$(mktoken) tu=$(mktoken) tb=$(mktoken)
mkrepo up
(
	cd up
	printf 's=%s\n' "$ts" >s.txt
	commit_at '2024-01-01 00:00:00 +0000' shared
	git tag v1
)
# A clone: refs/remotes/origin/*, HEAD among them; packed whole.
git clone -q up src
(
	cd src
	printf 'u=%s\n' "$tu" >u.txt
	commit_at '2024-01-02 00:00:00 +0000' mine
	git repack -adq
)
# A bare repository that borrows up's objects by a relative path.
git clone -q --bare --shared up borrow.git
printf '../../up/.git/objects\n' >borrow.git/objects/info/alternates
(
	git clone -q borrow.git work
	cd work
	printf 'b=%s\n' "$tb" >b.txt
	commit_at '2024-01-03 00:00:00 +0000' borrowed
	git push -q origin main
)
[ ! -s borrow.git/objects/info/alternates ] || [ -z "$(ls borrow.git/objects/pack)" ] ||
	fail "setup: borrow.git holds packs of its own"
cs=$(git -C up rev-parse HEAD)
cu=$(git -C src rev-parse HEAD)
cb=$(git -C borrow.git rev-parse main)
src_url=file://$PWD/src
bor_url=file://$PWD/borrow.git

nfg git -f json --cache cache "$src_url" "$bor_url"
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "$src_url|scanned|clone|null|2
$bor_url|scanned|clone|null|2" "first run"
assert_eq "$(findings_json)" "$(sort <<END
$src_url|s.txt|1|$cs|$(fp "$ts")
$src_url|u.txt|1|$cu|$(fp "$tu")
$bor_url|b.txt|1|$cb|$(fp "$tb")
$bor_url|s.txt|1|$cs|$(fp "$ts")
END
)" "findings, first run"

e_src=cache/$(cd cache && ls -d *.git | grep '_src')
e_bor=cache/$(cd cache && ls -d *.git | grep '_borrow')
assert_eq "$(cd "$e_src/objects/pack" && ls *.pack)" \
	"$(cd src/.git/objects/pack && ls *.pack)" "the source's own pack, copied"
refs() { git --git-dir="$1" for-each-ref --format='%(refname) %(objectname)'; }
assert_eq "$(refs "$e_src")" "$(refs src/.git)" "the source's refs, no more"
assert_eq "$(git --git-dir="$e_src" config --get-regexp '^remote\.' || true)" \
	"" "no remote in the entry's config"
assert_eq "$(git --git-dir="$e_src" symbolic-ref HEAD)" refs/heads/main \
	"the entry's HEAD"
[ ! -e "$e_bor/objects/info/alternates" ] ||
	fail "the borrowing source's entry has an alternates file"
assert_eq "$(refs "$e_bor")" "$(refs borrow.git)" "the borrowing source's refs"

# The second run fetches into both entries, and finds the same.
nfg git -f json --cache cache "$src_url" "$bor_url"
expect_rc 1
expect_no_stderr
assert_eq "$(repos_json)" "$src_url|scanned|fetch|null|2
$bor_url|scanned|fetch|null|2" "second run"
