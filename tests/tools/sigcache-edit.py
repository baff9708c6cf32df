#!/usr/bin/env python3
"""Edit a ztk signature cache (OUT.ztkcache) the way no damage would: the
bytes changed and every checksum made to match again, so that only the
signer's own checks of the content can catch it.  For tests of those checks.

usage: sigcache-edit.py CACHE check     exit 1 unless every checksum holds
       sigcache-edit.py CACHE reseal
       sigcache-edit.py CACHE next-hash N    NSEC3 node N's next hash, last
                                             octet changed by one
       sigcache-edit.py CACHE owner N        NSEC3 node N's owner, last
                                             character one step on, and the
                                             node before it (its next hash)
                                             changed to match

N counts the NSEC3 nodes from 0.  The layout and the checksums are those
lib/sigcache.c writes (format version 5): "reseal" alone leaves a cache
ztk-sign wrote unchanged, which is how a test knows this script still
agrees with the library.
"""
import struct
import sys

M = (1 << 64) - 1
HEADER_LEN, SUM_AT, ENTRY, BATCH = 160, 128, 32, 8192
NODE_HEAD, RR_HEAD, TYPE_NSEC3 = 5, 8, 50
B32HEX = "0123456789abcdefghijklmnopqrstuv"


def mix(h, w):
    h = ((h ^ w) * 0xFF51AFD7ED558CCD) & M
    return h ^ (h >> 32)


def le64(p, i):
    return int.from_bytes(p[i:i + 8], "little")


def sc_sum(p):
    """lib/sigcache.c sc_sum: four lanes of 8 octets, then the rest."""
    n = len(p)
    h = 0x6A09E667F3BCC908 ^ ((n * 0x9E3779B97F4A7C15) & M)
    a, b, c = h ^ 1, h ^ 2, h ^ 3
    i = 0
    while n - i >= 32:
        h, a = mix(h, le64(p, i)), mix(a, le64(p, i + 8))
        b, c = mix(b, le64(p, i + 16)), mix(c, le64(p, i + 24))
        i += 32
    h ^= ((a * 0x9E3779B97F4A7C15) & M) ^ ((b * 0xC2B2AE3D27D4EB4F) & M) ^ \
        ((c * 0x165667B19E3779F9) & M)
    while n - i >= 8:
        h = mix(h, le64(p, i))
        i += 8
    t = int.from_bytes(p[i:], "little")
    h = ((h ^ t) * 0xC4CEB9FE1A85EC53) & M
    h ^= h >> 29
    h = (h * 0xFF51AFD7ED558CCD) & M
    return h ^ (h >> 32)


def fold(h, part):
    h = ((h ^ part) * 0x9E3779B97F4A7C15) & M
    return h ^ (h >> 29)


class Cache:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.b = bytearray(f.read())
        if self.b[:8] != b"ZTKSIGC\n" or \
                struct.unpack(">I", self.b[8:12])[0] != 5:
            sys.exit("%s: not a version 5 ztk signature cache" % path)
        self.nn, self.n3, self.dlen, self.slots = \
            struct.unpack(">QQQQ", self.b[64:96])
        self.data = HEADER_LEN + self.slots * ENTRY

    def entry(self, i):
        return HEADER_LEN + i * ENTRY

    def node(self, i):
        """(offset, length) of node i's record in the file."""
        off, ln = struct.unpack(">QI", self.b[self.entry(i):self.entry(i) + 12])
        return self.data + off, ln

    def nsec3_node(self, n):
        if not 0 <= n < self.n3:
            sys.exit("no NSEC3 node %d (there are %d)" % (n, self.n3))
        return self.nn + n

    def next_hash_at(self, i):
        """Offset of the 20-octet next hash of node i's NSEC3 record."""
        p, _ = self.node(i)
        q = p + NODE_HEAD
        while self.b[q]:
            q += 1 + self.b[q]
        q += 1
        count = struct.unpack(">H", self.b[q:q + 2])[0]
        q += 2
        for _ in range(count):
            rtype, _ttl, rdlen = struct.unpack(">HIH", self.b[q:q + RR_HEAD])
            rd = q + RR_HEAD
            if rtype == TYPE_NSEC3:
                salt = self.b[rd + 4]
                if self.b[rd + 5 + salt] != 20:
                    sys.exit("node %d: not a SHA-1 NSEC3 record" % i)
                return rd + 6 + salt
            q = rd + rdlen
        sys.exit("node %d has no NSEC3 record" % i)

    def seal(self, i):
        p, ln = self.node(i)
        e = self.entry(i)
        self.b[e + 24:e + 32] = struct.pack(">Q", sc_sum(self.b[p:p + ln]))

    def seal_all(self):
        for i in range(self.nn + self.n3):
            self.seal(i)
        self.seal_index()

    def seal_index(self):
        s = 0x5A544B5349474331      # "ZTKSIGC1"
        n = self.nn + self.n3
        for i in range(0, n, BATCH):
            k = min(BATCH, n - i)
            s = fold(s, sc_sum(self.b[self.entry(i):self.entry(i + k)]))
        s = fold(s, sc_sum(self.b[:SUM_AT]))
        self.b[SUM_AT:SUM_AT + 8] = struct.pack(">Q", s)

    def save(self):
        with open(self.path, "r+b") as f:
            f.write(self.b)


def step_last5(v):
    """The low five bits one step on, staying within them."""
    return v + 1 if v & 31 != 31 else v - 1


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    c, what = Cache(sys.argv[1]), sys.argv[2]
    if what == "check":
        before = bytes(c.b)
        c.seal_all()
        sys.exit(0 if bytes(c.b) == before else 1)
    if what == "reseal":
        c.seal_all()
        c.save()
        return
    if what not in ("next-hash", "owner") or len(sys.argv) != 4:
        sys.exit(__doc__)
    i = c.nsec3_node(int(sys.argv[3]))
    if what == "next-hash":
        at = c.next_hash_at(i) + 19
        c.b[at] = step_last5(c.b[at])
    else:
        # the owner's first label is 32 base32hex characters: the last one
        # is the low five bits of the hash's last octet, which the node
        # before it gives as its next hash
        prev = c.nn + (i - c.nn - 1) % c.n3
        p, _ = c.node(i)
        at = p + NODE_HEAD + 32
        v = step_last5(B32HEX.index(chr(c.b[at])))
        c.b[at] = ord(B32HEX[v])
        nh = c.next_hash_at(prev) + 19
        c.b[nh] = (c.b[nh] & ~31) | v
        c.seal(prev)
    c.seal(i)
    c.seal_index()
    c.save()

if __name__ == "__main__":
    main()
