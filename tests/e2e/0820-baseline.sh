#!/bin/sh
# --baseline FILE: a previous -f json (or jsonl) report; findings whose
# fingerprint it holds are not reported, wherever they are now, so a
# legacy repository can adopt the gate and fail only on new leaks.
# scan.suppressed.baseline counts them; a missing or malformed baseline
# is an error (exit 2).
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken)

# Legacy history: a token in a file, one in a commit message.
mkrepo r
cd r
# No reflogs: they would repeat the message's token (git folder files are
# 0275's subject).
git config core.logAllRefUpdates false
printf 'OLD=%s\n' "$t1" >old.env
commit_at '2024-01-01 10:00:00 +0000' c1
commit_at '2024-01-02 10:00:00 +0000' "$(printf 'c2\n\nkey %s' "$t2")"
cd "$top"
# The last message is in the git folder's COMMIT_EDITMSG too.
nfguard git -f json -o baseline.json r && fail "legacy scan found nothing"
assert_eq "$(jq -r '[.findings[] | "\(.path) \(.location)"] | sort | join(",")' baseline.json)" \
	" commit-message,COMMIT_EDITMSG git-dir,old.env file" "baseline findings"
nfguard git -f jsonl -o baseline.jsonl r || true

# Nothing new: exit 0, all three suppressed.
nfg git -f json --baseline baseline.json r
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.baseline')" 3 "scan.suppressed.baseline"

# A new token (and the old one copied to a new file and line): only the
# new one is reported.
cd r
printf 'x\nNEW=%s\nCOPY=%s\n' "$t3" "$t1" >new.env
commit_at '2024-01-03 10:00:00 +0000' c3
cd "$top"
nfg git -f json --baseline baseline.json r
expect_rc 1
expect_count 1
expect_finding new.env 2 5 "$t3"
expect_no_token "$t1"
expect_no_token "$t2"
nfg git -f json --baseline baseline.jsonl r
expect_rc 1
expect_count 1
expect_finding new.env 2 5 "$t3"
# SARIF, as a CI gate writes it, holds only the new finding too.
nfg git -f sarif --baseline baseline.json r
expect_rc 1
assert_eq "$(jq_out '[.runs[0].results[]] | length')" 1 "SARIF results"
# Without the baseline: all three.
nfg git -f json r
expect_rc 1
expect_count 3

# dir, with a baseline from a dir report: the token moved to another file
# and line is still known.
mkdir tree
printf 'A=%s\n' "$t1" >tree/a.conf
nfguard dir -f json -o dir-baseline.json tree || true
rm tree/a.conf
printf '\n\nmoved: %s\nB=%s\n' "$t1" "$t4" >tree/b.conf
nfg dir -f json --baseline dir-baseline.json tree
expect_rc 1
expect_count 1
expect_finding b.conf 4 3 "$t4"
assert_eq "$(jq_out '.scan.suppressed.baseline')" 1 "scan.suppressed.baseline"

# staged: a legacy token re-added does not block, a new one does.
cd r
nfg install-hooks
printf 'again=%s\n' "$t1" >again.env
git add again.env
nfg staged -f json --baseline "$top/baseline.json"
expect_rc 0
expect_count 0
printf 'fresh=%s\n' "$t4" >>again.env
git add again.env
nfg staged -f json --baseline "$top/baseline.json"
expect_rc 1
expect_count 1
expect_finding again.env 2 7 "$t4"
cd "$top"

# Errors: a missing or malformed baseline.
nfg git -f json --baseline nope.json r
expect_rc 2
expect_stderr "nope.json"
printf '{"findings": [' >bad.json
nfg git -f json --baseline bad.json r
expect_rc 2
expect_stderr "bad.json"
