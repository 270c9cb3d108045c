#!/bin/sh
# heapdump.sh — how fast `memscope heapdump` analyses a big Go heap dump.
# No working tool reads these dumps, so the floor is a plain varint scan of
# the file (tools/bench/varintscan.c: every byte decoded, nothing kept;
# memscope skips object contents it does not need, so it can beat it), and
# cat of the file (reading alone).
# The dump: tools/bench/heapdumpgen (a map of 2.5M 80-byte items, each with
# a 32-byte leaf: ~5M small objects, ~450 MB), written once with the newest
# installed Go into the bench cache. Prints the dump's size, the medians of
# 5 runs of each, MB/s, memscope's peak RSS against the dump's size, and
# memscope's own split (parse / graph / dominators / retained, --timings).
# Targets (issue 13): whole analysis <= 4 s on a 2-core machine, peak RSS
# <= 0.6 x the dump. Usage: tools/bench/heapdump.sh [N_ITEMS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
n=${1:-2500000}
go=""
for v in 23 22 21 19; do [ -x /usr/lib/go-1.$v/bin/go ] && { go=/usr/lib/go-1.$v/bin/go; break; }; done
[ -n "$go" ] || { echo "no Go toolchain in /usr/lib/go-1.NN" >&2; exit 2; }
dump=$CACHE/heapdump-$n.dump
if [ ! -f "$dump" ]; then
	(cd "$BENCH_TMP" && GOCACHE=$BENCH_TMP/gocache GO111MODULE=off GOTOOLCHAIN=local HOME=$BENCH_TMP \
		"$go" build -o gen "$top/tools/bench/heapdumpgen/main.go" && ./gen "$n" "$dump.tmp") >&2
	mv "$dump.tmp" "$dump"
fi
cc -O2 -o "$BENCH_TMP/varintscan" "$top/tools/bench/varintscan.c"
bytes=$(wc -c <"$dump")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
set -- $(median_of 5 cat "$dump"); ct=$1 cm=$2
set -- $(median_of 5 "$BENCH_TMP/varintscan" "$dump"); st=$1 sm=$2
set -- $(median_of 5 "$MS" heapdump -n 5 "$dump"); mt=$1 mm=$2
mbs() { awk -v m="$mb" -v t="$1" 'BEGIN { if (t > 0) printf "%.0f", m / t; else print "inf" }'; }
echo "dump: $dump ($mb MB, $("$MS" heapdump --json "$dump" | sed -n 's/^  "objects": \([0-9]*\),/\1/p') objects)"
printf "%-22s %8s %8s %10s\n" "" "median s" "MB/s" "peak KB"
printf "%-22s %8s %8s %10s\n" "cat (read only)" "$ct" "$(mbs "$ct")" "$cm"
printf "%-22s %8s %8s %10s\n" "varint scan (floor)" "$st" "$(mbs "$st")" "$sm"
printf "%-22s %8s %8s %10s\n" "memscope heapdump" "$mt" "$(mbs "$mt")" "$mm"
echo "memscope / floor: $(ratio "$mt" "$st")x time; peak RSS / dump size: $(awk -v k="$mm" -v b="$bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')"
"$MS" heapdump --timings -n 5 "$dump" 2>&1 >/dev/null | sed 's/^memscope: /split (one run): /'
# CPU seconds (user + sys) do not depend on how busy the machine is
cpu() { /usr/bin/time -f "%U %S" -o "$BENCH_TMP/cpu" "$@" >/dev/null 2>&1; awk '{ printf "%.2f", $1 + $2 }' "$BENCH_TMP/cpu"; }
echo "CPU s (one run): varint scan $(cpu "$BENCH_TMP/varintscan" "$dump"), memscope heapdump $(cpu "$MS" heapdump -n 5 "$dump")"
