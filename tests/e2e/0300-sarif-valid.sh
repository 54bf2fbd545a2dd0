#!/bin/sh
# nfguard dir -f sarif writes SARIF that the real validators accept: the
# SARIF 2.1.0 schema (ajv) and Microsoft's SARIF Multitool (rule kinds Sarif
# and Ghas), installed from the npm registry by tests/tools/
# install-validators.sh into $BUILDDIR/validators on the first run. Also
# checks with jq: one result per planted token at the right file, line and
# columns, its fingerprint, no token anywhere, and GitHub's rule fields.
# Without npm or the registry the test is skipped, except in CI.
# shellcheck disable=SC2016 # $names in single quotes are jq variables
set -eu

# --- Validators (installed once per build folder; idempotent).
sarif_validators
command -v perl >/dev/null 2>&1 || fail "perl not found (perl-base)"

# --- A tree whose root, folders and file names need URI escaping.
root="my tree"
mkdir -p "$root/dir with space" "$root/naïve" "$root/odd"
t1=$(mktoken 16) t2=$(mktoken 256) t3=$(mktoken) t4=$(mktoken 40)
t5=$(mktoken) t6=$(mktoken 24) t7=$(mktoken) t8=$(mktoken 64)

p1=.env
p2="dir with space/conf file.yaml"
p3="naïve/日本語 ü.json"
p4=two.txt
p6="odd/a#b%c?d[e] f.txt"
p7="c:d.txt"
p8=$(printf 'bad-\377\376.txt')

printf 'APP=1\nNOTIFLOWS_TOKEN=%s\n' "$t1" >"$root/$p1"
printf 'a: 1\nnotiflows:\n  token: %s\n' "$t2" >"$root/$p2"
printf '{\n  "token": "%s"\n}\n' "$t3" >"$root/$p3"
printf 'a=%s b=%s\n' "$t4" "$t5" >"$root/$p4"
printf 'x %s' "$t6" >"$root/$p6"
printf '%s\n' "$t7" >"$root/$p7"
printf 'k=%s\r\n' "$t8" >"$root/$p8"
ntokens=8

nfg dir -f sarif -o out.sarif "$root"
expect_rc 1
expect_no_stderr
[ -s out.sarif ] || fail "no SARIF file written"

# --- The validators (warnings count too: nfguard's SARIF has none).
expect_sarif_valid out.sarif "the SARIF"

# --- No token, and no token body, in any output byte.
for t in "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$t8"; do
	if grep -aqF -- "${t#nf_at_}" out.sarif "$WORK/out" "$WORK/err"; then
		fail "a token appears in the SARIF output"
	fi
done

# --- Shape: one run, the driver's rules as GitHub wants them.
sj() {
	jq -r "$1" out.sarif
}
assert_eq "$(sj '"\(.version) \(.runs | length)"')" "2.1.0 1" \
	"version and number of runs"
assert_eq "$(sj '.runs[0].tool.driver.name')" nfguard "tool.driver.name"
assert_eq "$(sj '.runs[0].tool.driver.rules as $r | [$r[] | select(
	(.shortDescription.text | type) == "string" and
	(.shortDescription.text | length) > 0 and
	(.fullDescription.text | type) == "string" and
	(.fullDescription.text | length) > 0 and
	(.help.text | type) == "string" and (.help.text | length) > 0)] |
	length == ($r | length) and length > 0')" true \
	"every rule has shortDescription, fullDescription and help text"
assert_eq "$(sj '[.runs[0].tool.driver.rules[] |
	.properties["security-severity"] | select(type != "string" or
	(test("^[0-9]+(\\.[0-9]+)?$") | not) or tonumber > 10)] | length')" 0 \
	"security-severity values that are not numeric strings (0.0-10.0)"
assert_eq "$(sj '[.runs[0].tool.driver.rules[] |
	select(.id == "notiflows-account-token") |
	.properties["security-severity"] | type] | join(",")')" string \
	"security-severity of notiflows-account-token"

# --- One result per token.
assert_eq "$(sj '.runs[0].results | length')" "$ntokens" "number of results"

# The JSON report of the same tree, to compare columns with.
nfg dir -f json "$root"
expect_rc 1
cp "$WORK/out" report.json

# expect_result PATH TOKEN: exactly one result carries TOKEN's fingerprint
# in partialFingerprints; its rule, message and single location (URI that
# decodes to PATH relative to SRCROOT, full region) are right.
expect_result() {
	_er_fp=$(fp "$2")
	_er_n=$(jq --arg fp "$_er_fp" '[.runs[0].results[] |
		select([.partialFingerprints[]?] | index($fp))] | length' \
		out.sarif)
	[ "$_er_n" = 1 ] ||
		fail "$1: token in $_er_n results' partialFingerprints, expected 1"
	_er_r() {
		jq -r --arg fp "$_er_fp" ".runs[0].results[] |
			select([.partialFingerprints[]?] | index(\$fp)) | $1" \
			out.sarif
	}
	assert_eq "$(_er_r '"\(.ruleId) \(.level) \(.locations | length)"')" \
		"notiflows-account-token error 1" "$1: ruleId, level, locations"
	assert_eq "$(_er_r '.message.text | type')" string "$1: message.text"
	_er_uri=$(_er_r '.locations[0].physicalLocation.artifactLocation.uri')
	if printf '%s' "$_er_uri" | grep -qE '^([A-Za-z][A-Za-z0-9+.-]*:|/)'; then
		fail "$1: uri '$_er_uri' is not a relative reference (scheme or /)"
	fi
	_er_dec=$(printf '%s' "$_er_uri" |
		perl -pe 's/%([0-9A-Fa-f]{2})/chr(hex($1))/ge')
	[ "$_er_dec" = "$1" ] ||
		fail "uri '$_er_uri' decodes to '$_er_dec', expected '$1'"
	assert_eq "$(_er_r '.locations[0].physicalLocation.artifactLocation.uriBaseId')" \
		SRCROOT "$1: uriBaseId"
	# The region is where the token is in the file, and where the JSON
	# report puts it (columns count bytes: every line here is ASCII
	# before its token).
	_er_off=$(grep -aboF -- "$2" "$root/$1" | head -n 1 | cut -d: -f1)
	_er_pos=$(pos_of "$root/$1" "$_er_off")
	_er_line=${_er_pos% *} _er_col=${_er_pos#* }
	_er_want="$_er_line:$_er_col:$_er_line:$((_er_col + $(bytelen "$2")))"
	assert_eq "$(_er_r '.locations[0].physicalLocation.region |
		"\(.startLine):\(.startColumn):\(.endLine):\(.endColumn)"')" \
		"$_er_want" "$1: region startLine:startColumn:endLine:endColumn"
	assert_eq "$(jq -r --arg fp "$_er_fp" '.findings[] |
		select(.fingerprint == $fp) |
		"\(.line):\(.column):\(.line):\(.end_column)"' report.json)" \
		"$_er_want" "$1: the JSON report's line:column:line:end_column"
}
expect_result "$p1" "$t1"
expect_result "$p2" "$t2"
expect_result "$p3" "$t3"
expect_result "$p4" "$t4"
expect_result "$p4" "$t5"
expect_result "$p6" "$t6"
expect_result "$p7" "$t7"
expect_result "$p8" "$t8"

# SRCROOT, when given, is the scanned folder as an absolute file URI.
srcroot=$(sj '.runs[0].originalUriBaseIds.SRCROOT.uri // empty')
if [ -n "$srcroot" ]; then
	want="file://$(cd "$root" && pwd)/"
	got=$(printf '%s' "$srcroot" |
		perl -pe 's/%([0-9A-Fa-f]{2})/chr(hex($1))/ge')
	assert_eq "$got" "$want" "originalUriBaseIds.SRCROOT.uri, decoded"
	case $srcroot in
	*" "*) fail "SRCROOT uri '$srcroot' holds a raw space" ;;
	esac
fi

# --- An incomplete scan (a file whose read fails, named twice; and the
# same skipped on request): still valid SARIF, with
# executionSuccessful false and one error notification, or true and one
# warning notification.
bad=/proc/self/mem
msg=$(mem_error "$bad")
for mode in error skipped; do
	if [ "$mode" = error ]; then
		nfg dir -f sarif -o incomplete.sarif "$root" "$bad"
		expect_rc 2
		want="false 1 error $msg."
	else
		nfg dir -f sarif --skip-unreadable -o incomplete.sarif "$root" \
			"$bad"
		expect_rc 1
		want="true 1 warning $msg."
	fi
	expect_sarif_valid incomplete.sarif \
		"the SARIF of an incomplete scan ($mode)"
	assert_eq "$(jq -r '.runs[0].invocations[0] |
		"\(.executionSuccessful) \(.toolExecutionNotifications |
		length) \(.toolExecutionNotifications[0].level)" +
		" \(.toolExecutionNotifications[0].message.text)"' \
		incomplete.sarif)" "$want" \
		"executionSuccessful, notifications, level, text ($mode)"
done
