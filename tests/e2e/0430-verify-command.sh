#!/bin/sh
# nfguard verify: tokens on stdin, one per line; empty input is a clean
# no-op; lines that are not tokens are errors named by line number only;
# --fail-on live|any chooses the exit status, for verify and scans.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

# Empty input (and blank lines only): exit 0, nothing on stderr, no request.
: >empty
nfg_in empty verify --api-url "$API_HTTP"
expect_rc 0
expect_no_stderr
printf '\n  \n\r\n' >blank
nfg_in blank verify -f json --api-url "$API_HTTP"
expect_rc 0
expect_no_stderr
expect_count 0
assert_eq "$(jq_out '.scan.command')" verify "scan.command"
assert_eq "$(api_stat '[.listeners[].requests] | add')" 0 "requests"

l=$(mktok LIVE) d=$(mktok DEAD) u=$(mktok TEAPOT)
printf '%s\n  %s\t\r\n\n%s\n%s\n' "$l" "$d" "$u" "$l" >tokens.txt
nfg_in tokens.txt verify -f json --api-url "$API_HTTP"
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)" "stderr"
expect_count 4
assert_eq "$(jq_out '[.findings[] | "\(.path):\(.line) \(.verification.status)"] |
	join(",")')" "stdin:1 live,stdin:2 invalid,stdin:4 unknown,stdin:5 live" \
	"verify report"
assert_eq "$(requests_for "$l")" 1 "requests for a token given twice"

# Exit status: verify fails on a live token or one that could not be
# verified (may be live), on any token with --fail-on any.
printf '%s\n' "$d" >notlive.txt
nfg_in notlive.txt verify --api-url "$API_HTTP"
expect_rc 0
expect_no_stderr
nfg_in notlive.txt verify --api-url "$API_HTTP" --fail-on any
expect_rc 1
printf '%s\n%s\n' "$d" "$u" >notlive.txt
nfg_in notlive.txt verify --api-url "$API_HTTP"
expect_rc 1
nfg_in tokens.txt verify --api-url "$API_HTTP" --fail-on live --exit-code 3
expect_rc 3

# Scans: --fail-on any (default) fails on any finding, live only on live.
mkdir tree
printf 'T=%s\n' "$d" >tree/a.env
nfg dir --verify --api-url "$API_HTTP" tree
expect_rc 1
nfg dir --verify --api-url "$API_HTTP" --fail-on live tree
expect_rc 0
grep -qF "invalid: the API rejected the token (401)" "$WORK/out" ||
	fail "the invalid finding is still reported"
printf 'T=%s\n' "$l" >tree/b.env
nfg dir --verify --api-url "$API_HTTP" --fail-on live tree
expect_rc 1
nfg dir --fail-on live tree
expect_rc 2
expect_stderr "nfguard: --fail-on live needs --verify"
nfg dir --verify --fail-on sometimes tree
expect_rc 2
expect_stderr "nfguard: --fail-on: 'sometimes' is not live or any"

# A line that is not exactly one token: exit 2, named by its number, the
# other tokens still verified and reported; its text is never echoed.
printf '%s\nhello %s\nnf_at_short\n%s %s\n' "$l" "$d" "$u" "$u" >bad.txt
nfg_in bad.txt verify -f json --api-url "$API_HTTP"
expect_rc 2
# A token among other text points at the command that finds it there
# (once); the other lines say what a line must be.
assert_eq "$(cat "$WORK/err")" "nfguard: stdin:2: not a token, but a token among other text: to find the tokens in text such as NAME=token lines, use 'nfguard stdin --verify'
nfguard: stdin:3: not a token (a line must be exactly one token of a rule)
nfguard: stdin:4: not a token (a line must be exactly one token of a rule)" \
	"stderr"

# A flood of bad lines: ten named, the rest counted in one line.
i=0
while [ $i -lt 25 ]; do
	printf 'line %d\n' $i
	i=$((i + 1))
done >flood.txt
printf '%s\n' "$l" >>flood.txt
nfg_in flood.txt verify -f json --api-url "$API_HTTP"
expect_rc 2
expect_count 1
assert_eq "$(wc -l <"$WORK/err" | tr -d ' ')" 11 "stderr lines"
assert_eq "$(sed -n 10p "$WORK/err")" \
	"nfguard: stdin:10: not a token (a line must be exactly one token of a rule)" \
	"tenth line"
assert_eq "$(sed -n 11p "$WORK/err")" \
	"nfguard: ... and 15 more lines that are not tokens" "last line"
expect_count 1
for x in "${d#nf_at_}" "${u#nf_at_}" "${l#nf_at_}" short; do
	if grep -qF -- "$x" "$WORK/err"; then
		fail "stderr echoes a line"
	fi
done

# Options and help.
nfg verify --verify-concurrency 0
expect_rc 2
expect_stderr "--verify-concurrency:"
nfg verify --verify-timeout 301
expect_rc 2
nfg help verify
expect_rc 0
grep -qF -- "--api-url URL" "$WORK/out" || fail "help verify lacks --api-url"
nfg help dir
grep -qF -- "--verify " "$WORK/out" || fail "help dir lacks --verify"
