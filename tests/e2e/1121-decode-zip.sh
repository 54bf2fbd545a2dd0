#!/bin/sh
# zip entries (deflated or stored, and what is built on zip: jar, docx)
# are scanned in files, stdin and git blobs: each token once, at
# ARCHIVE!ENTRY, on the entry's own line and column, with the chain
# ["zip:ENTRY"], and ["zip:ENTRY", "base64"] for base64 inside an entry;
# directories are not entries, and a zip without tokens reports nothing.
set -eu

top=$(pwd -P)
mkdir src tree
t_env=$(mktoken) t_b64=$(mktoken) t_jar=$(mktoken) t_doc=$(mktoken)
printf 'APP=demo\nNF_TOKEN=%s\n' "$t_env" >src/app.env
printf 'AUTH=%s\n' "$(printf '%s' "$t_b64" | base64 -w0)" >src/auth.env
printf '# demo\n' >src/README.md
printf 'token=%s\n' "$t_jar" >src/app.properties
printf '<w:t>%s</w:t>\n' "$t_doc" >src/document.xml
mkarchive zip tree/archive.zip config/ config/app.env=src/app.env \
	config/auth.env=src/auth.env README.md=src/README.md
mkarchive zip-stored tree/app.jar META-INF/app.properties=src/app.properties
mkarchive zip tree/report.docx word/document.xml=src/document.xml
mkarchive zip tree/clean.zip README.md=src/README.md

nfg dir -f json tree
expect_rc 1
expect_no_stderr
expect_count 4
expect_finding 'archive.zip!config/app.env' 2 10 "$t_env"
expect_encoding "$t_env" '["zip:config/app.env"]'
expect_git "$t_b64" 'path=archive.zip!config/auth.env' line=1 column=6
expect_encoding "$t_b64" '["zip:config/auth.env","base64"]'
expect_finding 'app.jar!META-INF/app.properties' 1 7 "$t_jar"
expect_encoding "$t_jar" '["zip:META-INF/app.properties"]'
expect_finding 'report.docx!word/document.xml' 1 6 "$t_doc"
expect_encoding "$t_doc" '["zip:word/document.xml"]'

# zip off: the archives are scanned as they are, so the stored entry's
# token is found in the jar's raw bytes (30 bytes of local header and the
# 23-byte name before its line), and the deflated ones are not.
nfg dir -f json --decode base64 tree
expect_rc 1
expect_count 1
expect_git "$t_jar" path=app.jar line=1 column=60 encoding='<absent>'

# stdin: the label stands for the archive.
nfg_in tree/archive.zip stdin --label archive.zip -f json
expect_rc 1
expect_no_stderr
expect_count 2
expect_finding 'archive.zip!config/app.env' 2 10 "$t_env"
expect_git "$t_b64" 'path=archive.zip!config/auth.env' line=1 column=6
nfg_pipe tree/app.jar stdin -f json
expect_rc 1
expect_count 1
expect_finding 'stdin!META-INF/app.properties' 1 7 "$t_jar"

# git blobs.
mkrepo r
mkdir r/deploy
cp tree/archive.zip tree/clean.zip r/deploy/
cd r
commit_at '2024-01-01 10:00:00 +0000' 'deploy'
c=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 2
expect_finding 'deploy/archive.zip!config/app.env' 2 10 "$t_env"
expect_git "$t_env" commit="$c"
expect_encoding "$t_env" '["zip:config/app.env"]'
expect_git "$t_b64" 'path=deploy/archive.zip!config/auth.env' commit="$c"
expect_encoding "$t_b64" '["zip:config/auth.env","base64"]'
