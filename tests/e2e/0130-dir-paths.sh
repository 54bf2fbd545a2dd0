#!/bin/sh
# Paths reported by nfguard dir: deep nesting, spaces and non-ASCII names,
# invalid UTF-8 and control bytes in names, .git folders skipped, symlinks
# never followed (no hang on loops), FIFOs not opened, bytewise order, and
# the path forms for one folder target, several targets and a file target.
set -eu

mkdir tree outside
t_deep=$(mktoken) t_uni=$(mktoken) t_ff=$(mktoken) t_us=$(mktoken)
t_nl=$(mktoken) t_git=$(mktoken) t_gh=$(mktoken) t_bare=$(mktoken)
t_real=$(mktoken) t_out=$(mktoken) t_dash=$(mktoken) t_slash=$(mktoken)
t_up=$(mktoken)

deep=d01
i=2
while [ $i -le 40 ]; do
	deep=$deep/$(printf 'd%02d' $i)
	i=$((i + 1))
done
mkdir -p "tree/$deep"
printf 'x\nTOKEN=%s\n' "$t_deep" >"tree/$deep/secret.env"

uni='my docs/café/日本/token file.txt'
mkdir -p "tree/my docs/café/日本"
printf '%s\n' "$t_uni" >"tree/$uni"

# Bytewise order: "bad_name" < "bad\377name" in bytes, though the escaped
# text "bad\xFFname" would sort first.
ff=$(printf 'bad\377name.txt')
printf '%s\n' "$t_ff" >"tree/$ff"
printf '%s\n' "$t_us" >tree/bad_name.txt
nl=$(printf 'new\nline\033[31m.txt')
printf '%s\n' "$t_nl" >"tree/$nl"

# .git folders are skipped; .github, a "*.git" folder and .gitignore not.
mkdir -p tree/x/.git/refs tree/.github/workflows tree/notes.git
printf '[remote]\n\turl = https://u:%s@example.com/r.git\n' "$t_git" \
	>tree/x/.git/config
printf '%s\n' "$(mktoken)" >tree/x/.git/refs/stash
printf 'env:\n  T: %s\n' "$t_gh" >tree/.github/workflows/ci.yml
printf 'T=%s\n' "$t_bare" >tree/notes.git/config
printf '*.log\n' >tree/.gitignore

# Symlinks are never followed: to a file inside (reported once, at the real
# file), to a file and a folder outside, a loop to a parent, a 2-cycle.
printf 'T=%s\n' "$t_real" >tree/real.env
ln -s real.env tree/alias.env
printf 'T=%s\n' "$t_out" >outside/leak.txt
ln -s ../outside/leak.txt tree/leak.txt
ln -s "$WORK/tmp/outside" tree/ext
mkdir tree/sub
ln -s .. tree/sub/up
ln -s loop-b tree/loop-a
ln -s loop-a tree/loop-b
# Not a regular file: opening a FIFO would block for ever.
mkfifo tree/fifo

# Bytewise order: "a-b" < "a/b" < "a0".
mkdir tree/a
printf '%s\n' "$t_dash" >tree/a-b.txt
printf '%s\n' "$t_slash" >tree/a/b.txt
printf '%s\n' "$t_up" >tree/a0.txt

set +e
timeout 120 "$NFGUARD" dir -f json tree >"$WORK/out" 2>"$WORK/err"
r=$?
set -e
record_output "$WORK/out" "$WORK/err"
[ $r -ne 124 ] || fail "nfguard dir hangs on symlink loops or a FIFO"

# check_tree PREFIX [COUNT]: the last report holds the 11 tokens of tree,
# each once, with PREFIX before the path relative to tree, and COUNT
# findings in all (default 11).
check_tree() {
	expect_count "${2:-11}"
	expect_finding "$1$deep/secret.env" 2 7 "$t_deep"
	expect_finding "$1$uni" 1 1 "$t_uni"
	expect_finding "$1"'bad\xFFname.txt' 1 1 "$t_ff"
	expect_finding "$1bad_name.txt" 1 1 "$t_us"
	expect_finding "$1$nl" 1 1 "$t_nl"
	expect_finding "$1.github/workflows/ci.yml" 2 6 "$t_gh"
	expect_finding "$1notes.git/config" 1 3 "$t_bare"
	expect_finding "$1real.env" 1 3 "$t_real"
	expect_finding "$1a-b.txt" 1 1 "$t_dash"
	expect_finding "$1a/b.txt" 1 1 "$t_slash"
	expect_finding "$1a0.txt" 1 1 "$t_up"
}

nfg dir -f json tree
expect_rc 1
expect_no_stderr
check_tree ''
assert_eq "$(jq_out '.scan.targets | join(",")')" tree "scan.targets"
# The 12 regular files outside .git, and no symlink, were read.
assert_eq "$(jq_out '.scan.files_scanned')" 12 "scan.files_scanned"
assert_eq "$(jq_out '[.findings[].path | select(startswith("a") or
	startswith("bad"))] | join(" ")')" \
	'a-b.txt a/b.txt a0.txt bad_name.txt bad\xFFname.txt' "bytewise order"

# The same relative paths however the single folder is named.
for target in tree/ ./tree "$WORK/tmp/tree"; do
	nfg dir -f json "$target"
	expect_rc 1
	check_tree ''
done
cd tree
nfg dir -f json
expect_rc 1
check_tree ''
assert_eq "$(jq_out '.scan.targets | join(",")')" . "default target"
nfg dir -f json .
expect_rc 1
check_tree ''
cd ..

# Several targets: each path is the target as given, joined.
mkdir other
t_other=$(mktoken)
printf 'T=%s\n' "$t_other" >other/o.env
nfg dir -f json tree other
expect_rc 1
check_tree tree/ 12
expect_finding other/o.env 1 3 "$t_other"
assert_eq "$(jq_out '.scan.targets | join(",")')" tree,other "scan.targets"

# A file target: the path as given.
nfg dir -f json tree/a0.txt
expect_rc 1
expect_count 1
expect_finding tree/a0.txt 1 1 "$t_up"
nfg dir -f json "$WORK/tmp/tree/real.env" ./other/o.env
expect_rc 1
expect_count 2
expect_finding "$WORK/tmp/tree/real.env" 1 3 "$t_real"
expect_finding ./other/o.env 1 3 "$t_other"

# Human output escapes what the names hold: no raw ESC, newline or invalid
# byte from a file name reaches the terminal.
nfg dir --no-color tree
expect_rc 1
if LC_ALL=C grep -q "$(printf '[\033\377]')" "$WORK/out"; then
	fail "human output holds a raw control or invalid byte from a name"
fi
grep -qF 'bad\xFFname.txt' "$WORK/out" ||
	fail "human output lacks the escaped name bad\\xFFname.txt"
grep -qF 'new\x0Aline\x1B[31m.txt' "$WORK/out" ||
	fail "human output lacks the escaped name new\\x0Aline\\x1B[31m.txt"

# A file named twice, named and inside a named folder, or reached through
# a named link to it, is scanned and reported once; a file inside a .git
# folder of a named folder is not covered by the walk (which skips .git
# folders), so naming it still scans it.
mkdir -p dup/tree/sub dup/tree/.git
td=$(mktoken) ts=$(mktoken) tg=$(mktoken)
printf 'T=%s\n' "$td" >dup/tree/a.env
printf 'T=%s\n' "$ts" >dup/tree/sub/b.env
printf 'T=%s\n' "$tg" >dup/tree/.git/c.env
ln -s tree/a.env dup/link.env
cd dup
nfg dir -f json tree tree/a.env tree
expect_rc 1
assert_eq "$(jq -c '[.findings[].path]' "$WORK/out")" '["tree/a.env","tree/sub/b.env"]' \
	"folder, file in it, folder again"
assert_eq "$(jq_out .scan.files_scanned)" 2 "files scanned"
nfg dir -f json tree/a.env ./tree/a.env tree/a.env
expect_rc 1
assert_eq "$(jq -c '[.findings[].path]' "$WORK/out")" '["tree/a.env"]' "one file thrice"
nfg dir -f json tree/sub tree link.env
expect_rc 1
assert_eq "$(jq -c '[.findings[].path]' "$WORK/out")" '["tree/a.env","tree/sub/b.env"]' \
	"a folder inside a named folder, a link to a file in it"
nfg dir -f json tree tree/.git/c.env
expect_rc 1
assert_eq "$(jq -c '[.findings[].path]' "$WORK/out")" \
	'["tree/.git/c.env","tree/a.env","tree/sub/b.env"]' \
	"a file in a skipped .git folder"
cd ..
