#!/bin/sh
# flame.sh — memscope flame benchmarks, in one run:
#  1. collapse a >= 40 MB `perf script` text (recorded once from
#     tools/bench/perfwork with `perf record -F 999 -g -e cpu-clock`, cached
#     in build/bench) into folded stacks: median time, MB/s, peak RSS, side
#     by side with stackcollapse-perf.pl when one is available
#     (STACKCOLLAPSE_PERF=/path/to/stackcollapse-perf.pl, or on PATH; it is
#     not packaged in Debian), else against the published figures (~20 MB/s
#     for the Perl script, 182 MiB/s for inferno on one core);
#  2. the SVG of 100k distinct folded stacks (target < 1 s);
#  3. the SVG of a 400k-stack Go heap profile (tools/bench/genheap): time,
#     size (target: a few MB) and frames drawn.
#   tools/bench/flame.sh [RUNS]
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
runs=${1:-5}

# seconds (3 decimals) of the median wall time of $runs runs of CMD;
# hyperfine when installed (finer than GNU time's centiseconds), else
# lib.sh's median_of. The mean CPU time (user + system) of the runs is left
# in $BENCH_TMP/cpu: on a shared machine it is the fairer "one core" figure.
median_secs() {
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N -s none --runs "$runs" --export-json "$BENCH_TMP/hf.json" "$*" >/dev/null 2>&1 ||
			hyperfine --runs "$runs" --export-json "$BENCH_TMP/hf.json" "$*" >/dev/null
		python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f" % r["median"]); open(sys.argv[2], "w").write("%.3f" % (r["user"] + r["system"]))' \
			"$BENCH_TMP/hf.json" "$BENCH_TMP/cpu"
	else
		median_of "$runs" "$@" | cut -d' ' -f1
		echo "n/a" >"$BENCH_TMP/cpu"
	fi
}
cpu() { cat "$BENCH_TMP/cpu"; }
peak_rss() { measure "$@" | cut -d' ' -f2; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", b / 1e6 / t; else print "inf" }'; }

# ---- 1. perf script collapse -----------------------------------------------------
perf_txt="$CACHE/perfwork.perf.txt"
if [ ! -s "$perf_txt" ]; then
	command -v perf >/dev/null 2>&1 || { echo "perf is needed to record the input (Debian: linux-perf)" >&2; exit 2; }
	(cd "$BENCH_TMP" && go build -o perfwork "$top/tools/bench/perfwork/main.go") >&2
	secs=12
	for attempt in 1 2; do
		perf record -q -F 999 -g -e cpu-clock -o "$BENCH_TMP/perf.data" -- "$BENCH_TMP/perfwork" -seconds "$secs" >&2
		perf script -i "$BENCH_TMP/perf.data" >"$perf_txt.tmp" 2>/dev/null
		size=$(wc -c <"$perf_txt.tmp")
		[ "$size" -ge 40000000 ] && break
		secs=$(awk -v s="$secs" -v n="$size" 'BEGIN { printf "%d", s * 44e6 / n + 1 }')
	done
	mv "$perf_txt.tmp" "$perf_txt"
fi
size=$(wc -c <"$perf_txt")
echo "input: $perf_txt ($size bytes, $(grep -c '^perfwork' "$perf_txt") samples)"
ms_t=$(median_secs "$MS" flame -o /dev/null "$perf_txt"); ms_cpu=$(cpu)
ms_rss=$(peak_rss "$MS" flame -o /dev/null "$perf_txt")
printf '%-34s %7s s  %5s MB/s  (CPU %s s: %s MB/s)  %8s KB peak RSS\n' "memscope flame (perf -> folded)" \
	"$ms_t" "$(mbps "$size" "$ms_t")" "$ms_cpu" "$(mbps "$size" "$ms_cpu")" "$ms_rss"
peer=${STACKCOLLAPSE_PERF:-$(command -v stackcollapse-perf.pl || true)}
if [ -n "$peer" ] && [ -f "$peer" ]; then
	pl_t=$(median_secs perl "$peer" "$perf_txt"); pl_cpu=$(cpu)
	pl_rss=$(peak_rss perl "$peer" "$perf_txt")
	printf '%-34s %7s s  %5s MB/s  (CPU %s s: %s MB/s)  %8s KB peak RSS\n' "stackcollapse-perf.pl" \
		"$pl_t" "$(mbps "$size" "$pl_t")" "$pl_cpu" "$(mbps "$size" "$pl_cpu")" "$pl_rss"
	echo "speed-up vs stackcollapse-perf.pl: $(ratio "$pl_t" "$ms_t")x wall, $(ratio "$pl_cpu" "$ms_cpu")x CPU (target >= 10x)"
	perl "$peer" "$perf_txt" | sort >"$BENCH_TMP/peer.folded"
	"$MS" flame "$perf_txt" | sort >"$BENCH_TMP/ms.folded"
	if cmp -s "$BENCH_TMP/peer.folded" "$BENCH_TMP/ms.folded"; then
		echo "outputs: identical (as sorted sets)"
	else
		sed 's/ [0-9]*$//' "$BENCH_TMP/peer.folded" >"$BENCH_TMP/peer.stacks"
		sed 's/ [0-9]*$//' "$BENCH_TMP/ms.folded" >"$BENCH_TMP/ms.stacks"
		if cmp -s "$BENCH_TMP/peer.stacks" "$BENCH_TMP/ms.stacks"; then
			echo "outputs: same stacks, other weights (stackcollapse-perf.pl before 2019 counts samples, not periods)"
		else
			echo "outputs: stacks differ"
		fi
	fi
else
	echo "stackcollapse-perf.pl: not available (set STACKCOLLAPSE_PERF); published: ~20 MB/s (Perl), 182 MiB/s = 191 MB/s (inferno, one core)"
	m=$(mbps "$size" "$ms_cpu")
	echo "speed-up (CPU) vs ~20 MB/s: $(awk -v m="$m" 'BEGIN { printf "%.0f", m / 20 }')x (target >= 10x); vs inferno: $(awk -v m="$m" 'BEGIN { printf "%.2f", m / 190.8 }')x"
fi
gzip -1 -c "$perf_txt" >"$BENCH_TMP/in.gz"
gz_t=$(median_secs "$MS" flame -o /dev/null "$BENCH_TMP/in.gz"); gz_cpu=$(cpu)
printf '%-34s %7s s  %5s MB/s of uncompressed text  (CPU %s s)\n' "memscope flame (gzip input)" "$gz_t" \
	"$(mbps "$size" "$gz_t")" "$gz_cpu"

# ---- 2. SVG of 100k distinct stacks ---------------------------------------------------
awk 'BEGIN { srand(7); for (i = 0; i < 100000; i++) { s = "main"; d = 8 + int(rand() * 24);
	for (k = 0; k < d; k++) s = s ";pkg" int(rand() * 6) ".func" int(rand() * 9);
	print s, 1 + int(rand() * 1000) } }' >"$BENCH_TMP/100k.folded"
distinct=$("$MS" flame "$BENCH_TMP/100k.folded" | wc -l)
svg_t=$(median_secs "$MS" flame --svg "$BENCH_TMP/100k.svg" "$BENCH_TMP/100k.folded"); svg_cpu=$(cpu)
svg_rss=$(peak_rss "$MS" flame --svg "$BENCH_TMP/100k.svg" "$BENCH_TMP/100k.folded")
printf '%-34s %7s s  (CPU %s s)  %8s KB peak RSS  (%s distinct stacks, %s KB SVG, %s frames; target < 1 s)\n' \
	"SVG of 100k stacks" "$svg_t" "$svg_cpu" "$svg_rss" "$distinct" "$(($(wc -c <"$BENCH_TMP/100k.svg") / 1024))" \
	"$(grep -c '^<g><title>' "$BENCH_TMP/100k.svg")"

# ---- 3. SVG of a 400k-stack heap profile ------------------------------------------------
prof=$(big_profile big400k 400000 1)
big_t=$(median_secs "$MS" flame --svg "$BENCH_TMP/big.svg" "$prof"); big_cpu=$(cpu)
big_rss=$(peak_rss "$MS" flame --svg "$BENCH_TMP/big.svg" "$prof")
printf '%-34s %7s s  (CPU %s s)  %8s KB peak RSS  (%s KB SVG, %s frames; target: a few MB)\n' \
	"SVG of the 400k-stack heap profile" "$big_t" "$big_cpu" "$big_rss" "$(($(wc -c <"$BENCH_TMP/big.svg") / 1024))" \
	"$(grep -c '^<g><title>' "$BENCH_TMP/big.svg")"
