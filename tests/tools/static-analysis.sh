#!/usr/bin/env bash
# Static analysis of nfguard's C, as CI runs it: cppcheck over src/ and
# tests/ (suppressions in .cppcheck-suppressions, each with its reason) and
# clang-tidy over src/ (the check set of .clang-tidy), both reading the
# compile commands of a configured, not built, build folder.
#
#   tests/tools/static-analysis.sh [BUILD]      BUILD defaults to build-static
#
# TOOLS (default "cppcheck clang-tidy") picks the tools to run, JOBS
# (default 2) how many clang-tidy processes run at once. Exit status 0 when
# neither tool finds anything, 1 on any finding, 2 when a tool is missing.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
build=${1:-build-static}
jobs=${JOBS:-2}
tools=${TOOLS:-cppcheck clang-tidy}

for tool in cmake jq cppcheck clang-tidy run-clang-tidy; do
	if ! command -v "$tool" >/dev/null; then
		echo "static-analysis: $tool not found" >&2
		exit 2
	fi
done

cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
build=$(cd "$build" && pwd)
status=0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nfguard-static.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# cppcheck over src/ and tests/. The build folder's own sources (the
# embedded rules) are generated, not there before a build: it reads the
# others' commands. Not in parallel: unusedFunction needs the whole
# program in one process.
run_cppcheck() {
	echo "== $(cppcheck --version): src/ and tests/"
	jq --arg b "$build/" '[.[] | select(.file | startswith($b) | not)]' \
		"$build/compile_commands.json" >"$tmp/compile_commands.json"
	cppcheck --project="$tmp/compile_commands.json" \
		--enable=warning,style,performance,portability,information \
		--enable=unusedFunction --library=posix --library=gnu \
		--std=c11 --suppressions-list=.cppcheck-suppressions \
		--inline-suppr --error-exitcode=1 --quiet \
		--template='{file}:{line}:{column}: {severity}: {message} [{id}]'
}

# clang-tidy over src/: it fails a file on any finding (WarningsAsErrors);
# its output is shown but for the counts of warnings it filtered out.
run_clang_tidy() {
	local rc=0

	echo "== clang-tidy $(clang-tidy --version |
		grep -o 'LLVM version [0-9.]*'): src/"
	run-clang-tidy -p "$build" -j "$jobs" -quiet "^$root/src/" \
		>"$tmp/tidy" 2>&1 || rc=1
	grep -Ev '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' \
		"$tmp/tidy" |
		grep -Ev '^(clang-tidy|Running clang-tidy|Enabled checks)' ||
		true
	return "$rc"
}

for tool in $tools; do
	case $tool in
	cppcheck) run_cppcheck || status=1 ;;
	clang-tidy) run_clang_tidy || status=1 ;;
	*)
		echo "static-analysis: unknown tool '$tool'" >&2
		exit 2
		;;
	esac
done

if [ "$status" -ne 0 ]; then
	echo "static-analysis: findings above" >&2
else
	echo "static-analysis: no findings"
fi
exit "$status"
