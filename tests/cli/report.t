# memscope report --html: one self-contained page. What the page does in a
# browser (sorting, zoom, search, no console errors, no requests) is checked
# by tests/report_browser.sh; these cases check the file and the exit codes.
# F is a temporary file each case removes.

### one profile: a page with every row go tool pprof -top prints (17 in testdata/golden)
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/allocs.pb.gz && grep -c '^<tr><td data-v=' "$F"; rm -f "$F"
> 17

### the top table's names are pprof's, in pprof's order
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/heap.4.pb.gz && sed -n 's|^<tr>.*<td>\(.*\)</td></tr>$|\1|p' "$F" >"$F.names" && sed -n '/flat%/,$p' testdata/golden/heap.4.functions.default.top.txt | sed 1d | sed 's/^ *[^ ]* *[^ ]* *[^ ]* *[^ ]* *[^ ]* *//' | cmp - "$F.names"; rc=$?; rm -f "$F" "$F.names"; exit $rc

### nothing is fetched: a CSP of default-src 'none', no src= or external href=
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz testdata/go1.19/leaky.gctrace.log && grep -c "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';" "$F" && ! grep -Eq '(src|href)="[^#]' "$F"; rc=$?; rm -f "$F"; exit $rc
> 1

### the flame graph is inline, with its script, and a search form of the page's own
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" --title 'nightly <heap>' testdata/go1.19/heap.4.pb.gz && grep -c -e '<svg id="ms-flame-svg"' -e '^function zoom(g)' -e '<input id="ms-flame-q"' -e '<title>nightly &lt;heap&gt;</title>' "$F"; rm -f "$F"
> 4

### a gctrace log: the GC timeline counts every gc line of the log (16)
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/leaky.gctrace.log && grep -o "$(grep -c '^gc [0-9]' testdata/go1.19/leaky.gctrace.log) GCs (5 forced)" "$F"; rm -f "$F"
> 16 GCs (5 forced)

### a Go execution trace is a profile and a GC timeline
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/gotrace/waits.go1.19.trace && grep -c -e '<h2>GC timeline</h2>' -e '<h2>Flame graph</h2>' -e '<h2>Top</h2>' "$F"; rm -f "$F"
> 3

### BASE NEW with a gate that trips (17.70MB to 67.10MB in use is +279%): exit 1, the page says so
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" --fail-on inuse_space:+10% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz; rc=$?; grep -o 'FAIL: 1 of 1 gate tripped' "$F"; rm -f "$F"; exit $rc
? 1
> FAIL: 1 of 1 gate tripped

### a gate that holds: exit 0
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" --fail-on inuse_space:+300% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz && grep -o 'PASS: 0 of 1 gate tripped' "$F"; rm -f "$F"
> PASS: 0 of 1 gate tripped

### bad input: exit 2, no file left behind
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/heap.4.pb.gz testdata/bad/random.bin; rc=$?; test ! -e "$F" && exit $rc
? 2
! testdata/bad/random.bin: unrecognised input format

### a truncated profile: exit 2, an existing page is left as it was
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; echo old >"$F"; memscope report --html "$F" testdata/bad/truncated.pb.gz; rc=$?; test "$(cat "$F")" = old && rm -f "$F" && exit $rc
? 2
! truncated.pb.gz

### the report never overwrites one of its inputs
$ F=${TMPDIR:-/tmp}/ms-report-$$.pb.gz; cp testdata/go1.19/heap.4.pb.gz "$F"; memscope report --html "$F" "$F"; rc=$?; cmp -s "$F" testdata/go1.19/heap.4.pb.gz && rm -f "$F" && exit $rc
? 2
! refusing to overwrite the input

### an output folder that does not exist: exit 2
$ memscope report --html /nonexistent/dir/r.html testdata/go1.19/heap.4.pb.gz
? 2
! /nonexistent/dir/r.html

### --html is required
$ memscope report testdata/go1.19/heap.4.pb.gz
? 2
! report needs --html

### three profiles without --base
$ memscope report --html /dev/null testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! report takes one profile, BASE NEW, or --base B... NEW

### --fail-on needs two profiles
$ memscope report --html /dev/null --fail-on inuse_space:+1% testdata/go1.19/heap.4.pb.gz
? 2
! --fail-on needs two profiles

### a bad gate expression
$ memscope report --html /dev/null --fail-on nonsense testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! nonsense

### a Go execution trace beside a profile gives only its GC timeline (one profile, not BASE NEW)
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/go1.19/heap.4.pb.gz testdata/gotrace/waits.go1.19.trace && grep -c -e '<h2>GC timeline</h2>' -e '<h2>Diff</h2>' -e '<h3>' "$F"; rm -f "$F"
> 1

### a runtime trace gives the GC timeline of every cycle its gctrace log (same run) printed (46)
$ F=${TMPDIR:-/tmp}/ms-report-$$.html; memscope report --html "$F" testdata/msrt/gcbench.trace.out 2>/dev/null && grep -o "$(grep -c '^gc [0-9]' testdata/msrt/gcbench.trace.gctrace.log) GCs (0 forced)" "$F"; rm -f "$F"
> 46 GCs (0 forced)
