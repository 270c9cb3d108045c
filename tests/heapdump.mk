# Tests of Go heap dumps (issue 13): the reader, dominators and retained
# sizes (Check suite), memscope heapdump on real dumps (tests/cli/heapdump.t)
# and dumps written now by tests/heapdump/known.go with each installed Go
# (tests/heapdump/known.sh; skipped when no Go is installed).
if HAVE_CHECK
check_PROGRAMS += tests/check_godump
tests_check_godump_SOURCES = tests/check_godump.c
tests_check_godump_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_godump_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_godump
endif
TESTS += tests/cli/heapdump.t tests/heapdump/known.sh
EXTRA_DIST += tests/cli/heapdump.t tests/heapdump/known.go tests/heapdump/known.sh tools/bench/heapdump.sh tools/bench/varintscan.c \
	tools/bench/heapdumpgen/main.go tools/fuzz/fuzz_godump.c tools/fuzz/godump_seeds.py
