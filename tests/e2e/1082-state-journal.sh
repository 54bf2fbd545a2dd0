#!/bin/sh
# --state's journal: a sweep killed after one of three repositories left
# the state file as written at its start (no repository) and a journal
# (mode 0600) naming that one, not yet reported. A journal whose last
# record was cut short (killed as it wrote) loses that record: the next
# run says so and scans that repository again; once folded in, no journal
# is left. A journal older than the state file (already folded in) is
# left out with a warning; a corrupt one fails (exit 2), both files left
# as they are.
set -eu

token_repos r1 r2 r3
repos='.scan.repositories[] | [.repository, .incremental, .findings] |
	map(tostring) | join(" ")'

# Killed in r2 (its README blob a FIFO), its JSON report never written.
block_object r2 HEAD:README.md
sweep_killed_at 1 st.json --repo-jobs 1 -f json -o report.json r1 r2 r3
assert_eq "$(jq -r '.repositories | length' st.json)" 0 \
	"repositories the state file names"
assert_eq "$(journaled st.json)" r1 "repositories the journal names"
assert_eq "$(tail -n +2 st.json.journal | jq -r '.pending | length')" 1 \
	"pending fingerprints of r1"
assert_eq "$(stat -c %a st.json st.json.journal st.json.lock | paste -sd, -)" \
	"600,600,600" "modes of the state, journal and lock files"
cp st.json.journal old.journal

# after_journal FILE RC ERR REPOS WHAT: FILE as the journal, a run of the
# three exits RC with stderr ERR and repositories REPOS; no journal left.
after_journal() {
	cp "$1" st.json.journal
	nfg git -f json --state st.json r1 r2 r3
	expect_rc "$2"
	assert_eq "$(cat "$WORK/err")" "$3" "stderr $5"
	assert_eq "$(jq_out "$repos")" "$4" "repositories $5"
	[ ! -e st.json.journal ] || fail "a journal was left $5"
}

# The last record cut short: r1's record is lost, r1 scanned again.
head -c -1 old.journal >torn.journal
after_journal torn.journal 1 "nfguard: warning: --state: 'st.json.journal' ends in a record cut short (a run killed as it wrote it): that repository is scanned again" \
	"r1 full 1
r2 full 1
r3 full 1" "after a torn journal"
assert_eq "$(jq -r '[.repositories[] | (.key | sub(".*/"; "")) + ":" +
	(.reported | length | tostring) + ":" + (has("pending") | tostring)] |
	join(",")' st.json)" "r1:1:false,r2:1:false,r3:1:false" \
	"the folded state"

# The killed run's journal again: older than the file, left out.
after_journal old.journal 0 "nfguard: warning: --state: 'st.json.journal' follows an older state file (a run killed as it folded it in): left out" \
	"r1 incremental 0
r2 incremental 0
r3 incremental 0" "after a stale journal"

# A corrupt journal following the file: an error, nothing written.
printf '{"journal": 1, "base": "sha256:%s"}\nnot a record\n' \
	"$(sha256sum st.json | cut -d' ' -f1)" >st.json.journal
cp st.json st.saved
cp st.json.journal journal.saved
nfg git -f json --state st.json r1 r2 r3
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --state: 'st.json.journal': record[0]: not valid JSON" \
	"stderr of the run with a corrupt journal"
assert_eq "$(cat "$WORK/out")" "" "stdout of the run with a corrupt journal"
cmp -s st.json st.saved || fail "the state file changed"
cmp -s st.json.journal journal.saved || fail "the corrupt journal changed"
