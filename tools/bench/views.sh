#!/bin/sh
# views.sh — memscope peek, traces and tree vs go tool pprof -peek, -traces
# and -tree on the large Go heap profile of tools/bench/top.sh (400k
# distinct stacks, tools/bench/genheap), in one run: median wall time of
# RUNS runs each, peak RSS, the ratios; and the outputs compared (they must
# be equal, or the figures mean nothing). Also the CPU time (user + sys) of
# one run each: on a machine shared with other work, pprof's several
# threads take a larger share of it than memscope's one, so the wall-time
# ratio understates the difference there.
#   tools/bench/views.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
prof=$(big_profile big400k 400000 1)
echo "profile: $prof ($(du -k "$prof" | cut -f1) KB gzip, $(gzip -dc "$prof" | wc -c) bytes raw)"
# the peek regex: genheap's allocating function and its dispatcher (64 callers and callees)
re='main\.(leaf|call)$'
# cpu_of CMD...: user + sys seconds of one run
cpu_of() {
	/usr/bin/time -f "%U %S" -o "$BENCH_TMP/cpu" "$@" >/dev/null 2>&1
	awk '{ printf "%.2f", $1 + $2 }' "$BENCH_TMP/cpu"
}
for view in peek traces tree; do
	case $view in
	peek) ms_args="peek $re $prof" pp_args="-peek $re $prof" ;;
	*) ms_args="$view $prof" pp_args="-$view $prof" ;;
	esac
	# shellcheck disable=SC2086
	TZ=UTC "$MS" $ms_args >"$BENCH_TMP/ms.out"
	# shellcheck disable=SC2086
	TZ=UTC go tool pprof $pp_args >"$BENCH_TMP/pp.out" 2>/dev/null
	if cmp -s "$BENCH_TMP/ms.out" "$BENCH_TMP/pp.out"; then same="equal outputs"; else same="OUTPUTS DIFFER"; fi
	# shellcheck disable=SC2086
	set -- $(median_of "$runs" "$MS" $ms_args); ms_t=$1 ms_rss=$2
	# shellcheck disable=SC2086
	set -- $(median_of "$runs" go tool pprof $pp_args); pp_t=$1 pp_rss=$2
	# shellcheck disable=SC2086
	ms_c=$(cpu_of "$MS" $ms_args)
	# shellcheck disable=SC2086
	pp_c=$(cpu_of go tool pprof $pp_args)
	printf '%-28s %8s s %10s KB %8s s CPU\n' "memscope $view" "$ms_t" "$ms_rss" "$ms_c" \
		"go tool pprof -$view" "$pp_t" "$pp_rss" "$pp_c"
	echo "$view: speed-up vs pprof $(ratio "$pp_t" "$ms_t")x (CPU time $(ratio "$pp_c" "$ms_c")x), peak RSS 1/$(ratio "$pp_rss" "$ms_rss") of pprof ($same, $(wc -l <"$BENCH_TMP/ms.out") lines)"
done
