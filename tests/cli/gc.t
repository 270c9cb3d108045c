# The runtime collector's gctrace, read back by memscope gctrace
# (format: see tests/cli-run.sh). testdata/msrt/gcbench.gctrace.log is real
# output of tools/bench/gcbench.c with MSRT_GCTRACE and MSRT_SCAVTRACE=1;
# the expected maximum pause (a + c of the clock field) was computed with
# awk over the raw lines.

### every line is a Go 1.18+ gc line or a Go 1.21 scav line
$ memscope gctrace testdata/msrt/gcbench.gctrace.log
~ Lines: 90 (45 gc, 45 scavenger, 0 pacer, 0 other runtime, 0 skipped, 0 malformed)
~ Format: go1.18+
~ GC cycles: 45 (gc 1-45), 0 forced
~ max 5.41 ms at gc 21
~ Scavenger: 45 lines (0 forced)

### strict mode: no foreign line
$ memscope gctrace --strict testdata/msrt/gcbench.gctrace.log
? 0
