#!/bin/sh
# leakcheck.sh — `memscope run --leak-check` on tests/rt/leakcheck.c, whose
# every leak and every still-reachable block is known (see its header):
#   - the exit status passes through; leaks.PID.pb.gz and .txt are written;
#   - leaked bytes and blocks per function, direct vs indirect, and the
#     reachable blocks (globals in .data/.bss, interior pointers, chains,
#     the main thread's TLS, a live thread's stack and TLS) are exact;
#   - LeakSanitizer (clang -fsanitize=leak, when it builds) finds the same
#     bytes in the same number of blocks on the same source, except the
#     block only the program's own mmap'ed page points to (LSan does not
#     scan such memory; memscope, like valgrind, does);
#   - valgrind's memcheck agrees on the direct (definitely lost) and
#     indirect (indirectly lost) bytes and blocks;
#   - `memscope leaks` reads the report, --fail-on-leak/--min-leak gate on
#     it, and beside a series of snapshots it confirms the dropped-block
#     suspect and not the reachable one;
#   - --rate other than 1 with --leak-check is a usage error.
# Prints a line per case and, last, "N passed, N failed".
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
: "${srcdir:=.}"
build=$(cd "$(dirname "$MEMSCOPE")" && pwd)
prog=$build/tests/rt/leakcheck
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { # title, expected, actual
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"; fi
}

[ -x "$prog" ] || { echo "no $prog"; exit 99; }
command -v jq >/dev/null 2>&1 || { echo "jq is not installed (tools/deps.sh installs it)"; exit 77; }

# ---- the run ----------------------------------------------------------------
"$MEMSCOPE" run -o "$tmp/r" --leak-check -- "$prog" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "the program's exit status passes through" 7 "$rc"
check "the program's stdout is its own" "leakcheck: done" "$(cat "$tmp/out")"
report=$(ls "$tmp"/r/leaks.*.pb.gz 2>/dev/null | head -1)
txt=${report%.pb.gz}.txt
if [ -n "$report" ] && [ -s "$txt" ]; then ok "leaks.PID.pb.gz and leaks.PID.txt are written"; else
	bad "no leak report in $tmp/r"; cat "$tmp/err"; fi
if grep -q "^Direct leak of 1,000 bytes in 1 block, allocated from:" "$tmp/err" &&
	grep -q "#0 leak_direct .*tests/rt/leakcheck.c:[0-9]" "$tmp/err" &&
	grep -q "^Direct leak of 1,000 bytes in 1 block" "$txt"; then
	ok "the report is printed and saved, with symbolized file:line stacks"
else
	bad "report text"; head -20 "$tmp/err"
fi

"$MEMSCOPE" leaks --json "$report" >"$tmp/json" 2>"$tmp/jerr"
check "memscope leaks reads the report" 0 "$?"
sums() { # kind filter → "site objects bytes" per site, sorted
	jq -r ".leak_checks[0].$1 | group_by(.site) | map(\"\(.[0].site) \(map(.objects) | add) \(map(.bytes) | add)\") | .[]" \
		"$tmp/json" | sort
}
check "leaked blocks per function" "$(printf '%s\n' 'leak_cycle 2 128' 'leak_direct 1 1000' 'leak_end_pointer 1 500' \
	'leak_list 5 240' 'leak_owner_freed 1 300' 'leaker 2 700' | sort)" "$(sums leaks)"
check "totals: 2868 bytes in 12 blocks, 7 direct and 5 indirect (none from ld.so)" "2868 12 7 5" \
	"$(jq -r '.leak_checks[0] | "\(.leaked_bytes) \(.leaked_objects) \(.direct_objects) \(.indirect_objects)"' "$tmp/json")"
check "direct vs indirect: a list's head is direct, the rest indirect; a cycle gets one direct block" \
	"leak_cycle direct 1|leak_cycle indirect 1|leak_list direct 1|leak_list indirect 4" \
	"$(jq -r '.leak_checks[0].leaks[] | select(.site == "leak_list" or .site == "leak_cycle") | "\(.site) \(.kind) \(.objects)"' \
		"$tmp/json" | sort | paste -sd '|')"
check "reachable: .data, .bss, interior pointer, chain, main TLS, live thread's stack and TLS, the program's mmap" \
	"$(printf '%s\n' 'kept_bss 1 2000' 'kept_by_thread 1 2500' 'kept_chain 3 6900' 'kept_data 1 2100' 'kept_in_mmap 1 2700' \
		'kept_interior 1 2200' 'kept_thread_tls 1 2600' 'kept_tls 1 2400' | sort)" \
	"$(sums reachable | grep '^kept_')"
check "a freed block is in neither list" "" "$(jq -r '.. | .site? // empty' "$tmp/json" | grep -x freed_block)"

# ---- LeakSanitizer on the same source -------------------------------------------
if clang -g -O1 -fno-omit-frame-pointer -fsanitize=leak -pthread "$srcdir/tests/rt/leakcheck.c" -o "$tmp/lsan" 2>/dev/null; then
	# LSan names functions only through llvm-symbolizer: Debian's llvm-14
	# has it as llvm-symbolizer-14 (the unversioned name is package llvm's)
	sym=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || echo /usr/lib/llvm-14/bin/llvm-symbolizer)
	ASAN_SYMBOLIZER_PATH=$sym LSAN_SYMBOLIZER_PATH=$sym "$tmp/lsan" >/dev/null 2>"$tmp/lsan.err"
	lsan=$(sed -n 's/^SUMMARY: LeakSanitizer: \([0-9]*\) byte(s) leaked in \([0-9]*\) allocation(s)./\1 \2/p' "$tmp/lsan.err")
	# LSan does not scan the program's own mappings: kept_in_mmap is its one extra "leak"
	check "LeakSanitizer finds the same bytes in the same blocks, plus kept_in_mmap's 2700 in 1" "$lsan" \
		"$(jq -r '.leak_checks[0] | "\(.leaked_bytes + 2700) \(.leaked_objects + 1)"' "$tmp/json")"
	if grep -q "in kept_in_mmap" "$tmp/lsan.err"; then ok "LeakSanitizer's extra leak is kept_in_mmap"; else
		bad "LeakSanitizer's extra leak"; grep -A3 "leak of" "$tmp/lsan.err" | head -20; fi
else
	echo "ok - LeakSanitizer comparison # SKIP clang -fsanitize=leak does not build here"
fi

# ---- valgrind's memcheck on the same binary -------------------------------------------
if command -v valgrind >/dev/null 2>&1 && [ "${MS_SANITIZERS:-no}" = no ]; then
	valgrind --leak-check=full "$prog" >/dev/null 2>"$tmp/vg.err"
	vg=$(awk '/definitely lost:|indirectly lost:/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i == "bytes") printf "%s %s ", $(i-1), $(i+2) }' "$tmp/vg.err")
	check "valgrind's definitely/indirectly lost are memscope's direct/indirect leaks" "$vg" \
		"$(jq -r '.leak_checks[0].leaks | "\(map(select(.kind == "direct") | .bytes) | add) \(map(select(.kind == "direct") | .objects) | add) \(map(select(.kind == "indirect") | .bytes) | add) \(map(select(.kind == "indirect") | .objects) | add) "' "$tmp/json")"
else
	echo "ok - valgrind comparison # SKIP no valgrind (or a sanitizer build)"
fi

# ---- gates ---------------------------------------------------------------------------
"$MEMSCOPE" leaks --fail-on-leak "$report" >/dev/null 2>&1
check "--fail-on-leak exits 1 on leaked bytes" 1 "$?"
"$MEMSCOPE" leaks --fail-on-leak --min-leak 2869 "$report" >/dev/null 2>&1
check "--min-leak above the leaked bytes does not trip" 0 "$?"
"$MEMSCOPE" leaks --fail-on-leak --min-leak 2868 "$report" >/dev/null 2>&1
check "--min-leak equal to the leaked bytes trips" 1 "$?"

# ---- beside a series: the leak check confirms one suspect, not the other -----------
"$MEMSCOPE" run -o "$tmp/g" --leak-check --interval 256K -- "$prog" grow >/dev/null 2>"$tmp/gerr"
greport=$(ls "$tmp"/g/leaks.*.pb.gz 2>/dev/null | head -1)
nsnap=$(ls "$tmp"/g/heap.*.pb.gz 2>/dev/null | wc -l)
if [ -n "$greport" ] && [ "$nsnap" -ge 3 ]; then ok "a series of $nsnap snapshots and a leak check"; else
	bad "grow run: $nsnap snapshots"; cat "$tmp/gerr"; fi
# shellcheck disable=SC2046
"$MEMSCOPE" leaks --json $(ls "$tmp"/g/heap.*.pb.gz) "$greport" >"$tmp/gjson" 2>"$tmp/gjerr"
check "suspects with what the leak check found at their site" "grow_kept 0|grow_leak 2621440" \
	"$(jq -r '.suspects[] | "\(.name) \(.confirmed_leak_bytes)"' "$tmp/gjson" | sort | paste -sd '|')"
# shellcheck disable=SC2046
"$MEMSCOPE" leaks $(ls "$tmp"/g/heap.*.pb.gz) "$greport" >"$tmp/gtext" 2>&1
if grep -q "confirmed by the leak check: 2,621,440 bytes leaked at exit" "$tmp/gtext" &&
	grep -q "not confirmed by the leak check" "$tmp/gtext"; then ok "the text report says which suspect is confirmed"; else
	bad "series text"; cat "$tmp/gtext"; fi

# ---- many threads: every live thread's stack is a root ------------------------------
"$MEMSCOPE" run -o "$tmp/t" --leak-check -- "$prog" threads 300 >/dev/null 2>"$tmp/terr"
treport=$(ls "$tmp"/t/leaks.*.pb.gz 2>/dev/null | head -1)
"$MEMSCOPE" leaks --json "$treport" >"$tmp/tjson" 2>>"$tmp/terr"
check "300 live threads each holding a block on its stack: 300 reachable, nothing leaked" "0 300" \
	"$(jq -r '.leak_checks[0] as $c | "\($c.leaked_objects) \([$c.reachable[] | select(.site == "kept_by_many") | .objects] | add)"' \
		"$tmp/tjson" 2>/dev/null)"

# ---- usage ----------------------------------------------------------------------------
"$MEMSCOPE" run --leak-check --rate 512K -- true 2>"$tmp/uerr"
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <"$tmp/uerr")" = 1 ]; then ok "--leak-check with --rate 512K is a usage error"; else
	bad "--leak-check --rate ($rc)"; cat "$tmp/uerr"; fi
one=$(ls "$tmp"/g/heap.*.pb.gz | head -1)
"$MEMSCOPE" leaks "$one" "$greport" 2>"$tmp/uerr" >/dev/null
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <"$tmp/uerr")" = 1 ]; then ok "one snapshot beside a report is a usage error"; else
	bad "one snapshot ($rc)"; cat "$tmp/uerr"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
