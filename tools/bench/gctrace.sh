#!/bin/sh
# gctrace.sh — throughput of `memscope gctrace` against `wc -l` on the same
# large GC trace, side by side in one run.
#
# Builds a log of SIZE_MB (default 300) by repeating the real Go 1.19 lines
# of testdata/go1.19/*.gctrace.log with increasing cycle numbers and times
# (in a temp directory, removed at the end; never committed), warms the page
# cache, then times RUNS (default 5) runs of each command and prints the
# medians (wall and CPU time), MB/s, the ratios and the peak RSS
# (/usr/bin/time; its times have 10 ms resolution, so SIZE_MB should stay
# in the hundreds), and the load average around the runs.
#
# usage: tools/bench/gctrace.sh [path/to/memscope] [SIZE_MB] [RUNS]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
memscope=${1:-$top/build/memscope}
size_mb=${2:-300}
runs=${3:-5}
[ -x "$memscope" ] || { echo "gctrace.sh: no memscope binary at '$memscope'" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
log=$tmp/big.gctrace.log

# One pass over the real lines is ~14 KB; renumber them as one long run.
cat "$top"/testdata/go1.19/*.gctrace.log | grep '^gc ' >"$tmp/seed"
awk -v want=$((size_mb * 1024 * 1024)) '
	{ sp = index($0, "s "); tail[n++] = substr($0, sp) } # from "s N%: ..." on
	END {
		bytes = 0; gc = 0; ms = 0
		while (bytes < want) {
			for (i = 0; i < n && bytes < want; i++) {
				gc++; ms += 13
				line = "gc " gc " @" int(ms / 1000) "." substr(1000 + ms % 1000, 2) tail[i]
				print line
				bytes += length(line) + 1
			}
		}
	}' "$tmp/seed" >"$log"
bytes=$(wc -c <"$log")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$log" >/dev/null

# Runs a command $runs times under /usr/bin/time; prints the medians of
# wall time, CPU time (user + sys) and peak RSS. CPU time is the steadier
# figure on a shared machine.
measure() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/one" "$@" >/dev/null
		cat "$tmp/one" >>"$tmp/times"
		i=$((i + 1))
	done
	awk '{ w[NR] = $1; c[NR] = $2 + $3; m[NR] = $4 }
	function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return a[int((n + 1) / 2)]
	}
	END { printf "%s %s %s\n", med(w, NR), med(c, NR), med(m, NR) }' "$tmp/times"
}

# The machine may be shared: the 1-minute load average before and after
# says how much the wall times can be trusted.
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
load0=$(load)
set -- $(measure wc -l "$log") $(measure "$memscope" gctrace "$log")
load1=$(load)
cycles=$(wc -l <"$log")
echo "log: $mb MB, $cycles gc lines; medians of $runs runs (wall clock; cpu = user + sys)"
echo "load average (1 min): $load0 before, $load1 after, on $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') CPUs"
awk -v mb="$mb" -v w1="$1" -v c1="$2" -v r1="$3" -v w2="$4" -v c2="$5" -v r2="$6" 'BEGIN {
	f = "%-18s %8s %9s %8s %9s %12s\n"
	printf f, "command", "wall s", "MB/s", "cpu s", "MB/cpu-s", "peak RSS KB"
	g = "%-18s %8.2f %9.0f %8.2f %9.0f %12d\n"
	printf g, "wc -l", w1, mb / (w1 > 0 ? w1 : 0.01), c1, mb / (c1 > 0 ? c1 : 0.01), r1
	printf g, "memscope gctrace", w2, mb / (w2 > 0 ? w2 : 0.01), c2, mb / (c2 > 0 ? c2 : 0.01), r2
	printf "ratio memscope / wc -l: %.1fx the wall time, %.1fx the cpu time\n", w2 / (w1 > 0 ? w1 : 0.01), c2 / (c1 > 0 ? c1 : 0.01)
}'
