### info on a Go 1.19 heap profile: totals per sample type
$ memscope info testdata/go1.19/heap.4.pb.gz
~ Samples: 26
~   0  alloc_objects        count        total 2782548              (2782548)
~   3  inuse_space          bytes        total 70363132             (67.10MB)  [default]

### info --json on the allocs profile names alloc_space as default
$ memscope info --json testdata/go1.19/allocs.pb.gz
~   "default_sample_type": "alloc_space",

### a missing file is an input error
$ memscope info testdata/does-not-exist.pb.gz
? 2
! cannot open 'testdata/does-not-exist.pb.gz'

### a directory is an input error
$ memscope info testdata
? 2
! is a directory

### a report that cannot be written is an error (every command: checked once by the dispatcher)
$ memscope info testdata/go1.19/heap.0.pb.gz > /dev/full
? 2
! memscope: cannot write to standard output: No space left on device

### the same for top
$ memscope top testdata/go1.19/heap.4.pb.gz > /dev/full
? 2
! cannot write to standard output

### the README's man page path works after a build (man/memscope.1 in the source tree, from man/parts) and renders R² as R² (groff's \(S2), never R© (\(co)
$ memscope --version | cut -d' ' -f1; groff -man -Tutf8 man/memscope.1 2>/dev/null | grep -c 'R©'; groff -man -Tutf8 man/memscope.1 2>/dev/null | tr '\n' ' ' | tr -s ' ' | grep -o 'slope, R²) and' | wc -l
> memscope
> 0
> 1
