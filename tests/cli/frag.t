# memscope frag on real heap dumps (testdata/frag/, made by
# tools/mkfragdumps.sh from tests/frag/fragprog under memscope run
# --heap-dump; see testdata/README). Numbers checked by hand from the dumps:
# sparse.json, class 8 (112 B, 1 page, ⌊8192/112⌋ = 73 slots per span):
# 2741 spans · 73 = 200093 slots, 10000 live → 4.998%; free slots
# (200093 − 10000) · 112 = 21290416 B; tail 2741 · (8192 − 73·112) = 43856 B.

### scattered frees leave sparse spans in the 112-byte class
$ memscope frag testdata/frag/sparse.json
~ Heap dump: testdata/frag/sparse.json (msrt-heapdump v2, pid
~   critical sparse_spans: size class 112 B: 2741 spans (21.41MB) hold 10000 live objects in 200093 slots (5.0% occupancy, 3.6 of 73 per span); 2739 spans are under 30% used; 20.30MB sit in free slots
~       8     112B    2741    200093     10000     5.00%   2739  117.19kB    20.30MB   42.83kB

### JSON: the sparse_spans finding carries the class and its numbers
$ memscope frag --json testdata/frag/sparse.json | tr -d ' \n'
~ "severity":"critical","kind":"sparse_spans",
~ "size_class":8,"size_class_bytes":112,"spans":2741,"occupancy":0.0499768,"sparse_spans":2739,"live_objects":10000,"slots":200093,"free_slot_bytes":21290416}
~ {"class":8,"size":112,"live_objects":10000,"live_bytes":1120000,"span_pages":1,"spans":2741,"span_bytes":22454272,"slots":200093,"cached_objects":176,"occupancy":0.0499768,"free_slot_bytes":21290416,"tail_bytes":43856,"span_occupancy":[2739,0,0,1,0,0,1,0,0,0],"sparse_spans":2739,"requested_bytes":1000000,"rounding_bytes":120000}
~ "kind":"rss_vs_live",

### the RSS breakdown names free slots as the largest part
$ memscope frag testdata/frag/sparse.json
~   critical rss_vs_live: RSS 25.85MB is 10.4× the live heap (2.48MB requested); the 23.37MB above it:
~ hint: the largest part is free slots in spans (87% of the excess): see sparse_spans

### the same program keeping every object: no finding
$ memscope frag testdata/frag/keep.json
~ No findings: no size class, page-heap or RSS threshold was crossed.
~       8     112B    2741    200093    200000    99.95%      0    2.29MB    10.17kB   42.83kB

### a version-1 dump (no histogram, no RSS): sparse by occupancy alone
$ memscope frag --json testdata/frag/sparse-v1.json | tr -d ' \n'
~ "format":"msrt-heapdump","version":1,
~ "kind":"sparse_spans",
~ "size_class_bytes":112,"spans":2741,"occupancy":0.0499768,"live_objects":10000,
~ "rss":null,
~ "requested_bytes":null,

### 17-byte objects in the 32-byte class: rounding waste, suggest 16 bytes
$ memscope frag testdata/frag/round17.json
~   warning  rounding_waste: size class 32 B: 200000 live objects average 17.0 B, so 15.0 B of every slot (46.9%, 2.86MB in all) is rounding
~ hint: trim these objects by 1 B to 16 B (the next class down) to save 3.05MB, or put the 15 spare bytes per object to use

### rounding in JSON: exact at --rate 1 (200000 · (32 − 17) = 3000000)
$ memscope frag --json testdata/frag/round17.json | tr -d ' \n'
~ "kind":"rounding_waste",
~ "size_class":3,"size_class_bytes":32,"live_objects":200000,"average_request":17.0,"rounding_bytes":3000000,"rounding_share":0.46875,"suggested_size":16}

### free pages in 1000 small runs between live 40 KiB blocks
$ memscope frag testdata/frag/holes.json
~   critical page_heap_fragmented: 40.77MB of free pages lie in 1000 runs; 96% of them in runs under 16 pages (128kB), the largest run is 227 pages (1.77MB)
~ Page heap: 1000 free runs, largest 227 pages (1.77MB), 4992 pages in runs under 16 pages; 5219 free pages: 3293 released, 1926 resident (15.05MB)

### scavenger off: 63.94 MiB of free pages kept resident (82722816 − 15679488 B)
$ memscope frag --json testdata/frag/noscav.json | tr -d ' \n'
~ "severity":"critical","kind":"idle_not_released",
~ "idle_unreleased_bytes":67043328,"heap_idle":82722816,"heap_released":15679488,"heap_sys":83886080}
~ thescavengerisoff(MSRT_SCAVENGE=0)

### the same buffers freed and released by the scavenger: no finding
$ memscope frag --json testdata/frag/scavenged.json | tr -d ' \n'
~ "findings":[],
~ "idle_unreleased":0,

### --fail-on: exit 1 at or above the severity
$ memscope frag --fail-on critical testdata/frag/holes.json
? 1
~ page_heap_fragmented

### --fail-on critical with only a warning: exit 0
$ memscope frag --fail-on critical testdata/frag/go-memstats.json
~ span_waste

### one severity vocabulary: frag takes gctrace's spelling "warn" (and "crit")
$ memscope frag --fail-on warn testdata/frag/go-memstats.json
? 1
~ span_waste

### ... and "crit" for critical
$ memscope frag --fail-on crit testdata/frag/holes.json
? 1
~ page_heap_fragmented

### a Go MemStats snapshot (json.Marshal of runtime.MemStats)
$ memscope frag testdata/frag/go-memstats.json
~ Heap dump: testdata/frag/go-memstats.json (Go MemStats)
~       9     112B      20000
~ warning  span_waste:

### a gzipped dump on standard input
$ gzip -c testdata/frag/sparse.json | memscope frag -
~ Heap dump: - (msrt-heapdump v2
~ sparse_spans: size class 112 B

### --svg writes the occupancy chart
$ memscope frag --svg /tmp/memscope-frag-test.svg testdata/frag/sparse.json >/dev/null && grep -c '<rect' /tmp/memscope-frag-test.svg && grep -o '112B × 2741' /tmp/memscope-frag-test.svg && rm /tmp/memscope-frag-test.svg
> 13
> 112B × 2741

### truncated dump
$ memscope frag testdata/frag/bad/truncated.json
? 2
! 'testdata/frag/bad/truncated.json': line 12 column 63: premature end of input

### another JSON format
$ memscope frag testdata/frag/bad/wrong-format.json
? 2
! format 'heap-snapshot' is not a heap dump (expected 'msrt-heapdump')

### a JSON array
$ memscope frag testdata/frag/bad/array.json
? 2
! 'testdata/frag/bad/array.json': byte 0: not a heap dump (expected a JSON object)

### a pprof profile given as a dump
$ memscope frag testdata/go1.19/heap.4.pb.gz
? 2
! 'testdata/go1.19/heap.4.pb.gz': this is a pprof profile, not a heap dump (write one with memscope run --heap-dump)

### a libmsrt trace given as a dump
$ memscope frag testdata/rt/leakprog-100.trace.out
? 2
! this is a libmsrt trace, not a heap dump

### a future version
$ memscope frag testdata/frag/bad/version3.json
? 2
! heap dump version 3 is not supported (1 to 2)

### a negative count
$ memscope frag testdata/frag/bad/negative.json
? 2
! 'testdata/frag/bad/negative.json': size_classes[0].spans: -5 out of range

### a free run outside the heap
$ memscope frag testdata/frag/bad/run-outside.json
? 2
! free_runs[3]: pages 1000000000+5 (0 released) outside the 10240-page heap

### a missing field
$ memscope frag testdata/frag/bad/missing-field.json
? 2
! totals.heap_alloc: missing

### no dump
$ memscope frag
? 2
! no heap dump given

### two dumps
$ memscope frag testdata/frag/sparse.json testdata/frag/keep.json
? 2
! frag takes one heap dump

### a bad --fail-on
$ memscope frag --fail-on loud testdata/frag/sparse.json
? 2
! --fail-on takes info, warn (warning) or critical (crit), not 'loud'

### a directory
$ memscope frag testdata/frag
? 2
! is a directory

### a missing file
$ memscope frag testdata/frag/none.json
? 2
! cannot open 'testdata/frag/none.json'

### --svg into a missing directory: exit 2, nothing printed
$ memscope frag --svg /nonexistent/dir/x.svg testdata/frag/sparse.json
? 2
! /nonexistent/dir/x.svg
