# Tests of libmsrt (src/rt/) and `memscope run`.
if HAVE_CHECK
check_PROGRAMS += tests/check_rt
tests_check_rt_SOURCES = tests/check_rt.c
tests_check_rt_CFLAGS = $(CHECK_SUITE_CFLAGS) -fno-omit-frame-pointer
tests_check_rt_LDADD = libmsrttest.la $(CHECK_SUITE_LIBS) -lm
TESTS += tests/check_rt
endif
