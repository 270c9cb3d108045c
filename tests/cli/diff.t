# memscope diff: real Go heap profile pairs from tools/bench/genheap (see
# testdata/README): three baselines (seeds 1-3), a noise run (seed 5) and a
# regression run (seed 4 plus 64 KiB kept by main.growLeak). Figures agree
# with go tool pprof -top -diff_base on the same pairs.

### the regression trips a 5% gate, names the culprit and exits 1
$ memscope diff testdata/diff/base.seed1.pb.gz testdata/diff/regress.seed4.pb.gz --fail-on inuse_space:+5%
? 1
~ Delta: +53.03kB (+12.35%)
~   TRIPPED inuse_space:+5%: observed +12.35% (+53.03kB), limit +5.00%
~            +64kB  main.growLeak

### the noise run passes the same gate
$ memscope diff testdata/diff/base.seed1.pb.gz testdata/diff/noise.seed5.pb.gz --fail-on inuse_space:+5%
~   ok      inuse_space:+5%: observed -1.95% (-8.38kB), limit +5.00%

### three baselines: mean and spread; the regression is over 3 sigma
$ memscope diff --base testdata/diff/base.seed1.pb.gz --base testdata/diff/base.seed2.pb.gz --base testdata/diff/base.seed3.pb.gz --fail-on inuse_space:+3sigma testdata/diff/regress.seed4.pb.gz
? 1
~ Base: mean of 3 profiles (total 416.30kB, spread ±12.57kB = 3.02%)
~   TRIPPED inuse_space:+3sigma: observed +5.27 sigma (+66.20kB), limit +3.00 sigma

### three baselines: the noise run stays within 3 sigma
$ memscope diff --base testdata/diff/base.seed1.pb.gz --base testdata/diff/base.seed2.pb.gz --base testdata/diff/base.seed3.pb.gz --fail-on inuse_space:+3sigma testdata/diff/noise.seed5.pb.gz
~   ok      inuse_space:+3sigma: observed +0.38 sigma (+4.80kB), limit +3.00 sigma

### a per-site gate sums the matching rows
$ memscope diff testdata/diff/base.seed1.pb.gz testdata/diff/regress.seed4.pb.gz --fail-on 'inuse_space@growLeak:+32KiB' --fail-on 'inuse_space@^main\.leaf$:+32KiB'
? 1
~   TRIPPED inuse_space@growLeak:+32KiB: observed +64kB, limit +32kB
~   ok      inuse_space@^main\.leaf$:+32KiB: observed -9.12kB, limit +32kB

### an absolute gate on another sample type
$ memscope diff testdata/diff/base.seed1.pb.gz testdata/diff/regress.seed4.pb.gz --fail-on alloc_objects:+100
~   ok      alloc_objects:+100: observed -1, limit +100

### JSON: exact integers, delta = new_total - base_total
$ memscope diff --format json testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~   "base_total": 18556270,
~   "new_total": 70363132,
~   "delta": 51806862,
~       "name": "main.newSession",
~       "base": 16807314,
~       "new": 68790036,
~       "delta": 51982722

### --json is --format json, as on every other command
$ memscope diff --json testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~   "base_total": 18556270,
~       "delta": 51982722

### --json with another --format is a usage error
$ memscope diff --json --format markdown testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! --json and --format markdown exclude each other

### JSON gates carry expr, tripped, observed, limit
$ memscope diff --format json --fail-on inuse_space:+20MB testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 1
~       "expr": "inuse_space:+20MB",
~       "tripped": true,
~       "observed": 51806862.0,
~       "limit": 20971520.0,

### markdown for a pull-request comment
$ memscope diff --format markdown --fail-on inuse_space:+5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 1
~ ### memscope diff: inuse_space — gate tripped
~ | **total** | 17.70MB | 67.10MB | +49.41MB | +279.19% |
~ | `main.newSession` | 16.03MB | 65.60MB | +49.57MB | +280.14% |
~ - **TRIPPED** `inuse_space:+5%`: observed +279.19%, limit +5.00%

### github annotations for tripped gates
$ memscope diff --format github --fail-on inuse_space:+5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 1
~ ::error title=memscope gate inuse_space:+5%::inuse_space grew +279.19% (limit +5.00%); largest growth: main.newSession +49.57MB

### --normalize scales the baseline to the new total
$ memscope diff --normalize testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~ Delta: 0 (+0.00%)

### lines granularity
$ memscope diff --granularity lines -n 1 testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
~ +43.07MB +243.40%  main.newSession leaky/main.go:23
~ (3 more rows; -n 0 shows all)

### a CPU profile against a heap profile: different kinds
$ memscope diff testdata/go1.19/cpu.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! baseline 1 has no sample type 'inuse_space': the profiles are of different kinds

### malformed gates exit 2
$ memscope diff --fail-on inuse_space testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! bad gate 'inuse_space'

### a gate with an unknown unit
$ memscope diff --fail-on inuse_space:+5XB testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! unknown limit unit

### a negative limit
$ memscope diff --fail-on inuse_space:-5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! the limit must be a growth

### a bad site regex
$ memscope diff --fail-on 'inuse_space@(:+1MB' testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! invalid site regex

### a gate on a sample type the profiles lack
$ memscope diff --fail-on cpu:+5% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! no sample type 'cpu'

### sigma needs several baselines
$ memscope diff --fail-on inuse_space:+3sigma testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! needs at least two --base profiles

### a truncated baseline is an input error, never 0 or 1
$ memscope diff --fail-on inuse_space:+5% testdata/bad/truncated.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! truncated gzip data

### a corrupt new profile too
$ memscope diff testdata/go1.19/heap.0.pb.gz testdata/bad/dangling_location.pb.gz
? 2
! refers to location id 7

### one profile only
$ memscope diff testdata/go1.19/heap.0.pb.gz
? 2
! diff takes BASE NEW

### diff demangles C++ names too
$ memscope diff testdata/demangle/cppleak.heap.pb.gz testdata/demangle/cppleak.heap.pb.gz | grep -c '_Z'; memscope diff --demangle none testdata/demangle/cppleak.heap.pb.gz testdata/demangle/cppleak.heap.pb.gz >/dev/null; echo $?
> 0
> 0

### gates on two sample types: each is judged on its own type's diff (inuse_space grew 18.6 MB -> 70.4 MB, +279%; no type grew a millionfold)
$ memscope diff --json --fail-on inuse_space:+5% --fail-on inuse_objects:+1000000% testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz | jq -c '[.gates[] | [.expr, .tripped]]'
> [["inuse_space:+5%",true],["inuse_objects:+1000000%",false]]
