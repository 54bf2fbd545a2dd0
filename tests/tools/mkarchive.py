#!/usr/bin/env python3
# Builds a compressed stream or an archive for the e2e tests, with
# Python's own compressors (no zip, bzip2 or xz command needed) and fixed
# dates, so the same inputs give the same bytes.
#   mkarchive.py gzip|zlib|bzip2|xz OUT FILE        one compressed stream
#   mkarchive.py zip|zip-stored|tar|tar.gz|tar.xz OUT NAME=FILE...
#   mkarchive.py xz-dict OUT MIB FILE  an xz stream whose header asks for
#       a MIB MiB dictionary (its data made with a small one)
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


def xz_dict(mib, path):
    data = bytearray(lzma.compress(read(path), preset=0))
    # the first block header, after the 12-byte stream header: its size,
    # flags, the sizes the flags announce, then filter id and properties
    at = 12
    size = (data[at] + 1) * 4
    flags, p = data[at + 1], at + 2
    for bit in (0x40, 0x80):
        if flags & bit:
            while data[p] & 0x80:
                p += 1
            p += 1
    if data[p] != 0x21 or data[p + 1] != 1:
        sys.exit("mkarchive.py: xz-dict: not one LZMA2 filter")
    # dictionary (2 | b & 1) << (b // 2 + 11): b = 2 log2(MiB) + 16
    data[p + 2] = 2 * (int(mib).bit_length() - 1) + 16
    crc = zlib.crc32(bytes(data[at:at + size - 4]))
    data[at + size - 4:at + size] = crc.to_bytes(4, "little")
    return bytes(data)


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
    elif kind == "xz-dict":
        data = xz_dict(specs[0], specs[1])
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
