#!/bin/sh
# frag.sh — `memscope frag` on heap dumps of tests/frag/fragprog written
# just now by `memscope run --heap-dump` (the runtime as built):
#   - scattered frees of 100-byte objects (every 20th kept) → sparse_spans
#     for exactly the 112-byte class, and no other class;
#   - the same program keeping everything → no sparse_spans;
#   - 17-byte objects at --rate 1 → rounding_waste for the 32-byte class,
#     exactly 15 B · 200000 of rounding, suggested size 16;
#   - 64 MiB of buffers freed with a retention budget that keeps them
#     (MSRT_SCAVENGE_RETAIN=10000): dumped at once → idle_not_released;
#     dumped after the scavenger's window (MSRT_SCAVENGE_DELAY=1, 3 s) →
#     no idle_not_released and no resident free page;
#   - the dump's own invariants (version 2, occupancy histograms add up);
#   - 100000 free runs (8 GB of untouched 40 KiB blocks, every other one
#     freed): the whole dump is written and read;
#   - valgrind on frag's reader and renderers (not in sanitizer builds).
# Prints a line per case and, last, "N passed, N failed".
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
build=$(cd "$(dirname "$MEMSCOPE")" && pwd)
prog=$build/tests/frag/fragprog
top=${srcdir:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 77; }
[ -x "$prog" ] || { echo "no $prog"; exit 99; }

# run NAME [ENV...] -- ARGS: runs fragprog under memscope run, leaves
# $tmp/NAME.json (the frag --json report) and $tmp/NAME.dump
run() {
	name=$1; shift
	envs=""
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	rm -rf "$tmp/r"
	# shellcheck disable=SC2086
	env $envs "$MEMSCOPE" run -o "$tmp/r" --heap-dump "$@" >/dev/null 2>"$tmp/err"
	cp "$(ls "$tmp"/r/heapdump.*.json | tail -1)" "$tmp/$name.dump" 2>/dev/null
	"$MEMSCOPE" frag --json "$tmp/$name.dump" >"$tmp/$name.json" 2>>"$tmp/err"
}
# check TITLE NAME PYTHON: the python expression sees r (the report) and
# d (the dump); true passes
check() {
	if python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
f = lambda k: [x for x in r["findings"] if x["kind"] == k]
cls = lambda size: [c for c in r["size_classes"] if c["size"] == size][0]
ok = eval(sys.argv[3])
if not ok:
    print("  findings:", [(x["kind"], x.get("size_class_bytes")) for x in r["findings"]])
sys.exit(0 if ok else 1)' "$tmp/$2.json" "$tmp/$2.dump" "$3"; then ok "$1"; else bad "$1"; cat "$tmp/err"; fi
}

run sparse -- "$prog" sparse 200000 100 20
check "scattered frees: sparse_spans for the 112-byte class only" sparse \
	'[x["size_class_bytes"] for x in f("sparse_spans")] == [112] and f("sparse_spans")[0]["live_objects"] == 10000'
check "scattered frees: 2741 spans of 73 slots, 5% occupied, almost all under 30%" sparse \
	'cls(112)["spans"] == 2741 and cls(112)["slots"] == 2741 * 73 and abs(cls(112)["occupancy"] - 10000 / 200093) < 1e-6 and cls(112)["sparse_spans"] >= 2700'
check "the dump's occupancy histograms add up to the spans" sparse \
	'd["version"] == 2 and all(sum(c["span_occupancy"]) == c["spans"] for c in d["size_classes"]) and d["totals"]["rss"] > 0'

run keep -- "$prog" keep 200000 100
check "everything kept: no sparse_spans, the class is full" keep \
	'f("sparse_spans") == [] and cls(112)["occupancy"] > 0.99 and cls(112)["live_objects"] == 200000'

run round17 -- --rate 1 -- "$prog" keep 200000 17
check "17-byte objects: rounding_waste in the 32-byte class, 3000000 B, suggest 16" round17 \
	'[(x["size_class_bytes"], x["rounding_bytes"], x["suggested_size"]) for x in f("rounding_waste")] == [(32, 3000000, 16)]'
check "17-byte objects at rate 1: requested bytes exact" round17 'cls(32)["requested_bytes"] == 17 * 200000'

# "now": a window far longer than the run, however slow a loaded machine makes
# it (with a 1 s window, a loaded ASan run released the first buffers before
# the exit dump)
run bigfree-now MSRT_SCAVENGE_RETAIN=10000 MSRT_SCAVENGE_DELAY=600 -- "$prog" bigfree 8 8 0
check "buffers just freed, inside the retention window: idle_not_released" bigfree-now \
	'len(f("idle_not_released")) == 1 and f("idle_not_released")[0]["idle_unreleased_bytes"] >= 60 << 20'
run bigfree-later MSRT_SCAVENGE_RETAIN=10000 MSRT_SCAVENGE_DELAY=1 -- "$prog" bigfree 8 8 3000
check "buffers freed and released after the scavenger's window: no idle_not_released" bigfree-later \
	'f("idle_not_released") == [] and r["totals"]["idle_unreleased"] < 1 << 20 and r["totals"]["heap_released"] >= 64 << 20'
run bigfree-off MSRT_SCAVENGE=0 -- "$prog" bigfree 8 8 1500
check "scavenger off: idle_not_released says so" bigfree-off \
	'"MSRT_SCAVENGE=0" in f("idle_not_released")[0]["hint"]'

run holes -- "$prog" holes 2000 40
check "every other 40 KiB block freed: page_heap_fragmented, 1000 runs of 5 pages" holes \
	'len(f("page_heap_fragmented")) == 1 and r["page_heap"]["free_runs"] >= 990 and r["page_heap"]["small_run_pages"] >= 4950'
# (1000 holes; where the page heap put a block is not fixed — a hole next to
# the free tail or to another free run merges with it — so a few may merge)

run many-runs -- "$prog" holes 200000 40 0
check "a dump of 100000 free runs is written whole and read (the runtime's buffer once overflowed here)" many-runs \
	'len(d["free_runs"]) >= 99990 and len(d["free_runs"]) == d["free_runs_total"] and r["page_heap"]["free_runs_listed"] == len(d["free_runs"]) and len(f("page_heap_fragmented")) == 1'

# ---- valgrind on the reader and renderers ------------------------------------------
if command -v valgrind >/dev/null 2>&1 && [ "${MS_SANITIZERS:-no}" != yes ]; then
	for args in "$top/testdata/frag/sparse.json" "--json $top/testdata/frag/holes.json" \
		"--svg $tmp/x.svg $top/testdata/frag/round17.json" "$top/testdata/frag/go-memstats.json" \
		"$top/testdata/frag/bad/truncated.json" "$top/testdata/go1.19/heap.4.pb.gz"; do
		# shellcheck disable=SC2086
		if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
			"$MEMSCOPE" frag $args >/dev/null 2>"$tmp/vg"; then rc=0; else rc=$?; fi
		if [ "$rc" = 99 ] || grep -q "==[0-9]*==" "$tmp/vg"; then bad "valgrind: frag $args"; head -20 "$tmp/vg"; else
			ok "valgrind: frag $args"; fi
	done
else
	skip=$((skip + 1)); echo "ok - valgrind # SKIP no valgrind or sanitizer build"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
