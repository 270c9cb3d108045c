#!/bin/sh
# procs.sh — `memscope run` follows every process of the tree (issue 14,
# items 2–5), on tests/rt/procprog.c, whose every process's leaked and
# in-use bytes are known by construction (whole 4096-byte blocks from
# leak_blocks), and on real multi-process programs:
#   - sh -c 'A; B', fork, fork+exec, an exec chain and a forking server
#     whose children leave by _exit: one leak report and one heap profile
#     per process, each with that process's bytes, each symbolized;
#   - python3 multiprocessing (workers leave by os._exit) and chromium
#     headless (skipped, visibly, when not installed): the program works
#     under the profiler (chromium's zygote refuses a thread it did not
#     create) and every worker/process has its profile;
#   - one folder per run; -o DIR with another run's files is refused;
#     `memscope leaks` refuses a series of snapshots of two processes;
#   - a static binary (and a static Go binary) is refused with exit 2;
#     a program that allocates nothing gets "nothing was sampled";
#   - peak heap and temporary allocations: by construction, and against
#     heaptrack (skipped when not installed);
#   - run --json: the same figures in one document (stderr and DIR/run.json);
#   - `memscope symbolize` leaves a runtime trace byte-identical (exit 2),
#     and flame/top symbolize a trace on load.
# Every expectation is the construction's (or heaptrack's), never
# memscope's own output. Prints a line per case, last "N passed, N failed".
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
build=$(cd "$(dirname "$MEMSCOPE")" && pwd)
prog=$build/tests/rt/procprog
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

[ -x "$prog" ] || { echo "no $prog"; exit 99; }
command -v jq >/dev/null 2>&1 || { echo "jq is not installed (tools/deps.sh installs it)"; exit 77; }

# leaked bytes of each leak report of program $2 in dir $1, sorted
leaked() {
	for f in "$1"/leaks."$2".*.pb.gz; do
		[ -e "$f" ] || continue
		"$MEMSCOPE" leaks --json "$f" | jq -r '.leak_checks[0].leaked_bytes'
	done | sort -n | paste -sd ' '
}
# bytes in use from leak_blocks at exit (rate 1: exact) of each process of $2
inuse() {
	for f in "$1"/heap."$2".*.pb.gz; do
		[ -e "$f" ] || continue
		"$MEMSCOPE" top --json -n 0 "$f" | jq -r '([.rows[] | select(.name == "leak_blocks") | .flat] | add) // 0'
	done | sort -n | paste -sd ' '
}
# runs procprog's tree under memscope run in a new dir $1; the rest: CMD
tree() {
	d=$1
	shift
	"$MEMSCOPE" run -o "$tmp/$d" --rate 1 --leak-check -- "$@" >"$tmp/$d.out" 2>"$tmp/$d.err"
}

# ---- process trees of known construction ---------------------------------------
tree sh sh -c "'$prog' leak 2; '$prog' leak 3"
check "sh -c 'A; B': exit status" 0 "$?"
check "sh -c 'A; B': each process's leak check" "8192 12288" "$(leaked "$tmp/sh" procprog)"
check "sh -c 'A; B': each process's heap profile" "8192 12288" "$(inuse "$tmp/sh" procprog)"
if grep -q "no heap profile was written\|no leak-check report" "$tmp/sh.err"; then bad "sh -c: nothing reported lost"; else
	ok "sh -c: nothing reported lost"; fi
n=$(grep -c "^memscope: procprog (pid [0-9]*): leak check" "$tmp/sh.err")
check "sh -c: the summary gives each process its leak result" 2 "$n"
nsym=0
for f in "$tmp"/sh/leaks.procprog.*.txt; do grep -q "leak_blocks .*procprog.c:" "$f" && nsym=$((nsym + 1)); done
check "sh -c: each process's leak report is symbolized" 2 "$nsym"

tree fork "$prog" fork 1 2
check "fork: parent and child, each its own leaks" "4096 8192" "$(leaked "$tmp/fork" procprog)"
check "fork: parent and child, each its own heap" "4096 8192" "$(inuse "$tmp/fork" procprog)"

tree forkexec "$prog" forkexec 3
check "fork+exec: each process its own leaks" "4096 12288" "$(leaked "$tmp/forkexec" procprog)"

tree exec "$prog" exec 2
check "exec chain: the image after exec is reported" "8192" "$(leaked "$tmp/exec" procprog)"

tree server "$prog" server 3
check "forking server, children leave by _exit: every child's leaks" "0 8192 8192 8192" "$(leaked "$tmp/server" procprog)"
check "forking server: every child's heap" "0 8192 8192 8192" "$(inuse "$tmp/server" procprog)"

# ---- one folder per run; no mixing -----------------------------------------------
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && "$MEMSCOPE" run -- "$prog" none 2>/dev/null && "$MEMSCOPE" run -- "$prog" none 2>/dev/null)
if [ -d "$tmp/cwd/memscope-run/procprog-1" ] && [ -d "$tmp/cwd/memscope-run/procprog-2" ] &&
	[ "$(ls "$tmp/cwd/memscope-run/procprog-2" | grep -c '^heap\.')" = 1 ]; then
	ok "two runs without -o: two folders, one process each"; else bad "one folder per run"; ls -R "$tmp/cwd"; fi
"$MEMSCOPE" run -o "$tmp/sh" -- "$prog" none 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "another run" "$tmp/err"; then ok "-o DIR holding another run is refused"; else
	bad "-o DIR with another run ($rc)"; cat "$tmp/err"; fi
# shellcheck disable=SC2046
"$MEMSCOPE" leaks $(ls "$tmp"/sh/heap.procprog.*.pb.gz) >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && grep -q "different processes" "$tmp/err" && [ "$(wc -l <"$tmp/err")" = 1 ]; then
	ok "leaks refuses a series of two processes' snapshots"; else bad "leaks on a mix ($rc)"; cat "$tmp/err"; fi

# ---- what run says about programs it cannot see or that allocate nothing -----------
# (not procprog: the libstdc++ it links allocates 71 KB, sampled now and then)
printf 'int main(void) { return 0; }\n' >"$tmp/st.c"
if cc -o "$tmp/empty" "$tmp/st.c" 2>/dev/null; then
	"$MEMSCOPE" run -o "$tmp/none" -- "$tmp/empty" 2>"$tmp/err"
	if grep -q "nothing was sampled" "$tmp/err" && grep -q -- "--rate 1" "$tmp/err"; then
		ok "a program that allocates nothing: nothing was sampled, try --rate 1"; else bad "nothing sampled"; cat "$tmp/err"; fi
else
	skipped "a program that allocates nothing" "no C compiler"
fi
if cc -static -o "$tmp/static" "$tmp/st.c" 2>/dev/null; then
	"$MEMSCOPE" run -o "$tmp/st" -- "$tmp/static" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q "statically linked" "$tmp/err" && [ ! -e "$tmp/st" ]; then
		ok "a static binary is refused (exit 2)"; else bad "static binary ($rc)"; cat "$tmp/err"; fi
else
	skipped "a static binary is refused" "no static libc"
fi
go=$(command -v go || ls /usr/lib/go-1.2*/bin/go 2>/dev/null | tail -1)
if [ -n "$go" ] && [ -x "$go" ]; then
	printf 'package main\n\nfunc main() { println(len(make([]byte, 1<<20))) }\n' >"$tmp/main.go"
	if (cd "$tmp" && CGO_ENABLED=0 GOCACHE="$tmp/gocache" GO111MODULE=off "$go" build -o goprog main.go) 2>/dev/null; then
		"$MEMSCOPE" run -o "$tmp/go" -- "$tmp/goprog" 2>"$tmp/err"
		rc=$?
		if [ $rc = 2 ] && grep -q "Go program" "$tmp/err" && grep -q "runtime/pprof" "$tmp/err" &&
			grep -q "gctrace" "$tmp/err"; then
			ok "a static Go binary: runtime/pprof and GODEBUG=gctrace=1 are the way (exit 2)"; else
			bad "static Go binary ($rc)"; cat "$tmp/err"; fi
	else
		skipped "a static Go binary" "go build failed"
	fi
else
	skipped "a static Go binary" "go not installed"
fi

# ---- peak heap and temporary allocations ------------------------------------------
"$MEMSCOPE" run -o "$tmp/peak" -- "$prog" peak 2>"$tmp/peak.err"
line=$("$MEMSCOPE" top -n 1 "$tmp"/peak/heap.procprog.*.pb.gz | grep "memscope-run: peak_heap=")
mpeak=$(echo "$line" | sed -n 's/.*peak_heap=\([0-9]*\).*/\1/p')
mtemp=$(echo "$line" | sed -n 's/.*temporary=\([0-9]*\).*/\1/p')
mcalls=$(echo "$line" | sed -n 's/.*allocations=\([0-9]*\).*/\1/p')
# construction: 100 × 8192 live at once, plus one 64-byte temporary, plus
# libstdc++'s 72704-byte emergency pool; 1000 temporaries at least
if [ "${mpeak:-0}" -ge 891968 ] && [ "$mpeak" -lt 901968 ] && [ "${mtemp:-0}" -ge 1000 ] && [ "$mtemp" -le 1010 ]; then
	ok "peak heap and temporary allocations by construction ($mpeak bytes, $mtemp temporary)"; else
	bad "peak/temporary by construction: '$line'"; fi
if grep -q "peak heap .* at [0-9.]*s" "$tmp/peak.err" && grep -q "of them temporary" "$tmp/peak.err"; then
	ok "the run summary shows peak heap (and when) and temporary allocations"; else bad "summary figures"; cat "$tmp/peak.err"; fi
if command -v heaptrack >/dev/null 2>&1 && command -v heaptrack_print >/dev/null 2>&1; then
	heaptrack -o "$tmp/ht" "$prog" peak >/dev/null 2>&1
	heaptrack_print "$tmp"/ht.* >"$tmp/ht.txt" 2>/dev/null
	# heaptrack prints "891.97K" (K = 1000) and plain counts
	hpeak=$(sed -n 's/^peak heap memory consumption: \([0-9.]*\)K$/\1/p' "$tmp/ht.txt" | awk '{ printf "%d", $1 * 1000 }')
	htemp=$(sed -n 's/^temporary memory allocations: \([0-9]*\).*/\1/p' "$tmp/ht.txt")
	hcalls=$(sed -n 's/^calls to allocation functions: \([0-9]*\).*/\1/p' "$tmp/ht.txt")
	if [ -n "$hpeak" ] && [ $((mpeak - hpeak)) -le 10 ] && [ $((hpeak - mpeak)) -le 10 ]; then
		ok "peak heap as heaptrack's ($mpeak vs ${hpeak}, heaptrack rounds to 10 bytes)"; else
		bad "peak heap vs heaptrack: $mpeak vs '$hpeak'"; fi
	if [ -n "$htemp" ] && [ $((mtemp - htemp)) -le 2 ] && [ $((htemp - mtemp)) -le 2 ] && [ "$mcalls" = "$hcalls" ]; then
		ok "temporary allocations as heaptrack's ($mtemp vs $htemp; calls $mcalls vs $hcalls)"; else
		bad "temporary vs heaptrack: $mtemp vs '$htemp', calls $mcalls vs '$hcalls'"; fi
else
	skipped "peak and temporary against heaptrack" "heaptrack not installed"
fi

# ---- the report as JSON (run --json): the same construction's figures ----------------
"$MEMSCOPE" run -o "$tmp/js" --rate 1 --leak-check --json -- sh -c "'$prog' leak 2; '$prog' peak" >/dev/null 2>"$tmp/js.err"
check "run --json: exit status" 0 "$?"
got=$(jq -r '[.processes[] | select(.program == "procprog") | .leak_check.leaked_bytes] | sort | map(tostring) | join(" ")' "$tmp/js/run.json")
check "run --json: each process's leak check (2 blocks, then none)" "0 8192" "$got"
got=$(jq -r '[.processes[] | select(.program == "procprog") | .peak_heap_bytes | select(. >= 891968 and . < 901968)] | length' "$tmp/js/run.json")
check "run --json: the peak program's peak heap by construction (891968..901968)" 1 "$got"
got=$(jq -r '[.processes[] | select(.program == "procprog") | (.top.rows // [])[] | select(.name == "leak_blocks") | .flat] | add' "$tmp/js/run.json")
check "run --json: leak_blocks' bytes in use at exit, in the top rows" 8192 "$got"
if sed -n '/^{/,$p' "$tmp/js.err" | cmp -s - "$tmp/js/run.json"; then
	ok "run --json: the document on stderr is DIR/run.json"; else bad "run --json stderr vs run.json"; cat "$tmp/js.err"; fi

# ---- runtime traces: symbolize never changes the format ------------------------------
"$MEMSCOPE" run -o "$tmp/tr" --trace --rate 1 -- "$prog" leak 5 >/dev/null 2>&1
trace=$(ls "$tmp"/tr/trace.procprog.*.out 2>/dev/null | head -1)
if [ -n "$trace" ]; then
	cp "$trace" "$tmp/trace.copy"
	"$MEMSCOPE" symbolize "$trace" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && cmp -s "$trace" "$tmp/trace.copy" && grep -q "runtime trace is not rewritten" "$tmp/err"; then
		ok "symbolize refuses a runtime trace and leaves it byte-identical"; else bad "symbolize on a trace ($rc)"; cat "$tmp/err"; fi
	got=$("$MEMSCOPE" flame "$trace" | awk '/;leak_blocks / { s += $NF } END { print s + 0 }')
	check "flame on a trace symbolizes on load (leak_blocks: 5 × 4096 bytes)" 20480 "$got"
	got=$("$MEMSCOPE" top --json -n 0 "$trace" | jq -r '[.rows[] | select(.name == "leak_blocks") | .flat] | add')
	check "top on a trace symbolizes on load" 20480 "$got"
	"$MEMSCOPE" symbolize -o "$tmp/tr.pb.gz" "$trace" >/dev/null 2>&1
	got=$("$MEMSCOPE" top --json -n 0 "$tmp/tr.pb.gz" | jq -r '[.rows[] | select(.name == "leak_blocks") | .flat] | add')
	check "symbolize -o writes a symbolized profile of a trace" 20480 "$got"
else
	bad "run --trace wrote no trace.procprog.PID.out"
fi

# ---- real multi-process programs ----------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
	"$MEMSCOPE" run -o "$tmp/py" -- python3 -c '
import multiprocessing as mp
def work(n):
    x = [bytearray(1000) for _ in range(n)]
if __name__ == "__main__":
    mp.set_start_method("fork")
    ps = [mp.Process(target=work, args=(3000,)) for _ in range(3)]
    [p.start() for p in ps]; [p.join() for p in ps]
    print(sum(p.exitcode for p in ps))
' >"$tmp/py.out" 2>"$tmp/py.err"
	rc=$?
	# python3 may be a wrapper (pyenv's shim is bash): count python processes
	n=$(ls "$tmp/py" | sed -n 's/^heap\.python[0-9.]*\.\([0-9]*\)\.[0-9]*\.pb\.gz$/\1/p' | sort -u | wc -l)
	if [ $rc = 0 ] && [ "$(cat "$tmp/py.out")" = 0 ] && [ "$n" -ge 4 ]; then
		ok "python3 multiprocessing: the parent and its 3 workers each have a profile ($n)"; else
		bad "python3 multiprocessing (exit $rc, $n python profiles)"; ls "$tmp/py" | grep python; fi
else
	skipped "python3 multiprocessing" "python3 not installed"
fi
if command -v chromium >/dev/null 2>&1; then
	mkdir "$tmp/ud"
	"$MEMSCOPE" run -o "$tmp/cr" -- chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --user-data-dir="$tmp/ud" \
		--dump-dom 'data:text/html,<p>memscope</p>' >"$tmp/cr.out" 2>"$tmp/cr.err"
	rc=$?
	n=$(ls "$tmp/cr" | grep -c '^heap\.chromium\.')
	if [ $rc = 0 ] && grep -q "<p>memscope</p>" "$tmp/cr.out" && [ "$n" -ge 2 ]; then
		ok "chromium headless under the profiler: the page, and $n chromium processes profiled"; else
		bad "chromium headless (exit $rc, $n chromium profiles)"; grep -v dbus "$tmp/cr.err" | tail -5; fi
else
	skipped "chromium headless" "chromium not installed"
fi

tap_done
