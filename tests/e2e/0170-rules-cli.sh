#!/bin/sh
# nfguard rules, rules check, --rules replacing the built-in rules, and the
# help and version interface.
set -eu

rules=$SRCDIR/rules/notiflows.json

# The built-in rules, one "<id>\t<severity>\t<description>" line each,
# from any folder.
nfg rules
expect_rc 0
want=$(jq -r '.rules[] | "\(.id)\t\(.severity)\t\(.description)"' "$rules")
assert_eq "$(cat "$WORK/out")" "$want" "nfguard rules"
grep -q '^notiflows-account-token	critical	' "$WORK/out" ||
	fail "rules lacks notiflows-account-token"

nfg rules check "$rules"
expect_rc 0

# check_fails FILE TEXT...: rules check FILE exits 2 naming every TEXT.
check_fails() {
	_f=$1
	shift
	nfg rules check "$_f"
	expect_rc 2
	for _t in "$@"; do
		expect_stderr "$_t"
	done
	head -n 1 "$WORK/err" | grep -q '^nfguard: ' ||
		fail "stderr: $(cat "$WORK/err")"
}

# Examples are run: a match example that does not match, a no_match
# example that matches.
jq '.rules[0].id = "bad-match-rule" |
	.rules[0].examples.match += ["token: nf_at_{{random:12}}"]' \
	"$rules" >bad-match.json
check_fails bad-match.json bad-match-rule bad-match.json
jq '.rules[0].id = "bad-nomatch-rule" |
	.rules[0].examples.no_match += ["key=nf_at_{{random:40}}"]' \
	"$rules" >bad-nomatch.json
check_fails bad-nomatch.json bad-nomatch-rule
# Bad fields are named with the file and the rule.
jq '.rules[0].id = "bad-pattern-rule" |
	.rules[0].pattern = "(?<secret>nf_at_["' \
	"$rules" >bad-pattern.json
check_fails bad-pattern.json bad-pattern.json bad-pattern-rule pattern
jq '.rules[0].id = "no-group-rule" | .rules[0].pattern = "nf_at_[A-Za-z0-9]+"' \
	"$rules" >no-group.json
check_fails no-group.json no-group-rule pattern
jq '.rules[0].id = "no-pattern-rule" | del(.rules[0].pattern)' \
	"$rules" >no-pattern.json
check_fails no-pattern.json no-pattern.json no-pattern-rule pattern
jq '.rules[0].id = "bad-entropy-rule" | .rules[0].min_entropy = "high"' \
	"$rules" >bad-entropy.json
check_fails bad-entropy.json bad-entropy-rule min_entropy
printf '{"version": 1, "rules": [{"id": "x",\n' >malformed.json
check_fails malformed.json malformed.json
check_fails does-not-exist.json does-not-exist.json

# --rules replaces the built-in rules: a file, or a folder of *.json.
mkdir rules.d
jq '.rules[0] |= (.id = "acme-key" | .description = "Acme key" |
	.severity = "high" | .keywords = ["acme_"] |
	.pattern = "(?<![A-Za-z0-9_])(?<secret>acme_[A-Za-z0-9]{16,64})" +
		"(?![A-Za-z0-9_])" |
	.stopwords = [] | .examples.match = ["k=acme_{{random:20}}"] |
	.examples.no_match = ["acme_short"] | del(.verify) | del(.revoke))' \
	"$rules" >rules.d/acme.json
nfg rules check rules.d/acme.json
expect_rc 0
nfg rules --rules rules.d/acme.json
expect_rc 0
assert_eq "$(cut -f1,2 "$WORK/out")" "acme-key	high" "rules --rules FILE"
cp "$rules" rules.d/notiflows.json
printf 'not a rule file\n' >rules.d/README.md
nfg rules --rules rules.d
expect_rc 0
assert_eq "$(cut -f1 "$WORK/out" | sort | tr '\n' ' ')" \
	"acme-key notiflows-account-token " "rules --rules FOLDER"

mkdir src
t=$(mktoken)
acme=acme_$(rand_body 24)
plant_token "$acme"
printf 'N=%s\nA=%s\n' "$t" "$acme" >src/keys.env
nfg dir -f json --rules rules.d/acme.json src
expect_rc 1
assert_eq "$(jq_out '[.findings[] |
	"\(.rule_id) \(.line):\(.column):\(.end_column)"] | join(",")')" \
	"acme-key 2:3:32" "findings with --rules FILE"
nfg dir -f json --rules rules.d src
expect_rc 1
assert_eq "$(jq_out '[.findings[] | "\(.rule_id) \(.line)"] | join(",")')" \
	"notiflows-account-token 1,acme-key 2" "findings with --rules FOLDER"
expect_finding keys.env 1 3 "$t"

# Version and help.
nfg --version
expect_rc 0
assert_eq "$(head -n 1 "$WORK/out")" "nfguard 0.1.0" "--version"
for args in "help dir" "dir --help" "help stdin" "stdin --help"; do
	# shellcheck disable=SC2086 # split on purpose
	nfg $args
	expect_rc 0
	grep -qF -- '--format' "$WORK/out" || fail "'$args' does not mention --format"
	grep -qF -- '--output' "$WORK/out" || fail "'$args' does not mention --output"
	grep -qi 'exit' "$WORK/out" || fail "'$args' does not document exit status"
done
for args in "help rules" "rules --help"; do
	# shellcheck disable=SC2086
	nfg $args
	expect_rc 0
	grep -qF check "$WORK/out" || fail "'$args' does not mention check"
done
nfg help
expect_rc 0
for c in dir stdin rules help; do
	grep -q "\\<$c\\>" "$WORK/out" || fail "help does not list '$c'"
done
nfg help frobnicate
expect_rc 2
expect_stderr frobnicate
nfg frobnicate
expect_rc 2
expect_stderr frobnicate
