#!/bin/sh
# nfguard dir on git folders: a bare repository, a mirror clone, a folder
# of bare repositories and a work tree's .git named as a target have their
# history and their git folder's files scanned as nfguard git scans them
# (objects are compressed, so their bytes hide every token); .git folders
# met inside a work tree are skipped
# and counted; a corrupt history is an error; a pack, a bundle or a folder
# of objects named directly is an error, never "no findings".
# (Problems of a folder walk come in no set order: sorted before compared.)
set -eu

top=$(pwd -P)

# nfiles DIR...: regular files below DIR outside git folders' objects/
# (what the git scan reads as the git folder's files).
nfiles() {
	find "$@" -name objects -prune -o -type f -print | wc -l | tr -d ' '
}

# A work tree whose history held a token (added, then removed), and a
# token in a file that was never committed.
mkrepo app
cd app
printf '# app\n' >README.md
commit_at '2024-03-01 10:00:00 +0000' 'init'
t1=$(mktoken)
printf 'APP_ENV=dev\nDEBUG=0\nNOTIFLOWS_TOKEN=%s\n' "$t1" >config.env
commit_at '2024-03-02 10:00:00 +0000' 'add config'
c1=$(git rev-parse HEAD)
b1=$(git rev-parse HEAD:config.env)
printf 'APP_ENV=dev\nDEBUG=0\n' >config.env
commit_at '2024-03-03 10:00:00 +0000' 'remove the token'
t2=$(mktoken)
printf 'token=%s\n' "$t2" >local.env
cd "$top"
git clone -q --bare app bare.git
git clone -q --mirror app mirror.git

# A bare repository: its history, attributed as nfguard git does; the
# repository named as it was given.
nfg dir -f json bare.git
expect_rc 1
expect_count 1
expect_finding config.env 3 17 "$t1"
expect_git "$t1" repository=bare.git commit="$c1" blob="$b1" \
	author_name='Test Author' author_email=author@example.com \
	date=2024-03-02T10:00:00Z location=file reachable=true occurrences=1
assert_eq "$(jq_out '.scan | "\(.command) \(.files_scanned) \(.git_dirs_scanned) \(.git_dirs_skipped) \(.commits) \(.blobs_scanned) \(.git_dir_files)"')" \
	"dir 0 1 0 3 3 $(nfiles bare.git)" 'scan: command files git_dirs_scanned/skipped commits blobs git_dir_files'
bytes=$(jq_out '.scan.bytes_scanned')
expect_no_stderr
# The human report says whose history and counts it.
nfg dir bare.git
expect_rc 1
grep -qx '    repository bare.git' "$WORK/out" ||
	fail "human report lacks '    repository bare.git'"
grep -qx "    commit $c1 Test Author <author@example.com> 2024-03-02T10:00:00Z" \
	"$WORK/out" || fail "human report lacks the commit line"
# (the git folder's own files make it more than 1 KiB: printed in KiB)
assert_eq "$(tail -n 1 "$WORK/out")" \
	"1 finding in 1 file (0 files, 1 git folder: 3 commits, 3 blobs, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1024 }') KiB scanned)" \
	'human summary'
# SARIF: the finding names its repository and commit.
nfg dir -f sarif bare.git
expect_rc 1
assert_eq "$(jq_out '.runs[0].results | length')" 1 'sarif results'
assert_eq "$(jq_out '.runs[0].results[0].properties | "\(.repository) \(.commit) \(.blob)"')" \
	"bare.git $c1 $b1" 'sarif properties'
assert_eq "$(jq_out '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri')" \
	config.env 'sarif uri'

# The git folder's other files are read as the git scan reads them: a
# token pasted into a remote's URL lives in config, beside the history's.
git clone -q --bare app pasted.git
t3=$(mktoken)
git -C pasted.git remote add upstream "https://x:$t3@git.example.com/app.git"
nfg dir -f json pasted.git
expect_rc 1
expect_count 2
expect_git "$t1" repository=pasted.git commit="$c1" path=config.env
expect_git "$t3" repository=pasted.git path=config line=8 column=18 \
	location=git-dir commit='<absent>'

# A mirror clone, and the same repository named with a trailing slash.
nfg dir -f json mirror.git/
expect_rc 1
expect_count 1
expect_git "$t1" repository=mirror.git commit="$c1" path=config.env

# A server's folder of bare repositories, one leaking: names relative to
# the folder scanned; with several targets, as given.
mkdir srv
git clone -q --bare app srv/a.git
mkrepo clean
cd clean
printf 'nothing here\n' >README.md
commit_at '2024-03-04 10:00:00 +0000' 'init'
cd "$top"
git clone -q --bare clean srv/b.git
rm -rf clean
nfg dir -f json srv
expect_rc 1
expect_count 1
expect_git "$t1" repository=a.git commit="$c1" blob="$b1" path=config.env \
	line=3 column=17 location=file
assert_eq "$(jq_out '.scan | "\(.files_scanned) \(.git_dirs_scanned) \(.git_dirs_skipped) \(.commits)"')" \
	"0 2 0 4" 'scan: files git_dirs_scanned git_dirs_skipped commits'
expect_no_stderr
nfg dir -f json srv/b.git srv/a.git
expect_rc 1
expect_count 1
expect_git "$t1" repository=srv/a.git commit="$c1"
# Deeper down: the folders above a git folder are walked as files.
mkdir -p deep/x
mv srv deep/x/
nfg dir -f json deep
expect_rc 1
expect_count 1
expect_git "$t1" repository=x/srv/a.git commit="$c1"

# A work tree: its files are scanned, its .git folder skipped and counted
# (history is nfguard git's job), and the human summary says so.
nfg dir -f json app
expect_rc 1
expect_count 1
expect_finding local.env 1 7 "$t2"
expect_no_token "$t1"
assert_eq "$(jq_out '.scan | "\(.git_dirs_scanned) \(.git_dirs_skipped) \(has("commits"))"')" \
	'0 1 false' 'scan: git_dirs_scanned git_dirs_skipped has commits'
rm app/local.env
nfg dir app
expect_rc 0
assert_eq "$(cat "$WORK/out")" "no findings (2 files, $(($(wc -c <app/README.md) + $(wc -c <app/config.env))) B scanned)
1 .git folder skipped: scan its history with nfguard git" 'human report'

# The work tree's .git named as a target: its history.
nfg dir -f json app/.git
expect_rc 1
expect_count 1
expect_git "$t1" repository=app/.git commit="$c1" blob="$b1" path=config.env

# A corrupt history is an error (2), never silence: here every object is
# gone. The message names the repository, once (the missing commit
# object is asked for by HEAD and by main: one line says how often).
head=$(git -C bare.git rev-parse HEAD)
cp -R bare.git broken.git
git -C broken.git repack -adq
rm -f broken.git/objects/pack/*
nfg dir -f json broken.git
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'broken.git': cannot read object $head: object not found - no match for id ($head) (2 times)" \
	'stderr'
assert_eq "$(jq_out '.scan | "\(.findings) \(.git_dirs_scanned)"')" '0 1' \
	'scan: findings git_dirs_scanned'
# A git folder that cannot be opened (a repository format from the
# future) is an error too, not a folder of files.
mkdir -p srv2/fake/objects srv2/fake/refs
printf 'ref: refs/heads/main\n' >srv2/fake/HEAD
printf '[core]\n\trepositoryformatversion = 99\n' >srv2/fake/config
nfg dir -f json srv2
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: cannot scan the history and files of 'fake': 'srv2/fake' uses repository format version 99, which nfguard cannot read" \
	'stderr'
assert_eq "$(jq_out '.scan | "\(.files_scanned) \(.git_dirs_scanned)"')" '0 0' \
	'scan: files_scanned git_dirs_scanned'

# Compressed objects named directly: an error pointing at the repository.
git -C bare.git repack -adq
pack=$(cd bare.git/objects/pack && echo pack-*.pack)
nfg dir "bare.git/objects/pack/$pack"
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'bare.git/objects/pack/$pack' holds objects of the git folder '$top/bare.git': name that folder to scan its history" \
	'stderr'
nfg dir app/.git/objects
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: 'app/.git/objects' holds objects of the git folder '$top/app/.git': name that folder to scan its history" \
	'stderr'
mkdir loose
cp "bare.git/objects/pack/$pack" loose/copy.pack
git -C app bundle create ../loose/all.bundle --all 2>/dev/null
nfg dir -f json loose
expect_rc 2
assert_eq "$(sort "$WORK/err")" \
	"nfguard: 'all.bundle' is a git bundle: its objects are compressed, clone it and scan the clone with nfguard git
nfguard: 'copy.pack' is a git pack: its objects are compressed, scan its repository with nfguard git" \
	'stderr'
