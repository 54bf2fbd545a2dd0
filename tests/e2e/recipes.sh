# Shared by the CI recipe tests (0900, 0910, 1230), sourced after lib.sh: they
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

# gh_checkout REF: ci/ as actions/checkout@v4 with fetch-depth 0 leaves it
# for a run on REF (refs/heads/B, refs/tags/T or refs/pull/N/merge).
gh_checkout() {
	rm -rf "$top/ci"
	git init -q "$top/ci"
	git -C "$top/ci" remote add origin "file://$top/hub.git"
	git -C "$top/ci" fetch -q --prune origin '+refs/heads/*:refs/remotes/origin/*' \
		'+refs/tags/*:refs/tags/*'
	case $1 in
	refs/heads/*) git -C "$top/ci" checkout -q -B "${1#refs/heads/}" \
		"refs/remotes/origin/${1#refs/heads/}" ;;
	refs/tags/*) git -C "$top/ci" checkout -q "$1" ;;
	*) git -C "$top/ci" fetch -q origin "+$1:refs/remotes/${1#refs/}" &&
		git -C "$top/ci" checkout -q --detach "refs/remotes/${1#refs/}" ;;
	esac
}

# hub_with_baseline: hub.git, the hosted repository, pushed from the clone
# dev/: a legacy token ($tl, revoked, long pushed) on main and the
# baseline made when adopting the gate, in commit $b0 (main's tip).
hub_with_baseline() {
	git init -q --bare -b main "$top/hub.git"
	mkrepo "$top/dev"
	cd "$top/dev"
	git remote add origin "file://$top/hub.git"
	printf 'readme\n' >README.md
	commit_at '2024-01-01 10:00:00 +0000' c1
	tl=$(mktoken)
	printf 'LEGACY=%s\n' "$tl" >legacy.env
	commit_at '2024-01-02 10:00:00 +0000' legacy
	nfg git -f json -o .nfguard-baseline.json
	expect_rc 1
	commit_at '2024-01-03 10:00:00 +0000' 'nfguard baseline'
	b0=$(git rev-parse HEAD)
	git push -q origin main
	cd "$top"
}
