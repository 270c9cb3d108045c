#!/bin/sh
# top.sh — memscope top vs go tool pprof -top on one large Go heap profile
# (400k distinct stacks, generated once by tools/bench/genheap), in one run:
# median wall time of RUNS runs each, peak RSS, and the ratios; plus the
# decompression floor (gzip -dc) the goal is measured against.
#   tools/bench/top.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
prof=$(big_profile big400k 400000 1)
echo "profile: $prof ($(du -k "$prof" | cut -f1) KB gzip, $(gzip -dc "$prof" | wc -c) bytes raw)"
set -- $(median_of "$runs" "$MS" top "$prof"); ms_t=$1 ms_rss=$2
set -- $(median_of "$runs" go tool pprof -top "$prof"); pp_t=$1 pp_rss=$2
set -- $(median_of "$runs" gzip -dc "$prof"); gz_t=$1
printf '%-28s %8s s %10s KB\n' "memscope top" "$ms_t" "$ms_rss" "go tool pprof -top" "$pp_t" "$pp_rss"
printf '%-28s %8s s\n' "gzip -dc (floor)" "$gz_t"
echo "speed-up vs pprof: $(ratio "$pp_t" "$ms_t")x   peak RSS: 1/$(ratio "$pp_rss" "$ms_rss") of pprof   vs floor: $(ratio "$ms_t" "$gz_t")x"
