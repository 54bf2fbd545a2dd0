#!/bin/sh
# libgit2 is set up only by what reads a repository: Debian's libgit2
# parses the whole system CA bundle when it is initialised, which dir,
# stdin, rules, verify, revoke, merge, completion, help and --version
# never need. Seen from outside with strace: the files libgit2's set-up
# opens (those a history scan opens under /etc/ssl) are opened by none of
# them, and still are by git, staged and a dir scan that meets a git
# folder, whose results are unchanged.
set -eu

# expect_setup YES|NO WHAT: the last traced run opened libgit2's set-up
# files (YES) or none of them (NO).
expect_setup() {
	if grep -qF -f "$WORK/setup" "$WORK/trace"; then
		[ "$1" = YES ] || fail "$2 set libgit2 up: $(grep -F -f \
			"$WORK/setup" "$WORK/trace" | head -n 1)"
	else
		[ "$1" = NO ] || fail "$2 did not set libgit2 up"
	fi
}

t1=$(mktoken)
t2=$(mktoken)
mkrepo app
cd app
printf 'NOTIFLOWS_TOKEN=%s\n' "$t1" >config.env
commit_at '2024-03-01 10:00:00 +0000' 'add config'
printf 'token=%s\n' "$t2" >local.env
git add local.env
cd ..
git clone -q --bare app bare.git
mkdir plain
printf 'key=%s\n' "$t2" >plain/a.env

# What libgit2's set-up opens, from a history scan (the control).
traced git -f json app
expect_rc 1
expect_count 1
expect_git "$t1" path=config.env
grep -o '"/etc/ssl/[^"]*"' "$WORK/trace" | sort -u >"$WORK/setup"
[ -s "$WORK/setup" ] ||
	skip "this libgit2 opens nothing under /etc/ssl when set up"

traced dir -f json plain
expect_rc 1
expect_count 1
expect_finding a.env 1 5 "$t2"
expect_setup NO "dir"

traced stdin -f json --label in.env <plain/a.env
expect_rc 1
expect_count 1
expect_finding in.env 1 5 "$t2"
expect_setup NO "stdin"

for args in "rules" "rules check $SRCDIR/rules/notiflows.json" \
	"completion bash" "help" "help dir" "--help" "--version"; do
	# shellcheck disable=SC2086 # the words are the arguments
	traced $args </dev/null
	expect_rc 0
	[ -s "$WORK/out" ] || fail "nfguard $args printed nothing"
	expect_setup NO "nfguard $args"
done
expect_stdout "libgit2 "

traced verify </dev/null
expect_rc 0
expect_setup NO "verify"
traced revoke --dry-run </dev/null
expect_rc 0
expect_setup NO "revoke"

# A sweep's report (which sets libgit2 up), then merge (which does not).
printf 'app\n' >repos.txt
traced git --repos-from repos.txt -f json -o sweep.json
expect_rc 1
expect_setup YES "a sweep"
traced merge -f json sweep.json
expect_rc 1
expect_count 1
expect_git "$t1" path=config.env
expect_setup NO "merge"

# A folder holding a git folder: its history is scanned, so libgit2 is
# set up, on demand.
traced dir -f json bare.git
expect_rc 1
expect_count 1
expect_git "$t1" path=config.env location=file
expect_setup YES "dir on a git folder"

# The hook: staged still reads with libgit2.
cd app
traced staged -f json
expect_rc 1
expect_count 1
expect_finding local.env 1 7 "$t2"
expect_setup YES "staged"
