#!/usr/bin/env python3
# Filters a `git fast-export --no-data` stream (stdin to stdout), adding
# to COMMITS commits spread evenly over it a new file with two fresh
# tokens each (random bodies from SEED); every other such file is
# deleted again by the next chosen commit. Writes the planted places to
# PLANTED: path, line, mark of the adding commit, fingerprint (no token).
# With COMMITS 0 the stream passes unchanged: the baseline's rewrite.
import hashlib
import random
import sys

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: plant-history.py TOTAL COMMITS SEED PLANTED")
    total, commits, seed = (int(a) for a in sys.argv[1:4])
    rng = random.Random(seed)
    src, dst = sys.stdin.buffer, sys.stdout.buffer
    step = max(total // commits, 1) if commits else 0
    planted = []
    seen = added = 0
    pending = None  # a file to delete at the next chosen commit
    block = None  # the commit being copied, its lines

    def token():
        body = "".join(rng.choice(ALNUM) for _ in range(rng.randint(24, 64)))
        return "nf_" + "at_" + body

    def plant(lines):
        nonlocal added, pending
        mark = next(ln[5:].strip() for ln in lines if ln.startswith(b"mark "))
        folder = b""
        for ln in lines:
            if ln.startswith(b"M "):
                path = ln.rstrip(b"\n").split(b" ", 3)[3]
                if not path.startswith(b'"') and b"/" in path:
                    folder = path.rsplit(b"/", 1)[0] + b"/"
                break
        name = folder + b".env.leak%d" % added
        t1, t2 = token(), token()
        text = ("# deployment settings\nAPP_ENV=production\n"
                "NOTIFLOWS_TOKEN=%s\n"
                "# curl -H \"Authorization: Bearer %s\" https://api\n"
                % (t1, t2)).encode()
        out = []
        if pending is not None:
            out.append(b"D " + pending + b"\n")
            pending = None
        out.append(b"M 100644 inline " + name + b"\n")
        out.append(b"data %d\n" % len(text) + text + b"\n")
        for line, tok in ((3, t1), (4, t2)):
            planted.append("%s\t%d\t%s\tsha256:%s\n" % (
                name.decode("utf-8", "replace"), line, mark.decode(),
                hashlib.sha256(tok.encode()).hexdigest()))
        if added % 2 == 0:
            pending = name
        added += 1
        return out

    while True:
        line = src.readline()
        if not line:
            break
        if line.startswith(b"data "):
            n = int(line[5:])
            payload = src.read(n)
            if block is not None:
                block.append(line + payload)
            else:
                dst.write(line + payload)
            continue
        if line.startswith(b"commit "):
            block = [line]
            continue
        if block is not None:
            if line == b"\n":
                if step and seen % step == 0 and added < commits:
                    block.extend(plant(block))
                seen += 1
                block.append(line)
                dst.write(b"".join(block))
                block = None
            else:
                block.append(line)
            continue
        dst.write(line)
    if block is not None:
        dst.write(b"".join(block))
    with open(sys.argv[4], "w") as f:
        f.writelines(planted)


main()
