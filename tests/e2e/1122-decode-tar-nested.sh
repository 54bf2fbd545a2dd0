#!/bin/sh
# tar, tar.gz and tar.xz entries, and archives inside archives: base64 in
# a JSON file in a zip in a tar.gz is found once at
# bundle.tar.gz!inner.zip!conf/app.json, on the JSON's line and column,
# with the chain ["gzip", "tar:inner.zip", "zip:conf/app.json", "base64"];
# a .gz inside a zip is a layer too. Files, stdin and git blobs alike.
set -eu

top=$(pwd -P)
mkdir src tree
t_tar=$(mktoken) t_tgz=$(mktoken) t_txz=$(mktoken)
t_deep=$(mktoken) t_gz=$(mktoken)
printf 'NF_TOKEN=%s\n' "$t_tar" >src/a.env
printf 'x=1\nNF_TOKEN=%s\n' "$t_tgz" >src/b.env
printf '\n\nNF_TOKEN=%s\n' "$t_txz" >src/c.env
deep=$(printf 'nf:%s' "$t_deep" | base64 -w0)
printf '{\n  "auth": "%s"\n}\n' "$deep" >src/app.json
# The location is the base64 run, padding included: after '  "auth": "'.
deep_end=$((12 + ${#deep}))
printf 'export NF_TOKEN=%s\n' "$t_gz" >src/old.log
mkarchive gzip src/old.log.gz src/old.log
mkarchive tar tree/plain.tar dir/ dir/a.env=src/a.env
mkarchive tar.gz tree/release.tgz pkg/b.env=src/b.env
mkarchive tar.xz tree/release.tar.xz c.env=src/c.env
mkarchive zip src/inner.zip conf/app.json=src/app.json \
	logs/old.log.gz=src/old.log.gz
mkarchive tar.gz tree/bundle.tar.gz inner.zip=src/inner.zip

nfg dir -f json tree
expect_rc 1
expect_no_stderr
expect_count 5
expect_finding 'plain.tar!dir/a.env' 1 10 "$t_tar"
expect_encoding "$t_tar" '["tar:dir/a.env"]'
expect_finding 'release.tgz!pkg/b.env' 2 10 "$t_tgz"
expect_encoding "$t_tgz" '["gzip","tar:pkg/b.env"]'
expect_finding 'release.tar.xz!c.env' 3 10 "$t_txz"
expect_encoding "$t_txz" '["xz","tar:c.env"]'
expect_git "$t_deep" 'path=bundle.tar.gz!inner.zip!conf/app.json' \
	line=2 column=12 end_column="$deep_end"
expect_encoding "$t_deep" \
	'["gzip","tar:inner.zip","zip:conf/app.json","base64"]'
expect_finding 'bundle.tar.gz!inner.zip!logs/old.log.gz' 1 17 "$t_gz"
expect_encoding "$t_gz" \
	'["gzip","tar:inner.zip","zip:logs/old.log.gz","gzip"]'

# Without tar, a tar.gz is one gzip stream: the tar's bytes are scanned.
nfg dir -f json --decode gzip tree/release.tgz
expect_rc 1
expect_count 1
expect_git "$t_tgz" path=tree/release.tgz
expect_encoding "$t_tgz" '["gzip"]'

# stdin and git blobs.
nfg_in tree/bundle.tar.gz stdin -f json
expect_rc 1
expect_no_stderr
expect_count 2
expect_git "$t_deep" 'path=stdin!inner.zip!conf/app.json' line=2 column=12 \
	end_column="$deep_end"
expect_finding 'stdin!inner.zip!logs/old.log.gz' 1 17 "$t_gz"
mkrepo r
cp tree/bundle.tar.gz tree/release.tgz r/
cd r
commit_at '2024-01-01 10:00:00 +0000' 'release'
c=$(git rev-parse HEAD)
cd "$top"
nfg git -f json r
expect_rc 1
expect_no_stderr
expect_count 3
expect_finding 'release.tgz!pkg/b.env' 2 10 "$t_tgz"
expect_git "$t_deep" 'path=bundle.tar.gz!inner.zip!conf/app.json' \
	commit="$c" line=2 column=12 end_column="$deep_end"
expect_encoding "$t_deep" \
	'["gzip","tar:inner.zip","zip:conf/app.json","base64"]'
