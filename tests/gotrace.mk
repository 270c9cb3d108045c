# Go execution traces: the generational reader on constructed and damaged
# input (Check), command-line cases, and the trace profiles against the live
# `go tool trace -pprof` of each installed Go.
if HAVE_CHECK
check_PROGRAMS += tests/check_gotrace
tests_check_gotrace_SOURCES = tests/check_gotrace.c
tests_check_gotrace_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_gotrace_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_gotrace
endif
TESTS += tests/cli/gotrace.t tests/gotrace_live.sh
EXTRA_DIST += tests/cli/gotrace.t tests/gotrace_live.sh tests/gotrace/prog.go tests/gotrace/gens.go tests/gotrace/small.go
