#!/bin/sh
# run.sh BUILD_DIR SECONDS [TARGET...] — builds every libFuzzer target
# tools/fuzz/fuzz_*.c with clang (ASan + UBSan) against the library sources
# and runs each for SECONDS on its seed corpus. A target's seeds are named in
# its file by a line "seeds: GLOB ..." (paths from the source tree's top);
# a line "max_len: N" caps the input size (default 1 MiB), e.g. for text
# formats whose seeds are large, so mutations run fast.
# Crashes are saved in BUILD_DIR/fuzz/<target>/ and fail the run.
# Prints "fuzz: N passed, N failed" last (also written to BUILD_DIR/fuzz.log).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
secs=$2
shift 2
cd "$top"
log="$build/fuzz.log"
: >"$log"
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang not found, skipping" | tee -a "$log"
	exit 0
fi
targets=${*:-$(ls tools/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')}
srcs=$(ls src/util/*.c src/profile/*.c src/analysis/*.c src/render/*.c 2>/dev/null)
for d in src/gctrace src/symbolize; do
	[ -d "$d" ] && srcs="$srcs $(ls $d/*.c 2>/dev/null)"
done
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE
-I$top/src -I$build -I$build/proto $(pkg-config --cflags jansson libprotobuf-c zlib)"
libs="$(pkg-config --libs jansson libprotobuf-c zlib) -ldwarf -lelf -liberty -lm -lpthread"
libs="$libs $(pkg-config --libs libcurl)" # src/util/http.c (URL sources)
# optional libraries configure found: link what config.h turned on
if grep -q '^#define HAVE_GRAPHVIZ 1' "$build/config.h" 2>/dev/null; then
	libs="$libs $(pkg-config --libs libgvc)" # src/render/dot.c (graph --svg)
fi
pass=0 fail=0
mkdir -p "$build/fuzz"
for t in $targets; do
	out="$build/fuzz/$t"
	mkdir -p "$out/corpus" "$out/crashes"
	# shellcheck disable=SC2086
	if ! clang $flags -o "$out/fuzz_$t" "tools/fuzz/fuzz_$t.c" $srcs "$build/proto/profile.pb-c.c" $libs \
		2>"$out/build.log"; then
		echo "fuzz $t: build failed"; tail -20 "$out/build.log"; fail=$((fail + 1)); continue
	fi
	sh tools/fuzz/seeds.sh "$t" "$out/corpus"
	maxlen=$(sed -n 's/.*max_len: \([0-9]*\).*/\1/p' "tools/fuzz/fuzz_$t.c" | head -1)
	if "$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="${maxlen:-1048576}" \
		-artifact_prefix="$out/crashes/" -print_final_stats=1 "$out/corpus" >"$out/run.log" 2>&1; then
		echo "fuzz $t: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/run.log" | grep -o '[0-9]*$') runs)"
		pass=$((pass + 1))
	else
		echo "fuzz $t: FAILED (see $out/run.log)"; grep -A15 "ERROR:" "$out/run.log" | head -30
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed" | tee -a "$log"
[ "$fail" = 0 ]
