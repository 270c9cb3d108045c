# Tests of memscope diff and its gates.
if HAVE_CHECK
check_PROGRAMS += tests/check_diff
tests_check_diff_SOURCES = tests/check_diff.c
tests_check_diff_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_diff_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_diff
endif
TESTS += tests/cli/diff.t
EXTRA_DIST += tests/cli/diff.t
