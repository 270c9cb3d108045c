#!/bin/sh
# gogc.sh — the pacer experiments of issue 7: the same workload
# (tools/experiments/gcworkload.c: LIVE MiB live, TOTAL MiB allocated) under
# GOGC 50, 100 and 200, and under a memory limit; everything read back
# from the runtime's own gctrace lines.
#
#   tools/experiments/gogc.sh [BUILD_DIR] [LIVE_MB] [TOTAL_MB]   (build, 32, 4096)
#
# Per run: GC cycles, mean interval between cycle starts, pause p50/p99
# (both stops of every cycle), peak heap (largest X or Y of "X->Y->Z MB"),
# how the heap at mark termination compares with the cycle's goal
# (median and max of Y/goal), peak RSS. Y/goal is exact, in bytes, from
# the runtime's event trace (MSRT_TRACE, read with BUILD_DIR/memscope
# gctrace --json and jq), with the cycles that ended above their goal;
# without jq, from the gctrace line's truncated MB. Expected: about twice
# the cycles when GOGC halves, Y at most the goal but where the live heap
# grew (the first cycles: Go lets the goal stretch then); with GOGC=off
# and a limit, the heap held under the limit.
set -u
build=${1:-build}
live=${2:-32}
total=${3:-4096}
build=$(cd "$build" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -I"$src/src/rt" "$src/tools/experiments/gcworkload.c" -o "$tmp/w" -L"$build/.libs" -lmsrt \
	-Wl,-rpath,"$build/.libs" || exit 2

run() { # LABEL ENV...
	label=$1
	shift
	rm -f "$tmp/trace" "$tmp/ev" # MSRT_GCTRACE appends
	env "$@" MSRT_GCTRACE="$tmp/trace" MSRT_TRACE="$tmp/ev" /usr/bin/time -f "%M" -o "$tmp/rss" "$tmp/w" "$live" "$total" \
		>/dev/null || { echo "$label: workload failed"; return; }
	exact=""
	if command -v jq >/dev/null && [ -x "$build/memscope" ] &&
		"$build/memscope" gctrace --json --cycles "$tmp/ev" >"$tmp/ev.json" 2>/dev/null; then
		# exact heap at mark end / goal of every paced cycle, sorted
		exact=$(jq -r '[.cycles[] | select(.forced | not) | .trace | select(.goal > 0) | .heap_end / .goal] | sort
			| if length == 0 then "" else "\(.[(length / 2 | floor)]) \(.[-1]) \(map(select(. > 1)) | length) \(length)" end' \
			"$tmp/ev.json")
	fi
	awk -v label="$label" -v rss="$(cat "$tmp/rss")" -v exact="$exact" '
	$1 == "gc" {
		n++
		t = substr($3, 2) + 0; if (n > 1) gaps += t - last; last = t
		split($5, c, "+"); p[++np] = c[1] + 0; p[++np] = c[3] + 0
		split($11, h, "->"); if (h[1] + 0 > peak) peak = h[1] + 0; if (h[2] + 0 > peak) peak = h[2] + 0
		goal = $13 + 0; if (goal > 0) { r[++nr] = (h[2] + 0) / goal }
	}
	function sortn(a, k,   i, j, x) { for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } }
	END {
		sortn(p, np); sortn(r, nr)
		i99 = int(np * 0.99) + 1; if (i99 > np) i99 = np
		ival = 0; if (n > 1) ival = gaps / (n - 1) * 1000
		if (split(exact, x, " ") == 4)
			yg = sprintf("Y/goal median %.3f max %.3f (%d of %d over)", x[1], x[2], x[3], x[4])
		else
			yg = sprintf("Y/goal median %.2f max %.2f (MB)", r[int(nr / 2) + 1], r[nr])
		printf "%-22s %5d cycles  interval %7.1f ms  pause p50 %6.3f p99 %6.3f ms  peak heap %4d MB  %s  RSS %d MB\n",
			label, n, ival, p[int(np / 2) + 1], p[i99], peak, yg, rss / 1024
	}' "$tmp/trace"
}

echo "workload: $live MiB live, $total MiB allocated (gcworkload.c)"
for g in 50 100 200; do
	run "GOGC=$g" MSRT_GOGC=$g
done
lim=$((live * 3 / 2 + 8))
run "GOGC=off limit=${lim}MiB" MSRT_GOGC=off MSRT_MEMLIMIT=${lim}MiB
run "GOGC=100 limit=${lim}MiB" MSRT_GOGC=100 MSRT_MEMLIMIT=${lim}MiB
