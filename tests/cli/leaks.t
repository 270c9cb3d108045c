# memscope leaks: a real Go heap profile series (tools/leakgen, see
# testdata/README) with a steady leak (main.leakyAppend), a cache that warms
# up and plateaus (main.cacheFill) and an oscillating pool (main.poolGrow);
# and the corpus' leaky program (main.newSession). Slopes and R² were
# checked against an independent least-squares fit of the JSON series.

### the steady leak is the top suspect, the cache and the pool are not
$ memscope leaks testdata/leaks/series.0.pb.gz testdata/leaks/series.1.pb.gz testdata/leaks/series.2.pb.gz testdata/leaks/series.3.pb.gz testdata/leaks/series.4.pb.gz testdata/leaks/series.5.pb.gz
~ Leak suspects (growing steadily):
~   main.leakyAppend
~     3.84MB -> 23.65MB (+19.81MB, 85% of the growth), slope +3.95MB/snapshot
~     allocated at: main.leakyAppend <- main.handle <- main.main <- runtime.main
~   main.cacheFill                           8.07MB -> 11.98MB  plateau: +3.84MB in the first half, +63.93kB in the second (a cache warming up?)
~   main.poolGrow                            464.71kB -> 0  oscillating: grew in 40% of the steps, peak 514.44kB

### JSON: exactly one suspect, with its series and fit
$ memscope leaks --json testdata/leaks/series.0.pb.gz testdata/leaks/series.1.pb.gz testdata/leaks/series.2.pb.gz testdata/leaks/series.3.pb.gz testdata/leaks/series.4.pb.gz testdata/leaks/series.5.pb.gz | tr -d ' \n'
~ "snapshots":6,
~ "suspects":[{"name":"main.leakyAppend","first":4030961,"last":24800815,"growth":20769854,
~ "slope_bytes_per_snapshot":4146873.97142857
~ "r2":0.99998686630456
~ "series":[4030961,8218072,12393324,16471131,20622576,24800815]
~ "name":"main.cacheFill"
~ "reason":"plateau"

### profiles are put in time order whatever the argument order
$ memscope leaks --json testdata/leaks/series.5.pb.gz testdata/leaks/series.2.pb.gz testdata/leaks/series.0.pb.gz testdata/leaks/series.4.pb.gz testdata/leaks/series.1.pb.gz testdata/leaks/series.3.pb.gz | tr -d ' \n'
~ "series":[4030961,8218072,12393324,16471131,20622576,24800815]

### --fail-on-leak exits 1 on a suspect
$ memscope leaks --fail-on-leak testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.1.pb.gz testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.3.pb.gz testdata/go1.19/heap.4.pb.gz
? 1
~   main.newSession
~     16.03MB -> 65.60MB (+49.57MB, 100% of the growth)

### --min-growth above the growth: no suspect, exit 0
$ memscope leaks --fail-on-leak --min-growth 100MB testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~ No leak suspects: nothing grew steadily by 100MB or more.

### a series of one profile
$ memscope leaks testdata/go1.19/heap.0.pb.gz
? 2
! a series needs at least two heap profiles (got one: testdata/go1.19/heap.0.pb.gz)

### profiles of different kinds
$ memscope leaks testdata/go1.19/heap.0.pb.gz testdata/go1.19/cpu.pb.gz
? 2
! has no sample type 'inuse_space'

### a truncated profile in the series
$ memscope leaks testdata/go1.19/heap.0.pb.gz testdata/bad/truncated.pb.gz
? 2
! truncated gzip data

### --gctrace adds the live-heap trend of the same run as evidence
$ memscope leaks --gctrace testdata/go1.19/leaky.gctrace.log testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~ GC trace testdata/go1.19/leaky.gctrace.log: 16 cycles, live heap 1 -> 71 MB (peak 71 MB)
~   critical live_heap_growth: live heap after GC rose from 20 MB (gc 9) to 71 MB (gc 16)

### a GC trace whose live heap plateaus is no evidence, and does not trip
$ memscope leaks --fail-on-leak --min-growth 1GB --gctrace testdata/gctrace/plateau.log testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~   the live heap after GC does not keep growing

### --gctrace on something that is not a GC trace
$ memscope leaks --gctrace testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! no Go GC trace lines

# The leak-check report of `memscope run --leak-check` on tests/rt/leakcheck.c
# (testdata/leakcheck/leaks.pb.gz; its leaks and reachable blocks are listed
# in that program's header; LeakSanitizer finds the same 2868 bytes in 12
# blocks, tests/rt/leakcheck.sh).

### a report alone: LeakSanitizer-style, leaks by stack, then what is still reachable
$ memscope leaks testdata/leakcheck/leaks.pb.gz
~ Leak check testdata/leakcheck/leaks.pb.gz: 2,868 bytes leaked in 12 blocks (7 direct, 5 indirect);
~ Direct leak of 1,000 bytes in 1 block, allocated from:
~     #0 leak_direct
~ Indirect leak of 192 bytes in 4 blocks, allocated from:
~ Still reachable at exit (never freed, but pointed to: not leaks), largest first:
~     6,900 bytes in 3 blocks: kept_chain <- main <- __libc_start_call_main <- __libc_start_main_impl <- _start

### JSON: totals and blocks with their kind
$ memscope leaks --json testdata/leakcheck/leaks.pb.gz | tr -d ' \n'
~ "snapshots":0,"suspects":[],"not_suspects":[]
~ "leaked_bytes":2868,"leaked_objects":12,"direct_objects":7,"indirect_objects":5
~ {"kind":"direct","site":"leak_direct","objects":1,"bytes":1000,
~ {"kind":"reachable","site":"kept_tls","objects":1,"bytes":2400,

### --granularity lines names the allocating lines
$ memscope leaks --granularity lines testdata/leakcheck/leaks.pb.gz
~ /tests/rt/leakcheck.c:92
~ Indirect leak of 64 bytes in 1 block, allocated from:

### --fail-on-leak trips on leaked bytes
$ memscope leaks --fail-on-leak testdata/leakcheck/leaks.pb.gz
? 1
~ Direct leak of

### --min-leak sets the threshold: 2868 bytes leaked are under 4kB
$ memscope leaks --fail-on-leak --min-leak 4kB testdata/leakcheck/leaks.pb.gz
? 0
~ Direct leak of

### the report is a pprof profile: top reads it, leaked_space by default
$ memscope top testdata/leakcheck/leaks.pb.gz
~ Type: leaked_space
~      1000B 34.87% 34.87%      1000B 34.87%  leak_direct

### an unknown sample type names the profile once, with the message whole (the types the profile has)
$ memscope leaks --sample-index nosuch testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.1.pb.gz
? 2
! memscope: testdata/go1.19/heap.0.pb.gz: no sample type 'nosuch' (the profile has: alloc_objects, alloc_space, inuse_objects, inuse_space)

### --gctrace with 8 cycles: too few to judge a trend, and it says so instead of "does not keep growing"
$ memscope leaks --gctrace testdata/gctrace/memlimit/leak8.go1.23.log testdata/leaks/series.0.pb.gz testdata/leaks/series.1.pb.gz
~ GC trace testdata/gctrace/memlimit/leak8.go1.23.log: 8 cycles
~   too few cycles to judge the trend
