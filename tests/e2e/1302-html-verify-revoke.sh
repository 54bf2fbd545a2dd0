#!/bin/sh
# -f html after --verify --revoke against the stand-in API, on a history:
# the counts (live, invalid, unknown, revoked); the timeline's order (live
# and not revoked first, then unknown, then revoked, then invalid); a
# revoked token's bar closed at its revocation time and an invalid one's
# at the time it was checked, the others open until the scan; each card's
# verification, project, revocation and advice. No whole token.
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

card() {
	jq -r --arg f "$(fp "$1")" \
		".cards[] | select(.fingerprint == \$f) | $2" page.json
}

# Committed oldest first: DEAD, REVOK, TEAPOT, NOREV (live, the API
# cannot revoke it), so the order below is not the commits'.
mkrepo repo
n=0
for m in DEAD REVOK TEAPOT NOREV; do
	n=$((n + 1))
	t=$(mktok "$m")
	eval "tok_$m=\$t"
	printf 'T=%s\n' "$t" >"repo/$m.env"
	(cd repo && commit_at "2024-0$n-01 10:00:00 +0000" "add $m")
done

nfg git -f html -o report.html --verify --revoke --yes \
	--api-url "$API_HTTP" repo
expect_rc 1
page report.html
assert_eq "$(jq -c '.summary | [.tokens, .live, .invalid, .unknown,
	.unverified, .revoked]' page.json)" '[4,2,1,1,0,1]' "summary"
assert_eq "$(jq -c '[.bars[] | [.fingerprint, .status, .revocation, .open,
	.start]]' page.json)" \
	"$(jq -nc --arg n "$(fp "$tok_NOREV")" --arg t "$(fp "$tok_TEAPOT")" \
		--arg r "$(fp "$tok_REVOK")" --arg d "$(fp "$tok_DEAD")" '[
		[$n, "live", "revoke_unsupported", "true", "2024-04-01T10:00:00Z"],
		[$t, "unknown", "skipped", "true", "2024-03-01T10:00:00Z"],
		[$r, "live", "revoked", "false", "2024-02-01T10:00:00Z"],
		[$d, "invalid", "skipped", "false", "2024-01-01T10:00:00Z"]]')" \
	"timeline"
started=$(jq -r '.scan.started_at' page.json)
# end TOKEN: its bar's end.
end() {
	jq -r --arg f "$(fp "$1")" \
		'.bars[] | select(.fingerprint == $f) | .end' page.json
}
assert_eq "$(end "$tok_NOREV")" "$started" "NOREV open until the scan"
assert_eq "$(end "$tok_TEAPOT")" "$started" "TEAPOT open until the scan"
for m in REVOK DEAD; do
	eval "t=\$tok_$m"
	e=$(end "$t")
	printf '%s\n' "$e" | grep -Eq \
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
		fail "$m ends at '$e'"
	[ "$e" \> "$started" ] || fail "$m ends at $e, before the scan began"
done
case $(card "$tok_REVOK" .facts.revocation) in
"revoked at $(end "$tok_REVOK") (HTTP 204)") ;;
*) fail "REVOK revocation: $(card "$tok_REVOK" .facts.revocation)" ;;
esac
case $(card "$tok_DEAD" .facts.verification) in
"invalid, checked $(end "$tok_DEAD") (HTTP 401)") ;;
*) fail "DEAD verification: $(card "$tok_DEAD" .facts.verification)" ;;
esac
assert_eq "$(card "$tok_NOREV" .facts.project)" \
	"Mock Project (slug mock-project, id prj_$(fp "$tok_NOREV" | cut -c8-15))" \
	"NOREV project"
assert_eq "$(card "$tok_TEAPOT" .facts.project)" null "TEAPOT project"
assert_eq "$(card "$tok_TEAPOT" .facts.verification)" \
	"unknown, checked $(card "$tok_TEAPOT" '.facts.verification |
		.[17:41]') (HTTP 418): unexpected status 418" \
	"TEAPOT verification"
# Advice: a dead token is not to be revoked; a live one the API could
# not revoke is not sent back to nfguard revoke: its revocation says to
# delete it in the dashboard.
card "$tok_DEAD" .next | grep -q 'nothing to revoke' ||
	fail "DEAD's advice: $(card "$tok_DEAD" .next)"
! card "$tok_NOREV" .next | grep -q "nfguard revoke" ||
	fail "NOREV's advice: $(card "$tok_NOREV" .next)"
card "$tok_NOREV" .facts.revocation |
	grep -q "^revoke_unsupported.*delete the token in the Notiflows dashboard" ||
	fail "NOREV revocation: $(card "$tok_NOREV" .facts.revocation)"
for m in DEAD REVOK TEAPOT NOREV; do
	eval "t=\$tok_$m"
	! grep -qF "$t" report.html || fail "a whole token in the page"
done
