#!/usr/bin/env python3
"""A git smart-HTTP server for the tests: `git http-backend` run as CGI
behind TLS and HTTP basic authentication, on 127.0.0.1.

    git-https-server.py --root DIR --cert PEM --key PEM --user NAME
                        --password-file FILE --port-file FILE [--log FILE]

Serves every repository under DIR (GIT_HTTP_EXPORT_ALL). A request without
the right user name and password (read from FILE, never from argv) gets
401. Writes {"port": N} to --port-file once listening; one line per
request ("METHOD PATH STATUS") to --log. Python 3 standard library only.
"""
import argparse
import base64
import hmac
import json
import os
import ssl
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def read_body(handler):
    """The request body: Content-Length or chunked."""
    te = handler.headers.get("Transfer-Encoding", "")
    if te.lower() == "chunked":
        parts = []
        while True:
            line = handler.rfile.readline().strip()
            size = int(line.split(b";")[0], 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(handler.rfile.read(size))
            handler.rfile.readline()
    n = int(handler.headers.get("Content-Length", "0") or 0)
    return handler.rfile.read(n) if n else b""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        if self.server.log:
            with open(self.server.log, "a", encoding="utf-8") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

    def authorised(self):
        want = "%s:%s" % (self.server.user, self.server.password)
        got = self.headers.get("Authorization", "")
        if not got.startswith("Basic "):
            return False
        try:
            got = base64.b64decode(got[6:]).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(got.encode(), want.encode())

    def reply(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(status)

    def run_cgi(self):
        body = read_body(self)
        if not self.authorised():
            # libgit2 1.5 reads the next response where a refused one's
            # body was: the refusal closes the connection instead.
            self.close_connection = True
            self.reply(401, [("WWW-Authenticate", 'Basic realm="git"'),
                             ("Connection", "close")],
                       b"authentication required\n")
            return
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": self.server.user,
            "REMOTE_ADDR": self.client_address[0],
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        enc = self.headers.get("Content-Encoding")
        if enc:
            env["HTTP_CONTENT_ENCODING"] = enc
        out = subprocess.run(["git", "http-backend"], input=body, env=env,
                             stdout=subprocess.PIPE, check=False).stdout
        crlf, lf = out.find(b"\r\n\r\n"), out.find(b"\n\n")
        if crlf >= 0 and (lf < 0 or crlf < lf):
            head, payload = out[:crlf], out[crlf + 4:]
        else:
            head, payload = out[:max(lf, 0)], out[lf + 2:] if lf >= 0 else b""
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            k, _, v = line.partition(":")
            if k.lower() == "status":
                status = int(v.strip().split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.reply(status, headers, payload)

    do_GET = run_cgi
    do_POST = run_cgi


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.root = os.path.abspath(a.root)
    srv.user = a.user
    with open(a.password_file, encoding="utf-8") as f:
        srv.password = f.read().strip()
    srv.log = a.log
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"port": srv.server_address[1]}, f)
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
