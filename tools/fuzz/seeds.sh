#!/bin/sh
# seeds.sh TARGET DIR — copies the seeds a fuzz target names ("seeds: GLOB
# ..." in tools/fuzz/fuzz_TARGET.c, paths from the source tree's top, the
# current directory) into DIR; a compressed seed also goes in raw, so
# mutations reach the parser. Used by run.sh and speed.sh.
for s in $(sed -n 's/.*seeds: //p' "tools/fuzz/fuzz_$1.c"); do
	for f in $s; do
		[ -f "$f" ] || continue
		cp "$f" "$2/"
		case $f in *.gz) gzip -dc "$f" >"$2/$(basename "$f" .gz).raw" 2>/dev/null || true ;; esac
	done
done
