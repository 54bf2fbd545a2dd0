"""Writes a git pack and its version 2 index from entries given one by one,
for e2e tests that need packs git never writes: delta chains that loop, or
that build far more than they store. Entries left out of the index are
still in the pack (as no git writes one: nfguard finds a delta whose base
is such an entry corrupt)."""

import hashlib
import struct
import zlib

BLOB, TREE, OFS_DELTA, REF_DELTA = 3, 2, 6, 7


def delta_size(n):
    """A delta header's size: little-endian base-128."""
    out = bytearray()
    while n >= 0x80:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    out.append(n)
    return bytes(out)


def copies(base_len, n, size=0x10000):
    """A delta building n copies of the base's first size bytes (64 KiB:
    the copy opcode alone; 1 MiB: 0xc0 0x10)."""
    op = {0x10000: b"\x80", 1 << 20: b"\xc0\x10"}[size]
    return delta_size(base_len) + delta_size(n * size) + op * n


class Pack:
    def __init__(self):
        self.body = bytearray()
        self.index = []  # (id, offset, crc32) of the indexed entries

    def _entry(self, kind, size, extra, data, oid):
        off = 12 + len(self.body)
        head = bytearray([kind << 4 | (size & 15)])
        size >>= 4
        while size:
            head[-1] |= 0x80
            head.append(size & 0x7F)
            size >>= 7
        raw = bytes(head) + extra + zlib.compress(data, 9)
        self.body += raw
        if oid is not None:
            self.index.append((oid, off, zlib.crc32(raw)))
        return off

    def whole(self, kind, data, oid=b""):
        """An object stored whole; oid "" is its git id, None unindexed."""
        if oid == b"":
            head = b"%s %d\0" % ({BLOB: b"blob", TREE: b"tree"}[kind], len(data))
            oid = hashlib.sha1(head + data).digest()
        return self._entry(kind, len(data), b"", data, oid)

    def ofs_delta(self, base_off, delta, oid=None):
        off = 12 + len(self.body)
        dist = off - base_off
        enc = bytearray([dist & 0x7F])
        while dist >> 7:
            dist = (dist >> 7) - 1
            enc.insert(0, 0x80 | (dist & 0x7F))
        return self._entry(OFS_DELTA, len(delta), bytes(enc), delta, oid)

    def ref_delta(self, base_id, delta, oid):
        return self._entry(REF_DELTA, len(delta), base_id, delta, oid)

    def write(self, folder):
        """Writes pack-<sum>.pack and .idx into folder; returns <sum>."""
        pack = b"PACK" + struct.pack(">II", 2, len(self.index)) + self.body
        pack_sum = hashlib.sha1(pack).digest()
        pack += pack_sum
        ents = sorted(self.index)
        idx = bytearray(b"\377tOc" + struct.pack(">I", 2))
        for b in range(256):
            idx += struct.pack(">I", sum(1 for e in ents if e[0][0] <= b))
        for oid, _, _ in ents:
            idx += oid
        for _, _, crc in ents:
            idx += struct.pack(">I", crc)
        for _, off, _ in ents:
            idx += struct.pack(">I", off)
        idx += pack_sum
        idx += hashlib.sha1(idx).digest()
        name = "%s/pack-%s" % (folder, pack_sum.hex())
        with open(name + ".pack", "wb") as f:
            f.write(pack)
        with open(name + ".idx", "wb") as f:
            f.write(idx)
        return pack_sum.hex()
