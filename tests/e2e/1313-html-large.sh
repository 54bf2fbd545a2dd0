#!/bin/sh
# A report of 2,000 tokens in chromium: at load no card's details are
# built (the timeline's rows keep every card out of reach); scrolled to
# the last card, its details are built from the card data, exactly as
# the JSON report has the token (facts, first appearance, both places:
# a hostile file name and the commit message that holds it too), while
# the cards far from it are not; no element or script from the data is
# created; before printing every card is built. Quiet page, no whole
# token in any file.
set -eu
. "$SRCDIR/tests/e2e/browser.sh"

file='<img src=x onerror=window.nfgPwned=1><nfg-evil>.env'
msg='<b>fix</b> <script>window.nfgPwned=2</script>'
mkrepo repo
# 1,999 tokens in 20 commits of 2023, then the last one alone, in the
# hostile file and in the message of a commit of 2024: its card is last
# (the shortest exposure).
python3 - "$file" "$msg" toks >import <<'PY'
import secrets, string, sys
path, msg, listing = sys.argv[1], sys.argv[2], sys.argv[3]
abc = string.ascii_letters + string.digits
toks = ["nf_" + "at_" + "".join(secrets.choice(abc) for _ in range(32))
        for _ in range(2000)]
with open(listing, "w") as f:
    f.write("\n".join(toks) + "\n")
out = sys.stdout.buffer
def commit(when, message, name, data):
    out.write(b"commit refs/heads/main\n")
    for who in (b"author", b"committer"):
        out.write(b"%s A <a@example.com> %d +0000\n" % (who, when))
    out.write(b"data %d\n%s\n" % (len(message), message))
    out.write(b"M 100644 inline \"%s\"\ndata %d\n%s\n" % (name, len(data), data))
for c in range(20):
    data = "".join(f"T{i}={toks[i]}\n" for i in range(c * 100,
                   min(1999, (c + 1) * 100))).encode()
    commit(1672531200 + c * 86400, b"batch %d" % c, b"batch-%02d.env" % c, data)
last = toks[1999].encode()
commit(1717236000, msg.encode() + b" " + last, path.encode(),
       b"x\nKEY=" + last + b"\n")
PY
git -C repo fast-import --quiet <import
git -C repo reset -q --hard
# Planted, as mktoken does: no output may hold one whole.
cat toks >>"$WORK/planted"
last=$(tail -n 1 toks)

nfg git -f json repo
expect_rc 1
cp "$WORK/out" report.json
assert_eq "$(jq -c '[.scan.findings, ([.findings[].fingerprint] | unique |
	length)]' report.json)" '[2001,2000]' "findings and tokens"
nfg git -f html -o big.html repo
expect_rc 1

f=$(fp "$last")
card="document.getElementById(\"t-${f#sha256:}\")"
built='document.querySelectorAll("#tokens .card .detail").length'
# The last card's details as lines: FIELD=TEXT of its facts and first
# appearance, and one line per place (REPO PATH LINE COMMIT REACHABLE
# [first] | the cells' text).
lines="(() => {
	const c = $card, d = c.querySelector(\".detail\");
	const a = (e, n) => e.getAttribute(n);
	return [c === [...document.querySelectorAll(\"#tokens article.card\")].pop(),
		d.querySelector(\".fingerprint\").textContent].concat(
		[...d.querySelectorAll(\"dl dd\")].map(e =>
			a(e, \"data-field\") + \"=\" + e.textContent),
		[...d.querySelectorAll(\"tr.place\")].map(p => [a(p,
			\"data-repository\"), a(p, \"data-path\"), a(p, \"data-line\"),
			a(p, \"data-commit\"), a(p, \"data-reachable\")].concat(
			p.classList.contains(\"first\") ? [\"first\"] : [], \"|\",
			[...p.cells].map(td => td.textContent)).join(\" \")),
		d.querySelector(\".next\").textContent.startsWith(
			\"What to do nextfix (notiflows-account-token):Revoke\"));
})()"
harm='[typeof window.nfgPwned,
	document.querySelectorAll("img, nfg-evil").length,
	[...document.querySelectorAll("*")].filter(e =>
	[...e.attributes].some(a => a.name.startsWith("on"))).length,
	[...document.scripts].map(s => s.type || "js").join()].join(" ")'
browse b.json --timeout 300 big.html --eval "$built" \
	--eval "void $card.scrollIntoView()" \
	--wait "$card.querySelector(\".detail\")" --eval "$lines" \
	--eval "$built < 100" --eval "$harm" \
	--eval 'window.dispatchEvent(new Event("beforeprint"))' \
	--eval "$built" --eval "$harm"

# What the card must show, from the JSON report.
commit=$(jq -r --arg f "$f" '[.findings[] | select(.fingerprint == $f) |
	.commit] | unique | join(" ")' report.json)
started=$(jq -r '.scan.started_at' report.json)
days=$(jq -rn --arg s "$started" '(($s | .[0:19] + "Z" | fromdate) -
	("2024-06-01T10:00:00Z" | fromdate)) / 86400 | floor')
r=$(jq -r '.scan.repository' report.json)
place_file="$r $file 2 $commit true"
place_msg="$r  1 $commit true"
cells_file="| $r $file 2 ${commit%"${commit#????????????}"} 2024-06-01T10:00:00Z 1 yes"
cells_msg="| $r commit-message 1 ${commit%"${commit#????????????}"} 2024-06-01T10:00:00Z 1 yes"
# The first appearance is whichever place the page marks first.
first=$(jq -r '.pages[0].results[3][] | select(type == "string") |
	select(contains(" first |")) | split(" ")[2]' b.json)
case $first in
2) where=$file col=5 ;;
1) where=commit-message col=$(($(printf '%s ' "$msg" | wc -c) + 1)) ;;
*) fail "no first place: $first" ;;
esac
want=$(jq -nc --arg f "$f" --arg r "$r" --arg c "$commit" --arg w "$where" \
	--arg col "$first, column $col" --arg e "$days" \
	--arg pf "$place_file" --arg pm "$place_msg" --arg cf "$cells_file" \
	--arg cm "$cells_msg" --arg first "$first" '[true, $f,
	"rule=notiflows-account-token (critical)", "verification=unverified",
	"revocation=not revoked by this run",
	"exposed=2024-06-01T10:00:00Z until this scan, still open (\($e) days)",
	"repository=\($r)", "commit=\($c)", "path=\($w)", "line=\($col)",
	"author=A <a@example.com>", "date=2024-06-01T10:00:00Z"] +
	([[$pf, $cf, "2"], [$pm, $cm, "1"]] | map(if .[2] == $first then
		.[0] + " first " + .[1] else .[0] + " " + .[1] end) | sort) +
	[true]')
assert_eq "$(jq -c '.pages[0].results[3] | .[0:12] + (.[12:14] | sort) +
	.[14:]' b.json)" "$want" "the last card's details"
expect_results b.json 0 0 null null "$(result b.json 0 3)" true \
	"undefined 0 0 application/json,js" true 2000 \
	"undefined 0 0 application/json,js"
expect_quiet b.json
for out in big.html b.json; do
	! grep -qF -f "$WORK/planted" "$out" || fail "$out holds a whole token"
done
