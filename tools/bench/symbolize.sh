#!/bin/sh
# symbolize.sh — benchmark of `memscope symbolize` against binutils'
# `addr2line -i -f` on the same addresses, in one run. For each binary and
# address set it makes an unsymbolized profile (tools/bench/addr-profile),
# then times `memscope symbolize PROFILE -o OUT` (read + symbolize + write
# gzip pprof), the library alone doing addr2line's work (addr-profile
# --lookup: addresses in, frames printed) and `addr2line -i -f -e BIN <
# ADDRS`, over RUNS runs, and prints medians, the ratios addr2line/memscope
# (above 1: memscope is faster) and peak RSS.
#
#   tools/bench/symbolize.sh BUILD-DIR [RUNS]      (from the source tree's top)
#
# Binaries: the memscope executable of BUILD-DIR (plain DWARF, built -g -O2)
# and, when its debug file is installed under /usr/lib/debug, libc.so.6
# (zlib-compressed DWARF, found by build-id by both tools). Address sets:
# "dense" = every 4th byte of every function (every CU is parsed), "sparse"
# = 2000 of those, chosen with a fixed seed (a typical profile).
set -eu
build=$1; runs=${2:-5}
ms=$build/memscope; ap=$build/tools/bench/addr-profile
[ -x "$ap" ] || make -C "$build" tools/bench/addr-profile >/dev/null
command -v addr2line >/dev/null || { echo "addr2line not found (binutils)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
yes | head -c 1000000 > "$tmp/seed"

# addresses of every STEP-th byte of every function symbol (nm -S)
addresses() { # BIN NMFLAGS STEP
	nm $2 -S --defined-only "$1" | while read -r a s t n; do
		case $t in t|T|W|i) ;; *) continue ;; esac
		i=0; end=$((0x$s))
		while [ $i -lt $end ]; do printf '%#x\n' $((0x$a + i)); i=$((i + $3)); done
	done
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# TIME-SECONDS and PEAK-KB of one command (stdin from $3)
measure() { # OUTFILE CMD...
	out=$1; shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || { cat "$tmp/stderr"; exit 1; }
	cat "$tmp/time" >> "$out"
}

bench() { # NAME BIN ADDRS
	name=$1 bin=$2 addrs=$3
	n=$(wc -l < "$addrs")
	"$ap" --binary "$bin" "$tmp/p.pb.gz" < "$addrs"
	: > "$tmp/ms"; : > "$tmp/lib"; : > "$tmp/a2l"
	r=0
	while [ $r -lt "$runs" ]; do
		measure "$tmp/ms" "$ms" symbolize -q "$tmp/p.pb.gz" -o "$tmp/out.pb.gz"
		measure "$tmp/lib" sh -c "'$ap' --lookup '$bin' < '$addrs'"
		measure "$tmp/a2l" sh -c "addr2line -i -f -e '$bin' < '$addrs'"
		r=$((r + 1))
	done
	mt=$(cut -d' ' -f1 "$tmp/ms" | median); mr=$(cut -d' ' -f2 "$tmp/ms" | median)
	lt=$(cut -d' ' -f1 "$tmp/lib" | median)
	at=$(cut -d' ' -f1 "$tmp/a2l" | median); ar=$(cut -d' ' -f2 "$tmp/a2l" | median)
	resolved=$("$ms" symbolize "$tmp/p.pb.gz" -o "$tmp/out.pb.gz" | sed 's/.*: \([0-9]*\) of.*/\1/')
	awk -v c="$name" -v n="$n" -v r="$resolved" -v mt="$mt" -v lt="$lt" -v at="$at" -v mr="$mr" -v ar="$ar" 'BEGIN {
		printf "%-16s %7d %8d %8.2f %8.2f %9.2f %7.2fx %7.2fx %8d %8d\n", c, n, r, mt, lt, at,
			(mt > 0 ? at / mt : 0), (lt > 0 ? at / lt : 0), mr, ar }'
}

printf '%-16s %7s %8s %8s %8s %9s %8s %8s %8s %8s\n' case addrs resolved symbolize lookup addr2line ratio-sym ratio-lk sym-KB a2l-KB
for target in memscope libc; do
	case $target in
	memscope) bin=$(cd "$build" && pwd)/memscope; nmflags= ;;
	libc)
		bin=/lib/x86_64-linux-gnu/libc.so.6
		id=$(readelf -n "$bin" 2>/dev/null | sed -n 's/.*Build ID: //p')
		[ -n "$id" ] && [ -f "/usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug" ] ||
			{ echo "libc: no debug file under /usr/lib/debug (Debian: libc6-dbg), skipped"; continue; }
		nmflags=-D ;;
	esac
	addresses "$bin" "$nmflags" 4 > "$tmp/dense"
	shuf -n 2000 --random-source="$tmp/seed" "$tmp/dense" > "$tmp/sparse"
	bench "$target dense" "$bin" "$tmp/dense"
	bench "$target sparse" "$bin" "$tmp/sparse"
done
echo "times: median seconds of $runs runs. symbolize = memscope symbolize (read profile, symbolize, write gzip pprof);"
echo "lookup = the library doing addr2line's job; ratio-* = addr2line time / memscope time (above 1: memscope faster)"
