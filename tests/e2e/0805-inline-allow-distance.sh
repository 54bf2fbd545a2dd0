#!/bin/sh
# Inline allow within ALLOW_DISTANCE (64) bytes: "nfguard:allow" counts only
# when at most 64 bytes stand between it and the token on the token's line
# (after the token's end or before its start). A marker 100 KB further on
# the same line allows nothing, in dir, stdin, git and staged alike; one
# near a token across a chunk edge (1 MiB) of a line longer than a chunk
# gives the same result in dir and stdin. Suppressions are counted in
# scan.suppressed.inline and the human summary; --no-inline-allow and
# --no-config report marked tokens.
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken) t5=$(mktoken)
gap64=$(printf '%064d' 0 | tr 0 ' ') gap62=$(printf '%062d' 0 | tr 0 ' ')
M=1048576

# A marker 100 KB further on the same line: reported everywhere.
mkrepo r
cd r
{
	printf 'K=%s ' "$t1"
	head -c 102400 /dev/zero | tr '\0' x
	printf ' # nfguard:allow\n'
} >far.min.js
git add far.min.js
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding far.min.js 1 3 "$t1"
assert_eq "$(jq_out '.scan.suppressed.inline')" 0 "staged suppressed.inline"
git commit -q -m far
cd "$top"
nfg dir -f json r
expect_rc 1
expect_count 1
expect_finding far.min.js 1 3 "$t1"
assert_eq "$(jq_out '.scan.suppressed.inline')" 0 "dir suppressed.inline"
nfg git -f json r
expect_rc 1
expect_count 1
expect_finding far.min.js 1 3 "$t1"
assert_eq "$(jq_out '.scan.suppressed.inline')" 0 "git suppressed.inline"
nfg_in r/far.min.js stdin -f json --label far.min.js
expect_rc 1
expect_count 1
expect_finding far.min.js 1 3 "$t1"

# Exactly 64 bytes away, after or before: allowed and counted; 65: not.
mkdir near
{
	printf 'A=%s%snfguard:allow\n' "$t2" "$gap64"
	printf 'nfguard:allow%sB=%s\n' "$gap62" "$t3"
	printf 'C=%s %snfguard:allow\n' "$t4" "$gap64"
	printf 'nfguard:allow%s D=%s\n' "$gap64" "$t5"
	printf 'E=%s  // nfguard:allow\n' "$t1"
} >near/app.js
nfg dir -f json near
expect_rc 1
expect_count 2
expect_finding app.js 3 3 "$t4"
expect_finding app.js 4 81 "$t5"
assert_eq "$(jq -c '.scan.suppressed' "$WORK/out")" \
	'{"ignored":0,"baseline":0,"allowed_paths":0,"inline":3}' \
	"scan.suppressed"
nfg_in near/app.js stdin -f json --label app.js
expect_rc 1
expect_count 2
assert_eq "$(jq_out '.scan.suppressed.inline')" 3 "stdin suppressed.inline"
nfg dir near
expect_rc 1
expect_stdout '2 findings in 1 file (1 file, '
expect_stdout '3 findings suppressed (3 by nfguard:allow)'

# --no-inline-allow and --no-config: every token reported, none counted.
nfg dir -f json --no-inline-allow near
expect_rc 1
expect_count 5
assert_eq "$(jq -c '.scan.suppressed' "$WORK/out")" null \
	"scan.suppressed with --no-inline-allow"
nfg dir -f json --no-config near
expect_rc 1
expect_count 5
nfg_in near/app.js stdin -f json --no-inline-allow
expect_rc 1
expect_count 5
cd r
printf 'F=%s # nfguard:allow\n' "$t2" >fixture.env
git add fixture.env
nfg staged -f json
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.inline')" 1 "staged suppressed.inline"
nfg staged -f json --no-config
expect_rc 1
expect_count 1
expect_finding fixture.env 1 3 "$t2"
git commit -q -m fixture
nfg git -f json --no-inline-allow
expect_rc 1
expect_count 2
expect_finding fixture.env 1 3 "$t2"
nfg git -f json
expect_rc 1
expect_count 1
assert_eq "$(jq_out '.scan.suppressed.inline')" 1 "git suppressed.inline"
cd "$top"

# One line longer than a chunk: tokens whose markers sit across the 1 MiB
# edge (allowed at 64 bytes, not at 65), the same in dir and stdin.
mkdir edge
# dots N: N filler bytes on the same line
dots() { head -c "$1" /dev/zero | tr '\0' .; }
{
	dots $((M - 60))
	printf ' %s%snfguard:allow ' "$t3" "$gap64"
	dots $((M - 200))
	printf 'nfguard:allow%s%s ' "$gap64" "$t4"
	dots 30000
	printf ' %s %snfguard:allow\n' "$t5" "$gap64"
} >edge/one.line
nfg dir -f json edge
expect_rc 1
expect_count 1
expect_finding one.line 1 $((2 * M + 29975)) "$t5"
assert_eq "$(jq_out '.scan.suppressed.inline')" 2 "dir suppressed.inline"
jq -c '[.findings[] | [.line, .column]]' "$WORK/out" >dir.pos
nfg_pipe edge/one.line stdin -f json --label one.line
expect_rc 1
expect_count 1
assert_eq "$(jq_out '.scan.suppressed.inline')" 2 "stdin suppressed.inline"
assert_eq "$(jq -c '[.findings[] | [.line, .column]]' "$WORK/out")" \
	"$(cat dir.pos)" "stdin positions"
