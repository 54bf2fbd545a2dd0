#!/bin/sh
# The html report of hostile names, in chromium: a file named like an
# <img> with an onerror handler, an author name that closes the script
# element and opens another, a commit message of HTML (holding a token)
# and a repository folder named with quotes and an <svg onload>; reported
# from git, a sweep and dir. Every payload would set window.nfgPwned:
# it stays undefined, no element from the data exists (no <img>, no
# <nfg-evil>, no on* attribute, no <script> but the writer's and its card
# data), each card's details built, each name is on the page as text, nothing is logged, violated or requested,
# and no whole token is in any report.
set -eu
. "$SRCDIR/tests/e2e/browser.sh"

repo="it's \"quoted\" <svg onload=window.nfgPwned=3>"
file='<img src=x onerror=window.nfgPwned=1><nfg-evil>.env'
author='Eve </script><script>window.nfgPwned=2</script><nfg-evil> Doe'
msg='<b>fix</b> <script>window.nfgPwned=4</script><img src=x onerror=window.nfgPwned=5><nfg-evil>'
mkrepo "$repo"
(
	cd "$repo"
	printf 'TOKEN=%s\n' "$(mktoken)" >"$file"
	commit_at '2024-01-02 10:00:00 +0000' 'add settings'
	# git itself drops < and > from names: the commit is written whole.
	printf 'K=%s\n' "$(mktoken)" >notes.txt
	git add -A
	c=$(printf 'tree %s\nparent %s\nauthor %s <evil@example.com> 1717200000 +0000\ncommitter C <c@example.com> 1717200000 +0000\n\nnotes\n' \
		"$(git write-tree)" "$(git rev-parse HEAD)" "$author" |
		git hash-object -t commit -w --stdin --literally)
	git update-ref refs/heads/main "$c"
	git reset -q --hard
	commit_at '2024-07-01 10:00:00 +0000' "$msg $(mktoken)"
)
mkrepo other
(
	cd other
	printf 'T=%s\n' "$(mktoken)" >"$file"
	commit_at '2024-03-01 10:00:00 +0000' "$msg"
)
mkdir tree
printf 'T=%s\n' "$(mktoken)" >"tree/$file"

nfg git -f json "$repo"
expect_rc 1
assert_eq "$(jq_out '[.findings[] | select(.path == "notes.txt") |
	.author_name] | join(",")')" "$author" "the author name as nfguard reads it"
nfg git -f html -o git.html "$repo"
expect_rc 1
nfg git -f html -o sweep.html "$repo" other
expect_rc 1
nfg dir -f html -o dir.html tree
expect_rc 1

harm='[typeof window.nfgPwned,
	document.querySelectorAll("img, nfg-evil, svg[onload]").length,
	[...document.querySelectorAll("*")].filter(e =>
	[...e.attributes].some(a => a.name.startsWith("on"))).length,
	document.scripts.length].join(" ")'
# has TEXT: whether the page's text (its scripts left out) holds TEXT.
has() {
	printf '%s.includes(%s)' "$page_text" "$(printf '%s' "$1" | jq -Rs .)"
}
# The card data is one <script> (not run: of type application/json), the
# writer's own the other; each card's details built before the checks.
harm="$harm"' + " " + [...document.scripts].map(s => s.type || "js").join()'
browse h.json git.html --eval "$build_cards" --eval "$harm" \
	--eval "$(has "$file")" --eval "$(has "$author")" \
	--eval "$(has "$repo")" \
	--open sweep.html --eval "$build_cards" --eval "$harm" \
	--eval "$(has "$file")" --eval "$(has "$author")" \
	--eval "$(has "$repo")" \
	--open dir.html --eval "$build_cards" --eval "$harm" \
	--eval "$(has "$file")"
js="undefined 0 0 2 application/json,js"
expect_results h.json 0 3 "$js" true true true
expect_results h.json 1 4 "$js" true true true
expect_results h.json 2 1 "$js" true
expect_quiet h.json
for f in git.html sweep.html dir.html h.json; do
	! grep -qF -f "$WORK/planted" "$f" || fail "$f holds a whole token"
done
