# memscope escape and top --escapes on real compiler output (testdata/escape/,
# see testdata/README): tests/escape/patterns built with Go 1.19 and 1.23
# -gcflags=-m=2 (the 1.23 profile from its -trimpath build, run at
# MemProfileRate 1). Expected figures come from the logs themselves (the
# compiler's lines for each source line) and the program's construction:
#   main.newUser line 36: u := user{...} (88 B, size class 96) returned by
#   address, 200 calls = 19200 B, 200 objects; the log says "moved to heap: u"
#   and "from return &u (return) at .../main.go:37:2".
#   main.large line 87: an 11 MiB array, "from buf (too large for stack)".
#   main.newQuad line 162 (quad, 32 B, 200 calls = 6400 B) is inlined into
#   main at line 142; the log prints that copy's decision at 142.
#   Decision counts: `grep -E ': (moved to heap: .*|.* escapes to heap|.* does
#   not escape|leaking param(: | content: ).*)$' LOG | sort -u | wc -l` = 23.
# The gate pair (tests/escape/gate/main.go and its NEW line rewritten, Go
# 1.23 -trimpath): line 26's record (16 ints, 128 B) moves to the heap in
# new, 500 calls = 64000 B.

### a -trimpath log joins a -trimpath profile: returned address
$ memscope escape --json -n 0 testdata/escape/patterns.go1.23.trimpath.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '.sites[] | select(.line == 36) | [.function, .file, .bytes, .objects, .decision, .reason[0]]'
> ["main.newUser","example.com/patterns/main.go",19200,200,"heap","moved to heap: u; returned from main.newUser: `return &u` at example.com/patterns/main.go:37:2"]

### a ./main.go log joins the same profile (paths by suffix): too large for stack
$ memscope escape --json testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '.sites[] | select(.line == 87) | [.decision, .decisions[0].kind, .decisions[0].expr, (.decisions[0].chain | map(.why // empty))]'
> ["heap","moved","buf",["too large for stack"]]

### Go 1.19's log: 23 decisions, as grep counts them; 20 with a -m=2 chain
$ memscope escape --json testdata/escape/patterns.go1.19.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '.escape_log | [.decisions, .explained, .lines, .skipped]'
> [23,20,137,0]

### inlined: newQuad's line 162 inlined into main at line 142, where the log says "moved to heap: q" for that copy (quad: 32 B x 200)
$ memscope escape --json -n 0 testdata/escape/patterns.go1.23.trimpath.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '.sites[] | select(.line == 162) | [.function, .bytes, .objects, .decision, .inlined_into, .reason[1]]'
> ["main.newQuad",6400,200,"heap",{"function":"main.main","line":142},"moved to heap: q; flows through `sinkQuad = ~r0` (assign) at example.com/patterns/main.go:142:12"]

### a -m (not -m=2) log: the decisions without their chains
$ memscope escape --json -n 0 testdata/escape/patterns.go1.23.trimpath.m1 testdata/escape/patterns.go1.23.pb.gz | jq -c '[.escape_log.explained, (.sites[] | select(.line == 36) | [.decision, .reason])]'
> [0,["heap",["moved to heap: u"]]]

### the text report: the heaviest site first, its reason under it
$ memscope escape -n 1 testdata/escape/patterns.go1.23.trimpath.m2 testdata/escape/patterns.go1.23.pb.gz
~ 44MB 96.92%        7  heap     main.large example.com/patterns/main.go:87
~ moved to heap: buf; too large for stack (`buf` at example.com/patterns/main.go:87:6)

### an allocation inside fmt is named with the calling line
$ memscope escape --json -n 0 testdata/escape/patterns.go1.23.trimpath.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '[.sites[] | select(.function == "fmt.Sprintf")][0] | [.decision, .via.function, .via.line]'
> ["call","main.viaLibrary",115]

### top --escapes: the decision column at --granularity lines
$ memscope top --granularity lines -n 2 --escapes testdata/escape/patterns.go1.23.trimpath.m2 testdata/escape/patterns.go1.23.pb.gz
~       flat  flat%   sum%        cum   cum%  escape
~       44MB 96.92% 96.92%       44MB 96.92%  heap     main.large example.com/patterns/main.go:87
~     1.25MB  2.75% 99.67%     1.25MB  2.75%  heap     main.largeMake example.com/patterns/main.go:94

### top --escapes --json
$ memscope top --granularity lines -n 1 --json --escapes testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz | jq -c '.rows[0] | [.name, .escape]'
> ["main.large example.com/patterns/main.go:87","heap"]

### the gate trips on the line that moved to the heap
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap --min-bytes 1KiB
? 1
~ Lines turned to heap: 1 (gate: new-heap with at least 1kB: TRIPPED)
~   TRIPPED    62.50kB  example.com/gate/main.go:26: moved to heap: r; flows through `last = p` (assign) at example.com/gate/main.go:27:16

### the gate as a pull-request comment
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap --format markdown
? 1
~ ### memscope escape: 1 line turned to heap — gate tripped
~ | `example.com/gate/main.go:26` | 62.50kB | 500 | critical |

### the gate as GitHub annotations
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap --format github
? 1
~ ::error file=example.com/gate/main.go,line=26,title=memscope escape new-heap::62.50kB now on the heap: moved to heap: r;

### the gate as JSON
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap --json | jq -c '[.tripped, (.new_heap[] | [.file, .line, .bytes, .objects, .severity, .decision.expr])]'
> [1,["example.com/gate/main.go",26,64000,500,"critical","r"]]

### under --min-bytes: a finding, not a trip
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap --min-bytes 1MB
~ Lines turned to heap: 1 (gate: new-heap with at least 1MB: ok)

### unchanged build: no line turned to heap
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.old.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz --fail-on new-heap
~ Lines turned to heap: 0 (gate: new-heap with at least 1B: ok)

### a log with no escape lines is an input error
$ memscope escape testdata/escape/gate.new.go1.23.pb.gz testdata/escape/patterns.go1.23.pb.gz
? 2
! no escape-analysis lines

### an empty log is an input error
$ memscope escape /dev/null testdata/escape/patterns.go1.23.pb.gz
? 2
! /dev/null: no escape-analysis lines in 0 lines

### lines that are not compiler output are skipped with a count
$ d=$(mktemp -d) && printf 'go: downloading x\n./main.go:3:2: moved to heap: u\nnot a line\n' >"$d/m.m2" && memscope escape --json "$d/m.m2" testdata/escape/patterns.go1.23.pb.gz | jq -c '.escape_log | [.decisions, .skipped]'; s=$?; rm -rf "$d"; exit $s
> [1,2]
! 2 lines skipped (not compiler output), the first at line 1

### --fail-on needs --base
$ memscope escape --fail-on new-heap testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz
? 2
! --fail-on needs --base

### --fail-on takes new-heap or a severity
$ memscope escape --base testdata/escape/gate.old.go1.23.m2 --fail-on sometimes testdata/escape/gate.new.go1.23.m2 testdata/escape/gate.new.go1.23.pb.gz
? 2
! --fail-on takes new-heap or a severity

### top --escapes needs line granularity
$ memscope top --escapes testdata/escape/patterns.go1.23.m2 testdata/escape/patterns.go1.23.pb.gz
? 2
! --escapes needs --granularity lines
