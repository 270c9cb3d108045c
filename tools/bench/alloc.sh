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
#    at the default rate (512 KiB; cached unwind tables, and frame pointers), and
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
			'BEGIN { printf "   msrt time / this: %.2f   msrt peak RSS / this: %.2f\n", b / a, s / r }'
	done
done

echo
echo "a real malloc-heavy program: python3 with PYTHONMALLOC=malloc (every object through malloc)"
py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
cat >"$tmp/work.py" <<'PY'
import json
d = {}
for i in range(150000):
    d["k%d" % i] = {"a": [i] * (i % 7), "s": "x" * (i % 100)}
s = json.dumps(d)
print(len(s), len(json.loads(s)))
PY
# CPU seconds (user+sys) of one run: perf's task-clock when perf works,
# else /usr/bin/time (10 ms resolution)
if perf stat -x, -e task-clock true >/dev/null 2>&1; then
	cpu_of() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | tail -1 | cut -d, -f1 | awk '{ print $1 / 1000 }'; }
else
	cpu_of() { /usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>&1; awk '{ print $1 + $2 }' "$tmp/cpu"; }
fi
cpu() { # NAME ENV... -- CMD...: appends CPU seconds to $tmp/NAME
	name=$1
	shift
	e=""
	while [ "$1" != -- ]; do e="$e $1"; shift; done
	shift
	env $e "$@" >/dev/null 2>&1 # warm the page cache
	cpu_of env $e "$@" >>"$tmp/$name"
}
minmed() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%.3f %.3f", a[1], a[int((NR + 1) / 2)] }'; }
if [ -n "$py" ]; then
	rm -f "$tmp"/py_*
	for i in $(seq "$runs"); do
		cpu py_msrt PYTHONMALLOC=malloc LD_PRELOAD="$lib" MSRT_PROFILE_RATE=0 -- "$py" "$tmp/work.py"
		cpu py_glibc PYTHONMALLOC=malloc -- "$py" "$tmp/work.py"
		[ -r "$je" ] && cpu py_je PYTHONMALLOC=malloc LD_PRELOAD="$je" -- "$py" "$tmp/work.py"
		[ -r "$tc" ] && cpu py_tc PYTHONMALLOC=malloc LD_PRELOAD="$tc" -- "$py" "$tmp/work.py"
	done
	for a in msrt glibc je tc; do
		[ -s "$tmp/py_$a" ] || continue
		set -- $(minmed "$tmp/py_$a")
		echo "  $a: CPU min $1 s, median $2 s"
	done
fi

echo
echo "profiling overhead (CPU seconds, min and median of $runs interleaved runs)"
seq 1 1000000 | awk '{ print ($1 * 7919) % 1000003 }' >"$tmp/nums"
overhead() { # LABEL ENV... -- CMD...
	label=$1
	shift
	e=""
	while [ "$1" != -- ]; do e="$e $1"; shift; done
	shift
	rm -f "$tmp"/ov_*
	for i in $(seq "$runs"); do
		cpu ov_off $e LD_PRELOAD="$lib" MSRT_PROFILE_RATE=0 -- "$@"
		cpu ov_def $e LD_PRELOAD="$lib" MSRT_PROFILE_RATE=524288 -- "$@"
		cpu ov_fp $e LD_PRELOAD="$lib" MSRT_PROFILE_RATE=524288 MSRT_PROFILE_UNWIND=fp -- "$@"
		# what `memscope run` does: a profile directory, so every allocation
		# is also counted for the peak heap and temporary allocations (mpeak.c)
		rm -rf "$tmp/run" && mkdir -p "$tmp/run"
		cpu ov_run $e LD_PRELOAD="$lib" MSRT_PROFILE_RATE=524288 MSRT_PROFILE_DIR="$tmp/run" -- "$@"
		if command -v heaptrack >/dev/null 2>&1; then
			cpu ov_ht $e -- heaptrack -o "$tmp/ht" "$@"
			rm -f "$tmp"/ht.*
		fi
	done
	set -- $(minmed "$tmp/ov_off"); off_min=$1 off_med=$2
	set -- $(minmed "$tmp/ov_def"); def_min=$1 def_med=$2
	set -- $(minmed "$tmp/ov_fp"); fp_min=$1 fp_med=$2
	set -- $(minmed "$tmp/ov_run"); run_min=$1 run_med=$2
	echo "  $label"
	awk -v a="$off_min" -v b="$off_med" 'BEGIN { printf "    no profiling     min %.3f  median %.3f\n", a, b }'
	awk -v a="$def_min" -v b="$def_med" -v c="$off_min" -v d="$off_med" \
		'BEGIN { printf "    512K (cfi, default) min %.3f  median %.3f   overhead min %+.1f%% median %+.1f%%\n", a, b, (a / c - 1) * 100, (b / d - 1) * 100 }'
	awk -v a="$fp_min" -v b="$fp_med" -v c="$off_min" -v d="$off_med" \
		'BEGIN { printf "    512K (fp)        min %.3f  median %.3f   overhead min %+.1f%% median %+.1f%%\n", a, b, (a / c - 1) * 100, (b / d - 1) * 100 }'
	awk -v a="$run_min" -v b="$run_med" -v c="$off_min" -v d="$off_med" \
		'BEGIN { printf "    512K + peak/temporary counting (memscope run) min %.3f  median %.3f   overhead min %+.1f%% median %+.1f%%\n", a, b, (a / c - 1) * 100, (b / d - 1) * 100 }'
	if [ -s "$tmp/ov_ht" ]; then
		set -- $(minmed "$tmp/ov_ht")
		awk -v a="$1" -v b="$2" -v c="$off_min" -v d="$off_med" -v m="$def_min" \
			'BEGIN { o = m - c; if (o < 0.001 * c) o = 0.001 * c;
			         printf "    heaptrack        min %.3f  median %.3f   overhead min %+.1f%% median %+.1f%%  (%.0fx msrt'"'"'s, by min)\n", a, b, (a / c - 1) * 100, (b / d - 1) * 100, (a - c) / o }'
	fi
}
[ -n "$py" ] && overhead "python3 json, PYTHONMALLOC=malloc" PYTHONMALLOC=malloc -- "$py" "$tmp/work.py"
overhead "sort -n, 1M lines" -- sort -n "$tmp/nums"
overhead "allocbench, 1 thread, 3M ops (worst case: ~40 GB allocated, barely touched)" -- "$bench" 1 3000000

echo
echo "cost per sample (allocbench at MSRT_PROFILE_RATE=1, every allocation sampled, minus rate 0)"
rm -f "$tmp"/ps_*
for i in $(seq "$runs"); do
	cpu ps_off LD_PRELOAD="$lib" MSRT_PROFILE_RATE=0 -- "$bench" 1 200000
	cpu ps_cfi LD_PRELOAD="$lib" MSRT_PROFILE_RATE=1 -- "$bench" 1 200000
	cpu ps_dwarf LD_PRELOAD="$lib" MSRT_PROFILE_RATE=1 MSRT_PROFILE_UNWIND=dwarf -- "$bench" 1 200000
	cpu ps_fp LD_PRELOAD="$lib" MSRT_PROFILE_RATE=1 MSRT_PROFILE_UNWIND=fp -- "$bench" 1 200000
done
# about 200000 + 2000 allocations (+1/32 reallocs) are sampled
awk -v o="$(sort -n "$tmp/ps_off" | head -1)" -v c="$(sort -n "$tmp/ps_cfi" | head -1)" \
	-v d="$(sort -n "$tmp/ps_dwarf" | head -1)" -v f="$(sort -n "$tmp/ps_fp" | head -1)" 'BEGIN { n = 208000;
	printf "  cfi (default) %.2f us   libgcc (dwarf) %.2f us   frame pointers %.2f us per sample\n",
		(c - o) / n * 1e6, (d - o) / n * 1e6, (f - o) / n * 1e6 }'
