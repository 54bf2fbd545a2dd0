#!/bin/sh
# Validates a SARIF file the way GitHub code scanning will judge it: valid
# UTF-8, the SARIF 2.1.0 JSON schema (ajv, draft 2020-12, with formats),
# Microsoft's SARIF Multitool (rule kinds Sarif and Ghas), and GitHub's
# documented limits that neither checks (rule texts, security-severity as a
# numeric string, full regions, at most 25,000 results per run).
#
# Usage: NFG_VALIDATORS=DEST validate-sarif.sh FILE
#   DEST: a folder made by tests/tools/install-validators.sh.
#   NFG_SARIF_STRICT=1: Multitool warnings count as errors too (by default
#   they are printed only; every GitHub (GH*) rule reports at level error).
# Prints every problem found; exit 0 valid, 1 invalid, 2 cannot validate.
set -eu

me=validate-sarif
die() {
	printf '%s: %s\n' "$me" "$*" >&2
	exit 2
}

[ $# -eq 1 ] || die "usage: NFG_VALIDATORS=DEST validate-sarif.sh FILE"
file=$1
if [ ! -f "$file" ] || [ ! -r "$file" ]; then
	die "cannot read '$file'"
fi
dest=${NFG_VALIDATORS:-}
[ -n "$dest" ] || die "NFG_VALIDATORS is not set (see install-validators.sh)"
mt_dir=$dest/node_modules/@microsoft/sarif-multitool-linux
schema=$mt_dir/sarif-2.1.0.json
multitool=$mt_dir/Sarif.Multitool
ajv_cli=$dest/node_modules/ajv-cli/dist/index.js
[ -f "$schema" ] || die "no SARIF schema at '$schema'"
[ -x "$multitool" ] || die "no Sarif.Multitool at '$multitool'"
[ -f "$ajv_cli" ] || die "no ajv-cli in '$dest'"
command -v node >/dev/null 2>&1 || die "node not found"
command -v jq >/dev/null 2>&1 || die "jq not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/validate-sarif.XXXXXX") ||
	die "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
# Both tools take their input by name: ajv-cli picks its parser from the
# extension (.json only) and treats glob characters as patterns, and the
# Multitool treats its argument as a file pattern too. Give them a copy.
cp "$file" "$tmp/input.json" || die "cannot copy '$file'"
cp "$file" "$tmp/input.sarif" || die "cannot copy '$file'"

failed=0
# problem CHECK TEXT...: report one problem found by CHECK.
problem() {
	_c=$1
	shift
	printf '%s: %s: %s\n' "$file" "$_c" "$*"
}

# 1. SARIF files are UTF-8 (SARIF 2.1.0 §3.1); both tools below silently
# replace invalid bytes, so check first.
if ! iconv -f UTF-8 -t UTF-8 "$tmp/input.json" >/dev/null 2>&1; then
	at=$(iconv -f UTF-8 -t UTF-8 "$tmp/input.json" 2>&1 >/dev/null |
		sed -n 's/.*position \([0-9][0-9]*\).*/\1/p')
	problem utf-8 "not valid UTF-8 (first bad byte at offset ${at:-?})"
	failed=1
fi

# 2. The SARIF 2.1.0 schema shipped with the Multitool ($schema: draft
# 2020-12), formats (uri, uri-reference, date-time) checked by ajv-formats.
set +e
(cd "$tmp" && node "$ajv_cli" validate --spec=draft2020 -c ajv-formats \
	--all-errors --errors=json -s "$schema" -d input.json) \
	>"$tmp/ajv.out" 2>"$tmp/ajv.err"
ajv_rc=$?
set -e
case $ajv_rc in
0) ;;
1)
	failed=1
	# stderr: "input.json invalid", then a JSON array of errors.
	if ! sed 1d "$tmp/ajv.err" | jq -r '.[] |
		"\(.instancePath | if . == "" then "/" else . end): \(.message)" +
		(if (.params // {}) == {} then "" else " \(.params | tojson)" end)' \
		>"$tmp/ajv.list" 2>/dev/null; then
		cp "$tmp/ajv.err" "$tmp/ajv.list"
	fi
	while IFS= read -r line; do
		problem schema "$line"
	done <"$tmp/ajv.list"
	;;
*)
	cat "$tmp/ajv.out" "$tmp/ajv.err" | sed "s|$tmp/input.json|$file|g" >&2
	problem schema "ajv could not check the file (exit $ajv_rc)"
	failed=1
	;;
esac

# 3. The Multitool. Its exit status says nothing about the file, so the
# verdict comes from its report (itself a SARIF log): results at level
# error, and whether the run itself succeeded. Invariant globalization
# mode: no ICU library needed, same verdicts.
set +e
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1} \
	DOTNET_CLI_TELEMETRY_OPTOUT=1 \
	"$multitool" validate "$tmp/input.sarif" --rule-kind "Sarif;Ghas" \
	--max-file-size-in-kb 1048576 -o "$tmp/report.sarif" \
	>"$tmp/mt.out" 2>&1
mt_rc=$?
set -e
if [ ! -s "$tmp/report.sarif" ] ||
	! jq -e '.runs[0].invocations[0].executionSuccessful == true' \
		"$tmp/report.sarif" >/dev/null 2>&1; then
	cat "$tmp/mt.out" >&2
	problem multitool "Sarif.Multitool did not complete (exit $mt_rc)"
	failed=1
else
	levels='"error"'
	[ "${NFG_SARIF_STRICT:-}" = 1 ] && levels='"error", "warning"'
	mt_errors=$(jq "[.runs[].results[]? |
		select((.level // \"warning\") == ($levels))]
		+ [.runs[].invocations[]? | (.toolExecutionNotifications[]?,
		.toolConfigurationNotifications[]?) | select(.level == \"error\")]
		| length" "$tmp/report.sarif")
	# Its console lines carry the formatted messages:
	# "PATH(line,col): error GH2012: runs[0]...: text".
	grep -E ': (error|warning|note) [A-Z]' "$tmp/mt.out" |
		sed "s|^$tmp/input.sarif|multitool|" >"$tmp/mt.list" || true
	while IFS= read -r line; do
		printf '%s: %s\n' "$file" "$line"
	done <"$tmp/mt.list"
	if [ "$mt_errors" != 0 ]; then
		problem multitool "$mt_errors error(s) in its report"
		failed=1
	fi
fi

# 4. GitHub code scanning requirements the tools above do not enforce.
if jq -e . "$tmp/input.json" >/dev/null 2>&1; then
	jq -r '
	def text($o): ($o | type) == "object" and ($o.text | type) == "string"
		and ($o.text | test("\\S"));
	def pos($v): ($v | type) == "number" and $v >= 1 and $v == ($v | floor);
	(.runs // []) | to_entries[] | .key as $r | .value as $run |
	( if (($run.results // []) | length) > 25000 then
		"runs[\($r)]: \($run.results | length) results (GitHub accepts at most 25000 per run)"
	  else empty end ),
	( ($run.tool.driver.rules // []) | to_entries[] | .key as $i | .value |
	  "runs[\($r)].tool.driver.rules[\($i)]" as $p |
	  ( if text(.shortDescription) then empty else "\($p): no shortDescription.text" end ),
	  ( if text(.fullDescription) then empty else "\($p): no fullDescription.text" end ),
	  ( if text(.help) then empty else "\($p): no help.text" end ),
	  ( .properties["security-severity"] as $s |
	    if $s == null then empty
	    elif ($s | type) != "string" then
	      "\($p): properties.security-severity is a \($s | type), not a numeric string"
	    elif ($s | test("^[0-9]+(\\.[0-9]+)?$") | not) or ($s | tonumber) > 10 then
	      "\($p): properties.security-severity \($s | tojson) is not a number from 0.0 to 10.0"
	    else empty end ) ),
	( ($run.results // []) | to_entries[] | .key as $i | .value |
	  "runs[\($r)].results[\($i)]" as $p |
	  ( if text(.message) then empty else "\($p): no message.text" end ),
	  ( if ((.locations // []) | length) == 0 then "\($p): no locations"
	    else .locations[0].physicalLocation as $pl |
	      ( if ($pl.artifactLocation.uri | type) == "string" then empty
	        else "\($p).locations[0]: no physicalLocation.artifactLocation.uri" end ),
	      ( $pl.region as $g | ["startLine", "startColumn", "endLine", "endColumn"][] |
	        select(pos($g[.]) | not) |
	        "\($p).locations[0].physicalLocation.region: no valid \(.)" )
	    end ) )
	' "$tmp/input.json" >"$tmp/gh.list" || {
		problem github "jq could not check the file"
		failed=1
	}
	while IFS= read -r line; do
		problem github "$line"
		failed=1
	done <"$tmp/gh.list"
else
	# Not JSON at all: the schema and Multitool checks said so already.
	failed=1
fi

if [ "$failed" = 0 ]; then
	printf '%s: valid SARIF (schema, Multitool Sarif;Ghas, GitHub limits)\n' \
		"$file"
	exit 0
fi
printf '%s: INVALID SARIF\n' "$file" >&2
exit 1
