# Tests of libmsrt's garbage collector (issue 7).
if HAVE_CHECK
check_PROGRAMS += tests/check_gc
tests_check_gc_SOURCES = tests/check_gc.c
tests_check_gc_CFLAGS = $(CHECK_SUITE_CFLAGS) -fno-omit-frame-pointer
tests_check_gc_LDADD = libmsrttest.la $(CHECK_SUITE_LIBS) -lm
TESTS += tests/check_gc
endif

# gctrace lines from the runtime, read back by memscope gctrace
TESTS += tests/cli/gc.t
EXTRA_DIST += tests/cli/gc.t

# The GCBench-style workload: exact checksum under the collector. Built
# without the sanitizers (it links libmsrt, which replaces malloc).
check_PROGRAMS += tools/bench/gcbench
tools_bench_gcbench_SOURCES = tools/bench/gcbench.c
tools_bench_gcbench_CFLAGS = -O2 -DUSE_MSRT -I$(srcdir)/src/rt
tools_bench_gcbench_LDFLAGS =
tools_bench_gcbench_LDADD = libmsrt.la
TESTS += tests/gc/gcbench.sh
EXTRA_DIST += tests/gc/gcbench.sh
