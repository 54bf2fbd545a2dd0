#!/bin/sh
# nfguard merge fails closed: reports made with other rules are refused
# (rules digest compared, layout and descriptions aside), as are reports
# whose fields have the wrong type or whose secret does not match its
# fingerprint; a report that recorded a failed repository, a shard
# missing, a repository in two reports and unknown fields make it exit 2
# with its report written; JSONL only with --accept-jsonl, said to be
# partial; --verify without the tokens says so and leaves them unknown.
set -eu

t1=$(mktoken) t2=$(mktoken)
mkrepo a
(
	cd a
	printf 'k=%s\n' "$t1" >a.env
	commit_at '2024-01-01 00:00:00 +0000' one
)
mkrepo b
(
	cd b
	printf 'x\nk=%s\n' "$t2" >b.env
	commit_at '2024-01-02 00:00:00 +0000' one
)

nfg git -f json -o ab.json a b
expect_rc 1
own=$(jq -r .tool.rules_digest ab.json)
case $own in sha256:????????????????????????????????????????????????????????????????) ;;
*) fail "tool.rules_digest: '$own'" ;;
esac

# Another rule set: the same rule id, another severity.
jq '.rules[0].severity = "low"' "$SRCDIR/rules/notiflows.json" >low.json
nfg git --rules low.json -f json -o low.json.report a b
expect_rc 1
other=$(jq -r .tool.rules_digest low.json.report)
nfg merge ab.json low.json.report
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: low.json.report: made with other rules ($other) than those loaded ($own)" \
	"other rules"
assert_eq "$(cat "$WORK/out")" "" "no report"
nfg merge --rules low.json -f json low.json.report
expect_rc 1
# Layout and descriptions do not change the rule set.
jq '.rules[0].description = "another text"' "$SRCDIR/rules/notiflows.json" \
	>same.json
nfg merge --rules same.json -f json ab.json
expect_rc 1
assert_eq "$(jq -c '[.findings[].fingerprint]' "$WORK/out")" \
	"[\"$(fp "$t1")\",\"$(fp "$t2")\"]" "same rules, merged"

# A failed repository: the merge exits 2 and says which report.
nfg git -f json -o fail.json a missing
expect_rc 2
nfg merge -f json fail.json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'fail.json' recorded 1 failed repository and 1 error: the merged report is incomplete
nfguard: 'missing': cannot open 'missing': No such file or directory" \
	"a failed repository"
assert_eq "$(jq -c '[.scan.errors, [.scan.repositories[] | .status],
	[.findings[].repository]]' "$WORK/out")" \
	'[1,["scanned","failed"],["a"]]' "the failed repository's report"

# The same report twice: findings once, the overlap an error.
nfg merge -f json ab.json ab.json
expect_rc 2
assert_eq "$(jq '.findings | length' "$WORK/out")" 2 "findings once"
expect_stderr "nfguard: 'ab.json': repository 'a' is in another report too: its totals are counted twice"

# Shards: one missing.
nfg git --shard 1/2 -f json -o s1.json a b
nfg merge -f json s1.json
expect_rc 2
expect_stderr "nfguard: shard 2/2 is missing: its repositories are not in the merged report"

# Hostile reports: a count of the wrong type, a secret that is not the
# fingerprint's, a field not known.
jq '.scan.errors = "0"' ab.json >bad.json
nfg merge bad.json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: bad.json: errors: must be a whole number from 0 to 2^53" \
	"wrong type"
nfguard_exec git --show-secret -f json -o secret.json a b || [ $? -eq 1 ]
jq --arg t "$(mktoken)" '.findings[0].secret = $t' secret.json >forged.json
rm secret.json
nfg merge forged.json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: forged.json: secret: does not match the fingerprint" "forged"
rm forged.json
jq '.scan.future = 1' ab.json >u.json
nfg merge -f json u.json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'u.json': fields this merge does not know were left out: scan.future" \
	"unknown field"
printf 'not json\n' >junk.json
nfg merge junk.json
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: junk.json:1: malformed JSON near line 1" "junk"

# JSONL: refused, unless accepted as partial.
nfg git -f jsonl -o ab.jsonl a b
expect_rc 1
nfg merge -f json ab.jsonl
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'ab.jsonl': a JSONL report holds no scan totals, repository entries or rules digest: the merge would be partial (--accept-jsonl merges it anyway)" \
	"JSONL refused"
nfg merge --accept-jsonl -f json ab.jsonl
expect_rc 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 'ab.jsonl': JSONL: the merged totals and repository entries are partial, its rules checked by id only
nfguard: warning: nothing was scanned (0 bytes)" "JSONL accepted"
assert_eq "$(jq -c .findings "$WORK/out")" "$(jq -c .findings ab.json)" \
	"JSONL findings"
assert_eq "$(jq -c '[.scan.repositories[] | [.repository, .findings]]' "$WORK/out")" \
	'[["a",1],["b",1]]' "JSONL repositories"

# --verify after the merge: the report holds no token, so none is sent.
nfg merge --verify --api-url http://127.0.0.1:1 -f json ab.json
expect_rc 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: warning: 2 tokens could not be verified (the report does not hold the token (--show-secret): 2)" \
	"verify without tokens"
assert_eq "$(jq -c '[.findings[].verification | [.status, .reason]] | unique' "$WORK/out")" \
	'[["unknown","the report does not hold the token (--show-secret)"]]' \
	"unknown, and why"
