#!/bin/sh
# Verification never weakens transport security: a certificate for another
# host or from an unknown CA is "unknown" (tls), tried once and never over
# plain http; plain http only to loopback (refused before any request or
# scan otherwise, from --api-url or NOTIFLOWS_BASE_URL); bad URLs, CA
# files and verify specs are errors (exit 2) that never echo a token.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start

t=$(mktok LIVE)
printf 'NOTIFLOWS_TOKEN=%s\n' "$t" >in.env

# Certificate for the wrong host, even from the trusted CA: unknown (tls),
# one connection, no request, no fallback to http.
nfg_in in.env stdin -f json --verify --api-url "$API_WRONG" \
	--cacert "$CA_FILE"
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: 1 token could not be verified (tls: certificate not trusted or not for this host: 1)" "stderr"
assert_eq "$(jq_out '.findings[0].verification |
	"\(.status)|\(.reason)|\(has("http_status"))"')" \
	"unknown|tls: certificate not trusted or not for this host|false" \
	"wrong-host certificate"
assert_eq "$(api_stat '.listeners.wrong.connections')" 1 \
	"connections to the wrong-host listener (not retried)"
assert_eq "$(api_stat '.listeners.wrong.requests')" 0 "requests sent over it"
assert_eq "$(api_stat '.listeners.http.requests')" 0 "requests over http"
assert_eq "$(requests_for "$t")" 0 "whoami requests for the token"

# The right host but a CA we do not trust (no --cacert): the same.
nfg_in in.env stdin -f json --verify --api-url "$API_HTTPS"
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification |
	"\(.status)|\(.reason)"')" \
	"unknown|tls: certificate not trusted or not for this host" \
	"untrusted CA"
assert_eq "$(requests_for "$t")" 0 "whoami requests for the token"
# localhost is loopback too: it works over https with the CA.
port=${API_HTTPS##*:}
nfg_in in.env stdin -f json --verify --api-url "https://localhost:$port" \
	--cacert "$CA_FILE"
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification.status')" live "via localhost"
assert_eq "$(requests_for "$t")" 1 "whoami requests for the token"

# Plain http to anything but loopback: exit 2 before the scan and before
# any request, whether from --api-url or from NOTIFLOWS_BASE_URL.
before=$(api_stat '[.listeners[].requests] | add')
for url in http://example.com http://10.0.0.1:8080 http://127.0.0.1.nip.io \
	"http://[::2]/"; do
	nfg_in in.env stdin --verify --api-url "$url"
	expect_rc 2
	expect_stderr "nfguard: --api-url: plain http is allowed only to a loopback address"
	[ ! -s "$WORK/out" ] || fail "a report was written for $url"
done
NOTIFLOWS_BASE_URL=http://example.com nfg dir --verify .
expect_rc 2
expect_stderr "nfguard: NOTIFLOWS_BASE_URL: plain http is allowed only to a loopback address"
for url in ftp://127.0.0.1/ "https://user:pw@127.0.0.1/" \
	"https://127.0.0.1/?x=1" "not a url"; do
	nfg_in in.env stdin --verify --api-url "$url"
	expect_rc 2
done
assert_eq "$(api_stat '[.listeners[].requests] | add')" "$before" \
	"requests after refused URLs"
# NOTIFLOWS_BASE_URL is honoured; --api-url wins over it.
NOTIFLOWS_BASE_URL=$API_HTTP nfg_in in.env stdin -f json --verify
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification.status')" live \
	"NOTIFLOWS_BASE_URL"
NOTIFLOWS_BASE_URL=http://example.com nfg_in in.env stdin -f json --verify \
	--api-url "$API_HTTP"
expect_rc 1
assert_eq "$(requests_for "$t")" 3 "whoami requests for the token"
# (some shells keep an assignment made before a function call)
unset NOTIFLOWS_BASE_URL

# A --cacert that cannot be read: exit 2 before the scan.
nfg_in in.env stdin --verify --api-url "$API_HTTPS" --cacert nope.pem
expect_rc 2
expect_stderr "nfguard: cannot open 'nope.pem': No such file or directory"

# Nothing on a closed port: unknown (connect), after retries.
nfg_in in.env stdin -f json --verify --api-url "http://127.0.0.1:1"
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification.reason')" \
	"connect: cannot connect after 4 attempts" "closed port"

# A bad verify spec is an error naming file, rule and field: in
# `rules check` and before a --verify scan (a plain scan does not care).
jq '.rules[0].verify.path = "/whoami?token={{secret}}"' \
	"$SRCDIR/rules/notiflows.json" >bad-path.json
jq '.rules[0].verify.headers = {"Authorization": "Bearer x"}' \
	"$SRCDIR/rules/notiflows.json" >no-secret.json
jq '.rules[0].verify.live = [200, 700]' \
	"$SRCDIR/rules/notiflows.json" >bad-live.json
jq '.rules[0].verify.method = "TRACE"' \
	"$SRCDIR/rules/notiflows.json" >bad-method.json
jq '.rules[0].verify.retries = 3' \
	"$SRCDIR/rules/notiflows.json" >bad-key.json
for f in bad-path:path no-secret:headers bad-live:'live[1]' \
	bad-method:method bad-key:retries; do
	file=${f%%:*}.json field=${f#*:}
	nfg rules check "$file"
	expect_rc 2
	expect_stderr "nfguard: $file: rule 'notiflows-account-token': field 'verify.$field':"
	nfg_in in.env stdin --rules "$file" --verify --api-url "$API_HTTP"
	expect_rc 2
	expect_stderr "field 'verify.$field':"
	nfg_in in.env stdin --rules "$file"
	expect_rc 1
done
nfg rules check "$SRCDIR/rules/notiflows.json"
expect_rc 0
# A rule without a verify request: its findings are unknown, not errors.
jq 'del(.rules[0].verify)' "$SRCDIR/rules/notiflows.json" >no-verify.json
nfg_in in.env stdin -f json --rules no-verify.json --verify \
	--api-url "$API_HTTP"
expect_rc 1
assert_eq "$(jq_out '.findings[0].verification.reason')" \
	"the rule has no verify request" "rule without verify"

# nfguard verify never takes tokens from argv, and never echoes them.
nfg verify "$t"
expect_rc 2
expect_stderr "verify takes no operands"
if grep -qF -- "${t#nf_at_}" "$WORK/err"; then
	fail "the token from argv was echoed"
fi
