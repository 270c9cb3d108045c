#!/bin/sh
# leakcheck.sh — `memscope run --leak-check` against LeakSanitizer and
# valgrind's memcheck on the same programs, in one run.
#
#   tools/bench/leakcheck.sh [RUNS]        (default 5; needs build/ and clang)
#
# Programs: tests/rt/leakprog.c (N records of 200 bytes kept reachable, 20
# short-lived mixed-size blocks each: 420,000 allocations at N = 20000) and
# tests/rt/leakcheck.c (known leaks). Each is built with gcc -O2 -g for
# memscope and valgrind and with clang -O2 -g -fsanitize=leak for LSan.
# Prints the median wall time and peak RSS of RUNS runs (valgrind: one run),
# the ratios to the uninstrumented program and to LSan, and the leaked
# bytes/blocks each tool reports (they must agree).
# Benchmarks are not tests: nothing here fails on a slow result.
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-5}
n=${LEAKPROG_N:-200000}
cc -O2 -g -fno-omit-frame-pointer -pthread "$top/tests/rt/leakprog.c" -o "$BENCH_TMP/leakprog" || exit 2
clang -O2 -g -fno-omit-frame-pointer -fsanitize=leak -pthread "$top/tests/rt/leakprog.c" -o "$BENCH_TMP/leakprog-lsan" ||
	{ echo "leakcheck.sh: clang -fsanitize=leak is needed"; exit 2; }
cc -O1 -g -fno-omit-frame-pointer -pthread "$top/tests/rt/leakcheck.c" -o "$BENCH_TMP/leakcheck" || exit 2
clang -O1 -g -fno-omit-frame-pointer -fsanitize=leak -pthread "$top/tests/rt/leakcheck.c" -o "$BENCH_TMP/leakcheck-lsan" || exit 2

echo "leakprog $n ($((n * 21)) allocations), $runs runs each, load: $(cut -d' ' -f1-3 /proc/loadavg)"
plain=$(median_of "$runs" "$BENCH_TMP/leakprog" "$n")
# each run gets an empty output directory (run refuses to mix runs)
ms=$(median_of "$runs" sh -c 'rm -rf "$0" && exec "$@"' "$BENCH_TMP/r" "$MS" run -o "$BENCH_TMP/r" --leak-check -- \
	"$BENCH_TMP/leakprog" "$n")
lsan=$(median_of "$runs" "$BENCH_TMP/leakprog-lsan" "$n")
vg=$(median_of 1 valgrind --leak-check=full "$BENCH_TMP/leakprog" "$n")
printf '%-34s %8s %10s %9s %9s\n' "" "seconds" "peak RSS" "vs plain" "vs LSan"
for row in "uninstrumented:$plain" "memscope run --leak-check:$ms" "LeakSanitizer (clang):$lsan" "valgrind --leak-check=full:$vg"; do
	name=${row%%:*}
	set -- ${row#*:}
	printf '%-34s %8s %8dMB %8sx %8sx\n' "$name" "$1" "$(($2 / 1024))" "$(ratio "$1" "${plain%% *}")" "$(ratio "$1" "${lsan%% *}")"
done
echo "(memscope's time includes symbolizing the profiles and printing the report)"

echo
echo "tests/rt/leakcheck.c: what each tool finds"
"$MS" run -o "$BENCH_TMP/k" --leak-check -- "$BENCH_TMP/leakcheck" >/dev/null 2>"$BENCH_TMP/k.err"
sed -n 's/^Leak check [^:]*: \([^;]*\);.*/memscope:  \1/p' "$BENCH_TMP/k.err"
"$BENCH_TMP/leakcheck-lsan" >/dev/null 2>"$BENCH_TMP/l.err"
sed -n 's/^SUMMARY: LeakSanitizer: \(.*\)/LSan:      \1/p' "$BENCH_TMP/l.err"
valgrind --leak-check=full "$BENCH_TMP/leakcheck" >/dev/null 2>"$BENCH_TMP/v.err"
awk '/definitely lost:|indirectly lost:/ { sub(/^==[0-9]+== +/, ""); printf "valgrind:  %s\n", $0 }' "$BENCH_TMP/v.err"
