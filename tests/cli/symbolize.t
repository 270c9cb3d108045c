### symbolize a profile of a PIE executable and its shared library (relative paths)
$ memscope symbolize testdata/symbolize/prog.pb.gz -o - | memscope info - | grep -E '^(Locations|Functions):'
> Locations: 4
> Functions: 7
! testdata/symbolize/prog.pb.gz: 4 of 4 locations resolved, 0 unresolved, 0 already symbolized, 0 without address; 2 binaries

### without -o the file is replaced (atomically) by its symbolized version
$ d=$(mktemp -d) && cp testdata/symbolize/prog.pb.gz "$d" && memscope symbolize -q "$d/prog.pb.gz" && memscope info "$d/prog.pb.gz" | grep Functions; rm -rf "$d"
> Functions: 7

### a stripped executable with its debug file found by build-id
$ memscope symbolize --debug-dir testdata/symbolize/debug testdata/symbolize/stripped.pb.gz -o - | memscope info - | grep Functions
> Functions: 7
! 4 of 4 locations resolved

### a stripped executable without debug files: a warning, the library still resolves
$ memscope symbolize --debug-dir testdata/symbolize/nonexistent testdata/symbolize/stripped.pb.gz -o - > /dev/null
! memscope: warning: 'testdata/symbolize/prog.stripped': no debug info found (no symbols either); 3 locations left unresolved
! 1 of 4 locations resolved, 3 unresolved

### a corrupt ELF file and a missing library are warnings naming the file, not failures
$ memscope symbolize testdata/symbolize/corrupt.pb.gz -o - > /dev/null
! memscope: warning: 'testdata/symbolize/corrupt.elf': bad ELF: header tables past the end of the file (64 bytes); 3 locations left unresolved
! memscope: warning: cannot open 'testdata/symbolize/missing.so': No such file or directory; 1 location left unresolved

### a Go profile is already symbolized: nothing to do, the file is left alone
$ memscope symbolize testdata/go1.19/heap.4.pb.gz
> testdata/go1.19/heap.4.pb.gz: 0 of 38 locations resolved, 0 unresolved, 38 already symbolized, 0 without address; 0 binaries
> testdata/go1.19/heap.4.pb.gz: nothing resolved, file left unchanged

### input that is not a profile is an input error
$ memscope symbolize testdata/symbolize/prog.c
? 2
! memscope: testdata/symbolize/prog.c

### a missing input file is an input error
$ memscope symbolize testdata/symbolize/nonexistent.pb.gz
? 2
! cannot open 'testdata/symbolize/nonexistent.pb.gz'

### symbolize takes one file
$ memscope symbolize
? 2
! exactly one input file

### the symbolized profile at line granularity: inlined frames, call-site lines of their callers
$ memscope symbolize -q testdata/symbolize/prog.pb.gz -o - | memscope top --granularity lines -
> File: prog
> Type: alloc_space
> Showing nodes accounting for 4kB, 100% of 4kB total
>       flat  flat%   sum%        cum   cum%
>        1kB 25.00% 25.00%        1kB 25.00%  inner testdata/symbolize/prog.c:27 (inline)
>        1kB 25.00% 50.00%        1kB 25.00%  lib_inner testdata/symbolize/lib.c:8 (inline)
>        1kB 25.00% 75.00%        1kB 25.00%  main testdata/symbolize/prog.c:64
>        1kB 25.00%   100%        1kB 25.00%  plain_static testdata/symbolize/prog.c:46
>          0     0%   100%        1kB 25.00%  lib_outer testdata/symbolize/lib.c:14
>          0     0%   100%        1kB 25.00%  middle testdata/symbolize/prog.c:33 (inline)
>          0     0%   100%        1kB 25.00%  outer testdata/symbolize/prog.c:39

### a runtime trace is never rewritten as pprof (issue 14): refused, the file unchanged
$ d=$(mktemp -d) && cp testdata/rt/leakprog-100.trace.out "$d/t.out" && memscope symbolize "$d/t.out"; rc=$?; cmp testdata/rt/leakprog-100.trace.out "$d/t.out" && echo unchanged; rm -rf "$d"; exit $rc
? 2
> unchanged
! t.out: a memscope runtime trace is not rewritten (symbolize writes pprof, the trace keeps its events and GC cycles)

### folded stacks are not rewritten as pprof either
$ memscope symbolize testdata/perf/cpuwork.folded
? 2
! cpuwork.folded: folded input is not rewritten (symbolize writes pprof): give -o OUT.pb.gz

### symbolize --json: the counts of a profile of 4 locations in 2 binaries that all fail, each binary's note in the object
$ d=$(mktemp -d) && memscope symbolize --json testdata/symbolize/corrupt.pb.gz -o "$d/x.pb.gz" | jq -c '[.written, .locations, .resolved, .unresolved, .binaries, (.notes | map(test("corrupt.elf|missing.so")))]'; rm -rf "$d"
> [true,4,0,4,2,[true,true]]

### symbolize --json on a Go profile: its 38 locations already symbolized, the file not written
$ memscope symbolize --json testdata/go1.19/heap.4.pb.gz | jq -c '[.written, .locations, .already_symbolized, .resolved]'
> [false,38,38,0]
