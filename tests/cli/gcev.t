# `memscope gctrace` on the collector's records of a runtime trace
# (format: see tests/cli-run.sh). testdata/msrt/gcbench.trace.out and
# gcbench.trace.gctrace.log come from one run of tools/bench/gcbench.c with
# MSRT_TRACE and MSRT_GCTRACE (testdata/README). The expected numbers were
# computed from the raw records by a separate Python reader of the format
# (record counts, the STW windows and their kinds, gc 4's trigger, goal,
# next goal and assist ratio revisions, the worst overshoot of the goal).

### the trace's cycles, with what the gctrace lines cannot show
$ memscope gctrace testdata/msrt/gcbench.trace.out
~ Records: 109 (46 gc cycles, 46 sweep ends, 1 settings) of a runtime trace, pid 32106
~ Format: go1.18+
~ GC cycles: 46 (gc 1-46), 0 forced
~ From the runtime trace:
~   Pacer: GOGC 100, no memory limit; 1 settings changes
~ ; 1 cycles started below it
~   Heap over the goal at mark end: 44 cycles, worst +9.93% at gc 2 (exact bytes)
~   STW windows: 95 (3 restarted mark terminations in 3 cycles);
~ max 7.3 ms at gc 25 (mark termination)
~   Mutator assists: 30.33% of mark CPU, 20.79% of the scan work
~ (46 of 46 cycles recorded)

### --json: the trace's additions with exact values
$ memscope gctrace --json testdata/msrt/gcbench.trace.out | jq -c '[.gc_count, .trace.records, .trace.stw_windows.count, .trace.stw_windows.restarts, .trace.stw_windows.cycles_with_restarts, .trace.stw_windows.ms.max, .trace.stw_windows.ms.max_gc, .trace.over_goal.max_gc, .trace.below_trigger_cycles, .trace.gogc, .trace.memory_limit]'
> [46,109,95,3,3,7.296,25,2,1,100,null]

### --json: one cycle's trigger, goal, the pacer's next goal, STW windows and assist ratio revisions
$ memscope gctrace --json --cycles testdata/msrt/gcbench.trace.out | jq -c '.cycles[3] | [.gc, .trace.trigger, .trace.goal, .trace.next_goal, .trace.heap_start, .trace.heap_end, .trace.heap_live, (.trace.stw | map(.kind)), .trace.stw[1].ms, (.trace.assist_ratio | length)]'
> [4,31336303,34102472,43580872,31342560,35282912,21516448,["sweep_termination","mark_termination"],1.211915,8]

### --json: the cycles with a restarted mark termination
$ memscope gctrace --json --cycles testdata/msrt/gcbench.trace.out | jq -c '[.cycles[] | select(any(.trace.stw[]; .kind == "mark_termination_restarted")) | .gc]'
> [9,19,45]

### the same cycles as the gctrace lines of the same run: gc, format, P%, forced, X->Y->Z, goal, stacks, globals, P
$ d=$(mktemp -d) && memscope gctrace --csv testdata/msrt/gcbench.trace.out | cut -d, -f2,4,6,7,18-24 >"$d/a" && memscope gctrace --csv testdata/msrt/gcbench.trace.gctrace.log | cut -d, -f2,4,6,7,18-24 >"$d/b" && cmp "$d/a" "$d/b" && wc -l <"$d/a"; rm -rf "$d"
> 47

### gzip on standard input
$ gzip -c testdata/msrt/gcbench.trace.out | memscope gctrace - | grep 'GC cycles'
> GC cycles: 46 (gc 1-46), 0 forced

### --cycles: one row per cycle; a restarted mark termination is marked r
$ memscope gctrace --cycles testdata/msrt/gcbench.trace.out | grep -E '^ +(4|9) '
>        4   0.217546      29.88     32.5     29.9     33.6     20.5    0.0583     7.35    46.9      1.15  0.0786 | 1.21
>        9   0.420359      17.65     18.4     17.7     18.7      8.9    0.0805     9.99   31.34     0.411  0.0639 | 0.0133r 0.0265

### --cycles on a text log: pause a+c (0.078+1.2), mark b, X->Y->Z, goal of the line "gc 4 @0.217s 6%: 0.078+28+1.2 ms clock, ..."
$ memscope gctrace --cycles testdata/msrt/gcbench.trace.gctrace.log | grep -E '^ +4 '
>        4      0.217        1.28        28 29->33->20       32

### comparing the text log with the trace: the trace's rows are "-" for the text log
$ memscope gctrace testdata/msrt/gcbench.trace.gctrace.log testdata/msrt/gcbench.trace.out | grep -E '^(STW restarts|cons/mark last)'
> cons/mark last                      -        0.125
> STW restarts                        -            3

### --json lists cycles only with --cycles (a 300 MB log gave 830 MB of JSON)
$ memscope gctrace --json testdata/msrt/gcbench.trace.out | jq -c '[has("cycles"), .gc_count > 0]'
> [false,true]

### --cycles with --csv is a usage error (the CSV is the cycles)
$ memscope gctrace --cycles --csv testdata/msrt/gcbench.trace.out
? 2
! --cycles and --csv exclude each other

### the profile reader skips the collector's records
$ memscope info testdata/msrt/gcbench.trace.out | grep Samples
> Samples: 431

### a trace cut inside a record
$ d=$(mktemp -d) && head -c 3000 testdata/msrt/gcbench.trace.out >"$d/t.out" && memscope gctrace "$d/t.out"; rc=$?; rm -rf "$d"; exit $rc
? 2
! byte 2971: record longer than the file

### a trace version this memscope does not know
$ d=$(mktemp -d) && printf 'MSRTRACE\002' >"$d/v2" && memscope gctrace "$d/v2"; rc=$?; rm -rf "$d"; exit $rc
? 2
! byte 8: trace version 2 is not supported

### a trace without GC records (a malloc program)
$ memscope gctrace testdata/rt/leakprog-100.trace.out
? 2
! no GC cycles in the runtime trace (13 records read)
