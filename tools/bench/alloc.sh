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
# 2. Profiling overhead in CPU time: real programs (python3, sort) and the
#    microbenchmark under msrt without profiling,
#    at the default rate (512 KiB; unwind tables, and frame pointers), and
#    under heaptrack (which records every allocation).
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

echo "allocator throughput (median wall time and peak RSS of $runs interleaved runs)"
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
echo "profiling overhead (median CPU seconds, user+sys, of $runs runs)"
# workloads: a Python program building and (de)serialising a dict, sort
# on 1M numbers, and the allocator microbenchmark (the worst case: it
# allocates tens of GB/s and touches almost none of it, so the sampling
# cost per 512 KiB is not amortised by any work)
py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
cat >"$tmp/work.py" <<'PY'
import json
d = {}
for i in range(150000):
    d["k%d" % i] = {"a": [i] * (i % 7), "s": "x" * (i % 100)}
s = json.dumps(d)
print(len(s), len(json.loads(s)))
PY
seq 1 1000000 | awk '{ print ($1 * 7919) % 1000003 }' >"$tmp/nums"
cpu() { # NAME CMD... (environment from $envs): appends CPU seconds
	name=$1
	shift
	env $envs /usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>&1
	awk '{ print $1 + $2 }' "$tmp/cpu" >>"$tmp/$name"
}
overhead() { # LABEL CMD...
	label=$1
	shift
	rm -f "$tmp"/ov_*
	for i in $(seq "$runs"); do
		envs="LD_PRELOAD=$lib MSRT_PROFILE_RATE=0" cpu ov_off "$@"
		envs="LD_PRELOAD=$lib MSRT_PROFILE_RATE=524288" cpu ov_def "$@"
		envs="LD_PRELOAD=$lib MSRT_PROFILE_RATE=524288 MSRT_PROFILE_UNWIND=fp" cpu ov_fp "$@"
		if command -v heaptrack >/dev/null 2>&1; then
			envs="X=1" cpu ov_ht heaptrack -o "$tmp/ht" "$@"
			rm -f "$tmp"/ht.*
		fi
	done
	off=$(median <"$tmp/ov_off")
	def=$(median <"$tmp/ov_def")
	fp=$(median <"$tmp/ov_fp")
	printf "  %-26s no profiling %.3f s  512K %.3f s (%+.1f%%)  512K+fp %.3f s (%+.1f%%)" "$label" "$off" "$def" \
		"$(echo "$def $off" | awk '{ print ($1 / $2 - 1) * 100 }')" "$fp" "$(echo "$fp $off" | awk '{ print ($1 / $2 - 1) * 100 }')"
	if [ -s "$tmp/ov_ht" ]; then
		ht=$(median <"$tmp/ov_ht")
		printf "  heaptrack %.3f s (%+.0f%%, %.0fx msrt's overhead)" "$ht" \
			"$(echo "$ht $off" | awk '{ print ($1 / $2 - 1) * 100 }')" \
			"$(echo "$ht $def $off" | awk '{ d = $2 - $3; if (d < 0.005) d = 0.005; print ($1 - $3) / d }')"
	fi
	echo
}
[ -n "$py" ] && overhead "python3 json (150k keys)" "$py" "$tmp/work.py"
overhead "sort -n (1M lines)" sort -n "$tmp/nums"
overhead "allocbench 1 thread 300k" "$bench" 1 300000
