#!/bin/sh
# Benchmarks the -f html report in a browser: a git history built here
# with FINDINGS distinct tokens (git reports each token once: one finding,
# one card and one timeline bar each), first committed over two years, reported with -f html, opened in
# headless chromium (tests/tools/browser.py) beside the html report of a
# history without tokens, in turn, in the same browser; the median time
# from navigation to the load event and the first paint of each (and the
# CPU time of the renderer's main thread, and its time in layout), and
# their ratio. Checks that the report holds no whole token and that the
# page threw nothing, logged no error and made no request.
#
# Usage: bench/html.sh
# Environment: NFGUARD (binary, default build/nfguard), FINDINGS (default
#   10000), RUNS (default 3). Needs git, jq, python3 and chromium.
# Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
nfg=${NFGUARD:-$root/build/nfguard}
findings=${FINDINGS:-10000}
tokens=$findings
runs=${RUNS:-3}
. "$here/lib.sh"

fail() {
	echo "$0: $*" >&2
	exit 1
}

for n in "$findings" "$runs"; do
	case $n in '' | *[!0-9]* | 0)
		echo "$0: FINDINGS and RUNS must be positive numbers" >&2
		exit 2
		;;
	esac
done
bench_require git jq python3 chromium
out=$(mktemp -d "${TMPDIR:-/tmp}/nfg-bench-html.XXXXXX")
trap 'rm -rf "$out"' EXIT

# The history, through git fast-import: 100 commits a week apart, each
# adding one file of FINDINGS / 100 tokens (made here, from the system's
# random source), one a line. The tokens go to $out/tokens.
python3 - "$findings" "$tokens" "$out/tokens" >"$out/import" <<'EOF'
import secrets, string, sys
findings, distinct, listing = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
abc = string.ascii_letters + string.digits
toks = ["nf_" + "at_" + "".join(secrets.choice(abc) for _ in range(32))
        for _ in range(distinct)]
with open(listing, "w") as f:
    f.write("\n".join(toks) + "\n")
out = sys.stdout.buffer
commits, per = 100, -(-findings // 100)
for c in range(commits):
    lines = [f"TOKEN_{i}={toks[i % distinct]}\n"
             for i in range(c * per, min(findings, (c + 1) * per))]
    if not lines:
        break
    data = "".join(lines).encode()
    when = 1672531200 + c * 7 * 86400
    msg = f"config batch {c}\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"author Bench Author <bench@example.com> {when} +0000\n".encode())
    out.write(f"committer Bench Author <bench@example.com> {when} +0000\n".encode())
    out.write(b"data %d\n%s" % (len(msg), msg))
    out.write(b"M 100644 inline service-%03d/config.env\ndata %d\n%s\n"
              % (c, len(data), data))
EOF
git init -q -b main "$out/big"
git -C "$out/big" fast-import --quiet <"$out/import"
git init -q -b main "$out/empty"
printf 'nothing here\n' >"$out/empty/README"
git -C "$out/empty" add README
GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=b \
	GIT_COMMITTER_EMAIL=b@example.com git -C "$out/empty" commit -q -m init

rc=0
"$nfg" git --no-progress -f html -o "$out/big.html" "$out/big" || rc=$?
[ "$rc" = 1 ] || fail "nfguard on the history with tokens exited $rc"
"$nfg" git --no-progress -f html -o "$out/empty.html" "$out/empty" ||
	fail "nfguard on the history without tokens exited $?"
! grep -qF -f "$out/tokens" "$out/big.html" ||
	fail "the report holds a whole token"

# One browser for every run, the two pages in turn.
set --
i=0
while [ "$i" -lt "$runs" ]; do
	set -- "$@" "$out/empty.html" "$out/big.html"
	[ "$i" != 0 ] || set -- "$@" --eval '["findings", "tokens"].map(k =>
		document.getElementById("summary").dataset["count" +
		k[0].toUpperCase() + k.slice(1)]).join(" ")'
	i=$((i + 1))
done
python3 "$root/tests/tools/browser.py" --timeout 600 "$@" >"$out/runs.json" ||
	fail "browser.py failed"
quiet=$(jq -c '[.pages[] | (.exceptions + .csp + .requests +
	[.console[] | select(.type == "error")])[]]' "$out/runs.json")
[ "$quiet" = "[]" ] || fail "the pages were not quiet: $quiet"

# med NAME KEY: the median timing KEY (ms) over the runs of NAME.html.
med() {
	jq -r --arg n "/$1.html" --arg k "$2" '[.pages[] |
		select(.url | endswith($n)) | .timing[$k]] | sort |
		.[(length - 1) / 2 | floor] // "-"' "$out/runs.json"
}

counted=$(jq -r '.pages[1].results[0]' "$out/runs.json")
[ "$counted" = "$findings $tokens" ] ||
	fail "the page counts '$counted' findings and tokens, not '$findings $tokens'"
printf 'html report in chromium %s: %d findings of %d tokens (%d bytes), empty report (%d bytes)\n' \
	"$(chromium --version 2>/dev/null | cut -d' ' -f2)" "$findings" \
	"$tokens" "$(wc -c <"$out/big.html")" "$(wc -c <"$out/empty.html")"
printf '%d runs each, medians in ms; %s cores, load average %s\n' "$runs" \
	"$(nproc)" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-28s %10s %10s %8s\n' timing empty report ratio
for k in navigate_ms load_ms first_contentful_paint_ms main_thread_cpu_ms \
	layout_ms; do
	e=$(med empty "$k") b=$(med big "$k")
	printf '%-28s %10s %10s %8s\n' "$k" "$e" "$b" \
		"$(awk -v e="$e" -v b="$b" 'BEGIN {
			if (e + 0 > 0) printf "%.1f", b / e; else print "-" }')"
done
