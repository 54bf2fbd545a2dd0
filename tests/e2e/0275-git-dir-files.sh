#!/bin/sh
# nfguard git reads the git folder's own files, where a token pasted into
# a command or a half-written message lives: config (a remote's URL),
# FETCH_HEAD, the reflogs, COMMIT_EDITMSG (the repository's and a linked
# worktree's), hooks, info/, the index, a submodule's folder (modules/);
# each reported at its path inside the git folder with location git-dir
# and no commit, the files counted in scan.git_dir_files. Object
# databases (a submodule's too) and symbolic links out of the folder are
# not read; a scan of part of history (--range, --since-commit, --ref: a
# CI gate) leaves the runner's git folder alone; nfguard dir naming the folder reports the same; an unreadable
# file is an error (exit 2); no output holds a whole token.
set -eu

top=$(pwd -P)
tc=$(mktoken) tf=$(mktoken) tl=$(mktoken) tm=$(mktoken) th=$(mktoken)
ti=$(mktoken) tw=$(mktoken) tn=$(mktoken) tk=$(mktoken) tx=$(mktoken)
ts=$(mktoken) tlib=$(mktoken) to=$(mktoken)

# at FILE TOKEN: "LINE COLUMN" of TOKEN's first byte in FILE (binary-safe).
at() {
	_at_off=$(grep -aboF -- "$2" "$1" | head -n 1 | cut -d: -f1)
	[ -n "$_at_off" ] || fail "$1 does not hold the token"
	pos_of "$1" "$_at_off"
}

# expect_gitdir TOKEN PATH REPOSITORY: TOKEN is reported once, in the git
# folder file PATH (as the report names it; file FILE below .git), at the
# line and column it has there, with no commit.
expect_gitdir() {
	set -- "$1" "$2" "$3" "${4:-$2}"
	_eg_pos=$(at "$top/app/.git/$4" "$1")
	expect_git "$1" path="$2" line="${_eg_pos% *}" \
		column="${_eg_pos#* }" location=git-dir repository="$3" \
		commit='<absent>' blob='<absent>' author_name='<absent>' \
		secret_redacted="$(redact "$1")"
}

# A submodule whose history holds a token: its history is not scanned
# (a gitlink is counted), its git folder's config is.
mkrepo lib
cd lib
printf 'LIB=%s\n' "$tlib" >lib.env
commit_at '2024-05-01 10:00:00 +0000' 'lib'
cd "$top"

# Another repository, fetched from a folder whose name holds a token.
mkrepo "$tf.git"
cd "$tf.git"
commit_at '2024-05-01 11:00:00 +0000' 'up'
cd "$top"

mkrepo app
cd app
printf '# app\n' >README.md
commit_at '2024-05-02 10:00:00 +0000' 'init'
git -c protocol.file.allow=always submodule add -q ../lib lib
commit_at '2024-05-03 10:00:00 +0000' 'add lib'
git -C lib remote add leak "https://x:$ts@git.example.com/lib.git"
# git remote add with credentials in the URL: config.
git remote add origin "https://x:$tc@git.example.com/app.git"
# git fetch from it: FETCH_HEAD names where from.
git fetch -q "$top/$tf.git" main
# A reflog message.
git update-ref -m "reset to the token $tl" HEAD HEAD
# A commit message written, then the commit abandoned: COMMIT_EDITMSG.
printf '#!/bin/sh\nprintf "%%s\\n" "$MSG" >"$1"\nexit 1\n' >"$top/editor"
chmod +x "$top/editor"
MSG="wip: NOTIFLOWS_TOKEN=$tm" GIT_EDITOR="$top/editor" \
	git commit -q --allow-empty 2>/dev/null && fail "the commit was made"
# A linked worktree, with its own abandoned message.
git worktree add -q ../wt1 -b wt1
(cd ../wt1 && MSG="draft $tw" GIT_EDITOR="$top/editor" \
	git commit -q --allow-empty 2>/dev/null) && fail "the commit was made"
# A staged file whose name holds a token: the index holds the name.
printf 'x\n' >"$tx.txt"
git add "$tx.txt"
# A hook, info/exclude and a note in info/ under a token's name.
printf '#!/bin/sh\nexport NOTIFLOWS_TOKEN=%s\nexit 0\n' "$th" \
	>.git/hooks/pre-push
chmod +x .git/hooks/pre-push
printf '# scratch: %s\n' "$ti" >>.git/info/exclude
printf 'token\n  %s\n' "$tk" >".git/info/$tn.txt"
# Symbolic links out of the folder are not followed.
mkdir "$top/outside"
printf 'T=%s\n' "$to" >"$top/outside/hook"
ln -s "$top/outside/hook" .git/hooks/pre-rebase
ln -s "$top/outside" .git/info/outside
cd "$top"

# The regular files of the git folder but its object databases.
ngitdir=$(find app/.git \( -path app/.git/objects -o \
	-path 'app/.git/modules/*/objects' \) -prune -o -type f -print |
	wc -l | tr -d ' ')

# expect_all REPOSITORY: the last -f json report holds exactly the ten
# tokens of the git folder, each where it is.
expect_all() {
	expect_count 10
	expect_gitdir "$tc" config "$1"
	expect_gitdir "$tf" FETCH_HEAD "$1"
	expect_gitdir "$tl" logs/HEAD "$1"
	expect_gitdir "$tm" COMMIT_EDITMSG "$1"
	expect_gitdir "$tw" worktrees/wt1/COMMIT_EDITMSG "$1"
	expect_gitdir "$tx" index "$1"
	expect_gitdir "$th" hooks/pre-push "$1"
	expect_gitdir "$ti" info/exclude "$1"
	expect_gitdir "$tk" "info/$(redact "$tn").txt" "$1" "info/$tn.txt"
	expect_gitdir "$ts" modules/lib/config "$1"
	expect_no_token "$tlib"
	expect_no_token "$to"
}

nfg git -f json app
expect_rc 1
expect_all "$top/app"
assert_eq "$(jq_out '.scan | "\(.git_dir_files) \(.files_scanned) \(.commits) \(.submodules) \(.errors)"')" \
	"$ngitdir 2 2 1 0" 'scan: git_dir_files files_scanned commits submodules errors'
expect_no_stderr
# Known places, checked by hand once: the URL's token after "url = https://x:".
assert_eq "$(at app/.git/config "$tc")" '10 18' 'config: line column'
assert_eq "$(at app/.git/info/exclude "$ti")" '7 12' 'info/exclude'
assert_eq "$(at app/.git/COMMIT_EDITMSG "$tm")" '1 22' 'COMMIT_EDITMSG'

# Opened from the linked worktree: the same common folder, the same paths.
nfg git -f json wt1
expect_rc 1
expect_all "$top/wt1"
assert_eq "$(jq_out '.scan.git_dir_files')" "$ngitdir" 'git_dir_files from wt1'

# An incident sweep reads it too.
nfg git -f json --unreachable app
expect_rc 1
expect_all "$top/app"

# A range or --ref (what a CI gate or the pre-push hook scans) judges
# commits, not the machine's git folder: nothing, and nothing counted.
for o in '--range HEAD~1..HEAD' '--since-commit HEAD~1' '--ref main'; do
	# shellcheck disable=SC2086 # the option and its value
	nfg git -f json $o app
	expect_rc 0
	expect_count 0
	assert_eq "$(jq_out '.scan.git_dir_files')" 0 "git_dir_files with $o"
done

# nfguard dir naming the git folder: its history and its files, as nfguard
# git reads them, named after the folder given.
nfg dir -f json app/.git
expect_rc 1
expect_all app/.git
assert_eq "$(jq_out '.scan | "\(.files_scanned) \(.git_dirs_scanned) \(.git_dir_files)"')" \
	"0 1 $ngitdir" 'dir: files_scanned git_dirs_scanned git_dir_files'

# Every output: no whole token, on stdout or stderr; --show-secret shows.
for f in human json jsonl sarif; do
	for cmd in "git app" "git wt1" "dir app/.git"; do
		# shellcheck disable=SC2086 # the command's words
		nfg $cmd -f "$f" --no-color
		expect_rc 1
		for t in "$tc" "$tf" "$tl" "$tm" "$th" "$ti" "$tw" "$tn" "$tk" \
			"$tx" "$ts"; do
			expect_no_output "$t"
		done
	done
done
nfg git app --no-color
grep -qxF 'config:10:18  notiflows-account-token (critical)  '"$(redact "$tc")" \
	"$WORK/out" || fail "human: no line for config"
grep -qxF '    in the git folder (not in history)' "$WORK/out" ||
	fail "human: the finding does not say it is in the git folder"
nfg git -f json --show-secret app
expect_rc 1
expect_git "$tc" secret="$tc" path=config

# An unreadable file of the git folder: an error (2), said and counted;
# the rest is still reported.
chmod 000 app/.git/description
nfg_nodac git -f json app
chmod 644 app/.git/description
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: git folder: cannot open 'description': Permission denied" \
	'stderr'
expect_all "$top/app"
assert_eq "$(jq_out '.scan | "\(.errors) \(.git_dir_files)"')" \
	"1 $((ngitdir - 1))" 'scan: errors git_dir_files'
