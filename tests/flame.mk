# Tests of memscope flame: readers (perf script, folded), collapse, diff, SVG.
if HAVE_CHECK
check_PROGRAMS += tests/check_flame
tests_check_flame_SOURCES = tests/check_flame.c
tests_check_flame_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_flame_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_flame
endif
TESTS += tests/cli/flame.t tests/flame_browser.sh
EXTRA_DIST += tests/cli/flame.t tests/flame_browser.sh
