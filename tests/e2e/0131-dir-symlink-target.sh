#!/bin/sh
# A PATH named on the command line is followed even when it is a symbolic
# link (to a folder or to a file), and findings keep the name given; links
# inside that tree are still not followed.
set -eu

mkdir real elsewhere
t_in=$(mktoken) t_out=$(mktoken)
printf 'a=1\nTOKEN=%s\n' "$t_in" >real/app.env
printf '%s\n' "$t_out" >elsewhere/secret.txt
ln -s ../elsewhere real/away
ln -s real dirlink
ln -s real/app.env filelink

# A linked folder: paths relative to it, the inner link not followed.
nfg dir -f json dirlink
expect_rc 1
expect_no_stderr
expect_count 1
expect_finding app.env 2 7 "$t_in"
assert_eq "$(jq_out '.scan.files_scanned')" 1 "files scanned"

# The same with a trailing slash.
nfg dir -f json dirlink/
expect_rc 1
expect_count 1
expect_finding app.env 2 7 "$t_in"

# A linked file: reported under the link's name.
nfg dir -f json filelink
expect_rc 1
expect_count 1
expect_finding filelink 2 7 "$t_in"

# A dangling link named on the command line is an error.
ln -s nowhere dangling
nfg dir -f json dangling
expect_rc 2
expect_stderr "nfguard: 'dangling': No such file or directory"
