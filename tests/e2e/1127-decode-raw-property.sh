#!/bin/sh
# Decoding never finds less than --no-decode, and never twice: over a set
# of crafted inputs (tokens in stored and deflated zip entries, in a plain
# tar, in compressed streams, in a zip inside a stored zip, and in the
# bytes after each), in files and git blobs, every fingerprint the plain
# scan finds in an input is found with decoding on, and no token of an
# input is reported both plain and from inside its containers (a stored
# entry's token stands in the raw bytes too: it is reported once, inside).
set -eu

top=$(pwd -P)
mkdir src tree
n=0
# tok NAME: a fresh token in src/NAME.txt as "key=TOKEN", listed in
# $WORK/inside (reported from inside a container).
tok() {
	_t=$(mktoken)
	printf 'key=%s\n' "$_t" >"src/$1.txt"
	printf '%s\n' "$_t" >>"$WORK/inside"
}
# tail_tok FILE: a fresh token appended to FILE, listed in $WORK/plain.
tail_tok() {
	_t=$(mktoken)
	printf 'tail=%s\n' "$_t" >>"$1"
	printf '%s\n' "$_t" >>"$WORK/plain"
	n=$((n + 1))
}
: >"$WORK/inside"
: >"$WORK/plain"

tok st
mkarchive zip-stored tree/stored.zip app.env=src/st.txt
tok df
mkarchive zip tree/deflated.zip app.env=src/df.txt
tok ta
mkarchive tar tree/plain.tar conf/app.env=src/ta.txt
tail_tok tree/plain.tar
tok tg
mkarchive tar.gz tree/rel.tar.gz conf/app.env=src/tg.txt
tail_tok tree/rel.tar.gz
tok sz
mkarchive zip-stored tree/stored-tail.zip app.env=src/sz.txt
tail_tok tree/stored-tail.zip
tok gz
mkarchive gzip tree/log.gz src/gz.txt
tail_tok tree/log.gz
tok bz
mkarchive bzip2 tree/log.bz2 src/bz.txt
tail_tok tree/log.bz2
tok xz
# (xz and zlib refuse bytes after their stream: 1126 has that case)
mkarchive xz tree/log.xz src/xz.txt
tok nz
mkarchive zip-stored src/inner.zip deploy.env=src/nz.txt
mkarchive zip-stored tree/outer.zip inner.zip=src/inner.zip
# one token twice in one stored entry: two findings (one in git), inside
t_two=$(mktoken)
printf 'a=%s\nb=%s\n' "$t_two" "$t_two" >src/two.txt
mkarchive zip-stored tree/two.zip two.env=src/two.txt

inside=$(wc -l <"$WORK/inside")

# check TWICE: the last two reports ($WORK/dec, the --no-decode
# $WORK/out); TWICE: the findings of the token twice in one entry (git
# reports a token once per blob).
check() {
	# every (input, fingerprint) of the plain scan is in the decoded one
	jq -r '.findings[] | "\(.path | split("!")[0]) \(.fingerprint)"' \
		"$WORK/out" | sort -u >"$WORK/p.set"
	jq -r '.findings[] | "\(.path | split("!")[0]) \(.fingerprint)"' \
		"$WORK/dec" | sort -u >"$WORK/d.set"
	_miss=$(comm -23 "$WORK/p.set" "$WORK/d.set")
	[ -z "$_miss" ] || fail "found with --no-decode only: $_miss"
	# no token of an input both plain and from inside
	_both=$(jq -r '[.findings[] | {i: (.path | split("!")[0]),
		fp: .fingerprint, e: (.encoding != null)}] |
		group_by([.i, .fp])[] | select(([.[].e] | unique |
		length) > 1) | .[0].i' "$WORK/dec")
	[ -z "$_both" ] || fail "reported plain and inside in: $_both"
	# exactly: each inside token once (t_two twice), each tail once
	assert_eq "$(jq '.findings | length' "$WORK/dec")" \
		$((inside + $1 + n)) "findings with decoding"
	while read -r _t; do
		assert_eq "$(jq --arg fp "$(fp "$_t")" '[.findings[] |
			select(.fingerprint == $fp and .encoding != null)] |
			length' "$WORK/dec")" 1 "inside findings of a token"
	done <"$WORK/inside"
	while read -r _t; do
		assert_eq "$(jq --arg fp "$(fp "$_t")" '[.findings[] |
			select(.fingerprint == $fp and .encoding == null)] |
			length' "$WORK/dec")" 1 "plain findings of a token"
	done <"$WORK/plain"
	assert_eq "$(jq --arg fp "$(fp "$t_two")" '[.findings[] |
		select(.fingerprint == $fp and .encoding != null)] | length' \
		"$WORK/dec")" "$1" "findings of the token twice in one entry"
}

nfg dir -f json tree
expect_rc 1
expect_no_stderr
cp "$WORK/out" "$WORK/dec"
nfg dir -f json --no-decode tree
expect_rc 1
check 2

mkrepo r
cp tree/* r/
cd r
commit_at '2024-01-01 10:00:00 +0000' 'inputs'
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
cp "$WORK/out" "$WORK/dec"
nfg git -f json --no-decode r
expect_rc 1
check 1
