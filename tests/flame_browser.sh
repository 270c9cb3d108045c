#!/bin/sh
# flame_browser.sh — renders a memscope flame graph in a real browser
# (headless Chromium, Debian's `chromium`) and checks the live page: the
# script ran, every frame is in the DOM, a ?z= zoom widened main.main to
# the full width and hid the frames outside it, and a ?s= search reports
# the share computed independently from the folded stacks. Without
# chromium it skips (exit 77).
set -u
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); echo "ok - $2"; else fail=$((fail + 1)); echo "not ok - $2"; fi; }

"$ms" flame --svg "$tmp/cpu.svg" -o "$tmp/cpu.folded" "$top/testdata/perf/cpuwork.perf.txt.gz" || exit 1
dump() { # URL-suffix: the DOM after the page's scripts ran
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--no-first-run --disable-component-update --disable-sync --user-data-dir="$tmp/profile" \
		--dump-dom "file://$tmp/cpu.svg$1" 2>"$tmp/browser.err"
}
dump "?s=sha256&z=main.main" >"$tmp/dom.raw" || { cat "$tmp/browser.err"; exit 1; }
tr '\n' ' ' <"$tmp/dom.raw" | sed 's/<g/\n<g/g' >"$tmp/dom" # one frame per line

frames=$(grep -c '^<g><title>' "$tmp/cpu.svg")
[ "$frames" -gt 100 ]; check $? "the SVG has $frames frames"
# Chromium serialises one <g> per frame, with its <title>
in_dom=$(grep -o '<g[^>]*><title>' "$tmp/dom" | wc -l)
[ "$in_dom" = "$frames" ]; check $? "all $frames frames are in the page (found $in_dom)"
for name in cpuwork main.main main.sortLoop sort.pdqsort crypto/sha256.block.abi0; do
	grep -q "<title>$name" "$tmp/dom"; check $? "frame $name present"
done
# the zoomed frame spans the full width (1200 - 2 x 10 px), frames outside it are hidden
grep -q '<title>main.main [^<]*</title><rect x="10.00" y="[0-9.]*" width="1180.00"' "$tmp/dom"; check $? "zoom: main.main spans the width"
grep -q 'class="hide"' "$tmp/dom"; check $? "zoom: frames outside main.main are hidden"
grep -q 'id="unzoom" class=""' "$tmp/dom" || grep -q 'id="unzoom" x=' "$tmp/dom"; check $? "zoom: Reset Zoom is shown"
# the search share, from the folded lines
want=$(awk '{ t += $NF } /sha256/ { m += $NF } END { printf "Matched: %.2f%%", 100 * m / t }' "$tmp/cpu.folded")
grep -q "$want" "$tmp/dom"; check $? "search: '$want'"
grep -q 'fill="rgb(230,0,230)"' "$tmp/dom"; check $? "search: matches highlighted"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
