# Tests of src/symbolize/: a Check suite that compiles small programs
# (testdata/symbolize/*.c) with the system compiler and symbolizes their real
# addresses, and command-line cases on committed binaries and profiles.
if HAVE_CHECK
check_PROGRAMS += tests/check_symbolize
tests_check_symbolize_SOURCES = tests/check_symbolize.c
tests_check_symbolize_CFLAGS = $(CHECK_SUITE_CFLAGS)
tests_check_symbolize_LDADD = $(CHECK_SUITE_LIBS)
TESTS += tests/check_symbolize
endif
# addr-profile: unsymbolized profiles from addresses (benchmark and test data)
check_PROGRAMS += tools/bench/addr-profile
tools_bench_addr_profile_SOURCES = tools/bench/addr-profile.c
tools_bench_addr_profile_CFLAGS = $(libmemscope_la_CFLAGS)
tools_bench_addr_profile_LDADD = libmemscope.la
TESTS += tests/cli/symbolize.t
EXTRA_DIST += tests/cli/symbolize.t
