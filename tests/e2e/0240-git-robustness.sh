#!/bin/sh
# nfguard git on unusual repositories: empty, unborn HEAD, bare, shallow
# clones, missing and corrupt objects (exit 2, object named, other
# findings still reported), not a repository, submodule entries (skipped
# and counted, never followed), and the same findings whatever -j.
set -eu

top=$(pwd -P)

# err_line: the first stderr line is one nfguard message: "nfguard: "
# then lower case, no full stop at the end.
err_line() {
	_l=$(head -n 1 "$WORK/err")
	case $_l in
	'nfguard: '[A-Z]* | *.) fail "badly formed error line: $_l" ;;
	'nfguard: '?*) ;;
	*) fail "stderr does not start with an nfguard message: '$_l'" ;;
	esac
}

# obj_path REPO ID: the loose object file of ID in REPO.
obj_path() {
	_op_rest=${2#??}
	printf '%s/.git/objects/%s/%s' "$1" "${2%"$_op_rest"}" "$_op_rest"
}

# An empty repository, work tree and bare: nothing, exit 0, a warning.
mkrepo empty
nfg git -f json empty
expect_rc 0
expect_count 0
expect_stderr 'nfguard: warning:'
git init -q --bare -b main empty.git
nfg git -f json empty.git
expect_rc 0
expect_count 0
expect_stderr 'nfguard: warning:'

# Unborn HEAD while a branch holds a commit: that branch is scanned.
mkrepo unborn
cd unborn
tu=$(mktoken)
printf 'U=%s\n' "$tu" >u.env
commit_at '2024-01-01 10:00:00 +0000' 'on main'
cu=$(git rev-parse HEAD)
git symbolic-ref HEAD refs/heads/not-yet
cd "$top"
nfg git -f json unborn
expect_rc 1
expect_count 1
expect_finding u.env 1 3 "$tu"
expect_git "$tu" commit="$cu" reachable=true

# A bare clone: the same findings; repository is the git folder.
git clone -q --bare unborn bare.git 2>/dev/null
nfg git -f json bare.git
expect_rc 1
expect_count 1
expect_finding u.env 1 3 "$tu"
expect_git "$tu" commit="$cu" repository="$top/bare.git"

# Not a repository: exit 2, a clear message.
mkdir plain
nfg git -f json plain
expect_rc 2
assert_eq "$(head -n 1 "$WORK/err")" \
	"nfguard: 'plain' is not a git repository" "stderr"
nfg git -f json does-not-exist
expect_rc 2
err_line
expect_stderr "does-not-exist"
# Discovered from the current folder: none there either.
if ! git -C plain rev-parse --git-dir >/dev/null 2>&1; then
	cd plain
	nfg git -f json
	cd "$top"
	expect_rc 2
	expect_stderr "is not a git repository"
	err_line
fi

# A shallow clone: what is present is scanned (the token removed before
# the cut is gone, one carried across the cut is attributed to the
# boundary commit); scan.shallow is true and stderr says history is cut.
mkrepo deep
cd deep
told=$(mktoken) tcarry=$(mktoken) tnew=$(mktoken)
printf 'O=%s\n' "$told" >old.env
commit_at '2024-02-01 10:00:00 +0000' 'c1'
git rm -q old.env
printf 'C=%s\n' "$tcarry" >carry.env
commit_at '2024-02-02 10:00:00 +0000' 'c2'
c2=$(git rev-parse HEAD)
printf 'N=%s\n' "$tnew" >new.env
commit_at '2024-02-03 10:00:00 +0000' 'c3'
c3=$(git rev-parse HEAD)
cd "$top"
nfg git -f json deep
expect_rc 1
expect_count 3
expect_git "$tcarry" commit="$c2" occurrences=2
jq -e '(.scan.shallow // false) == false' "$WORK/out" >/dev/null ||
	fail "scan.shallow of a full clone: $(jq_out .scan.shallow)"
git clone -q --depth 1 "file://$top/deep" shallow 2>/dev/null
[ -f shallow/.git/shallow ] || fail "setup: clone is not shallow"
nfg git -f json shallow
expect_rc 1
expect_count 2
expect_finding carry.env 1 3 "$tcarry"
expect_git "$tcarry" commit="$c3" occurrences=1
expect_finding new.env 1 3 "$tnew"
expect_git "$tnew" commit="$c3" occurrences=1
expect_no_token "$told"
assert_eq "$(jq_out '.scan.shallow')" true "scan.shallow"
# The contract's "<n> commit(s)": "1 commit" and "1 commit(s)" both do.
expect_stderr 'nfguard: warning: shallow clone: history before 1 commit'
git clone -q --depth 2 "file://$top/deep" shallow2 2>/dev/null
nfg git -f json shallow2
expect_rc 1
expect_count 2
expect_git "$tcarry" commit="$c2" occurrences=2
assert_eq "$(jq_out '.scan.shallow')" true "scan.shallow"
# A shallow clone with no token left: exit 0, still shallow.
mkrepo deep2
cd deep2
printf 'O=%s\n' "$told" >old.env
commit_at '2024-02-01 10:00:00 +0000' 'c1'
printf 'clean\n' >old.env
commit_at '2024-02-02 10:00:00 +0000' 'c2'
cd "$top"
git clone -q --depth 1 "file://$top/deep2" shallow3 2>/dev/null
nfg git -f json shallow3
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.shallow')" true "scan.shallow"
expect_stderr 'shallow'

# A missing loose blob (no packs): exit 2, its id on stderr, the token in
# the intact blob still reported; with -o the report is written too.
mkrepo broken
cd broken
ta=$(mktoken) tb=$(mktoken)
printf 'A=%s\n' "$ta" >a.env
printf 'B=%s\n' "$tb" >b.env
commit_at '2024-03-01 10:00:00 +0000' 'two files'
ca=$(git rev-parse HEAD)
bb=$(git rev-parse HEAD:b.env)
cd "$top"
assert_eq "$(git -C broken count-objects -v | sed -n 's/^packs: //p')" 0 \
	"packs"
rm -f "$(obj_path broken "$bb")"
nfg git -f json broken
expect_rc 2
expect_stderr "$bb"
err_line
expect_count 1
expect_finding a.env 1 3 "$ta"
expect_git "$ta" commit="$ca"
nfg git -f json -o broken.json broken
expect_rc 2
jq -e --arg fp "$(fp "$ta")" '[.findings[].fingerprint] == [$fp]' \
	broken.json >/dev/null || fail "-o report lacks the intact finding"

# A corrupt loose blob (not zlib data): exit 2, its id on stderr, the
# other token still reported.
mkrepo corrupt
cd corrupt
tc1=$(mktoken) tc2=$(mktoken)
printf 'A=%s\n' "$tc1" >a.env
printf 'B=%s\n' "$tc2" >b.env
commit_at '2024-03-02 10:00:00 +0000' 'two files'
bc=$(git rev-parse HEAD:b.env)
cd "$top"
f=$(obj_path corrupt "$bc")
chmod u+w "$f"
printf 'this is not zlib data at all' >"$f"
nfg git -f json corrupt
expect_rc 2
expect_stderr "$bc"
err_line
expect_finding a.env 1 3 "$tc1"

# A missing commit in the middle of history: exit 2, its id on stderr,
# still a JSON report.
mkrepo holed
cd holed
for i in 1 2 3; do
	printf '%s\n' "$i" >n.txt
	commit_at "2024-03-0$i 12:00:00 +0000" "c$i"
done
ch=$(git rev-parse HEAD~1)
cd "$top"
rm -f "$(obj_path holed "$ch")"
nfg git -f json holed
expect_rc 2
expect_stderr "$ch"
err_line
jq -e '.findings | type == "array"' "$WORK/out" >/dev/null ||
	fail "no JSON report with a missing commit"

# Submodules: a real one (its own token is not in this repository and is
# never followed) and a gitlink to a commit that exists nowhere. Both are
# skipped and counted, without error.
mkrepo sub
cd sub
tsub=$(mktoken)
printf 'S=%s\n' "$tsub" >s.env
commit_at '2024-04-01 10:00:00 +0000' 'sub'
cd "$top"
mkrepo super
cd super
tsup=$(mktoken)
printf 'P=%s\n' "$tsup" >p.env
commit_at '2024-04-02 10:00:00 +0000' 'super'
git -c protocol.file.allow=always submodule add -q "$top/sub" sub \
	>/dev/null 2>&1
commit_at '2024-04-03 10:00:00 +0000' 'add submodule'
cd "$top"
nfg git -f json super
expect_rc 1
expect_count 1
expect_finding p.env 1 3 "$tsup"
expect_no_token "$tsub"
assert_eq "$(jq_out '.scan.submodules')" 1 "scan.submodules"
nfg git -f json --unreachable super
expect_rc 1
expect_count 1
expect_no_token "$tsub"
mkrepo ghost
cd ghost
printf 'a\n' >README.md
commit_at '2024-04-04 10:00:00 +0000' 'init'
git update-index --add \
	--cacheinfo 160000,0123456789abcdef0123456789abcdef01234567,ghost
GIT_AUTHOR_DATE='2024-04-05 10:00:00 +0000' \
	GIT_COMMITTER_DATE='2024-04-05 10:00:00 +0000' \
	git commit -q -m 'gitlink to nowhere'
assert_eq "$(git ls-tree HEAD ghost | cut -c1-6)" 160000 "setup: gitlink"
cd "$top"
nfg git -f json ghost
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.submodules')" 1 "scan.submodules"

# Many files, tokens and commits: -j 1, -j 2 and -j 4 give byte-identical
# findings, sorted by path, then position.
mkrepo many
cd many
i=1
while [ "$i" -le 10 ]; do
	mkdir -p "d$((i % 3))/sub$((i % 2))"
	for f in a b c d e f; do
		{
			printf 'file %s %s\n' "$i" "$f"
			printf 'K1=%s\n' "$(mktoken)"
			printf 'pad pad K2=%s and K3=%s\n' "$(mktoken)" "$(mktoken 60)"
		} >"d$((i % 3))/sub$((i % 2))/$f$i.txt"
	done
	commit_at "2024-05-$(printf '%02d' "$i") 10:00:00 +0000" "m$i"
	i=$((i + 1))
done
git checkout -q -b side main~5
printf 'S=%s\n' "$(mktoken)" >d0/side.txt
commit_at '2024-05-20 10:00:00 +0000' 'side'
git checkout -q main
cd "$top"
nfg git -f json -j 1 many
expect_rc 1
expect_count 181
jq_out '.findings' >j1.json
jq -e '[.findings[] | [.path, .line, .column]] as $a | $a == ($a | sort)' \
	"$WORK/out" >/dev/null || fail "findings not sorted by path, position"
for j in 2 4; do
	nfg git -f json -j "$j" many
	expect_rc 1
	jq_out '.findings' >"j$j.json"
	cmp -s j1.json "j$j.json" ||
		fail "-j 1 and -j $j differ: $(diff j1.json "j$j.json" | head)"
done

# A regular file inside a work tree is not a repository either.
nfg git -f json unborn/u.env
expect_rc 2
err_line
expect_stderr "unborn/u.env"
