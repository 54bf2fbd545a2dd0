#!/bin/sh
# nfguard git with several repositories sweeps them in one run: six local
# repositories, one corrupt (a blob lost) and one empty. Exact findings
# per repository (path, line, column, commit, repository as given); the
# corrupt one failed with its reason while its readable findings and all
# the others' are reported; the empty one empty; exit 2. A token in three
# repositories is one incident naming all three and where it first
# appeared. --repo-jobs 1 and 4 give the same report.
set -eu

ts=$(mktoken) t1=$(mktoken) t4=$(mktoken) t5=$(mktoken)

# alpha: its own token.
mkrepo alpha
(
	cd alpha
	printf '# alpha\n' >README.md
	commit_at '2024-01-01 10:00:00 +0000' init
	printf 'A=1\nNOTIFLOWS_TOKEN=%s\n' "$t1" >config.env
	commit_at '2024-02-01 10:00:00 +0000' 'add config'
)
ca=$(git -C alpha rev-parse HEAD)
# beta, gamma, delta: the shared token, first committed in gamma.
mkrepo beta
(
	cd beta
	mkdir app
	printf 'import os\n\nKEY = "%s"\n' "$ts" >app/settings.py
	commit_at '2024-03-01 09:00:00 +0000' settings
)
cb=$(git -C beta rev-parse HEAD)
mkrepo gamma
(
	cd gamma
	printf 'token: %s\n' "$ts" >deploy.yaml
	export GIT_AUTHOR_NAME='Gina Gamma' GIT_AUTHOR_EMAIL=gina@example.org
	commit_at '2024-01-15 08:30:00 +0100' deploy
)
cg=$(git -C gamma rev-parse HEAD)
mkrepo delta
(
	cd delta
	printf 'x\ny=%s\n' "$t4" >one.txt
	commit_at '2024-04-01 12:00:00 +0000' one
	printf '%s\n' "$ts" >two.txt
	commit_at '2024-04-02 12:00:00 +0000' two
)
cd1=$(git -C delta rev-parse HEAD~1)
cd2=$(git -C delta rev-parse HEAD)
mkrepo empty
# corrupt: one readable token, and a blob whose object is gone.
mkrepo corrupt
(
	cd corrupt
	printf 'T=%s\n' "$t5" >ok.txt
	printf 'lost\n' >lost.txt
	commit_at '2024-05-01 00:00:00 +0000' one
	b=$(git rev-parse HEAD:lost.txt)
	rm -f ".git/objects/$(echo "$b" | cut -c1-2)/$(echo "$b" | cut -c3-)"
)
cc=$(git -C corrupt rev-parse HEAD)
lost=$(printf 'lost\n' | git hash-object --stdin)

nfg git -f json alpha beta gamma delta empty corrupt
expect_rc 2
reason="cannot read blob $lost: object not found - no match for id ($lost)"
assert_eq "$(cat "$WORK/err")" "nfguard: 'corrupt': $reason
nfguard: warning: 'empty': no commits: only the git folder was scanned" \
	"stderr"
expect_count 6
# Every finding: repository as given, path, line, column, commit; the
# corrupt repository's readable token is still reported.
assert_eq "$(jq_out '.findings[] | [.repository, .path, .line, .column,
	.commit, .fingerprint] | map(tostring) | join(" ")')" \
	"alpha config.env 2 17 $ca $(fp "$t1")
beta app/settings.py 3 8 $cb $(fp "$ts")
gamma deploy.yaml 1 8 $cg $(fp "$ts")
delta one.txt 2 3 $cd1 $(fp "$t4")
delta two.txt 1 1 $cd2 $(fp "$ts")
corrupt ok.txt 1 3 $cc $(fp "$t5")" "findings"
# One entry per repository, in the order given.
assert_eq "$(jq_out '.scan.repositories[] | [.repository, .status,
	(.error // "-"), .refs, .commits, .blobs, .findings, (.bytes > 0),
	(.seconds >= 0)] | map(tostring) | join("|")')" \
	"alpha|scanned|-|2|2|2|1|true|true
beta|scanned|-|2|1|1|1|true|true
gamma|scanned|-|2|1|1|1|true|true
delta|scanned|-|2|2|2|2|true|true
empty|empty|-|0|0|0|0|true|true
corrupt|failed|$reason|2|1|1|1|true|true" "scan.repositories"
assert_eq "$(jq_out '[.scan.targets, .scan.errors, .scan.commits,
	.scan.blobs_scanned, (.scan | has("repository"))] | tostring')" \
	'[["alpha","beta","gamma","delta","empty","corrupt"],1,7,7,false]' \
	"scan totals"
# The shared token: one incident, its three repositories, gamma first.
assert_eq "$(jq_out '.incidents | tostring')" \
	"[{\"fingerprint\":\"$(fp "$ts")\",\"secret_redacted\":\"$(redact "$ts")\",\"repositories\":[\"beta\",\"gamma\",\"delta\"],\"first_seen\":{\"repository\":\"gamma\",\"commit\":\"$cg\",\"date\":\"2024-01-15T07:30:00Z\",\"author\":\"Gina Gamma <gina@example.org>\"}}]" \
	"incidents"
cp "$WORK/out" one.json
cp "$WORK/err" one.err

# Four at once: the same report (but for times), the same stderr.
nfg git -f json --repo-jobs 4 alpha beta gamma delta empty corrupt
expect_rc 2
assert_eq "$(cat "$WORK/err")" "$(cat one.err)" "stderr with --repo-jobs 4"
untimed='del(.scan.started_at, .scan.duration_ms, .scan.repositories[].seconds)'
assert_eq "$(jq -S "$untimed" "$WORK/out")" "$(jq -S "$untimed" one.json)" \
	"report with --repo-jobs 4"

# The human report: a line per repository, the totals, the incident.
nfg git --no-color alpha beta gamma delta empty corrupt
expect_rc 2
sed -n '/^repositories:/,/^[0-9]* findings/{/^[0-9]* findings/!p;}' "$WORK/out" |
	sed 's/, [0-9.]* [KMG]*i*B)/, SIZE)/' >human.txt
assert_eq "$(cat human.txt)" "repositories: 6 (4 scanned, 1 empty, 1 failed)
  scanned  alpha  1 finding (2 commits, 2 blobs, SIZE)
  scanned  beta  1 finding (1 commit, 1 blob, SIZE)
  scanned  gamma  1 finding (1 commit, 1 blob, SIZE)
  scanned  delta  2 findings (2 commits, 2 blobs, SIZE)
  empty    empty  0 findings (0 commits, 0 blobs, SIZE)
  failed   corrupt  1 finding (1 commit, 1 blob, SIZE): $reason" \
	"the repositories' lines"
grep -q '^6 findings in 6 files, incomplete: 1 error (7 commits, 7 blobs, ' \
	"$WORK/out" || fail "no totals line in: $(cat "$WORK/out")"
assert_eq "$(sed -n '/^incidents:/,$p' "$WORK/out")" \
	"incidents: 1 token found in more than one repository
  $(redact "$ts")  $(fp "$ts")
    in 3 repositories: beta, gamma, delta
    first seen in gamma
    commit $cg Gina Gamma <gina@example.org> 2024-01-15T07:30:00Z" \
	"the incidents section"
# Each finding names its repository.
assert_eq "$(grep -c '^    repository ' "$WORK/out")" 6 "repository lines"

# A repository alone keeps today's report: no repositories, no incidents.
nfg git -f json alpha
expect_rc 1
assert_eq "$(jq_out '[(.scan | has("repositories")), has("incidents"),
	.findings[0].repository] | tostring')" \
	"[false,false,\"$(pwd -P)/alpha\"]" "one repository"
