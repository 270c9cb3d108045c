# Tests of `memscope gctrace` on Go execution traces (src/gctrace/gotrace_gc.c):
# cycles against the same run's GODEBUG=gctrace=1 lines, the MMU curve
# against `go tool trace`'s (run headless, skipped where that Go is missing).
if HAVE_CHECK
check_PROGRAMS += tests/check_gotrace_gc
tests_check_gotrace_gc_SOURCES = tests/check_gotrace_gc.c
tests_check_gotrace_gc_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_gotrace_gc_LDADD = $(CHECK_SUITE_LIBS) $(JANSSON_LIBS) -lm
TESTS += tests/check_gotrace_gc
endif
EXTRA_DIST += tests/cli/gotrace_gc.t tools/go_mmuref.sh
TESTS += tests/cli/gotrace_gc.t
