#!/bin/sh
# The README's incident-response runbook, each "# runbook: NAME" block run
# as written, in order, with stand-ins: a bare repository on this machine
# for the git server's URL, the stand-in Notiflows API (NOTIFLOWS_BASE_URL)
# and --yes for the person answering revoke's question; the nightly cron
# line runs its command (twice: the second incremental). The leak: a
# token in a pushed commit and in an ignored .env of the work tree, and
# another only in a pull request ref. Asserts each nfguard command's exit
# status, what the reports hold, that both tokens were revoked, and that
# the rewritten history holds no token.
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
mockapi_start
command -v git-filter-repo >/dev/null || git filter-repo --version >/dev/null 2>&1 ||
	fail "git filter-repo is missing (Debian: git-filter-repo)"
top=$(pwd -P)
url=https://git.example.com/acme/api.git

# runbook_block NAME: the README's block whose first line is
# "# runbook: NAME" (any words after NAME), without that line.
runbook_block() {
	awk -v name="$1" '
		/^```/ { if (inb) { if (keep) exit; inb = 0; next }
			inb = 1; start = 1; next }
		inb && start { start = 0
			keep = ($0 == "# runbook: " name ||
				index($0, "# runbook: " name " ") == 1); next }
		inb && keep { print }' "$SRCDIR/README.md"
}
[ "$(grep -c '^# runbook: ' "$SRCDIR/README.md")" = 7 ] ||
	fail "the runbook's blocks changed: update this test"

# The bin folder: nfguard records each exit status in $top/rcs.
mkdir bin
cat >bin/nfguard <<EOF
#!/bin/sh
"$NFGUARD" "\$@"
s=\$?
echo "\$s" >>"$top/rcs"
exit "\$s"
EOF
chmod +x bin/nfguard

# run_block NAME RCS...: runs the block in bash (pipefail, not -e) from
# $top with the stand-ins; the nfguard commands exited with RCS.
run_block() {
	_name=$1
	shift
	runbook_block "$_name" | sed -e "s#$url#file://$top/hub.git#g" \
		-e 's/--revoke /--revoke --yes /' \
		-e 's/^[0-9*]* [0-9*]* [0-9*]* [0-9*]* [0-9*]* //' >"$top/block.sh"
	[ -s "$top/block.sh" ] || fail "no runbook block '$_name'"
	: >"$top/rcs"
	(cd "$top" && PATH="$top/bin:$PATH" NOTIFLOWS_BASE_URL="$API_HTTP" \
		bash --noprofile --norc -o pipefail "$top/block.sh" \
		>"$WORK/out" 2>"$WORK/err") || :
	record_output "$WORK/out" "$WORK/err"
	assert_eq "$(tr '\n' ' ' <"$top/rcs")" "$* " "runbook '$_name': nfguard exit statuses"
}

# The server and the developer's clone: a token in a pushed commit, the
# same token in an ignored .env, another token only in a pull request.
git init -q --bare -b main hub.git
git clone -q "$top/hub.git" "$HOME/src/api"
cd "$HOME/src/api"
a=$(mktok REVOK)
b=$(mktok REVOK)
printf 'app\n' >app.txt
printf '.env\n' >.gitignore
commit_at '2024-01-01 10:00:00 +0000' c1
printf 'NOTIFLOWS_TOKEN=%s\n' "$a" >config.env
commit_at '2024-01-02 10:00:00 +0000' 'add config'
ca=$(git rev-parse HEAD)
printf 'NOTIFLOWS_TOKEN=%s\n' "$a" >.env
git push -q origin main
git checkout -q -b pr
printf 'T=%s\n' "$b" >pr.env
commit_at '2024-01-03 10:00:00 +0000' 'pull request'
cb=$(git rev-parse HEAD)
git push -q origin "HEAD:refs/pull/1/head"
git checkout -q main
git branch -q -D pr
cd "$top"

# 1. The work tree: the committed file and the ignored .env.
run_block 'work tree' 1
assert_eq "$(jq -r '[.findings[] | "\(.path) \(.fingerprint)"] | sort | join(",")' \
	"$HOME/incident/worktree.json")" ".env $(fp "$a"),config.env $(fp "$a")" \
	"work tree findings"

# 2. History: both tokens, the pull request's too.
run_block history 1
assert_eq "$(jq -r '[.findings[] | "\(.path) \(.commit) \(.fingerprint)"] | sort | join(",")' \
	"$HOME/incident/history.json")" \
	"config.env $ca $(fp "$a"),pr.env $cb $(fp "$b")" "history findings"

# 3. Both live.
run_block verify 1
assert_eq "$(jq -r '[.findings[].verification.status] | join(",")' \
	"$HOME/incident/verified.json")" "live,live" "verification"

# 4. Both revoked, once each: exit 0, none live any more.
run_block revoke 0
assert_eq "$(deletes_for "$a") $(deletes_for "$b")" "1 1" "revoke requests"

# 5. The rewrite: the replace file held both tokens and is gone; the
# rewritten mirror holds no token; the server's branches are rewritten.
run_block rewrite 1 0
[ ! -e "$HOME/incident/replace.txt" ] || fail "replace.txt left behind"
[ "$(git -C hub.git rev-parse main)" != "$ca" ] || fail "main not rewritten"
git -C hub.git show main:config.env >config.now
assert_eq "$(cat config.now)" "NOTIFLOWS_TOKEN=***REVOKED-NOTIFLOWS-TOKEN***" \
	"config.env on the server"

# 6. Every token the incident found is dead.
run_block check 0

# 7. The host dropped the pull request ref; the nightly sweep finds
# nothing, the first time and the second (incremental).
git -C hub.git update-ref -d refs/pull/1/head
run_block nightly 0
assert_eq "$(jq -r '.scan.repositories[0].incremental' "$HOME/incident/nightly.json")" \
	full "first nightly run"
run_block nightly 0
assert_eq "$(jq -r '.scan.repositories[0].incremental' "$HOME/incident/nightly.json")" \
	incremental "second nightly run"
