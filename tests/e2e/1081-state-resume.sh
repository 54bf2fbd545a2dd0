#!/bin/sh
# --state across a kill: a sweep of four repositories (--repo-jobs 1) is
# killed with SIGTERM once the state file names two of them (the third
# blocks: one of its objects is a FIFO until the kill). With JSONL on
# standard output the first two are reported as they end: the next run
# scans only the other two, and both runs' findings are those of an
# uninterrupted sweep. With a JSON report that was never written, the
# next run reports everything the killed run found (the two repositories
# are scanned again, said in a warning), again as an uninterrupted sweep.
set -eu

for r in r1 r2 r3 r4; do
	t=$(mktoken)
	mkrepo "$r"
	(
		cd "$r"
		printf 'name: %s\n' "$r" >README.md
		commit_at '2024-01-01 10:00:00 +0000' init
		printf 'x=1\nTOKEN=%s\n' "$t" >"$r.env"
		commit_at '2024-02-01 10:00:00 +0000' token
	)
done
blob=$(git -C r3 rev-parse HEAD:README.md)
obj=r3/.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)

found='.findings[] | [.repository, .path, .line, .commit, .fingerprint] |
	map(tostring) | join(" ")'
# The uninterrupted sweep, the reference.
nfg git -f json --state whole.json r1 r2 r3 r4
expect_rc 1
jq_out "$found" | sort >whole.txt
assert_eq "$(wc -l <whole.txt)" 4 "findings of the uninterrupted sweep"

# block: r3's README blob becomes a FIFO, so r3's scan waits in it.
block() {
	mv "$obj" blob.saved
	mkfifo "$obj"
}
unblock() {
	rm -f "$obj"
	mv blob.saved "$obj"
}

# killed STATE ARGS...: runs the sweep in the background, kills it with
# SIGTERM once STATE names two repositories, and checks it exited 143.
killed() {
	_state=$1
	shift
	block
	nfguard_spawn git --repo-jobs 1 --no-progress --state "$_state" "$@" \
		r1 r2 r3 r4 >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	i=0
	while [ "$(jq -r '.repositories | length' "$_state" 2>/dev/null)" != 2 ]; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] || {
			kill -9 "$pid" 2>/dev/null || true
			unblock
			fail "the state file never named two repositories"
		}
		sleep 0.1
	done
	kill -TERM "$pid"
	set +e
	wait "$pid"
	rc=$?
	set -e
	unblock
	record_output "$WORK/out" "$WORK/err"
	assert_eq "$rc" 143 "exit status of the killed sweep"
}

repos='.scan.repositories[] | [.repository, .incremental, .blobs,
	.findings] | map(tostring) | join(" ")'

# JSONL on stdout: r1 and r2 were reported as they ended.
killed stream.json -f jsonl
jq -r '[.repository, .path, .line, .commit, .fingerprint] |
	map(tostring) | join(" ")' "$WORK/out" >first.txt
assert_eq "$(cut -d' ' -f1 first.txt | paste -sd, -)" "r1,r2" \
	"repositories the killed stream reported"
assert_eq "$(jq -r '[.repositories[] | .key | sub(".*/"; "")] | join(",")' \
	stream.json)" "r1,r2" "repositories the state names"
nfg git -f json --state stream.json r1 r2 r3 r4
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the resumed stream"
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
assert_eq "$(jq -r '[.repositories[] | .pending | length] | join(",")' \
	report.json)" "1,1" "pending fingerprints of the killed sweep"
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
