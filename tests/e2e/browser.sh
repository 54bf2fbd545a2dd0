# Helpers for the tests that open pages in headless chromium (1310-1329)
# through tests/tools/browser.py; POSIX sh, sourced after lib.sh. Without
# chromium the test is skipped, except under CI=true, where it fails.
command -v python3 >/dev/null || skip "python3 is not installed"
if ! command -v chromium >/dev/null 2>&1; then
	[ "${CI:-}" != true ] ||
		fail "chromium is not installed, and CI must run the browser tests"
	skip "chromium is not installed"
fi

# browse OUT ARGS...: runs browser.py ARGS (a page, then actions), its
# JSON in OUT (recorded in the transcript, as it holds the page's text);
# fails with its stderr unless it exits 0.
browse() {
	_bw_out=$1
	shift
	set +e
	python3 "$SRCDIR/tests/tools/browser.py" --timeout 90 "$@" \
		>"$_bw_out" 2>"$WORK/browser.err"
	_bw_rc=$?
	set -e
	record_output "$_bw_out" "$WORK/browser.err"
	[ "$_bw_rc" = 0 ] || {
		cat "$WORK/browser.err" >&2
		fail "browser.py exited $_bw_rc"
	}
}

# result OUT PAGE N: the Nth result (from 0) of the PAGEth page (from 0)
# in browse's OUT, as jq -r prints it (strings bare, the rest compact).
result() {
	jq -rc ".pages[$2].results[$3] | if type == \"string\" then . else tojson end" \
		"$1"
}

# expect_results OUT PAGE WANT...: the PAGEth page's results, in order,
# are exactly WANT... (one argument each, as result prints them).
expect_results() {
	_er_out=$1 _er_p=$2
	shift 2
	assert_eq "$(jq -r ".pages[$_er_p].results | length" "$_er_out")" $# \
		"results of page $_er_p"
	_er_i=0
	for _er_w; do
		assert_eq "$(result "$_er_out" "$_er_p" "$_er_i")" "$_er_w" \
			"result $_er_i of page $_er_p"
		_er_i=$((_er_i + 1))
	done
}

# demo_repos: the planted demo of the report tests and of the README's
# screenshot, two work trees in the current folder (tests/mockapi/lib.sh
# sourced for mktok). Against the stand-in API its tokens are
#   $tok_rev   REVOK: live until revoked; acme-api config/production.env
#              line 3 (2024-02-03, deleted 2024-05-20) and acme-web
#              .env.local line 1 (2024-04-02)
#   $tok_live  NOREV: live, revocation unsupported; acme-api deploy/ci.yml
#              line 3 (2024-03-15)
#   $tok_dead  DEAD: invalid; acme-api tests/fixtures/account.json line 1
#              (2024-06-01)
#   $tok_unk   JUNK: unknown (the answer is not JSON); acme-web
#              scripts/notify.sh line 2 (2024-07-12)
demo_repos() {
	tok_rev=$(mktok REVOK) tok_live=$(mktok NOREV)
	tok_dead=$(mktok DEAD) tok_unk=$(mktok JUNK)
	mkrepo acme-api
	(
		cd acme-api
		export GIT_AUTHOR_NAME='Dana Ops' GIT_AUTHOR_EMAIL=dana@example.com
		printf '# acme-api\n' >README.md
		commit_at '2024-01-10 09:00:00 +0000' 'initial import'
		mkdir config
		printf 'DB_HOST=db.internal\nDB_PORT=5432\nNOTIFLOWS_TOKEN=%s\n' \
			"$tok_rev" >config/production.env
		commit_at '2024-02-03 14:20:00 +0000' 'add production settings'
		export GIT_AUTHOR_NAME='Sam Build' GIT_AUTHOR_EMAIL=sam@example.com
		mkdir deploy
		printf 'deploy:\n  env:\n    NOTIFLOWS_TOKEN: %s\n' "$tok_live" \
			>deploy/ci.yml
		commit_at '2024-03-15 08:05:00 +0000' 'deploy from CI'
		git rm -q config/production.env
		commit_at '2024-05-20 17:45:00 +0000' 'remove production settings'
		mkdir -p tests/fixtures
		printf '{"token": "%s"}\n' "$tok_dead" >tests/fixtures/account.json
		commit_at '2024-06-01 11:30:00 +0000' 'a fixture for the client tests'
	)
	mkrepo acme-web
	(
		cd acme-web
		export GIT_AUTHOR_NAME='Lee Front' GIT_AUTHOR_EMAIL=lee@example.com
		printf '# acme-web\n' >README.md
		commit_at '2024-03-01 10:00:00 +0000' 'initial import'
		printf 'NOTIFLOWS_TOKEN=%s\n' "$tok_rev" >.env.local
		commit_at '2024-04-02 16:10:00 +0000' 'local settings'
		mkdir scripts
		printf '#!/bin/sh\ncurl -H "Authorization: Bearer %s" "$URL"\n' \
			"$tok_unk" >scripts/notify.sh
		commit_at '2024-07-12 09:15:00 +0000' 'notify script'
	)
}

# Builds each card's details as a reader does, scrolling to every card in
# turn (the page's script builds a card when it comes near the viewport),
# then back to the top: browse OUT PAGE --eval "$build_cards" gives the
# number of cards built.
build_cards='(async () => {
	const cards = [...document.querySelectorAll("#tokens article.card")];
	for (const c of cards) {
		c.scrollIntoView();
		for (let i = 0; i < 300 && !c.querySelector(".detail"); i++)
			await new Promise(r => requestAnimationFrame(r));
	}
	window.scrollTo(0, 0);
	return cards.filter(c => c.querySelector(".detail")).length;
})()'

# The text of the page but for its <script> and <style> elements (the
# card data is the text of one).
page_text='(() => {
	const b = document.body.cloneNode(true);
	b.querySelectorAll("script, style").forEach(e => e.remove());
	return b.textContent;
})()'

# The report's parts the DOM contract names (top of src/report/html.c),
# as lines of text, every card built first ($build_cards): browse OUT
# PAGE --eval "$report_lines" gives an array:
#   count NAME=N...                    #summary's data-count-* attributes
#   bar FP STATUS REVOCATION START END OPEN   one per g.bar, in order
#   card FP STATUS REVOCATION TOKEN    one per article.card, in order
#   first FP FIELD=VALUE...            its dl.first-seen
#   place FP REPO PATH LINE COMMIT REACHABLE [first]   its tr.place rows
#   row REPOSITORY STATUS KEY=VALUE... #repos' rows shown, in order
report_lines='(async () => {
	await '"$build_cards"';
	const q = (s, e) => [...(e || document).querySelectorAll(s)];
	const a = (e, n) => e.getAttribute(n);
	const out = [];
	const s = document.getElementById("summary");
	out.push("count " + [...s.attributes].filter(x =>
		x.name.startsWith("data-count-")).map(x =>
		x.name.slice(11) + "=" + x.value).join(" "));
	for (const b of q("svg#timeline g.bar"))
		out.push(["bar", a(b, "data-fingerprint"), a(b, "data-status"),
			a(b, "data-revocation"), a(b, "data-start"),
			a(b, "data-end"), a(b, "data-open")].join(" "));
	for (const c of q("#tokens article.card")) {
		const f = a(c, "data-fingerprint");
		out.push(["card", f, a(c, "data-status"), a(c, "data-revocation"),
			c.querySelector(".token").textContent].join(" "));
		out.push(["first", f].concat(q("dl.first-seen dd", c).map(d =>
			a(d, "data-field") + "=" + d.textContent.trim())).join(" "));
		for (const p of q("table.places tr.place", c))
			out.push(["place", f, a(p, "data-repository"),
				a(p, "data-path"), a(p, "data-line"),
				a(p, "data-commit"), a(p, "data-reachable")].concat(
				p.classList.contains("first") ? ["first"] : []).join(" "));
	}
	for (const r of q("#repos tbody tr").filter(r => !r.hidden))
		out.push(["row", a(r, "data-repository"), a(r, "data-status")].concat(
			q("td", r).filter(d => a(d, "data-key") !== "repository" &&
				a(d, "data-key") !== "status").map(d =>
				a(d, "data-key") + "=" + a(d, "data-value"))).join(" "));
	return out;
})()'

# expect_quiet OUT: on every page in browse's OUT, no console message, no
# exception, no error in the log, no CSP violation and no request.
expect_quiet() {
	_eq=$(jq -c '[.pages[] | {url, console, exceptions, csp, requests,
		log: [.log[] | select(.level == "error" or .level == "warning")]} |
		select(.console + .exceptions + .csp + .requests + .log != [])]' \
		"$1")
	assert_eq "$_eq" "[]" "pages that were not quiet"
}
