#!/bin/sh
# alloc.sh — libmsrt against glibc malloc, jemalloc and tcmalloc, in one run.
#
#   tools/bench/alloc.sh [BUILD_DIR] [RUNS]      (default: build, 5)
#
# 1. Allocator throughput: tools/bench/allocbench.c (mixed sizes 8 B–1 MiB,
#    a window of live objects, reallocs; with 8 threads, cross-thread
#    frees through a shared ring), single- and 8-threaded, with each
#    allocator preloaded (msrt with MSRT_PROFILE_RATE=0, i.e. no
#    profiling). Prints the median wall time and median peak RSS
#    (/usr/bin/time -f %M) of RUNS interleaved runs, and ratios to msrt.
# 2. Profiling overhead: the same workload under msrt without profiling,
#    at the default rate (512 KiB) through `memscope run`, and under
#    heaptrack (which records every allocation), on a smaller op count so
#    heaptrack finishes.
# Runs interleave the allocators so machine noise hits them alike.
# Benchmarks are not tests: nothing here fails on a slow result.
set -u
build=${1:-build}
runs=${2:-5}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
lib=$build/.libs/libmsrt.so
memscope=$build/memscope
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libdir=/usr/lib/x86_64-linux-gnu
je=$libdir/libjemalloc.so.2
tc=$libdir/libtcmalloc_minimal.so.4
[ -r "$lib" ] || { echo "alloc.sh: build libmsrt first ($lib)"; exit 2; }
cc -O2 -pthread -o "$tmp/allocbench" "$src/tools/bench/allocbench.c" || exit 2
bench=$tmp/allocbench

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run NAME PRELOAD THREADS OPS [ENV...]: appends "seconds kb" to $tmp/NAME
run() {
	name=$1 pre=$2 th=$3 ops=$4
	shift 4
	env "$@" LD_PRELOAD="$pre" /usr/bin/time -f "%M" -o "$tmp/rss" "$bench" "$th" "$ops" >"$tmp/out" 2>/dev/null
	echo "$(cat "$tmp/out") $(cat "$tmp/rss")" >>"$tmp/$name"
}

report() { # NAME LABEL -> prints the line, sets t and m
	t=$(cut -d' ' -f1 "$tmp/$1" | median)
	m=$(cut -d' ' -f2 "$tmp/$1" | median)
	printf "  %-22s %8.3f s %9d KB" "$2" "$t" "$m"
}

echo "allocator throughput (median of $runs runs; ratio = allocator time / msrt time)"
for th in 1 8; do
	ops=2000000
	for i in $(seq "$runs"); do
		run "msrt$th" "$lib" "$th" "$ops" MSRT_PROFILE_RATE=0
		run "glibc$th" "" "$th" "$ops"
		[ -r "$je" ] && run "je$th" "$je" "$th" "$ops"
		[ -r "$tc" ] && run "tc$th" "$tc" "$th" "$ops"
	done
	echo " $th thread(s), $ops ops each:"
	report "msrt$th" msrt
	mt=$t mm=$m
	echo
	for a in glibc je tc; do
		[ -s "$tmp/$a$th" ] || continue
		case $a in glibc) label="glibc malloc" ;; je) label=jemalloc ;; tc) label=tcmalloc ;; esac
		report "$a$th" "$label"
		awk -v a="$t" -v b="$mt" -v r="$m" -v s="$mm" \
			'BEGIN { printf "   time %.2fx msrt   msrt/%s: time %.2f  rss %.2f\n", a / b, "x", b / a, s / r }'
	done
done

echo
echo "profiling overhead (single thread, median of $runs runs)"
ops=300000
for i in $(seq "$runs"); do
	run off "$lib" 1 "$ops" MSRT_PROFILE_RATE=0
	run def "$lib" 1 "$ops" MSRT_PROFILE_RATE=524288
	rm -rf "$tmp/prof"
	s=$(date +%s.%N)
	"$memscope" run -o "$tmp/prof" -- "$bench" 1 "$ops" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$e $s" | awk '{ printf "%.4f 0\n", $1 - $2 }' >>"$tmp/run"
	if command -v heaptrack >/dev/null 2>&1; then
		s=$(date +%s.%N)
		heaptrack -o "$tmp/ht" "$bench" 1 "$ops" >/dev/null 2>&1
		e=$(date +%s.%N)
		echo "$e $s" | awk '{ printf "%.4f 0\n", $1 - $2 }' >>"$tmp/ht"
		rm -f "$tmp"/ht.*
	fi
done
report off "msrt, rate 0"; echo
base=$t
report def "msrt, rate 512K"; awk -v a="$t" -v b="$base" 'BEGIN { printf "   overhead %+.1f%%\n", (a / b - 1) * 100 }'
report run "memscope run (wall)"; awk -v a="$t" -v b="$base" 'BEGIN { printf "   overhead %+.1f%% (process start, profile write)\n", (a / b - 1) * 100 }'
if [ -s "$tmp/ht" ]; then
	report ht "heaptrack (wall)"
	ht=$t
	awk -v a="$ht" -v b="$base" 'BEGIN { printf "   overhead %+.1f%%\n", (a / b - 1) * 100 }'
	awk -v h="$ht" -v d="$(cut -d' ' -f1 "$tmp/def" | median)" -v b="$base" \
		'BEGIN { printf "  heaptrack overhead / msrt overhead: %.1fx\n", (h - b) / ((d - b) > 0.0005 ? (d - b) : 0.0005) }'
fi
