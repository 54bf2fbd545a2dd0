#!/bin/sh
# nfguard merge -f sarif: the shards of a sweep (one repository failed)
# merged into SARIF that the validators of test 0300 accept, one run per
# repository in the targets' order, as the unsharded sweep's SARIF has
# them (same repositories, statuses, results); exit 2 for the failure.
set -eu

sarif_validators

for r in one two three four; do
	mkrepo "$r"
	(
		cd "$r"
		printf 'k=%s\n' "$(mktoken)" >"$r.env"
		commit_at '2024-01-01 00:00:00 +0000' init
	)
done
printf 'one\ntwo\nmissing\nthree\nfour\n' >repos.txt
nfg git --repos-from repos.txt -f sarif -o all.sarif
expect_rc 2
for i in 1 2; do
	nfg git --repos-from repos.txt --shard "$i/2" -f json -o "shard-$i.json"
done
nfg merge -f sarif -o merged.sarif shard-1.json shard-2.json
expect_rc 2
expect_stderr "nfguard: 'missing': cannot open 'missing': No such file or directory"
expect_sarif_valid merged.sarif "the merged SARIF"
view='[.runs[] | [.properties.repository, .properties.status,
	.invocations[0].executionSuccessful,
	(.versionControlProvenance[0] | "\(.repositoryUri) \(.revisionId)"),
	.results] | tostring]'
assert_eq "$(jq -c "$view" merged.sarif)" "$(jq -c "$view" all.sarif)" \
	"merged SARIF vs unsharded"
assert_eq "$(jq -r '[.runs[].properties.repository] | join(" ")' merged.sarif)" \
	"one two missing three four" "runs in the targets' order"
