# lib.sh — helpers shared by the benchmark scripts (sourced).
# measure CMD...: runs CMD once, prints "seconds peak_rss_kb" (GNU time).
measure() {
	/usr/bin/time -f "%e %M" -o "$BENCH_TMP/time" "$@" >/dev/null 2>"$BENCH_TMP/err" || {
		echo "benchmark command failed: $*" >&2; cat "$BENCH_TMP/err" >&2; return 1; }
	cat "$BENCH_TMP/time"
}
# median_of N CMD...: runs CMD N times; prints "median_seconds max_rss_kb".
median_of() {
	n=$1; shift
	i=0; : >"$BENCH_TMP/runs"
	while [ $i -lt "$n" ]; do measure "$@" >>"$BENCH_TMP/runs" || return 1; i=$((i + 1)); done
	sort -n "$BENCH_TMP/runs" | awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "%s %d\n", t[int((NR + 1) / 2)], m }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'; }
bench_init() {
	top=$(cd "$(dirname "$0")/../.." && pwd)
	MS=${MEMSCOPE:-$top/build/memscope}
	[ -x "$MS" ] || { echo "build memscope first (tools/build.sh)" >&2; exit 2; }
	BENCH_TMP=$(mktemp -d)
	trap 'rm -rf "$BENCH_TMP"' EXIT
	CACHE=${BENCH_CACHE:-$top/build/bench}
	mkdir -p "$CACHE"
}
# big_profile NAME STACKS SEED [GROW]: generates (once) a large Go heap profile.
big_profile() {
	f="$CACHE/$1.pb.gz"
	[ -f "$f" ] || (cd "$BENCH_TMP" && go run "$top/tools/bench/genheap/main.go" -stacks "$2" -seed "$3" \
		-grow "${4:-0}" -o "$f") >&2
	echo "$f"
}
# median_cpu N CMD...: runs CMD N times; prints the medians "wall_s cpu_s
# peak_rss_kb" (cpu = user + sys: the steadier figure on a shared machine).
median_cpu() {
	n=$1; shift
	i=0; : >"$BENCH_TMP/runs"
	while [ $i -lt "$n" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$BENCH_TMP/time" "$@" >/dev/null 2>"$BENCH_TMP/err" || {
			echo "benchmark command failed: $*" >&2; cat "$BENCH_TMP/err" >&2; return 1; }
		cat "$BENCH_TMP/time" >>"$BENCH_TMP/runs"
		i=$((i + 1))
	done
	mid=$(((n + 1) / 2))
	w=$(awk '{ print $1 }' "$BENCH_TMP/runs" | sort -n | sed -n "${mid}p")
	c=$(awk '{ print $2 + $3 }' "$BENCH_TMP/runs" | sort -n | sed -n "${mid}p")
	m=$(awk '{ print $4 }' "$BENCH_TMP/runs" | sort -n | sed -n "${mid}p")
	echo "$w $c $m"
}
