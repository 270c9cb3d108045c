#!/bin/sh
# frag.sh — how fast `memscope frag` reads and diagnoses big heap dumps.
# No peer diagnoses fragmentation, so the reference is the cheapest thing a
# script could do with the same file: python3's json.load of it.
#   1. a program with 1,000,000 live objects (tests/frag/fragprog sparse
#      4000000 48 4: 4M objects of 48 bytes, every 4th kept);
#   2. a page heap cut into 100,000 free runs (fragprog holes 200000 40 0:
#      8 GB of address space, untouched; the dump lists the runtime's
#      maximum of 100000 runs).
# Prints per dump: its size, frag's median time (5 runs) and peak RSS,
# json.load's, and the ratio. Usage: tools/bench/frag.sh (after a build in
# build/, or MEMSCOPE=path/to/memscope).
set -eu
. "$(dirname "$0")/lib.sh"
bench_init
prog=$BENCH_TMP/fragprog
cc -O2 -o "$prog" "$top/tests/frag/fragprog.c"
dump() { # NAME ARGS...
	name=$1; shift
	rm -rf "$BENCH_TMP/r"
	"$MS" run -o "$BENCH_TMP/r" --heap-dump -- "$prog" "$@" >/dev/null 2>&1
	cp "$(ls "$BENCH_TMP"/r/heapdump.*.json | tail -1)" "$CACHE/frag-$name.json"
	echo "$CACHE/frag-$name.json"
}
printf "%-28s %10s %12s %10s %14s %10s %7s\n" dump bytes "frag s" "frag KB" "json.load s" "py KB" ratio
for spec in "1M-live:sparse 4000000 48 4" "100k-runs:holes 200000 40 0"; do
	name=${spec%%:*}
	# shellcheck disable=SC2086
	f=$(dump "$name" ${spec#*:})
	live=$("$MS" frag --json "$f" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["totals"]["objects"])')
	set -- $(median_of 5 "$MS" frag "$f")
	ft=$1 fm=$2
	[ "$ft" = 0.00 ] && ft="<0.01"
	set -- $(median_of 5 python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f")
	pt=$1 pm=$2
	printf "%-28s %10s %12s %10s %14s %10s %7s\n" "$name ($live objects)" "$(wc -c <"$f")" "$ft" "$fm" "$pt" "$pm" \
		"$(case $ft in "<"*) echo ">$(ratio "$pt" 0.01)" ;; *) ratio "$pt" "$ft" ;; esac)x"
done
