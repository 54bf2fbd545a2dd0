#!/bin/sh
# The reports of a sweep: SARIF with one run per repository, each naming
# it in versionControlProvenance (and automationDetails), the failed one
# not successful, accepted by the validators of test 0300 (installed the
# same way; skipped without npm, except in CI); JSONL with each finding's
# repository as given, every finding once; no token anywhere.
# shellcheck disable=SC2016 # $names in single quotes are jq variables
set -eu

sarif_validators

top=$(pwd -P)
ts=$(mktoken) t1=$(mktoken)
mkrepo "web app"
(
	cd "web app"
	printf 'k=%s\n' "$ts" >"conf file.env"
	commit_at '2024-01-01 00:00:00 +0000' one
)
mkrepo api
(
	cd api
	printf 'x\nk=%s\nj=%s\n' "$t1" "$ts" >keys.txt
	commit_at '2024-01-02 00:00:00 +0000' one
)
mkrepo empty
cw=$(git -C "web app" rev-parse HEAD)
ca=$(git -C api rev-parse HEAD)

nfg git -f sarif -o sweep.sarif "web app" api empty missing \
	'http://me@example.com/x.git'
expect_rc 2
expect_sarif_valid sweep.sarif "the sweep's SARIF"
sj() {
	jq -r "$1" sweep.sarif
}
assert_eq "$(sj '[.runs[] | [.properties.repository, .properties.status,
	.invocations[0].executionSuccessful,
	(.versionControlProvenance[0] | "\(.repositoryUri) \(.revisionId)"),
	.automationDetails.id, (.results | length)] | map(tostring) |
	join("|")] | join("\n")')" \
	"web app|scanned|true|file://$top/web%20app $cw|nfguard/web app/|1
api|scanned|true|file://$top/api $ca|nfguard/api/|2
empty|empty|true|file://$top/empty null|nfguard/empty/|0
missing|failed|false|file://$top/missing null|nfguard/missing/|0
http://example.com/x.git|failed|false|http://example.com/x.git null|nfguard/http://example.com/x.git/|0" \
	"runs"
assert_eq "$(sj '[.runs[] | .results[] | "\(.properties.repository):\(.locations[0].physicalLocation.artifactLocation.uri):\(.locations[0].physicalLocation.region.startLine)"] | join(",")')" \
	"web app:conf%20file.env:1,api:keys.txt:2,api:keys.txt:3" "results"
# Each failed run says why; the problems of one repository stay in its run.
assert_eq "$(sj '.runs[3].invocations[0].toolExecutionNotifications[0].message.text')" \
	"'missing': cannot open 'missing': No such file or directory." \
	"the missing repository's notification"
assert_eq "$(sj '.runs[4].invocations[0].toolExecutionNotifications[0].message.text')" \
	"'http://example.com/x.git': plain http is allowed only to a loopback address: use https." \
	"the URL's notification"
assert_eq "$(sj '.runs[2].invocations[0].toolExecutionNotifications[0].message.text')" \
	"'empty': no commits: only the git folder was scanned." \
	"the empty repository's notification"
assert_eq "$(sj '[.runs[0,1].invocations[0].toolExecutionNotifications] | tostring')" \
	'[null,null]' "notifications of the scanned repositories"
if grep -q 'me@\|me:' sweep.sarif; then
	fail "the URL's userinfo is in the SARIF"
fi

# JSONL: every finding once, naming its repository as given.
nfg git -f jsonl "web app" api empty
expect_rc 1
assert_eq "$(jq -rs '[.[] | "\(.repository)|\(.path)|\(.line)|\(.commit)|\(.fingerprint)"] | join("\n")' "$WORK/out")" \
	"web app|conf file.env|1|$cw|$(fp "$ts")
api|keys.txt|2|$ca|$(fp "$t1")
api|keys.txt|3|$ca|$(fp "$ts")" "jsonl findings"
for t in "$ts" "$t1"; do
	if grep -aqF -- "${t#nf_at_}" sweep.sarif "$WORK/out" "$WORK/err"; then
		fail "a token appears in an output"
	fi
done
