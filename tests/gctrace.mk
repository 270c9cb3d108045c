# Tests of src/gctrace/ and `memscope gctrace`: a Check suite for the parser
# and analysis, command-line cases, and the data they read.
if HAVE_CHECK
check_PROGRAMS += tests/check_gctrace
tests_check_gctrace_SOURCES = tests/check_gctrace.c
tests_check_gctrace_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_gctrace_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_gctrace
endif
TESTS += tests/cli/gctrace.t
EXTRA_DIST += tests/cli/gctrace.t
