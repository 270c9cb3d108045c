#!/usr/bin/env python3
"""mkbadprofiles.py — writes the hand-made broken and edge-case pprof files in
testdata/bad/ and testdata/edge/ that the loader must reject (or accept).
Each is a small valid-looking protobuf with exactly one defect, so the test
can check the loader names that defect. Run from the source tree's top."""
import gzip, os, random

def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def key(field, wt): return varint(field << 3 | wt)
def vint(field, n): return key(field, 0) + varint(n)
def ld(field, payload): return key(field, 2) + varint(len(payload)) + payload
def packed(field, nums): return ld(field, b"".join(varint(n) for n in nums))

def profile(samples, locs, funcs, strings, types=((1, 2),), extra=b""):
    out = b""
    for t, u in types:
        out += ld(1, vint(1, t) + vint(2, u))
    out += b"".join(ld(2, s) for s in samples)
    out += b"".join(ld(4, l) for l in locs)
    out += b"".join(ld(5, f) for f in funcs)
    out += b"".join(ld(6, s.encode()) for s in strings)
    return out + extra

STR = ["", "inuse_space", "bytes", "main.leak", "leak.c", "main.main"]
FUNCS = [vint(1, 1) + vint(2, 3) + vint(4, 4), vint(1, 2) + vint(2, 5) + vint(4, 4)]
LOCS = [vint(1, 1) + ld(4, vint(1, 1) + vint(2, 10)), vint(1, 2) + ld(4, vint(1, 2) + vint(2, 20))]

def write(path, data, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(data, mtime=0) if gz else data)

# --- edge cases that must load ---
# packed location ids and values
write("testdata/edge/packed.pb", profile([packed(1, [1, 2]) + packed(2, [100])], LOCS, FUNCS, STR))
# unpacked repeated fields (Go writes <=2 elements unpacked) + unknown fields
write("testdata/edge/unpacked_unknown.pb",
      profile([vint(1, 1) + vint(1, 2) + vint(2, 100) + vint(9, 7)], LOCS, FUNCS, STR,
              extra=vint(99, 5) + ld(100, b"future") + key(101, 1) + b"\0" * 8 + key(102, 5) + b"\0" * 4))

# --- bad input ---
write("testdata/bad/empty.pb.gz", b"")
good = open("testdata/go1.19/heap.4.pb.gz", "rb").read()
write("testdata/bad/truncated.pb.gz", good[: len(good) // 2])
rnd = random.Random(42)
write("testdata/bad/random.bin", bytes(rnd.randrange(256) for _ in range(4096)))
write("testdata/bad/gzip_garbage.pb.gz", bytes(rnd.randrange(256) for _ in range(4096)), gz=True)
write("testdata/bad/dangling_location.pb.gz",
      profile([packed(1, [1, 7]) + packed(2, [100])], LOCS, FUNCS, STR), gz=True)
write("testdata/bad/string_index.pb.gz",
      profile([packed(1, [1, 2]) + packed(2, [100])], LOCS,
              [vint(1, 1) + vint(2, 42) + vint(4, 4), FUNCS[1]], STR), gz=True)
write("testdata/bad/value_count.pb.gz",
      profile([packed(1, [1, 2]) + packed(2, [100, 5])], LOCS, FUNCS, STR), gz=True)
write("testdata/bad/dangling_function.pb.gz",
      profile([packed(1, [1, 2]) + packed(2, [100])],
              [LOCS[0], vint(1, 2) + ld(4, vint(1, 9) + vint(2, 20))], FUNCS, STR), gz=True)
