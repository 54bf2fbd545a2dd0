#!/bin/sh
# A token inside a file name, an author's name or email, a tag name or a
# problem's message is redacted in every report and on stderr, like the
# secrets themselves: nothing nfguard prints holds a whole token unless
# --show-secret is given.
set -eu

tp=$(mktoken) t1=$(mktoken) ta=$(mktoken) te=$(mktoken) tt=$(mktoken)
tm=$(mktoken) tb=$(mktoken)

# no_whole_token FILE...: none of the planted tokens appears whole.
no_whole_token() {
	for _t in "$tp" "$ta" "$te" "$tt" "$tb"; do
		! grep -qF "$_t" "$@" || fail "a whole token in $*"
	done
}

# A file whose name holds a token (tp), holding another (t1).
mkdir tree
printf 'K=%s\n' "$t1" >"tree/$tp.env"
for f in json sarif human; do
	nfg dir -f "$f" tree
	expect_rc 1
	no_whole_token "$WORK/out" "$WORK/err"
done
nfg dir -f json tree
assert_eq "$(jq_out '.findings[0].path')" "$(redact "$tp").env" 'path'
assert_eq "$(jq_out '.findings[0].secret_redacted')" "$(redact "$t1")" \
	'secret_redacted'
# A folder named after a token, scanned as the target: the report's
# targets and SARIF's root name it redacted.
td=$(mktoken)
mkdir "$td"
printf 'K=%s\n' "$t1" >"$td/a.env"
for f in json sarif human; do
	nfg dir -f "$f" "$td"
	expect_rc 1
	! grep -qF "$td" "$WORK/out" "$WORK/err" || fail "folder token in $f"
done
nfg dir -f json "$td"
assert_eq "$(jq_out '.scan.targets[0]')" "$(redact "$td")" 'scan.targets'
# --show-secret shows them whole, as asked.
nfg dir -f json --show-secret tree
assert_eq "$(jq_out '.findings[0].path')" "$tp.env" 'path, --show-secret'

# History: an author's name and email, and a tag's name, with tokens.
mkrepo r
cd r
printf 'K=%s\n' "$t1" >a.env
git add a.env
GIT_AUTHOR_NAME="Dev $ta" GIT_AUTHOR_EMAIL="$te@example.com" \
	git commit -q -m 'add a.env'
c=$(git rev-parse HEAD)
git tag -a "v1/$tt" -m "release notes: $tm"
cd ..
for f in json sarif human; do
	nfg git -f "$f" r
	expect_rc 1
	no_whole_token "$WORK/out" "$WORK/err"
done
nfg git -f json r
assert_eq "$(jq -r --arg c "$c" '.findings[] | select(.location == "file") | "\(.author_name) \(.author_email) \(.commit)"' "$WORK/out")" \
	"Dev $(redact "$ta") $(redact "$te")@example.com $c" 'author fields'
assert_eq "$(jq -r '.findings[] | select(.location == "tag-message") | "\(.ref) \(.secret_redacted)"' "$WORK/out")" \
	"v1/$(redact "$tt") $(redact "$tm")" 'tag name and tag message'

# A problem's message names an input that holds a token: redacted too.
if [ -r /proc/self/mem ]; then
	ln -s /proc/self/mem "$tb.bin"
	nfg dir -f json "$tb.bin"
	expect_rc 2
	assert_eq "$(cat "$WORK/err")" \
		"nfguard: $(mem_error "$(redact "$tb").bin")
nfguard: warning: nothing was scanned (0 bytes)" \
		'stderr'
	assert_eq "$(jq_out '.scan.problems[0].message')" \
		"$(mem_error "$(redact "$tb").bin")" \
		'scan.problems'
	no_whole_token "$WORK/out" "$WORK/err"
fi
