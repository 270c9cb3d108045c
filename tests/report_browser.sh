#!/bin/sh
# report_browser.sh — checks pages of `memscope report --html` in a real
# browser (headless Chromium, Debian's `chromium`, driven over the DevTools
# protocol by tests/report_browser.js with node; no npm packages): the page
# loads with no console errors and makes no network request, the top table
# holds go tool pprof -top's rows (testdata/golden) and sorts by the column
# whose header is clicked, the flame graph zooms on a clicked frame and
# searches through the page's form, the diff page shows the tripped gate,
# the GC timeline and deltas equal to go tool pprof -diff_base's; `graph
# --svg` pans and zooms (wheel about the pointer, drag, key 0). A page
# with a deliberate error shows the error capture works. Skips (exit 77)
# without chromium or node.
set -u
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "node not installed: skipped"; exit 77; }
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
rc=0
drive() { # CHECK PAGE GOLDEN
	timeout 600 node "$top/tests/report_browser.js" "$browser" "$tmp/profile-$1" "$@" || rc=1
}
TZ=UTC "$ms" report --html "$tmp/allocs.html" "$top/testdata/go1.19/allocs.pb.gz" || exit 1
drive top "$tmp/allocs.html" "$top/testdata/golden/allocs.functions.default.top.txt"
"$ms" report --html "$tmp/diff.html" --fail-on inuse_space:+10% "$top/testdata/go1.19/heap.0.pb.gz" \
	"$top/testdata/go1.19/heap.4.pb.gz" "$top/testdata/go1.19/leaky.gctrace.log"
[ $? = 1 ] || { echo "not ok - report with a tripped gate exits 1"; rc=1; }
drive diff "$tmp/diff.html" "$top/testdata/golden/heap.4.diffbase0.top.txt"
# graph --svg: pan and zoom (only with Graphviz)
if "$ms" graph --svg "$tmp/graph.svg" "$top/testdata/go1.19/allocs.pb.gz" 2>"$tmp/graph.err"; then
	drive graph "$tmp/graph.svg" "main.parseRequest"
elif ! grep -q 'without libgvc' "$tmp/graph.err"; then
	cat "$tmp/graph.err"
	echo "not ok - graph --svg"
	rc=1
fi
# the guard: the same policy, a script error and a blocked image
sed -n '1,/<\/head>/p' "$tmp/allocs.html" >"$tmp/guard.html"
echo '<body><img src="http://127.0.0.1:9/x.png" alt=""><script>no_such_function();</script></body></html>' >>"$tmp/guard.html"
drive guard "$tmp/guard.html" /dev/null
exit $rc
