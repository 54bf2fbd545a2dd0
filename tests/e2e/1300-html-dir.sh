#!/bin/sh
# -f html on a folder: a page that tests/e2e/htmlreport.py parses (one
# style and one script, both allowed by their hash in the CSP, no URL but
# #fragments, no on* attribute, no element from the data), the counts of
# the JSON report, one card and one timeline row per token, in the
# contract's order (no commit date: by fingerprint), shown as undated;
# each card's details in the card data its script builds them from;
# hostile file names as text; one repository row. No whole token in the
# page, not even with --show-secret, nor the token a file name holds (a
# dir scan does not report it: it is redacted all the same).
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

t1=$(mktoken)
t2=$(mktoken)
t3=$(mktoken)
mkdir tree
printf 'KEY=%s\n' "$t1" >tree/app.env
hostile='<img src=x onerror=alert(1)>.env'
printf 'x\nKEY="%s"\n' "$t2" >"tree/$hostile"
printf 'KEY=%s\n' "$t2" >"tree/$t3.txt"

# page FILE: FILE parsed (the checks of every page) into page.json.
# q FILTER: jq -c FILTER on page.json.
q() {
	jq -c "$1" page.json
}

nfg dir -f json tree
expect_rc 1
cp "$WORK/out" report.json
nfg dir -f html -o report.html tree
expect_rc 1
expect_no_stderr
page report.html

n=$(jq '.scan.findings' report.json)
assert_eq "$n" 3 "findings in the JSON report"
assert_eq "$(q '.summary')" \
	"{\"errors\":0,\"failed\":0,\"findings\":$n,\"invalid\":0,\"live\":0,\"repositories\":1,\"revoked\":0,\"skipped\":0,\"tokens\":2,\"unknown\":0,\"unverified\":2}" \
	"summary"
assert_eq "$(q '.scan | [.command, .targets, .files, .bytes, .version]')" \
	"$(jq -c '["nfguard dir", "tree", (.scan.files_scanned | tostring),
		(.scan.bytes_scanned | tostring), .tool.version]' report.json)" \
	"scan facts"
assert_eq "$(q '.scan.rules_digest')" "$(jq -c .tool.rules_digest report.json)" \
	"rules digest"
assert_eq "$(q '.problems')" '[]' "problems"
assert_eq "$(q '.tags.img // 0')" 0 "img elements"
assert_eq "$(q '.tags.script')" 2 "script elements (the page's, its card data)"

# No date: every row undated and open, in fingerprint order.
want=$(for t in "$t1" "$t2"; do fp "$t"; echo; done | sort |
	jq -R . | jq -sc .)
assert_eq "$(q '[.bars[].fingerprint]')" "$want" "timeline rows"
assert_eq "$(q '[.cards[].fingerprint]')" "$want" "cards"
assert_eq "$(q '[.bars[] | [.start, .end, .open, .status, .rect]] | unique')" \
	'[["","","true","unverified",false]]' "undated rows"
assert_eq "$(q '[.bars[].href]')" "$(q '[.cards[] | "#" + .id]')" \
	"timeline links to the cards"
# Each card: its token, id, status and the line of where it first
# appeared (what the page shows without script).
for t in "$t1" "$t2"; do
	f=$(fp "$t")
	case $t in
	"$t1") seen="first in app.env line 1; 1 finding" ;;
	*) seen="first in $hostile line 2; 2 findings" ;;
	esac
	assert_eq "$(jq -r --arg f "$f" \
		'.cards[] | select(.fingerprint == $f) |
		[.token, .id, .status, .revocation, .seen] | @tsv' \
		page.json)" \
		"$(printf '%s\tt-%s\tunverified\tnone\t%s' "$(redact "$t")" \
			"${f#sha256:}" "$seen")" "card of $(redact "$t")"
done

# t2's card: both places, the hostile name as text, the other file's
# name (t3) redacted; the first place is the first finding.
f2=$(fp "$t2")
assert_eq "$(jq -c --arg f "$f2" '.cards[] | select(.fingerprint == $f) |
	[.places[] | [.path, .line, .first]]' page.json)" \
	"$(jq -nc --arg h "$hostile" --arg r "$(redact "$t3").txt" \
		'[[$h, "2", true], [$r, "1", false]]')" "places of t2"
assert_eq "$(jq -r --arg f "$f2" '.cards[] | select(.fingerprint == $f) |
	.first | [.path, .line] | @tsv' page.json)" \
	"$(printf '%s\t2, column 6' "$hostile")" "first place of t2"
jq -r --arg f "$f2" '.cards[] | select(.fingerprint == $f) | .next' \
	page.json | grep -q '^What to do next fix (notiflows-account-token):' ||
	fail "no fix advice on t2's card"
grep -qF '&lt;img src=x onerror=alert(1)&gt;.env' report.html ||
	fail "the hostile name is not escaped text"

# One row: the folder.
assert_eq "$(q '[.repos[] | [.repository, .status, .cells.tokens,
	.cells.findings]]')" "[[\"tree\",\"scanned\",\"2\",\"$n\"]]" "repos"
assert_eq "$(q '.sort_keys')" \
	'["repository","status","tokens","live","findings","commits","blobs","bytes","error"]' \
	"sortable columns"
assert_eq "$(q '.filter')" '["","scanned","failed","empty"]' "filter"

# Never a whole token, not even with --show-secret (whose JSON has them).
nfg dir -f html --show-secret -o shown.html tree
expect_rc 1
nfg dir -f json --show-secret -o shown.json tree
expect_rc 1
for t in "$t1" "$t2" "$t3"; do
	grep -qF "$t" shown.json || fail "the JSON report lacks a token"
	! grep -qF "$t" report.html shown.html ||
		fail "a whole token in the HTML report"
done
page shown.html
assert_eq "$(q '[.cards[].fingerprint]')" "$want" "cards with --show-secret"
