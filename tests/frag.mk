# Tests of memscope frag: the heap dump reader and the diagnosis (Check
# suite), real dumps in testdata/frag/ (tests/cli/frag.t), and dumps written
# now by tests/frag/fragprog under memscope run (tests/frag/frag.sh).
if HAVE_CHECK
check_PROGRAMS += tests/check_frag
tests_check_frag_SOURCES = tests/check_frag.c
tests_check_frag_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_frag_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_frag
endif

check_PROGRAMS += tests/frag/fragprog
tests_frag_fragprog_SOURCES = tests/frag/fragprog.c
# never sanitized: it runs with libmsrt preloaded
tests_frag_fragprog_CFLAGS = -g -fno-omit-frame-pointer
tests_frag_fragprog_LDFLAGS =
TESTS += tests/frag/frag.sh tests/cli/frag.t
EXTRA_DIST += tests/frag/frag.sh tests/cli/frag.t
