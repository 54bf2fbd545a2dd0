#!/bin/sh
# -o writes a regular file by renaming a temporary file into place, with
# the mode a plain create gives; a device or FIFO (/dev/null, /dev/stdout)
# is written to, never replaced; through a symbolic link the file it
# names is replaced and the link kept.
set -eu

mkdir tree
tok=$(mktoken)
printf 'T=%s\n' "$tok" >tree/a.env

# /dev/null stays a character device.
nfg dir -f json -o /dev/null tree
expect_rc 1
[ -c /dev/null ] || fail "/dev/null is no longer a character device"

# /dev/stdout: the report arrives on standard output.
nfg dir -f json -o /dev/stdout tree
expect_rc 1
expect_count 1

# A symbolic link to a report file: the file is replaced, the link kept.
printf 'old\n' >real.json
ln -s real.json link.json
nfg dir -f json -o link.json tree
expect_rc 1
[ -L link.json ] || fail "the link was replaced"
assert_eq "$(jq -r '.findings[0].fingerprint' real.json)" "$(fp "$tok")" \
	"fingerprint in the linked file"

# A new file gets 0666 less the umask; no temporary file is left.
umask 027
nfg dir -f json -o new.json tree
expect_rc 1
assert_eq "$(stat -c %a new.json)" 640 "mode of a new report"
assert_eq "$(ls | grep -c nfguard- || true)" 0 "temporary files left"
