#!/usr/bin/env python3
"""A stand-in for the Notiflows Management API, for nfguard's tests.

Listens on 127.0.0.1 only (port 0: the kernel picks), on four listeners:
  http    plain HTTP
  https   HTTPS with --cert/--key (a certificate for 127.0.0.1)
  wrong   HTTPS with --wrong-cert/--wrong-key (a certificate for another
          host), to test name mismatches
  target  plain HTTP: where REDIR tokens are redirected to; it records
          whether a request came with an Authorization header
and writes {"http": PORT, "https": PORT, "wrong": PORT, "target": PORT}
to --port-file once all of them listen.

GET /management/v1/whoami answers by the bearer token: the body of the
token (after nf_at_) starts with a marker that chooses the behaviour:
  LIVE   200 {"project": {...}} with an x-request-id header
  DEAD   401 unauthenticated (request_id only in the error body)
  HINT   429 with error.details.retry_after = 1 (no header), then as LIVE
  RATE   429 with Retry-After: 1, then as LIVE
  FLAKY  503 once, then as LIVE
  DOWN   500 forever
  SLOW   sleeps --slow-seconds, then as LIVE
  JUNK   200 with a body that is not JSON
  BIG    200 with a 100 KiB body
  TEAPOT 418
  REDIR  302 to the target listener
  ECHO   200 as LIVE, but the project's id, name and slug and the
         x-request-id header hold the token it was sent
anything else (or no token): 401. A token that was revoked answers 401.

DELETE /management/v1/account-tokens/current revokes the bearer token,
again by marker (whoami answers as LIVE until the token is revoked):
  LIVE, REVOK  204, then whoami answers 401
  NOREV   404 (the API has no such endpoint)
  NOMETH  405
  RLIMIT  429 with Retry-After: 1 once, then 204 (revoked)
  RFAIL   500 forever
  STICKY  204, but whoami still answers 200
  RSLOW   sleeps --slow-seconds, then 204 (revoked)
  RHANG   sleeps --hang-seconds (a request that never ends in a test)
  RECHO   500 forever, the token echoed in x-request-id and the error
any other token: 401.

GET /__stats returns counters as JSON: per token fingerprint
("sha256:" + hex of the whole token) the number of whoami requests (and
in "deletes" of revoke requests, counted when they arrive), per
listener the connections, requests, requests with an Authorization
header and TLS handshake failures, and the User-Agents seen. Tokens are
never written anywhere. The server exits by itself after --max-seconds.

GET /__peak returns per listener the most whoami requests being answered
at once since the last /__peak (or the start), and starts counting again
from those being answered now.
"""

import argparse
import hashlib
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import time

WHOAMI = "/management/v1/whoami"
REVOKE = "/management/v1/account-tokens/current"
MARKERS = ["LIVE", "DEAD", "HINT", "RATE", "FLAKY", "DOWN", "SLOW", "JUNK",
           "BIG", "TEAPOT", "REDIR", "ECHO"]
# Live on whoami until revoked; what DELETE does is by marker.
REVOKE_MARKERS = ["REVOK", "NOREV", "NOMETH", "RLIMIT", "RFAIL", "STICKY",
                  "RSLOW", "RHANG", "RECHO"]

lock = threading.Lock()
stats = {"tokens": {}, "deletes": {}, "listeners": {}, "user_agents": []}
seen = {}  # fingerprint -> requests so far (for "once, then" behaviours)
deleted = {}  # fingerprint -> revoke requests so far
revoked = set()  # fingerprints of revoked tokens
request_ids = [0]
in_flight = {}  # listener -> whoami requests being answered now
peaks = {}  # listener -> most in flight since the last GET /__peak


def bump_listener(name, key, n=1):
    with lock:
        lst = stats["listeners"].setdefault(
            name, {"connections": 0, "requests": 0, "with_auth": 0,
                   "tls_failures": 0})
        lst[key] += n


def whoami_enter(name, step):
    with lock:
        in_flight[name] = in_flight.get(name, 0) + step
        peaks[name] = max(peaks.get(name, 0), in_flight[name])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are separate writes: without this, Nagle's
    # algorithm and delayed ACKs add 40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server_version = "mockapi"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=None, content_type="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def next_request_id(self):
        with lock:
            request_ids[0] += 1
            return "req_%06d" % request_ids[0]

    def error(self, status, code, rid, details=None, headers=None):
        err = {"type": "api_error", "code": code,
               "message": "mock " + code, "status": status,
               "request_id": rid}
        if details is not None:
            err["details"] = details
        self.send(status, json.dumps({"error": err}), headers)

    def live(self, fp, rid):
        project = {"id": "prj_" + fp[7:15], "name": "Mock Project",
                   "slug": "mock-project"}
        self.send(200, json.dumps({"project": project}),
                  {"x-request-id": rid})

    def do_GET(self):
        name = self.server.name
        auth = self.headers.get("Authorization")
        if self.path == "/__stats":
            with lock:
                body = json.dumps(stats, sort_keys=True)
            self.send(200, body)
            return
        if self.path == "/__peak":
            with lock:
                body = json.dumps(peaks, sort_keys=True)
                peaks.clear()
                peaks.update(in_flight)
            self.send(200, body)
            return
        bump_listener(name, "requests")
        if auth is not None:
            bump_listener(name, "with_auth")
        ua = self.headers.get("User-Agent", "")
        with lock:
            if ua not in stats["user_agents"]:
                stats["user_agents"].append(ua)
        if self.command == "DELETE" and self.path == REVOKE and \
                name != "target":
            self.revoke(auth)
            return
        if name == "target" or self.path != WHOAMI:
            self.error(404, "not_found", self.next_request_id())
            return
        whoami_enter(name, 1)
        try:
            self.whoami(auth)
        finally:
            whoami_enter(name, -1)

    def whoami(self, auth):
        if self.server.latency:
            time.sleep(self.server.latency)
        token = ""
        if auth and auth.startswith("Bearer "):
            token = auth[len("Bearer "):]
        fp = "sha256:" + hashlib.sha256(token.encode()).hexdigest()
        with lock:
            stats["tokens"][fp] = stats["tokens"].get(fp, 0) + 1
            n = seen[fp] = seen.get(fp, 0) + 1
            is_revoked = fp in revoked
        body = token[len("nf_at_"):] if token.startswith("nf_at_") else ""
        marker = next((m for m in MARKERS if body.startswith(m)), None)
        if marker is None and \
                any(body.startswith(m) for m in REVOKE_MARKERS):
            marker = "LIVE"
        rid = self.next_request_id()
        if is_revoked:
            self.error(401, "unauthenticated", rid)
        elif marker == "LIVE":
            self.live(fp, rid)
        elif marker == "DEAD" or marker is None:
            self.error(401, "unauthenticated", rid)
        elif marker == "RATE":
            if n == 1:
                self.error(429, "rate_limited", rid, None,
                           {"Retry-After": "1", "x-request-id": rid})
            else:
                self.live(fp, rid)
        elif marker == "HINT":
            if n == 1:
                self.error(429, "rate_limited", rid, {"retry_after": 1})
            else:
                self.live(fp, rid)
        elif marker == "FLAKY":
            if n == 1:
                self.error(503, "unavailable", rid)
            else:
                self.live(fp, rid)
        elif marker == "DOWN":
            self.error(500, "internal", rid, None, {"x-request-id": rid})
        elif marker == "SLOW":
            time.sleep(self.server.slow)
            try:
                self.live(fp, rid)
            except OSError:
                pass
        elif marker == "JUNK":
            self.send(200, "<html>not json</html>", {"x-request-id": rid},
                      "text/html")
        elif marker == "BIG":
            self.send(200, b"{" + b" " * (100 * 1024) + b"}",
                      {"x-request-id": rid})
        elif marker == "TEAPOT":
            self.error(418, "teapot", rid)
        elif marker == "REDIR":
            loc = "http://127.0.0.1:%d%s" % (self.server.target_port, WHOAMI)
            self.send(302, "", {"Location": loc, "x-request-id": rid})
        elif marker == "ECHO":
            project = {"id": "prj_" + token, "name": "Project " + token,
                       "slug": token + "-slug"}
            self.send(200, json.dumps({"project": project}),
                      {"x-request-id": "rq-" + token})

    def revoke(self, auth):
        token = ""
        if auth and auth.startswith("Bearer "):
            token = auth[len("Bearer "):]
        fp = "sha256:" + hashlib.sha256(token.encode()).hexdigest()
        with lock:
            stats["deletes"][fp] = stats["deletes"].get(fp, 0) + 1
            n = deleted[fp] = deleted.get(fp, 0) + 1
            is_revoked = fp in revoked
        body = token[len("nf_at_"):] if token.startswith("nf_at_") else ""
        marker = next((m for m in ["LIVE"] + REVOKE_MARKERS
                       if body.startswith(m)), None)
        rid = self.next_request_id()

        def done():
            with lock:
                revoked.add(fp)
            self.send(204, "", {"x-request-id": rid})

        if marker is None or is_revoked:
            self.error(401, "unauthenticated", rid)
        elif marker in ("LIVE", "REVOK"):
            done()
        elif marker == "NOREV":
            self.error(404, "not_found", rid, None, {"x-request-id": rid})
        elif marker == "NOMETH":
            self.error(405, "method_not_allowed", rid, None,
                       {"x-request-id": rid})
        elif marker == "RLIMIT":
            if n == 1:
                self.error(429, "rate_limited", rid, None,
                           {"Retry-After": "1", "x-request-id": rid})
            else:
                done()
        elif marker == "RFAIL":
            self.error(500, "internal", rid, None, {"x-request-id": rid})
        elif marker == "RECHO":
            self.error(500, "internal " + token, "rq-" + token, None,
                       {"x-request-id": "rq-" + token})
        elif marker == "STICKY":
            self.send(204, "", {"x-request-id": rid})
        elif marker == "RSLOW":
            time.sleep(self.server.slow)
            try:
                done()
            except OSError:
                pass
        elif marker == "RHANG":
            time.sleep(self.server.hang)
            try:
                done()
            except OSError:
                pass

    do_DELETE = do_GET
    do_POST = do_GET
    do_HEAD = do_GET


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, name, ctx, opts):
        super().__init__(("127.0.0.1", 0), Handler)
        self.name = name
        self.ctx = ctx
        self.latency = opts.latency_ms / 1000.0
        self.slow = opts.slow_seconds
        self.hang = opts.hang_seconds
        self.target_port = 0
        bump_listener(name, "connections", 0)

    def get_request(self):
        sock, addr = self.socket.accept()
        bump_listener(self.name, "connections")
        return sock, addr

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, on the request's thread, so a
        # failing or slow client never blocks the accept loop.
        if self.ctx is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(10)
            tls = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            bump_listener(self.name, "tls_failures")
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass


def tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port-file", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--wrong-cert", required=True)
    p.add_argument("--wrong-key", required=True)
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--slow-seconds", type=float, default=5.0)
    p.add_argument("--hang-seconds", type=float, default=60.0)
    p.add_argument("--max-seconds", type=float, default=300.0)
    opts = p.parse_args()

    servers = {
        "http": Server("http", None, opts),
        "https": Server("https", tls_context(opts.cert, opts.key), opts),
        "wrong": Server("wrong", tls_context(opts.wrong_cert, opts.wrong_key),
                        opts),
        "target": Server("target", None, opts),
    }
    ports = {n: s.server_address[1] for n, s in servers.items()}
    for s in servers.values():
        s.target_port = ports["target"]
        threading.Thread(target=s.serve_forever, daemon=True).start()
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(ports, f)
    os.replace(tmp, opts.port_file)
    # Never outlive the test that started us.
    time.sleep(opts.max_seconds)
    sys.stderr.write("mockapi: --max-seconds reached, exiting\n")
    os._exit(0)


if __name__ == "__main__":
    socket.setdefaulttimeout(None)
    main()
