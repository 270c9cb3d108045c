#!/bin/sh
# gctrace.sh — throughput of `memscope gctrace` against `wc -l` on the same
# large GC trace, side by side in one run.
#
# Builds a log of SIZE_MB (default 300) by repeating the real Go 1.19 lines
# of testdata/go1.19/*.gctrace.log with increasing cycle numbers and times
# (in a temp directory, removed at the end; never committed), warms the page
# cache, then times RUNS (default 5) runs of each command and prints the
# medians, MB/s, the ratio and the peak RSS (/usr/bin/time -f %M).
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
	{ seed[n++] = $0 }
	END {
		bytes = 0; gc = 0; t = 0
		while (bytes < want) {
			for (i = 0; i < n && bytes < want; i++) {
				line = seed[i]
				gc++; t += 0.0137
				sub(/^gc [0-9]+ @[0-9.]+s/, sprintf("gc %d @%.3fs", gc, t), line)
				print line
				bytes += length(line) + 1
			}
		}
	}' "$tmp/seed" >"$log"
bytes=$(wc -c <"$log")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$log" >/dev/null

# median wall time (s) of $runs runs of a command
median() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$runs" ]; do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

t_wc=$(median wc -l "$log")
t_ms=$(median "$memscope" gctrace "$log")
r_wc=$(rss wc -l "$log")
r_ms=$(rss "$memscope" gctrace "$log")
cycles=$(wc -l <"$log")
echo "log: $mb MB, $cycles gc lines; median of $runs runs"
awk -v mb="$mb" -v a="$t_wc" -v b="$t_ms" -v ra="$r_wc" -v rb="$r_ms" 'BEGIN {
	printf "%-22s %9s %10s %12s\n", "command", "time s", "MB/s", "peak RSS KB"
	printf "%-22s %9.3f %10.0f %12d\n", "wc -l", a, mb / a, ra
	printf "%-22s %9.3f %10.0f %12d\n", "memscope gctrace", b, mb / b, rb
	printf "ratio memscope / wc -l: %.2fx the time\n", b / a
}'
