#!/bin/sh
# A server that echoes the token it was sent (in x-request-id, in the
# project's fields, in an error) never puts it in the report or the
# audit log: the echoed copies read as the token's redacted form.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

e=$(mktok ECHO) r=$(mktok RECHO)
mkdir tree
printf 'E=%s\nR=%s\n' "$e" "$r" >tree/a.env
re=$(redact "$e") rr=$(redact "$r")

nfg dir -f json --verify --api-url "$API_HTTP" tree
expect_rc 1
assert_eq "$(jq -r --arg fp "$(fp "$e")" '.findings[] |
	select(.fingerprint == $fp) | .verification |
	"\(.status)|\(.project.id)|\(.project.name)|\(.project.slug)|\(.request_id)"' \
	"$WORK/out")" "live|prj_$re|Project $re|$re-slug|rq-$re" "echoed verification"
no_copy() {
	for _f in "$WORK/out" "$WORK/err" "$@"; do
		! grep -qF -- "$e" "$_f" && ! grep -qF -- "$r" "$_f" ||
			fail "$_f holds a whole token"
	done
}
no_copy

nfg dir -f json --revoke --yes --audit-log audit.jsonl \
	--api-url "$API_HTTP" tree
expect_rc 1
assert_eq "$(jq -r --arg fp "$(fp "$r")" '.findings[] |
	select(.fingerprint == $fp) | .revocation |
	"\(.status)|\(.request_id)"' "$WORK/out")" \
	"revoke_failed|rq-$rr" "echoed revocation"
assert_eq "$(jq -r --arg fp "$(fp "$r")" 'select(.fingerprint == $fp and
	.action == "revoke_failed") | .request_id' audit.jsonl)" "rq-$rr" \
	"audit log request id"
no_copy audit.jsonl
