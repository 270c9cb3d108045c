# Tests of pprof's other views (peek, traces, tree) and merged inputs / --base:
# goldens from go tool pprof 1.19 (tools/mkgolden_views.sh) and the cases around them.
TESTS += tests/cli/views_golden.t tests/cli/views.t
EXTRA_DIST += tests/cli/views_golden.t tests/cli/views.t
if HAVE_CHECK
check_PROGRAMS += tests/check_combine
tests_check_combine_SOURCES = tests/check_combine.c
tests_check_combine_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_combine_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_combine
endif
