#!/usr/bin/env python3
# Writes the seeds of the git object targets (corpus/pack_index,
# corpus/pack_entry, corpus/tree) from a small repository built with the
# git CLI: its packs and indexes (offset and reference deltas, 64-bit
# offsets), the deltas in them with their bases, and its trees.
# Usage: git-seeds.py [CORPUS_DIR]   (default: corpus next to this script)
import os
import struct
import subprocess
import sys
import tempfile
import zlib

here = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
env = dict(os.environ, GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@example.com",
           GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com",
           GIT_AUTHOR_DATE="1700000000 +0000",
           GIT_COMMITTER_DATE="1700000000 +0000",
           GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")


def git(repo, *args, data=None):
    return subprocess.run(["git", "-C", repo, *args], input=data, env=env,
                          check=True, capture_output=True).stdout


written = set()


def seed(name, file, data):
    """Writes corpus/name/file, unless the target has these bytes."""
    if (name, data) in written:
        return
    written.add((name, data))
    os.makedirs(os.path.join(corpus, name), exist_ok=True)
    with open(os.path.join(corpus, name, file), "wb") as f:
        f.write(data)


def delta_seed(base, delta):
    """A delta input: base length (3 bytes), bytes given (2), both."""
    n = len(base)
    return (b"\1" + struct.pack("<I", n)[:3] + struct.pack("<H", n)
            + base + delta)


def build(repo):
    git(repo, "init", "-q", "-b", "main")
    lines = ["line %d of a file that changes a little\n" % i
             for i in range(40)]
    os.makedirs(os.path.join(repo, "src", "deep"))
    for step in range(3):
        lines[step * 7] = "changed in step %d\n" % step
        with open(os.path.join(repo, "src", "notes.txt"), "w") as f:
            f.writelines(lines)
        with open(os.path.join(repo, "src", "deep", "run.sh"), "w") as f:
            f.write("#!/bin/sh\necho step %d\n" % step)
        os.chmod(os.path.join(repo, "src", "deep", "run.sh"), 0o755)
        if step == 0:
            os.symlink("src/notes.txt", os.path.join(repo, "link"))
        git(repo, "add", "-A")
        if step == 1:  # a submodule entry: mode 160000
            git(repo, "update-index", "--add", "--cacheinfo",
                "160000,%s,sub" % ("ab" * 20))
        git(repo, "commit", "-q", "-m", "step %d" % step)


def pack(repo, tag, ofs, idx_args):
    """A pack of every object: (pack bytes, idx bytes)."""
    objs = git(repo, "rev-list", "--objects", "--all")
    ids = b"\n".join(l.split(b" ")[0] for l in objs.splitlines()) + b"\n"
    flags = ["--delta-base-offset"] if ofs else []
    base = os.path.join(repo, "seed-" + tag)
    name = git(repo, "pack-objects", "-q", "--window=10", *flags, base,
               data=ids).strip().decode()
    path = "%s-%s" % (base, name)
    if idx_args:
        git(repo, "index-pack", *idx_args, "-o", path + ".idx2",
            path + ".pack")
        path_idx = path + ".idx2"
    else:
        path_idx = path + ".idx"
    with open(path + ".pack", "rb") as p, open(path_idx, "rb") as x:
        return p.read(), x.read()


def entries(pk, idx):
    """(offset, type, size, base offset or base id, data start) of each."""
    n = struct.unpack(">I", idx[8 + 255 * 4:8 + 256 * 4])[0]
    small = 8 + 1024 + n * 24
    big = small + n * 4
    out = []
    for i in range(n):
        off = struct.unpack(">I", idx[small + 4 * i:small + 4 * i + 4])[0]
        if off & 0x80000000:
            j = big + 8 * (off & 0x7fffffff)
            off = struct.unpack(">Q", idx[j:j + 8])[0]
        c = pk[off]
        typ, size, shift, at = c >> 4 & 7, c & 15, 4, off + 1
        while c & 0x80:
            c = pk[at]
            at += 1
            size |= (c & 0x7f) << shift
            shift += 7
        base = None
        if typ == 6:
            c = pk[at]
            at += 1
            dist = c & 0x7f
            while c & 0x80:
                c = pk[at]
                at += 1
                dist = (dist + 1) << 7 | (c & 0x7f)
            base = off - dist
        elif typ == 7:
            base = pk[at:at + 20]
            at += 20
        out.append((off, typ, size, base, at))
    return out


def main():
    with tempfile.TemporaryDirectory() as repo:
        build(repo)
        ofs = pack(repo, "ofs", True, None)
        ref = pack(repo, "ref", False, None)
        big = pack(repo, "big", True, ["--index-version=2,0x40"])
        for tag, (pk, idx) in (("ofs", ofs), ("ref", ref), ("big", big)):
            seed("pack_index", tag, struct.pack(">Q", len(pk)) + idx)
        seed("pack_entry", "pack-ofs", b"\0" + ofs[0])
        seed("pack_entry", "pack-ref", b"\0" + ref[0])
        for tag, (pk, idx) in (("ofs", ofs), ("ref", ref)):
            es = entries(pk, idx)
            id_at = {e[0]: idx[8 + 1024 + 20 * i:8 + 1044 + 20 * i].hex()
                     for i, e in enumerate(es)}
            n = 0
            for off, typ, size, base, at in sorted(es):
                if typ < 6:
                    continue
                bid = base.hex() if typ == 7 else id_at[base]
                btype = git(repo, "cat-file", "-t", bid).strip().decode()
                whole = git(repo, "cat-file", btype, bid)
                delta = zlib.decompressobj().decompress(pk[at:])[:size]
                seed("pack_entry", "delta-%s-%d" % (tag, n),
                     delta_seed(whole, delta))
                n += 1
        # A 64 KiB copy (size bits 0) from a base given as 2 bytes, then an
        # insert: copy 0x10000 bytes from 0x10, insert "ok".
        seed("pack_entry", "delta-copy64k",
             b"\1" + struct.pack("<I", 0x10010)[:3] + struct.pack("<H", 2)
             + b"ab" + b"\x90\x80\x04\x82\x80\x04\x81\x10\x02ok")
        trees = git(repo, "rev-list", "--objects", "--all",
                    "--filter=object:type=tree").splitlines()
        seen = set()
        for line in trees:
            tid = line.split(b" ")[0].decode()
            raw = git(repo, "cat-file", "tree", tid)
            if raw not in seen:
                seen.add(raw)
                path = line.split(b" ", 1)[1].decode() if b" " in line else ""
                seed("tree", "tree-%d-%s" % (len(seen),
                                             path.replace("/", "-") or "root"),
                     raw)


main()
