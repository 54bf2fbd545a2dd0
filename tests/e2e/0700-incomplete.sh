#!/bin/sh
# An incomplete scan says so in every format: exit 2, SARIF
# executionSuccessful false with one notification per distinct problem,
# JSON scan.errors / scan.skipped / scan.problems, the human summary
# "incomplete: N errors" with each distinct error, inputs that could not
# be read not counted as scanned, and each distinct problem printed once
# on stderr ("(N times)" when repeated). Sources of errors that work as
# root: /proc/self/mem (a regular file whose first read fails with EIO),
# a missing loose blob and a missing commit named by several refs.
# shellcheck disable=SC2016 # $names in single quotes are jq variables
set -eu

top=$(pwd -P)

# human_tail: the human report's summary line and what follows it.
human_tail() {
	sed -n '/ scanned)$/,$p' "$WORK/out"
}

# kib BYTES: a size of 1 KiB or more as the human summary prints it.
kib() {
	awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'
}

# expect_problems JSON: the last -f json report's scan.problems is JSON.
expect_problems() {
	assert_eq "$(jq -c '.scan.problems' "$WORK/out")" "$(printf '%s' "$1" |
		jq -c .)" "scan.problems"
}

# expect_notes SUCCESS JSON: the last -f sarif report's invocation:
# executionSuccessful and toolExecutionNotifications (JSON, or null).
expect_notes() {
	assert_eq "$(jq -c '.runs[0].invocations[0].executionSuccessful' \
		"$WORK/out")" "$1" "executionSuccessful"
	assert_eq "$(jq -c '.runs[0].invocations[0].toolExecutionNotifications' \
		"$WORK/out")" "$(printf '%s' "$2" | jq -c .)" \
		"toolExecutionNotifications"
}

# --- dir: one file scanned, one that cannot be read (named twice).
mkdir tree
t=$(mktoken)
printf 'T=%s\n' "$t" >tree/ok.env
size=$(bytelen "T=$t
")
[ ! -r /proc/self/mem ] && skip "no /proc/self/mem here"
bad=/proc/self/mem
msg=$(mem_error "$bad")

nfg dir -f json tree "$bad"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $msg" "stderr"
expect_count 1
expect_finding tree/ok.env 1 3 "$t"
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped) \(.scan.files_scanned) \(.scan.bytes_scanned)"')" \
	"1 0 1 $size" "scan.errors, skipped, files_scanned, bytes_scanned"
expect_problems "[{\"kind\":\"error\",\"message\":$(jq -n --arg m "$msg" '$m'),\"count\":1}]"

# The same unreadable file named twice is read (and fails) once: one
# error, counted once everywhere. (A problem met twice, "(2 times)", is
# rendered by every format: test_report, and 0180/0238 with git.)
nfg dir -f json tree "$bad" "$bad"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $msg" "stderr"
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped) \(.scan.files_scanned)"')" \
	"1 0 1" "scan.errors, skipped, files_scanned"
expect_problems "[{\"kind\":\"error\",\"message\":$(jq -n --arg m "$msg" '$m'),\"count\":1}]"

# Nothing found and an error: "incomplete", never "no findings".
nfg dir "$bad"
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $msg
nfguard: warning: nothing was scanned (0 bytes)" "stderr"
assert_eq "$(human_tail)" "incomplete: 1 error (0 files, 0 B scanned)
  error: $msg" "human summary"

# --skip-unreadable: skipped, not an error; a warning everywhere.
nfg dir -f json --skip-unreadable tree "$bad"
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: $msg" "stderr"
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped) \(.scan.files_scanned)"')" \
	"0 1 1" "scan.errors, skipped, files_scanned"
expect_problems "[{\"kind\":\"skipped\",\"message\":$(jq -n --arg m "$msg" '$m'),\"count\":1}]"
nfg dir -f sarif --skip-unreadable tree "$bad"
expect_rc 1
expect_notes true "[{\"level\":\"warning\",\"message\":{\"text\":$(jq -n \
	--arg m "$msg." '$m')}}]"
nfg dir --skip-unreadable tree "$bad"
expect_rc 1
assert_eq "$(human_tail)" "1 finding in 1 file, 1 skipped (1 file, $size B scanned)
  skipped: $msg" "human summary"

# A complete scan: errors 0, skipped 0, no problems, SARIF successful.
nfg dir -f json tree
expect_rc 1
expect_no_stderr
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped)"')" "0 0" \
	"scan.errors, skipped"
expect_problems '[]'
nfg dir -f sarif tree
expect_rc 1
expect_notes true null

# An unreadable file as root: without the capabilities that let root read
# it, its open fails; the same report as above (skipped when file modes
# cannot be enforced here).
printf 'L=%s\n' "$(mktoken)" >tree/locked.env
chmod 000 tree/locked.env
if nodac true 2>/dev/null && ! nodac cat tree/locked.env >/dev/null 2>&1; then
	lmsg="cannot open 'locked.env': Permission denied"
	nfg_nodac dir -f json tree
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" "nfguard: $lmsg" "stderr"
	assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped) \(.scan.files_scanned)"')" \
		"1 0 1" "scan.errors, skipped, files_scanned"
	expect_problems "[{\"kind\":\"error\",\"message\":$(jq -n --arg m "$lmsg" '$m'),\"count\":1}]"
	nfg_nodac dir -f sarif tree
	expect_rc 2
	expect_notes false "[{\"level\":\"error\",\"message\":{\"text\":$(jq -n \
		--arg m "$lmsg." '$m')}}]"
fi
chmod 644 tree/locked.env
rm tree/locked.env

# --- git: a missing loose blob. The blob is not counted as scanned.
mkrepo broken
cd broken
ta=$(mktoken) tb=$(mktoken)
printf 'A=%s\n' "$ta" >a.env
printf 'B=%s\n' "$tb" >b.env
commit_at '2024-03-01 10:00:00 +0000' 'two files'
bb=$(git rev-parse HEAD:b.env)
cd "$top"
rest=${bb#??}
rm -f "broken/.git/objects/${bb%"$rest"}/$rest"

nfg git -f json broken
expect_rc 2
expect_count 1
expect_finding a.env 1 3 "$ta"
# The reason is libgit2's: take it from the report, check it everywhere.
bmsg=$(jq_out '.scan.problems[0].message')
case $bmsg in
"cannot read blob $bb: "?*) ;;
*) fail "problem message: '$bmsg'" ;;
esac
assert_eq "$(cat "$WORK/err")" "nfguard: $bmsg" "stderr"
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.skipped) \(.scan.commits) \(.scan.blobs_scanned) \(.scan.files_scanned)"')" \
	"1 0 1 1 1" "scan.errors, skipped, commits, blobs_scanned, files_scanned"
expect_problems "[{\"kind\":\"error\",\"message\":$(jq -n --arg m "$bmsg" '$m'),\"count\":1}]"
# (the git folder's files, hooks' samples included, make it KiB)
gsize=$(kib "$(jq_out .scan.bytes_scanned)")

nfg git -f sarif broken
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $bmsg" "stderr"
expect_notes false "[{\"level\":\"error\",\"message\":{\"text\":$(jq -n \
	--arg m "$bmsg." '$m')}}]"

nfg git broken
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $bmsg" "stderr"
assert_eq "$(human_tail)" "1 finding in 1 file, incomplete: 1 error (1 commit, 1 blob, $gsize scanned)
  error: $bmsg" "human summary"

# --- git: the tip commit is missing and five starting points name it
# (HEAD, main, b1, b2, t1): one error line, "(5 times)", one problem
# counted 5 times.
mkrepo holed
cd holed
printf 'x\n' >x.txt
commit_at '2024-03-02 10:00:00 +0000' 'c1'
printf 'y\n' >y.txt
commit_at '2024-03-03 10:00:00 +0000' 'c2'
tip=$(git rev-parse HEAD)
git branch b1
git branch b2
git tag t1
cd "$top"
rest=${tip#??}
rm -f "holed/.git/objects/${tip%"$rest"}/$rest"

nfg git -f json holed
expect_rc 2
hmsg=$(jq_out '.scan.problems[0].message')
n=$(jq_out '.scan.problems[0].count')
case $hmsg in
"cannot read object $tip: "?*) ;;
*) fail "problem message: '$hmsg'" ;;
esac
assert_eq "$n" 5 "count of the missing tip's error"
assert_eq "$(cat "$WORK/err")" "nfguard: $hmsg ($n times)" "stderr"
assert_eq "$(jq_out '"\(.scan.errors) \(.scan.problems | length)"')" \
	"$n 1" "scan.errors, number of distinct problems"
hsize=$(kib "$(jq_out .scan.bytes_scanned)")
nfg git -f sarif holed
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $hmsg ($n times)" "stderr"
expect_notes false "[{\"level\":\"error\",\"message\":{\"text\":$(jq -n \
	--arg m "$hmsg ($n times)." '$m')}}]"
nfg git holed
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: $hmsg ($n times)" "stderr"
assert_eq "$(human_tail | sed 1d)" "  error: $hmsg ($n times)" \
	"human: the distinct error"
assert_eq "$(human_tail | head -n 1)" \
	"incomplete: 5 errors (0 commits, 0 blobs, $hsize scanned)" \
	"human summary"
