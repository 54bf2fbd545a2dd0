#!/bin/sh
# A sweep's settings are the operator's, found from the current folder:
# its .nfguardignore and allow_paths apply to every repository (allow
# paths matched in each repository), counted in scan.suppressed; a swept
# repository's own .nfguard.json and .nfguardignore, which its committers
# control, do not (alone, nfguard git REPO still reads them, as before).
set -eu

top=$(pwd -P)
ta=$(mktoken) tb=$(mktoken) tc=$(mktoken) td=$(mktoken)
mkdir ops
# sneaky: tries to hide its own token with its own settings.
mkrepo ops/sneaky
(
	cd ops/sneaky
	printf 'k=%s\n' "$ta" >a.txt
	printf '%s\n' "$(fp "$ta")" >.nfguardignore
	printf '{"allow_paths": ["*.txt"]}\n' >.nfguard.json
	commit_at '2024-01-01 00:00:00 +0000' one
)
mkrepo ops/plain
(
	cd ops/plain
	mkdir docs
	printf 'k=%s\n' "$tb" >docs/example.md
	printf 'k=%s\n' "$tc" >ignored.txt
	printf 'k=%s\n' "$td" >kept.txt
	commit_at '2024-01-02 00:00:00 +0000' one
)
# The operator's settings, in the folder the sweep runs from.
printf '{"allow_paths": ["docs/**"]}\n' >ops/.nfguard.json
printf '%s\n' "$(fp "$tc")" >ops/.nfguardignore

cd ops
nfg git -f json sneaky plain
expect_rc 1
expect_no_stderr
assert_eq "$(jq_out '[.findings[] | "\(.repository):\(.path)"] | join(",")')" \
	"sneaky:a.txt,plain:kept.txt" "findings"
assert_eq "$(jq_out '.scan.suppressed | "\(.ignored) \(.allowed_paths)"')" \
	"1 1" "scan.suppressed"
assert_eq "$(jq_out '[.scan.repositories[].findings] | join(",")')" "1,1" \
	"findings per repository"

# Alone, a repository's own settings apply, as they always did.
nfg git -f json sneaky
expect_rc 0
expect_count 0
cd "$top"
