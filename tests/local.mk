# tests/: Check suites (tests/check_*.c) and command-line cases
# (tests/cli/*.t, run by tests/cli-run.sh). Each area lists its own tests in
# tests/<area>.mk.
TEST_EXTENSIONS = .t .sh
# Both kinds print a TAP line per case ("ok - T", "ok - T # SKIP why",
# "not ok - T"): automake's TAP driver counts them, through tap-wrap.sh,
# which maps the scripts' exit codes (77 skip, 99 hard error) to TAP.
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_COMPILER = $(SHELL) $(srcdir)/tests/tap-wrap.sh $(SHELL)
T_LOG_DRIVER = $(SH_LOG_DRIVER)
T_LOG_COMPILER = $(SHELL) $(srcdir)/tests/tap-wrap.sh $(SHELL) $(srcdir)/tests/cli-run.sh
if SANITIZERS
MS_SANITIZERS = yes
else
MS_SANITIZERS = no
endif
# Check's timeouts catch hangs, not slowness: CI machines are shared, so
# every case gets 3x its own (CK_TIMEOUT_MULTIPLIER, unless set already).
AM_TESTS_ENVIRONMENT = srcdir='$(abs_top_srcdir)'; MEMSCOPE='$(abs_top_builddir)/memscope'; \
	MS_SANITIZERS='$(MS_SANITIZERS)'; CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-3}; \
	export srcdir MEMSCOPE MS_SANITIZERS CK_TIMEOUT_MULTIPLIER;
EXTRA_DIST += tests/cli-run.sh tests/valgrind.sh tests/tap-wrap.sh
TESTS += tests/valgrind.sh
CHECK_SUITE_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(JANSSON_CFLAGS) $(PROTOBUF_C_CFLAGS) $(ZLIB_CFLAGS)
CHECK_SUITE_LIBS = libmemscope.la $(CHECK_LIBS)
# the .t cases themselves: each must fail with memscope replaced by /bin/true or /bin/false
TESTS += tests/cli-harness.sh
EXTRA_DIST += tests/cli-harness.sh
TESTS += tests/badinput.sh tests/cli/badinput.t
EXTRA_DIST += tests/badinput.sh tests/cli/badinput.t
