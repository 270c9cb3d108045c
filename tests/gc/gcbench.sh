#!/bin/sh
# The GCBench-style workload (tools/bench/gcbench.c) on libmsrt's collector,
# with freed memory poisoned and GOGC 25 for many cycles: the node-count
# checksum must be the one Boehm GC's build of the same source prints
# (1004848 at the classic sizes), and gctrace must have cycles.
set -u
bin=tools/bench/gcbench
[ -x "$bin" ] || bin=${builddir:-.}/tools/bench/gcbench
[ -x "$bin" ] || { echo "gcbench not built"; exit 99; }
trace=$(mktemp)
trap 'rm -f "$trace"' EXIT
out=$(MSRT_GOGC=25 MSRT_GC_POISON=1 MSRT_GCTRACE="$trace" "$bin" 0) || { echo "gcbench failed"; exit 1; }
[ "$out" = "checksum 1004848" ] || { echo "wrong checksum: $out"; exit 1; }
n=$(grep -c '^gc [0-9]* @' "$trace")
[ "$n" -ge 20 ] || { echo "only $n gc cycles"; exit 1; }
echo "ok - checksum 1004848, $n cycles"
