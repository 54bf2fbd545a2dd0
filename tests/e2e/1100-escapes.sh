#!/bin/sh
# Escapes at the boundary (issue 14): a token glued after an escape for a
# non-token character (JSON \u0022 \u003d, URL %3D %22, HTML &quot; &#61;
# &#x3d;, \x3d, \n, \") is found at its first byte after the escape, in a
# file, on standard input and in a committed blob; glued to a longer word
# (x, %41, \u0041, an escaped backslash then n) it is not. Each token ends
# at the \, % or & of the escape after it. An escape across the first
# 1 MiB read boundary is found in a file and through a pipe.
set -eu

top=$(pwd -P)
mkdir d
: >expect.txt
n=0

# line PREFIX TOKEN SUFFIX: appends a line to d/esc.txt; the token must be
# found at column 1 + bytes of PREFIX (recorded in expect.txt).
line() {
	n=$((n + 1))
	printf '%s%s%s\n' "$1" "$2" "$3" >>d/esc.txt
	printf '%s %s %s\n' "$n" "$(($(bytelen "$1") + 1))" "$2" >>expect.txt
}

# glued PREFIX TOKEN: a line whose token must not be found.
glued() {
	n=$((n + 1))
	printf '%s%s\n' "$1" "$2" >>d/esc.txt
	printf '%s\n' "$2" >>absent.txt
}

line '{"a":\u0022' "$(mktoken)" '\u0022}'
line '{"url":"https://h.example/cb?token\u003d' "$(mktoken)" '"}'
line 'https://h.example/?next=%2F%3Ftoken%3D' "$(mktoken 24)" '&x=1'
line 'https://h.example/?t=%22' "$(mktoken 24)" '%22'
line '<div data-env="{&quot;token&quot;:&quot;' "$(mktoken)" '&quot;}">'
line '<a href="/x?token&#61;' "$(mktoken)" '">'
line '<meta content="token&#x3d;' "$(mktoken)" '">'
line "printf 'NOTIFLOWS_TOKEN\\x3d" "$(mktoken)" "\\n'"
line '"env": "A=1\n' "$(mktoken)" '\n"'
line '"cmd": "echo \"' "$(mktoken)" '\""'
glued 'x' "$(mktoken)"
glued 'https://h.example/?q=%41' "$(mktoken)"
glued '{"s":"\u0041' "$(mktoken)"
glued '{"path":"C:\\n' "$(mktoken)"
# the fixture: the escapes are there as written, not interpreted
grep -qF '\u003dnf_' d/esc.txt || fail "fixture: no \\u003d in d/esc.txt"
grep -qF 'C:\\nnf_' d/esc.txt || fail "fixture: no C:\\\\n in d/esc.txt"
assert_eq "$(wc -l <d/esc.txt | tr -d ' ')" 14 "fixture lines"

# check PATH: the last report holds each expected token once at its line
# and column (end_column just past it) under PATH, and no glued one.
check() {
	while read -r l c tok; do
		expect_finding "$1" "$l" "$c" "$tok"
	done <expect.txt
	while read -r tok; do
		expect_no_token "$tok"
	done <absent.txt
	expect_count 10
}

nfg dir -f json d
expect_rc 1
expect_no_stderr
check esc.txt

nfg_in d/esc.txt stdin -f json
expect_rc 1
expect_no_stderr
check stdin
nfg_pipe d/esc.txt stdin -f json
expect_rc 1
expect_no_stderr
check stdin

mkrepo r
cp d/esc.txt r/esc.txt
cd r
commit_at '2024-05-01 10:00:00 +0000' 'add esc.txt'
cid=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
check esc.txt
while read -r l col tok; do
	expect_git "$tok" commit="$cid" path=esc.txt line="$l" column="$col" \
		location=file
done <expect.txt

# An escape across the first 1 MiB read, after filler letters: found
# there only because of the escape, in a file and through a pipe.
M=1048576
head -c $((M - 3)) /dev/zero | tr '\0' a >big.txt
t=$(mktoken)
printf '\\u003d%s end\n' "$t" >>big.txt
mkdir d2
printf 'a\\u003d%s\n' "$t" >d2/small.txt
head -c $((M - 2)) /dev/zero | tr '\0' a >d2/split.txt
printf '%%3D%s\n' "$t" >>d2/split.txt
nfg_pipe big.txt stdin -f json
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding stdin 1 $((M - 3 + 7)) "$t"
nfg dir -f json d2
expect_rc 1
expect_no_stderr
assert_eq "$(jq_out '[.findings[] | "\(.path):\(.line):\(.column)"] | sort | join(" ")')" \
	"small.txt:1:8 split.txt:1:$((M - 2 + 4))" "path:line:column of each"
# the same filler with a letter escaped instead: nothing
head -c $((M - 3)) /dev/zero | tr '\0' a >d3.txt
printf '\\u0041%s end\n' "$(mktoken)" >>d3.txt
nfg_pipe d3.txt stdin -f json
expect_rc 0
expect_no_stderr
expect_count 0
