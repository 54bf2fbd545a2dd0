#!/bin/sh
# -f html on a repository's history: each timeline row runs from the
# token's first commit date to the scan (open, not verified), the longest
# exposed first; each card's first appearance (commit, path, line,
# author, date) and every place (with --all-occurrences) as the JSON
# report has them; an author named with quotes and &, and a commit
# message holding a token, as text (the author as JSON text in the card
# data); one repository row with the scan's counts. No whole token in the
# page.
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

q() {
	jq -c "$1" page.json
}

ta=$(mktoken)
tb=$(mktoken)
tc=$(mktoken)
# git drops < and > from names: quotes and & are what is left to escape.
evil='Eve & "Mallory" O'"'"'Neil'
mkrepo repo
(
	cd repo
	printf 'A=%s\n' "$ta" >a.env
	commit_at "2024-01-01 10:00:00 +0000" one
	git rm -q a.env
	commit_at "2024-02-01 10:00:00 +0000" two
	printf 'x\nB=%s\n' "$tb" >b.env
	GIT_AUTHOR_NAME=$evil
	export GIT_AUTHOR_NAME
	commit_at "2025-03-01 10:00:00 +0000" three
	printf 'B=%s\n' "$tb" >c.env
	commit_at "2025-04-01 10:00:00 +0000" "four $tc"
	# An older branch holding only d.env.
	git checkout -q --orphan old
	git rm -q -r --cached .
	rm -f ./*.env
	printf 'AA=%s\n' "$ta" >d.env
	git add d.env
	GIT_AUTHOR_DATE="2023-06-01 10:00:00 +0000" \
		GIT_COMMITTER_DATE="2023-06-01 10:00:00 +0000" \
		git commit -q -m old
	git checkout -q -f main
)

nfg git -f json --all-occurrences repo
expect_rc 1
cp "$WORK/out" report.json
nfg git -f html --all-occurrences -o report.html repo
expect_rc 1
expect_no_stderr
page report.html

assert_eq "$(q '.summary | [.tokens, .findings, .unverified, .errors]')" \
	"[3,$(jq '.scan.findings' report.json),3,0]" "summary"
assert_eq "$(q '.scan | [.command, .refs, .commits, .blobs]')" \
	"$(jq -c '["nfguard git"] + ([.scan.refs, .scan.commits,
		.scan.blobs_scanned] | map(tostring))' report.json)" "scan facts"
started=$(jq -r '.scan.started_at' page.json)
printf '%s\n' "$started" | grep -Eq \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
	fail "started_at '$started'"

# Rows: ta since 2023-06-01 (the older branch), then tb since
# 2025-03-01, then tc since 2025-04-01; all open until the scan.
assert_eq "$(q '[.bars[] | [.fingerprint, .start, .end, .open, .rect]]')" \
	"$(jq -nc --arg a "$(fp "$ta")" --arg b "$(fp "$tb")" \
		--arg c "$(fp "$tc")" --arg s "$started" \
		'[[$a, "2023-06-01T10:00:00Z", $s, "true", true],
		  [$b, "2025-03-01T10:00:00Z", $s, "true", true],
		  [$c, "2025-04-01T10:00:00Z", $s, "true", true]]')" "timeline"
assert_eq "$(q '[.cards[].fingerprint]')" "$(q '[.bars[].fingerprint]')" \
	"cards in the timeline's order"

# card FP FILTER: FILTER on the card of fingerprint FP.
card() {
	jq -c --arg f "$1" ".cards[] | select(.fingerprint == \$f) | $2" \
		page.json
}
# places TOKEN: the JSON report's findings of TOKEN as the card's places.
places() {
	jq -c --arg f "$(fp "$1")" '[.findings[] | select(.fingerprint == $f) |
		{path, line: (.line | tostring), commit: (.commit // ""),
		 reachable: (if has("reachable") then .reachable | tostring
			     else "" end)}] | sort' report.json
}
for t in "$ta" "$tb" "$tc"; do
	assert_eq "$(card "$(fp "$t")" '[.places[] |
		{path, line, commit, reachable}] | sort')" "$(places "$t")" \
		"places of $(redact "$t")"
done
assert_eq "$(card "$(fp "$ta")" '[.places[] | select(.first) | .path]')" \
	'["d.env"]' "ta first appeared in the older branch"
assert_eq "$(card "$(fp "$tb")" '.first | [.commit, .path, .line, .author,
	.date]')" \
	"$(jq -nc --arg c "$(git -C repo rev-parse HEAD~1)" --arg e "$evil" \
		'[$c, "b.env", "2, column 3", ($e + " <author@example.com>"),
		  "2025-03-01T10:00:00Z"]')" "tb first appeared"
assert_eq "$(card "$(fp "$tc")" '.first | [.path, .line]')" \
	'["commit-message","1, column 6"]' "tc in a commit message"
assert_eq "$(card "$(fp "$tc")" '.facts.exposed')" \
	"\"2025-04-01T10:00:00Z until this scan, still open ($(jq -rn \
		--arg s "$started" '(($s | .[0:19] + "Z" | fromdate) -
		("2025-04-01T10:00:00Z" | fromdate)) / 86400 | floor'
	) days)\"" "tc exposed"
assert_eq "$(q '.tags.script')" 2 "script elements (the page's, its card data)"
# The author is in the card data only, as a JSON string.
grep -qF 'Eve \u0026 \"Mallory\" O'"'"'Neil' report.html ||
	fail "the author is not escaped in the card data"

assert_eq "$(q '[.repos[] | [.repository, .status, .cells.tokens,
	.cells.commits, .cells.blobs, .cells.findings]]')" \
	"$(jq -c '[[.scan.repository, "scanned", "3"] +
		([.scan.commits, .scan.blobs_scanned, .scan.findings] |
		map(tostring))]' report.json)" "repository row"
for t in "$ta" "$tb" "$tc"; do
	! grep -qF "$t" report.html || fail "a whole token in the page"
done
