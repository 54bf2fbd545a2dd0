#!/bin/sh
# Remakes the README's picture of the html report: runs e2e 1311 (the
# planted demo reported as a sweep, verified and revoked against the
# stand-in API, opened in headless chromium), which screenshots the page
# to BUILD/html-demo/report.png, and copies that to OUT.
# Usage: tests/tools/report-screenshot.sh [BUILD [OUT]]
#   BUILD: the build folder (default build), OUT: default doc/report.png.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=${2:-$root/doc/report.png}
rm -f "$build/html-demo/report.png"
"$root/tests/e2e/run.sh" "$root/tests/e2e/1311-html-demo.sh" \
	"$build/nfguard" "$root" "$build"
cp "$build/html-demo/report.png" "$out"
echo "$out: $(wc -c <"$out" | tr -d ' ') bytes"
