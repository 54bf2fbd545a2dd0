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
