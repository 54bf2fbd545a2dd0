#!/usr/bin/env python3
"""Stand-ins for the GitHub and GitLab REST APIs' repository listings, for
nfguard's sweep tests.

Listens on 127.0.0.1 (port 0: the kernel picks) over plain HTTP and, with
--cert/--key, HTTPS, and writes {"http": PORT, "https": PORT} to
--port-file. --repos FILE is a JSON list of repositories
{"url": ..., "fork": bool, "archived": bool}, served --page-size a page
under any API prefix (e.g. /api/v3):
  GET PREFIX/orgs/NAME/repos, PREFIX/users/NAME/repos   GitHub: clone_url,
      fork, archived; Link rel="next"/"last"
  GET PREFIX/groups/NAME/projects                       GitLab:
      http_url_to_repo, archived, forked_from_project; X-Next-Page (and
      Link unless NAME starts with "nolink")
The NAME chooses a behaviour: "missing" 404; "broken" 500 forever on
page 2; "ratelimit" page 2 answers 403 (GitHub: x-ratelimit-remaining 0,
x-ratelimit-reset now + 1) or 429 (GitLab: RateLimit-Reset now + 1) once;
"longlimit" page 1 answers 403 with a reset in an hour (GitHub) or 429
with Retry-After: 3600 (GitLab); "evil" page 1's next link names
localhost instead of 127.0.0.1; "loop" page 2 links back to page 1;
"junk" a body that is not JSON; "empty" an empty list; anything else
lists the repositories.

GET /__stats: every request as {"path", "auth"}: auth is the sha256 hex
of the Authorization (GitHub) or PRIVATE-TOKEN (GitLab) header value, or
null. Exits by itself after --max-seconds.
"""

import argparse
import hashlib
import http.server
import json
import os
import ssl
import threading
import time
import urllib.parse

lock = threading.Lock()
requests = []
seen = {}


def once(key):
    with lock:
        seen[key] = seen.get(key, 0) + 1
        return seen[key] == 1


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/__stats":
            with lock:
                self.answer(200, {"requests": list(requests)})
            return
        gitlab = "/groups/" in u.path
        auth = self.headers.get("PRIVATE-TOKEN" if gitlab
                                else "Authorization")
        with lock:
            requests.append({
                "path": self.path,
                "auth": hashlib.sha256(auth.encode()).hexdigest()
                if auth is not None else None})
        parts = u.path.split("/")
        if gitlab:
            i = parts.index("groups")
        else:
            i = max(j for j, p in enumerate(parts) if p in ("orgs", "users"))
        name = urllib.parse.unquote(parts[i + 1])
        prefix = "/".join(parts[:i])
        query = urllib.parse.parse_qs(u.query)
        page = int(query.get("page", ["1"])[0])
        self.listing(gitlab, name, prefix, u, query, page)

    def listing(self, gitlab, name, prefix, u, query, page):
        repos = self.server.repos
        size = self.server.page_size
        last = max(1, (len(repos) + size - 1) // size)
        now = int(time.time())
        if name == "missing":
            return self.answer(404, {"message": "Not Found"})
        if name == "broken" and page == 2:
            return self.answer(500, {"message": "boom"})
        if name == "junk":
            return self.answer(200, b"<html>not json</html>")
        if name == "empty":
            return self.answer(200, [])
        if name == "ratelimit" and page == 2 and once((gitlab, name)):
            if gitlab:
                return self.answer(429, {"message": "slow down"},
                                   [("RateLimit-Remaining", "0"),
                                    ("RateLimit-Reset", str(now + 1))])
            return self.answer(403, {"message": "rate limit"},
                               [("x-ratelimit-remaining", "0"),
                                ("x-ratelimit-reset", str(now + 1))])
        if name == "longlimit":
            if gitlab:
                return self.answer(429, {"message": "slow down"},
                                   [("Retry-After", "3600")])
            return self.answer(403, {"message": "rate limit"},
                               [("x-ratelimit-remaining", "0"),
                                ("x-ratelimit-reset", str(now + 3600))])
        chunk = repos[(page - 1) * size:page * size]
        if gitlab:
            body = [{"http_url_to_repo": r["url"],
                     "archived": r.get("archived", False),
                     **({"forked_from_project": {"id": 1}}
                        if r.get("fork") else {})} for r in chunk]
        else:
            body = [{"clone_url": r["url"], "fork": r.get("fork", False),
                     "archived": r.get("archived", False),
                     "name": r["url"].rsplit("/", 1)[-1]} for r in chunk]
        host = self.headers.get("Host")
        scheme = "https" if self.server.tls else "http"

        def link(p):
            q = dict((k, v[0]) for k, v in query.items())
            q["page"] = str(p)
            h = host
            if name == "evil":
                h = "localhost:" + host.rsplit(":", 1)[1]
            return "%s://%s%s?%s" % (scheme, h, u.path,
                                     urllib.parse.urlencode(q))
        headers = []
        nxt = page + 1 if page < last else None
        if name == "loop" and page == 2:
            nxt = 1
        links = []
        if nxt:
            links.append('<%s>; rel="next"' % link(nxt))
        links.append('<%s>; rel="last"' % link(last))
        if not (gitlab and name.startswith("nolink")):
            headers.append(("Link", ", ".join(links)))
        if gitlab:
            headers.append(("X-Next-Page", str(nxt) if nxt else ""))
            headers.append(("X-Page", str(page)))
        self.answer(200, body, headers)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--repos", required=True)
    ap.add_argument("--page-size", type=int, default=3)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--max-seconds", type=int, default=900)
    a = ap.parse_args()
    with open(a.repos) as f:
        repos = json.load(f)
    ports = {}
    servers = [("http", None)]
    if a.cert:
        servers.append(("https", a.cert))
    for label, cert in servers:
        s = Server(("127.0.0.1", 0), Handler)
        s.repos = repos
        s.page_size = a.page_size
        s.tls = cert is not None
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, a.key)
            s.socket = ctx.wrap_socket(s.socket, server_side=True)
        ports[label] = s.server_address[1]
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(a.port_file + ".tmp", "w") as f:
        json.dump(ports, f)
    os.rename(a.port_file + ".tmp", a.port_file)
    time.sleep(a.max_seconds)


if __name__ == "__main__":
    main()
