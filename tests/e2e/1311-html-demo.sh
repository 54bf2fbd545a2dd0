#!/bin/sh
# The html report in chromium, on the planted demo (tests/e2e/browser.sh):
# from git (one repository, verified), a sweep (verified and revoked, with
# an empty and a missing repository), a merge of shards (verified after
# the revocation) and dir (with --show-secret): exact counts, timeline
# bars in order and drawn in order, cards and their places, and the
# repository table, sorted and filtered by clicks and choices in the page;
# no script error, no CSP violation, no request, and no whole token in
# any file or on any page. The sweep's page is screenshotted to
# BUILDDIR/html-demo/report.png (tests/tools/report-screenshot.sh).
set -eu
. "$SRCDIR/tests/mockapi/lib.sh"
. "$SRCDIR/tests/e2e/browser.sh"
mockapi_start

demo_repos
mkrepo acme-empty
all="acme-api acme-web acme-empty acme-gone"

nfg git -f html -o git.html --verify --api-url "$API_HTTP" acme-api
expect_rc 1
nfg git -f json --show-secret --shard 1/2 -o shard1.json acme-api acme-web
nfg git -f json --show-secret --shard 2/2 -o shard2.json acme-api acme-web
# shellcheck disable=SC2086 # the list of targets
nfg git -f html -o sweep.html --verify --revoke --yes \
	--audit-log audit.jsonl --api-url "$API_HTTP" $all
expect_rc 2
nfg merge -f html -o merge.html --verify --api-url "$API_HTTP" \
	shard1.json shard2.json
expect_rc 1
cp -R acme-api plain
rm -rf plain/.git
nfg dir -f html -o dir.html --show-secret plain
expect_rc 1

rows='[...document.querySelectorAll("#repos tbody tr")].filter(r =>
	!r.hidden).map(r => r.dataset.repository).join(" ")'
sorted='[...document.querySelectorAll("#repos th[aria-sort]")].map(t =>
	t.dataset.sort + " " + t.getAttribute("aria-sort")).join()'
mkdir -p "$BUILDDIR/html-demo"
browse b.json --window 1100x1400 git.html --eval "$report_lines" \
	--open sweep.html --eval "$report_lines" \
	--click '#repos th[data-sort="findings"] button' --eval "$rows" \
	--eval "$sorted" \
	--click '#repos th[data-sort="findings"] button' --eval "$rows" \
	--eval "$sorted" \
	--click '#repos th[data-sort="repository"] button' --eval "$rows" \
	--select '#filter-status' failed --eval "$rows" \
	--select '#filter-status' empty --eval "$rows" \
	--select '#filter-status' scanned --eval "$rows" \
	--select '#filter-status' '' --eval "$rows" \
	--eval '(async () => { await window.scrollTo(0, 0); })()' \
	--screenshot "$BUILDDIR/html-demo/report.png" \
	--open merge.html --eval "$report_lines" \
	--open dir.html --eval "$report_lines"

# page N: the lines of the Nth page's first result (report_lines), each
# fingerprint by its token's name, each commit by its message's first
# word, times of this run as NOW and the test's folder as WD; bytes as B
# (the git folders' sample hooks vary with git's version).
c_prod=$(git -C acme-api rev-parse ':/add production')
c_ci=$(git -C acme-api rev-parse ':/deploy from')
c_fix=$(git -C acme-api rev-parse ':/a fixture')
c_local=$(git -C acme-web rev-parse ':/local settings')
c_notify=$(git -C acme-web rev-parse ':/notify script')
page() {
	jq -r ".pages[$1].results[0][]" b.json | sed -E \
		-e "s/$(fp "$tok_rev")/REV/g; s/$(fp "$tok_live")/LIVE/g" \
		-e "s/$(fp "$tok_dead")/DEAD/g; s/$(fp "$tok_unk")/UNK/g" \
		-e "s/$c_prod/PROD/g; s/$c_ci/CI/g; s/$c_fix/FIX/g" \
		-e "s/$c_local/LOCAL/g; s/$c_notify/NOTIFY/g" \
		-e "s|$(pwd -P)/|WD/|g; s/ bytes=[0-9]+/ bytes=B/" \
		-e 's/20(2[5-9]|[3-9][0-9])-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/NOW/g'
}
nl='
'
first_rev="first REV repository=acme-api commit=PROD path=config/production.env line=3, column 17 author=Dana Ops <dana@example.com> date=2024-02-03T14:20:00Z"
first_live="first LIVE repository=acme-api commit=CI path=deploy/ci.yml line=3, column 22 author=Sam Build <sam@example.com> date=2024-03-15T08:05:00Z"
first_dead="first DEAD repository=acme-api commit=FIX path=tests/fixtures/account.json line=1, column 12 author=Sam Build <sam@example.com> date=2024-06-01T11:30:00Z"
first_unk="first UNK repository=acme-web commit=NOTIFY path=scripts/notify.sh line=2, column 32 author=Lee Front <lee@example.com> date=2024-07-12T09:15:00Z"
place_rev="place REV acme-api config/production.env 3 PROD true first
place REV acme-web .env.local 1 LOCAL true"
place_live="place LIVE acme-api deploy/ci.yml 3 CI true first"
place_dead="place DEAD acme-api tests/fixtures/account.json 1 FIX true first"
place_unk="place UNK acme-web scripts/notify.sh 2 NOTIFY true first"

# One repository, verified: the live tokens first, the longest exposed
# on top; every place in the one repository, named by its path.
assert_eq "$(page 0)" "count tokens=3 findings=3 live=2 invalid=1 unknown=0 unverified=0 revoked=0 errors=0 skipped=0 repositories=1 failed=0
bar REV live none 2024-02-03T14:20:00Z NOW true
bar LIVE live none 2024-03-15T08:05:00Z NOW true
bar DEAD invalid none 2024-06-01T11:30:00Z NOW false
card REV live none $(redact "$tok_rev")
$(echo "$first_rev" | sed 's|=acme-api|=WD/acme-api|')
$(echo "$place_rev" | sed 's| acme-api | WD/acme-api |; /LOCAL/d')
card LIVE live none $(redact "$tok_live")
$(echo "$first_live" | sed 's|=acme-api|=WD/acme-api|')
$(echo "$place_live" | sed 's| acme-api | WD/acme-api |')
card DEAD invalid none $(redact "$tok_dead")
$(echo "$first_dead" | sed 's|=acme-api|=WD/acme-api|')
$(echo "$place_dead" | sed 's| acme-api | WD/acme-api |')
row WD/acme-api scanned tokens=3 live=2 findings=3 commits=5 blobs=4 bytes=B error=" \
	"git report"

# The sweep, verified and revoked: live and not revoked, unknown, revoked,
# invalid; the shared token's card lists both repositories; the failed
# and the empty repository have their rows.
sweep_rows="row acme-api scanned tokens=3 live=2 findings=3 commits=5 blobs=4 bytes=B error=
row acme-web scanned tokens=2 live=1 findings=2 commits=3 blobs=3 bytes=B error=
row acme-empty empty tokens=0 live=0 findings=0 commits=0 blobs=0 bytes=B error=
row acme-gone failed tokens=0 live=0 findings=0 commits=0 blobs=0 bytes=B error=cannot open 'acme-gone': No such file or directory"
# four LIVE UNK REV DEAD: the bars and cards of the four tokens of the
# sweep and the merge, in this order, each "STATUS REVOCATION" given.
four() {
	printf 'bar LIVE %s 2024-03-15T08:05:00Z NOW true\n' "$1"
	printf 'bar UNK %s 2024-07-12T09:15:00Z NOW true\n' "$2"
	printf 'bar REV %s 2024-02-03T14:20:00Z NOW false\n' "$3"
	printf 'bar DEAD %s 2024-06-01T11:30:00Z NOW false\n' "$4"
	printf 'card LIVE %s %s\n%s\n%s\n' "$1" "$(redact "$tok_live")" \
		"$first_live" "$place_live"
	printf 'card UNK %s %s\n%s\n%s\n' "$2" "$(redact "$tok_unk")" \
		"$first_unk" "$place_unk"
	printf 'card REV %s %s\n%s\n%s\n' "$3" "$(redact "$tok_rev")" \
		"$first_rev" "$place_rev"
	printf 'card DEAD %s %s\n%s\n%s\n' "$4" "$(redact "$tok_dead")" \
		"$first_dead" "$place_dead"
}
assert_eq "$(page 1)" "count tokens=4 findings=5 live=2 invalid=1 unknown=1 unverified=0 revoked=1 errors=1 skipped=0 repositories=4 failed=1
$(four 'live revoke_unsupported' 'unknown skipped' 'live revoked' \
	'invalid skipped')
$sweep_rows" "sweep report"

# Sorting by clicks on the headers (stable: ties keep their order) and
# filtering by status, in the sweep's page.
expect_results b.json 1 "$(jq -c '.pages[1].results[0]' b.json)" null \
	"acme-empty acme-gone acme-web acme-api" "findings ascending" null \
	"acme-api acme-web acme-empty acme-gone" "findings descending" null \
	"acme-api acme-empty acme-gone acme-web" null acme-gone null \
	acme-empty null "acme-api acme-web" null \
	"acme-api acme-empty acme-gone acme-web" null \
	"$(wc -c <"$BUILDDIR/html-demo/report.png" | tr -d ' ')"

# The merge of the shards, verified after the revocation: the revoked
# token is invalid now, and the longer exposed of the two invalid ones
# comes first.
assert_eq "$(page 2)" "count tokens=4 findings=5 live=1 invalid=2 unknown=1 unverified=0 revoked=0 errors=0 skipped=0 repositories=2 failed=0
$(four 'live none' 'unknown none' 'invalid none' 'invalid none')
$(echo "$sweep_rows" | sed '3,$d; 1s/live=2/live=1/; 2s/live=1/live=0/')" \
	"merged report"

# dir, with --show-secret: no dates, so no exposure; by fingerprint.
dir_card() {
	case $1 in
	LIVE) set -- "$1" "$tok_live" deploy/ci.yml 3 22 ;;
	*) set -- "$1" "$tok_dead" tests/fixtures/account.json 1 12 ;;
	esac
	printf 'card %s unverified none %s\nfirst %s path=%s line=%s, column %s\nplace %s  %s %s   first\n' \
		"$1" "$(redact "$2")" "$1" "$3" "$4" "$5" "$1" "$3" "$4"
}
set -- LIVE DEAD
[ "$(fp "$tok_live")" \< "$(fp "$tok_dead")" ] || set -- DEAD LIVE
assert_eq "$(page 3)" "count tokens=2 findings=2 live=0 invalid=0 unknown=0 unverified=2 revoked=0 errors=0 skipped=0 repositories=1 failed=0
bar $1 unverified none   true
bar $2 unverified none   true
$(dir_card "$1")
$(dir_card "$2")
row plain scanned tokens=2 live=0 findings=2 commits=0 blobs=0 bytes=B error=" \
	"dir report"

# The bars are drawn as dated: rows top down in order, each starting left
# of the bars that start later and ending nowhere right of those that end
# later (ends a few milliseconds apart may round to one pixel).
drawn='(() => {
	const bs = [...document.querySelectorAll("svg#timeline g.bar")].map(b => {
		const r = b.querySelector("rect");
		return {s: Date.parse(b.dataset.start), e: Date.parse(b.dataset.end),
			x: r.x.baseVal.value, w: r.width.baseVal.value,
			y: r.y.baseVal.value};
	});
	const ok = (k, f) => bs.every(p => bs.every(q => !(p[k] < q[k]) ||
		f(p, q)));
	return bs.length > 0 && bs.every((b, i) => b.w > 0 &&
		(i === 0 || bs[i - 1].y < b.y)) && ok("s", (p, q) => p.x < q.x) &&
		ok("e", (p, q) => p.x + p.w <= q.x + q.w);
})()'
browse d.json git.html --eval "$drawn" --open sweep.html --eval "$drawn" \
	--open merge.html --eval "$drawn"
expect_results d.json 0 true
expect_results d.json 1 true
expect_results d.json 2 true

# Quiet pages, and no whole token in any report, page text or screenshot.
expect_quiet b.json
expect_quiet d.json
for f in git.html sweep.html merge.html dir.html b.json; do
	! grep -qF -f "$WORK/planted" "$f" || fail "$f holds a whole token"
done
