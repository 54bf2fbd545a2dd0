#!/bin/sh
# Tokens in disguise, in text: base64 (both alphabets, the three byte
# alignments, MIME-wrapped lines, base64 of base64), UTF-16 (either byte
# order, with and without a BOM) and base64 of UTF-16LE, in files, stdin
# and git blobs. Each is found once at the raw bytes that encode it, with
# its encoding chain and the decoded token's fingerprint; --no-decode,
# --decode and --decode-depth choose and bound what runs.
set -eu

mkdir t
t0=$(mktoken) t1=$(mktoken) t2=$(mktoken 40) tu=$(mktoken) tw=$(mktoken)
tk=$(mktoken) tl=$(mktoken) tb=$(mktoken) tp=$(mktoken)

b64() { base64 -w0; }

# cols PREFIX_LEN OFFSET LEN: "column end_column" of a token at character
# OFFSET (LEN characters) of UTF-16 text after PREFIX_LEN raw bytes: its
# own code units.
cols() {
	echo "$(($1 + 1 + 2 * $2)) $(($1 + 1 + 2 * ($2 + $3)))"
}

# run PREFIX_LEN FILE: "column end_column" of the base64 run that is the
# rest of FILE's one line after PREFIX_LEN bytes (a base64 finding's
# location is its whole run).
run() {
	_n=$(head -n1 "$2" | tr -d '\n' | wc -c)
	echo "$(($1 + 1)) $((_n + 1))"
}

# The three alignments: the token after 2, 3 and 4 bytes (":" before it).
printf 'auth: %s\n' "$(printf 'a:%s' "$t0" | b64)" >t/align0.yml
printf 'auth: %s\n' "$(printf 'ab:%s' "$t1" | b64)" >t/align1.yml
printf 'auth: %s\n' "$(printf 'abc=%s' "$t2" | b64)" >t/align2.yml
# URL-safe alphabet: bytes that encode to '-' and '_' around the token.
printf 'x=%s\n' "$(printf '\373\377:%s:\373\377' "$tu" | b64 | tr '+/' '-_' | tr -d '=')" >t/urlsafe.txt
# MIME wrapping at 20 characters: the token starts on line 2.
printf 'line one of a message\nTOKEN=%s\n' "$tw" | base64 -w 20 >t/wrapped.txt
# base64 of base64, as a Kubernetes Secret holds a Docker config.json.
inner=$(printf 'user:%s' "$tk" | b64)
printf '{"auths":{"r":{"auth":"%s"}}}' "$inner" | b64 >t/dockerconfig.b64
# UTF-16LE with a BOM, UTF-16BE without one, base64 of UTF-16LE.
{ printf '\377\376'; printf 'T="%s"\n' "$tl" | iconv -t UTF-16LE; } >t/le.ps1
printf 'T="%s"\n' "$tb" | iconv -t UTF-16BE >t/be.reg
printf 'powershell -EncodedCommand %s\n' \
	"$(printf '$env:T="%s"' "$tp" | iconv -t UTF-16LE | b64)" >t/enc.cmd

check_all() { # PREFIX: path prefix of every file ("" for dir t)
	set -- "$1" $(run 6 t/align0.yml)
	expect_git "$t0" path="${1}align0.yml" line=1 column="$2" \
		end_column="$3" end_line='<absent>' encoding='["base64"]'
	set -- "$1" $(run 6 t/align1.yml)
	expect_git "$t1" path="${1}align1.yml" line=1 column="$2" \
		end_column="$3" encoding='["base64"]'
	set -- "$1" $(run 6 t/align2.yml)
	expect_git "$t2" path="${1}align2.yml" line=1 column="$2" \
		end_column="$3" encoding='["base64"]'
	set -- "$1" $(run 2 t/urlsafe.txt)
	expect_git "$tu" path="${1}urlsafe.txt" line=1 column="$2" \
		end_column="$3" encoding='["base64"]'
	# The whole file is the run: from its first line to its last.
	expect_git "$tw" path="${1}wrapped.txt" line=1 column=1 \
		end_line="$(wc -l <t/wrapped.txt)" \
		end_column="$(($(tail -n1 t/wrapped.txt | tr -d '\n' | wc -c) + 1))" \
		encoding='["base64"]'
	set -- "$1" $(run 0 t/dockerconfig.b64)
	expect_git "$tk" path="${1}dockerconfig.b64" line=1 column="$2" \
		end_column="$3" encoding='["base64","base64"]'
	set -- "$1" $(cols 2 3 38)
	expect_git "$tl" path="${1}le.ps1" line=1 column="$2" \
		end_column="$3" encoding='["utf16le"]'
	set -- "$1" $(cols 0 3 38)
	expect_git "$tb" path="${1}be.reg" line=1 column="$2" \
		end_column="$3" encoding='["utf16be"]'
	set -- "$1" $(run 27 t/enc.cmd)
	expect_git "$tp" path="${1}enc.cmd" line=1 column="$2" \
		end_column="$3" encoding='["base64","utf16le"]'
}

# Files.
nfg dir t -f json
expect_rc 1
expect_no_stderr
expect_count 9
check_all ""
assert_eq "$(jq_out '.scan.decoders | join(",")')" \
	base64,utf16,gzip,zlib,bzip2,xz,zip,tar "scan.decoders"
assert_eq "$(jq_out '[.scan.decode_limited, .scan.decode_failed] | join(" ")')" \
	"0 0" "decode counters"
# The fingerprint is the decoded token's: the same as in plain text.
assert_eq "$(jq -r '.findings[] | select(.path == "align0.yml") | .fingerprint' "$WORK/out")" \
	"$(fp "$t0")" "fingerprint of a decoded token"

# Stdin.
nfg_in t/dockerconfig.b64 stdin -f json
expect_rc 1
expect_count 1
expect_git "$tk" path=stdin line=1 encoding='["base64","base64"]'

# Git blobs.
mkrepo r
cp t/* r/
(cd r && commit_at "2024-01-02 03:04:05 +0000" add)
nfg git r -f json
expect_rc 1
expect_count 9
check_all ""

# SARIF lists the chain in the result's properties.
nfg dir t/enc.cmd -f sarif
expect_rc 1
assert_eq "$(jq_out '.runs[0].results[0].properties.encoding | join(">")')" \
	"base64>utf16le" "SARIF properties.encoding"

# Human: the chain on its own line.
nfg dir t/dockerconfig.b64
expect_rc 1
grep -qx '    encoded base64 > base64' "$WORK/out" ||
	fail "human report lacks the encoding line"

# --no-decode: only plain text; the report says no decoder ran.
nfg dir t -f json --no-decode
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.decoders | length')" 0 "decoders with --no-decode"

# --decode base64: UTF-16 is not decoded, base64 of UTF-16 stops short.
nfg dir t -f json --decode base64
expect_rc 1
expect_count 6
expect_no_token "$tl"
expect_no_token "$tb"
expect_no_token "$tp"

# --decode-depth 1: base64 of base64 is cut short, said and counted, exit 2.
nfg dir t/dockerconfig.b64 -f json --decode-depth 1
expect_rc 2
expect_count 0
expect_stderr "nfguard: 't/dockerconfig.b64': encoded text nested deeper than 1 layer was not decoded (--decode-depth)"
assert_eq "$(jq_out '.scan.decode_limited')" 1 "scan.decode_limited"

# A bad list is refused.
nfg dir t --decode base64,rot13
expect_rc 2
expect_stderr "nfguard: --decode: unknown decoder 'rot13'"

# The false-positive side: a large base64 image and random bytes as UTF-16.
head -c 300000 /dev/urandom | b64 >t2.b64
nfg dir t2.b64 -f json
expect_rc 0
expect_count 0
