#!/bin/sh
# The GitHub Actions and GitLab CI recipes of README.md ("CI recipes"),
# taken from the README as written, run on every shape of push against a
# bare "origin": the first push of the default branch, a fast-forward
# push, a force-push whose old tip the server still has, a force-push
# whose old tip is gone (whole history, less the committed baseline), a
# new branch (with and without new commits), an annotated tag on a commit
# no branch has, and a pull request / merge request. Each checkout is made
# as the CI makes it (actions/checkout fetch-depth 0: every branch and
# tag; the GitLab runner: only the pipeline's ref), the variables are set
# as GitHub and GitLab set them, and each run asserts the exact exit
# status and findings (path, commit, token). The man page's copies of the
# two scripts must be the README's.
set -eu

. "$SRCDIR/tests/e2e/recipes.sh"
zeros=0000000000000000000000000000000000000000

# readme_block FIRST_LINE: the fenced code block of README.md whose first
# line is FIRST_LINE, without its fences (as 0900 reads it).
readme_block() {
	awk -v first="$1" '
		/^```/ { if (inb) { if (keep) exit; inb = 0; next }
			inb = 1; start = 1; next }
		inb && start { start = 0; keep = ($0 == first) }
		inb && keep { print }' "$readme"
}
readme_block '# .github/workflows/nfguard.yml' >gh.yml
readme_block '# .gitlab-ci.yml' >gl.yml
[ -s gh.yml ] || fail "README has no GitHub Actions workflow block"
[ -s gl.yml ] || fail "README has no .gitlab-ci.yml block"

# The scan step of the workflow (the step that runs nfguard) and its env,
# the GitLab job's script and the pipeline sources its rules accept.
python3 - gh.yml gl.yml <<'EOF'
import json, re, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = wf["jobs"]["nfguard"]["steps"]
scan = [s for s in steps if "nfguard git" in s.get("run", "")]
assert len(scan) == 1, scan
open("gh-step.sh", "w").write(scan[0]["run"])
json.dump(scan[0].get("env", {}), open("gh-env.json", "w"))
job = yaml.safe_load(open(sys.argv[2]))["nfguard"]
open("gl-script.sh", "w").write("\n".join(job["script"]) + "\n")
sources = []
for r in job["rules"]:
    m = re.fullmatch(r'\$CI_PIPELINE_SOURCE == "(\w+)"', r["if"])
    assert m and r.get("when", "on_success") != "never", r
    sources.append(m.group(1))
open("gl-sources", "w").write("\n".join(sources) + "\n")
EOF

# The man page's copies: its "GitHub Actions" and "GitLab CI" examples
# under CI RECIPES, unescaped, are the README's scripts.
python3 - "$SRCDIR/man/nfguard.1" <<'EOF'
import re, sys
man = open(sys.argv[1]).read().split(".SH CI RECIPES\n", 1)[1].split("\n.SH ", 1)[0]
blocks = re.findall(r"\n\.EX\n(.*?)\n\.EE\n", man, re.S)
def unroff(s):
    for a, b in (("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\e", "\\"), ("\\&", "")):
        s = s.replace(a, b)
    return s.rstrip("\n")
got = [unroff(b) for b in blocks]
for f in ("gh-step.sh", "gl-script.sh"):
    want = open(f).read().rstrip("\n")
    assert want in got, "man page lacks the README's %s:\n%s" % (f, want)
EOF

# gh_run EVENT REF SHA BEFORE BASE_SHA: runs the workflow's scan step in
# ci/ as GitHub does (bash -e, pipefail; the step's env expressions read
# from the event; GITHUB_* set). Sets $rc; stdout/stderr in $WORK.
gh_run() {
	python3 - "$@" >"$top/gh-ctx.env" <<'EOF'
import json, re, sys
event, ref, sha, before, base_sha = sys.argv[1:6]
ctx = {"github": {"event_name": event, "ref": ref, "sha": sha,
       "base_ref": "main" if event == "pull_request" else "",
       "event": {"repository": {"default_branch": "main"}}}}
ev = ctx["github"]["event"]
if event == "push":
    ev["before"] = before
    ev["forced"] = before not in ("", "0" * 40)
else:
    ev["pull_request"] = {"base": {"sha": base_sha, "ref": "main"}}
def value(expr):
    cur = ctx
    for k in expr.split("."):
        cur = cur.get(k, "") if isinstance(cur, dict) else ""
    return "true" if cur is True else "false" if cur is False else str(cur)
env = {"GITHUB_EVENT_NAME": event, "GITHUB_REF": ref, "GITHUB_SHA": sha,
       "GITHUB_BASE_REF": ctx["github"]["base_ref"]}
for k, v in json.load(open("gh-env.json")).items():
    m = re.fullmatch(r"\$\{\{ *([\w.]+) *\}\}", v)
    env[k] = value(m.group(1)) if m else v
for k, v in env.items():
    print("%s=%s" % (k, v))
EOF
	set --
	while IFS= read -r _kv; do set -- "$@" "$_kv"; done <"$top/gh-ctx.env"
	(cd "$top/ci" && rm -f nfguard.sarif &&
		env "$@" bash --noprofile --norc -eo pipefail "$top/gh-step.sh" \
			>"$WORK/out" 2>"$WORK/err") && rc=0 || rc=$?
	record_output "$WORK/out" "$WORK/err" "$top/ci/nfguard.sarif"
}

# gl_checkout REFSPEC SHA: ci/ as the GitLab runner (GIT_DEPTH 0) leaves it:
# only the pipeline's ref fetched, SHA checked out detached.
gl_checkout() {
	rm -rf "$top/ci"
	git init -q "$top/ci"
	git -C "$top/ci" remote add origin "file://$top/hub.git"
	git -C "$top/ci" fetch -q --no-tags origin "+$1"
	git -C "$top/ci" checkout -q --detach "$2"
}

# gl_run SOURCE SHA BEFORE BRANCH TAG DIFF_BASE: the job's script in ci/
# with the predefined variables of that pipeline, if the rules run it.
gl_run() {
	grep -qx "$1" "$top/gl-sources" ||
		fail "the GitLab job does not run in '$1' pipelines: nothing is scanned"
	(cd "$top/ci" && rm -f nfguard.json &&
		env CI=true GITLAB_CI=true CI_PIPELINE_SOURCE="$1" \
			CI_COMMIT_SHA="$2" CI_COMMIT_BEFORE_SHA="$3" \
			${4:+CI_COMMIT_BRANCH="$4"} ${5:+CI_COMMIT_TAG="$5"} \
			CI_COMMIT_REF_NAME="${4:-${5:-pr}}" CI_DEFAULT_BRANCH=main \
			${6:+CI_MERGE_REQUEST_DIFF_BASE_SHA="$6"} \
			${6:+CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main} \
			bash --noprofile --norc -eo pipefail "$top/gl-script.sh" \
			>"$WORK/out" 2>"$WORK/err"
	) && rc=0 || rc=$?
	record_output "$WORK/out" "$WORK/err" "$top/ci/nfguard.json"
}

# want PATH COMMIT TOKEN...: the expected findings, "path commit fp".
want() {
	while [ $# -ge 3 ]; do
		printf '%s %s %s\n' "$1" "$2" "$(fp "$3")"
		shift 3
	done | sort
}
# gh_found / gl_found: the findings of ci/nfguard.sarif or ci/nfguard.json.
gh_found() {
	jq -r '.runs[0].results[] | "\(.locations[0].physicalLocation.artifactLocation.uri) \(.properties.commit) \(.partialFingerprints["nfguardFingerprint/v1"])"' \
		"$top/ci/nfguard.sarif" | sort
}
gl_found() {
	jq -r '.findings[] | "\(.path) \(.commit) \(.fingerprint)"' \
		"$top/ci/nfguard.json" | sort
}
# expect_run WHAT RC [PATH COMMIT TOKEN]...: the last GitHub or GitLab
# run ($ci) exited with RC and reported exactly these findings.
expect_run() {
	_what=$1 _rc=$2
	shift 2
	[ "$rc" = "$_rc" ] || {
		cat "$WORK/err" >&2
		fail "$_what: exit status $rc, expected $_rc"
	}
	assert_eq "$("${ci}_found")" "$(want "$@")" "$_what: findings"
}

# The hosted repository: a legacy token (revoked, long pushed) on main and
# the baseline made when adopting the gate.
hub_with_baseline

# The first push of the default branch: the whole history, less the
# baseline: the legacy token is not reported.
ci=gh
gh_checkout refs/heads/main
gh_run push refs/heads/main "$b0" "$zeros" ''
expect_run "GitHub, first push" 0
ci=gl
gl_checkout refs/heads/main:refs/remotes/origin/main "$b0"
gl_run push "$b0" "$zeros" main '' ''
expect_run "GitLab, first push" 0

# A fast-forward push of two commits, the first adding a token.
cd dev
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >new.env
commit_at '2024-01-04 10:00:00 +0000' 'add key'
k1=$(git rev-parse HEAD)
printf 'two\n' >>README.md
commit_at '2024-01-05 10:00:00 +0000' c5
c5=$(git rev-parse HEAD)
git push -q origin main
cd "$top"
ci=gh
gh_checkout refs/heads/main
gh_run push refs/heads/main "$c5" "$b0" ''
expect_run "GitHub, push" 1 new.env "$k1" "$t1"
ci=gl
gl_checkout refs/heads/main:refs/remotes/origin/main "$c5"
gl_run push "$c5" "$b0" main '' ''
expect_run "GitLab, push" 1 new.env "$k1" "$t1"

# A force-push to the default branch; the server still has the old tip
# (not in the clone: fetched by its id). Only the new commit is scanned.
cd dev
git reset -q --hard "$b0"
t3=$(mktoken)
printf 'F=%s\n' "$t3" >force.env
commit_at '2024-01-06 10:00:00 +0000' force
f1=$(git rev-parse HEAD)
git push -q -f origin main
cd "$top"
ci=gh
gh_checkout refs/heads/main
! git -C ci cat-file -e "$c5^{commit}" 2>/dev/null || fail "old tip in the clone"
gh_run push refs/heads/main "$f1" "$c5" ''
expect_run "GitHub, force-push" 1 force.env "$f1" "$t3"
ci=gl
gl_checkout refs/heads/main:refs/remotes/origin/main "$f1"
gl_run push "$f1" "$c5" main '' ''
expect_run "GitLab, force-push" 1 force.env "$f1" "$t3"

# A force-push whose old tip is gone from the server (pruned): the whole
# history of the new tip, less the baseline.
cd dev
git reset -q --hard "$b0"
t4=$(mktoken)
printf 'G=%s\n' "$t4" >gone.env
commit_at '2024-01-07 10:00:00 +0000' gone
f2=$(git rev-parse HEAD)
git push -q -f origin main
cd "$top"
git -C hub.git reflog expire --expire=now --all
git -C hub.git gc -q --prune=now
! git -C hub.git cat-file -e "$f1^{commit}" 2>/dev/null || fail "old tip kept"
ci=gh
gh_checkout refs/heads/main
gh_run push refs/heads/main "$f2" "$f1" ''
expect_run "GitHub, force-push, old tip gone" 1 gone.env "$f2" "$t4"
ci=gl
gl_checkout refs/heads/main:refs/remotes/origin/main "$f2"
gl_run push "$f2" "$f1" main '' ''
expect_run "GitLab, force-push, old tip gone" 1 gone.env "$f2" "$t4"

# A new branch: what the default branch does not have.
cd dev
git checkout -q -b feature
t5=$(mktoken)
printf 'x: %s\n' "$t5" >feature.yml
commit_at '2024-01-08 10:00:00 +0000' feature
fe1=$(git rev-parse HEAD)
git push -q origin feature
git push -q origin "$f2:refs/heads/same"
cd "$top"
ci=gh
gh_checkout refs/heads/feature
gh_run push refs/heads/feature "$fe1" "$zeros" ''
expect_run "GitHub, new branch" 1 feature.yml "$fe1" "$t5"
ci=gl
gl_checkout refs/heads/feature:refs/remotes/origin/feature "$fe1"
gl_run push "$fe1" "$zeros" feature '' ''
expect_run "GitLab, new branch" 1 feature.yml "$fe1" "$t5"
# A new branch on a commit main has: nothing new, and stderr says so.
empty=$(printf "nfguard: warning: the range '%s' holds no commit\nnfguard: warning: nothing was scanned (0 bytes)" "$f2")
ci=gh
gh_checkout refs/heads/same
gh_run push refs/heads/same "$f2" "$zeros" ''
expect_run "GitHub, new branch, no new commit" 0
assert_eq "$(cat "$WORK/err")" "$empty" "GitHub, new branch, no new commit: stderr"
ci=gl
gl_checkout refs/heads/same:refs/remotes/origin/same "$f2"
gl_run push "$f2" "$zeros" same '' ''
expect_run "GitLab, new branch, no new commit" 0
assert_eq "$(cat "$WORK/err")" "$empty" "GitLab, new branch, no new commit: stderr"

# An annotated tag on a commit no branch has, its message holding a
# token too.
cd dev
git checkout -q --detach "$f2"
t6=$(mktoken)
printf 'T=%s\n' "$t6" >tag.env
commit_at '2024-01-09 10:00:00 +0000' tagged
tg1=$(git rev-parse HEAD)
t7=$(mktoken)
GIT_COMMITTER_DATE='2024-01-09 11:00:00 +0000' git tag -a -m "release $t7" v1
tag1=$(git rev-parse v1)
git push -q origin v1
cd "$top"
ci=gh
gh_checkout refs/tags/v1
gh_run push refs/tags/v1 "$tg1" "$zeros" ''
expect_run "GitHub, tag" 1 tag.env "$tg1" "$t6" '' "$tag1" "$t7"
ci=gl
gl_checkout refs/tags/v1:refs/tags/v1 "$tg1"
gl_run push "$tg1" "$zeros" '' v1 ''
expect_run "GitLab, tag" 1 tag.env "$tg1" "$t6" '' "$tag1" "$t7"

# A pull request / merge request of a branch into main. GitHub checks out
# the merge of it into main (refs/pull/1/merge); GitLab its head.
cd dev
git checkout -q -b pr "$f2"
t8=$(mktoken)
printf 'P=%s\n' "$t8" >pr.env
commit_at '2024-01-10 10:00:00 +0000' 'pull request'
pr1=$(git rev-parse HEAD)
git checkout -q --detach "$f2"
GIT_COMMITTER_DATE='2024-01-10 11:00:00 +0000' \
	git merge -q --no-ff -m 'Merge pull request #1' "$pr1"
m1=$(git rev-parse HEAD)
git push -q origin "$pr1:refs/heads/pr" "$m1:refs/pull/1/merge" \
	"$pr1:refs/merge-requests/1/head"
cd "$top"
ci=gh
gh_checkout refs/pull/1/merge
gh_run pull_request refs/pull/1/merge "$m1" '' "$f2"
expect_run "GitHub, pull request" 1 pr.env "$pr1" "$t8"
ci=gl
gl_checkout refs/merge-requests/1/head:refs/merge-requests/1/head "$pr1"
gl_run merge_request_event "$pr1" "$zeros" '' '' "$f2"
expect_run "GitLab, merge request" 1 pr.env "$pr1" "$t8"
