#!/bin/sh
# tests/tools/browser.py, the headless chromium driver of the report
# tests, on small pages written here: trusted clicks, typing and choosing
# reach the page's handlers; values come back as JSON; console messages,
# exceptions, CSP violations and every request attempted are reported
# (the request stopped); a screenshot is a PNG; a failing action, a
# missing element and a timeout exit 2 leaving no chromium behind.
set -eu
. "$SRCDIR/tests/e2e/browser.sh"

csp="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"
cat >a.html <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<title>a</title></head><body>
<button id="b">0</button><input id="i">
<select id="s"><option value="x">x</option><option value="y">y</option></select>
<p id="o"></p>
<script>
let n = 0;
const o = document.getElementById('o');
document.getElementById('b').addEventListener('click', e => {
	if (e.isTrusted) n++;
	e.target.textContent = n;
});
document.getElementById('i').addEventListener('input',
	e => { o.textContent = 'typed ' + e.target.value; });
document.getElementById('s').addEventListener('change',
	e => { o.textContent = 'chose ' + e.target.value; });
console.log('hello', 42);
console.error('oops');
fetch('http://192.0.2.1/connect').catch(() => {});
setTimeout(() => { throw new Error('late'); }, 0);
</script></body></html>
EOF
cat >b.html <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>b</title>
<link rel="stylesheet" href="http://192.0.2.1/b.css"></head>
<body><img src="missing.png" alt=""><p>b</p></body></html>
EOF
cat >c.html <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>c</title></head>
<body><p id="p">c</p></body></html>
EOF

o='document.getElementById("o").textContent'
browse a.json a.html --click '#b' --click '#b' \
	--eval 'document.getElementById("b").textContent' \
	--type '#i' 'abc' --eval "$o" --type '#i' '' --eval "$o" \
	--select '#s' y --eval "$o" \
	--eval '({a: [1, "x"], b: null})' --eval 'window.nothing' \
	--eval 'Promise.resolve(7)' --screenshot a.png \
	--open b.html --eval 'document.title' \
	--open c.html --wait 'document.getElementById("p")' \
	--eval 'document.getElementById("p").textContent'
expect_results a.json 0 null null 2 null 'typed abc' null 'typed ' null \
	'chose y' '{"a":[1,"x"],"b":null}' null 7 "$(wc -c <a.png | tr -d ' ')"
assert_eq "$(head -c 8 a.png | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a \
	"PNG signature of the screenshot"
assert_eq "$(jq -c '.pages[0].console' a.json)" \
	'[{"type":"log","text":"hello 42"},{"type":"error","text":"oops"}]' \
	"console of a.html"
assert_eq "$(jq -r '.pages[0].exceptions | length' a.json)" 1 "exceptions"
jq -r '.pages[0].exceptions[0]' a.json | grep -q '^Error: late' ||
	fail "exception: $(jq -r '.pages[0].exceptions[0]' a.json)"
jq -r '.pages[0].csp[]' a.json | grep -q 'connect-src' ||
	fail "no connect-src violation in $(jq -c '.pages[0].csp' a.json)"
assert_eq "$(jq -c '.pages[0].requests' a.json)" '[]' \
	"requests of a.html (its CSP forbids them)"
assert_eq "$(jq -r '.pages[0].url' a.json)" "file://$(pwd -P)/a.html" "url"
jq -e '.pages[0].timing | .navigate_ms > 0 and .load_ms > 0 and
	.first_paint_ms > 0 and .first_contentful_paint_ms > 0' a.json \
	>/dev/null || fail "timing: $(jq -c '.pages[0].timing' a.json)"

# Every request the page attempts is reported, and stopped.
assert_eq "$(jq -r '[.pages[1].requests[] | "\(.type) \(.url)"] | sort |
	join(",")' a.json)" \
	"Image file://$(pwd -P)/missing.png,Stylesheet http://192.0.2.1/b.css" \
	"requests of b.html"
expect_results a.json 1 b
expect_results a.json 2 null c
assert_eq "$(jq -c '.pages[2] | [.console, .exceptions, .csp, .requests]' \
	a.json)" '[[],[],[],[]]' "what c.html did"

# fails ARGS...: browser.py ARGS exits 2 within 30 s, with one line on
# stderr, and no chromium of its profile is left running.
fails() {
	set +e
	s=$(date +%s)
	python3 "$SRCDIR/tests/tools/browser.py" "$@" >fail.json 2>fail.err
	rc=$?
	e=$(date +%s)
	set -e
	record_output fail.json fail.err
	assert_eq "$rc" 2 "exit status of browser.py $*"
	assert_eq "$(wc -l <fail.err | tr -d ' ')" 1 "stderr lines of $*"
	[ $((e - s)) -lt 30 ] || fail "browser.py $* took $((e - s)) s"
	assert_eq "$(find "$TMPDIR" -maxdepth 1 -name 'nfguard-browser.*' |
		wc -l | tr -d ' ')" 0 "profiles left by $*"
	! ps -eo args | grep -F -- "$TMPDIR/nfguard-browser." | grep -v grep ||
		fail "chromium still runs after $*"
}
fails c.html --eval 'throw new Error("boom")'
grep -q 'threw: Error: boom' fail.err || fail "stderr: $(cat fail.err)"
fails c.html --click '#none'
grep -q 'no element matches #none' fail.err || fail "stderr: $(cat fail.err)"
fails --timeout 5 c.html --wait 'false'
grep -q 'timed out' fail.err || fail "stderr: $(cat fail.err)"
fails missing.html
grep -q 'no such file: missing.html' fail.err || fail "stderr: $(cat fail.err)"

set +e
python3 "$SRCDIR/tests/tools/browser.py" --chromium ./none c.html >/dev/null 2>&1
rc=$?
python3 "$SRCDIR/tests/tools/browser.py" --eval 1 >/dev/null 2>&1
rc2=$?
set -e
assert_eq "$rc" 3 "exit status without chromium"
assert_eq "$rc2" 1 "exit status without a page"
