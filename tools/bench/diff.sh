#!/bin/sh
# diff.sh — memscope diff vs go tool pprof -top -diff_base on two large Go
# heap profiles (400k distinct stacks each, generated once by genheap with
# different seeds; the new one keeps 64 MiB more), in one run: median wall
# time of RUNS runs each, peak RSS, ratios.
#   tools/bench/diff.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-3}
base=$(big_profile big400k 400000 1)
new=$(big_profile big400k-grow 400000 2 1024)
set -- $(median_of "$runs" "$MS" diff --fail-on inuse_space:+1000% "$base" "$new"); ms_t=$1 ms_rss=$2
set -- $(median_of "$runs" go tool pprof -top -diff_base "$base" "$new"); pp_t=$1 pp_rss=$2
set -- $(median_of "$runs" "$MS" top --diff-base "$base" "$new"); mt_t=$1 mt_rss=$2
printf '%-34s %8s s %10s KB\n' "memscope diff" "$ms_t" "$ms_rss" "memscope top --diff-base" "$mt_t" "$mt_rss" \
	"go tool pprof -top -diff_base" "$pp_t" "$pp_rss"
echo "memscope diff: $(ratio "$pp_t" "$ms_t")x faster, peak RSS 1/$(ratio "$pp_rss" "$ms_rss") of pprof"
echo "memscope top --diff-base: $(ratio "$pp_t" "$mt_t")x faster, peak RSS 1/$(ratio "$pp_rss" "$mt_rss") of pprof"
