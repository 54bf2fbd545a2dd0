#!/bin/sh
# The CI recipes of README.md ("CI recipes"), taken from the README as
# written and run on simulated events in local repositories: the GitHub
# Actions scan step (push to an existing branch, a new branch, a
# force-push, a pull request), the GitLab merge request job's command and
# the plain shell script. Each gives exit 1 and a report holding exactly
# the new token, or exit 0 when nothing new holds one; a force-push whose
# old tip is nowhere falls back to the whole history with the baseline,
# exit 2 here where none was committed. Every push shape, against a
# server: 0910. Also checks the README's pre-commit snippet against
# .pre-commit-hooks.yaml.
set -eu

. "$SRCDIR/tests/e2e/recipes.sh"

readme_block '# .github/workflows/nfguard.yml' >gh.yml
readme_block '# .gitlab-ci.yml' >gl.yml
readme_block '#!/bin/sh' >nfguard-ci.sh
[ -s gh.yml ] || fail "README has no GitHub Actions workflow block"
[ -s gl.yml ] || fail "README has no .gitlab-ci.yml block"
grep -q '^# ci/nfguard.sh' nfguard-ci.sh || fail "README has no ci/nfguard.sh"

# The GitHub workflow: full history, SARIF uploaded even on failure, and
# the scan step's script.
python3 - gh.yml >gh-step.sh <<'EOF'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get("on", wf.get(True))
assert "push" in on and "pull_request" in on, on
assert wf["permissions"]["security-events"] == "write"
steps = wf["jobs"]["nfguard"]["steps"]
co = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
assert co and co[0]["with"]["fetch-depth"] == 0, co
scan = [s for s in steps if "BEFORE" in s.get("env", {})]
assert len(scan) == 1, scan
env = scan[0]["env"]
assert env == {"EVENT": "${{ github.event_name }}",
               "BEFORE": "${{ github.event.before }}",
               "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
               "DEFAULT_BRANCH": "${{ github.event.repository.default_branch }}"}, env
up = [s for s in steps
      if s.get("uses") == "github/codeql-action/upload-sarif@v3"]
assert len(up) == 1 and up[0]["if"] == "always()", up
assert up[0]["with"]["sarif_file"] == "nfguard.sarif", up
sys.stdout.write(scan[0]["run"])
EOF
# The GitLab job: merge requests, full history, the report kept always.
python3 - gl.yml >gl-script.sh <<'EOF'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["nfguard"]
assert job["variables"]["GIT_DEPTH"] == "0", job
assert "merge_request_event" in job["rules"][0]["if"], job
assert job["artifacts"]["when"] == "always", job
assert job["artifacts"]["paths"] == ["nfguard.json"], job
sys.stdout.write("\n".join(job["script"]) + "\n")
EOF
grep -q 'nfguard git --range' gh-step.sh || fail "GitHub step: $(cat gh-step.sh)"
grep -q 'nfguard git --range' gl-script.sh || fail "GitLab job: $(cat gl-script.sh)"

# The pre-commit snippet names the hook this checkout defines.
python3 - "$readme" "$SRCDIR/.pre-commit-hooks.yaml" <<'EOF'
import re, sys, yaml
text = open(sys.argv[1]).read()
blocks = re.findall(r"```yaml\n(repos:.*?)```", text, re.S)
assert len(blocks) == 1, blocks
cfg = yaml.safe_load(blocks[0])["repos"][0]
assert cfg["repo"] and cfg["rev"], cfg
ids = [h["id"] for h in yaml.safe_load(open(sys.argv[2]))]
assert [h["id"] for h in cfg["hooks"]] == ["nfguard"] and "nfguard" in ids
EOF

# gh_run DIR EVENT BEFORE SHA REF [BASE_SHA]: runs the workflow's scan
# step in the clone DIR as GitHub does (bash -e, the step's env,
# GITHUB_SHA, GITHUB_REF).
gh_run() {
	(cd "$1" && rm -f nfguard.sarif &&
		run_cmd env EVENT="$2" BEFORE="$3" BASE_SHA="${6:-}" \
			DEFAULT_BRANCH=main GITHUB_SHA="$4" GITHUB_REF="$5" \
			bash --noprofile --norc -eo pipefail "$top/gh-step.sh" &&
		record_output nfguard.sarif && echo "$rc" >"$top/rc")
	rc=$(cat "$top/rc")
}
# sarif_is FILE TOKEN...: FILE is SARIF whose results are exactly TOKENs.
sarif_is() {
	_sf=$1
	shift
	_want=$(for _t in "$@"; do fp "$_t"; echo; done | sort | tr '\n' ' ')
	_got=$(jq -r '.runs[0].results[].partialFingerprints["nfguardFingerprint/v1"]' \
		"$_sf" | sort | tr '\n' ' ') || fail "$_sf is not SARIF"
	assert_eq "$_got" "$_want" "SARIF result fingerprints in $_sf"
}

# The hosted repository: a legacy token (revoked, long pushed) on main.
git init -q --bare -b main hub.git
mkrepo dev
cd dev
git remote add origin "$top/hub.git"
printf 'readme\n' >README.md
commit_at '2024-01-01 10:00:00 +0000' c1
tl=$(mktoken)
printf 'LEGACY=%s\n' "$tl" >legacy.env
commit_at '2024-01-02 10:00:00 +0000' legacy
git push -q origin main
before=$(git rev-parse main)
# A push of two commits, the first adding a token.
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >new.env
commit_at '2024-01-03 10:00:00 +0000' 'add key'
printf 'two\n' >>README.md
commit_at '2024-01-04 10:00:00 +0000' c4
git push -q origin main
after=$(git rev-parse main)
cd "$top"
git clone -q hub.git ci

# GitHub, push to main: exit 1, SARIF with exactly the new token.
gh_run ci push "$before" "$after" refs/heads/main
expect_rc 1
sarif_is ci/nfguard.sarif "$t1"
assert_eq "$(jq -r '.runs[0].results[0].locations[0].physicalLocation |
	"\(.artifactLocation.uri):\(.region.startLine):\(.region.startColumn)"' \
	ci/nfguard.sarif)" "new.env:2:5" "SARIF location"
# A clean push (c4 alone): exit 0, an empty SARIF run.
gh_run ci push "$(git -C ci rev-parse main~1)" "$after" refs/heads/main
expect_rc 0
sarif_is ci/nfguard.sarif

# GitHub, a new branch (before = zeros) made on the legacy commit: only
# its own commits count.
cd dev
git checkout -q -b feature "$before"
t2=$(mktoken)
printf 'x: %s\n' "$t2" >feature.yml
commit_at '2024-01-05 10:00:00 +0000' feature
git push -q origin feature
git checkout -q -b clean "$before"
printf 'clean\n' >clean.txt
commit_at '2024-01-06 10:00:00 +0000' clean
git push -q origin clean
cd "$top"
git -C ci fetch -q origin
zeros=0000000000000000000000000000000000000000
gh_run ci push "$zeros" "$(git -C dev rev-parse feature)" refs/heads/feature
expect_rc 1
sarif_is ci/nfguard.sarif "$t2"
gh_run ci push "$zeros" "$(git -C dev rev-parse clean)" refs/heads/clean
expect_rc 0
sarif_is ci/nfguard.sarif
# A force-push: 'before' is neither in the clone nor on the server: the
# whole history of the new tip, less the baseline (none: exit 2).
gh_run ci push "$(printf '%s' "$zeros" | tr 0 e)" "$(git -C dev rev-parse feature)" \
	refs/heads/feature
expect_rc 2
expect_stderr "nfguard: cannot open '.nfguard-baseline.json'"

# GitHub, pull request of feature into main: HEAD is the merge commit.
git -C ci checkout -q --detach origin/main
git -C ci merge -q --no-ff -m 'Merge pull request #1' origin/feature
gh_run ci pull_request '' "$(git -C ci rev-parse HEAD)" refs/pull/1/merge \
	"$(git -C ci rev-parse origin/main)"
expect_rc 1
sarif_is ci/nfguard.sarif "$t2"
git -C ci checkout -q --detach origin/main
git -C ci merge -q --no-ff -m 'Merge pull request #2' origin/clean
gh_run ci pull_request '' "$(git -C ci rev-parse HEAD)" refs/pull/2/merge \
	"$(git -C ci rev-parse origin/main)"
expect_rc 0
sarif_is ci/nfguard.sarif

# GitLab, merge request of feature into main: the job's script.
git -C ci checkout -q --detach origin/feature
(cd ci && rm -f nfguard.json &&
	run_cmd env CI_PIPELINE_SOURCE=merge_request_event \
		CI_MERGE_REQUEST_DIFF_BASE_SHA="$(git merge-base origin/main origin/feature)" \
		CI_COMMIT_SHA="$(git rev-parse origin/feature)" \
		sh -e "$top/gl-script.sh" && record_output nfguard.json &&
		echo "$rc" >"$top/rc")
rc=$(cat rc)
expect_rc 1
assert_eq "$(jq -r '[.findings[].fingerprint] | join(" ")' ci/nfguard.json)" \
	"$(fp "$t2")" "GitLab report findings"
(cd ci && rm -f nfguard.json &&
	run_cmd env CI_PIPELINE_SOURCE=merge_request_event \
		CI_MERGE_REQUEST_DIFF_BASE_SHA="$(git merge-base origin/main origin/clean)" \
		CI_COMMIT_SHA="$(git rev-parse origin/clean)" \
		sh -e "$top/gl-script.sh" && record_output nfguard.json &&
		echo "$rc" >"$top/rc")
rc=$(cat rc)
expect_rc 0
assert_eq "$(jq -r '.findings | length' ci/nfguard.json)" 0 "GitLab report"

# Plain shell: exit 0, 1 and 2 (a range the clone lacks: never a pass).
cd ci
run_cmd sh "$top/nfguard-ci.sh" "$before" "$after"
expect_rc 1
record_output nfguard.json
expect_stderr "nfguard: token added in $before..$after, see nfguard.json"
assert_eq "$(jq -r '[.findings[].fingerprint] | join(" ")' nfguard.json)" \
	"$(fp "$t1")" "plain shell report findings"
run_cmd sh "$top/nfguard-ci.sh" "$(git rev-parse "$after~1")" "$after"
expect_rc 0
expect_stdout "nfguard: no token added in"
run_cmd sh "$top/nfguard-ci.sh" "$zeros" "$after"
expect_rc 2
expect_stderr "the scan failed (exit 2)"
