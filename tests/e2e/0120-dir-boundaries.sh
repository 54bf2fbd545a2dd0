#!/bin/sh
# Tokens around read boundaries: 64 KiB, and 1, 2, 4 MiB (the scanner reads
# SCANNER_CHUNK = 1 MiB at a time and keeps an overlap), straddling them,
# starting or ending exactly on them, with the prefix split by them; in
# multi-line files, a single huge line and a file over 8 MiB; through dir
# and through stdin. Each token once, at its exact line and column; tokens
# that are invalid only because of bytes across a boundary stay unreported.
set -eu

K=65536 M=1048576
bounds="$K $M $((2 * M)) $((4 * M))"
dots=$(printf '%063d' 0 | tr 0 .) # filler lines of 64 bytes with the \n

mkdir b
: >expect.txt

# put FILE MODE OFFSET STRING: fills FILE with '.' up to OFFSET (in lines
# of 64 bytes, or one endless line with MODE "oneline"), then STRING.
put() {
	: >>"$1"
	_cur=$(wc -c <"$1")
	_gap=$(($3 - _cur))
	[ "$_gap" -ge 0 ] || fail "fixture: $1 is already past offset $3"
	if [ "$2" = oneline ]; then
		head -c "$_gap" /dev/zero | tr '\0' . >>"$1"
	else
		yes "$dots" | head -c "$_gap" >>"$1"
	fi
	printf '%s' "$4" >>"$1"
}

# plant FILE MODE OFFSET TOKEN: put, and remember where TOKEN must be found.
plant() {
	put "$@"
	printf '%s %s %s\n' "$1" "$3" "$4" >>expect.txt
}

# finish FILE MODE: 1000 more bytes of filler and a final newline.
finish() {
	put "$1" "$2" $(($(wc -c <"$1") + 1000)) '
'
}

for B in $bounds; do
	plant b/straddle.txt lines $((B - 19)) "$(mktoken)"
	plant b/end-at.txt lines $((B - 38)) "$(mktoken)"
	plant b/start-at.txt lines "$B" "$(mktoken)"
	plant b/prefix-split.txt lines $((B - 3)) "$(mktoken)"
	plant b/prefix-end.txt lines $((B - 6)) "$(mktoken)"
	plant b/min-straddle.txt lines $((B - 11)) "$(mktoken 16)"
	plant b/max-straddle.txt lines $((B - 131)) "$(mktoken 256)"
	plant b/max-end-at.txt lines $((B - 262)) "$(mktoken 256)"
done
plant b/one-line.txt oneline $((K - 19)) "$(mktoken)"
plant b/one-line.txt oneline $((M - 38)) "$(mktoken)"
plant b/one-line.txt oneline $((2 * M)) "$(mktoken)"
plant b/one-line.txt oneline $((4 * M - 3)) "$(mktoken)"
# Over 8 MiB: a token across every 1 MiB boundary, and one near the end.
k=1
while [ $k -le 9 ]; do
	plant b/big.txt lines $((k * M - 19)) "$(mktoken)"
	k=$((k + 1))
done
plant b/big.txt lines $((9 * M + 4000)) "$(mktoken)"

# None of these is a token; each is wrong only because of bytes on the
# other side of a boundary.
put b/not-tokens.txt lines $((K - 2)) "co$(mktoken)"        # conf_at_…
put b/not-tokens.txt lines $((M - 262)) "$(mktoken 300)"    # body > 256
put b/not-tokens.txt lines $((2 * M - 100)) "$(mktoken 300)"
put b/not-tokens.txt lines $((4 * M - 1)) "-$(mktoken)"     # -nf_at_…

for f in b/*.txt; do
	case $f in
	*one-line*) finish "$f" oneline ;;
	*) finish "$f" lines ;;
	esac
done

# The fixture itself: every token sits at its offset. want.tsv: how each
# must be reported, worked out once per token (each check compares a whole
# report with it): PATH LINE COLUMN END_COLUMN RULE REDACTED FINGERPRINT,
# tab-separated, END_COLUMN = COLUMN + bytes of the token.
while read -r f off tok; do
	len=$(bytelen "$tok")
	got=$(tail -c +$((off + 1)) "$f" | head -c "$len")
	[ "$got" = "$tok" ] || fail "fixture: token not at $f:$off"
	pos=$(pos_of "$f" "$off")
	printf '%s\t%s\t%s\t%s\tnotiflows-account-token\t%s\t%s\n' "$f" \
		"${pos% *}" "${pos#* }" "$((${pos#* } + len))" "$(redact "$tok")" \
		"$(fp "$tok")"
done <expect.txt >want.tsv
[ "$(wc -c <b/big.txt)" -gt $((8 * M)) ] || fail "fixture: big.txt too small"
[ "$(tr -dc '\n' <b/one-line.txt | wc -c)" = 1 ] ||
	fail "fixture: one-line.txt is not one line"

# check NAME_PREFIX [PATH]: the last report holds exactly the tokens planted
# in the files whose name starts with NAME_PREFIX, each once at its place
# (reported under PATH when given, else under its path in b/), and nothing
# else: its findings, as want.tsv's lines, are those of want.tsv.
check() {
	awk -F '\t' -v OFS='\t' -v p="b/$1" -v as="${2:-}" \
		'index($1, p) == 1 { $1 = as != "" ? as : substr($1, 3); print }' \
		want.tsv | sort >want.txt
	jq -r '.findings[] | [.path, .line, .column, .end_column, .rule_id,
		.secret_redacted, .fingerprint] | map(tostring) | join("\t")' \
		"$WORK/out" | sort >got.txt
	cmp -s want.txt got.txt || {
		diff want.txt got.txt >&2
		fail "findings of b/$1*: not as planted (< planted, > reported)"
	}
	expect_count "$(wc -l <want.txt | tr -d ' ')"
}

nfg dir -f json b
expect_rc 1
expect_no_stderr
check ''
assert_eq "$(jq_out '.scan.files_scanned')" "$(find b -type f | wc -l)" \
	"scan.files_scanned"
assert_eq "$(jq_out '.scan.bytes_scanned')" "$(cat b/* | wc -c)" \
	"scan.bytes_scanned"
nfg dir -f json -j 1 b
expect_rc 1
check ''

# stdin is read as a stream (chunks with overlap): from a file, and from a
# pipe, whose reads come short.
for name in straddle end-at start-at prefix-split max-end-at one-line big; do
	nfg_in "b/$name.txt" stdin -f json
	expect_rc 1
	check "$name" stdin
	nfg_pipe "b/$name.txt" stdin -f json
	expect_rc 1
	expect_no_stderr
	check "$name" stdin
done
nfg_pipe b/not-tokens.txt stdin -f json
expect_rc 0
expect_no_stderr
expect_count 0
