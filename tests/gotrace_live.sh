#!/bin/sh
# gotrace_live.sh — checks memscope's profiles of Go execution traces
# against the live reference: for each generational trace in
# testdata/gotrace/ (and the ones this script writes with each installed Go,
# from tests/gotrace/prog.go), `go tool trace -pprof=KIND` of the Go release
# that wrote it (Go 1.22's tool for "go 1.22 trace", 1.23's for 1.23) for
# KIND = sync, net, syscall, sched. Compared exactly, both rendered by
# `go tool pprof -raw` (memscope's side written with `memscope convert`):
#   - the totals: contentions and delay;
#   - every stack (its PCs) with its two values.
# The cpu kind is checked against the CPU profile of the same run (the same
# samples: their count per stack). A Go that is not installed is skipped
# with a message; with none at all the script skips (exit 77).
set -u
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 ran=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

# go tool pprof -raw FILE -> "count delay pc;pc;..." per stack, sorted
stacks() {
	"$1" tool pprof -raw "$2" 2>/dev/null | awk '
		/^Samples:/ { s = 1; next }
		/^Locations/ { s = 0; l = 1; next }
		/^Mappings/ { l = 0 }
		s && /:/ && $1 ~ /^[0-9]+$/ { n++; v[n] = $1 " " $2; sub(/^[^:]*: */, ""); st[n] = $0 }
		l && $1 ~ /^[0-9]+:$/ { id = $1; sub(/:/, "", id); addr[id] = $2 }
		END {
			for (i = 1; i <= n; i++) {
				k = split(st[i], ids, " "); key = ""
				for (j = 1; j <= k; j++) key = key (j > 1 ? ";" : "") addr[ids[j]]
				split(v[i], x, " "); sub(/:$/, "", x[2])
				c[key] += x[1]; d[key] += x[2]
			}
			for (key in c) print c[key], d[key], key
		}' | sort
}
totals() { awk '{ c += $1; d += $2 } END { printf "%d %d", c, d }' "$1"; }

# compare TRACE GO [MSTRACE]: the four kinds (memscope reads MSTRACE, the
# same events in another framing, when given)
compare() {
	trace=$1 go=$2 mstrace=${3:-$1}
	for kind in sync net syscall sched; do
		"$go" tool trace -pprof=$kind "$trace" >"$tmp/ref.pb" 2>"$tmp/ref.err" ||
			{ check 1 "go tool trace -pprof=$kind $trace: $(head -c 300 "$tmp/ref.err")"; continue; }
		"$ms" convert --trace-profile $kind "$mstrace" -o "$tmp/ms.pb.gz" 2>"$tmp/ms.err" ||
			{ check 1 "memscope convert --trace-profile $kind $mstrace: $(cat "$tmp/ms.err")"; continue; }
		stacks "$go" "$tmp/ref.pb" >"$tmp/want"
		stacks "$go" "$tmp/ms.pb.gz" >"$tmp/got"
		[ -s "$tmp/want" ] || echo "note: $kind of $trace is empty"
		[ "$(totals "$tmp/want")" = "$(totals "$tmp/got")" ]
		check $? "$kind totals of $mstrace: go tool trace [$(totals "$tmp/want")] memscope [$(totals "$tmp/got")]"
		cmp -s "$tmp/want" "$tmp/got"
		check $? "$kind stacks of $mstrace differ: $(diff "$tmp/want" "$tmp/got" | head -5)"
		ran=$((ran + 1))
	done
}

# go tool pprof -traces FILE -> one line per sample: "value;func;func;..."
# (inlined frames expanded by pprof), sorted
traces() {
	"$1" tool pprof -traces "$2" 2>/dev/null | awk '
		/^-----------\+/ { if (k != "") print k; k = ""; next }
		!started && !/^ / { next }
		{ started = 1; sub(/^ +/, ""); sub(/ \(inline\)$/, ""); gsub(/ +/, " "); k = k (k == "" ? "" : ";") $0 }
		END { if (k != "") print k }' | sort
}

# --region NAME against go tool trace's region profiles (its web UI's
# /regionio|regionblock|regionsyscall|regionsched?type=NAME&raw=1: the same
# computation restricted to the goroutines' outermost regions NAME).
compare_regions() {
	trace=$1 go=$2
	shift 2
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null) ||
		{ echo "no python3 to pick a port: region checks skipped"; return; }
	BROWSER=/bin/true "$go" tool trace -http=127.0.0.1:$port "$trace" >"$tmp/http.log" 2>&1 &
	pid=$!
	up=0
	for _ in $(seq 1 240); do
		if curl -sf -o /dev/null "http://127.0.0.1:$port/regionblock?type=none&raw=1"; then up=1; break; fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
	done
	if [ $up = 1 ]; then
		for arg in "$@"; do
			# NAME or NAME=TASK: every region NAME lies in task TASK (the
			# program's construction), so --task TASK must give the same
			name=${arg%%=*} task=${arg#*=}
			for kind in sync:block net:io syscall:syscall sched:sched; do
				curl -sf -o "$tmp/reg.pb" "http://127.0.0.1:$port/region${kind#*:}?type=$name&raw=1" ||
					{ check 1 "fetching the $kind region profile of $trace"; continue; }
				stacks "$go" "$tmp/reg.pb" >"$tmp/want"
				"$ms" convert --trace-profile ${kind%:*} --region "$name" "$trace" -o "$tmp/ms.pb.gz" &&
					stacks "$go" "$tmp/ms.pb.gz" >"$tmp/got"
				[ "$(totals "$tmp/want")" = "$(totals "$tmp/got")" ]
				check $? "--region $name ${kind%:*} totals of $trace: go tool trace [$(totals "$tmp/want")] memscope [$(totals "$tmp/got")]"
				cmp -s "$tmp/want" "$tmp/got"
				check $? "--region $name ${kind%:*} stacks of $trace differ: $(diff "$tmp/want" "$tmp/got" | head -4)"
				[ "$task" = "$arg" ] && continue
				"$ms" convert --trace-profile ${kind%:*} --task "$task" "$trace" -o "$tmp/ms.pb.gz" &&
					stacks "$go" "$tmp/ms.pb.gz" >"$tmp/got"
				cmp -s "$tmp/want" "$tmp/got"
				check $? "--task $task ${kind%:*} of $trace differs from regions $name: $(diff "$tmp/want" "$tmp/got" | head -4)"
			done
		done
	else
		check 1 "go tool trace -http on $trace did not come up: $(tail -3 "$tmp/http.log")"
	fi
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
}

# CPU samples against the run's CPU profile: the same samples (count and
# stack of functions, inlined frames as pprof expands them). Only for the
# corpus runs: in a run written here the profile and the trace are not cut
# at the same instant and either may hold a sample the other lacks.
compare_cpu() {
	trace=$1 cpu=$2 go=$3
	"$ms" convert --trace-profile cpu "$trace" -o "$tmp/cpu.pb.gz" || { check 1 "cpu of $trace"; return; }
	stacks "$go" "$cpu" >"$tmp/wantc"
	stacks "$go" "$tmp/cpu.pb.gz" >"$tmp/gotc"
	[ "$(totals "$tmp/wantc")" = "$(totals "$tmp/gotc")" ]
	check $? "cpu samples of $trace [$(totals "$tmp/gotc")] vs $cpu [$(totals "$tmp/wantc")]"
	traces "$go" "$cpu" >"$tmp/want"
	traces "$go" "$tmp/cpu.pb.gz" >"$tmp/got"
	cmp -s "$tmp/want" "$tmp/got"
	check $? "cpu stacks of $trace vs $cpu: $(diff "$tmp/want" "$tmp/got" | head -5)"
}

for v in 22 23; do
	go=/usr/lib/go-1.$v/bin/go
	if [ ! -x "$go" ]; then
		echo "Go 1.$v not installed ($go): its traces skipped"
		continue
	fi
	for t in "$top"/testdata/gotrace/*.go1.$v.trace "$top"/testdata/gotrace/*.go1.$v.*.trace; do
		[ -f "$t" ] && compare "$t" "$go"
	done
	# the 1.25 and 1.26 framings of a 1.23 trace (tools/gotrace_txt2bin.py
	# --as): the same events, so Go 1.23's tool on the original is the
	# reference (the rules of Go 1.23's tool apply to 1.25/1.26 traces)
	if [ $v = 23 ]; then
		# cut short inside generation 2 (which starts at byte 16381):
		# the same as the trace of generation 1 alone
		head -c 16381 "$top/testdata/gotrace/gens.go1.23.trace" >"$tmp/gen1.trace"
		head -c 30000 "$top/testdata/gotrace/gens.go1.23.trace" >"$tmp/cut.trace"
		compare "$tmp/gen1.trace" "$go" "$tmp/cut.trace" 2>/dev/null
		for n in 25 26; do
			[ -f "$top/testdata/gotrace/gens.go1.$n.trace" ] &&
				compare "$top/testdata/gotrace/gens.go1.23.trace" "$go" "$top/testdata/gotrace/gens.go1.$n.trace"
		done
	fi
	command -v curl >/dev/null 2>&1 && compare_regions "$top/testdata/gotrace/demo.go1.$v.trace" "$go" worker=demo
	[ -f "$top/testdata/gotrace/demo.go1.$v.cpu.pb.gz" ] &&
		compare_cpu "$top/testdata/gotrace/demo.go1.$v.trace" "$top/testdata/gotrace/demo.go1.$v.cpu.pb.gz" "$go"
	# a trace written now by this Go, from our own program
	if [ -f "$top/tests/gotrace/prog.go" ]; then
		mkdir -p "$tmp/p$v" && cp "$top/tests/gotrace/prog.go" "$tmp/p$v/main.go"
		if (cd "$tmp/p$v" && GOCACHE="$tmp/cache" GO111MODULE=off GOFLAGS= "$go" build -o prog main.go) \
			>"$tmp/build.err" 2>&1; then
			"$tmp/p$v/prog" "$tmp/p$v/trace.out" "$tmp/p$v/cpu.pb.gz" >/dev/null 2>&1 ||
				check 1 "running the Go 1.$v test program"
			compare "$tmp/p$v/trace.out" "$go"
			command -v curl >/dev/null 2>&1 &&
				compare_regions "$tmp/p$v/trace.out" "$go" locked network files
		else
			check 1 "building tests/gotrace/prog.go with Go 1.$v: $(head -c 300 "$tmp/build.err")"
		fi
	fi
done
[ "$ran" = 0 ] && [ "$fail" = 0 ] && { echo "no Go 1.22/1.23 installed: skipped"; exit 77; }
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
