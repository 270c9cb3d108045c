#!/bin/sh
# gc.sh — libmsrt's collector against Boehm GC on a GCBench-style workload
# (tools/bench/gcbench.c, REFERENCE.md §10), in one run.
#
#   tools/bench/gc.sh [BUILD_DIR] [RUNS] [EXTRA_DEPTH]   (build, 5, 2)
#
# Prints, for RUNS interleaved runs of each: median wall time, median peak
# RSS (/usr/bin/time -f %M), the ratios msrt/Boehm (targets: ≤ 1.5), and
# stop-the-world pause percentiles over all runs — msrt's from its own
# gctrace (every STW 1 and STW 2 clock field), Boehm's from
# GC_set_on_collection_event (stop-world to start-world). Then the
# machine's bare signal round trip (tools/bench/sigping.c): on a shared,
# loaded machine the pause tail is mostly scheduling latency. NICE=-15
# (root only) runs both programs at a raised priority, to see the pauses
# without other jobs' time slices in them.
# Benchmarks are not tests: nothing here fails on a slow result.
set -u
build=${1:-build}
runs=${2:-5}
depth=${3:-2}
prio=""
[ -n "${NICE:-}" ] && prio="nice -n $NICE"
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -r "$build/.libs/libmsrt.so" ] || { echo "gc.sh: build libmsrt first"; exit 2; }
cc -O2 -DUSE_MSRT -I"$src/src/rt" "$src/tools/bench/gcbench.c" -o "$tmp/gcb_msrt" \
	-L"$build/.libs" -lmsrt -Wl,-rpath,"$build/.libs" || exit 2
cc -O2 -DUSE_BOEHM "$src/tools/bench/gcbench.c" -o "$tmp/gcb_boehm" -lgc || exit 2
cc -O2 -pthread "$src/tools/bench/sigping.c" -o "$tmp/sigping" || exit 2

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
pct() { # P: percentile of the numbers on stdin
	sort -g | awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; if (i > NR) i = NR; print a[i] }'
}

: >"$tmp/msrt.pauses"
: >"$tmp/boehm.pauses"
for i in $(seq "$runs"); do
	MSRT_GCTRACE="$tmp/trace.$i" /usr/bin/time -f "%e %M" -o "$tmp/t" $prio "$tmp/gcb_msrt" "$depth" >"$tmp/out.m" || exit 1
	cat "$tmp/t" >>"$tmp/msrt.time"
	# gc N @T P%: a+b+c ms clock — a and c are the two stops
	awk '$1 == "gc" { split($5, c, "+"); print c[1]; print c[3] }' "$tmp/trace.$i" >>"$tmp/msrt.pauses"
	grep -c '^gc ' "$tmp/trace.$i" >>"$tmp/msrt.cycles"
	/usr/bin/time -f "%e %M" -o "$tmp/t" $prio "$tmp/gcb_boehm" "$depth" >"$tmp/out.b" 2>"$tmp/err.b" || exit 1
	cat "$tmp/t" >>"$tmp/boehm.time"
	sed -n 's/^boehm pauses: n=\([0-9]*\).*/\1/p' "$tmp/err.b" >>"$tmp/boehm.cycles"
	cmp -s "$tmp/out.m" "$tmp/out.b" || { echo "gc.sh: checksums differ"; cat "$tmp/out.m" "$tmp/out.b"; exit 1; }
done
mt=$(cut -d' ' -f1 "$tmp/msrt.time" | median); mm=$(cut -d' ' -f2 "$tmp/msrt.time" | median)
bt=$(cut -d' ' -f1 "$tmp/boehm.time" | median); bm=$(cut -d' ' -f2 "$tmp/boehm.time" | median)
echo "GCBench-style workload, depth +$depth, $runs interleaved runs (medians)${prio:+, $prio}"
printf "  %-10s %7.2f s %9d KB   %s cycles/run\n" msrt "$mt" "$mm" "$(median <"$tmp/msrt.cycles")"
printf "  %-10s %7.2f s %9d KB   %s collections/run\n" boehm "$bt" "$bm" "$(median <"$tmp/boehm.cycles")"
awk -v a="$mt" -v b="$bt" -v c="$mm" -v d="$bm" 'BEGIN { printf "  msrt/boehm: time %.2fx, peak RSS %.2fx (targets <= 1.5x)\n", a / b, c / d }'
printf "  msrt pauses (ms, %d stops): p50 %s  p90 %s  p99 %s  max %s (target max <= 1 ms)\n" \
	"$(wc -l <"$tmp/msrt.pauses")" "$(pct 50 <"$tmp/msrt.pauses")" "$(pct 90 <"$tmp/msrt.pauses")" \
	"$(pct 99 <"$tmp/msrt.pauses")" "$(pct 100 <"$tmp/msrt.pauses")"
sed -n 's/^boehm pauses: /  boehm pauses (last run): /p' "$tmp/err.b"
echo "  machine: $($prio "$tmp/sigping"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
