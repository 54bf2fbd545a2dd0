#!/bin/sh
# .nfguardignore: token fingerprints ("sha256:<64 hex> [# comment]"), read
# at the scan root (dir's single folder target, the repository root for
# git and staged). Every finding of an ignored token is suppressed, at any
# path or line; another token on the same line is still reported. Blank
# and # lines are ignored; anything else is exit 2 naming file:line.
# --report-unused-ignores warns about entries that matched nothing
# without changing the exit status. scan.suppressed.ignored counts.
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) tx=$(mktoken)
mkdir -p tree/sub
printf 'A=%s B=%s\n' "$t1" "$t2" >tree/a.conf
printf 'x\n\nagain: %s\n' "$t1" >tree/sub/b.conf
{
	printf '# legacy test fixtures (revoked)\n'
	printf '%s  # fixture token, revoked 2024-01\n' "$(fp "$t1")"
	printf '\n'
	printf '%s\n' "$(fp "$tx")"
} >tree/.nfguardignore

nfg dir -f json tree
expect_rc 1
expect_count 1
expect_finding a.conf 1 44 "$t2"
expect_no_token "$t1"
assert_eq "$(jq_out '.scan.suppressed.ignored')" 2 "scan.suppressed.ignored"
expect_no_stderr

# --report-unused-ignores names the entry that matched nothing (line 4),
# not the one that did; the exit status is unchanged.
nfg dir -f json --report-unused-ignores tree
expect_rc 1
expect_count 1
expect_stderr "nfguard: warning: unused ignore "
expect_stderr ".nfguardignore:4 $(fp "$tx")"
grep -qF "$(fp "$t1")" "$WORK/err" && fail "a used entry reported as unused"
assert_eq "$(grep -c 'unused ignore' "$WORK/err")" 1 "unused ignore warnings"

# Every finding ignored: exit 0.
printf '%s\n' "$(fp "$t2")" >>tree/.nfguardignore
nfg dir -f json tree
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.ignored')" 3 "scan.suppressed.ignored"

# --no-config reads no ignore file either (untrusted changes).
nfg dir -f json --no-config tree
expect_rc 1
expect_count 3

# Only the scan root's file counts: scanning tree/sub alone reads
# tree/sub/.nfguardignore (there is none), not tree's.
nfg dir -f json tree/sub
expect_rc 1
expect_count 1
expect_finding b.conf 3 8 "$t1"

# Malformed entries: exit 2, naming the file and line.
cp tree/.nfguardignore good-ignore
printf 'sha256:abc123\n' >>tree/.nfguardignore
nfg dir -f json tree
expect_rc 2
expect_stderr ".nfguardignore:6"
cp good-ignore tree/.nfguardignore
printf '# ok\n%s\n' "$t3" >>tree/.nfguardignore
nfg dir -f json tree
expect_rc 2
expect_stderr ".nfguardignore:7"
expect_no_output "$t3"
cp good-ignore tree/.nfguardignore

# staged and the pre-commit hook: an ignored token does not block, a new
# token on the same line does.
mkrepo r
cd r
nfg install-hooks
expect_rc 0
printf '# fixtures\n%s # revoked fixture\n' "$(fp "$t1")" >.nfguardignore
git add .nfguardignore
env -u NFGUARD git commit -q -m ignore
printf 'FIXTURE=%s\n' "$t1" >fixture.env
git add fixture.env
nfg staged -f json
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.ignored')" 1 "scan.suppressed.ignored"
run_cmd env -u NFGUARD git commit -q -m 'ignored fixture'
expect_rc 0
printf 'FIXTURE=%s NEW=%s\n' "$t1" "$t3" >fixture.env
git add fixture.env
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding fixture.env 1 52 "$t3"
head=$(git rev-parse HEAD)
run_cmd env -u NFGUARD git commit -q -m 'new token beside it'
expect_rc 1
expect_ref . HEAD "$head"
expect_stderr "$(redact "$t3")"
env -u NFGUARD git commit -q --no-verify -m forced
# Staged from a subfolder: still the repository root's file.
mkdir deep
cd deep
nfg staged -f json
expect_rc 0
cd ..

# git history: the repository root's file.
cd "$top"
nfg git -f json r
expect_rc 1
expect_count 1
expect_finding fixture.env 1 52 "$t3"
nfg git -f json --report-unused-ignores --range HEAD~1..HEAD r
expect_rc 1
expect_count 1
expect_no_token "$t1"
expect_no_stderr
