# memscope peek, traces and tree beyond the goldens (tests/cli/views_golden.t):
# JSON values and counts from go tool pprof 1.19 (-unit=B, -traces), errors.

### peek --json: main.newSession's flat, cum and callee as pprof -peek -unit=B gives them
$ memscope peek --json newSession testdata/go1.19/heap.4.pb.gz | jq -c '.nodes[0] | [.name, .flat, .cum, .callers[0].name, .callers[0].weight, .callees[0].name, .callees[0].weight, .callees[0].inline]'
> ["main.newSession",68790036,69314332,"main.handle",69314332,"strconv.Itoa",524296,true]

### tree --json: the total and strconv.formatBits (pprof -top -unit=B)
$ memscope tree --json testdata/go1.19/heap.4.pb.gz | jq -c '[.total, (.nodes[] | select(.name == "strconv.formatBits") | [.flat, .cum])]'
> [70363132,[524296,524296]]

### traces --json: as many traces as pprof -traces lists (26 on heap.4)
$ memscope traces --json testdata/go1.19/heap.4.pb.gz | jq '.traces | length'
> 26

### traces --json: 96 on the CPU profile
$ memscope traces --json testdata/go1.19/cpu.pb.gz | jq '.traces | length'
> 96

### traces --json: 23 with -base heap.2 (equal stacks cancel)
$ memscope traces --json --base testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.4.pb.gz | jq '.traces | length'
> 23

### top --base: main.remember's negative flat as pprof -top -unit=B -base gives it
$ memscope top --json --base testdata/go1.19/heap.2.pb.gz testdata/go1.19/heap.4.pb.gz | jq -c '[.total, (.rows[] | select(.name == "main.remember") | .flat)]'
> [32406398,-901447]

### traces --json: labels and inlined frames of the first trace
$ memscope traces --json testdata/go1.19/heap.4.pb.gz | jq -c '.traces[0] | [.value, .labels.bytes[0], .stack[2].name, .stack[2].inline]'
> [524296,16,"strconv.Itoa",true]

### peek: no function matches
$ memscope peek 'no_such_function' testdata/go1.19/heap.4.pb.gz
? 2
! no matches found for regexp: no_such_function

### peek: a bad regex
$ memscope peek 'a(' testdata/go1.19/heap.4.pb.gz
? 2
! bad peek regex

### peek: no profile
$ memscope peek main
? 2
! peek takes a regex and one or more profiles

### tree: no profile
$ memscope tree
? 2
! tree takes one or more profiles

### traces: a missing file
$ memscope traces testdata/go1.19/no-such.pb.gz
? 2
! no-such.pb.gz

### tree: --edgefraction out of range
$ memscope tree --edgefraction 2 testdata/go1.19/heap.4.pb.gz
? 2
! --edgefraction must be between 0 and 1

### top: a heap and a CPU profile do not merge (pprof refuses too)
$ memscope top testdata/go1.19/heap.4.pb.gz testdata/go1.19/cpu.pb.gz
? 2
! cpu.pb.gz: cannot merge: sample types

### traces --base: a base of another kind
$ memscope traces --base testdata/go1.19/cpu.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! cannot merge

### top: --base and --diff-base together
$ memscope top --base testdata/go1.19/heap.0.pb.gz --diff-base testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! do not go together

### peek --json: a C++ profile's names demangled (operator new, as pprof simplifies it)
$ memscope peek --json 'operator new' testdata/demangle/cppleak.heap.pb.gz | jq -r '.nodes[0].name'
> operator new

### traces --json: string labels of the first trace as pprof -traces lists them (30ms, route /search, tenant globex)
$ memscope traces --json testdata/views/labels.cpu.pb.gz | jq -c '.traces[0] | [.value, .labels]'
> [30000000,{"route":["/search"],"tenant":["globex"]}]
