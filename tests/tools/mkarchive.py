#!/usr/bin/env python3
# Builds a compressed stream or an archive for the e2e tests, with
# Python's own compressors (no zip, bzip2 or xz command needed) and fixed
# dates, so the same inputs give the same bytes.
#   mkarchive.py gzip|zlib|bzip2|xz OUT FILE        one compressed stream
#   mkarchive.py zip|zip-stored|tar|tar.gz|tar.xz OUT NAME=FILE...
#   mkarchive.py zip-gap OUT GAPFILE NAME=FILE...  a deflated zip with
#       GAPFILE's bytes between its first entry and the next local header
#       (the central directory's offsets are left as they were)
# NAME is the entry's name in the archive; NAME ending in '/' with no
# =FILE is a directory.
import bz2
import gzip
import io
import lzma
import sys
import tarfile
import zipfile
import zlib


def read(path):
    with open(path, "rb") as f:
        return f.read()


def entries(specs):
    for spec in specs:
        name, sep, path = spec.partition("=")
        yield name, read(path) if sep else None


def zip_of(specs, method):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries(specs):
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, data if data is not None else b"")
    return buf.getvalue()


def zip_gap(gap, specs):
    data = zip_of(specs, zipfile.ZIP_DEFLATED)
    # the first local header: 30 bytes, the name, the extra field, the data
    names, extra = int.from_bytes(data[26:28], "little"), int.from_bytes(
        data[28:30], "little")
    end = 30 + names + extra + int.from_bytes(data[18:22], "little")
    return data[:end] + read(gap) + data[end:]


def tar_of(specs):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in entries(specs):
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
    kind, out, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
    streams = {
        "gzip": lambda d: gzip.compress(d, mtime=0),
        "zlib": zlib.compress,
        "bzip2": bz2.compress,
        "xz": lzma.compress,
    }
    if kind in streams:
        data = streams[kind](read(specs[0]))
    elif kind in ("zip", "zip-stored"):
        data = zip_of(specs, zipfile.ZIP_DEFLATED if kind == "zip"
                      else zipfile.ZIP_STORED)
    elif kind == "zip-gap":
        data = zip_gap(specs[0], specs[1:])
    elif kind == "tar":
        data = tar_of(specs)
    elif kind == "tar.gz":
        data = gzip.compress(tar_of(specs), mtime=0)
    elif kind == "tar.xz":
        data = lzma.compress(tar_of(specs))
    else:
        sys.exit("mkarchive.py: unknown kind " + kind)
    with open(out, "wb") as f:
        f.write(data)


main()
