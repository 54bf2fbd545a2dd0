#!/usr/bin/env python3
# Writes the seeds of the container target (corpus/container): each
# compressed stream and archive the walk reads, nested ones and an empty
# zip, built with Python's own gzip, zlib, bz2, lzma, zipfile and tarfile,
# with fixed dates so the bytes do not change. All are whole and within
# the default limits: the tree and its history are scanned with every
# decoder on, where a cut or damaged seed would be a problem (exit 2);
# the fuzzer makes those from these.
# Usage: container-seeds.py [CORPUS_DIR]   (default: corpus next to this)
import bz2
import gzip
import io
import lzma
import os
import sys
import tarfile
import zipfile
import zlib

here = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
out = os.path.join(corpus, "container")
TEXT = b"name = demo\nkey = not-a-token\n" * 4


def gz(data):
    return gzip.compress(data, mtime=0)


def zip_of(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data)
    return buf.getvalue()


def tar_of(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            if data is None:
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def main():
    os.makedirs(out, exist_ok=True)
    inner_zip = zip_of([("conf/app.env", TEXT, zipfile.ZIP_DEFLATED),
                        ("conf/app.env.gz", gz(TEXT), zipfile.ZIP_STORED)])
    tar = tar_of([("dir/", None), ("dir/a.txt", TEXT),
                  ("inner.zip", inner_zip)])
    seeds = {
        "gzip": gz(TEXT),
        "zlib": zlib.compress(TEXT),
        "bzip2": bz2.compress(TEXT),
        "xz": lzma.compress(TEXT),
        "zip": inner_zip,
        "zip-empty": zip_of([]),
        "tar": tar,
        "tar-gz": gz(tar),
        "tar-xz": lzma.compress(tar),
        "gzip-gzip": gz(gz(TEXT)),
        "tar-gz-in-zip": zip_of([("x.tgz", gz(tar_of([("a.txt", TEXT)])),
                                  zipfile.ZIP_DEFLATED)]),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


main()
