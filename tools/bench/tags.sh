#!/bin/sh
# tags.sh — memscope tags vs go tool pprof -tags on the large Go heap profile
# of top.sh (400k distinct stacks, numeric "bytes" labels; generated once by
# tools/bench/genheap), in one run: the outputs compared first, then median
# wall time of RUNS runs each, peak RSS and the ratios.
#   tools/bench/tags.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
prof=$(big_profile big400k 400000 1)
"$MS" tags "$prof" >"$BENCH_TMP/ms.txt"
go tool pprof -tags "$prof" >"$BENCH_TMP/pp.txt" 2>/dev/null
cmp -s "$BENCH_TMP/ms.txt" "$BENCH_TMP/pp.txt" && echo "outputs: identical" || echo "outputs: DIFFER"
set -- $(median_of "$runs" "$MS" tags "$prof"); ms_t=$1 ms_rss=$2
set -- $(median_of "$runs" go tool pprof -tags "$prof"); pp_t=$1 pp_rss=$2
printf '%-28s %8s s %10s KB\n' "memscope tags" "$ms_t" "$ms_rss" "go tool pprof -tags" "$pp_t" "$pp_rss"
echo "speed-up vs pprof: $(ratio "$pp_t" "$ms_t")x   peak RSS: 1/$(ratio "$pp_rss" "$ms_rss") of pprof"
