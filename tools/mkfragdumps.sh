#!/bin/sh
# mkfragdumps.sh BUILD_DIR [V1_LIBMSRT] — regenerates the heap dumps in
# testdata/frag/ by running tests/frag/fragprog (built in BUILD_DIR) under
# `memscope run --heap-dump`. With V1_LIBMSRT (a libmsrt.so from before
# heap dump version 2, e.g. a build of commit 57a130d), also writes the
# version-1 dump. The Go MemStats snapshot comes from tools/memstatsgen.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
out=$top/testdata/frag
prog=$build/tests/frag/fragprog
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dump() { # name env... -- args
	name=$1; shift
	rm -rf "$tmp/r"
	env "$@" 2>/dev/null || true
	f=$(ls "$tmp"/r/heapdump.*.json | tail -1)
	# the pid and times are the run's; keep them (they are real)
	cp "$f" "$out/$name.json"
	echo "$name.json: $(wc -c <"$out/$name.json") bytes"
}
ms="$build/memscope run -o $tmp/r --heap-dump"
dump sparse $ms -- "$prog" sparse 200000 100 20
dump keep $ms -- "$prog" keep 200000 100
dump round17 $ms --rate 1 -- "$prog" keep 200000 17
dump holes $ms -- "$prog" holes 2000 40
dump noscav MSRT_SCAVENGE=0 $ms -- "$prog" bigfree 8 8 1500
dump scavenged MSRT_SCAVENGE_RETAIN=10000 MSRT_SCAVENGE_DELAY=1 $ms -- "$prog" bigfree 8 8 3000
if [ $# -ge 2 ]; then
	dump sparse-v1 MEMSCOPE_MSRT="$2" $ms -- "$prog" sparse 200000 100 20
fi
if command -v go >/dev/null 2>&1; then
	(cd "$top" && go run tools/memstatsgen/main.go >"$out/go-memstats.json")
	echo "go-memstats.json: $(wc -c <"$out/go-memstats.json") bytes"
fi
