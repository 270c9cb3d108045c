#!/bin/sh
# valgrind.sh — runs memscope's commands on good and bad inputs under
# valgrind (memcheck): no invalid access, no uninitialised use, no leak.
# Skips (77) without valgrind or in a sanitizer build (they do not mix).
set -u
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed: skipped"; exit 77; }
[ "${MS_SANITIZERS:-no}" = yes ] && { echo "sanitizer build: skipped"; exit 77; }
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
vg() {
	if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all \
		"$ms" "$@" >/dev/null 2>"$tmp/err"; then rc=0; else rc=$?; fi
	if [ "$rc" = 99 ] || grep -q "==[0-9]*==" "$tmp/err"; then
		fail=$((fail + 1)); echo "FAIL: valgrind: memscope $*"; head -30 "$tmp/err"
	else
		pass=$((pass + 1))
	fi
}
cd "$top" || exit 99
vg info testdata/go1.19/heap.4.pb.gz
vg info --json testdata/go1.19/cpu.pb.gz
vg top testdata/go1.19/heap.4.pb.gz
vg top --granularity lines --focus main --json testdata/go1.19/allocs.pb.gz
vg top --diff-base testdata/go1.19/heap.0.pb.gz --normalize testdata/go1.19/heap.4.pb.gz
vg tags --tagfocus=worker=render,io --taghide=shard testdata/labels/goroutine.pb.gz
vg tags --json --tagignore=bytes=1mb: testdata/labels/heap.pb.gz
vg top --granularity files --tagfocus='render,even' testdata/labels/goroutine.pb.gz
vg top --tagfocus='worker=(' testdata/labels/goroutine.pb.gz
vg top testdata/demangle/cppleak.heap.pb.gz
vg convert testdata/go1.19/heap.4.pb.gz -o "$tmp/x.pb.gz"
vg convert testdata/go1.19/cpu.pb.gz -o "$tmp/x.json"
vg diff --fail-on inuse_space:+5% --fail-on 'inuse_space@leaf:+1kB' --format json testdata/diff/base.seed1.pb.gz testdata/diff/regress.seed4.pb.gz
vg diff --base testdata/diff/base.seed1.pb.gz --base testdata/diff/base.seed2.pb.gz --format markdown testdata/diff/noise.seed5.pb.gz
vg leaks --json testdata/leaks/series.0.pb.gz testdata/leaks/series.3.pb.gz testdata/leaks/series.5.pb.gz
vg leaks --json testdata/leaks/series.0.pb.gz testdata/leaks/series.5.pb.gz testdata/leakcheck/leaks.pb.gz
vg leaks --granularity lines testdata/leakcheck/leaks.pb.gz
vg gctrace --json testdata/go1.19/leaky.gctrace.log
vg gctrace --svg "$tmp/g.svg" testdata/go1.19/mapmerge.gogc50.gctrace.log testdata/gctrace/thrash.log
vg gctrace testdata/gctrace/bad.log
vg gctrace --json testdata/msrt/gcbench.trace.out
vg gctrace --cycles testdata/msrt/gcbench.trace.out
vg symbolize -o "$tmp/s.pb.gz" testdata/symbolize/prog.pb.gz
for f in testdata/bad/*; do vg top "$f"; done
vg diff --fail-on 'inuse_space@(:+1MB' testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
vg top --focus '(' testdata/go1.19/heap.4.pb.gz
# Go heap dumps: the report with ELF names, the profile path, a cut dump
vg heapdump --binary testdata/heapdump/known.go1.23.bin --json testdata/heapdump/known.go1.23.dump.gz
vg flame testdata/heapdump/known.go1.19.dump.gz
vg diff --base testdata/heapdump/known.go1.19.dump.gz testdata/heapdump/known.go1.23.dump.gz
vg frag testdata/heapdump/known.go1.19.dump.gz
vg heapdump testdata/heapdump/fuzz/large.dump
head -c 5000 testdata/heapdump/fuzz/large.dump >"$tmp/cut.dump"
vg heapdump "$tmp/cut.dump"
# pprof's other views, the HTML report, escape analysis, Go execution traces
vg peek 'main\.' testdata/go1.19/heap.4.pb.gz
vg traces testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
vg tree --base testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.4.pb.gz
vg list --source-path testdata/list --trim-path /tmp/research 'main\.main\.func2' testdata/gotrace/demo.go1.19.cpu.pb.gz
vg graph --dot "$tmp/g.dot" --json testdata/go1.19/heap.4.pb.gz
vg report --html "$tmp/r.html" --fail-on inuse_space:+5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz \
	testdata/go1.19/leaky.gctrace.log
vg escape testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz
vg escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz \
	--fail-on new-heap --format markdown
vg top --granularity lines --escapes testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz
vg info testdata/gotrace/demo.go1.23.trace
vg flame testdata/gotrace/demo.go1.21.trace
vg top --trace-profile sync testdata/gotrace/demo.go1.19.trace
vg gctrace --mmu --json testdata/gotrace/waits.go1.22.trace
vg flame --binary testdata/heapdump/known.go1.19.bin testdata/heapdump/known.go1.19.dump.gz
# graph --svg: Graphviz 2.43 (Debian 12) leaks inside gvContext's plugin
# configuration, dot's mincross and fontconfig whatever the caller frees, so
# only memory errors are checked there
if "$ms" graph --svg "$tmp/probe.svg" testdata/go1.19/heap.4.pb.gz >/dev/null 2>&1; then
	if valgrind -q --error-exitcode=99 --leak-check=no "$ms" graph --svg "$tmp/g.svg" testdata/go1.19/heap.4.pb.gz \
		>/dev/null 2>"$tmp/err" && ! grep -q "==[0-9]*==" "$tmp/err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL: valgrind: memscope graph --svg"; head -30 "$tmp/err"
	fi
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
