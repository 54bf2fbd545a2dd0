# Shared by the CI recipe tests (0900, 0910), sourced after lib.sh: they
# read the recipes from README.md as written and run them with this
# build's nfguard first on PATH. Skips (or, in CI, fails) without python3's
# yaml module, which the YAML recipes need.
if ! python3 -c 'import yaml' 2>/dev/null; then
	[ "$CI" != true ] || fail "python3-yaml is missing (it comes with pre-commit)"
	skip "python3 with yaml is needed to read the recipes"
fi
top=$(pwd -P)
readme="$SRCDIR/README.md"
PATH="$(dirname "$NFGUARD"):$PATH"
export PATH

# readme_block FIRST_LINE: the fenced code block of README.md whose first
# line is FIRST_LINE, without its fences.
readme_block() {
	awk -v first="$1" '
		/^```/ { if (inb) { if (keep) exit; inb = 0; next }
			inb = 1; start = 1; next }
		inb && start { start = 0; keep = ($0 == first) }
		inb && keep { print }' "$readme"
}
