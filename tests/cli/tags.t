# memscope tags and the tag filters (--tagfocus/--tagignore/--tagshow/--taghide):
# what pprof -tags prints is checked byte for byte in tags_golden.t; these
# cases check the figures tests/labels/labels.go builds (goroutines parked
# per label: worker=parse 3, worker=render 5 of which shard=even 3 and
# shard=odd 2, worker=io 3 of which request=r1 2) and the errors.

### tags --json: every key's values and counts as labels.go starts them
$ memscope tags --json testdata/labels/goroutine.pb.gz | jq -c '[.tags[] | {key, total, v: [.values[] | [.value, .total]]}]'
> [{"key":"request","total":2,"v":[["r1",2]]},{"key":"shard","total":5,"v":[["even",3],["odd",2]]},{"key":"worker","total":11,"v":[["render",5],["io",3],["parse",3]]}]

### --tagfocus KEY=RE keeps the goroutines with that label; --tagshow keeps the worker key only
$ memscope tags --json --tagfocus=request=r1 --tagshow=worker testdata/labels/goroutine.pb.gz | jq -c '[.tags[] | {key, total}]'
> [{"key":"worker","total":2}]

### --taghide is applied after --tagfocus: the filter sees the hidden key
$ memscope tags --json --tagfocus=shard=odd --taghide=shard testdata/labels/goroutine.pb.gz | jq -c '[.tags[] | [.key, .total]]'
> [["worker",2]]

### a regex without KEY= matches key:value, and every regex of a comma list must match some label
$ memscope tags --json --tagfocus='worker:r.*,shard:even' testdata/labels/goroutine.pb.gz | jq -c '[.tags[] | [.key, .total]]'
> [["shard",3],["worker",3]]

### --tagignore drops the goroutines with a matching label from top: 16 goroutines in all, 11 labelled
$ memscope top --json --tagignore=worker= testdata/labels/goroutine.pb.gz | jq -c '[.total, .shown]'
> [16,5]

### numeric labels: a range in pprof's units; 100 blocks of 64 B in labels.go's heap profile
$ memscope tags --json --sample-index inuse_objects --tagfocus=bytes=64b testdata/labels/heap.pb.gz | jq -c '[.tags[] | .values[] | [.value, .total]]'
> [["64B",100]]

### 4 blocks of 1 MiB and one of 10 MiB at or above 1mb
$ memscope tags --json --sample-index inuse_objects --tagfocus=1mb: testdata/labels/heap.pb.gz | jq -c '[.tags[] | .values[] | [.value, .total]]'
> [["1MB",4],["10MB",1]]

### pprof's single-dash spellings work too
$ memscope tags -tagfocus=worker=parse -json testdata/labels/goroutine.pb.gz | jq -c '[.tags[] | [.key, .total]]'
> [["worker",3]]

### a profile without labels: no tags
$ memscope tags --json testdata/go1.19/cpu.pb.gz | jq -c .tags
> []

### the legend lists tag filters as pprof's does
$ memscope top --tagfocus=worker=io --taghide=request testdata/labels/goroutine.pb.gz | sed -n '/Active/,/Showing/p'
> Active filters:
>    tagfocus=worker=io
>    taghide=request
> Showing nodes accounting for 3, 18.75% of 16 total

### a bad tag regex is a usage error
$ memscope tags --tagfocus='worker=(' testdata/labels/goroutine.pb.gz
? 2
! bad tagfocus regex '('

### a bad --taghide regex is refused by every report command
$ memscope top --taghide='[' testdata/labels/goroutine.pb.gz
? 2
! bad taghide regex '['

### a range bound too large for 64 bits
$ memscope tags --tagignore=99999999999999999999kb: testdata/labels/heap.pb.gz
? 2
! out of range

### tags takes at least one profile
$ memscope tags
? 2
! tags takes one or more profiles
