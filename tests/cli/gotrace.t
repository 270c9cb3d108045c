# Go execution traces (runtime/trace). The expected totals are those of
# `go tool trace -pprof=KIND` of the Go release that wrote each trace
# (/usr/lib/go-1.NN/bin/go, read with `go tool pprof -raw`), and the CPU
# profile of the same run for the cpu kind; tests/gotrace_live.sh checks the
# same live, stack by stack.

### info on a Go 1.23 trace: format, and each KIND's count and delay as go tool trace -pprof=KIND gives them
$ memscope info testdata/gotrace/demo.go1.23.trace
~ Go execution trace: go 1.23 trace (generational format)
~   sync          307 intervals, delay 926240192 ns (926.24ms)
~   net             2 intervals, delay 5533376 ns (5.53ms)
~   syscall         8 intervals, delay 19334592 ns (19.33ms)
~   sched         356 intervals, delay 438988288 ns (438.99ms)
~   CPU samples:     19

### info on a Go 1.22 trace, against Go 1.22's tool
$ memscope info testdata/gotrace/demo.go1.22.trace
~ go 1.22 trace (generational format)
~   sync          176 intervals, delay 528798016 ns (528.80ms)
~   net             4 intervals, delay 5484288 ns (5.48ms)
~   syscall        10 intervals, delay 18791936 ns (18.79ms)
~   sched         208 intervals, delay 325445632 ns (325.45ms)

### info --json names the kinds
$ memscope info --json testdata/gotrace/demo.go1.23.trace
~     "version": "1.23",
~         "delay_ns": 926240192

### a trace with GODEBUG=traceallocfree=1: the experimental batches are skipped, the totals are Go 1.23's
$ memscope info testdata/gotrace/demo.go1.23.traceallocfree.trace
~   sync          261 intervals, delay 994220415 ns (994.22ms)
~   sched         308 intervals, delay 724269697 ns (724.27ms)

### --trace-profile sync is go tool trace -pprof=sync: contentions and delay
$ memscope info --trace-profile sync testdata/gotrace/demo.go1.23.trace
~   0  contentions          count        total 307                  (307)
~   1  delay                nanoseconds  total 926240192            (926.24ms)  [default]

### --trace-profile cpu: the 19 samples of the run's CPU profile
$ memscope info --trace-profile cpu testdata/gotrace/demo.go1.23.trace
~   0  samples              count        total 19                   (19)
~   1  cpu                  nanoseconds  total 190000000            (190ms)  [default]

### top defaults to wait: the four kinds together (307+2+8+356 intervals, their delays summed)
$ memscope top testdata/gotrace/demo.go1.23.trace
~ Total samples = 1390.10ms

### the wait flame graph has one root per reason; network, syscall and runnable carry their kinds' totals
$ memscope flame testdata/gotrace/demo.go1.23.trace | awk '{ n = split($0, f, ";"); split(f[n], v, " "); r[f[1]] += v[2] } END { for (k in r) if (k ~ /^(network|syscall|runnable)$/) print k, r[k]; else s += r[k]; print "blocked", s }' | sort
> blocked 926240192
> network 5533376
> runnable 438988288
> syscall 19334592

### flame --svg draws the off-CPU flame graph
$ memscope flame --svg - testdata/gotrace/demo.go1.23.trace
~ <svg version="1.1"
~ <title>runnable
~ <title>sync.Mutex

### the 1.25 and 1.26 framings of a 1.23 trace give Go 1.23's totals
$ memscope info testdata/gotrace/gens.go1.25.trace && memscope info testdata/gotrace/gens.go1.26.trace
~ go 1.25 trace (generational format)
~ go 1.26 trace (generational format)
~   sync          421 intervals, delay 4518370880 ns (4.52s)

### a trace cut inside its third generation: the first two, a warning naming the offset, exit 0
$ head -c 37000 testdata/gotrace/gens.go1.23.trace | memscope info -
~   Generations:     2
! trace cut short: the file ends inside a generation (byte 37000)

### a trace cut inside its first generation is an input error
$ head -c 5000 testdata/gotrace/gens.go1.23.trace | memscope info -
? 2
! byte 5000: the trace ends inside its first generation

### an unknown version is an input error naming the offset
$ printf 'go 1.24 trace\0\0\0' | memscope info -
? 2
! byte 0: Go execution trace version 1.24 is not supported

### golang/go's own format tests: SUCCESS cases read
$ for f in go122-syscall-steal-proc-gen-boundary go122-syscall-steal-proc-gen-boundary-reacquire-new-proc go122-syscall-steal-proc-sitting-in-syscall go123-sync go125-sync; do memscope info testdata/gotrace/upstream/$f.trace >/dev/null || echo "$f failed"; done; echo done
> done

### golang/go's format test go122-fail-first-gen-first: "expected a proc but didn't have one"
$ memscope info testdata/gotrace/upstream/go122-fail-first-gen-first.trace
? 2
! expected a proc in its context

### golang/go's format test go122-create-syscall-with-p: "expected a proc but didn't have one"
$ memscope info testdata/gotrace/upstream/go122-create-syscall-with-p.trace
? 2
! expected a proc in its context

### an unknown --trace-profile is a usage error
$ memscope top --trace-profile bogus testdata/gotrace/demo.go1.23.trace
? 2
! unknown trace profile 'bogus'

### a failed read leaves no output file
$ head -c 5000 testdata/gotrace/gens.go1.23.trace > "${TMPDIR:-/tmp}/ms-gt-$$.trace"; memscope convert "${TMPDIR:-/tmp}/ms-gt-$$.trace" -o "${TMPDIR:-/tmp}/ms-gt-$$.pb.gz"; rc=$?; rm -f "${TMPDIR:-/tmp}/ms-gt-$$.trace"; test ! -e "${TMPDIR:-/tmp}/ms-gt-$$.pb.gz" && exit $rc
? 2
