#!/bin/sh
# gotrace.sh — memscope vs `go tool trace -pprof=sync` on one large Go
# execution trace, side by side in one run: median wall time of RUNS runs,
# CPU time (user + sys), peak RSS, and the ratios; then `memscope info` on
# the same trace against the floor of reading it: `cat FILE | varintscan`
# (tools/bench/varintscan.c: counts the file's varints, touching each byte
# once), median of at least 5 runs each, with the ratio and info's peak RSS;
# then the same for a trace of the old per-P format (Go 1.21, or 1.19) made
# by the same generator (GOTRACE_BENCH_OLD=0 skips it).
#   tools/bench/gotrace.sh [RUNS]
# The trace is made once (cached in build/bench/): tools/bench/gotracegen
# built with Go 1.23 (/usr/lib/go-1.23/bin/go; Go 1.22 if 1.23 is missing)
# runs at least 22 s, and until its trace holds 30 MB (at most 110 s), with
# 24 goroutines contending on a mutex and channels, a loopback TCP echo and
# file writes under runtime/trace: one generation a second.
# GOTRACE_BENCH_SECONDS, GOTRACE_BENCH_MB and GOTRACE_BENCH_WORKERS change
# that.
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
go=""
for v in 23 22; do
	[ -x /usr/lib/go-1.$v/bin/go ] && { go=/usr/lib/go-1.$v/bin/go; break; }
done
[ -n "$go" ] || { echo "no Go 1.22 or 1.23 under /usr/lib/go-1.NN: skipped"; exit 0; }
secs=${GOTRACE_BENCH_SECONDS:-22} workers=${GOTRACE_BENCH_WORKERS:-24} mb=${GOTRACE_BENCH_MB:-30}
# make_trace GO: the cached trace of tools/bench/gotracegen built with GO
make_trace() {
	t="$CACHE/gotrace.$(basename "$(dirname "$(dirname "$1")")").${secs}s.${mb}MB.w$workers.trace"
	if [ ! -s "$t" ]; then
		echo "writing $t ($secs s of tools/bench/gotracegen with $1)..." >&2
		rm -rf "$BENCH_TMP/gen"
		mkdir -p "$BENCH_TMP/gen"
		cp "$top/tools/bench/gotracegen/main.go" "$BENCH_TMP/gen/"
		(cd "$BENCH_TMP/gen" && GO111MODULE=off GOCACHE="$BENCH_TMP/cache" "$1" build -o gotracegen main.go) >&2
		/usr/bin/time -f "gotracegen ran %e s" "$BENCH_TMP/gen/gotracegen" -o "$t.tmp" -d "${secs}s" \
			-size "${mb}000000" -workers "$workers" >&2 && mv "$t.tmp" "$t"
	fi
	echo "$t"
}
trace=$(make_trace "$go")
cc -O2 -o "$BENCH_TMP/varintscan" "$top/tools/bench/varintscan.c"
echo "trace: $trace ($(wc -c <"$trace") bytes, $(head -c 16 "$trace" | tr -d '\0'))"

# cpu_of N CMD...: median wall, median user+sys, max RSS over N runs. Each
# run times CMD REPS times (default 1) and counts a REPS-th of it: GNU
# time's 10 ms steps are too coarse for the floor's few tens of ms.
cpu_of() {
	n=$1; shift
	: >"$BENCH_TMP/runs"
	i=0
	while [ $i -lt "$n" ]; do
		/usr/bin/time -f "%e %U %S %M" -o "$BENCH_TMP/t" sh -c \
			'r=$1; shift; k=0; while [ $k -lt "$r" ]; do "$@" >/dev/null 2>"$0" || exit 1; k=$((k + 1)); done' \
			"$BENCH_TMP/err" "${REPS:-1}" "$@" ||
			{ echo "benchmark command failed: $*" >&2; cat "$BENCH_TMP/err" >&2; return 1; }
		cat "$BENCH_TMP/t" >>"$BENCH_TMP/runs"
		i=$((i + 1))
	done
	med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	printf '%s %s %s\n' "$(awk -v r="${REPS:-1}" '{ printf "%.3f\n", $1 / r }' "$BENCH_TMP/runs" | med)" \
		"$(awk -v r="${REPS:-1}" '{ printf "%.3f\n", ($2 + $3) / r }' "$BENCH_TMP/runs" | med)" \
		"$(awk '$4 > m { m = $4 } END { print m }' "$BENCH_TMP/runs")"
}
set -- $(cpu_of "$runs" "$MS" top --trace-profile sync "$trace"); ms_t=$1 ms_c=$2 ms_rss=$3
set -- $(cpu_of "$runs" "$go" tool trace -pprof=sync "$trace"); go_t=$1 go_c=$2 go_rss=$3
info_runs=$((runs < 5 ? 5 : runs))
set -- $(REPS=3 cpu_of "$info_runs" "$MS" info "$trace"); in_t=$1 in_c=$2 in_rss=$3
set -- $(REPS=10 cpu_of "$info_runs" sh -c 'cat "$0" | "$1"' "$trace" "$BENCH_TMP/varintscan"); fl_t=$1 fl_c=$2
printf '%-40s %8s %10s %12s\n' "" "wall s" "cpu s" "peak RSS KB"
printf '%-40s %8s %10s %12s\n' "memscope top --trace-profile sync" "$ms_t" "$ms_c" "$ms_rss" \
	"go tool trace -pprof=sync ($($go version | cut -d' ' -f3))" "$go_t" "$go_c" "$go_rss" \
	"memscope info" "$in_t" "$in_c" "$in_rss" \
	"cat FILE | varintscan (floor)" "$fl_t" "$fl_c" "-"
echo "sync profile: $(ratio "$go_t" "$ms_t")x faster (wall), $(ratio "$go_c" "$ms_c")x less CPU, peak RSS 1/$(ratio "$go_rss" "$ms_rss") of go tool trace"
# info_line NAME TRACE INFO_WALL INFO_CPU INFO_RSS FLOOR_WALL FLOOR_CPU
info_line() {
	echo "info on $1: $(ratio "$3" "$6")x the floor's wall time, $(ratio "$4" "$7")x its CPU time" \
		"(medians of $info_runs runs: info $3 s wall, $4 s CPU, peak RSS $5 KB;" \
		"floor cat FILE | varintscan $6 s wall, $7 s CPU; $(wc -c <"$2") bytes)"
}
info_line "the $($go version | cut -d' ' -f3) trace" "$trace" "$in_t" "$in_c" "$in_rss" "$fl_t" "$fl_c"

# The old per-P format (gotrace_v1.c) by the same generator.
[ "${GOTRACE_BENCH_OLD:-1}" = 0 ] && exit 0
old=""
for v in 21 19; do
	[ -x /usr/lib/go-1.$v/bin/go ] && { old=/usr/lib/go-1.$v/bin/go; break; }
done
[ -n "$old" ] || { echo "no Go 1.21 or 1.19 under /usr/lib/go-1.NN: old format skipped"; exit 0; }
otrace=$(make_trace "$old")
set -- $(REPS=3 cpu_of "$info_runs" "$MS" info "$otrace"); oi_t=$1 oi_c=$2 oi_rss=$3
set -- $(REPS=10 cpu_of "$info_runs" sh -c 'cat "$0" | "$1"' "$otrace" "$BENCH_TMP/varintscan"); of_t=$1 of_c=$2
info_line "the $("$old" version | cut -d' ' -f3) trace" "$otrace" "$oi_t" "$oi_c" "$oi_rss" "$of_t" "$of_c"
