### info on a runtime trace: exact totals at rate 1 (leakprog 100: 100 x 200 B leaked, 20 x 1..20 B churned per record, a 800 B calloc, a 4096 B stdio buffer)
$ memscope info testdata/rt/leakprog-100.trace.out
~ Period: 1 space/bytes
~   0  alloc_objects        count        total 2102                 (2102)
~   1  alloc_space          bytes        total 45896                (44.82kB)  [default]
~   2  inuse_objects        count        total 102                  (102)
~   3  inuse_space          bytes        total 24896                (24.31kB)

### the trace agrees with the pprof profile written by the same run
$ memscope info testdata/rt/leakprog-100.heap.pb.gz
~   1  alloc_space          bytes        total 45896                (44.82kB)
~   3  inuse_space          bytes        total 24896                (24.31kB)  [default]

### a trace read from stdin with the format named
$ memscope info --input-format trace - < testdata/rt/leakprog-100.trace.out
~ Samples: 6

### a truncated trace is an input error naming the byte offset
$ head -c 3000 testdata/rt/leakprog-100.trace.out | memscope info -
? 2
! <stdin>: byte

### a trace of an unknown version is rejected
$ printf 'MSRTRACE\002' | memscope info -
? 2
! trace version 2 is not supported

### a trace with nothing after the magic
$ printf 'MSRTRACE' | memscope info -
? 2
! byte 8: truncated varint

### run needs a command
$ memscope run -o /tmp
? 2
! no command to run

### run rejects fractional byte counts the runtime would ignore
$ memscope run --interval 1.5MB -- true
? 2
! bad --interval '1.5MB'

### memscope run symbolizes what it wrote: leak_record's line leads with exactly 100 x 200 bytes at rate 1
$ d=$(mktemp -d) && memscope run -o "$d" --rate 1 -- "$(dirname "$MEMSCOPE")/tests/rt/leakprog" 100 >/dev/null 2>&1 && memscope top --granularity lines -n 1 --json "$d"/heap.*.pb.gz | tr -d ' \n' | sed 's/"name":"leak_record[^"]*leakprog.c:\([0-9]*\)"/"name":"leak_record leakprog.c:\1"/'; rm -rf "$d"
~ "name":"leak_record leakprog.c:18","flat":20000,

### flame on the runtime's trace: allocated bytes by default, --inuse for what was live at the end
$ memscope flame testdata/rt/leakprog-100.trace.out | awk '{ s += $NF } END { print s }'; memscope flame --inuse testdata/rt/leakprog-100.trace.out | awk '{ s += $NF } END { print s }'
> 45896
> 24896

### --error-exitcode N: exit N when the leak check finds leaked bytes, exact byte counts (leakcheck.c's leak_direct drops one 1000-byte block)
$ d=$(mktemp -d) && memscope run -o "$d" --error-exitcode 23 -- "$(dirname "$MEMSCOPE")/tests/rt/leakcheck" >/dev/null 2>"$d/err"; rc=$?; grep -o "Direct leak of 1,000 bytes in 1 block" "$d/err"; rm -rf "$d"; exit $rc
? 23
> Direct leak of 1,000 bytes in 1 block

### --error-exitcode: no leak, the program's own status (leakprog keeps its 10 x 200-byte records reachable)
$ d=$(mktemp -d) && memscope run -o "$d" --error-exitcode 23 -- "$(dirname "$MEMSCOPE")/tests/rt/leakprog" 10 >/dev/null 2>"$d/err"; echo "exit $?"; grep -o "0 bytes leaked in 0 blocks" "$d/err"; rm -rf "$d"
> exit 0
> 0 bytes leaked in 0 blocks

### --error-exitcode outside 0..255 is a usage error
$ memscope run --error-exitcode 256 -- true
? 2
! --error-exitcode takes 0 (off) to 255

### run on a C++ program: the summary and the leak report name C++ functions as pprof does (operator new, not _Znwm)
$ d=$(mktemp -d) && c++ -g -O1 -fno-omit-frame-pointer testdata/demangle/cppleak.cpp -o "$d/cppleak" && memscope run -o "$d/out" --leak-check -- "$d/cppleak" >/dev/null 2>"$d/err"; grep -c '_Znwm\|_Znam' "$d/err"; grep -o -m1 '#0 operator new$' "$d/err"; grep -o -m1 '#1 leak_array ' "$d/err"; grep -o -m1 'operator new *$' "$d/err"; rm -rf "$d"
> 0
> #0 operator new
> #1 leak_array 
> operator new

### a program that calls pthread_getattr_np on its threads (as Rust's runtime does) runs to the end at --rate 1: the profiler finds stack bounds without it (it allocates under the thread's lock)
$ d=$(mktemp -d) && timeout 120 memscope run -o "$d" --rate 1 -- "$(dirname "$MEMSCOPE")/tests/rt/getattr" 2>/dev/null; echo "exit $?"; rm -rf "$d"
> main thread ok
> exit 0

### without --, run's options end at the command: sort's own -n and -r reach sort (5 numbers sorted numerically, reversed)
$ d=$(mktemp -d) && printf '5\n30\n200\n' | memscope run -o "$d/o" sort -n -r 2>/dev/null; rm -rf "$d"
> 200
> 30
> 5
