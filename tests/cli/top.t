# memscope top: JSON form, options, bad input. (Text output against
# go tool pprof is in top_golden.t.)

### top --json gives exact integers in the sample unit, rows in text order
$ memscope top --json testdata/go1.19/heap.4.pb.gz
~ "type": "inuse_space",
~ "total": 70363132,
~ "name": "main.newSession",
~ "flat": 68790036,
~ "cum": 69314332

### top --json marks inlined frames
$ memscope top --json testdata/go1.19/heap.4.pb.gz
~ "inline": "inline"

### top -n 1 on the allocs profile (default sample type alloc_space)
$ TZ=UTC memscope top -n 1 testdata/go1.19/allocs.pb.gz
~ Type: alloc_space
~ Showing top 1 nodes out of

### top on stdin
$ memscope top - < testdata/go1.19/heap.4.pb.gz
~ 65.60MB 97.76% 97.76%    66.10MB 98.51%  main.newSession

### unknown sample type names the ones there are
$ memscope top --sample-index cpu testdata/go1.19/heap.4.pb.gz
? 2
! no sample type 'cpu' (the profile has: alloc_objects, alloc_space, inuse_objects, inuse_space)

### sample index out of range
$ memscope top --sample-index 9 testdata/go1.19/heap.4.pb.gz
? 2
! sample index 9 out of range

### bad granularity
$ memscope top --granularity modules testdata/go1.19/heap.4.pb.gz
? 2
! unknown granularity 'modules'

### bad regex
$ memscope top --focus '(' testdata/go1.19/heap.4.pb.gz
? 2
! bad focus regex

### no file
$ memscope top
? 2
! top takes one or more profiles

### unknown option
$ memscope top --frobnicate testdata/go1.19/heap.4.pb.gz
? 2
! unknown option '--frobnicate'

### empty file
$ memscope top testdata/bad/empty.pb.gz
? 2
! testdata/bad/empty.pb.gz: empty input

### truncated gzip
$ memscope top testdata/bad/truncated.pb.gz
? 2
! testdata/bad/truncated.pb.gz: truncated gzip data at byte

### random bytes
$ memscope top testdata/bad/random.bin
? 2
! testdata/bad/random.bin:

### valid gzip of garbage
$ memscope top testdata/bad/gzip_garbage.pb.gz
? 2
! testdata/bad/gzip_garbage.pb.gz:

### dangling location id
$ memscope top testdata/bad/dangling_location.pb.gz
? 2
! sample 0 refers to location id 7, which does not exist

### dangling function id
$ memscope top testdata/bad/dangling_function.pb.gz
? 2
! location id 2 refers to function id 9, which does not exist

### out-of-range string index
$ memscope top testdata/bad/string_index.pb.gz
? 2
! string index 42 out of range

### wrong number of values in a sample
$ memscope top testdata/bad/value_count.pb.gz
? 2
! sample 0 has more values than the 1 sample types

### a directory
$ memscope top testdata
? 2
! cannot read 'testdata': is a directory

### a missing file
$ memscope top testdata/nope.pb.gz
? 2
! cannot open 'testdata/nope.pb.gz': No such file or directory

### help exits 0
$ memscope help top
~ usage: memscope top

### unknown command
$ memscope frobnicate
? 2
! 'frobnicate' is not a memscope command

### version
$ memscope --version
~ memscope 0.1.0

### a regex whose repetitions would blow up regcomp is refused
$ memscope top --focus '((a{50}){50}){50}' testdata/go1.19/heap.4.pb.gz
? 2
! its repetitions expand too far

### stacked repetition operators are refused
$ memscope top --hide 'm+++' testdata/go1.19/heap.4.pb.gz
? 2
! stacked repetition operators

### C++ names in pprof's simplified form: the names `go tool pprof -top` (Go 1.23) prints for the same profile (testdata/demangle; the one "(partial-inline)" label is graph labelling, not naming)
$ memscope top -n 0 --nodefraction 0 testdata/demangle/cppleak.heap.pb.gz | awk 'f { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print } /flat%/ { f = 1 }' | sed 's/ (partial-inline)$//' | LC_ALL=C sort
>> testdata/demangle/cppleak.pprof-top.txt

### --demangle full: what c++filt prints for the symbols
$ memscope top -n 0 --nodefraction 0 --demangle full testdata/demangle/cppleak.heap.pb.gz | awk 'f { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print } /flat%/ { f = 1 }' | sed 's/ (inline)$//; s/ (partial-inline)$//' | LC_ALL=C sort -u
>> testdata/demangle/cppleak.cxxfilt.txt

### --demangle none: the raw symbols
$ memscope top -n 3 --demangle none testdata/demangle/cppleak.heap.pb.gz
~ _Znwm

### Rust (legacy and v0 symbols): pprof's names, less the empty generic brackets pprof leaves ("Box<>") and its "_rust" for "__rust" (testdata/README)
$ d=$(mktemp -d) && memscope top -n 0 --nodefraction 0 testdata/demangle/rustleak.heap.pb.gz | awk 'f { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print } /flat%/ { f = 1 }' | LC_ALL=C sort >"$d/ms" && sed -e 's/::<>//g' -e 's/<, Output = i32>//g' -e 's/<>//g' -e 's/::_rust_begin/::__rust_begin/' testdata/demangle/rustleak.pprof-top.txt | LC_ALL=C sort | diff - "$d/ms" && echo same; rm -rf "$d"
> same

### Rust --demangle full: what c++filt prints
$ memscope top -n 0 --nodefraction 0 --demangle full testdata/demangle/rustleak.heap.pb.gz | awk 'f { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print } /flat%/ { f = 1 }' | sed 's/ (inline)$//; s/ (partial-inline)$//' | LC_ALL=C sort -u
>> testdata/demangle/rustleak.cxxfilt.txt

### an unknown --demangle mode is a usage error
$ memscope top --demangle fancy testdata/demangle/cppleak.heap.pb.gz
? 2
! unknown --demangle 'fancy'

### the first 4 KiB of a Go heap dump: read by the heap-dump reader, which names the record cut short
$ memscope top testdata/bad/go1.23.heapdump.head
? 2
! byte 4096: truncated object record (it starts at byte 3767)

### the first 4 KiB of a Go 1.23 execution trace: its reader names where it ends (no complete generation)
$ memscope top testdata/bad/go1.23.trace.head
? 2
! byte 4096: the trace ends inside its first generation

### perf script output of a recording without -g: the nearest miss and what to do
$ memscope top testdata/bad/perf-nostacks.txt
? 2
! looks like perf script output without call stacks: record with -g

### Go source is not a profile
$ memscope flame testdata/gctrace/memlimit/memlimit.go
? 2
! this is Go source, not a profile

### a gctrace log given to a profile command points to gctrace
$ memscope top testdata/gctrace/memlimit/short.go1.23.log
? 2
! read it with 'memscope gctrace'

### other text says what was tried
$ printf 'hello world\n' | memscope top -
? 2
! unrecognised input format: text, but the first line "hello world" is neither a perf script sample header nor a folded stack

### a misspelt command: did you mean
$ memscope gctrce some.log
? 2
! 'gctrce' is not a memscope command; did you mean 'gctrace'?

### a misspelt option: did you mean
$ memscope top --nodecuont 3 testdata/demangle/cppleak.heap.pb.gz
? 2
! unknown option '--nodecuont' (did you mean '--nodecount'?)

### nothing close: no guess
$ memscope frobnicate
? 2
! 'frobnicate' is not a memscope command (see 'memscope --help')

### a pasted pprof command line: -nodecount=3 (single dash, pprof's spelling) equals go tool pprof -top -nodecount=3
$ TZ=UTC memscope top -nodecount=3 testdata/go1.19/heap.4.pb.gz
>> testdata/golden/heap.4.opt_nodecount_3.top.txt

### pprof's spellings: -focus=main -lines -cum equals go tool pprof -top -focus=main -lines -cum
$ TZ=UTC memscope top -focus=main -lines -cum testdata/go1.19/heap.4.pb.gz
>> testdata/golden/heap.4.opt_focus_main__lines__cum.top.txt

### pprof's spellings: -sample_index=alloc_space -functions
$ TZ=UTC memscope top -sample_index=alloc_space -functions testdata/go1.19/heap.0.pb.gz
>> testdata/golden/heap.0.functions.alloc_space.top.txt

### pprof's sample-type shortcuts: -alloc_objects -lines
$ TZ=UTC memscope top -alloc_objects -lines testdata/go1.19/allocs.pb.gz
>> testdata/golden/allocs.lines.alloc_objects.top.txt

### short options keep working beside them: -n3 is -nodecount=3
$ TZ=UTC memscope top -n3 testdata/go1.19/heap.4.pb.gz
>> testdata/golden/heap.4.opt_nodecount_3.top.txt
