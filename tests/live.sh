#!/bin/sh
# live.sh — URL sources and `memscope watch` against a real Go server with
# net/http/pprof (tools/pprofserve, built here with Go 1.19, else the go on
# PATH; without one the test skips, exit 77). The server's heap changes
# only when its heap profile is requested, so every expectation follows
# from the program's construction and the number of requests, never from
# timing: the fetched profile's bytes in main.keep equal what the server
# says it holds (/held); a leak server's series is flagged and a plateau
# server's (a bounded cache) is not. Errors: a 404, a refused port, a
# timeout (/slow), an HTML page; HTTPS with a self-signed certificate
# (refused, then trusted with --cacert); headers and a URL's user:password never echoed. --dir follows a
# `memscope run --interval` directory of tests/rt/leakprog.
set -u
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
go=/usr/lib/go-1.19/bin/go
[ -x "$go" ] || go=$(command -v go) || { echo "go not installed: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM HUP
export HOME="$tmp/home" XDG_CACHE_HOME= MEMSCOPE_SAVE_DIR= MEMSCOPE_HTTP_HEADER=
mkdir -p "$HOME"
pass=0 fail=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); echo "ok - $2"; else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

if ! (cd "$top/tools/pprofserve" && GOCACHE="$tmp/gocache" GO111MODULE=off GOFLAGS= "$go" build -o "$tmp/pprofserve" main.go) \
	>"$tmp/build.err" 2>&1; then
	cat "$tmp/build.err"
	echo "FAIL: building tools/pprofserve"
	exit 1
fi

# start NAME ARGS...: runs the server, waits (up to 120 s) for its
# "port N" line; sets $port
start() {
	name=$1
	shift
	"$tmp/pprofserve" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pids="$pids $!"
	eval "${name}_pid=$!"
	i=0
	while ! grep -q '^port ' "$tmp/$name.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 1200 ] || { echo "FAIL: $name did not start: $(cat "$tmp/$name.err")"; exit 1; }
		sleep 0.1
	done
	port=$(awk '/^port / { print $2 }' "$tmp/$name.out")
}
get() { python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
# one_line FILE: exactly one line
one_line() { [ "$(wc -l <"$1")" = 1 ]; }

start leak -mode leak
leak=$port
start plateau -mode plateau -token s3cr3t-token
plateau=$port
start auth -mode leak -token s3cr3t-token
auth=$port
start tls -mode leak -tls "$tmp/ca.pem"
tls=$port
start gone -mode leak
gone=$port
kill "$gone_pid"
wait "$gone_pid" 2>/dev/null
base=http://127.0.0.1:$leak/debug/pprof

# ---- fetch without seconds: the heap now (gc=1), main.keep = what the server holds
"$ms" top --json -n 50 --save "$tmp/save" "$base/heap?gc=1" >"$tmp/top.json" 2>"$tmp/top.err"
check $? "top URL exits 0"
held=$(get "http://127.0.0.1:$leak/held" | awk '{ print $1 }')
got=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(r["flat"] for r in d["rows"] if r["name"] == "main.keep"))' "$tmp/top.json")
[ -n "$held" ] && [ "$held" -gt 0 ] && [ "$got" = "$held" ]
check $? "main.keep in the fetched heap = the server's own count ($got vs $held bytes)"
saved=$(ls "$tmp/save"/heap.*.pb.gz 2>/dev/null | head -1)
[ -n "$saved" ] && grep -q "saved as $saved" "$tmp/top.err"
check $? "the fetched profile is saved and its path said: $(cat "$tmp/top.err")"
ref=$("$go" tool pprof -sample_index=inuse_space -unit=B -top "$saved" 2>/dev/null | awk '$NF == "main.keep" { sub(/B$/, "", $1); print $1 }')
[ "$ref" = "$held" ]
check $? "go tool pprof reads the saved file: main.keep $ref B"
[ -z "$(ls "$tmp/save" | grep -v '^heap\.[0-9-]*\.pb\.gz$')" ]
check $? "only complete files in the save folder: $(ls "$tmp/save" | tr '\n' ' ')"
# the default folder: per host under ~/.cache/memscope
"$ms" info "$base/goroutine" >/dev/null 2>&1
ls "$HOME/.cache/memscope/127.0.0.1_$leak"/goroutine.*.pb.gz >/dev/null 2>&1
check $? "default save folder ~/.cache/memscope/127.0.0.1_PORT"

# ---- with seconds: a CPU profile of 1 s and a Go execution trace
"$ms" info --json --seconds 1 --save "$tmp/save" "$base/profile" >"$tmp/cpu.json" 2>"$tmp/cpu.err"
check $? "info --seconds 1 URL/profile exits 0: $(cat "$tmp/cpu.err")"
# Go starts the profile's clock in the profile-writer goroutine, after the
# handler's sleep has begun, so on a loaded machine the recorded duration can
# fall short of 1 s; what --seconds guarantees is that the server did not
# use its default of 30 s.
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if 0 < d["duration_nanos"] < 15e9 and d["period_type"]["type"] == "cpu" else 1)' "$tmp/cpu.json"
check $? "the CPU profile asked for 1 s is a CPU profile shorter than the server's default 30 s: $(grep -o '"duration_nanos": *[0-9]*' "$tmp/cpu.json")"
"$ms" info --seconds 1 --save "$tmp/save" "$base/trace" >"$tmp/trace.txt" 2>&1
check $? "info --seconds 1 URL/trace exits 0"
grep -q '^Go execution trace: go 1\.19 trace' "$tmp/trace.txt" && ls "$tmp/save"/trace.*.trace >/dev/null 2>&1
check $? "the trace is read as a Go 1.19 execution trace and saved as .trace: $(grep "^Go execution" "$tmp/trace.txt")"
"$ms" info --seconds 1 "$base/profile?seconds=2" >/dev/null 2>"$tmp/both.err"
[ $? = 2 ] && one_line "$tmp/both.err"
check $? "--seconds and seconds= in the URL: exit 2"

# ---- errors: one line naming the URL and the cause, exit 2
"$ms" top "http://127.0.0.1:$leak/nope" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && grep -q "http://127.0.0.1:$leak/nope: HTTP 404" "$tmp/e" && [ ! -s "$tmp/o" ]
check $? "404: exit $rc, $(cat "$tmp/e")"
"$ms" top "http://127.0.0.1:$gone/debug/pprof/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && grep -q "http://127.0.0.1:$gone/debug/pprof/heap: connection refused" "$tmp/e"
check $? "refused port: exit $rc, $(cat "$tmp/e")"
start=$(date +%s)
"$ms" top --timeout 2 "http://127.0.0.1:$leak/slow" >"$tmp/o" 2>"$tmp/e"
rc=$?
took=$(($(date +%s) - start))
# "quickly": the server would answer in 10 minutes; 120 s is generous
[ $rc = 2 ] && one_line "$tmp/e" && grep -q "/slow: timed out after 2 s" "$tmp/e" && [ $took -lt 120 ]
check $? "timeout: exit $rc after ${took}s, $(cat "$tmp/e")"
"$ms" top "$base/" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && grep -q "$base/: this is an HTML page" "$tmp/e"
check $? "an HTML page: exit $rc, $(cat "$tmp/e")"

# ---- HTTPS: certificates are verified; --cacert trusts a private CA
"$ms" info --save "$tmp/save" "https://127.0.0.1:$tls/debug/pprof/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && grep -q "https://127.0.0.1:$tls/debug/pprof/heap: .*certificate" "$tmp/e"
check $? "a self-signed certificate is refused: exit $rc, $(cat "$tmp/e")"
"$ms" info --save "$tmp/save" --cacert "$tmp/ca.pem" "https://127.0.0.1:$tls/debug/pprof/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 0 ] && grep -q 'inuse_space' "$tmp/o"
check $? "--cacert: the server's own certificate is trusted: exit $rc"

# ---- headers: the token reaches the server, and is never printed
ab=http://127.0.0.1:$auth/debug/pprof
"$ms" info --save "$tmp/save" "$ab/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && grep -q "HTTP 401" "$tmp/e"
check $? "without the token: exit $rc, $(cat "$tmp/e")"
"$ms" info --save "$tmp/save" --header 'Authorization: Bearer s3cr3t-token' "$ab/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 0 ] && ! grep -q s3cr3t "$tmp/o" "$tmp/e"
check $? "--header: exit $rc"
MEMSCOPE_HTTP_HEADER='Authorization: Bearer s3cr3t-token' "$ms" info --save "$tmp/save" "$ab/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 0 ] && ! grep -q s3cr3t "$tmp/o" "$tmp/e"
check $? "MEMSCOPE_HTTP_HEADER: exit $rc"
MEMSCOPE_HTTP_HEADER='Authorization: Bearer s3cr3t-token' "$ms" info "http://127.0.0.1:$auth/nope" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && ! grep -q s3cr3t "$tmp/e"
check $? "an error with a header set does not show it: $(cat "$tmp/e")"
"$ms" info --header 'Bearer s3cr3t-token' "$ab/heap" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && ! grep -q s3cr3t "$tmp/e"
check $? "a malformed header is refused without showing it: $(cat "$tmp/e")"
"$ms" info "http://user:pa55w0rd@127.0.0.1:$leak/nope" >"$tmp/o" 2>"$tmp/e"
[ $? = 2 ] && ! grep -q pa55w0rd "$tmp/e"
check $? "credentials in the URL are not in messages: $(cat "$tmp/e")"
# (the goroutine endpoint: it leaves the leak server's heap as it is)
cu="http://user:pa55w0rd@127.0.0.1:$leak/debug/pprof/goroutine"
"$ms" info --save "$tmp/save" "$cu" >"$tmp/o" 2>"$tmp/e" &&
	"$ms" info --json --save "$tmp/save" "$cu" >>"$tmp/o" 2>>"$tmp/e" &&
	"$ms" report --save "$tmp/save" --html "$tmp/cred.html" "$cu" >>"$tmp/o" 2>>"$tmp/e"
rc=$?
[ $rc = 0 ] && ! grep -q pa55w0rd "$tmp/o" "$tmp/e" "$tmp/cred.html" &&
	grep -q "^File: http://127.0.0.1:$leak/debug/pprof/goroutine" "$tmp/o"
check $? "credentials in the URL are not in info's File: line, its JSON or the HTML report: exit $rc, $(grep -h -o 'pa55w0rd.\{0,20\}' "$tmp/o" "$tmp/e" "$tmp/cred.html" | head -1)"

# ---- watch: each heap request adds 1 MiB (64 x 16 KiB) to main.keep;
# the leak server keeps it all, the plateau server (not asked before)
# keeps the last 2 MiB
held0=$(get "http://127.0.0.1:$leak/held" | awk '{ print $1 }')
"$ms" watch "$base/heap" --every 10ms --count 8 -o "$tmp/wleak" --fail-on-leak >"$tmp/wl.out" 2>"$tmp/wl.err"
rc=$?
n=$(ls "$tmp/wleak"/heap.*.pb.gz 2>/dev/null | wc -l)
[ $rc = 1 ] && [ "$n" -ge 4 ] && sed -n '/^Leak suspects/,/^Grew, but/p' "$tmp/wl.out" | grep -q '^  main.keep$'
check $? "watch --fail-on-leak on the leak: exit $rc after $n snapshots, main.keep suspected"
# the series on disk: what the server held at each snapshot, 1..n MiB
ok=0 i=1
for f in "$tmp/wleak"/heap.*.pb.gz; do
	v=$("$go" tool pprof -sample_index=inuse_space -unit=B -top "$f" 2>/dev/null | awk '$NF == "main.keep" { sub(/B$/, "", $1); print $1 }')
	[ "$v" = $((held0 + i * 1048576)) ] || { ok=1; echo "# $f: main.keep $v B, want $((held0 + i * 1048576))"; }
	i=$((i + 1))
done
check $ok "the saved series grows by 1 MiB a snapshot in main.keep from $held0 B (go tool pprof)"
"$ms" watch "http://127.0.0.1:$plateau/debug/pprof/heap" --header 'Authorization: Bearer s3cr3t-token' --every 10ms --count 8 -o "$tmp/wplat" --fail-on-leak \
	>"$tmp/wp.out" 2>"$tmp/wp.err"
rc=$?
n=$(ls "$tmp/wplat"/heap.*.pb.gz 2>/dev/null | wc -l)
[ $rc = 0 ] && [ "$n" = 8 ] && grep -q '^No leak suspects' "$tmp/wp.out" && grep -q '^  main.keep .*plateau' "$tmp/wp.out"
check $? "watch on the plateau: exit $rc, $n snapshots, main.keep a plateau"

# an unreachable server: one line, exit 2, no folder left behind
"$ms" watch "http://127.0.0.1:$gone/debug/pprof/heap" --count 3 -o "$tmp/wgone" >"$tmp/o" 2>"$tmp/e"
rc=$?
[ $rc = 2 ] && one_line "$tmp/e" && grep -q 'connection refused' "$tmp/e" && [ ! -e "$tmp/wgone" ]
check $? "watch on a refused port: exit $rc, $(cat "$tmp/e")"
# --json: the final report only, in leaks --json's form
"$ms" watch "$base/heap" --every 10ms --count 3 -o "$tmp/wjson" --json >"$tmp/wj.out" 2>/dev/null
rc=$?
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["snapshots"] == 3 and [x["name"] for x in d["suspects"]] == ["main.keep"] else 1)' "$tmp/wj.out"
check $? "watch --json: exit $rc, 3 snapshots, main.keep the one suspect"

# SIGINT: stops cleanly with the series saved and a final report
"$ms" watch "$base/heap" --every 10ms -o "$tmp/wint" >"$tmp/wi.out" 2>"$tmp/wi.err" &
wpid=$!
pids="$pids $wpid"
i=0
while [ "$(ls "$tmp/wint" 2>/dev/null | grep -c '^heap\.[0-9]*\.pb\.gz$')" -lt 3 ] && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $wpid
wait $wpid
rc=$?
[ $rc = 0 ] && grep -q "stopped by signal 2" "$tmp/wi.err" && grep -q '^Snapshots: ' "$tmp/wi.out" &&
	[ -z "$(ls "$tmp/wint" | grep -v '^heap\.[0-9]*\.pb\.gz$')" ]
check $? "SIGINT: exit $rc, a final report, only whole snapshots: $(tail -2 "$tmp/wi.err" | tr '\n' ' ')"

# --dir: a `memscope run --interval` directory (--rate 1: exact values; a snapshot every 512 KB
# allocated; leakprog 20000 allocates ~8 MB, half of it 200-byte records
# that leak_record leaks all along). The runtime's background thread writes
# a snapshot when it gets to it after the byte interval is crossed, so on a
# loaded machine snapshots bunch up and the classification of five of them
# (suspect, or plateau/irregular when three land close together) depends on
# the schedule. What does not: the snapshots are read in order and named
# (symbolized while the process runs), leak_record's bytes never shrink and
# grow, and the exit status is 1 exactly when the report names a suspect
# and --confirm's 4 snapshots were taken (leakprog writes 4 or more).
# (Flagging a leak and not a plateau is checked above, against the server.)
# dir_ok OUT RC: the JSON report in OUT and watch's exit status RC agree so
dir_ok() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[2])
sites = {s["name"]: s for s in d["suspects"] + d["not_suspects"]}
lr = sites.get("leak_record")
ok = 3 <= d["snapshots"] <= 5 and lr is not None and lr["growth"] > 0 and \
	all(b >= a for a, b in zip(lr["series"], lr["series"][1:])) and \
	rc == (1 if d["suspects"] and d["snapshots"] >= 4 else 0) and \
	(rc == 0 or "leak_record" in [s["name"] for s in d["suspects"]])
sys.exit(0 if ok else 1)' "$1" "$2"
}
prog=$(dirname "$ms")/tests/rt/leakprog
if [ -x "$prog" ]; then
	# watch first, following the run as it writes (unsymbolized snapshots
	# while leakprog runs); it stops at --count or when leakprog is gone.
	mkdir -p "$tmp/run"
	"$ms" watch --dir "$tmp/run" --every 10ms --count 5 --fail-on-leak --json >"$tmp/wd.out" 2>"$tmp/wd.err" &
	wpid=$!
	pids="$pids $wpid"
	"$ms" run -o "$tmp/run" --rate 1 --interval 512K -- "$prog" 20000 >/dev/null 2>&1
	wait $wpid
	rc=$?
	dir_ok "$tmp/wd.out" $rc
	check $? "watch --dir beside leakprog's run: exit $rc, leak_record named and growing, the exit status the report's: $(head -3 "$tmp/wd.err")"
	"$ms" watch --dir "$tmp/run" --every 10ms --count 5 --fail-on-leak --json >"$tmp/wd.out" 2>"$tmp/wd.err"
	rc=$?
	dir_ok "$tmp/wd.out" $rc
	check $? "watch --dir after the run: exit $rc, leak_record named and growing, the exit status the report's"
else
	echo "# $prog not built: --dir case skipped"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
