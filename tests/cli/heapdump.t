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
# Go runtime): Go 1.19 known: HeapObjects 7740, HeapAlloc 1933968.

### Go 1.19: globals named by --binary, the map is the top retainer
$ memscope heapdump --binary testdata/heapdump/known.go1.19.bin --json testdata/heapdump/known.go1.19.dump.gz | tr -d ' \n'
~ "go_version":"go1.19.8","objects":7740,"bytes":1933968,
~ "roots":[{"kind":"global","name":"main.Cache","retained_bytes":153032,"retained_objects":1003},{"kind":"global","name":"main.Tree","retained_bytes":98280,"retained_objects":4095},{"kind":"stack","name":"goroutine18main.holder(chanreceive)","retained_bytes":96000,"retained_objects":2000},
~ {"kind":"finalizer","name":"finalizeron0xc0000ba078","retained_bytes":4120,"retained_objects":2}
~ {"size":3072,"objects":500,"bytes":1536000,"reachable_objects":0,"reachable_bytes":0,
~ {"id":18,"function":"main.holder","wait_reason":"chanreceive","status":4,"system":false,"frames":6,"retained_bytes":96000,"retained_objects":2000}

### Go 1.23: the same figures
$ memscope heapdump --binary testdata/heapdump/known.go1.23.bin --json testdata/heapdump/known.go1.23.dump.gz | tr -d ' \n'
~ "go_version":"go1.23.5",
~ "roots":[{"kind":"global","name":"main.Cache","retained_bytes":153032,"retained_objects":1003},{"kind":"global","name":"main.Tree","retained_bytes":98280,"retained_objects":4095},{"kind":"stack","name":"goroutine6main.holder(chanreceive)","retained_bytes":96000,"retained_objects":2000},
~ {"kind":"finalizer","name":"finalizeron0xc0000a0798","retained_bytes":4120,"retained_objects":2}
~ {"size":3072,"objects":500,"bytes":1536000,"reachable_objects":0,"reachable_bytes":0,

### without --binary, globals are named by segment offset
$ memscope heapdump -n 3 testdata/heapdump/known.go1.19.dump.gz
~ Go heap dump: testdata/heapdump/known.go1.19.dump.gz (go1.19.8, amd64, 2 CPUs)
~ memstats: HeapObjects 7740, HeapAlloc 1933968 B,
~   global      149.45kB       1003   7.91%  .bss+0x
~   stack        93.75kB       2000   4.96%  goroutine 18 main.holder (chan receive)
~ Goroutines: 6 (2 chan receive,

### the corpus demo (Go 1.19): 27,468 objects, 1,371,824 bytes as its memstats record says
$ memscope heapdump --binary testdata/heapdump/demo.go1.19.bin --json testdata/heapdump/demo.go1.19.dump.gz | tr -d ' \n'
~ "objects":27468,"bytes":1371824,
~ {"kind":"global","name":"main.Global",
~ {"site":"main.build",

### the corpus demo (Go 1.23): main.Global first, then main.Cache; the list is labelled by its allocation site
$ memscope heapdump --binary testdata/heapdump/demo.go1.23.bin --json testdata/heapdump/demo.go1.23.dump.gz | tr -d ' \n'
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
