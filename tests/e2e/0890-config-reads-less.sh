#!/bin/sh
# A config file that makes a scan read less says so on stderr, once a run,
# naming the file and the setting, and in the report's problems: its
# exclude_paths and max_file_size on dir (where they apply), its decode
# when it turns decoders off. The same limits typed as flags print
# nothing (the user asked), a flag that overrides max_file_size silences
# that line only, and a command the setting does not apply to says
# nothing of it. The scan itself is unchanged: exit status and counts.
set -eu

top=$(pwd -P)
t_keep=$(mktoken) t_vend=$(mktoken) t_big=$(mktoken)
mkdir -p tree/src tree/vendor
printf 'T=%s\n' "$t_keep" >tree/src/app.env
printf 'T=%s\n' "$t_vend" >tree/vendor/leak.env
{
	printf 'T=%s\n' "$t_big"
	head -c 2000 /dev/zero | tr '\0' x
	echo
} >tree/src/big.txt
printf '{"exclude_paths": ["vendor/", "*.log"], "max_file_size": "1k"}\n' \
	>tree/.nfguard.json
cfg=$top/tree/.nfguard.json
w_excl="nfguard: warning: $cfg sets exclude_paths ('vendor/', '*.log'): what \
they match is not scanned"
w_size="nfguard: warning: $cfg sets max_file_size 1024: larger files are not \
scanned"

# expect_scan FILES EXCLUDED TOO_LARGE FINDINGS: the last -f json report.
expect_scan() {
	assert_eq "$(jq_out '[.scan.files_scanned, .scan.excluded,
		.scan.too_large, .scan.findings, .scan.errors] |
		map(tostring) | join(" ")')" "$1 $2 $3 $4 0" \
		"files_scanned excluded too_large findings errors"
}

# Found by the walk up from the folder: both lines, each once.
nfg dir -f json tree
expect_rc 1
expect_count 1
expect_finding src/app.env 1 3 "$t_keep"
expect_scan 2 1 1 1
assert_eq "$(cat "$WORK/err")" "$w_excl
$w_size" "stderr"
assert_eq "$(jq_out '[.scan.problems[] | "\(.kind) \(.count) \(.message)"] |
	join("\n")')" "warning 1 ${w_excl#nfguard: warning: }
warning 1 ${w_size#nfguard: warning: }" "scan.problems"

# Named with --config, as given; human and SARIF runs say it alike.
nfg dir -f human --no-color --config tree/.nfguard.json tree
expect_rc 1
assert_eq "$(cat "$WORK/err")" "nfguard: warning: tree/.nfguard.json sets \
exclude_paths ('vendor/', '*.log'): what they match is not scanned
nfguard: warning: tree/.nfguard.json sets max_file_size 1024: larger files \
are not scanned" "stderr with --config"
nfg dir -f sarif tree
expect_rc 1
assert_eq "$(cat "$WORK/err")" "$w_excl
$w_size" "stderr of a SARIF run"

# The flag wins over max_file_size: only exclude_paths is left to say.
nfg dir -f json --max-file-size 0 tree
expect_rc 1
expect_count 2
expect_scan 3 1 0 2
assert_eq "$(cat "$WORK/err")" "$w_excl" "stderr with --max-file-size 0"
nfg dir -f json --max-file-size 50 tree
expect_rc 1
expect_count 1
expect_scan 1 1 2 1
assert_eq "$(cat "$WORK/err")" "$w_excl" "stderr with --max-file-size 50"

# A limit of 0 is none: nothing to say of it.
printf '{"max_file_size": 0}\n' >tree/.nfguard.json
nfg dir -f json tree
expect_rc 1
expect_count 3
expect_no_stderr

# The same limits as flags, or the config ignored: nothing on stderr.
nfg dir -f json --no-config --exclude vendor/ --max-file-size 1k tree
expect_rc 1
expect_count 1
expect_scan 2 1 1 1
expect_no_stderr

# Where the settings do not apply (stdin reads no folder): no word.
printf '{"exclude_paths": ["vendor/"], "max_file_size": "1k"}\n' \
	>tree/.nfguard.json
nfg_in tree/vendor/leak.env stdin -f json --config tree/.nfguard.json
expect_rc 1
expect_count 1
expect_no_stderr

# decode: a decoder turned off is named, the others listed in order.
printf '{"decode": "base64,gzip"}\n' >tree/.nfguard.json
nfg dir -f json tree
expect_rc 1
expect_count 3
assert_eq "$(cat "$WORK/err")" "nfguard: warning: $cfg turns off decoding \
(utf16,zlib,bzip2,xz,zip,tar): tokens hidden that way are not looked for" \
	"stderr of decode"
printf '{"decode": "all"}\n' >tree/.nfguard.json
nfg dir -f json tree
expect_rc 1
expect_no_stderr
