# Tests of libmsrt's garbage collector (issue 7).
if HAVE_CHECK
check_PROGRAMS += tests/check_gc
tests_check_gc_SOURCES = tests/check_gc.c
tests_check_gc_CFLAGS = $(CHECK_SUITE_CFLAGS) -fno-omit-frame-pointer
tests_check_gc_LDADD = libmsrttest.la $(CHECK_SUITE_LIBS) -lm
TESTS += tests/check_gc
endif
