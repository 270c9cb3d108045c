# memscope flame: folded output, SVG, differential graphs, bad input.

### perf script -> folded is stackcollapse-perf.pl's output, byte for byte
$ memscope flame testdata/perf/cpuwork.perf.txt.gz
>> testdata/perf/cpuwork.folded

### the same from standard input, uncompressed
$ gzip -dc testdata/perf/cpuwork.perf.txt.gz | memscope flame -
>> testdata/perf/cpuwork.folded

### folded -> folded is the identity (sorted, totals kept)
$ memscope flame testdata/perf/cpuwork.folded
>> testdata/perf/cpuwork.folded

### --sample-index samples counts perf samples instead of summing periods
$ memscope flame --sample-index samples testdata/perf/cpuwork.perf.txt.gz | awk '{ s += $NF } END { print s }'
> 1322

### pprof -> folded: the lines sum to the default sample type's total
$ memscope flame testdata/go1.19/heap.4.pb.gz | awk '{ s += $NF } END { print s }'
> 70363132

### pprof -> folded with --sample-index and the callers root first
$ memscope flame --sample-index alloc_objects testdata/go1.19/heap.4.pb.gz
~ runtime.main;main.main;main.handle;main.newSession 165485

### --diff writes two-count lines whose columns sum to the two totals
$ memscope flame --diff testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz | awk '{ b += $(NF-1); n += $NF } END { print b, n }'
> 18556270 70363132

### --diff: a stack that grew
$ memscope flame --diff testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz -o - | grep 'main.handle;main.newSession '
> runtime.main;main.main;main.handle;main.newSession 16807314 68790036

### --svg writes a self-contained SVG with every big frame
$ memscope flame --svg - --title 'cpuwork <perf>' testdata/perf/cpuwork.perf.txt.gz
~ <svg version="1.1" width="1200"
~ >cpuwork &lt;perf&gt;</text>
~ <title>crypto/sha256.block.abi0
~ <title>main.sortLoop
~ function search(term)

### a two-count folded file draws as a differential graph
$ memscope flame --diff testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz -o - | memscope flame --svg - -
~ Differential Flame Graph
~ <title>main.newSession

### a perf script cut mid-sample: the partial sample is dropped with a warning
$ gzip -dc testdata/perf/cpuwork.perf.txt.gz | head -c 400000 | memscope flame - | wc -l
! warning: <stdin>: the input ends inside the sample of line

### binary junk is an input error
$ memscope flame testdata/bad/random.bin
? 2
! testdata/bad/random.bin: unrecognised input format

### binary junk declared as perf script: nothing usable
$ memscope flame --input-format perf testdata/bad/random.bin
? 2
! no samples:

### an empty input is an input error
$ memscope flame - </dev/null
? 2
! empty input

### folded lines without counts: nothing usable is an error naming the line
$ printf 'main;work\nmain;idle\n' | memscope flame --input-format folded -
? 2
! <stdin>: no stacks: 2 lines not in folded format (first at line 1: no count at the end of the line)

### some lines without counts: a warning with the count of skipped lines
$ printf 'main;work 5\nmain;idle\nmain;work 2\n' | memscope flame -
> main;work 7
! warning: <stdin>: skipped 1 malformed line (first at line 2: no count at the end of the line)

### perf options: --pid, --kernel
$ memscope flame --pid --kernel testdata/perf/cpuwork.perf.txt.gz | head -1
> cpuwork-?;[unknown];[unknown];[unknown];[unknown];[unknown];[unknown];runtime.mstart.abi0;runtime.mstart0;runtime.mstart1;runtime.sysmon;runtime.usleep.abi0;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_nanosleep_[k];hrtimer_nanosleep_[k];do_nanosleep_[k];schedule_[k];__schedule_[k];finish_task_switch.isra.0_[k] 2002002

### --tid splits threads
$ memscope flame --tid testdata/perf/cpuwork.perf.txt.gz | cut -d';' -f1 | sort -u
> cpuwork-?/16849
> cpuwork-?/16851
> cpuwork-?/16852
> cpuwork-?/16853

### usage errors
$ memscope flame --width 10 testdata/perf/cpuwork.folded
? 2
! --width must be between 100 and 1000000 pixels

### --normalize needs --diff
$ memscope flame --normalize testdata/perf/cpuwork.folded
? 2
! --normalize needs --diff BASE

### --diff refuses different units
$ memscope flame --diff testdata/go1.19/cpu.pb.gz testdata/go1.19/heap.4.pb.gz
? 2
! cannot compare

### a failed flame leaves no output file
$ memscope flame testdata/bad/random.bin --svg "${TMPDIR:-/tmp}/ms-flame-$$.svg"; rc=$?; test ! -e "${TMPDIR:-/tmp}/ms-flame-$$.svg" && exit $rc
? 2

### -o to a FIFO (or a device such as /dev/null) writes in place instead of replacing it
$ f=${TMPDIR:-/tmp}/ms-fifo-$$; mkfifo "$f" && { cat "$f" >"$f.out" & exec 3>"$f"; memscope flame -o "$f" testdata/perf/cpuwork.folded 3>&-; exec 3>&-; wait; test -p "$f" && wc -l <"$f.out"; rm -f "$f" "$f.out"; }
> 132

### weights whose sum overflows 64 bits are refused, not wrapped
$ printf 'a 999999999999999999\nb 999999999999999999\nc 999999999999999999\nd 999999999999999999\ne 999999999999999999\nf 999999999999999999\ng 999999999999999999\nh 999999999999999999\ni 999999999999999999\nj 999999999999999999\n' | memscope flame -
? 2
! <stdin>: stack values overflow 64 bits

### --normalize scales the base to the new total
$ memscope flame --normalize --diff testdata/go1.19/heap.0.pb.gz testdata/go1.19/heap.4.pb.gz | grep 'main.handle;main.newSession '
> runtime.main;main.main;main.handle;main.newSession 63731302 68790036

### perf script without call chains: command names only, and a hint
$ printf 'app 1 1.0: 10 cycles: \n\napp 1 1.1: 10 cycles: \n\n' | memscope flame -
> app 20
! was perf record run with -g?

### the runtime's trace: folded lines sum to the default sample type's total (alloc_space)
$ memscope flame testdata/rt/leakprog-100.trace.out | awk '{ s += $NF } END { print s }'
> 45896

### flame demangles C++ names (pprof's simplified form) and --demangle none keeps the symbols
$ memscope flame -o - testdata/demangle/cppleak.heap.pb.gz | grep -c ';make_vector;std::vector::push_back;.*;std::__new_allocator::allocate;operator new '; memscope flame --demangle none -o - testdata/demangle/cppleak.heap.pb.gz | grep -c ';_ZNSt6vectorIiSaIiEE9push_backEOi;.*;_Znwm '
> 1
> 1

### --json: the same stacks, order and values as the folded output; read back, they equal stackcollapse-perf.pl's collapse of the capture
$ memscope flame --json testdata/perf/cpuwork.perf.txt.gz | jq -r '.stacks[] | "\(.frames | join(";")) \(.value)"'
>> testdata/perf/cpuwork.folded

### --json: totals and columns (the capture's 1,323,323,322 ns of cpu = the sum of the reference's counts)
$ memscope flame --json testdata/perf/cpuwork.perf.txt.gz | jq -c '[.type, .unit, .columns, .totals]'
> ["cpu","nanoseconds",["value"],[1323323322]]

### --json with a name that is not valid UTF-8: valid JSON, every stack kept (the bad byte becomes U+FFFD)
$ printf 'main;f\377g 3\nmain;h 2\n' | memscope flame --json - | jq -c '[(.stacks | length), .stacks[0].frames[1], .totals[0]]'
> [2,"f�g",5]

### --json --diff: base and new columns
$ printf 'main;a 3\nmain;b 2\n' >"${TMPDIR:-/tmp}/ms-fj-base.$$" && printf 'main;a 1\nmain;c 4\n' | memscope flame --json --diff "${TMPDIR:-/tmp}/ms-fj-base.$$" - | jq -c '[.columns, .totals, [.stacks[] | [(.frames | join(";")), .base, .new]]]'; s=$?; rm -f "${TMPDIR:-/tmp}/ms-fj-base.$$"; exit $s
> [["base","new"],[5,5],[["main;a",3,1],["main;b",2,0],["main;c",0,4]]]
