#!/bin/sh
# allow_paths are anchored at the config file's folder, as .gitignore
# patterns are: a finding's path is taken relative to that folder whatever
# was scanned (a subfolder, several targets, an absolute path, the
# repository's history or index), and a path outside it never matches.
# The human summary says how many findings were suppressed and by what.
set -eu

top=$(pwd -P)
t1=$(mktoken) t2=$(mktoken)

mkrepo proj
cd proj
mkdir -p vendor/lib/tests/fixtures tests/fixtures sub
printf 'REAL=%s\n' "$t1" >vendor/lib/tests/fixtures/real.env
printf 'FAKE=%s\n' "$t2" >tests/fixtures/fake.env
printf '{"allow_paths": ["tests/fixtures/"], "format": "json"}\n' \
	>.nfguard.json

# The case: scanning vendor/lib does not allow its tests/fixtures.
nfg dir vendor/lib
expect_rc 1
expect_count 1
expect_finding tests/fixtures/real.env 1 6 "$t1"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 0 \
	"suppressed.allowed_paths (dir vendor/lib)"
(cd vendor/lib && nfg dir .)
expect_rc 1
expect_count 1
expect_finding tests/fixtures/real.env 1 6 "$t1"

# From the root, and from the allowed folder itself: the same decisions.
nfg dir .
expect_rc 1
expect_count 1
expect_finding vendor/lib/tests/fixtures/real.env 1 6 "$t1"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (dir .)"
nfg dir tests
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (dir tests)"
nfg dir "$top/proj/tests/fixtures"
expect_rc 0
expect_count 0
nfg dir vendor/lib ./tests
expect_rc 1
expect_count 1
expect_finding vendor/lib/tests/fixtures/real.env 1 6 "$t1"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (two targets)"
nfg dir -f human .
expect_rc 1
expect_stdout '1 finding suppressed (1 by allow_paths)'

# A rule naming the vendored folder allows it from the root and from there.
printf '{"allow_paths": ["vendor/lib/tests/fixtures/"], "format": "json"}\n' \
	>.nfguard.json
nfg dir vendor/lib
expect_rc 0
expect_count 0
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (rule for vendor/lib)"
nfg dir .
expect_rc 1
expect_count 1
expect_finding tests/fixtures/fake.env 1 6 "$t2"

# A path outside the config file's folder never matches.
printf '{"allow_paths": ["*.env"], "format": "json"}\n' >sub/cfg.json
nfg dir --config sub/cfg.json tests
expect_rc 1
expect_count 1
expect_finding fixtures/fake.env 1 6 "$t2"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 0 \
	"suppressed.allowed_paths (outside the config folder)"

# git and staged: paths relative to the repository root, anchored the same.
printf '{"allow_paths": ["tests/fixtures/"], "format": "json"}\n' \
	>.nfguard.json
git add -A
nfg staged
expect_rc 1
expect_count 1
expect_finding vendor/lib/tests/fixtures/real.env 1 6 "$t1"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (staged)"
git commit -q -m all
nfg git
expect_rc 1
expect_count 1
expect_finding vendor/lib/tests/fixtures/real.env 1 6 "$t1"
assert_eq "$(jq_out '.scan.suppressed.allowed_paths')" 1 \
	"suppressed.allowed_paths (git)"
cd "$top"
nfg git proj
expect_rc 1
expect_count 1
expect_finding vendor/lib/tests/fixtures/real.env 1 6 "$t1"
