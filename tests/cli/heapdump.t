# memscope heapdump on real Go heap dumps (testdata/heapdump/, see
# testdata/README). The known.* dumps come from tests/heapdump/known.go;
# every figure below is derived from that program's construction and Go's
# size classes (runtime/sizeclasses.go), see its header:
#   main.Cache  48 + 24 + 40960 + 1000 * 112 = 153032 B, 1003 objects
#   main.Tree   4095 * 24 = 98280 B, 4095 objects
#   holder      2000 * 48 = 96000 B, 2000 objects (the goroutine's frame)
#   finalizer   24 + 4096 = 4120 B, 2 objects
#   garbage     500 objects of class 3072, none reachable
# Object counts/bytes equal the dump's own memstats record (written by the
# Go runtime): Go 1.19 known: HeapObjects 7748, HeapAlloc 2066744; Go 1.23
# known: 7819, 2135176 (after dropping the span-bitmap slots Go 1.22+ dumps
# as objects); demo: 27468, 1371824 (1.19) and 27543, 1377040 (1.23).

### Go 1.19: globals named by --binary, the map is the top retainer
$ memscope heapdump --binary testdata/heapdump/known.go1.19.bin --json testdata/heapdump/known.go1.19.dump.gz | tr -d ' \n'
~ "go_version":"go1.19.8","objects":7748,"bytes":2066744,
~ "roots":[{"kind":"global","name":"main.Cache","retained_bytes":153032,"retained_objects":1003},{"kind":"global","name":"main.Tree","retained_bytes":98280,"retained_objects":4095},{"kind":"stack","name":"goroutine6main.holder(chanreceive)","retained_bytes":96000,"retained_objects":2000},
~ {"kind":"finalizer","name":"finalizeron0xc00009c090","retained_bytes":4120,"retained_objects":2}
~ {"size":3072,"objects":500,"bytes":1536000,"reachable_objects":0,"reachable_bytes":0,
~ {"id":6,"function":"main.holder","wait_reason":"chanreceive","status":4,"system":false,"frames":6,"retained_bytes":96000,"retained_objects":2000}

### Go 1.23: the same figures
$ memscope heapdump --binary testdata/heapdump/known.go1.23.bin --json testdata/heapdump/known.go1.23.dump.gz | tr -d ' \n'
~ "go_version":"go1.23.5","objects":7819,"bytes":2135176,
~ "roots":[{"kind":"global","name":"main.Cache","retained_bytes":153032,"retained_objects":1003},{"kind":"global","name":"main.Tree","retained_bytes":98280,"retained_objects":4095},{"kind":"stack","name":"goroutine6main.holder(chanreceive)","retained_bytes":96000,"retained_objects":2000},
~ {"kind":"finalizer","name":"finalizeron0xc00009e798","retained_bytes":4120,"retained_objects":2}
~ {"size":3072,"objects":500,"bytes":1536000,"reachable_objects":0,"reachable_bytes":0,

### every profile command takes --binary: flame's roots are the globals by name, weighing what they retain
$ memscope flame --binary testdata/heapdump/known.go1.19.bin testdata/heapdump/known.go1.19.dump.gz | awk '{ v = $NF; split($0, f, ";"); if (f[1] == "main.Cache") c += v; if (f[1] == "main.Tree") t += v } END { print "main.Cache", c, "main.Tree", t }'
> main.Cache 153032 main.Tree 98280

### the same with Go 1.23's dump, through top (153032 B and 98280 B in pprof's units)
$ memscope top --cum -n 8 --binary testdata/heapdump/known.go1.23.bin testdata/heapdump/known.go1.23.dump.gz | awk '$6 == "main.Cache" || $6 == "main.Tree" { print $4, $6 }'
> 149.45kB main.Cache
> 95.98kB main.Tree

### diff of two dumps names the globals by --binary too
$ memscope diff --json --binary testdata/heapdump/known.go1.19.bin testdata/heapdump/known.go1.19.dump.gz testdata/heapdump/known.go1.19.dump.gz | tr -d ' \n'
~ {"kind":"global","name":"main.Cache","base_bytes":153032,"new_bytes":153032,"delta_bytes":0,"base_objects":1003,"new_objects":1003}

### --binary naming a missing program: one line, exit 2
$ memscope top --binary testdata/heapdump/no-such.bin testdata/heapdump/known.go1.19.dump.gz
? 2
! no-such.bin

### without --binary, globals are named by segment offset
$ memscope heapdump -n 3 testdata/heapdump/known.go1.19.dump.gz
~ Go heap dump: testdata/heapdump/known.go1.19.dump.gz (go1.19.8, amd64, 2 CPUs)
~ memstats: HeapObjects 7748, HeapAlloc 2066744 B,
~   global      149.45kB       1003 
~   stack        93.75kB       2000 
~ Goroutines: 6 (2 chan receive,
~      93.75kB       2000          6  chan receive             main.holder

### the corpus demo (Go 1.19): 27,468 objects, 1,371,824 bytes as its memstats record says
$ memscope heapdump --binary testdata/heapdump/demo.go1.19.bin --json testdata/heapdump/demo.go1.19.dump.gz | tr -d ' \n'
~ "objects":27468,"bytes":1371824,
~ {"kind":"global","name":"main.Global",
~ {"site":"main.build",

### the corpus demo (Go 1.23): main.Global first, then main.Cache; the list is labelled by its allocation site
$ memscope heapdump --binary testdata/heapdump/demo.go1.23.bin --json testdata/heapdump/demo.go1.23.dump.gz | tr -d ' \n'
~ "objects":27543,"bytes":1377040,
~ "roots":[{"kind":"global","name":"main.Global",
~ },{"kind":"global","name":"main.Cache",

### its text report shows the path from the root
$ memscope heapdump --binary testdata/heapdump/demo.go1.23.bin testdata/heapdump/demo.go1.23.dump.gz
~ main.Global → main.build

### a file that is not a heap dump
$ memscope heapdump testdata/heapdump/demo.go
? 2
! byte 0: not a Go heap dump

### no dump given
$ memscope heapdump
? 2
! no heap dump given

### flame: the dominator tree as folded stacks, runs of one label folded with their count
$ memscope flame testdata/heapdump/known.go1.19.dump.gz
~ .bss+0x48;obj[24] ×4095 98280
~ .bss+0x40;obj[48];obj[40960] 40960
~ .bss+0x40;obj[48];obj[40960];obj[112] ×1000 112000
~ goroutine 6 main.holder (chan receive);obj[48] ×2000 96000
~ finalizer on 0xc00009c090;obj[24];obj[4096] 4096

### flame --svg writes the graph
$ f="${TMPDIR:-/tmp}/ms-hd-$$.svg"; memscope flame --svg "$f" testdata/heapdump/known.go1.23.dump.gz && grep -q 'obj\[24\] ×4095' "$f" && echo "svg has the tree"; rm -f "$f"
~ svg has the tree

### convert: a pprof profile with the retained sample types; info reads the dump's memstats totals
$ f="${TMPDIR:-/tmp}/ms-hd-$$.pb.gz"; memscope convert testdata/heapdump/known.go1.19.dump.gz -o "$f" && memscope info "$f"; rm -f "$f"
~   0  retained_space       bytes
~   1  retained_objects     count
~ Comment: Go heap dump (go1.19.8): 7748 objects, 2066744 bytes;

### info on a dump
$ memscope info testdata/heapdump/known.go1.23.dump.gz
~ Comment: Go heap dump (go1.23.5):

### diff of two dumps: retained bytes by root
$ memscope diff --format json --base testdata/heapdump/known.go1.19.dump.gz testdata/heapdump/known.go1.23.dump.gz | tr -d ' \n'
~ {"kind":"global","name":".bss+0x40","base_bytes":153032,"new_bytes":0,"delta_bytes":-153032,"base_objects":1003,"new_objects":0}
~ {"kind":"stack","name":"goroutine6main.holder(chanreceive)","base_bytes":96000,"new_bytes":96000,"delta_bytes":0,

### frag on a dump: objects per size class against the memstats record (500 garbage buffers in class 41, 3072 B)
$ memscope frag testdata/heapdump/known.go1.19.dump.gz
~      41      3kB        500     1.46MB
~ Live 1.97MB in 7748 objects;

### a dump cut short: one line with the byte offset, exit 2, nothing on stdout
$ f="${TMPDIR:-/tmp}/ms-hd-$$.dump"; gzip -dc testdata/heapdump/known.go1.19.dump.gz | head -c 1000000 >"$f"; memscope heapdump "$f" >"$f.out"; rc=$?; test -s "$f.out" && rc=99; rm -f "$f" "$f.out"; exit $rc
? 2
! ms-hd-
! byte 1000000: truncated object record (it starts at byte

### convert of a cut dump leaves no output file
$ f="${TMPDIR:-/tmp}/ms-hd-$$.dump"; gzip -dc testdata/heapdump/known.go1.23.dump.gz | head -c 2000000 >"$f"; memscope convert "$f" -o "$f.pb.gz"; rc=$?; test -e "$f.pb.gz" && rc=99; rm -f "$f" "$f.pb.gz"; exit $rc
? 2
! byte 2000000: truncated
