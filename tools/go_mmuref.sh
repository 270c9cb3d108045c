#!/bin/sh
# go_mmuref.sh — the MMU of a Go 1.22+ execution trace by Go's own code with
# the one defect of its generational port fixed: the reference for memscope's
# default MMU on such traces (tests/check_gotrace_gc.c).
#
#   tools/go_mmuref.sh GO TRACE WINDOW_NS...
#
# GO is a Go toolchain (/usr/lib/go-1.22/bin/go); its own sources'
# internal/trace (the reader and gc.go's MutatorUtilizationV2, MMUCurve) are
# copied into a scratch module, imports renamed, and built with a small main
# that prints "WINDOW_NS MMU" for each window (flags STW|Background|Assist, as
# go tool trace's /mmu plot). The fix, in gc.go, makes a background mark
# worker count from its label until it stops running, once per run, as the
# pre-1.22 function did for EvGoStartLabel: MutatorUtilizationV2 counts the
# goroutine's start and its label (the runtime labels every run,
# runtime/trace2runtime.go GoStart) and never clears bgMark, so its counts
# only grow (src/gctrace/gotrace_gc.c has the details). Nothing else is
# changed; the script fails if gc.go does not have the code it patches.
set -eu
go=$1 trace=$2
shift 2
root=$("$go" env GOROOT)
src=$root/src/internal/trace
tmp=$(mktemp -d "${TMPDIR:-/tmp}/go_mmuref.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/m/cmd/mmuref"
cp -R "$src" "$tmp/m/trace"
chmod -R u+w "$tmp/m"
find "$tmp/m" -name testdata -type d -prune -exec rm -rf {} +
find "$tmp/m" -name '*_test.go' -exec rm -f {} +
grep -rl '"internal/trace' "$tmp/m" | xargs sed -i 's#"internal/trace#"mmuref/trace#g'
ver=$("$go" env GOVERSION | sed 's/^go\([0-9]*\.[0-9]*\).*/\1/')
printf 'module mmuref\n\ngo %s\n' "$ver" >"$tmp/m/go.mod"
python3 - "$tmp/m/trace/gc.go" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
old1 = """			if inGC[g] || bgMark[g] {
				if !old.Executing() && new.Executing() {
					// Started running while doing GC things.
					ps[ev.Proc()].gc++
				} else if old.Executing() && !new.Executing() {
					// Stopped running while doing GC things.
					ps[ev.Proc()].gc--
				}
			}"""
new1 = old1.replace("if inGC[g] || bgMark[g] {", "if inGC[g] {") + """
			if bgMark[g] && old.Executing() && !new.Executing() {
				ps[ev.Proc()].gc--
				delete(bgMark, g)
			}"""
old2 = """					bgMark[ev.Goroutine()] = true
					ps[ev.Proc()].gc++"""
new2 = """					if !bgMark[ev.Goroutine()] {
						bgMark[ev.Goroutine()] = true
						ps[ev.Proc()].gc++
					}"""
for old, new in ((old1, new1), (old2, new2)):
    if s.count(old) != 1:
        sys.exit("go_mmuref.sh: %s does not have the code to fix" % p)
    s = s.replace(old, new)
open(p, "w").write(s)
EOF
if [ -d "$src/v2" ]; then # Go 1.22: the reader in internal/trace/v2
	imp='"mmuref/trace"
	tracev2 "mmuref/trace/v2"' ; rd=tracev2
else
	imp='"mmuref/trace"' ; rd=trace
fi
cat >"$tmp/m/cmd/mmuref/main.go" <<EOF
package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	$imp
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	r, err := $rd.NewReader(f)
	if err != nil {
		panic(err)
	}
	var evs []$rd.Event
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		evs = append(evs, ev)
	}
	c := trace.NewMMUCurve(trace.MutatorUtilizationV2(evs, trace.UtilSTW|trace.UtilBackground|trace.UtilAssist))
	for _, a := range os.Args[2:] {
		w, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d %.12f\n", w, c.MMU(time.Duration(w)))
	}
}
EOF
# the user's build cache when there is one (a scratch one otherwise)
cache=$("$go" env GOCACHE 2>/dev/null || true)
if [ -z "$cache" ] || [ "$cache" = off ]; then
	GOCACHE=$tmp/cache
	export GOCACHE
fi
(cd "$tmp/m" && GOTOOLCHAIN=local GOFLAGS=-mod=mod GO111MODULE=on "$go" build -o "$tmp/mmuref" ./cmd/mmuref)
"$tmp/mmuref" "$trace" "$@"
