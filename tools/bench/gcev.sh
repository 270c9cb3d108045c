#!/bin/sh
# gcev.sh — what the event trace costs a collected program, and what
# reading it back costs memscope: the GCBench-style workload
# (tools/bench/gcbench.c) run interleaved without a trace, with MSRT_TRACE
# (sampled allocations at the default 512 KiB plus the collector's
# records), and with MSRT_TRACE and sampling off (MSRT_PROFILE_RATE=0: the
# collector's records alone); then `memscope gctrace` on the trace against
# the gctrace text log of the same run.
#
#   tools/bench/gcev.sh [BUILD_DIR] [RUNS] [EXTRA_DEPTH]   (build, 5, 0)
#
# Prints median wall time, CPU time (user + sys) and peak RSS
# (/usr/bin/time -f %M) of each
# variant with its ratio to the run without a trace, the trace's size and
# its share of collector records, and the median time to read the trace and
# the text log. Benchmarks are not tests: nothing here fails on a slow result.
set -u
build=${1:-build}
runs=${2:-5}
depth=${3:-0}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -r "$build/.libs/libmsrt.so" ] || { echo "gcev.sh: build libmsrt first"; exit 2; }
cc -O2 -DUSE_MSRT -I"$src/src/rt" "$src/tools/bench/gcbench.c" -o "$tmp/gcb" \
	-L"$build/.libs" -lmsrt -Wl,-rpath,"$build/.libs" || exit 2

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run NAME ENV...: one timed run of the workload, appends "secs rss_kib"
run() {
	name=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$tmp/t" env "$@" "$tmp/gcb" "$depth" >/dev/null || exit 2
	cat "$tmp/t" >>"$tmp/$name"
}

: >"$tmp/off"
: >"$tmp/trace"
: >"$tmp/gconly"
for i in $(seq "$runs"); do
	run off MSRT_GCTRACE=
	run trace MSRT_TRACE="$tmp/trace.out"
	run gconly MSRT_TRACE="$tmp/gconly.out" MSRT_PROFILE_RATE=0
done
off_t=$(awk '{ print $1 }' "$tmp/off" | median)
off_c=$(awk '{ print $3 + $4 }' "$tmp/off" | median)
printf "%-34s %8s %6s %8s %6s %10s %6s\n" "gcbench $depth, median of $runs" "wall s" "ratio" "CPU s" "ratio" "peak RSS" \
	"ratio"
for v in off trace gconly; do
	t=$(awk '{ print $1 }' "$tmp/$v" | median)
	m=$(awk '{ print $2 }' "$tmp/$v" | median)
	c=$(awk '{ print $3 + $4 }' "$tmp/$v" | median)
	[ "$v" = off ] && off_m=$m
	case $v in
	off) label="no trace" ;;
	trace) label="MSRT_TRACE" ;;
	gconly) label="MSRT_TRACE, MSRT_PROFILE_RATE=0" ;;
	esac
	printf "%-34s %8s %6s %8s %6s %7s KiB %6s\n" "$label" "$t" "$(echo "$t $off_t" | awk '{ printf "%.3f", $1 / $2 }')" \
		"$c" "$(echo "$c $off_c" | awk '{ printf "%.3f", $1 / $2 }')" "$m" "$(echo "$m $off_m" | awk '{ printf "%.3f", $1 / $2 }')"
done
size=$(wc -c <"$tmp/trace.out")
gsize=$(wc -c <"$tmp/gconly.out")
echo "trace.out: $size bytes with sampling, $gsize bytes with the collector's records only"

# reading back: the trace and the text log of one run
MSRT_GCTRACE="$tmp/gc.log" MSRT_TRACE="$tmp/both.out" "$tmp/gcb" "$depth" >/dev/null || exit 2
: >"$tmp/rt"
: >"$tmp/rl"
# ms CMD...: wall milliseconds of one run
ms() {
	t0=$(date +%s%N)
	"$@" >/dev/null || exit 2
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", ($2 - $1) / 1e6 }'
}
for i in $(seq "$runs"); do
	ms "$build/memscope" gctrace --json "$tmp/both.out" >>"$tmp/rt"
	ms "$build/memscope" gctrace --json "$tmp/gc.log" >>"$tmp/rl"
done
echo "memscope gctrace --json: trace $(median <"$tmp/rt") ms ($(wc -c <"$tmp/both.out") bytes)," \
	"text log $(median <"$tmp/rl") ms ($(grep -c '^gc ' "$tmp/gc.log") cycles)"
