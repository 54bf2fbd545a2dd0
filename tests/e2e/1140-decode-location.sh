#!/bin/sh
# Where a decoded token is reported: the raw bytes a person deletes. For
# base64 the whole run, on one line or wrapped over several (PEM armour,
# a MIME part after its blank line, an XML element), base64 of base64 at
# the outer run; for UTF-16 (a .ps1 with a BOM) the token's code units.
# JSON, SARIF and the human report agree, in files, stdin and git blobs.
set -eu

mkdir t
tk=$(mktoken) tp=$(mktoken) tm=$(mktoken) tx=$(mktoken) td=$(mktoken)
tu=$(mktoken)

# len FILE N: bytes on line N of FILE, its line break left out.
len() { sed -n "${2}p" "$1" | tr -d '\r\n' | wc -c; }

# A Kubernetes Secret: the value is the run, after "  token: ".
printf 'apiVersion: v1\nkind: Secret\ndata:\n  token: %s\n' \
	"$(printf 'user:%s' "$tk" | base64 -w0)" >t/secret.yaml
# PEM armour around 64-column lines: the run is the lines between.
{
	echo '-----BEGIN NFGUARD NOTE-----'
	printf 'a note that wraps over lines, NF=%s, and goes on a bit\n' \
		"$tp" | base64 -w 64
	echo '-----END NFGUARD NOTE-----'
} >t/note.pem
pem_last=$(($(wc -l <t/note.pem) - 1))
# A MIME part: headers, a blank line, 76-column lines, a blank line.
{
	printf 'Subject: config\nContent-Transfer-Encoding: base64\n\n'
	printf 'settings for the deploy job follow here\nNF_TOKEN=%s\n' \
		"$tm" | base64 -w 76
	printf '\n--boundary--\n'
} >t/part.eml
mime_last=$(($(wc -l <t/part.eml) - 2))
# An XML element wrapped at 16 columns: from after <v> to before </v>.
printf '<cfg><v>%s</v></cfg>\n' \
	"$(printf 'k:%s:end' "$tx" | base64 -w 16)" >t/data.xml
xml_last=$(wc -l <t/data.xml)
# base64 of base64: a Secret holding a Docker config.json.
printf 'kind: Secret\ndata:\n  .dockerconfigjson: %s\n' "$(printf \
	'{"auths":{"r.example":{"auth":"%s"}}}' \
	"$(printf 'u:%s' "$td" | base64 -w0)" | base64 -w0)" >t/docker.yaml
# UTF-16LE with a BOM, CRLF lines: line 2 starts with the 0 byte of the
# line feed, then '$env:NF = "' (11 characters, 22 bytes).
{
	printf '\377\376'
	printf '# set the token\r\n$env:NF = "%s"\r\n' "$tu" |
		iconv -t UTF-16LE
} >t/run.ps1

check_all() { # PREFIX: what stands before each file's name in path
	expect_git "$tk" path="${1}secret.yaml" line=4 column=10 \
		end_line='<absent>' end_column=$(($(len t/secret.yaml 4) + 1)) \
		encoding='["base64"]'
	expect_git "$tp" path="${1}note.pem" line=2 column=1 \
		end_line="$pem_last" \
		end_column=$(($(len t/note.pem "$pem_last") + 1)) \
		encoding='["base64"]'
	expect_git "$tm" path="${1}part.eml" line=4 column=1 \
		end_line="$mime_last" \
		end_column=$(($(len t/part.eml "$mime_last") + 1)) \
		encoding='["base64"]'
	expect_git "$tx" path="${1}data.xml" line=1 column=9 \
		end_line="$xml_last" \
		end_column=$(($(len t/data.xml "$xml_last") - 10 + 1)) \
		encoding='["base64"]'
	expect_git "$td" path="${1}docker.yaml" line=3 column=22 \
		end_line='<absent>' end_column=$(($(len t/docker.yaml 3) + 1)) \
		encoding='["base64","base64"]'
	expect_git "$tu" path="${1}run.ps1" line=2 column=24 \
		end_line='<absent>' end_column=$((24 + 2 * ${#tu})) \
		encoding='["utf16le"]'
}

# Files.
nfg dir t -f json
expect_rc 1
expect_no_stderr
expect_count 6
check_all ""

# The fingerprint stays the decoded token's.
assert_eq "$(jq -r '.findings[] | select(.path == "note.pem") | .fingerprint' "$WORK/out")" \
	"$(fp "$tp")" "fingerprint of a token in a PEM run"

# SARIF: the region is the same bytes, over the same lines.
nfg dir t/note.pem -f sarif
expect_rc 1
assert_eq "$(jq_out '.runs[0].results[0].locations[0].physicalLocation.region |
	"\(.startLine):\(.startColumn):\(.endLine):\(.endColumn)"')" \
	"2:1:$pem_last:$(($(len t/note.pem "$pem_last") + 1))" "SARIF region"

# Human: the path, the run's first line and column.
nfg dir t/part.eml
expect_rc 1
grep -q '^t/part.eml:4:1  notiflows-account-token (critical)  ' "$WORK/out" ||
	fail "human report lacks t/part.eml:4:1"

# Stdin.
nfg_in t/note.pem stdin -f json
expect_rc 1
expect_count 1
expect_git "$tp" path=stdin line=2 column=1 end_line="$pem_last" \
	end_column=$(($(len t/note.pem "$pem_last") + 1))
nfg_in t/run.ps1 stdin -f json
expect_rc 1
expect_count 1
expect_git "$tu" path=stdin line=2 column=24 end_column=$((24 + 2 * ${#tu}))

# Git blobs.
mkrepo r
cp t/* r/
(cd r && commit_at "2024-01-02 03:04:05 +0000" add)
nfg git r -f json
expect_rc 1
expect_no_stderr
expect_count 6
check_all ""

# A sweep's report with end_line reads back (merge): the field is kept.
echo r >repos.txt
nfg git --repos-from repos.txt --shard 1/1 -f json -o a.json
expect_rc 1
nfg merge a.json -f json
expect_rc 1
expect_no_stderr
expect_git "$tp" end_line="$pem_last"
