#!/bin/sh
# .nfguard.json: defaults for the flags, found from the scan root upward to
# the repository root (or named with --config FILE). Keys tested: rules
# (extra rule files, added to the built-in ones), allow_paths (globs),
# exit_code, format, ignore_file. Flags win. An unknown key, a bad value
# or malformed JSON is exit 2 naming the file (and the key).
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken)
acme=acme_$(rand_body 24)
plant_token "$acme"

mkrepo proj
cd proj
mkdir -p src/fixtures src/deep config
jq '.rules[0] |= (.id = "acme-key" | .description = "Acme key" |
	.severity = "high" | .keywords = ["acme_"] |
	.pattern = "(?<![A-Za-z0-9_])(?<secret>acme_[A-Za-z0-9]{16,64})" +
		"(?![A-Za-z0-9_])" |
	.stopwords = [] | .examples.match = ["k=acme_{{random:20}}"] |
	.examples.no_match = ["acme_short"] | del(.verify) | del(.revoke))' \
	"$SRCDIR/rules/notiflows.json" >config/acme-rules.json
printf 'A=%s\nK=%s\n' "$t1" "$acme" >src/app.env
printf 'F=%s\n' "$t2" >src/fixtures/fixture.env
printf 'S=%s\n' "$t3" >src/deep/out.snap
cat >.nfguard.json <<'EOF'
{
  "exit_code": 3,
  "format": "jsonl",
  "allow_paths": ["fixtures/", "*.snap"],
  "rules": ["config/acme-rules.json"]
}
EOF

# Discovered from the scan root (proj/src) upward: jsonl, exit 3, the
# allowed paths not reported, the extra rule added to the built-in one.
cd src
nfg dir .
expect_rc 3
assert_eq "$(wc -l <"$WORK/out" | tr -d ' ')" 2 "jsonl lines"
assert_eq "$(jq -r '"\(.path):\(.line):\(.rule_id)"' "$WORK/out" | sort | tr '\n' ' ')" \
	"app.env:1:notiflows-account-token app.env:2:acme-key " "jsonl findings"
cd ..

# Flags win over the file.
nfg dir -f json --exit-code 1 src
expect_rc 1
expect_count 2
expect_finding app.env 1 3 "$t1"
expect_no_token "$t2"
expect_no_token "$t3"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 2 \
	"scan.suppressed.allowed_paths"
assert_eq "$(jq_out '[.findings[] | select(.rule_id == "acme-key")] | length')" 1 \
	"acme-key findings"

# --no-config reads none (scanning untrusted changes).
nfg dir --no-config -f json src
expect_rc 1
expect_count 3
assert_eq "$(jq_out '[.findings[] | select(.rule_id == "acme-key")] | length')" 0 \
	"acme-key findings with --no-config"

# staged and git read the repository root's file.
git add -A
nfg staged -f json --exit-code 1
expect_rc 1
expect_count 2
expect_no_token "$t2"
git commit -q -m all
nfg git -f json --exit-code 1
expect_rc 1
expect_count 2
nfg git
expect_rc 3

# --config FILE: that file, not the discovered one.
printf '{"format": "json", "exit_code": 4, "allow_paths": ["app.env"]}\n' \
	>"$top/ci.json"
nfg dir --config "$top/ci.json" src
expect_rc 4
expect_count 2
expect_finding fixtures/fixture.env 1 3 "$t2"
expect_finding deep/out.snap 1 3 "$t3"
expect_no_token "$t1"
nfg dir --config "$top/missing.json" src
expect_rc 2
expect_stderr "missing.json"

# ignore_file names the .nfguardignore to use.
printf '%s\n' "$(fp "$t1")" >config/ignores
cat >.nfguard.json <<'EOF'
{"format": "json", "ignore_file": "config/ignores",
 "rules": ["config/acme-rules.json"], "allow_paths": ["fixtures/", "*.snap"]}
EOF
nfg dir src
expect_rc 1
expect_count 1
assert_eq "$(jq -r '.findings[0].rule_id' "$WORK/out")" acme-key "rule left"

# Errors name the file and the key.
printf '{"format": "json", "colour": true}\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json: unknown key 'colour'"
printf '{"exit_code": "three"}\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json: key 'exit_code': "
printf '{"exit_code": 300}\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json: key 'exit_code': "
printf '{"format": "yaml"}\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json: key 'format': "
printf '{"allow_paths": "fixtures/"}\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json: key 'allow_paths': "
printf '{"exit_code": 3,\n' >.nfguard.json
nfg dir src
expect_rc 2
expect_stderr ".nfguard.json"
# The same file given with --config is judged the same way.
printf '{"colour": true}\n' >"$top/bad.json"
nfg dir --config "$top/bad.json" src
expect_rc 2
expect_stderr "bad.json: unknown key 'colour'"
rm .nfguard.json

# Discovery stops at the repository root: a file above it is not read.
printf '{"colour": true}\n' >"$top/.nfguard.json"
nfg dir -f json src
expect_rc 1
expect_count 3
