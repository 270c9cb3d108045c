# Tests of the old per-P Go execution trace reader (src/profile/gotrace_v1.c):
# a Check suite comparing its intervals with `go tool trace -pprof=KIND` of
# the Go release that wrote each trace (run live, skipped where missing).
if HAVE_CHECK
check_PROGRAMS += tests/check_gotrace_v1
tests_check_gotrace_v1_SOURCES = tests/check_gotrace_v1.c
tests_check_gotrace_v1_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_gotrace_v1_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_gotrace_v1
endif
