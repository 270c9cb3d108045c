# Tests of the collector's trace records and the heap profile's GC-cycle
# semantics (issue 7): a Check suite (tests/check_gcev.c, linked with the
# runtime like check_gc) and command-line cases on a real trace.
if HAVE_CHECK
check_PROGRAMS += tests/check_gcev
tests_check_gcev_SOURCES = tests/check_gcev.c
tests_check_gcev_CFLAGS = $(CHECK_SUITE_CFLAGS) -fno-omit-frame-pointer
tests_check_gcev_LDADD = libmsrttest.la $(CHECK_SUITE_LIBS) -lm
TESTS += tests/check_gcev
endif
TESTS += tests/cli/gcev.t
EXTRA_DIST += tests/cli/gcev.t testdata/msrt/gcbench.trace.out testdata/msrt/gcbench.trace.gctrace.log \
	tools/fuzz/seeds/trace-gc.out tools/bench/gcev.sh
