#!/bin/sh
# Redaction leaves at least 13 body characters hidden (2^65 candidates at
# 5 bits each) and shows at most a quarter of the body, 8 at most: R =
# min(8, floor(B / 4), B - 13) characters, the head taking the odd one. A
# 16-character body (the rule's minimum) shows 2 + 1, in every format.
set -eu

mkdir tree
t16=$(mktoken 16)
b16=${t16#nf_at_}
# The expected form spelled out, not through lib.sh's redact.
want16=$(printf 'nf_%s_%s…%s' at "$(printf '%s' "$b16" | cut -c1-2)" \
	"$(printf '%s' "$b16" | cut -c16)")
printf 'T=%s\n' "$t16" >tree/a.env

nfg dir -f json tree
expect_rc 1
expect_count 1
assert_eq "$(jq_out '.findings[0].secret_redacted')" "$want16" \
	"json secret_redacted of a 16-character body"
assert_eq "$(bytelen "$(jq_out '.findings[0].secret_redacted')")" 12 \
	"bytes of the redacted form (6 + 2 + 3 for U+2026 + 1)"

nfg dir tree
expect_rc 1
assert_eq "$(head -n 1 "$WORK/out")" \
	"a.env:1:3  notiflows-account-token (critical)  $want16" "human finding line"
expect_no_output "$(printf '%s' "$b16" | cut -c1-3)…"

nfg dir -f sarif tree
expect_rc 1
assert_eq "$(jq_out '.runs[0].results[0].message.text')" \
	"Rule notiflows-account-token matched the secret $want16." \
	"sarif message"

# Other lengths: 20 shows 3 + 2, 28 shows 4 + 3, 32 and the maximum 256
# show 4 + 4 as before.
rm tree/a.env
for n in 20 28 32 256; do
	printf 'T=%s\n' "$(mktoken "$n")" >"tree/b$n.env"
done
nfg dir -f json tree
expect_rc 1
expect_count 4
for n in 20 28 32 256; do
	tok=$(sed -n 's/^T=//p' "tree/b$n.env")
	body=${tok#nf_at_}
	case $n in
	20) h=3 t=2 ;;
	28) h=4 t=3 ;;
	*) h=4 t=4 ;;
	esac
	assert_eq "$(jq -r --arg p "b$n.env" \
		'.findings[] | select(.path == $p) | .secret_redacted' \
		"$WORK/out")" \
		"nf_at_$(printf '%s' "$body" | cut -c1-"$h")…$(printf '%s' "$body" |
			cut -c$((n - t + 1))-)" "secret_redacted of a $n-character body"
done
