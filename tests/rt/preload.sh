#!/bin/sh
# preload.sh — libmsrt as the malloc of real programs, and `memscope run`.
#
#   - sort, ls, gzip and python3 give byte-identical output with the
#     runtime preloaded and without;
#   - bad MSRT_* values print one warning each and the program still runs;
#   - memscope run passes the exit status through, writes the profile, and
#     the attribution test: leakprog leaks 20000 records of 200 bytes from
#     leak_record(): exactly 4000000 bytes in use at --rate 1, within 10% at
#     --rate 4096 (about 1000 samples: 3 standard errors), as read by
#     `go tool pprof` (skipped when go is not installed);
#   - snapshots on SIGUSR2 and by interval, the heap dump and the trace.
# Prints a line per case and, last, "N passed, N failed".
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
build=$(cd "$(dirname "$MEMSCOPE")" && pwd)
lib=$build/.libs/libmsrt.so
leakprog=$build/tests/rt/leakprog
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
skipped() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

[ -r "$lib" ] || { echo "no $lib"; exit 99; }

# ---- real programs, same output ------------------------------------------
seq 1 200000 | awk '{ print ($1 * 7919) % 200003 }' >"$tmp/nums"
same() {
	title=$1 cmd=$2
	sh -c "$cmd" >"$tmp/plain" 2>&1
	rc1=$?
	LD_PRELOAD=$lib sh -c "$cmd" >"$tmp/pre" 2>&1
	rc2=$?
	if [ "$rc1" = "$rc2" ] && cmp -s "$tmp/plain" "$tmp/pre"; then ok "$title"; else
		bad "$title (exit $rc1 vs $rc2)"; diff "$tmp/plain" "$tmp/pre" | head -5; fi
}
same "sort -n under the preload" "sort -n '$tmp/nums'"
same "sort with 4 threads and a small buffer" "sort --parallel=4 -S 1M '$tmp/nums'"
same "ls -la under the preload" "ls -la /usr/bin /usr/lib"
same "gzip under the preload" "gzip -c -6 '$tmp/nums' | gzip -d | md5sum; gzip -c -9 '$tmp/nums' | md5sum"
same "python3 under the preload" "python3 -c '
import json, threading, zlib
d = {str(i): [i] * (i % 50) for i in range(50000)}
s = json.dumps(d, sort_keys=True)
out = []
def work(k):
    out.append(len(zlib.compress((s * 3)[k:].encode(), 6)))
ts = [threading.Thread(target=work, args=(k,)) for k in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(len(s), sorted(out))
'"
same "fork and pipes under the preload" "ls /usr/bin | sort -r | head -50; python3 -c 'import os; pid = os.fork(); os._exit(0) if pid == 0 else print(os.waitpid(pid, 0)[1])'"

# ---- bad environment values: a warning, defaults, no crash ----------------
for kv in MSRT_PROFILE_RATE=abc MSRT_PROFILE_DEPTH=9999 MSRT_PROFILE_INTERVAL=soon MSRT_SCAVENGE_DELAY=-1 \
	MSRT_PROFILE_SIGNAL=NOPE MSRT_PROFILE_UNWIND=magic; do
	out=$(env "$kv" LD_PRELOAD="$lib" sh -c 'echo fine' 2>"$tmp/err")
	name=${kv%%=*}
	if [ "$out" = fine ] && grep -q "^msrt: ignoring $name=" "$tmp/err"; then ok "bad $kv warns and runs"; else
		bad "bad $kv warns and runs"; cat "$tmp/err"; fi
done

# ---- the linked program again, sampling often while it forks ---------------
if MSRT_PROFILE_RATE=1024 timeout 120 "$build/tests/rt/linked" >"$tmp/out" 2>&1 && grep -q "^14 passed, 0 failed" "$tmp/out"; then
	ok "linked program with sampling at 1 KiB while forking"; else bad "linked program at rate 1024"; tail -3 "$tmp/out"; fi

# ---- stack walks: the cached CFI walker against libgcc's unwinder -----------
for prog in "$leakprog 3000" "python3 -c 'import json; json.dumps({str(i): [i] * 5 for i in range(50000)})'"; do
	MSRT_PROFILE_UNWIND=check MSRT_PROFILE_RATE=2048 PYTHONMALLOC=malloc LD_PRELOAD="$lib" sh -c "$prog" \
		>/dev/null 2>"$tmp/err"
	line=$(grep "unwind check:" "$tmp/err" | tail -1)
	same=$(echo "$line" | sed -n 's/.*check: \([0-9]*\) stacks identical, \([0-9]*\) differed.*/\1 \2/p')
	set -- $same
	if [ "${1:-0}" -gt 50 ] && [ "${2:-1}" = 0 ]; then ok "cfi stacks equal libgcc's: ${prog%% *} ($1 stacks)"; else
		bad "cfi stacks vs libgcc: ${prog%% *}: $line"; fi
done

# ---- memscope run ----------------------------------------------------------------
"$MEMSCOPE" run -o "$tmp/r0" -- "$leakprog" 100 3 >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 3 ] && ls "$tmp/r0"/heap.*.1.pb.gz "$tmp/r0"/heapdump.*.1.json >/dev/null 2>&1 &&
	grep -q "inuse_space\|nothing was sampled" "$tmp/err"; then
	ok "run passes the exit status through, writes a profile and a heap dump at exit"; else bad "run exit status ($rc)"; cat "$tmp/err"; fi
"$MEMSCOPE" run -o "$tmp/r0b" --rate 1 -- "$leakprog" 100 >/dev/null 2>"$tmp/err"
if grep -q "top 5 of inuse_space" "$tmp/err" && grep -q "^ *20000B 80.33% .*leak_record$" "$tmp/err"; then
	ok "run prints the top 5 of inuse_space (leak_record exact at rate 1)"; else bad "run top 5"; cat "$tmp/err"; fi

"$MEMSCOPE" run -o "$tmp/r0c" -- /nonexistent/prog 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "cannot run '/nonexistent/prog'" "$tmp/err"; then
	ok "run of a missing program exits 2 (an input error), one line"; else
	bad "run of a missing program ($rc)"; fi
"$MEMSCOPE" run --rate abc -- true 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ]; then ok "run --rate abc is a usage error"; else bad "run --rate abc ($rc)"; fi

if command -v go >/dev/null 2>&1; then
	leaked() { # profile -> bytes in use attributed to leak_record
		go tool pprof -top -unit=B -sample_index=inuse_space "$leakprog" "$1" 2>/dev/null |
			awk '$NF == "leak_record" { sub("B", "", $1); print $1 }'
	}
	"$MEMSCOPE" run -o "$tmp/r1" --rate 1 -- "$leakprog" 20000 >/dev/null 2>&1
	got=$(leaked "$tmp"/r1/heap.*.pb.gz)
	if [ "$got" = 4000000 ]; then ok "attribution at rate 1: leak_record holds exactly 4000000 bytes"; else
		bad "attribution at rate 1: got '$got'"; fi
	"$MEMSCOPE" run -o "$tmp/r2" --rate 4096 -- "$leakprog" 20000 >/dev/null 2>&1
	got=$(leaked "$tmp"/r2/heap.*.pb.gz)
	if [ -n "$got" ] && [ "$got" -gt 3600000 ] && [ "$got" -lt 4400000 ]; then
		ok "attribution at rate 4096: leak_record within 10% ($got)"; else bad "attribution at rate 4096: got '$got'"; fi
	if go tool pprof -raw "$tmp"/r1/heap.*.pb.gz 2>/dev/null | grep -q "^PeriodType: space bytes"; then
		ok "go tool pprof -raw reads the profile"; else bad "go tool pprof -raw"; fi
else
	skipped "attribution (go tool pprof)" "go not installed"
fi

# ---- snapshots ----------------------------------------------------------------------
"$MEMSCOPE" run -o "$tmp/r3" -- python3 -c '
import os, signal, time
x = [bytearray(1000) for i in range(1000)]
os.kill(os.getpid(), signal.SIGUSR2)
y = [bytearray(1000) for i in range(4000)]  # a single-threaded program: served at its next samples
time.sleep(1.5)' 2>"$tmp/err"
n=$(sed -n 's/.*(\([0-9]*\) snapshots).*/\1/p' "$tmp/err")
if [ "$n" -ge 2 ]; then ok "SIGUSR2 writes a numbered snapshot ($n profiles)"; else bad "SIGUSR2 snapshot ($n)"; fi
"$MEMSCOPE" run -o "$tmp/r4" --interval 0.3s --heap-dump -- python3 -c 'import time; time.sleep(1.2)' 2>"$tmp/err"

pid=$(ls -t "$tmp/r4" | sed -n 's/^heap\.python3\.\([0-9]*\)\..*/\1/p' | head -1)
n=$(ls "$tmp/r4" | grep -c "^heap\.python3\.$pid\..*\.pb\.gz$")
d=$(ls "$tmp/r4" | grep -c "^heapdump\.python3\.$pid\..*\.json$")
if [ "$n" -ge 3 ] && [ "$d" = "$n" ]; then ok "--interval 0.3s snapshots with heap dumps ($n)"; else
	bad "--interval snapshots ($n profiles, $d dumps)"; fi
if python3 -c '
import json, sys, glob
d = json.load(open(sorted(glob.glob(sys.argv[1] + "/heapdump.*.json"))[-1]))
t = d["totals"]
assert d["version"] == 2 and d["page_size"] == 8192
assert t["heap_inuse"] + t["heap_idle"] == t["heap_sys"]
assert sum(c["bytes_live"] for c in d["size_classes"]) <= t["heap_alloc"]
assert all(r["released_pages"] <= r["pages"] for r in d["free_runs"])
' "$tmp/r4"; then ok "heap dump is valid JSON with consistent totals"; else bad "heap dump"; fi
# a program that forks without exec: each process its own trace and profile
"$MEMSCOPE" run -o "$tmp/r5" --trace --rate 1 -- python3 -c '
import os
x = [bytes(100) for i in range(1000)]
pid = os.fork()
y = [bytes(200) for i in range(1000)]
if pid:
    os.waitpid(pid, 0)
' 2>/dev/null
nt=0 bad_t=0
for f in "$tmp"/r5/trace.*.out; do
	[ -s "$f" ] || continue
	nt=$((nt + 1))
	"$MEMSCOPE" info "$f" >/dev/null 2>&1 || bad_t=$((bad_t + 1))
done
if [ "$nt" -ge 2 ] && [ "$bad_t" = 0 ]; then ok "fork without exec: $nt readable traces"; else
	bad "fork traces ($nt traces, $bad_t unreadable)"; fi
ls "$tmp/r4" | grep -q '\.tmp\.' && bad "temporary files left behind" || ok "no temporary files left behind"

echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
