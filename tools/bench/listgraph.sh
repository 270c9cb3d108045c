#!/bin/sh
# listgraph.sh — memscope list and graph vs go tool pprof -list and -dot on
# one large Go heap profile (400k distinct stacks, generated once by
# tools/bench/genheap, as top.sh uses), in one run: median wall time of RUNS
# runs each, peak RSS, and the ratios. Both outputs are compared first (the
# benchmark is void if they differ).
#   tools/bench/listgraph.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
prof=$(big_profile big400k 400000 1)
re='main\.f0[0-3]$'
echo "profile: $prof ($(du -k "$prof" | cut -f1) KB gzip); list regex: $re"
"$MS" list "$re" "$prof" >"$BENCH_TMP/ms.list"
go tool pprof -list "$re" "$prof" >"$BENCH_TMP/pp.list" 2>/dev/null
cmp -s "$BENCH_TMP/ms.list" "$BENCH_TMP/pp.list" || echo "WARNING: list output differs from pprof's"
"$MS" graph --dot "$BENCH_TMP/ms.dot" "$prof"
go tool pprof -dot "$prof" >"$BENCH_TMP/pp.dot" 2>/dev/null
cmp -s "$BENCH_TMP/ms.dot" "$BENCH_TMP/pp.dot" || echo "WARNING: graph --dot output differs from pprof -dot's"
set -- $(median_of "$runs" "$MS" list "$re" "$prof"); ml_t=$1 ml_rss=$2
set -- $(median_of "$runs" go tool pprof -list "$re" "$prof"); pl_t=$1 pl_rss=$2
set -- $(median_of "$runs" "$MS" graph --dot "$BENCH_TMP/g.dot" "$prof"); mg_t=$1 mg_rss=$2
set -- $(median_of "$runs" go tool pprof -dot "$prof"); pg_t=$1 pg_rss=$2
printf '%-28s %8s s %10s KB\n' "memscope list" "$ml_t" "$ml_rss" "go tool pprof -list" "$pl_t" "$pl_rss" \
	"memscope graph --dot" "$mg_t" "$mg_rss" "go tool pprof -dot" "$pg_t" "$pg_rss"
echo "list:  speed-up vs pprof: $(ratio "$pl_t" "$ml_t")x   peak RSS: 1/$(ratio "$pl_rss" "$ml_rss") of pprof"
echo "graph: speed-up vs pprof: $(ratio "$pg_t" "$mg_t")x   peak RSS: 1/$(ratio "$pg_rss" "$mg_rss") of pprof"
