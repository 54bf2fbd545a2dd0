#!/bin/sh
# --verify against the stand-in Management API (tests/mockapi): for each
# behaviour the exact status, http_status, reason, project and request id;
# retries as the server counts them; the redirect target never gets the
# token; the same results over HTTPS with the test CA; SARIF, JSONL and
# human output; no token in any output without --show-secret.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start --slow-seconds 3

mktok_tree LIVE DEAD HINT RATE FLAKY DOWN SLOW JUNK BIG TEAPOT REDIR

# v TOKEN KEY: the token's verification.KEY as text ("<absent>" if none).
v() {
	token_field "$1" verification "$2"
}

# check TOKEN STATUS HTTP_STATUS REASON REQUESTS: the last report says
# STATUS, HTTP_STATUS and REASON for TOKEN, and the server got REQUESTS
# whoami requests for it in total so far.
check() {
	assert_eq "$(v "$1" status)" "$2" "${1%"${1#nf_at_????}"}… status"
	assert_eq "$(v "$1" http_status)" "$3" "${1%"${1#nf_at_????}"}… http_status"
	assert_eq "$(v "$1" reason)" "$4" "${1%"${1#nf_at_????}"}… reason"
	assert_eq "$(requests_for "$1")" "$5" "${1%"${1#nf_at_????}"}… requests"
	checked=$(v "$1" checked_at)
	printf '%s' "$checked" |
		grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
		fail "checked_at '$checked' is not ISO 8601 UTC"
}

start=$(date +%s)
nfg dir -f json --verify --api-url "$API_HTTP" --verify-timeout 1 tree
end=$(date +%s)
expect_rc 1
expect_count 11
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 6 tokens could not be verified (body is not the documented JSON: 1; redirect 302 not followed: 1; response body larger than 64 KiB: 1; server error 500 after 4 attempts: 1; timeout after 4 attempts: 1; unexpected status 418: 1)" "stderr"
assert_eq "$(jq_out '.scan.verification | "\(.tokens) \(.live) \(.invalid) \(.unknown)"')" \
	"11 4 1 6" "scan.verification"
for m in LIVE DEAD HINT RATE FLAKY DOWN SLOW JUNK BIG TEAPOT REDIR; do
	eval "t=\$tok_$m"
	if grep -qF -- "${t#nf_at_}" "$WORK/out" "$WORK/err"; then
		fail "a token appears in the report without --show-secret"
	fi
done
check "$tok_LIVE" live 200 '<absent>' 1
check "$tok_DEAD" invalid 401 '<absent>' 1
check "$tok_HINT" live 200 '<absent>' 2
check "$tok_RATE" live 200 '<absent>' 2
check "$tok_FLAKY" live 200 '<absent>' 2
check "$tok_DOWN" unknown 500 'server error 500 after 4 attempts' 4
check "$tok_SLOW" unknown '<absent>' 'timeout after 4 attempts' 4
check "$tok_JUNK" unknown 200 'body is not the documented JSON' 1
check "$tok_BIG" unknown 200 'response body larger than 64 KiB' 1
check "$tok_TEAPOT" unknown 418 'unexpected status 418' 1
check "$tok_REDIR" unknown 302 'redirect 302 not followed' 1
# 4 attempts of 1 s for SLOW, with backoff between them: bounded.
[ $((end - start)) -lt 30 ] || fail "verification took $((end - start)) s"

# Project and request ids: the header's, or the error body's.
lfp=$(fp "$tok_LIVE")
assert_eq "$(jq -r --arg fp "$lfp" '.findings[] | select(.fingerprint == $fp) |
	.verification.project | "\(.id) \(.name) \(.slug)"' "$WORK/out")" \
	"prj_$(printf '%s' "$lfp" | cut -c8-15) Mock Project mock-project" \
	"project of the live token"
for t in "$tok_LIVE" "$tok_DEAD" "$tok_DOWN" "$tok_REDIR"; do
	v "$t" request_id | grep -Eq '^req_[0-9]{6}$' ||
		fail "request_id '$(v "$t" request_id)'"
done
assert_eq "$(v "$tok_SLOW" request_id)" '<absent>' "request_id without response"
assert_eq "$(v "$tok_DEAD" project)" '<absent>' "project of an invalid token"
assert_eq "$(v "$tok_JUNK" project)" '<absent>' "project of a junk answer"

# The redirect was not followed: the target never saw a request, let
# alone the token.
assert_eq "$(api_stat '.listeners.target.requests')" 0 "redirect target requests"
assert_eq "$(api_stat '.listeners.target.with_auth')" 0 "redirect target tokens"
assert_eq "$(api_stat '.user_agents | join(",")')" "nfguard/0.1.0" "User-Agent"

# Retry-After: 1 is honoured: RATE alone takes at least a second.
printf 't=%s\n' "$(mktok RATE)" >rate.txt
s0=$(date +%s%N)
nfg_in rate.txt stdin -f json --verify --api-url "$API_HTTP"
s1=$(date +%s%N)
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification.status')" live "RATE status"
[ $(((s1 - s0) / 1000000)) -ge 1000 ] ||
	fail "Retry-After: 1 not honoured ($(((s1 - s0) / 1000000)) ms)"

# HTTPS with the test CA: the same answers (fresh tokens, fresh counts).
: >tls.env
for m in LIVE DEAD FLAKY TEAPOT; do
	t=$(mktok "$m")
	eval "tls_$m=\$t"
	printf 'K_%s=%s\n' "$m" "$t" >>tls.env
done
nfg_in tls.env stdin -f json --verify --api-url "$API_HTTPS" \
	--cacert "$CA_FILE"
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 1 token could not be verified (unexpected status 418: 1)" "stderr"
check "$tls_LIVE" live 200 '<absent>' 1
check "$tls_DEAD" invalid 401 '<absent>' 1
check "$tls_FLAKY" live 200 '<absent>' 2
check "$tls_TEAPOT" unknown 418 'unexpected status 418' 1

# JSONL carries the same object; SARIF: level error for live tokens only,
# verification in the result's properties.
nfg_in tls.env stdin -f jsonl --verify --api-url "$API_HTTP"
expect_rc 1
assert_eq "$(jq -r --arg fp "$(fp "$tls_LIVE")" \
	'select(.fingerprint == $fp) | .verification.status' "$WORK/out")" \
	live "jsonl status"
nfg_in tls.env stdin -f sarif --verify --api-url "$API_HTTP"
expect_rc 1
assert_eq "$(jq -r '[.runs[0].results[] |
	"\(.level) \(.properties.verification.status)"] | sort | join(",")' \
	"$WORK/out")" \
	"error invalid,error live,error live,error unknown" "SARIF levels"
# (the built-in rule is critical, so every result is an error anyway;
# with a low-severity rule only the live ones are)
sed 's/"severity": "critical"/"severity": "low"/' \
	"$SRCDIR/rules/notiflows.json" >low.json
nfg_in tls.env stdin -f sarif --rules low.json --verify --api-url "$API_HTTP"
expect_rc 1
assert_eq "$(jq -r '[.runs[0].results[] |
	"\(.level) \(.properties.verification.status)"] | sort | join(",")' \
	"$WORK/out")" \
	"error live,error live,note invalid,note unknown" "SARIF levels (low rule)"

# Human: LIVE with the project, then the summary of distinct tokens.
nfg_in tls.env stdin --verify --api-url "$API_HTTP" --no-color
expect_rc 1
grep -qF "LIVE  project Mock Project (slug mock-project, id prj_" "$WORK/out" ||
	fail "human output lacks the LIVE line"
grep -qF "invalid: the API rejected the token (401)" "$WORK/out" ||
	fail "human output lacks the invalid line"
grep -qF "unknown: unexpected status 418" "$WORK/out" ||
	fail "human output lacks the unknown line"
grep -qxF "verified 4 tokens: 2 live, 1 invalid, 1 unknown" "$WORK/out" ||
	fail "human summary: $(tail -n 1 "$WORK/out")"

# No token anywhere without --show-secret, in any format.
for f in human json jsonl sarif; do
	nfg_in tls.env stdin -f "$f" --verify --api-url "$API_HTTP"
	expect_rc 1
	for m in LIVE DEAD FLAKY TEAPOT; do
		eval "t=\$tls_$m"
		if grep -qF -- "${t#nf_at_}" "$WORK/out" "$WORK/err"; then
			fail "-f $f: a token appears without --show-secret"
		fi
	done
done
# --show-secret shows them (the report is the user's to protect).
nfg_in tls.env stdin -f json --show-secret --verify --api-url "$API_HTTP"
expect_rc 1
assert_eq "$(jq -r --arg fp "$(fp "$tls_LIVE")" '.findings[] |
	select(.fingerprint == $fp) | .secret' "$WORK/out")" "$tls_LIVE" \
	"secret with --show-secret"
