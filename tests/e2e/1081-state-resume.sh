#!/bin/sh
# --state across a kill: a sweep of four repositories (--repo-jobs 1) is
# killed with SIGTERM once the state file's journal names two of them
# (the third blocks: one of its objects is a FIFO until the kill); the
# state file itself, written whole at the start, names none until the
# journal is folded in at the end of the next run. With JSONL on
# standard output the first two are reported as they end: the next run
# scans only the other two, and both runs' findings are those of an
# uninterrupted sweep. With a JSON report that was never written, the
# next run reports everything the killed run found (the two repositories
# are scanned again, said in a warning), again as an uninterrupted sweep.
set -eu

token_repos r1 r2 r3 r4
found='.findings[] | [.repository, .path, .line, .commit, .fingerprint] |
	map(tostring) | join(" ")'
# The uninterrupted sweep, the reference.
nfg git -f json --state whole.json r1 r2 r3 r4
expect_rc 1
jq_out "$found" | sort >whole.txt
assert_eq "$(wc -l <whole.txt)" 4 "findings of the uninterrupted sweep"

# killed STATE ARGS...: the sweep of r1-r4, one repository at a time,
# killed once STATE's journal names two: r3's README blob is a FIFO, so
# r3's scan waits in it.
killed() {
	_state=$1
	shift
	block_object r3 HEAD:README.md
	sweep_killed_at 2 "$_state" --repo-jobs 1 "$@" r1 r2 r3 r4
}

repos='.scan.repositories[] | [.repository, .incremental, .blobs,
	.findings] | map(tostring) | join(" ")'

# JSONL on stdout: r1 and r2 were reported as they ended.
killed stream.json -f jsonl
jq -r '[.repository, .path, .line, .commit, .fingerprint] |
	map(tostring) | join(" ")' "$WORK/out" >first.txt
assert_eq "$(cut -d' ' -f1 first.txt | paste -sd, -)" "r1,r2" \
	"repositories the killed stream reported"
assert_eq "$(journaled stream.json | paste -sd, -)" "r1,r2" \
	"repositories the journal names"
assert_eq "$(jq -r '.repositories | length' stream.json)" 0 \
	"repositories the state file names before the fold"
nfg git -f json --state stream.json r1 r2 r3 r4
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the resumed stream"
[ ! -e stream.json.journal ] || fail "the resumed run left a journal"
assert_eq "$(jq -r '[.repositories[] | .key | sub(".*/"; "")] | join(",")' \
	stream.json)" "r1,r2,r3,r4" "repositories the folded state names"
assert_eq "$(jq_out "$repos")" "r1 incremental 0 0
r2 incremental 0 0
r3 full 2 1
r4 full 2 1" "repositories of the resumed stream"
jq_out "$found" >second.txt
assert_eq "$(sort first.txt second.txt)" "$(cat whole.txt)" \
	"findings of the killed and the resumed runs"

# A JSON report never written: the resumed run reports all four.
killed report.json -f json -o report-killed.json
[ ! -e report-killed.json ] || fail "the killed sweep left a report"
assert_eq "$(tail -n +2 report.json.journal | jq -r '.pending | length' |
	paste -sd, -)" "1,1" "pending fingerprints of the killed sweep"
nfg git -f json --state report.json r1 r2 r3 r4
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: --state: 'report.json': 2 repositories scanned by a run that did not write its report: scanned again since the last report" \
	"stderr of the resumed report"
assert_eq "$(jq_out "$repos")" "r1 full 2 1
r2 full 2 1
r3 full 2 1
r4 full 2 1" "repositories of the resumed report"
assert_eq "$(jq_out "$found" | sort)" "$(cat whole.txt)" \
	"findings of the resumed report"
# Now reported: the state confirms all four, and a rerun reports nothing.
assert_eq "$(jq -r '[.repositories[] | has("pending")] | map(tostring) |
	join(",")' report.json)" "false,false,false,false" \
	"pending entries after the report"
nfg git -f json --state report.json r1 r2 r3 r4
expect_rc 0
expect_count 0
