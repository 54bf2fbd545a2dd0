#!/bin/sh
# nfguard stdin: the path is "stdin" or --label; empty input is reported as
# nothing scanned; the whole token appears only with --show-secret, in
# every format, and never on stderr.
set -eu

t=$(mktoken) t2=$(mktoken 64)
printf 'INFO start\nWARN using token %s for api\r\nINFO x\r\n%s\n' \
	"$t" "$t2" >in.log
size=$(wc -c <in.log | tr -d ' ')

nfg_in in.log stdin -f json
expect_rc 1
expect_no_stderr
expect_count 2
expect_finding stdin 2 18 "$t"
expect_finding stdin 4 1 "$t2"
assert_eq "$(jq_out '.scan.command')" stdin "scan.command"
assert_eq "$(jq_out '.scan.bytes_scanned')" "$size" "scan.bytes_scanned"
assert_eq "$(jq_out '[.findings[] | has("secret")] | any')" false \
	"secret without --show-secret"

nfg_pipe in.log stdin --label app.log -f json
expect_rc 1
expect_count 2
expect_finding app.log 2 18 "$t"
expect_finding app.log 4 1 "$t2"

nfg_in in.log stdin --label 'logs/app 1.log' -f jsonl
expect_rc 1
assert_eq "$(wc -l <"$WORK/out" | tr -d ' ')" 2 "jsonl lines"
assert_eq "$(jq -r '.path' "$WORK/out" | sort -u)" 'logs/app 1.log' \
	"jsonl paths"

# --show-secret: the whole token, as "secret", and in human output.
nfg_in in.log stdin --show-secret -f json
expect_rc 1
assert_eq "$(jq -r --arg fp "$(fp "$t")" \
	'.findings[] | select(.fingerprint == $fp) | .secret' "$WORK/out")" \
	"$t" "secret"
assert_eq "$(jq -r --arg fp "$(fp "$t2")" \
	'.findings[] | select(.fingerprint == $fp) | .secret' "$WORK/out")" \
	"$t2" "secret"
nfg_in in.log stdin --show-secret --no-color
expect_rc 1
grep -qF -- "$t" "$WORK/out" || fail "human --show-secret lacks the token"
grep -qF -- "$t2" "$WORK/out" || fail "human --show-secret lacks the token"

# Without it, neither token appears anywhere, whatever the format.
for f in human json jsonl sarif; do
	nfg_in in.log stdin -f "$f"
	expect_rc 1
	[ -s "$WORK/out" ] || fail "-f $f: empty output"
	for x in "$t" "$t2" "${t#nf_at_}" "${t2#nf_at_}"; do
		if grep -qF -- "$x" "$WORK/out" "$WORK/err"; then
			fail "-f $f: a token appears without --show-secret"
		fi
	done
done
# Redacted form in human output.
nfg_in in.log stdin
expect_rc 1
grep -qF -- "$(redact "$t")" "$WORK/out" ||
	fail "human output lacks the redacted form $(redact "$t")"

# Empty input: a clean exit that says nothing was scanned.
nfg_in /dev/null stdin -f json
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.bytes_scanned')" 0 "scan.bytes_scanned"
expect_stderr 'nfguard: warning: nothing was scanned (0 bytes)'
: >empty
nfg_pipe empty stdin
expect_rc 0
expect_stderr 'nfguard: warning: nothing was scanned (0 bytes)'

# A non-empty input without tokens: no warning, exit 0.
printf 'hello\n' >clean.txt
nfg_in clean.txt stdin -f json
expect_rc 0
expect_count 0
expect_no_stderr

# --exit-code applies to stdin too.
nfg_in in.log stdin --exit-code 3 -f json
expect_rc 3
nfg_in clean.txt stdin --exit-code 3 -f json
expect_rc 0
