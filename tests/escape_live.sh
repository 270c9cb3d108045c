#!/bin/sh
# escape_live.sh — `memscope escape`, `top --escapes` and the new-heap gate
# against what each installed Go (1.19, 1.21, 1.22, 1.23) says itself.
#
# tests/escape/patterns/main.go has one function per escape pattern; a line
# marked "ALLOC NAME" allocates on every call, "STACK NAME" never does, and
# "ALLOC library" allocates inside fmt, "ALLOC inlined" is inlined into
# main at the INLINED line (the compiler prints the inlined copy's decision
# there). Per Go version it is built with -gcflags=-m=2 (and once more with
# -trimpath on the newest Go), run (it writes its allocs profile at
# MemProfileRate 1) and joined. For each marked
# line the expected decision comes from grepping the compiler's own output
# for that line (heap: "moved to heap: X" or "X escapes to heap"; stack:
# "X does not escape"), the expected bytes from `go tool pprof -lines -top
# -unit=B` of the same profile; memscope's site at that line must carry both.
# The gate pair (tests/escape/gate/main.go and a copy with its NEW line
# rewritten) differs in one line that moves a record to the heap: `escape --base old new --fail-on new-heap` must exit 1
# naming that line, and an unchanged build must exit 0. A Go that is not
# installed is skipped with a message; with none at all, exit 77.
set -u
top=$(cd "${srcdir:-.}" && pwd)
ms=${MEMSCOPE:-$(pwd)/memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
command -v jq >/dev/null 2>&1 || { echo "skip: jq not installed"; exit 77; }
export GOTOOLCHAIN=local GOFLAGS= GOPROXY=off GO111MODULE=on GOWORK=off
[ -w "${GOCACHE:-${HOME:-/nonexistent}/.cache}" ] 2>/dev/null || export GOCACHE="$tmp/gocache"
pass=0 fail=0 ran=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

# what the compiler printed for main.go line $2 of log $1: heap, stack or none
compiler_says() {
	if grep -Eq "^(\./)?([^ ]*/)?main\.go:$2:[0-9]+: (moved to heap: .*|.* escapes to heap)\$" "$1"; then
		echo heap
	elif grep -Eq "^(\./)?([^ ]*/)?main\.go:$2:[0-9]+: .* does not escape\$" "$1"; then
		echo stack
	else
		echo none
	fi
}

# patterns GO DIR [BUILDFLAGS]: build, run, join, compare
patterns() {
	go=$1 d=$2
	shift 2
	mkdir -p "$d"
	(cd "$top/tests/escape/patterns" && "$go" build "$@" -gcflags=-m=2 -o "$d/prog" .) 2>"$d/m2" ||
		{ check 1 "$go build $*: $(head -c 300 "$d/m2")"; return; }
	"$d/prog" "$d/prof.pb.gz" 2>/dev/null || { check 1 "$d/prog failed"; return; }
	"$ms" escape --json -n 0 "$d/m2" "$d/prof.pb.gz" >"$d/out.json" 2>"$d/err" ||
		{ check 1 "memscope escape $d: $(cat "$d/err")"; return; }
	"$ms" top --granularity lines --nodefraction 0 -n 0 --escapes "$d/m2" "$d/prof.pb.gz" >"$d/top.txt" 2>"$d/err" ||
		{ check 1 "memscope top --escapes $d: $(cat "$d/err")"; return; }
	"$go" tool pprof -lines -top -nodefraction=0 -unit=B -sample_index=alloc_space "$d/prof.pb.gz" \
		>"$d/pprof.txt" 2>/dev/null || { check 1 "go tool pprof on $d"; return; }
	grep -n '// ALLOC \|// STACK ' "$top/tests/escape/patterns/main.go" >"$d/marks"
	while IFS= read -r m; do
		line=${m%%:*} kind=${m##*// } want=$(compiler_says "$d/m2" "$line")
		case $kind in
		"ALLOC library")
			got=$(jq -r "[.sites[] | select(.via.line == $line)][0].decision" "$d/out.json")
			[ "$got" = call ]
			check $? "$d line $line ($kind): decision '$got', want call (allocated inside fmt)" ;;
		ALLOC*)
			[ "$want" = heap ]
			check $? "$d line $line ($kind): the compiler says '$want', the program's construction heap"
			ref=$(awk -v l="main.go:$line" '{ sub(/ \(inline\)$/, "") } $NF ~ l"$" { v = $1; sub(/B$/, "", v); print v; exit }' "$d/pprof.txt")
			got=$(jq -r "[.sites[] | select(.line == $line and .via == null and (.file | endswith(\"main.go\")))][0] | \"\(.decision) \(.bytes)\"" "$d/out.json")
			[ "$got" = "$want ${ref:-0}" ] && [ "${ref:-0}" -gt 0 ]
			check $? "$d line $line ($kind): memscope '$got', compiler '$want' and go tool pprof ${ref:-0} bytes"
			if [ "$kind" = "ALLOC inlined" ]; then
				# the decision of the copy inlined into main, printed at the call
				call=$(grep -n '// INLINED ' "$top/tests/escape/patterns/main.go" | cut -d: -f1)
				want=$(compiler_says "$d/m2" "$call")
				got=$(jq -r "[.sites[] | select(.line == $line)][0] | \"\(.inlined_into.line) \(.decision)\"" "$d/out.json")
				[ "$got" = "$call $want" ] && [ "$want" = heap ]
				check $? "$d line $line (inlined at $call): memscope '$got', compiler '$want' at the call"
			fi
			row=$(grep -E "main\.go:$line( \(inline\))?\$" "$d/top.txt" | head -1)
			[ "$(echo "$row" | awk '{ print $6 }')" = "$want" ]
			check $? "$d line $line: top --escapes row '$row', want $want" ;;
		STACK*)
			[ "$want" = stack ]
			check $? "$d line $line ($kind): the compiler says '$want', the program's construction stack"
			n=$(jq "[.sites[] | select(.line == $line and .via == null)] | length" "$d/out.json")
			grep -Eq "main\.go:$line\$" "$d/pprof.txt"
			[ $? != 0 ] && [ "$n" = 0 ]
			check $? "$d line $line ($kind): a site on a stack line (memscope $n sites)" ;;
		esac
	done <"$d/marks"
	ran=$((ran + 1))
}

# gate GO DIR: the old/new pair (new: the NEW line of tests/escape/gate/main.go rewritten)
gate() {
	go=$1 d=$2
	mkdir -p "$d/old" "$d/new"
	cp "$top/tests/escape/gate/go.mod" "$top/tests/escape/gate/main.go" "$d/old/"
	cp "$top/tests/escape/gate/go.mod" "$d/new/"
	sed 's|^\tp := &r // NEW$|\tp := \&r; last = p|' "$top/tests/escape/gate/main.go" >"$d/new/main.go"
	for v in old new; do
		(cd "$d/$v" && "$go" build -gcflags=-m=2 -o "$d/$v.bin" .) 2>"$d/$v.m2" &&
			"$d/$v.bin" "$d/$v.pb.gz" || { check 1 "gate $v with $go: $(head -c 300 "$d/$v.m2")"; return; }
	done
	line=$(grep -n '// GATE' "$top/tests/escape/gate/main.go" | cut -d: -f1)
	# the compiler's own word: the GATE line is stack in old, heap in new
	[ "$(compiler_says "$d/old.m2" "$line")" != heap ] && [ "$(compiler_says "$d/new.m2" "$line")" = heap ]
	check $? "gate pair with $go: the compiler does not move line $line to the heap"
	"$ms" escape --base "$d/old.m2" "$d/new.m2" "$d/new.pb.gz" --fail-on new-heap --min-bytes 1KiB >"$d/out" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q "TRIPPED .* main\.go:$line: moved to heap: r" "$d/out"
	check $? "gate with $go: exit $rc, want 1 naming main.go:$line: $(cat "$d/out")"
	"$ms" escape --base "$d/old.m2" "$d/new.m2" "$d/new.pb.gz" --fail-on new-heap --format github >"$d/out" 2>&1
	grep -q "^::error file=main.go,line=$line," "$d/out"
	check $? "gate --format github with $go: no annotation for line $line: $(cat "$d/out")"
	# the record (16 ints) is under the bar: a finding, no trip
	"$ms" escape --base "$d/old.m2" "$d/new.m2" "$d/new.pb.gz" --fail-on new-heap --min-bytes 1GiB >"$d/out" 2>&1
	check $? "gate with --min-bytes 1GiB tripped: $(cat "$d/out")"
	# unchanged: the old build again (a second, cached build replays the output)
	(cd "$d/old" && "$go" build -gcflags=-m=2 -o "$d/old2.bin" .) 2>"$d/old2.m2"
	"$d/old.bin" "$d/old.pb.gz"
	"$ms" escape --base "$d/old.m2" "$d/old2.m2" "$d/old.pb.gz" --fail-on new-heap >"$d/out" 2>&1
	rc=$?
	[ $rc = 0 ] && grep -q "Lines turned to heap: 0" "$d/out"
	check $? "unchanged build with $go: exit $rc, want 0: $(cat "$d/out")"
}

newest=
for v in 19 21 22 23; do
	go=/usr/lib/go-1.$v/bin/go
	if [ ! -x "$go" ]; then
		echo "skip: go 1.$v not installed"
		continue
	fi
	echo "go 1.$v: $("$go" version)"
	patterns "$go" "$tmp/p$v"
	gate "$go" "$tmp/g$v"
	newest=$go
done
# -trimpath: module-relative names on both sides (example.com/patterns/main.go)
[ -n "$newest" ] && patterns "$newest" "$tmp/trim" -trimpath
echo "escape_live: $pass passed, $fail failed ($ran builds)"
[ -z "$newest" ] && exit 77
[ "$fail" = 0 ]
