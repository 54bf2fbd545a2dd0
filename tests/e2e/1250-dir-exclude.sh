#!/bin/sh
# nfguard dir leaves out what it is asked to, never silently: --exclude GLOB
# (and --exclude-glob, the same) matched below the folder scanned, a folder
# that matches not walked at all, --max-file-size SIZE, and the config
# file's exclude_paths (anchored at its folder) and max_file_size. Each file
# or folder left out is counted in every format (JSON scan.excluded and
# scan.too_large, SARIF run properties, the human summary) and named by -v,
# sorted, with a token in a name redacted; none of it is an error.
set -eu

t_keep=$(mktoken) t_vend=$(mktoken) t_log=$(mktoken) t_big=$(mktoken)
t_name=$(mktoken)
mkdir -p tree/src tree/vendor/lib tree/vendor/locked tree/logs
printf 'T=%s\n' "$t_keep" >tree/src/app.env
printf 'T=%s\n' "$t_vend" >tree/vendor/lib/leak.env
# What only a walk into vendor/ meets: a git pack (an error, root or not)
# and a folder nobody but root may open (an error for anyone else).
printf 'PACK\000\000\000\002' >tree/vendor/lib/objects.pack
chmod 000 tree/vendor/locked
trap 'chmod 700 tree/vendor/locked' EXIT
printf 'T=%s\n' "$t_log" >tree/logs/app.log
printf 'nothing here\n' >"tree/logs/$t_name.log"
{
	printf 'T=%s\n' "$t_big"
	head -c 2000 /dev/zero | tr '\0' x
	echo
} >tree/src/big.txt
big=$(wc -c <tree/src/big.txt | tr -d ' ')
keep=$(wc -c <tree/src/app.env | tr -d ' ')

# The traps work: without excludes the walk meets them (exit 2).
nfg dir -f json tree
expect_rc 2
expect_stderr "nfguard: 'vendor/lib/objects.pack' is a git pack"
assert_eq "$(jq_out '"\(.scan.excluded) \(.scan.too_large)"')" "0 0" \
	"excluded and too_large of a plain run"

# expect_skip_counts FILES EXCLUDED TOO_LARGE: the last -f json report.
expect_skip_counts() {
	assert_eq "$(jq_out '[.scan.files_scanned, .scan.excluded,
		.scan.too_large, .scan.errors] | map(tostring) | join(" ")')" \
		"$1 $2 $3 0" "files_scanned excluded too_large errors"
}

# The excluded folder is not walked: no error from what it holds.
nfg dir -f json -v --exclude vendor/ --exclude-glob '*.log' \
	--max-file-size 1k tree
expect_rc 1
expect_count 1
expect_finding src/app.env 1 3 "$t_keep"
expect_skip_counts 1 3 1
# -v: one line each, in byte order, the token in a name redacted.
assert_eq "$(cat "$WORK/err")" \
	"nfguard: skipped 'logs/app.log': excluded by --exclude '*.log'
nfguard: skipped 'logs/$(redact "$t_name").log': excluded by --exclude '*.log'
nfguard: skipped 'src/big.txt': too large ($big bytes, more than --max-file-size 1024)
nfguard: skipped 'vendor/': excluded by --exclude 'vendor/'" "stderr of -v"

# Without -v: the same counts, nothing on stderr.
nfg dir -f sarif --exclude vendor --exclude '*.log' --max-file-size 1024 tree
expect_rc 1
expect_no_stderr
assert_eq "$(jq_out '.runs[0].properties | "\(.excluded) \(.tooLarge)"')" \
	"3 1" "SARIF excluded tooLarge"
assert_eq "$(jq_out '.runs[0].results | length')" 1 "SARIF results"

nfg dir -f human --no-color --exclude vendor/ --exclude '*.log' \
	--max-file-size 1k tree
expect_rc 1
grep -qxF "1 finding in 1 file (1 file, $keep B scanned; not scanned: 3 \
excluded, 1 too large)" "$WORK/out" || {
	cat "$WORK/out" >&2
	fail "human summary"
}

# A pattern is matched below the folder scanned: "/app.env" is src's own.
nfg dir -f json -v --exclude /app.env tree/src
expect_rc 1
expect_count 1
expect_finding big.txt 1 3 "$t_big"
expect_skip_counts 1 1 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: skipped 'app.env': excluded by --exclude '/app.env'" \
	"-v of an anchored pattern"

# Several targets: paths named as findings are; a file target matched as
# given (without "./"); 0 is no limit.
nfg dir -f json -v --exclude 'tree/logs/*.log' --max-file-size 0 \
	./tree/logs/app.log tree/src
expect_rc 1
expect_count 2
expect_finding tree/src/app.env 1 3 "$t_keep"
expect_finding tree/src/big.txt 1 3 "$t_big"
expect_skip_counts 2 1 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: skipped './tree/logs/app.log': excluded by --exclude \
'tree/logs/*.log'" "-v of a file target"

# The config file: exclude_paths anchored at its folder, max_file_size;
# flags win over max_file_size and add to exclude_paths.
printf '{"exclude_paths": ["vendor/", "src/big.txt"], "max_file_size": "1k"}\n' \
	>tree/.nfguard.json
printf 'T=%s\n' "$t_big" >tree/src/big2.txt
head -c 2000 /dev/zero >>tree/src/big2.txt
nfg dir -f json -v tree
expect_rc 1
expect_count 2
expect_finding src/app.env 1 3 "$t_keep"
expect_finding logs/app.log 1 3 "$t_log"
expect_skip_counts 4 2 1
assert_eq "$(cat "$WORK/err")" \
	"nfguard: skipped 'src/big.txt': excluded by exclude_paths 'src/big.txt'
nfguard: skipped 'src/big2.txt': too large ($((2000 + keep)) bytes, more than \
max_file_size 1024)
nfguard: skipped 'vendor/': excluded by exclude_paths 'vendor/'
nfguard: warning: $(pwd -P)/tree/.nfguard.json sets exclude_paths ('vendor/', \
'src/big.txt'): what they match is not scanned
nfguard: warning: $(pwd -P)/tree/.nfguard.json sets max_file_size 1024: \
larger files are not scanned" "-v with the config's settings"
# A folder below the config's: its paths are still the config's.
nfg dir -f json -v --config tree/.nfguard.json --max-file-size 0 \
	--exclude app.env tree/src
expect_rc 1
expect_count 1
expect_finding big2.txt 1 3 "$t_big"
expect_skip_counts 1 2 0
assert_eq "$(cat "$WORK/err")" \
	"nfguard: skipped 'app.env': excluded by --exclude 'app.env'
nfguard: skipped 'big.txt': excluded by exclude_paths 'src/big.txt'
nfguard: warning: tree/.nfguard.json sets exclude_paths ('vendor/', \
'src/big.txt'): what they match is not scanned" "-v below the config's folder"

# Bad values are usage errors.
nfg dir --max-file-size 1T tree/src
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: --max-file-size: '1T' is not a \
size (bytes, or a number with k, M or G)" "bad size"
nfg dir --max-file-size 99999999999G tree/src
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --max-file-size: '99999999999G' is too large" "size overflow"
nfg dir --exclude '[x' tree/src
expect_rc 2
assert_eq "$(cat "$WORK/err")" \
	"nfguard: --exclude: bad glob '[x': unterminated '['" "bad glob"
printf '{"max_file_size": -1}\n' >bad.json
nfg dir --config bad.json tree/src
expect_rc 2
assert_eq "$(cat "$WORK/err")" "nfguard: bad.json: key 'max_file_size': \
must be a size such as \"10M\" or a whole number of bytes" "bad config size"

# Help and completion name the options.
nfg help dir
expect_rc 0
for o in '--exclude GLOB' '--exclude-glob GLOB' '--max-file-size SIZE' \
	'-v, --verbose'; do
	grep -qF -- "$o" "$WORK/out" || fail "help dir lacks '$o'"
done
nfg completion bash
expect_rc 0
grep -q -- '--max-file-size' "$WORK/out" || fail "completion lacks options"
