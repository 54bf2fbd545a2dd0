#!/bin/sh
# An incomplete scan's page says so: exit 2 with the page written (here to
# standard output), #summary's errors and skipped as the JSON report's,
# every problem of the scan listed with its kind, count and message (a
# file name with markup and invalid UTF-8 as text, its bytes as \xNN), the
# folder's row failed. Standard input scans and a scan with nothing found
# write a page too (no card, no row in the timeline, said in words).
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -r /proc/self/mem ] || skip "no /proc/self/mem here"

q() {
	jq -c "$1" page.json
}

mkdir tree
t=$(mktoken)
printf 'T=%s\n' "$t" >"$(printf 'tree/<i>\377.env')"
bad=/proc/self/mem

nfg dir -f json tree "$bad"
expect_rc 2
cp "$WORK/out" report.json
nfg dir -f html tree "$bad"
expect_rc 2
cp "$WORK/out" report.html
page report.html
assert_eq "$(q '.summary | [.errors, .skipped, .failed, .tokens]')" \
	"$(jq -c '[.scan.errors, .scan.skipped, 1, 1]' report.json)" "summary"
assert_eq "$(q '[.problems[] | [.class, .kind, .count, .text]]')" \
	"$(jq -c '[.scan.problems[] | ["problem " + .kind, .kind,
		(.count | tostring), .kind + ": " + .message]]' report.json)" \
	"problems"
assert_eq "$(q '.problems | length')" 1 "one problem"
assert_eq "$(q '[.repos[] | .status]')" '["failed"]' "the folder's row"
assert_eq "$(q '[.cards[].places[].path]')" '["tree/<i>\\xFF.env"]' \
	"the place's path"
grep -qF '<h2>Incomplete: 1 error, what follows may miss tokens</h2>' \
	report.html || fail "no incomplete heading"

# --skip-unreadable: a skipped problem, not an error; exit 1.
nfg dir -f html --skip-unreadable tree "$bad"
expect_rc 1
cp "$WORK/out" skipped.html
page skipped.html
assert_eq "$(q '.summary | [.errors, .skipped, .failed]')" '[0,1,0]' \
	"skipped summary"
assert_eq "$(q '[.problems[] | [.kind, .count]]')" '[["skipped","1"]]' \
	"skipped problem"

# stdin, and nothing found: a page all the same.
printf 'T=%s\n' "$t" >in.txt
nfg_in in.txt stdin -f html --label in.txt
expect_rc 1
cp "$WORK/out" stdin.html
page stdin.html
assert_eq "$(q '[.scan.command, .summary.tokens, (.cards[0].places |
	map(.path))]')" '["nfguard stdin",1,["in.txt"]]' "stdin page"
mkdir clean
printf 'nothing here\n' >clean/a.txt
nfg dir -f html clean
expect_rc 0
expect_no_stderr
cp "$WORK/out" clean.html
page clean.html
assert_eq "$(q '[.summary.tokens, .summary.findings, (.bars | length),
	(.cards | length), .problems, (.repos | map(.status))]')" \
	'[0,0,0,0,[],["scanned"]]' "a clean page"
grep -qF '<p>No token was found.</p>' clean.html || fail "no words for none"
! grep -qF "$t" report.html skipped.html stdin.html ||
	fail "a whole token in the page"
