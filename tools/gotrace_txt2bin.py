#!/usr/bin/env python3
"""gotrace_txt2bin.py — Go execution traces for memscope's tests.

  gotrace_txt2bin.py IN.test OUT.trace
      golang/go's text form of a trace (src/internal/trace/testdata/tests/
      *.test: an "-- expect --" section, then "-- trace --" with a "Trace
      Go1.N" line and one event a line, "Name arg=value ..."; stack frames on
      tab-indented lines, string data as a Go-quoted data="...") into the
      binary format runtime/trace writes. Event numbers and argument lists
      are tracev2/events.go's. Batch sizes are recomputed from the events
      (the text's size= must agree unless the test is about a bad size: then
      the text's value is kept, as Go's raw.TextReader does).
      The expectation (SUCCESS or FAILURE "...") is printed on stdout.

  gotrace_txt2bin.py --as 25|26 IN.trace OUT.trace
      rewrites a real go 1.23 binary trace into the 1.25 framing (each
      generation's Frequency batch becomes a Sync batch: Sync, Frequency,
      ClockSnapshot) or 1.26 (the same plus an EndOfGeneration byte after
      each generation). The events are untouched, so `go tool trace` of Go
      1.23 on IN is the reference for OUT.
"""
import re
import sys

EVENTS = [
    # (name, args after the type byte); None = structural, handled below
    ("None", []), ("EventBatch", ["gen", "m", "time", "size"]), ("Stacks", []),
    ("Stack", ["id", "nframes"]), ("Strings", []), ("String", ["id"]), ("CPUSamples", []),
    ("CPUSample", ["time", "m", "p", "g", "stack"]), ("Frequency", ["freq"]),
    ("ProcsChange", ["dt", "procs_value", "stack"]), ("ProcStart", ["dt", "p", "p_seq"]),
    ("ProcStop", ["dt"]), ("ProcSteal", ["dt", "p", "p_seq", "m"]), ("ProcStatus", ["dt", "p", "pstatus"]),
    ("GoCreate", ["dt", "new_g", "new_stack", "stack"]), ("GoCreateSyscall", ["dt", "new_g"]),
    ("GoStart", ["dt", "g", "g_seq"]), ("GoDestroy", ["dt"]), ("GoDestroySyscall", ["dt"]),
    ("GoStop", ["dt", "reason_string", "stack"]), ("GoBlock", ["dt", "reason_string", "stack"]),
    ("GoUnblock", ["dt", "g", "g_seq", "stack"]), ("GoSyscallBegin", ["dt", "p_seq", "stack"]),
    ("GoSyscallEnd", ["dt"]), ("GoSyscallEndBlocked", ["dt"]), ("GoStatus", ["dt", "g", "m", "gstatus"]),
    ("STWBegin", ["dt", "kind_string", "stack"]), ("STWEnd", ["dt"]), ("GCActive", ["dt", "gc_seq"]),
    ("GCBegin", ["dt", "gc_seq", "stack"]), ("GCEnd", ["dt", "gc_seq"]), ("GCSweepActive", ["dt", "p"]),
    ("GCSweepBegin", ["dt", "stack"]), ("GCSweepEnd", ["dt", "swept_value", "reclaimed_value"]),
    ("GCMarkAssistActive", ["dt", "g"]), ("GCMarkAssistBegin", ["dt", "stack"]), ("GCMarkAssistEnd", ["dt"]),
    ("HeapAlloc", ["dt", "heapalloc_value"]), ("HeapGoal", ["dt", "heapgoal_value"]),
    ("GoLabel", ["dt", "label_string"]),
    ("UserTaskBegin", ["dt", "task", "parent_task", "name_string", "stack"]),
    ("UserTaskEnd", ["dt", "task", "stack"]), ("UserRegionBegin", ["dt", "task", "name_string", "stack"]),
    ("UserRegionEnd", ["dt", "task", "name_string", "stack"]),
    ("UserLog", ["dt", "task", "key_string", "value_string", "stack"]),
    ("GoSwitch", ["dt", "g", "g_seq"]), ("GoSwitchDestroy", ["dt", "g", "g_seq"]),
    ("GoCreateBlocked", ["dt", "new_g", "new_stack", "stack"]),
    ("GoStatusStack", ["dt", "g", "m", "gstatus", "stack"]),
    ("ExperimentalBatch", ["exp", "gen", "m", "time"]), ("Sync", []),
    ("ClockSnapshot", ["dt", "mono", "sec", "nsec"]), ("EndOfGeneration", []),
]
NUM = {name: i for i, (name, _) in enumerate(EVENTS)}


def uvarint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def goquote(s):
    """Decodes a Go double-quoted string literal (the escapes strconv.Quote writes)."""
    assert s[0] == '"' and s[-1] == '"', s
    body, out, i = s[1:-1], bytearray(), 0
    simple = {"n": 10, "t": 9, "r": 13, "\\": 92, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11}
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
        elif body[i + 1] in simple:
            out.append(simple[body[i + 1]])
            i += 2
        elif body[i + 1] == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif body[i + 1] in "uU":
            n = 4 if body[i + 1] == "u" else 8
            out += chr(int(body[i + 2:i + 2 + n], 16)).encode()
            i += 2 + n
        else:
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
    return bytes(out)


def args(line):
    return dict((k, v) for k, v in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line))


def text2bin(text):
    expect = text.split("-- expect --\n", 1)[1].split("\n", 1)[0]
    lines = text.split("-- trace --\n", 1)[1].splitlines()
    m = re.match(r"Trace Go1\.(\d+)$", lines[0])
    out = bytearray(("go 1.%s trace" % m.group(1)).encode().ljust(16, b"\0"))
    batches = []  # [header fields, declared size, body]
    for line in lines[1:]:
        if not line.strip():
            continue
        if line.startswith("\t"):
            a = args(line)
            if "data" in a:
                d = goquote(a["data"])
                batches[-1][2] += uvarint(len(d)) + d
            else:
                for k in ("pc", "func", "file", "line"):
                    batches[-1][2] += uvarint(int(a[k]))
            continue
        name = line.split()[0]
        a = args(line)
        if name in ("EventBatch", "ExperimentalBatch"):
            batches.append([name, a, bytearray()])
            continue
        ev = bytearray([NUM[name]])
        for k in EVENTS[NUM[name]][1]:
            ev += uvarint(int(a[k]))
        batches[-1][2] += ev
    for name, a, body in batches:
        out.append(NUM[name])
        if name == "ExperimentalBatch":
            out.append(int(a["exp"]))
        size = len(body)
        if "size" in a and int(a["size"]) != size:
            size = int(a["size"])  # a test of a bad or cut-short batch
        for k in ("gen", "m", "time"):
            out += uvarint(int(a[k]))
        out += uvarint(size)
        out += body[:size]
    return expect, bytes(out)


def read_uvarint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def rewrite(data, minor):
    assert data[:16] == b"go 1.23 trace\0\0\0", "expects a go 1.23 trace"
    out = bytearray(("go 1.%d trace" % minor).encode().ljust(16, b"\0"))
    i, gen = 16, None
    while i < len(data):
        start = i
        exp = data[i] == NUM["ExperimentalBatch"]
        i += 2 if exp else 1
        g, i = read_uvarint(data, i)
        m, i = read_uvarint(data, i)
        t, i = read_uvarint(data, i)
        size, i = read_uvarint(data, i)
        body = data[i:i + size]
        i += size
        if minor >= 26 and gen is not None and g != gen:
            out.append(NUM["EndOfGeneration"])
        gen = g
        if not exp and body[:1] == bytes([NUM["Frequency"]]):
            freq, _ = read_uvarint(body, 1)
            body = (bytes([NUM["Sync"], NUM["Frequency"]]) + uvarint(freq) + bytes([NUM["ClockSnapshot"]]) +
                    uvarint(0) + uvarint(t) + uvarint(0) + uvarint(0))
            out += bytes([NUM["EventBatch"]]) + uvarint(g) + uvarint(m) + uvarint(t) + uvarint(len(body)) + body
        else:
            out += data[start:i]
    if minor >= 26 and gen is not None:
        out.append(NUM["EndOfGeneration"])
    return bytes(out)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--as":
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        with open(sys.argv[4], "wb") as f:
            f.write(rewrite(data, int(sys.argv[2])))
        return
    if len(sys.argv) != 3:
        sys.exit("usage: gotrace_txt2bin.py IN.test OUT.trace | --as 25|26 IN.trace OUT.trace")
    with open(sys.argv[1]) as f:
        expect, data = text2bin(f.read())
    with open(sys.argv[2], "wb") as f:
        f.write(data)
    print(expect)


if __name__ == "__main__":
    main()
