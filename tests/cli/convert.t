# memscope convert: pprof round trip and the JSON model dump.

### convert to pprof and back keeps every total
$ memscope convert testdata/go1.19/heap.4.pb.gz -o "${TMPDIR:-/tmp}/ms-conv-$$.pb.gz" && memscope info "${TMPDIR:-/tmp}/ms-conv-$$.pb.gz"; rm -f "${TMPDIR:-/tmp}/ms-conv-$$.pb.gz"
~   0  alloc_objects        count        total 2782548              (2782548)
~   1  alloc_space          bytes        total 192134497            (183.23MB)
~   3  inuse_space          bytes        total 70363132             (67.10MB)  [default]

### convert to raw protobuf (.pb) and read it back
$ memscope convert testdata/go1.19/cpu.pb.gz -o "${TMPDIR:-/tmp}/ms-conv-$$.pb" && memscope info --json "${TMPDIR:-/tmp}/ms-conv-$$.pb"; rm -f "${TMPDIR:-/tmp}/ms-conv-$$.pb"
~       "total": 1080000000

### convert to JSON on stdout
$ memscope convert testdata/edge/packed.pb -o - --to json
~   "sample_types": [{"type": "inuse_space", "unit": "bytes"}],
~     {"locations": [1, 2], "values": [100], "labels": []}

### convert refuses an unknown output extension
$ memscope convert testdata/go1.19/heap.4.pb.gz -o out.xyz
? 2
! cannot tell the output format of 'out.xyz'

### a failed convert leaves no output file
$ memscope convert testdata/bad/truncated.pb.gz -o "${TMPDIR:-/tmp}/ms-bad-$$.pb.gz"; rc=$?; test ! -e "${TMPDIR:-/tmp}/ms-bad-$$.pb.gz" && exit $rc
? 2
! truncated gzip data

### convert to folded stacks: root first, totals preserved (inuse_space 70363132)
$ memscope convert testdata/go1.19/heap.4.pb.gz -o - --to folded | awk '{ s += $NF } END { print s }'
> 70363132

### convert to folded with another sample type
$ memscope convert testdata/go1.19/heap.4.pb.gz --sample-index alloc_objects -o - --to folded | awk '{ s += $NF } END { print s }'
> 2782548

### folded lines name frames root first
$ memscope convert testdata/go1.19/heap.4.pb.gz -o - --to folded
~ runtime.main;main.main;main.handle;main.newSession 68790036
