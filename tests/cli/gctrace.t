# memscope gctrace: command-line cases (format: see tests/cli-run.sh).
# Expected numbers for the real logs were computed by hand from the raw lines
# (awk over the clock field for pauses, the @ field for intervals); see the
# comment at the top of tests/check_gctrace.c.

### leaky (Go 1.19): counts, forced cycles and the pause maximum
$ memscope gctrace testdata/go1.19/leaky.gctrace.log
~ GC cycles: 16 (gc 1-16), 5 forced
~ STW pause: p50 0.082 ms, p90 0.104 ms, p99 0.138 ms, max 0.138 ms at gc 4, total 1.04 ms
~ critical live_heap_growth: live heap after GC rose from 20 MB (gc 9) to 71 MB (gc 16)

### leaky: the whole text report (golden)
$ memscope gctrace testdata/go1.19/leaky.gctrace.log
>> testdata/gctrace/leaky.expected.txt

### GOGC 50 vs 100 vs 200 side by side (golden)
$ memscope gctrace testdata/go1.19/mapmerge.gogc50.gctrace.log testdata/go1.19/mapmerge.gogc100.gctrace.log testdata/go1.19/mapmerge.gogc200.gctrace.log
>> testdata/gctrace/mapmerge-compare.expected.txt

### comparison rows: cycle counts and pause maxima per GOGC
$ memscope gctrace testdata/go1.19/mapmerge.gogc50.gctrace.log testdata/go1.19/mapmerge.gogc100.gctrace.log testdata/go1.19/mapmerge.gogc200.gctrace.log | grep -E '^(GC cycles|STW pause max ms|interval p50 ms) '
> GC cycles                       38        18         9
> interval p50 ms                 10        17        32
> STW pause max ms             0.143     0.151     0.175

### --json: the documented keys with exact values
$ memscope gctrace --json --cycles testdata/go1.19/leaky.gctrace.log | jq -c '[.gc_count, .forced_count, .pause_ms.p50, .pause_ms.p90, .pause_ms.p99, .pause_ms.max, .pause_ms.max_gc, (.cycles | length), .cycles[7].forced, .findings[0].kind, .findings[0].severity]'
> [16,5,0.082,0.104,0.138,0.138,4,16,true,"live_heap_growth","critical"]

### --json with several logs wraps them in "logs"
$ memscope gctrace --json --cycles testdata/go1.19/mapmerge.gogc50.gctrace.log testdata/gctrace/go15.log | jq -c '[.logs[].gc_count, .logs[1].format, .logs[1].cycles[1].install_wb_ms]'
> [38,4,"go1.5",0.35]

### --csv: a header and one row per cycle
$ memscope gctrace --csv testdata/go1.19/mapmerge.gogc200.gctrace.log | sed -n '1p;10p'
> file,gc,line,format,at_s,cpu_percent,forced,pause_ms,sweep_term_ms,mark_ms,mark_term_ms,install_wb_ms,cpu_sweep_term_ms,cpu_assist_ms,cpu_bg_ms,cpu_idle_ms,cpu_mark_term_ms,heap_start_mb,heap_end_mb,heap_live_mb,goal_mb,stacks_mb,globals_mb,procs
> testdata/go1.19/mapmerge.gogc200.gctrace.log,9,9,go1.18+,0.324,0,0,0.099,0.029,0.94,0.07,,0.058,0,0.37,0.23,0.14,81,81,27,83,0,0,2

### Go 1.5 lines (constructed): five phases, write-barrier install counted as STW
$ memscope gctrace testdata/gctrace/go15.log
~ Format: go1.5
~ GC cycles: 4 (gc 1-4), 1 forced
~ STW pause: p50 0.265 ms, p90 0.688 ms, p99 0.688 ms, max 0.688 ms at gc 2

### Go 1.6-1.17 lines (constructed): a 45 ms mark termination is a long pause
$ memscope gctrace testdata/gctrace/go16.log
~ Format: go1.6-1.17
~ GOMAXPROCS: 4 to 8, 1 changes
~ warn     long_pause: 1 stop-the-world pause >= 1 ms (median 0.039 ms); longest 45 ms at gc 5 (@0.110s)

### prefixes, interleaved output, CRLF, docker JSON lines
$ memscope gctrace testdata/gctrace/prefixed.log
~ Lines: 11 (5 gc, 1 scavenger, 0 pacer, 0 other runtime, 5 skipped, 0 malformed)
~ GC cycles: 5 (gc 1-5), 1 forced

### --strict lists the skipped lines and exits 1
$ memscope gctrace --strict testdata/gctrace/prefixed.log
? 1
~ GC cycles: 5 (gc 1-5), 1 forced
! prefixed.log:2: not a Go runtime line
! prefixed.log:11: not a Go runtime line

### gzip on stdin
$ gzip -c testdata/gctrace/leak.log | memscope gctrace -
~ File: -
~ GC cycles: 24 (gc 1-24), 0 forced
~ warn     live_heap_growth: live heap after GC rose from 33 MB (gc 13) to 57 MB (gc 24)

### a heap that plateaus is not a leak
$ memscope gctrace testdata/gctrace/plateau.log
~ Findings:
~   (none)

### memory-limit thrash (constructed)
$ memscope gctrace testdata/gctrace/thrash.log
~ critical memory_limit_thrash: the memory limit is reached
~ so GOGC is off or above the limit

### GOGC=off GOMEMLIMIT=20MiB, 8 MiB live (real, Go 1.23): the limit sets the goal; no "raise GOGC"
$ memscope gctrace testdata/gctrace/memlimit/gogc-off-limit20m.go1.23.log | grep -c 'raise GOGC'; memscope gctrace testdata/gctrace/memlimit/gogc-off-limit20m.go1.23.log | grep -o 'memory_limit_bound: heap goal set by a memory limit, not GOGC'
> 0
> memory_limit_bound: heap goal set by a memory limit, not GOGC

### GOGC=off GOMEMLIMIT=64MiB, live heap grown to 96 MiB (real, Go 1.23): the live heap exceeds the limit
$ memscope gctrace testdata/gctrace/memlimit/gogc-off-limit64m-grow.go1.23.log
~ critical memory_limit_exceeded: the live heap exceeds the memory limit

### one GC cycle: too few to judge, no finding (a --fail-on warn gate passes)
$ memscope gctrace --fail-on warn testdata/gctrace/memlimit/short.go1.23.log
~ GC cycles: 1 (gc 1-1), 0 forced
~   (none)

### a gc line cut by the program's own output is stitched back (published log)
$ memscope gctrace testdata/gctrace/split-published.log
~ Lines: 30 (25 gc, 0 scavenger, 0 pacer, 0 other runtime, 5 skipped, 0 malformed)
~ GC cycles: 25 (gc 1-25), 2 forced

### GOGC=off GOMEMLIMIT=64MiB (real): the goal is pinned but there is no thrash
$ memscope gctrace testdata/go1.19/mapmerge.memlimit64m.gctrace.log
~ info     memory_limit_bound: heap goal pinned at 51-52 MB over gc 1-10 (10 cycles) while the live heap moved 13-35 MB

### scavenger and pacer lines of every generation
$ memscope gctrace testdata/gctrace/scavenger.log
~ Lines: 19 (0 gc, 13 scavenger, 5 pacer, 1 other runtime, 0 skipped, 0 malformed)
~ Scavenger: 13 lines (4 forced), 19.73 MB returned to the OS; heap released at the end 4.48 MB
~ Pacer: 5 lines, 1 controller resets, last cons/mark 1.5

### bad lines: warnings with line numbers, the good lines still count
$ memscope gctrace testdata/gctrace/bad.log
~ Lines: 8 (2 gc, 0 scavenger, 0 pacer, 0 other runtime, 1 skipped, 5 malformed)
! bad.log:3: malformed runtime line skipped: number out of range
! bad.log:5: malformed runtime line skipped: expected ' ms cpu, '
! bad.log:8: truncated last line (no newline)

### binary junk: nothing could be read
$ memscope gctrace testdata/gctrace/junk.bin
? 2
! 'testdata/gctrace/junk.bin': no gctrace lines found (16 lines read)

### a missing file
$ memscope gctrace testdata/gctrace/nope.log
? 2
! cannot open 'testdata/gctrace/nope.log'

### --json and --csv exclude each other
$ memscope gctrace --json --csv testdata/gctrace/leak.log
? 2
! exclude each other

### --fail-on: a gate on the worst finding
$ memscope gctrace --fail-on warn testdata/go1.19/leaky.gctrace.log
? 1
~ live_heap_growth

### one severity vocabulary: gctrace takes frag's spelling "warning"
$ memscope gctrace --fail-on warning testdata/go1.19/leaky.gctrace.log
? 1
~ live_heap_growth

### an unknown severity names the accepted ones
$ memscope gctrace --fail-on loud testdata/go1.19/leaky.gctrace.log
? 2
! --fail-on takes info, warn (warning) or critical (crit), not 'loud'

### --fail-on critical passes on GOGC=200
$ memscope gctrace --fail-on critical testdata/go1.19/mapmerge.gogc200.gctrace.log
~ GC cycles: 9 (gc 1-9), 0 forced

### --svg: well-formed XML with the three heap series, pause bars and findings
$ d=$(mktemp -d) && memscope gctrace --svg "$d/t.svg" testdata/go1.19/leaky.gctrace.log >/dev/null && xmllint --noout "$d/t.svg" && grep -c '<polyline' "$d/t.svg" && grep -o 'live heap 71 MB\|heap goal 116 MB\|heap at GC start 94 MB\|critical: live_heap_growth\|max 0.138 ms (gc 4)' "$d/t.svg" | sort; rm -rf "$d"
> 3
> critical: live_heap_growth
> heap at GC start 94 MB
> heap goal 116 MB
> live heap 71 MB
> max 0.138 ms (gc 4)

### -o writes the report to a file
$ d=$(mktemp -d) && memscope gctrace -o "$d/r.csv" --csv testdata/gctrace/go16.log && wc -l <"$d/r.csv"; rm -rf "$d"
> 9

### a log over 8 MiB (read mapped, in windows) parses exactly like the same bytes on stdin
$ d=$(mktemp -d) && i=0 && while [ $i -lt 1700 ]; do cat testdata/go1.19/mapmerge.gogc50.gctrace.log; i=$((i + 1)); done >"$d/big.log" && memscope gctrace --csv "$d/big.log" | cut -d, -f2- >"$d/a" && memscope gctrace --csv - <"$d/big.log" | cut -d, -f2- >"$d/b" && cmp "$d/a" "$d/b" && wc -l <"$d/a" && memscope gctrace "$d/big.log" | grep 'GC cycles'; rm -rf "$d"
> 64601
> GC cycles: 64600 (gc 1-38), 0 forced, 1700 runs (numbering restarts)

### a log over 32 MiB (parsed in chunks on several threads) parses exactly like stdin, warnings and strict line numbers included (38 cycles × 7000, bad.log's 3 good lines, prefixed.log's 5 × 1000 less the first, joined to bad.log's unterminated last line)
$ d=$(mktemp -d) && { i=0; while [ $i -lt 7000 ]; do cat testdata/go1.19/mapmerge.gogc50.gctrace.log; i=$((i + 1)); done; cat testdata/gctrace/bad.log; i=0; while [ $i -lt 1000 ]; do cat testdata/gctrace/prefixed.log; i=$((i + 1)); done; } >"$d/big.log" && test "$(wc -c <"$d/big.log")" -gt 33554432 && { memscope gctrace --strict --json --cycles "$d/big.log" 2>"$d/e1"; echo "exit $?" >>"$d/e1"; } | grep -v '"file"' >"$d/a" && { memscope gctrace --strict --json --cycles - <"$d/big.log" 2>"$d/e2"; echo "exit $?" >>"$d/e2"; } | grep -v '"file"' >"$d/b" && cmp "$d/a" "$d/b" && sed 's/^memscope: warning: [^:]*://' "$d/e1" >"$d/f1" && sed 's/^memscope: warning: [^:]*://' "$d/e2" >"$d/f2" && cmp "$d/f1" "$d/f2" && grep -c '{"gc": ' "$d/a" && tail -1 "$d/e1"; s=$?; rm -rf "$d"; exit $s
> 271002
> exit 1

### a log over 32 MiB whose last line has no newline: warned about and counted as on stdin
$ d=$(mktemp -d) && i=0 && while [ $i -lt 7000 ]; do cat testdata/go1.19/mapmerge.gogc50.gctrace.log; i=$((i + 1)); done | head -c 34000000 >"$d/big.log" && memscope gctrace "$d/big.log" 2>"$d/e1" | grep -v '^File' >"$d/a" && memscope gctrace - <"$d/big.log" 2>"$d/e2" | grep -v '^File' >"$d/b" && cmp "$d/a" "$d/b" && sed 's/^.*big.log://' "$d/e1" && sed -n 1p "$d/a"; rm -rf "$d"
> 251852: truncated last line (no newline): expected 'MB goal', 'MB stacks', 'MB globals' or 'P'
> Lines: 251852 (251851 gc, 0 scavenger, 0 pacer, 0 other runtime, 0 skipped, 1 malformed)
