#!/bin/sh
# symbolize.sh — builds the symbolizer's libFuzzer target with clang
# (ASan + UBSan) from the sources and runs it for SECONDS (default 120) on a
# seed corpus of real binaries (testdata/symbolize). Crashes are written to
# tools/fuzz/crashes/symbolize/. Usage, from the source tree's top:
#     tools/fuzz/symbolize.sh BUILD-DIR [SECONDS]
set -eu
build=$1; secs=${2:-120}
out=$build/fuzz; corpus=$out/corpus-symbolize; crashes=tools/fuzz/crashes/symbolize
mkdir -p "$out" "$corpus" "$crashes"
cp testdata/symbolize/prog testdata/symbolize/libsym.so testdata/symbolize/prog.stripped "$corpus/" 2>/dev/null || true
find testdata/symbolize/debug -name '*.debug' -exec cp {} "$corpus/" \;
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-D_GNU_SOURCE -Isrc -I"$build" -I/usr/include/libdwarf \
	tools/fuzz/fuzz_symbolize.c src/symbolize/symbolize.c src/symbolize/elfobj.c src/symbolize/dwarfidx.c \
	src/profile/profile.c src/util/diag.c src/util/buf.c src/util/arena.c src/util/strtab.c src/util/pairmap.c \
	-ldwarf -lelf -lz -o "$out/fuzz_symbolize"
"$out/fuzz_symbolize" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
	-artifact_prefix="$crashes/" "$corpus"
