#!/usr/bin/env python3
# godump_seeds.py — writes small Go heap dumps (every record type, a few
# objects) into testdata/heapdump/fuzz/ as seeds for tools/fuzz/fuzz_godump.c;
# the real dumps are megabytes, too big for fast fuzzing.
import os
import struct
import sys

def uv(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)

def s(x):
    x = x.encode()
    return uv(len(x)) + x

def fields(offs):
    return b"".join(uv(1) + uv(o) for o in offs) + uv(0)

BASE = 0xc000000000

def obj(addr, size, ptrs):
    mem = bytearray(size)
    for off, val in ptrs:
        mem[off:off + 8] = struct.pack("<Q", val)
    return uv(1) + uv(addr) + uv(size) + bytes(mem) + fields([o for o, _ in ptrs])

def dump(large=False, gc_garbage=True):
    b = bytearray(b"go1.7 heap dump\n")
    b += uv(6) + uv(0) + uv(8) + uv(BASE) + uv(BASE + 0x400000) + s("amd64") + s("go1.23.5") + uv(2)
    b += uv(3) + uv(0x4a0000) + uv(16) + s("main.res") + uv(1)          # type
    b += uv(8) + uv(0x4b0000) + uv(0x4a0000)                              # itab
    a = [BASE + 0x20 * i for i in range(8)]
    b += obj(a[0], 32, [(0, a[1] + 8), (8, a[2])])
    b += obj(a[1], 32, [(0, a[2] + 31)])
    b += obj(a[2], 32, [])
    b += obj(a[3], 32, [(16, a[4])])
    b += obj(a[4], 32, [(0, a[0])])
    if gc_garbage:
        b += obj(a[5], 32, [(0, a[0]), (8, 0x1234)])
    if large:
        b += obj(BASE + 0x4000, 0x6000, [(0x10, a[2]), (0x2ff8, BASE + 0x5000)])
    b += obj(BASE + 0x2000, 48, [(0, BASE + 0x4000 + 0x3000 if large else a[3])])
    # goroutine: g, sp, goid, gopc, status, system, background, waitsince, waitreason, ctxt, m, defer, panic
    b += uv(4) + uv(0xc000001000) + uv(0xc000100000) + uv(18) + uv(0x401000) + uv(4) + uv(0) + uv(0) + uv(0)
    b += s("chan receive") + uv(a[3]) + uv(0) + uv(0) + uv(0)
    frame = bytearray(32)
    frame[8:16] = struct.pack("<Q", BASE + 0x2000)
    b += uv(5) + uv(0xc000100000) + uv(0) + uv(0) + uv(len(frame)) + bytes(frame) + uv(0x401000) + uv(0x401010)
    b += uv(0x401010) + s("main.holder") + fields([8, 16])
    b += uv(14) + uv(a[6]) + uv(0xc000001000) + uv(0) + uv(0) + uv(a[7]) + uv(0x401200) + uv(0)   # defer
    b += uv(15) + uv(0xc000102000) + uv(0xc000001000) + uv(0x4a0000) + uv(a[2]) + uv(0) + uv(0)   # panic
    b += uv(9) + uv(0xc000002000) + uv(0) + uv(1234)                                             # OS thread
    data = bytearray(24)
    data[0:8] = struct.pack("<Q", a[0])
    b += uv(12) + uv(0x500000) + uv(len(data)) + bytes(data) + fields([0, 8])
    bss = bytearray(16)
    bss[8:16] = struct.pack("<Q", a[3] + 4)
    b += uv(13) + uv(0x510000) + uv(len(bss)) + bytes(bss) + fields([8])
    b += uv(7) + uv(a[4]) + uv(0x4c0000) + uv(0x401300) + uv(0) + uv(0)                          # finalizer
    b += uv(11) + uv(a[2]) + uv(0x4c0000) + uv(0x401300) + uv(0) + uv(0)                         # queued
    b += uv(2) + s("runtime.specials") + uv(a[1])                                                # other root
    b += uv(10) + b"".join(uv(1000 + i) for i in range(24)) + b"".join(uv(i) for i in range(256)) + uv(3)
    b += uv(16) + uv(0x600000) + uv(32) + uv(2) + s("runtime.mallocgc") + s("malloc.go") + uv(900)
    b += s("main.build") + s("main.go") + uv(12) + uv(5) + uv(1)
    b += uv(17) + uv(a[0]) + uv(0x600000)
    b += uv(0)
    return bytes(b)

out = sys.argv[1] if len(sys.argv) > 1 else "testdata/heapdump/fuzz"
os.makedirs(out, exist_ok=True)
for name, d in (("small.dump", dump()), ("large.dump", dump(large=True)), ("nogarbage.dump", dump(gc_garbage=False))):
    with open(os.path.join(out, name), "wb") as f:
        f.write(d)
