#!/bin/sh
# escape.sh — reading the Go compiler's -m=2 output (`memscope escape`)
# beside grep on the same bytes, and what the join costs `memscope top`.
#
# The log: `go build -a -gcflags=all=-m=2 -o /dev/null net/http` with the
# newest installed Go (its stderr, ~21 MB with Go 1.23: every package
# net/http needs; -a because a cached build prints nothing new), made once
# into the bench cache (build/bench/), repeated to SIZE_MB (default 200) so
# the 10 ms resolution of /usr/bin/time does not matter.
# 1. read speed: `memscope escape BIG.m2 PROFILE -n 1` (read, sort, join
#    with a small profile) against `grep -c -E 'moved to heap|escapes to
#    heap'` (what one does by hand) and `wc -l` (the floor).
# 2. join cost: `memscope top --granularity lines` on the allocs profile of
#    tools/bench/escapehttp (net/http client and server, MemProfileRate 1)
#    with and without `--escapes` of the one net/http log (21 MB), and with
#    the log of the program's own package only (what `go build
#    -gcflags=-m=2 .` prints). top on that profile takes milliseconds: each
#    timed run is 20 runs in a row.
# Medians of RUNS (default 5) runs: wall and cpu (user + sys) seconds, MB/s,
# ratios, peak RSS; the load average before and after.
#
# usage: tools/bench/escape.sh [SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
size_mb=${1:-200}
runs=${2:-5}
go=
for v in 19 21 22 23; do [ -x /usr/lib/go-1.$v/bin/go ] && go=/usr/lib/go-1.$v/bin/go; done
[ -n "$go" ] || go=$(command -v go) || { echo "escape.sh: no Go toolchain" >&2; exit 2; }
export GOTOOLCHAIN=local GOFLAGS= GOPROXY=off GOWORK=off
gv=$("$go" env GOVERSION)
log=$CACHE/nethttp.$gv.m2
if [ ! -s "$log" ]; then
	echo "building net/http with -a -gcflags=all=-m=2 ($gv; a few minutes) ..." >&2
	(cd "$BENCH_TMP" && "$go" build -a -gcflags=all=-m=2 -o /dev/null net/http) 2>"$log.tmp" && mv "$log.tmp" "$log"
fi
prog=$CACHE/escapehttp.$gv
if [ ! -s "$prog.pb.gz" ]; then
	(cd "$top/tools/bench/escapehttp" && "$go" build -gcflags=-m=2 -o "$prog" .) 2>"$prog.m2"
	"$prog" 3000 "$prog.pb.gz" 2>/dev/null
fi
big=$BENCH_TMP/big.m2
logb=$(wc -c <"$log")
k=$(((size_mb * 1048576 + logb - 1) / logb))
i=0
while [ $i -lt $k ]; do cat "$log"; i=$((i + 1)); done >"$big"
mb=$(awk -v b="$(wc -c <"$big")" 'BEGIN { printf "%.1f", b / 1048576 }')
logmb=$(awk -v b="$logb" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$big" >/dev/null
small=$top/testdata/escape/patterns.go1.23.pb.gz

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
load0=$(load)
# (grep writes to a file: GNU grep stops at the first match when its output is /dev/null)
set -- $(median_cpu "$runs" wc -l "$big") \
	$(median_cpu "$runs" sh -c "grep -c -E 'moved to heap|escapes to heap' '$big' >'$BENCH_TMP/grep.out'") \
	$(median_cpu "$runs" "$MS" escape -n 1 "$big" "$small")
r1="$*"
# top on this profile takes milliseconds: each timed run is 20 runs in a row
loop20() { echo "i=0; while [ \$i -lt 20 ]; do $* >/dev/null || exit 1; i=\$((i + 1)); done"; }
set -- $(median_cpu "$runs" sh -c "$(loop20 "'$MS' top --granularity lines '$prog.pb.gz'")") \
	$(median_cpu "$runs" sh -c "$(loop20 "'$MS' top --granularity lines --escapes '$log' '$prog.pb.gz'")") \
	$(median_cpu "$runs" sh -c "$(loop20 "'$MS' top --granularity lines --escapes '$prog.m2' '$prog.pb.gz'")")
r2="$*"
load1=$(load)
echo "Go: $gv; log: $log ($logmb MB) repeated to $mb MB; medians of $runs runs"
echo "load average (1 min): $load0 before, $load1 after, on $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs"
set -- $r1
awk -v mb="$mb" -v w1="$1" -v c1="$2" -v m1="$3" -v w2="$4" -v c2="$5" -v m2="$6" -v w3="$7" -v c3="$8" -v m3="$9" 'BEGIN {
	f = "%-30s %8s %9s %8s %9s %12s\n"
	printf f, "read " mb " MB", "wall s", "MB/s", "cpu s", "MB/cpu-s", "peak RSS KB"
	g = "%-30s %8.2f %9.0f %8.2f %9.0f %12d\n"
	printf g, "wc -l", w1, mb / (w1 > 0 ? w1 : 0.01), c1, mb / (c1 > 0 ? c1 : 0.01), m1
	printf g, "grep -c -E (heap lines)", w2, mb / (w2 > 0 ? w2 : 0.01), c2, mb / (c2 > 0 ? c2 : 0.01), m2
	printf g, "memscope escape", w3, mb / (w3 > 0 ? w3 : 0.01), c3, mb / (c3 > 0 ? c3 : 0.01), m3
	printf "ratio memscope escape / grep: %.2fx the wall time, %.2fx the cpu time\n", w3 / (w2 > 0 ? w2 : 0.01), c3 / (c2 > 0 ? c2 : 0.01)
}'
set -- $r2
awk -v lmb="$logmb" -v w1="$1" -v c1="$2" -v m1="$3" -v w2="$4" -v c2="$5" -v m2="$6" -v w3="$7" -v c3="$8" -v m3="$9" 'BEGIN {
	f = "%-40s %8s %8s %12s\n"
	printf f, "20 x top --granularity lines (escapehttp)", "wall s", "cpu s", "peak RSS KB"
	g = "%-40s %8.2f %8.2f %12d\n"
	printf g, "no --escapes", w1, c1, m1
	printf g, "--escapes net/http log (" lmb " MB)", w2, c2, m2
	printf g, "--escapes its own package log", w3, c3, m3
	printf "ratio with the net/http log: %.2fx the wall time, %.2fx the cpu time\n", w2 / (w1 > 0 ? w1 : 0.01), c2 / (c1 > 0 ? c1 : 0.01)
	printf "ratio with the package log:  %.2fx the wall time, %.2fx the cpu time\n", w3 / (w1 > 0 ? w1 : 0.01), c3 / (c1 > 0 ? c1 : 0.01)
}'
