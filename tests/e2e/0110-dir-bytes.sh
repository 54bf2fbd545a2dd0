#!/bin/sh
# nfguard dir on awkward bytes: CRLF, no trailing newline, two tokens on one
# line, a binary file with NUL bytes, invalid UTF-8 and a 2 MB single
# line. Every token is found once at its exact line and byte column.
set -eu

mkdir t
t_crlf=$(mktoken) t_nonl=$(mktoken 20) t_a=$(mktoken) t_b=$(mktoken 40)
t_c=$(mktoken) t_d=$(mktoken) t_bin=$(mktoken) t_utf=$(mktoken)
t_min=$(mktoken 48)

# CRLF: the \r ends the token and is part of no column.
printf 'APP=1\r\nNOTIFLOWS_TOKEN=%s\r\nB=2\r\n' "$t_crlf" >t/crlf.env

# Token is the very last byte of a file without a final newline.
printf 'first line\nkey: %s' "$t_nonl" >t/nonl.yaml

# Two tokens on one line, and two separated by a single comma.
printf 'a=%s b=%s\n\n%s,%s\n' "$t_a" "$t_b" "$t_c" "$t_d" >t/two.txt

# Binary: a database-like header, random bytes, and the token between NUL
# bytes at a known offset; the expected line counts the \n bytes before.
{
	printf 'SQLite format 3\000'
	head -c 70000 /dev/urandom
	printf '\000\000%s\000\000' "$t_bin"
	head -c 30000 /dev/urandom
} >t/data.db
bin_off=$((16 + 70000 + 2))
pos=$(pos_of t/data.db "$bin_off")
# The random bytes must not hold the prefix themselves (1 in 2^48 odds).
[ "$(grep -aoF 'nf_at_' t/data.db | wc -l)" = 1 ] ||
	skip "random bytes hold nf_at_"

# Invalid UTF-8 right before and after the token.
printf 'caf\351 \377\376%s\300\201 end\n\200\n' "$t_utf" >t/latin1.txt

# A 2 MB minified line with the token near its end.
{
	yes 'var a=1;' | tr -d '\n' | head -c 2097000
	printf 'k="%s";' "$t_min"
	yes 'x=2;' | tr -d '\n' | head -c 100
	printf '\n'
} >t/app.min.js

nfg dir -f json t
expect_rc 1
expect_no_stderr
expect_count 9
expect_finding crlf.env 2 17 "$t_crlf"
expect_finding nonl.yaml 2 6 "$t_nonl"
expect_finding two.txt 1 3 "$t_a"
expect_finding two.txt 1 44 "$t_b"
expect_finding two.txt 3 1 "$t_c"
expect_finding two.txt 3 40 "$t_d"
# shellcheck disable=SC2086 # pos is "LINE COLUMN"
expect_finding data.db $pos "$t_bin"
expect_finding latin1.txt 1 8 "$t_utf"
expect_finding app.min.js 1 2097004 "$t_min"

assert_eq "$(jq_out '.scan.files_scanned')" 6 "scan.files_scanned"
assert_eq "$(jq_out '.scan.bytes_scanned')" "$(cat t/* | wc -c)" \
	"scan.bytes_scanned"
# Whatever the input bytes, the report is valid UTF-8.
iconv -f UTF-8 -t UTF-8 "$WORK/out" >/dev/null ||
	fail "report is not valid UTF-8"

# The same bytes through stdin give the same positions.
nfg_in t/data.db stdin -f json
expect_rc 1
expect_no_stderr
expect_count 1
# shellcheck disable=SC2086
expect_finding stdin $pos "$t_bin"
nfg_pipe t/app.min.js stdin -f json
expect_rc 1
expect_count 1
expect_finding stdin 1 2097004 "$t_min"
nfg_pipe t/crlf.env stdin -f json
expect_rc 1
expect_finding stdin 2 17 "$t_crlf"
