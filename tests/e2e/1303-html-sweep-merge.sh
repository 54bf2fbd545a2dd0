#!/bin/sh
# -f html of a sweep, and of merge: one table row per repository in the
# sweep's order with its status, tokens, live tokens, findings, commits
# and error; the missing repository in red among the problems (exit 2,
# the report written); a token in two repositories is one card whose
# places name both; a repository whose name holds markup is text. The
# shards' JSON reports merged with -f html give the same page but for the
# times (what the page needs survives the round trip).
set -eu
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

ts=$(mktoken)
t1=$(mktoken)
odd='<b>odd</b>'
mkrepo alpha
(
	cd alpha
	printf 'k=%s\n' "$ts" >a.env
	commit_at '2024-01-01 00:00:00 +0000' one
)
mkrepo "$odd"
(
	cd "$odd"
	printf 'x\nk=%s\nj=%s\n' "$t1" "$ts" >keys.txt
	commit_at '2024-05-01 00:00:00 +0000' one
)
mkrepo empty
printf 'alpha\n%s\nempty\nmissing\n' "$odd" >repos.txt

nfg git --repos-from repos.txt -f html -o sweep.html
expect_rc 2
expect_stderr "nfguard: 'missing': cannot open 'missing'"
page sweep.html sweep.json
s() {
	jq -c "$1" sweep.json
}
assert_eq "$(s '.summary | [.tokens, .findings, .repositories, .failed,
	.errors > 0]')" '[2,3,4,1,true]' "summary"
assert_eq "$(s '[.repos[] | [.repository, .status, .cells.tokens,
	.cells.live, .cells.findings, .cells.commits]]')" \
	"$(jq -nc --arg o "$odd" '[["alpha","scanned","1","0","1","1"],
		[$o,"scanned","2","0","2","1"],["empty","empty","0","0","0","0"],
		["missing","failed","0","0","0","0"]]')" "repository rows"
s '.repos[3].cells.error' | grep -q . || fail "no error for missing"
assert_eq "$(s '[.problems[] | select(.class == "incomplete") |
	.repository]')" '["missing"]' "incomplete repositories"
assert_eq "$(s '[.bars[] | [.fingerprint, .start]]')" \
	"$(jq -nc --arg s "$(fp "$ts")" --arg t "$(fp "$t1")" \
		'[[$s, "2024-01-01T00:00:00Z"], [$t, "2024-05-01T00:00:00Z"]]')" \
	"timeline"
assert_eq "$(jq -c --arg f "$(fp "$ts")" '.cards[] |
	select(.fingerprint == $f) |
	[[.places[] | [.repository, .path, .first]], .first.repository]' \
	sweep.json)" \
	"$(jq -nc --arg o "$odd" \
		'[[["alpha", "a.env", true], [$o, "keys.txt", false]], "alpha"]')" \
	"the shared token's places"
grep -qF '&lt;b&gt;odd&lt;/b&gt;' sweep.html || fail "markup in a name"

# The same through shards and merge.
for i in 1 2; do
	nfg git --repos-from repos.txt --shard "$i/2" -f json -o "s$i.json"
done
nfg merge -f html -o merged.html s1.json s2.json
expect_rc 2
page merged.html merged.json
view='del(.scan.started_at, .scan.duration, .title) |
	.bars |= map(del(.end)) | .cards |= map(del(.facts.exposed))'
assert_eq "$(jq -c "$view | del(.csp)" merged.json)" \
	"$(jq -c "$view | del(.csp)" sweep.json)" "merged page vs the sweep's"
for t in "$ts" "$t1"; do
	! grep -qF "$t" sweep.html merged.html || fail "a whole token"
done
