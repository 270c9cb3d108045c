#!/bin/sh
# speed.sh BUILD_DIR [RUNS [TARGET...]] — how fast each fuzz target runs:
# each target built by tools/fuzz/run.sh (BUILD_DIR/fuzz/T/fuzz_T) runs RUNS
# executions (default 2000, fixed seed) from a fresh corpus of its own seeds
# and max_len, and prints executions per CPU second (user + sys) beside the
# wall-clock rate. The CPU rate is the one to compare: on a shared machine
# the wall-clock rate mostly measures the load. Target: >= 1,000 exec/s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
runs=${2:-2000}
[ $# -ge 2 ] && shift 2 || shift $#
cd "$top"
targets=${*:-$(ls tools/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')}
for t in $targets; do
	bin=$build/fuzz/$t/fuzz_$t
	[ -x "$bin" ] || { echo "$t: not built (tools/fuzz/run.sh $1 1 $t)"; continue; }
	c=$(mktemp -d) || exit 2
	sh tools/fuzz/seeds.sh "$t" "$c"
	maxlen=$(sed -n 's/.*max_len: \([0-9]*\).*/\1/p' "tools/fuzz/fuzz_$t.c" | head -1)
	/usr/bin/time -f "%U %S %e" -o "$c.time" "$bin" -runs="$runs" -seed=1 -max_len="${maxlen:-1048576}" \
		"$c" >/dev/null 2>&1
	read -r u s e <"$c.time"
	awk -v t="$t" -v r="$runs" -v u="$u" -v s="$s" -v e="$e" 'BEGIN {
		printf "%-10s %6d runs  cpu %6.2f s  %6.0f exec/cpu-s  (wall %5.1f s, %5.0f exec/s)\n",
			t, r, u + s, r / (u + s + 0.001), e, r / (e + 0.001) }'
	rm -rf "$c" "$c.time"
done
