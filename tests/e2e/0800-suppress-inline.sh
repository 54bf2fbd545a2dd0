#!/bin/sh
# Inline allow: "nfguard:allow" next to tokens on their line (within 64
# bytes: see 0805) reports none of them, in every source (dir, stdin,
# staged, git history); the comment on another line, even the one just
# above, allows nothing.
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken) t5=$(mktoken)
mkdir tree
{
	printf 'A=%s # nfguard:allow (test fixture)\n' "$t1"
	printf '# nfguard:allow\n'
	printf 'B=%s\n' "$t2"
	printf '/* nfguard:allow */ C=%s D=%s\n' "$t3" "$t4"
	printf 'E=%s\n' "$t5"
	printf '# nfguard:allow\n'
} >tree/app.conf

nfg dir -f json tree
expect_rc 1
expect_count 2
expect_finding app.conf 3 3 "$t2"
expect_finding app.conf 5 3 "$t5"
expect_no_token "$t1"
expect_no_token "$t3"
expect_no_token "$t4"

nfg_in tree/app.conf stdin -f json --label in.conf
expect_rc 1
expect_count 2
expect_finding in.conf 3 3 "$t2"
expect_finding in.conf 5 3 "$t5"

# Every token on the line allowed: exit 0.
printf 'X=%s nfguard:allow\n' "$t1" >one.txt
nfg dir -f json one.txt
expect_rc 0
expect_count 0

# staged and the pre-commit hook: the allowed line does not block.
mkrepo r
cd r
nfg install-hooks
expect_rc 0
printf 'readme\n' >README.md
git add README.md
env -u NFGUARD git commit -q -m first
printf 'TEST_TOKEN=%s  # nfguard:allow\n' "$t1" >fixture.env
git add fixture.env
nfg staged -f json
expect_rc 0
expect_count 0
run_cmd env -u NFGUARD git commit -q -m 'allowed fixture'
expect_rc 0
printf 'OTHER=%s\n' "$t2" >>fixture.env
git add fixture.env
nfg staged -f json
expect_rc 1
expect_count 1
expect_finding fixture.env 2 7 "$t2"
head=$(git rev-parse HEAD)
run_cmd env -u NFGUARD git commit -q -m 'not allowed'
expect_rc 1
expect_ref . HEAD "$head"
env -u NFGUARD git commit -q --no-verify -m 'not allowed, forced'

# git history: the allowed line is not reported, the other one is.
cd "$top"
nfg git -f json r
expect_rc 1
expect_count 1
expect_finding fixture.env 2 7 "$t2"
nfg git -f json --range HEAD~2..HEAD r
expect_rc 1
expect_count 1
expect_finding fixture.env 2 7 "$t2"
