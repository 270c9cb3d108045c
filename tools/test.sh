#!/bin/sh
# test.sh — set-up command 2: installs what is missing, builds, and runs
# every test: `make check` (Check suites + command-line cases), the same
# suites again under AddressSanitizer/UBSan, a clang -Werror build of the
# tree and its tests, and a bounded libFuzzer run of every parser. Ends with one line "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/deps.sh || exit 2
status=0
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT

run_suite() { # dir, configure args...
	dir=$1; shift
	echo "== make check in $dir $*"
	tools/build.sh "$dir" "$@" || { echo "build failed in $dir"; status=1; return; }
	if ! make -s -C "$dir" -j"$(nproc)" check >"$dir/check.out" 2>&1; then
		status=1
		cat "$dir/check.out"
		# The failing tests' own logs, kept for the end of the output
		# (CI shows its tail): the Check suites print "file:line:F:case:..."
		for f in $(find "$dir/tests" -name '*.trs' 2>/dev/null); do
			grep -q "^:test-result: \(FAIL\|ERROR\)" "$f" || continue
			{ echo "--- ${f%.trs}.log"; grep -E ":[EF]:|FAIL|Error|error|fail" "${f%.trs}.log" | head -30
			  echo "  (last lines)"; tail -15 "${f%.trs}.log"; } >>"$failures"
		done
	fi
	# every case is a line (the TAP driver): show all but the passes, then the totals
	grep -E "^(FAIL|ERROR|SKIP|XFAIL|XPASS):|^# (TOTAL|PASS|SKIP|FAIL|ERROR):" "$dir/check.out" || true
}

run_suite build
run_suite build-asan --enable-sanitizers
# warning-free with clang as well as gcc: the tree and every test program
# compile under clang with -Werror (nothing runs again: the suites above
# ran the code)
if command -v clang >/dev/null 2>&1; then
	echo "== clang -Werror build of the tree and its tests in build-clang"
	mkdir -p build-clang
	if tools/build.sh build-clang CC=clang >build-clang/clang.log 2>&1 &&
		make -s -C build-clang -j"$(nproc)" check TESTS= >>build-clang/clang.log 2>&1; then
		echo "clang build: ok"
	else
		status=1
		{ echo "--- build-clang/clang.log"; grep -E "warning:|error:" build-clang/clang.log | head -30; } >>"$failures"
		echo "clang build: FAILED (build-clang/clang.log)"
	fi
fi
if [ "${MEMSCOPE_FUZZ_SECONDS:-30}" != 0 ]; then
	echo "== fuzzing each parser for ${MEMSCOPE_FUZZ_SECONDS:-30}s"
	tools/fuzz/run.sh build "${MEMSCOPE_FUZZ_SECONDS:-30}" || status=1
fi

# One summary line over everything that ran: Check suites report
# "Checks: N, Failures: F, Errors: E"; command-line files "N passed, N failed";
# fuzz runs "fuzz: N passed, N failed".
pass=0 fail=0
for f in $(find build build-asan -path '*/tests/*' -name '*.log' 2>/dev/null) build/fuzz.log; do
	[ -f "$f" ] || continue
	eval "$(awk '
		/Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
			match($0, /Checks: [0-9]+/); c = substr($0, RSTART + 8, RLENGTH - 8)
			match($0, /Failures: [0-9]+/); fl = substr($0, RSTART + 10, RLENGTH - 10)
			match($0, /Errors: [0-9]+/); e = substr($0, RSTART + 8, RLENGTH - 8)
			p += c - fl - e; x += fl + e }
		/^[0-9]+ passed, [0-9]+ failed$/ || /^fuzz: [0-9]+ passed, [0-9]+ failed$/ {
			n = split($0, w, " "); for (i = 1; i <= n; i++) { if (w[i] ~ /^passed/) p += w[i-1]; if (w[i] ~ /^failed/) x += w[i-1] } }
		END { printf "pass=$((pass+%d)) fail=$((fail+%d))\n", p, x }' "$f")"
done
[ "$status" = 0 ] || [ "$fail" != 0 ] || fail=1
if [ -s "$failures" ]; then
	echo "== what failed"
	cat "$failures"
fi
echo "$pass passed, $fail failed"
[ "$status" = 0 ] && [ "$fail" = 0 ]
