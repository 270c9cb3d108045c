# memscope list and graph beyond the golden files (tests/cli/list_golden.t,
# graph_golden.t): JSON forms, errors. Expected values are pprof's, read off
# `go tool pprof -list 'main\.' -source_path=testdata/list -trim_path=/tmp/research
# testdata/gotrace/demo.go1.19.cpu.pb.gz` (testdata/golden/demo19.main.list.txt).

### list --json: pprof's routines, files and per-line weights (70ms at line 73 of main.main)
$ memscope list --json --source-path testdata/list --trim-path /tmp/research 'main\.' testdata/gotrace/demo.go1.19.cpu.pb.gz | jq -r '.total, (.routines[] | "\(.name) \(.file) \(.flat) \(.cum)"), (.routines[0].lines[] | select(.cum != 0) | "\(.line) \(.flat) \(.cum) \(.source)")'
> 150000000
> main.main gen/main.go 0 70000000
> main.main.func2 gen/main.go 0 80000000
> main.main.func2.1 gen/main.go 0 80000000
> 73 0 70000000 	for time.Since(t0) < 100*time.Millisecond {

### list --json: a missing source file is an error per routine, pprof's message
$ memscope list --json --source-path testdata/list 'main\.main$' testdata/gotrace/demo.go1.19.cpu.pb.gz | jq -r '.routines[] | "\(.name): \(.error) \(.lines | length)"'
> main.main: open /tmp/research/gen/main.go: no such file or directory 0

### list: no function matches (pprof's message), exit 2
$ memscope list 'no_such_function' testdata/go1.19/heap.4.pb.gz
? 2
! no matches found for regexp: no_such_function

### list: a regex and at least one profile
$ memscope list testdata/go1.19/heap.4.pb.gz
? 2
! list takes a regex and one or more profiles

### list: a bad regex is a usage error
$ memscope list 'a(' testdata/go1.19/heap.4.pb.gz
? 2
! bad list regex

### list: an unreadable profile names the file
$ memscope list main testdata/bad/random.bin
? 2
! testdata/bad/random.bin

### graph: needs an output
$ memscope graph testdata/go1.19/heap.4.pb.gz
? 2
! graph needs --dot OUT, --svg OUT or --json

### graph: --edgefraction is a fraction
$ memscope graph --edgefraction 2 --dot - testdata/go1.19/heap.4.pb.gz
? 2
! --edgefraction must be between 0 and 1

### graph: an unwritable output is an error, nothing half-written
$ memscope graph --dot /nonexistent/dir/g.dot testdata/go1.19/heap.4.pb.gz
? 2
! /nonexistent/dir/g.dot

### graph --json: pprof's total and flat (go tool pprof -top -unit=B) and the 10 sizes of main.newSession's bytes tags (go tool pprof -tags -focus=main.newSession)
$ memscope graph --json testdata/go1.19/heap.4.pb.gz | jq -r '.total, .nodes[0].name, .nodes[0].flat, .nodes[0].cum, (.nodes[0].tags | length)'
> 70363132
> main.newSession
> 68790036
> 69314332
> 10
