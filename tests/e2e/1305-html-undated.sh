#!/bin/sh
# data-open on the timeline rows of tokens without a date (a dir scan),
# after --verify --revoke against the stand-in API: a row is open while
# the token's exposure has not ended (live and not revoked, unknown, not
# verified), closed once it has (revoked, invalid), with or without a
# date; each undated row and card says how it stands in words, with the
# time it ended. No rect, no start or end for them. No whole token.
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

mkdir tree
for m in DEAD REVOK TEAPOT NOREV; do
	t=$(mktok "$m")
	eval "tok_$m=\$t"
	printf 'T=%s\n' "$t" >"tree/$m.env"
done

nfg dir -f html -o report.html --verify --revoke --yes \
	--api-url "$API_HTTP" tree
expect_rc 1
page report.html

# row TOKEN: its row's open, start, end, status, revocation and whether
# it has a rect; note TOKEN: the words of its undated row.
row() {
	jq -c --arg f "$(fp "$1")" '.bars[] | select(.fingerprint == $f) |
		[.open, .start, .end, .status, .revocation, .rect]' page.json
}
note() {
	jq -r --arg f "$(fp "$1")" \
		'.bars[] | select(.fingerprint == $f) | .note' page.json
}
exposed() {
	jq -r --arg f "$(fp "$1")" \
		'.cards[] | select(.fingerprint == $f) | .facts.exposed' page.json
}
card() {
	jq -r --arg f "$(fp "$1")" \
		".cards[] | select(.fingerprint == \$f) | $2" page.json
}
assert_eq "$(jq -c '.summary | [.tokens, .live, .invalid, .unknown,
	.unverified, .revoked]' page.json)" '[4,2,1,1,0,1]' "summary"
assert_eq "$(row "$tok_NOREV")" \
	'["true","","","live","revoke_unsupported",false]' "NOREV's row"
assert_eq "$(row "$tok_TEAPOT")" '["true","","","unknown","skipped",false]' \
	"TEAPOT's row"
assert_eq "$(row "$tok_REVOK")" '["false","","","live","revoked",false]' \
	"REVOK's row"
assert_eq "$(row "$tok_DEAD")" '["false","","","invalid","skipped",false]' \
	"DEAD's row"
open="no commit date: found in files, not in history; still open"
for m in NOREV TEAPOT; do
	eval "t=\$tok_$m"
	assert_eq "$(note "$t")" "$open" "$m's row in words"
	assert_eq "$(exposed "$t")" "$open" "$m exposed"
done
# The time each ended: the revocation's and the check's, as the card's
# revocation and verification give them.
revoked_at=$(card "$tok_REVOK" .facts.revocation | sed -n \
	's/^revoked at \([^ ]*\) (HTTP 204)$/\1/p')
checked_at=$(card "$tok_DEAD" .facts.verification | sed -n \
	's/^invalid, checked \([^ ]*\) (HTTP 401)$/\1/p')
for at in "$revoked_at" "$checked_at"; do
	printf '%s\n' "$at" | grep -Eq \
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
		fail "an end time '$at'"
done
ended="no commit date: found in files, not in history;"
assert_eq "$(note "$tok_REVOK")" "$ended revoked at $revoked_at" \
	"REVOK's row in words"
assert_eq "$(exposed "$tok_REVOK")" "$ended revoked at $revoked_at" \
	"REVOK exposed"
assert_eq "$(note "$tok_DEAD")" "$ended found invalid at $checked_at" \
	"DEAD's row in words"
assert_eq "$(exposed "$tok_DEAD")" "$ended found invalid at $checked_at" \
	"DEAD exposed"
# The title of each row says the same.
grep -qF "no commit date, revoked at $revoked_at</title>" report.html ||
	fail "REVOK's title"
grep -qF "no commit date, still open</title>" report.html ||
	fail "an open row's title"

# Without --verify every undated row is open.
nfg dir -f html -o plain.html tree
expect_rc 1
page plain.html
assert_eq "$(jq -c '[.bars[] | [.open, .status, .revocation, .rect]] |
	unique' page.json)" '[["true","unverified","none",false]]' \
	"rows of a scan without --verify"
for f in report.html plain.html; do
	! grep -qF -f "$WORK/planted" "$f" || fail "$f holds a whole token"
done
