#!/bin/sh
# --revoke against the stand-in Management API: for each behaviour of the
# revoke endpoint the exact revocation status, http_status and reason; a
# revoked token answers 401 on whoami afterwards; 429 is retried; 500 is
# retried then revoke_failed; 404/405 give revoke_unsupported with the
# dashboard guidance; invalid and unknown tokens are never revoked (the
# server counts DELETE requests); JSON, JSONL, SARIF and human output; the
# exit status; no token in any output.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

mktok_tree REVOK NOREV NOMETH RLIMIT RFAIL STICKY DEAD TEAPOT
# --yes without --revoke is a usage error, like --dry-run and --audit-log.
for o in --yes --dry-run "--audit-log=x.jsonl"; do
	nfg dir "$o" tree
	expect_rc 2
	expect_stderr "needs --revoke"
done
[ ! -e nfguard-audit.jsonl ] || fail "an audit log without --revoke"
# rules check validates the revoke request, naming rule and field; a scan
# with --revoke refuses such a rule before any request.
sed 's/"revoked": \[200, 204\]/"revoked": [200, 2040]/' \
	"$SRCDIR/rules/notiflows.json" >badrev.json
nfg rules check badrev.json
expect_rc 2
expect_stderr "badrev.json: rule 'notiflows-account-token': field 'revoke.revoked[1]': must be an HTTP status (100..599)"
nfg dir --rules badrev.json --revoke --yes --api-url "$API_HTTP" tree
expect_rc 2
expect_stderr "field 'revoke.revoked[1]'"
assert_eq "$(api_stat '[.listeners[].requests] | add')" 0 "requests with a bad rule"
rm -f nfguard-audit.jsonl

nfg dir -f json --revoke --yes --api-url "$API_HTTP" tree
expect_rc 1
expect_count 8
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: $HOME/.local/state/nfguard/audit.jsonl
nfguard: warning: 1 token could not be verified (unexpected status 418: 1)" "stderr"

# r TOKEN KEY: the token's revocation.KEY as text ("<absent>" if none).
r() {
	token_field "$1" revocation "$2"
}
# check TOKEN STATUS HTTP_STATUS REASON DELETES
check() {
	_n="${1%"${1#nf_at_????}"}…"
	assert_eq "$(r "$1" status)" "$2" "$_n status"
	assert_eq "$(r "$1" http_status)" "$3" "$_n http_status"
	assert_eq "$(r "$1" reason)" "$4" "$_n reason"
	assert_eq "$(deletes_for "$1")" "$5" "$_n DELETE requests"
	r "$1" at | grep -Eq \
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' ||
		fail "$_n at '$(r "$1" at)' is not ISO 8601 UTC"
}
guide() {
	printf 'the API cannot revoke tokens (%s): delete the token in the Notiflows dashboard, https://app.notiflows.com/account-tokens, in project Mock Project (slug mock-project, id prj_%s), named after the system that used it; then give that system a new token' \
		"$1" "$(fp "$2" | cut -c8-15)"
}
check "$tok_REVOK" revoked 204 '<absent>' 1
check "$tok_RLIMIT" revoked 204 '<absent>' 2
check "$tok_NOREV" revoke_unsupported 404 "$(guide 404 "$tok_NOREV")" 1
check "$tok_NOMETH" revoke_unsupported 405 "$(guide 405 "$tok_NOMETH")" 1
check "$tok_RFAIL" revoke_failed 500 'server error 500 after 4 attempts' 4
check "$tok_STICKY" revoke_failed 200 \
	'the API accepted the revoke request (204) but the token still works (whoami 200)' 1
check "$tok_DEAD" skipped '<absent>' \
	'not live: the API rejected the token (401)' 0
check "$tok_TEAPOT" skipped '<absent>' \
	'not known to be live: unexpected status 418' 0
for t in "$tok_REVOK" "$tok_RFAIL" "$tok_STICKY" "$tok_NOREV"; do
	r "$t" request_id | grep -Eq '^req_[0-9]{6}$' ||
		fail "request_id '$(r "$t" request_id)'"
done
# Verification is what the API said before revocation.
assert_eq "$(jq -r --arg fp "$(fp "$tok_REVOK")" '.findings[] |
	select(.fingerprint == $fp) | .verification.status' "$WORK/out")" \
	live "verification of the revoked token"
# Each revoked token was asked whoami again (verify, then re-check).
assert_eq "$(requests_for "$tok_REVOK")" 2 "whoami requests of REVOK"
assert_eq "$(requests_for "$tok_DEAD")" 1 "whoami requests of DEAD"

# Revoked means revoked: whoami now answers 401.
printf '%s\n%s\n' "$tok_REVOK" "$tok_RLIMIT" >revoked.txt
nfg_in revoked.txt verify -f json --api-url "$API_HTTP"
expect_rc 0
assert_eq "$(jq_out '[.findings[].verification | "\(.status) \(.http_status)"] |
	join(",")')" "invalid 401,invalid 401" "whoami after revocation"

# No token in any output or in the audit log.
for f in human json jsonl sarif; do
	nfg dir -f "$f" --revoke --yes --api-url "$API_HTTP" \
		--audit-log "a-$f.jsonl" tree
	expect_rc 1
	for m in REVOK NOREV NOMETH RLIMIT RFAIL STICKY DEAD TEAPOT; do
		eval "t=\$tok_$m"
		if grep -qF -- "${t#nf_at_}" "$WORK/out" "$WORK/err" \
			nfguard-audit.jsonl "a-$f.jsonl"; then
			fail "-f $f: a token appears in an output"
		fi
	done
	case $f in
	jsonl)
		assert_eq "$(jq -r --arg fp "$(fp "$tok_NOREV")" \
			'select(.fingerprint == $fp) | .revocation.status' \
			"$WORK/out")" revoke_unsupported "jsonl revocation"
		;;
	sarif)
		assert_eq "$(jq -r --arg fp "$(fp "$tok_RFAIL")" \
			'.runs[0].results[] |
			select(.partialFingerprints[] == $fp) |
			.properties.revocation.status' "$WORK/out")" \
			revoke_failed "SARIF properties.revocation"
		;;
	human)
		grep -qF "revoke unsupported: $(guide 404 "$tok_NOREV")" \
			"$WORK/out" || fail "human: no unsupported guidance"
		grep -qF "revoke failed: server error 500 after 4 attempts (status 500, request req_" \
			"$WORK/out" || fail "human: no revoke failed line"
		grep -qF "revoke skipped: not live: the API rejected the token (401)" \
			"$WORK/out" || fail "human: no skipped line"
		# REVOK and RLIMIT were revoked by the first run: now invalid.
		grep -qxF "revocation: 8 tokens found, 4 live, 0 revoked, 2 failed, 2 unsupported" \
			"$WORK/out" || fail "human summary: $(grep revocation: "$WORK/out")"
		grep -qF "4 live tokens not revoked: delete them in the dashboard" \
			"$WORK/out" || fail "human: no remediation for live tokens"
		grep -qF "rewrite git" "$WORK/out" ||
			fail "human: no history remediation"
		;;
	esac
done

# A fresh revocable token: human REVOKED line and summary; the exit
# status under --fail-on live is 0 once nothing live remains.
t=$(mktok REVOK)
printf 'T=%s\n' "$t" >one.env
nfg dir --revoke --yes --fail-on live --api-url "$API_HTTP" --no-color one.env
expect_rc 0
grep -qF "REVOKED  whoami now answers 401 (status 204, request req_" \
	"$WORK/out" || fail "human: no REVOKED line"
grep -qxF "revocation: 1 token found, 1 live, 1 revoked, 0 failed, 0 unsupported" \
	"$WORK/out" || fail "human summary: $(grep revocation: "$WORK/out")"
grep -qF "give each system that used a revoked token a new one" \
	"$WORK/out" || fail "human: no rotation remediation"
# A token that stays live fails --fail-on live.
t=$(mktok RFAIL)
printf 'T=%s\n' "$t" >fail.env
nfg dir --revoke --yes --fail-on live --api-url "$API_HTTP" fail.env
expect_rc 1
# An unreachable API can neither verify nor revoke: the token is skipped
# and, since it may be live, fails --fail-on live with 1 (2 is for
# nfguard's own errors).
nfg dir --revoke --yes --api-url http://127.0.0.1:1 --verify-timeout 1 \
	--fail-on live fail.env
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: audit log: $HOME/.local/state/nfguard/audit.jsonl
nfguard: warning: 1 token could not be verified (connect: cannot connect after 4 attempts: 1)" "stderr"
grep -qF "revoke skipped: not known to be live: connect: cannot connect" \
	"$WORK/out" || fail "unreachable API: $(cat "$WORK/out")"
# An audit log that cannot be opened is an error before any request.
before=$(api_stat '[.listeners[].requests] | add')
nfg dir --revoke --yes --api-url "$API_HTTP" --audit-log nodir/a.jsonl tree
expect_rc 2
expect_stderr "nfguard: cannot open the audit log 'nodir/a.jsonl': No such file or directory"
assert_eq "$(api_stat '[.listeners[].requests] | add')" "$before" \
	"requests with an unwritable audit log"
