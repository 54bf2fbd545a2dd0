#!/bin/sh
# The GitHub Action (action.yml): its steps' scripts run as written, in
# bash as GitHub runs a composite action's steps (bash -e, pipefail; each
# step's env evaluated from the inputs, the event read from
# GITHUB_EVENT_PATH and the earlier steps' outputs; GITHUB_OUTPUT,
# GITHUB_PATH, RUNNER_TEMP, GITHUB_WORKSPACE set), on the push shapes of
# the CI recipes (first push, push, force-push whose old tip is gone, new
# branch), a pull request, and the history and unreachable modes. The
# install step asks a stand-in releases API on 127.0.0.1, which has no
# release, and falls back to the build, given this build's binary. Each
# run asserts the exit status, the action's outputs and the findings.
set -eu

. "$SRCDIR/tests/e2e/recipes.sh"
zeros=0000000000000000000000000000000000000000
command -v curl >/dev/null || fail "curl is missing"

# The stand-in releases API: 404 for everything, each path asked logged.
python3 - "$top/api-port" "$top/api-log" <<'EOF' &
import http.server, sys
port_file, log = sys.argv[1:3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(log, "a") as f:
            f.write(self.path + "\n")
        body = b'{"message": "Not Found"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
s.serve_forever()
EOF
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null || :' EXIT
i=0
while [ ! -s "$top/api-port" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "the stand-in API did not start"
	sleep 0.1
done
api="http://127.0.0.1:$(cat "$top/api-port")"

# The action's shape: composite, its inputs and outputs, the SARIF upload.
python3 - "$SRCDIR/action.yml" <<'EOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite", a["runs"]
assert sorted(a["inputs"]) == ["baseline", "fail-on", "format", "mode",
                               "upload-sarif", "verify"], a["inputs"]
assert sorted(a["outputs"]) == ["exit-code", "findings", "invalid", "live",
                                "report", "unknown"], a["outputs"]
steps = a["runs"]["steps"]
assert [s.get("id") for s in steps if "run" in s] == ["install", "scan"]
assert all(s.get("shell") == "bash" for s in steps if "run" in s)
up = [s for s in steps if s.get("uses") == "github/codeql-action/upload-sarif@v3"]
assert len(up) == 1, up
assert up[0]["if"].startswith("always() && "), up
assert up[0]["with"]["sarif_file"] == "${{ steps.scan.outputs.report }}", up
EOF

# The runner: action.yml's steps in order, as GitHub runs them.
cat >"$top/run-action.py" <<'EOF'
import json, os, re, subprocess, sys
action_file, event_name, ref, sha, inputs_json, out_dir = sys.argv[1:7]
a = __import__("yaml").safe_load(open(action_file))
inputs = {k: str(v.get("default", "")) for k, v in a["inputs"].items()}
inputs.update(json.loads(inputs_json))
event = json.load(open(os.environ["GITHUB_EVENT_PATH"]))
ctx = {"inputs": inputs, "steps": {},
       "github": {"event_name": event_name, "event": event, "ref": ref,
                  "sha": sha, "action_ref": os.environ["T_ACTION_REF"],
                  "action_repository": "nfguard/nfguard", "token": ""}}
def lookup(path):
    cur = ctx
    for k in path.split("."):
        cur = cur.get(k, "") if isinstance(cur, dict) else ""
    return "true" if cur is True else "false" if cur is False else str(cur)
def expand(v):
    return re.sub(r"\$\{\{ *([\w.-]+) *\}\}", lambda m: lookup(m.group(1)), str(v))
def cond(expr, failed):
    if not expr:
        return not failed
    ok = True
    for term in expr.split("&&"):
        term = term.strip()
        if term == "always()":
            continue
        m = re.fullmatch(r"([\w.-]+) *(==|!=) *'([^']*)'", term)
        assert m, term
        eq = lookup(m.group(1)) == m.group(3)
        ok = ok and (eq if m.group(2) == "==" else not eq)
    return ok if "always()" in expr else ok and not failed
paths, failed, result = [], False, {"steps": {}}
for i, step in enumerate(a["runs"]["steps"]):
    if not cond(step.get("if", ""), failed):
        continue
    if "uses" in step:
        result["uses"] = {step["uses"]: {k: expand(v) for k, v in step.get("with", {}).items()}}
        continue
    sid = step["id"]
    out = os.path.join(out_dir, "output-" + sid)
    open(out, "w").close()
    gpath = os.path.join(out_dir, "path-" + sid)
    open(gpath, "w").close()
    env = dict(os.environ)
    env.update({k: expand(v) for k, v in step.get("env", {}).items()})
    env.update(GITHUB_OUTPUT=out, GITHUB_PATH=gpath,
               GITHUB_EVENT_NAME=event_name, GITHUB_REF=ref, GITHUB_SHA=sha,
               GITHUB_ACTION_PATH=os.path.dirname(os.path.abspath(action_file)),
               PATH=":".join(paths + [os.environ["PATH"]]))
    script = os.path.join(out_dir, "step-" + sid + ".sh")
    open(script, "w").write(step["run"])
    with open(os.path.join(out_dir, sid + ".out"), "w") as so, \
         open(os.path.join(out_dir, sid + ".err"), "w") as se:
        rc = subprocess.call(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                             env=env, stdout=so, stderr=se, cwd=os.environ["GITHUB_WORKSPACE"])
    result["steps"][sid] = rc
    failed = failed or rc != 0
    outs = {}
    for line in open(out):
        k, v = line.rstrip("\n").split("=", 1)
        outs[k] = v
    ctx["steps"][sid] = {"outputs": outs}
    paths = [l.rstrip("\n") for l in open(gpath) if l.strip()] + paths
result["outputs"] = {k: expand(v["value"]) for k, v in a["outputs"].items()}
json.dump(result, sys.stdout, sort_keys=True)
EOF

# act EVENT REF SHA EVENT_JSON [INPUTS_JSON]: runs the action in ci/ on
# that event; the result (steps' statuses, uploads, outputs) in $WORK/out,
# the scan step's stderr in $WORK/err.
act() {
	rm -rf "$top/runner"
	mkdir -p "$top/runner/temp" "$top/runner/steps"
	printf '%s\n' "$4" >"$top/runner/event.json"
	(cd "$top/ci" && env -u NFGUARD GITHUB_EVENT_PATH="$top/runner/event.json" \
		GITHUB_WORKSPACE="$top/ci" RUNNER_TEMP="$top/runner/temp" \
		GITHUB_ACTIONS=true CI=true NFGUARD_RELEASES_API="$api" \
		NFGUARD_ACTION_BINARY="$NFGUARD" T_ACTION_REF=v9.9.9 \
		python3 "$top/run-action.py" "$SRCDIR/action.yml" "$1" "$2" "$3" \
		"${5:-{\}}" "$top/runner/steps" >"$WORK/out")
	cp "$top/runner/steps/scan.err" "$WORK/err" 2>/dev/null || : >"$WORK/err"
	record_output "$WORK/out" "$WORK/err" "$top/runner/steps/install.out" \
		"$top/runner/temp/nfguard.sarif" "$top/runner/temp/nfguard.json"
}
# expect_act INSTALL SCAN OUTPUTS: the steps' statuses and the outputs
# ("key=value" lines, sorted), the upload when a SARIF report is there.
expect_act() {
	assert_eq "$(jq -r '.steps | "install=\(.install) scan=\(.scan // "-")"' "$WORK/out")" \
		"install=$1 scan=$2" "steps' exit statuses"
	assert_eq "$(jq -r '.outputs | to_entries[] | "\(.key)=\(.value)"' "$WORK/out" | sort)" \
		"$3" "the action's outputs"
}
# found FILE: the findings of a report, "path commit fingerprint" sorted.
found() {
	case $1 in
	*.sarif) jq -r '.runs[0].results[] | "\(.locations[0].physicalLocation.artifactLocation.uri) \(.properties.commit) \(.partialFingerprints["nfguardFingerprint/v1"])"' "$1" ;;
	*) jq -r '.findings[] | "\(.path) \(.commit) \(.fingerprint)"' "$1" ;;
	esac | sort
}
outputs() {
	printf 'exit-code=%s\nfindings=%s\ninvalid=0\nlive=0\nreport=%s\nunknown=0\n' \
		"$1" "$2" "$top/runner/temp/nfguard.${3:-sarif}"
}
push_event() {
	printf '{"before": "%s", "forced": %s, "repository": {"default_branch": "main"}}' \
		"$1" "${2:-false}"
}

# The hosted repository: a legacy token in the baseline.
hub_with_baseline

# The first push of the default branch: the whole history less the
# baseline; the install step asked the stand-in for release v9.9.9.
gh_checkout refs/heads/main
act push refs/heads/main "$b0" "$(push_event "$zeros")"
expect_act 0 0 "$(outputs 0 0)"
assert_eq "$(cat "$top/api-log")" "/repos/nfguard/nfguard/releases/tags/v9.9.9" \
	"what the install step asked"
assert_eq "$(head -1 "$top/runner/steps/install.out")" \
	"nfguard: no release v9.9.9 of nfguard/nfguard (HTTP 404): building from source" \
	"the install step's first line"
assert_eq "$(jq -c .uses "$WORK/out")" \
	"{\"github/codeql-action/upload-sarif@v3\":{\"category\":\"nfguard\",\"sarif_file\":\"$top/runner/temp/nfguard.sarif\"}}" \
	"the upload step"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "" "findings"

# A push of a commit with a token: exit 1, the SARIF report still uploaded.
cd dev
t1=$(mktoken)
printf 'a=1\nKEY=%s\n' "$t1" >new.env
commit_at '2024-01-04 10:00:00 +0000' 'add key'
k1=$(git rev-parse HEAD)
git push -q origin main
cd "$top"
gh_checkout refs/heads/main
act push refs/heads/main "$k1" "$(push_event "$b0")"
expect_act 0 1 "$(outputs 1 1)"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "new.env $k1 $(fp "$t1")" "findings"
assert_eq "$(jq -r '.uses | keys[]' "$WORK/out")" \
	"github/codeql-action/upload-sarif@v3" "upload after a failed scan"

# A force-push whose old tip is gone: the whole history less the baseline.
cd dev
git reset -q --hard "$b0"
t2=$(mktoken)
printf 'G=%s\n' "$t2" >gone.env
commit_at '2024-01-05 10:00:00 +0000' gone
f1=$(git rev-parse HEAD)
git push -q -f origin main
cd "$top"
git -C hub.git reflog expire --expire=now --all
git -C hub.git gc -q --prune=now
gh_checkout refs/heads/main
act push refs/heads/main "$f1" "$(push_event "$k1" true)"
expect_act 0 1 "$(outputs 1 1)"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "gone.env $f1 $(fp "$t2")" "findings"

# A new branch: what the default branch does not have; JSON, no upload.
cd dev
git checkout -q -b feature
t3=$(mktoken)
printf 'x: %s\n' "$t3" >feature.yml
commit_at '2024-01-06 10:00:00 +0000' feature
fe1=$(git rev-parse HEAD)
git push -q origin feature
cd "$top"
gh_checkout refs/heads/feature
act push refs/heads/feature "$fe1" "$(push_event "$zeros")" '{"format": "json"}'
expect_act 0 1 "$(outputs 1 1 json)"
assert_eq "$(found "$top/runner/temp/nfguard.json")" "feature.yml $fe1 $(fp "$t3")" "findings"
assert_eq "$(jq -c '.uses // "none"' "$WORK/out")" '"none"' "upload of a JSON report"

# A pull request of the feature branch into main.
cd dev
git checkout -q --detach "$f1"
GIT_COMMITTER_DATE='2024-01-07 10:00:00 +0000' \
	git merge -q --no-ff -m 'Merge pull request #1' "$fe1"
m1=$(git rev-parse HEAD)
git push -q origin "$m1:refs/pull/1/merge"
cd "$top"
gh_checkout refs/pull/1/merge
act pull_request refs/pull/1/merge "$m1" \
	"{\"pull_request\": {\"base\": {\"sha\": \"$f1\", \"ref\": \"main\"}}}"
expect_act 0 1 "$(outputs 1 1)"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "feature.yml $fe1 $(fp "$t3")" "findings"

# history: every ref, less the baseline (it exists); unreachable: the
# commit the force-push left only in this clone's reflog-free objects too.
gh_checkout refs/heads/main
act push refs/heads/main "$f1" "$(push_event "$f1")" '{"mode": "history"}'
expect_act 0 1 "$(outputs 1 2)"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "$(printf '%s\n' \
	"feature.yml $fe1 $(fp "$t3")" "gone.env $f1 $(fp "$t2")" | sort)" "findings"
git -C dev push -q "$top/ci/.git" "$k1:refs/heads/tmp"
git -C ci update-ref -d refs/heads/tmp
act push refs/heads/main "$f1" "$(push_event "$f1")" '{"mode": "unreachable"}'
expect_act 0 1 "$(outputs 1 3)"
assert_eq "$(found "$top/runner/temp/nfguard.sarif")" "$(printf '%s\n' \
	"feature.yml $fe1 $(fp "$t3")" "gone.env $f1 $(fp "$t2")" \
	"new.env $k1 $(fp "$t1")" | sort)" "findings"

# Bad inputs stop the scan (exit 2) with nothing uploaded.
act push refs/heads/main "$f1" "$(push_event "$f1")" '{"mode": "all"}'
expect_act 0 2 "$(printf 'exit-code=\nfindings=\ninvalid=\nlive=\nreport=\nunknown=')"
assert_eq "$(cat "$top/runner/steps/scan.out")" \
	"::error::nfguard: mode must be range, history or unreachable, not 'all'" "scan step"
assert_eq "$(jq -c '.uses // "none"' "$WORK/out")" '"none"' "upload without a report"
# --fail-on live without verify: nfguard refuses (exit 2), said.
act push refs/heads/main "$f1" "$(push_event "$f1")" '{"mode": "history", "fail-on": "live"}'
expect_act 0 2 "$(printf 'exit-code=2\nfindings=\ninvalid=\nlive=\nreport=\nunknown=')"
expect_stderr "nfguard: --fail-on live needs --verify"
