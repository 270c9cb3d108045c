# Tests of the profile model, pprof I/O and top/info/convert.
if HAVE_CHECK
check_PROGRAMS += tests/check_profile
tests_check_profile_SOURCES = tests/check_profile.c
tests_check_profile_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_profile_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_profile
endif
TESTS += tests/cli/info.t tests/cli/top.t tests/cli/top_golden.t tests/cli/convert.t tests/pprof_live.sh
EXTRA_DIST += tests/cli/info.t tests/cli/top.t tests/cli/top_golden.t tests/cli/convert.t tests/pprof_live.sh
# list and graph (pprof -list, -dot/-svg); goldens from tools/mkgolden_listgraph.sh
TESTS += tests/cli/list_golden.t tests/cli/graph_golden.t tests/cli/listgraph.t
EXTRA_DIST += tests/cli/list_golden.t tests/cli/graph_golden.t tests/cli/listgraph.t tools/mkgolden_listgraph.sh
if HAVE_CHECK
check_PROGRAMS += tests/check_listgraph
tests_check_listgraph_SOURCES = tests/check_listgraph.c
tests_check_listgraph_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_listgraph_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_listgraph
endif
