#!/bin/sh
# nfguard dir finds a token in each common file format (.env, shell,
# YAML, .mcp.json Bearer header, TypeScript, Python, Markdown curl, URL
# query string) exactly once, at the exact path, line and column.
set -eu

mkdir -p proj/src proj/app proj/docs proj/notes
t1=$(mktoken) t2=$(mktoken) t3=$(mktoken) t4=$(mktoken)
t5=$(mktoken) t6=$(mktoken) t7=$(mktoken) t8=$(mktoken)

printf '# local settings\nAPP_ENV=dev\nNOTIFLOWS_TOKEN=%s\n' "$t1" \
	>proj/.env
printf '#!/bin/sh\nset -e\nexport NOTIFLOWS_TOKEN="%s"\nrun\n' "$t2" \
	>proj/deploy.sh
printf 'notiflows:\n  endpoint: https://api.notiflows.com\n  token: %s\n' \
	"$t3" >proj/config.yaml
cat >proj/.mcp.json <<EOF
{
  "mcpServers": {
    "notiflows": {
      "url": "https://mcp.notiflows.com/v1",
      "headers": {
        "Authorization": "Bearer $t4"
      }
    }
  }
}
EOF
cat >proj/src/client.ts <<EOF
import { Notiflows } from "@notiflows/node";

const client = new Notiflows({ token: "$t5" });
export default client;
EOF
cat >proj/app/settings.py <<EOF
import os

NOTIFLOWS_TOKEN = os.environ.get("NOTIFLOWS_TOKEN", '$t6')
EOF
cat >proj/docs/api.md <<EOF
# API

Call it like this:

\`\`\`sh
curl -H "Authorization: Bearer $t7" https://api.notiflows.com/v1/me
\`\`\`
EOF
printf 'GET https://api.notiflows.com/v1/events?token=%s&x=1 HTTP/1.1\n' \
	"$t8" >proj/notes/url.txt

nfg dir -f json proj
expect_rc 1
expect_no_stderr
expect_count 8
expect_finding .env 3 17 "$t1"
expect_finding deploy.sh 3 25 "$t2"
expect_finding config.yaml 3 10 "$t3"
expect_finding .mcp.json 6 34 "$t4"
expect_finding src/client.ts 3 40 "$t5"
expect_finding app/settings.py 3 54 "$t6"
expect_finding docs/api.md 6 32 "$t7"
expect_finding notes/url.txt 1 47 "$t8"

# Sorted by path, bytewise.
order=".env .mcp.json app/settings.py config.yaml deploy.sh docs/api.md"
order="$order notes/url.txt src/client.ts"
assert_eq "$(jq_out '[.findings[].path] | join(" ")')" "$order" \
	"finding order"

# The scan object accounts for exactly what was read.
bytes=$(find proj -type f -exec cat {} + | wc -c)
assert_eq "$(jq_out '"\(.tool.name) \(.tool.version) \(.scan.command)"')" \
	"nfguard 0.1.0 dir" "tool and command"
assert_eq "$(jq_out '.scan.targets | join(",")')" "proj" "scan.targets"
assert_eq "$(jq_out '.scan.files_scanned')" 8 "scan.files_scanned"
assert_eq "$(jq_out '.scan.bytes_scanned')" "$bytes" "scan.bytes_scanned"

# A dir finding carries no secret (without --show-secret) and no git
# fields; the token itself appears nowhere in the output.
assert_eq "$(jq_out '[.findings[] | keys[]] | unique | join(",")')" \
	"column,end_column,fingerprint,line,path,rule_id,secret_redacted" \
	"finding keys"
for t in "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" "$t8"; do
	if grep -qF -- "$t" "$WORK/out" "$WORK/err"; then
		fail "a token appears in the output without --show-secret"
	fi
done

# Same report whatever the number of threads.
nfg dir -f jsonl -j 1 proj
expect_rc 1
cp "$WORK/out" one.jsonl
nfg dir -f jsonl -j 8 proj
expect_rc 1
expect_no_stderr
cmp -s one.jsonl "$WORK/out" || fail "-j 1 and -j 8 reports differ"
assert_eq "$(wc -l <one.jsonl | tr -d ' ')" 8 "jsonl lines"
