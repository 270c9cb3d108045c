#!/bin/sh
# setup.sh — set-up command 1: installs what is missing, builds memscope and
# runs the main jobs end to end on bundled real data: Go 1.19 heap, allocs
# and CPU profiles, a perf script capture and GC traces from testdata/.
# Outputs that are files (SVGs, folded stacks) go to build/demo/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/deps.sh
tools/build.sh build
ms=build/memscope
out=build/demo
mkdir -p "$out"
set -x
$ms info testdata/go1.19/heap.4.pb.gz
$ms top testdata/go1.19/heap.4.pb.gz
$ms top --granularity lines -n 5 testdata/go1.19/allocs.pb.gz
# pprof -list and -svg: annotated source (the demo program's, and Go's own) and the call graph
$ms list --source-path testdata/list --trim-path /tmp/research 'main\.main\.func2' testdata/gotrace/demo.go1.19.cpu.pb.gz
$ms graph --dot "$out/heap.dot" testdata/go1.19/heap.4.pb.gz
$ms graph --svg "$out/heap-graph.svg" testdata/go1.19/heap.4.pb.gz || echo "(graph --svg needs libgraphviz-dev)"
# pprof's other views: who calls main.newSession and whom it calls; the call tree with heap.2 subtracted; stacks
$ms peek 'main\.newSession' testdata/go1.19/heap.4.pb.gz
$ms tree -n 6 --base testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.4.pb.gz
$ms traces --focus newSession testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
# what grew between the first and last heap snapshot (gate trips: exit 1)
$ms diff --fail-on inuse_space:+5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz || test $? = 1
$ms leaks --gctrace testdata/go1.19/leaky.gctrace.log testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.1.pb.gz \
	testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.3.pb.gz testdata/go1.19/heap.4.pb.gz
$ms gctrace testdata/go1.19/mapmerge.gogc50.gctrace.log testdata/go1.19/mapmerge.gogc100.gctrace.log \
	testdata/go1.19/mapmerge.gogc200.gctrace.log
$ms gctrace --svg "$out/gctrace.svg" testdata/go1.19/leaky.gctrace.log >/dev/null
$ms flame testdata/perf/cpuwork.perf.txt.gz -o "$out/cpuwork.folded"
$ms flame --svg "$out/cpuwork.svg" testdata/perf/cpuwork.perf.txt.gz
$ms flame --svg "$out/heap.svg" testdata/go1.19/heap.4.pb.gz
$ms flame --diff testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz --svg "$out/heap-diff.svg"
# one self-contained HTML page (open it in a browser): diff with its gate, top table, flame graph, GC timeline
$ms report --html "$out/report.html" --fail-on inuse_space:+5% testdata/go1.19/heap.0.pb.gz \
	testdata/go1.19/heap.4.pb.gz testdata/go1.19/leaky.gctrace.log || test $? = 1
# pprof.Do labels: the tags report, and top of one worker's samples
$ms tags testdata/labels/cpu.pb.gz
$ms top -n 5 --tagfocus worker=hash testdata/labels/cpu.pb.gz
# why it is on the heap: the compiler's -m=2 decisions joined with an allocs profile, and the gate
# that trips on a line that turned from stack to heap between two builds
$ms escape -n 3 testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz
$ms escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 \
	testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap || test $? = 1
# a Go execution trace (Go 1.23): its off-CPU flame graph and go tool trace -pprof=sync's profile
$ms flame --svg "$out/gotrace-wait.svg" testdata/gotrace/demo.go1.23.trace
$ms top --trace-profile sync -n 5 testdata/gotrace/demo.go1.23.trace
$ms info testdata/gotrace/demo.go1.23.trace
# the GC seen from a Go 1.21 execution trace: cycles, pauses with reasons, MMU
$ms gctrace --mmu testdata/gotrace/waits.go1.21.trace
$ms frag testdata/frag/sparse.json || test $? = 1
# a Go heap dump (tests/heapdump/known.go): what keeps the heap alive, and its dominator tree as a flame graph
$ms heapdump --binary testdata/heapdump/known.go1.23.bin testdata/heapdump/known.go1.23.dump.gz
$ms flame --binary testdata/heapdump/known.go1.23.bin --svg "$out/retained.svg" testdata/heapdump/known.go1.23.dump.gz
# the bundled runtime profiling an ordinary C program (sort), then its top
rm -rf "$out/run" "$out/leakcheck.run" # run refuses a directory holding another run
printf '%s\n' 5 3 9 1 7 | $ms run -o "$out/run" -- sort -n
# the leak check on a C program with known leaks (tests/rt/leakcheck.c; exits 7)
cc -g -O1 -fno-omit-frame-pointer -pthread tests/rt/leakcheck.c -o "$out/leakcheck"
$ms run -o "$out/leakcheck.run" --leak-check -- "$out/leakcheck" || test $? = 7
$ms leaks --fail-on-leak "$out"/leakcheck.run/leaks.*.pb.gz >/dev/null || test $? = 1
# the collector: GCBench-style work on libmsrt's GC, its gctrace read back
cc -O2 -DUSE_MSRT -Isrc/rt tools/bench/gcbench.c -Lbuild/.libs -lmsrt -Wl,-rpath,"$top/build/.libs" -o "$out/gcbench"
MSRT_GCTRACE="$out/gcbench.gctrace.log" "$out/gcbench" 0 >/dev/null
$ms gctrace "$out/gcbench.gctrace.log"
# a live Go server (tools/pprofserve, when Go is installed): a URL as a
# profile, then `watch` flags the leak it has on purpose (exit 1)
go=/usr/lib/go-1.19/bin/go
[ -x "$go" ] || go=$(command -v go || true)
if [ -n "$go" ]; then
	(cd tools/pprofserve && GOCACHE="$top/$out/gocache" GO111MODULE=off GOFLAGS= "$go" build -o "$top/$out/pprofserve" main.go)
	"$out/pprofserve" -mode leak >"$out/pprofserve.port" &
	srv=$!
	trap 'kill $srv 2>/dev/null || true' EXIT
	i=0
	while ! grep -q '^port ' "$out/pprofserve.port"; do i=$((i + 1)); [ $i -lt 600 ]; sleep 0.1; done
	url=http://127.0.0.1:$(awk '{ print $2 }' "$out/pprofserve.port")/debug/pprof/heap
	$ms top -n 5 --save "$out/fetched" "$url"
	$ms watch "$url" --every 1s --count 6 -o "$out/watch" --fail-on-leak || test $? = 1
	kill $srv
fi
ls "$out"
