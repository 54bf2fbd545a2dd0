#!/usr/bin/env python3
"""Opens local pages in headless chromium for nfguard's tests; stdlib only.

Talks the DevTools protocol over --remote-debugging-pipe (fds 3 and 4,
NUL-separated JSON): no websocket, no npm. A fresh temporary profile each
run; --no-sandbox only as root; every request of the page recorded (the
Network domain) and stopped (Fetch interception) but the page's own file.

    browser.py [OPTIONS] [PAGE] ACTION...

ACTIONs run in the order given, on the page last opened:
    --open PAGE           open a local file (or a file:// URL); waits for
                          its load event and two animation frames
    --eval EXPR           evaluate EXPR in the page (promises awaited);
                          its JSON value is the action's result
    --wait EXPR           evaluate EXPR until it is truthy
    --click SELECTOR      a real mouse click (pressed, released) at the
                          centre of the first element SELECTOR matches
    --type SELECTOR TEXT  focus that element, empty it, type TEXT
    --select SELECTOR VALUE  choose VALUE in a <select> (input and change
                          events, as a user's choice fires them)
    --screenshot OUT      a PNG of the viewport (--full-page: whole page)
OPTIONS: --timeout SECONDS (the whole run, default 60: chromium killed and
exit 2 past it), --window WIDTHxHEIGHT (default 1280x900), --full-page,
--chromium PATH (default $CHROMIUM, else chromium on PATH).

Prints one JSON object: {"pages": [{"url", "results" (one per action
after --open, null for a click), "timing" {"navigate_ms" (Page.navigate
sent to the load event and the first paint seen), "load_ms",
"first_paint_ms", "first_contentful_paint_ms" (the page's own
performance entries), "main_thread_cpu_ms", "layout_ms" (the renderer's
main thread: CPU time, time in layout)}, "console" [{"type", "text"}], "exceptions"
[text], "log" [{"source", "level", "text", "url"}], "csp" [text: CSP
violations, from the log and the issues], "requests" [{"url", "type"}:
every request but the page's own document]}]}.
Exit: 0 ran (what the page did is in the JSON), 1 usage, 2 failure (an
action threw or found nothing, a timeout, chromium died: a message on
stderr, the JSON so far on stdout), 3 chromium not found.
"""

import base64
import fcntl
import json
import os
import pathlib
import select
import shutil
import signal
import sys
import tempfile
import time


class Failure(Exception):
    pass


class Usage(Exception):
    pass


class Chromium:
    """One headless chromium process and its pipe."""

    def __init__(self, path, width, height, deadline):
        self.deadline = deadline
        self.next_id = 0
        self.events = []
        self.on_paused = None
        self.rbuf = b""
        self.profile = tempfile.mkdtemp(prefix="nfguard-browser.")
        self.pid = None
        # Our ends stay close-on-exec; the child's ends are dup2'd to 3
        # and 4 from fds numbered above both, so no dup2 clobbers another.
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        fds = []
        try:
            hi_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
            hi_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
            fds = [hi_r, hi_w]
            args = [
                path,
                "--headless",
                "--remote-debugging-pipe",
                "--user-data-dir=" + self.profile,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--hide-scrollbars",
                "--mute-audio",
                "--password-store=basic",
                "--use-mock-keychain",
                "--force-device-scale-factor=1",
                "--window-size=%d,%d" % (width, height),
                "about:blank",
            ]
            if os.geteuid() == 0:
                args.insert(2, "--no-sandbox")
            log = os.open(os.path.join(self.profile, "stderr.log"),
                          os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
            null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
            fds += [log, null]
            self.pid = os.posix_spawn(path, args, os.environ, file_actions=[
                (os.POSIX_SPAWN_DUP2, null, 0),
                (os.POSIX_SPAWN_DUP2, null, 1),
                (os.POSIX_SPAWN_DUP2, log, 2),
                (os.POSIX_SPAWN_DUP2, hi_r, 3),
                (os.POSIX_SPAWN_DUP2, hi_w, 4),
            ], setsid=True)
        finally:
            for fd in fds + [to_child_r, from_child_w]:
                os.close(fd)

    def stderr_tail(self):
        try:
            with open(os.path.join(self.profile, "stderr.log"), "rb") as f:
                return f.read()[-2000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def close(self):
        """Kills chromium's whole process group and removes the profile."""
        if self.pid is not None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self.to_child = self.from_child = -1
        shutil.rmtree(self.profile, ignore_errors=True)

    def remaining(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Failure("timed out")
        return left

    def write(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        while data:
            _, w, _ = select.select([], [self.to_child], [], self.remaining())
            if not w:
                continue
            try:
                n = os.write(self.to_child, data)
            except BrokenPipeError:
                raise Failure("chromium exited: " + self.stderr_tail())
            data = data[n:]

    def read_message(self):
        """The next message, waiting until the deadline."""
        while b"\0" not in self.rbuf:
            r, _, _ = select.select([self.from_child], [], [],
                                    self.remaining())
            if not r:
                continue
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                raise Failure("chromium exited: " + self.stderr_tail())
            self.rbuf += chunk
        raw, _, self.rbuf = self.rbuf.partition(b"\0")
        return json.loads(raw)

    def post(self, method, params=None, session=None):
        """Sends a command without waiting; returns its id."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.write(msg)
        return self.next_id

    def event(self, m):
        """Queues an event for pump(); a paused request is answered at
        once, as the command that caused it may wait for it."""
        if m.get("method") == "Fetch.requestPaused" and self.on_paused:
            self.on_paused(m)
        self.events.append(m)

    def send(self, method, params=None, session=None):
        """Sends a command and returns its result; events that arrive
        meanwhile are queued for pump()."""
        want = self.post(method, params, session)
        while True:
            m = self.read_message()
            if m.get("id") == want:
                if "error" in m:
                    raise Failure("%s: %s" % (method,
                                              m["error"].get("message")))
                return m.get("result", {})
            if "method" in m:
                self.event(m)

    def pump(self, timeout):
        """Events queued, then those that arrive within timeout seconds
        (0: those already there)."""
        end = min(time.monotonic() + timeout, self.deadline)
        while True:
            if b"\0" not in self.rbuf:
                left = max(0, end - time.monotonic())
                r, _, _ = select.select([self.from_child], [], [], left)
                if not r:
                    break
            m = self.read_message()
            if "method" in m:
                self.event(m)
        out, self.events = self.events, []
        return out


def console_text(args):
    parts = []
    for a in args:
        if "value" in a:
            v = a["value"]
            parts.append(v if isinstance(v, str) else json.dumps(v))
        else:
            parts.append(a.get("description", a.get("type", "")))
    return " ".join(parts)


class Page:
    """One tab, its session and what it did."""

    def __init__(self, browser, url):
        self.b = browser
        self.url = url
        self.report = {"url": url, "results": [], "timing": {},
                       "console": [], "exceptions": [], "log": [],
                       "csp": [], "requests": []}
        self.loaded = False
        self.painted = False
        self.loader = None
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.target = target["targetId"]
        self.session = browser.send("Target.attachToTarget", {
            "targetId": self.target, "flatten": True})["sessionId"]
        browser.on_paused = self.paused
        for domain in ("Page", "Runtime", "Log", "Network", "Audits",
                       "Performance"):
            self.send(domain + ".enable")
        self.send("Page.setLifecycleEventsEnabled", {"enabled": True})
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})

    def send(self, method, params=None):
        return self.b.send(method, params, self.session)

    def handle(self, events):
        for m in events:
            if m.get("sessionId") != self.session:
                continue
            meth, p = m["method"], m.get("params", {})
            if meth == "Page.lifecycleEvent":
                if p.get("loaderId") != self.loader:
                    pass
                elif p.get("name") == "load":
                    self.loaded = True
                elif p.get("name") in ("firstPaint", "firstContentfulPaint"):
                    self.painted = True
            elif meth == "Runtime.consoleAPICalled":
                self.report["console"].append({
                    "type": p.get("type"),
                    "text": console_text(p.get("args", []))})
            elif meth == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                exc = d.get("exception", {})
                self.report["exceptions"].append(
                    exc.get("description") or d.get("text", ""))
            elif meth == "Log.entryAdded":
                e = p.get("entry", {})
                self.report["log"].append({
                    "source": e.get("source"), "level": e.get("level"),
                    "text": e.get("text"), "url": e.get("url")})
                if e.get("source") == "security" and \
                        "Content Security Policy" in (e.get("text") or ""):
                    self.report["csp"].append(e.get("text"))
            elif meth == "Audits.issueAdded":
                issue = p.get("issue", {})
                if issue.get("code") == "ContentSecurityPolicyIssue":
                    d = issue.get("details", {}).get(
                        "contentSecurityPolicyIssueDetails", {})
                    self.report["csp"].append("issue: %s %s %s" % (
                        d.get("contentSecurityPolicyViolationType"),
                        d.get("violatedDirective"),
                        d.get("blockedURL", "")))
            elif meth == "Network.requestWillBeSent":
                self.request(p.get("request", {}).get("url"), p.get("type"))

    def request(self, url, kind):
        if kind == "Document" and url == self.url and not self.report.get(
                "_doc"):
            self.report["_doc"] = True
            return
        self.report["requests"].append({"url": url, "type": kind})

    def paused(self, m):
        if m.get("sessionId") != self.session:
            return
        p = m.get("params", {})
        url = p.get("request", {}).get("url")
        if url == self.url and p.get("resourceType") == "Document":
            self.b.post("Fetch.continueRequest",
                        {"requestId": p["requestId"]}, self.session)
            return
        self.b.post("Fetch.failRequest", {"requestId": p["requestId"],
                                          "errorReason": "BlockedByClient"},
                    self.session)

    def settle(self, seconds):
        self.handle(self.b.pump(seconds))

    def metrics(self):
        return {m["name"]: m["value"] for m in
                self.send("Performance.getMetrics")["metrics"]}

    def navigate(self):
        m0 = self.metrics()
        t0 = time.monotonic()
        nav = self.send("Page.navigate", {"url": self.url})
        if nav.get("errorText"):
            raise Failure("cannot open %s: %s" % (self.url, nav["errorText"]))
        self.loader = nav.get("loaderId")
        t_load = None
        while not (self.loaded and self.painted):
            self.settle(0.02)
            if self.loaded and t_load is None:
                t_load = time.monotonic()
            # A page with nothing to draw may never paint: five seconds
            # after its load event the wait ends without a first paint.
            if t_load is not None and time.monotonic() - t_load > 5:
                break
        self.report["timing"]["navigate_ms"] = round(
            (time.monotonic() - t0) * 1000, 1)
        self.evaluate("new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        perf = self.evaluate("""(() => {
            const n = performance.getEntriesByType('navigation')[0];
            const p = {};
            for (const e of performance.getEntriesByType('paint'))
                p[e.name] = e.startTime;
            return {load: n ? n.loadEventEnd : null,
                    fp: p['first-paint'] ?? null,
                    fcp: p['first-contentful-paint'] ?? null};
        })()""")
        t = self.report["timing"]
        # CPU time of the renderer's main thread and the time it spent in
        # layout, from navigation to now: the figures least changed by
        # other work on the machine. A new process starts from zero.
        m1 = self.metrics()
        for k, name in (("main_thread_cpu_ms", "ThreadTime"),
                        ("layout_ms", "LayoutDuration")):
            v0, v1 = m0.get(name, 0), m1.get(name, 0)
            t[k] = round(((v1 - v0) if v1 >= v0 else v1) * 1000, 1)
        for k, v in (("load_ms", perf["load"]), ("first_paint_ms", perf["fp"]),
                     ("first_contentful_paint_ms", perf["fcp"])):
            t[k] = None if v is None else round(v, 1)

    def evaluate(self, expr):
        r = self.send("Runtime.evaluate", {
            "expression": expr, "returnByValue": True,
            "awaitPromise": True, "userGesture": True})
        self.settle(0)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            why = d.get("exception", {}).get("description") or d.get("text")
            raise Failure("%s threw: %s" % (expr.split("\n")[0],
                                            (why or "").split("\n")[0]))
        return r.get("result", {}).get("value")

    def frames(self):
        self.evaluate("new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        self.settle(0)

    def locate(self, selector):
        """The first element's centre in the viewport, scrolled into view."""
        box = self.evaluate("""((s) => {
            const e = document.querySelector(s);
            if (!e) return null;
            e.scrollIntoView({block: 'center', inline: 'center'});
            const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2,
                    r.width, r.height];
        })(%s)""" % json.dumps(selector))
        if box is None:
            raise Failure("no element matches %s" % selector)
        if box[2] <= 0 or box[3] <= 0:
            raise Failure("the element %s is not displayed" % selector)
        return box[0], box[1]

    def click(self, selector):
        x, y = self.locate(selector)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {
                "type": kind, "x": x, "y": y, "button": "left",
                "clickCount": 0 if kind == "mouseMoved" else 1})
        self.frames()

    def type(self, selector, text):
        self.locate(selector)
        self.evaluate("""((s) => {
            const e = document.querySelector(s);
            e.focus();
            if (e.select) e.select();
        })(%s)""" % json.dumps(selector))
        if self.evaluate("document.activeElement === document.querySelector("
                         "%s)" % json.dumps(selector)) is not True:
            raise Failure("%s cannot take the focus" % selector)
        # Selected text is replaced by what is typed; nothing typed empties.
        self.send("Input.dispatchKeyEvent", {
            "type": "keyDown", "key": "Backspace", "code": "Backspace",
            "windowsVirtualKeyCode": 8})
        self.send("Input.dispatchKeyEvent", {
            "type": "keyUp", "key": "Backspace", "code": "Backspace",
            "windowsVirtualKeyCode": 8})
        if text:
            self.send("Input.insertText", {"text": text})
        self.frames()

    def choose(self, selector, value):
        ok = self.evaluate("""((s, v) => {
            const e = document.querySelector(s);
            if (!e || e.tagName !== 'SELECT') return 'no <select> matches';
            if (![...e.options].some(o => o.value === v))
                return 'no option ' + v;
            e.focus();
            e.value = v;
            e.dispatchEvent(new Event('input', {bubbles: true}));
            e.dispatchEvent(new Event('change', {bubbles: true}));
            return true;
        })(%s, %s)""" % (json.dumps(selector), json.dumps(value)))
        if ok is not True:
            raise Failure("%s: %s" % (selector, ok))
        self.frames()

    def wait(self, expr):
        while self.evaluate("!!(%s)" % expr) is not True:
            self.settle(0.05)
            self.b.remaining()

    def screenshot(self, out, full):
        params = {"format": "png"}
        if full:
            m = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": m["width"],
                              "height": m["height"], "scale": 1}
        data = base64.b64decode(self.send("Page.captureScreenshot",
                                          params)["data"])
        with open(out, "wb") as f:
            f.write(data)
        return len(data)


ONE = {"--open", "--eval", "--wait", "--click", "--screenshot"}
TWO = {"--type", "--select"}


def parse(argv):
    opts = {"timeout": 60.0, "width": 1280, "height": 900, "full": False,
            "chromium": os.environ.get("CHROMIUM") or shutil.which(
                "chromium")}
    actions = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ONE or a in TWO or a in ("--timeout", "--window",
                                         "--chromium"):
            n = 2 if a in TWO else 1
            if i + n >= len(argv):
                raise Usage("%s needs %d argument(s)" % (a, n))
            vals = argv[i + 1:i + 1 + n]
            i += 1 + n
            if a == "--timeout":
                opts["timeout"] = float(vals[0])
            elif a == "--window":
                w, _, h = vals[0].partition("x")
                opts["width"], opts["height"] = int(w), int(h)
            elif a == "--chromium":
                opts["chromium"] = vals[0]
            else:
                actions.append((a, vals))
        elif a == "--full-page":
            opts["full"] = True
            i += 1
        elif a.startswith("-"):
            raise Usage("unknown option " + a)
        else:
            actions.append(("--open", [a]))
            i += 1
    if not actions or actions[0][0] != "--open":
        raise Usage("open a page first")
    return opts, actions


def page_url(arg):
    if arg.startswith("file://"):
        return arg
    p = pathlib.Path(arg)
    if not p.is_file():
        raise Failure("no such file: " + arg)
    return p.resolve().as_uri()


def run(opts, actions, report):
    b = Chromium(opts["chromium"], opts["width"], opts["height"],
                 time.monotonic() + opts["timeout"])
    try:
        page = None
        for act, vals in actions:
            if act == "--open":
                if page is not None:
                    page.settle(0.1)
                    b.send("Target.closeTarget", {"targetId": page.target})
                page = Page(b, page_url(vals[0]))
                report["pages"].append(page.report)
                page.navigate()
                continue
            if act == "--eval":
                res = page.evaluate(vals[0])
            elif act == "--wait":
                res = page.wait(vals[0])
            elif act == "--click":
                res = page.click(vals[0])
            elif act == "--type":
                res = page.type(vals[0], vals[1])
            elif act == "--select":
                res = page.choose(vals[0], vals[1])
            else:
                res = page.screenshot(vals[0], opts["full"])
            page.report["results"].append(res)
        # Late console messages, requests and violations are still counted.
        page.settle(0.2)
    finally:
        b.close()


def main(argv):
    try:
        opts, actions = parse(argv)
    except (Usage, ValueError) as e:
        print("browser.py: %s (see the top of %s)" % (e, __file__),
              file=sys.stderr)
        return 1
    if not opts["chromium"] or not os.access(opts["chromium"], os.X_OK):
        print("browser.py: chromium not found", file=sys.stderr)
        return 3
    # ctest's timeout sends SIGTERM: chromium is killed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report = {"pages": []}
    rc = 0
    try:
        run(opts, actions, report)
    except Failure as e:
        print("browser.py: %s" % e, file=sys.stderr)
        rc = 2
    for p in report["pages"]:
        p.pop("_doc", None)
    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
