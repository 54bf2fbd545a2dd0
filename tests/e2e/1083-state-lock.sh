#!/bin/sh
# --state is locked: while one sweep runs with a state file, a second one
# with the same file fails at once (exit 2, one error line, nothing
# written, no report) instead of both rewriting it. The lock goes with
# the process that held it, even one killed with SIGKILL: the next run
# takes it (the lock file stays, mode 0600) and resumes.
set -eu

token_repos r1 r2

# The first sweep waits in r2 (its README blob a FIFO), after r1.
block_object r2 HEAD:README.md
nfguard_spawn git --no-progress --repo-jobs 1 -f jsonl --state st.json \
	r1 r2 >first.out 2>first.err &
pid=$!
journal_wait 1 st.json "$pid"
cp st.json st.saved
cp st.json.journal journal.saved

nfg git -f json --state st.json r1 r2
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --state: 'st.json' is in use by another nfguard run (it holds 'st.json.lock')" \
	"stderr of the second sweep"
assert_eq "$(cat "$WORK/out")" "" "stdout of the second sweep"
cmp -s st.json st.saved || fail "the second sweep changed the state file"
cmp -s st.json.journal journal.saved ||
	fail "the second sweep changed the journal"
kill -0 "$pid" 2>/dev/null || fail "the first sweep did not wait in r2"

# Killed hard: the lock is gone with it; the next run resumes after r1.
kill -9 "$pid"
wait "$pid" || :
unblock_object
record_output first.out first.err
assert_eq "$(jq -r .repository first.out)" r1 "what the first sweep reported"
nfg git -f json --state st.json r1 r2
expect_rc 1
assert_eq "$(cat "$WORK/err")" "" "stderr of the run after the kill"
assert_eq "$(jq_out '.scan.repositories[] | [.repository, .incremental,
	.findings] | map(tostring) | join(" ")')" "r1 incremental 0
r2 full 1" "repositories of the run after the kill"
assert_eq "$(stat -c %a st.json.lock)" 600 "the lock file's mode"
