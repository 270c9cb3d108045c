# memscope gctrace on Go execution traces (runtime/trace): command-line cases
# (format: see tests/cli-run.sh). Expected values come from the same run's
# GODEBUG=gctrace=1 lines (testdata/gotrace/waits.go1.19.gctrace.log: 9
# lines between "waits: trace start" and "waits: trace stop", their
# A->B->C MB fields), or from construction (an MMU window shorter than the
# longest stop-the-world pause is 0).

### a go 1.19 trace: one cycle per gctrace line written while it ran
$ memscope gctrace testdata/gotrace/waits.go1.19.trace
~ Go execution trace: go 1.19 format
~ GC cycles: 9 (gc 1-9), 0 forced
~ GC sweep termination             9
~ GC mark termination              9

### --json: the heap of every cycle equals the gctrace lines' A->B->C MB
$ memscope gctrace --json --cycles testdata/gotrace/waits.go1.19.trace | jq -c '[.gc_count, [.cycles[] | "\(.heap_start_mb)->\(.heap_end_mb)->\(.heap_live_mb)"]]'
> [9,["3->4->2","4->6->5","9->15->14","24->30->19","33->38->18","32->37->18","32->40->21","36->40->17","17->17->1"]]

### generational traces (go 1.22, 1.23): A->B->C MB and goal equal waits.go1.NN.gctrace.log's lines between "trace start" and "trace stop"
$ memscope gctrace --json --cycles testdata/gotrace/waits.go1.22.trace | jq -c '[.gc_count, [.cycles[] | "\(.heap_start_mb)->\(.heap_end_mb)->\(.heap_live_mb) \(.goal_mb)"]]'
> [8,["3->5->4 4","7->9->7 8","13->17->14 15","25->30->20 29","34->39->19 40","33->41->22 38","38->49->25 44","34->34->2 50"]]

### go 1.23: gc 7 (36->46->24) ends with a 12 ms STW_END, after the restarted world allocated 33 MB: C is the marked heap all the same
$ memscope gctrace --json --cycles testdata/gotrace/waits.go1.23.trace | jq -c '[.gc_count, [.cycles[] | "\(.heap_start_mb)->\(.heap_end_mb)->\(.heap_live_mb) \(.goal_mb)"]]'
> [9,["3->3->2 4","4->4->4 4","8->9->7 9","12->19->19 15","32->39->21 38","36->46->24 42","41->51->24 48","41->43->16 48","16->16->2 33"]]

### --mmu --json: the curve from 100 us to the trace's length (from the first GOMAXPROCS event to the last event), 0 below the longest pause
$ memscope gctrace --mmu --json testdata/gotrace/waits.go1.21.trace | jq -c '[.mmu[0], (.mmu | length > 5), (.mmu[-1].window_ns <= .go_trace.duration_ns and .mmu[-1].window_ns > .go_trace.duration_ns / 2), ([.mmu[].utilization] | max <= 1)]'
> [{"window_ns":100000,"utilization":0},true,true,true]

### --mmu on a gctrace log is a usage error
$ memscope gctrace --mmu testdata/go1.19/leaky.gctrace.log
? 2
! --mmu needs a Go execution trace

### a trace cut short: read to its last complete batch, one warning with the offset
$ head -c 150000 testdata/gotrace/waits.go1.19.trace | memscope gctrace -
~ Go execution trace: go 1.19 format
~ , cut short
! -: byte 128893: trace cut short

### a corrupt trace: one line naming the byte, exit 2
$ printf 'go 1.19 trace\000\000\000\077' | memscope gctrace -
? 2
! byte 16: unknown event type 63

### go 1.22: gc 6 of the run (the trace's gc 5) restarted the world 0.2 ms into its mark termination (its gctrace line: 0.050+23+0.20 ms clock) and traced STW_END 15.5 ms later (go tool trace -d=2: STWEnd dt=242594 at 15625000 ticks/s): the report's mark termination is the line's c, the JSON keeps the traced window
$ memscope gctrace --json --cycles testdata/gotrace/waits.go1.22.trace | jq -c '[.cycles[4].mark_term_ms >= 0.20 and .cycles[4].mark_term_ms < 0.21, [.go_trace.stw[] | select(.gc == 5 and .reason == "GC mark termination") | .traced_duration_ns > 15500000]]'
> [true,[true]]
