# Tests of libmsrt (src/rt/) and `memscope run`.
if HAVE_CHECK
check_PROGRAMS += tests/check_rt
tests_check_rt_SOURCES = tests/check_rt.c
tests_check_rt_CFLAGS = $(CHECK_SUITE_CFLAGS) -fno-omit-frame-pointer
tests_check_rt_LDADD = libmsrttest.la $(CHECK_SUITE_LIBS) -lm
TESTS += tests/check_rt
endif

# Real programs under the preload, `memscope run`, attribution.
check_PROGRAMS += tests/rt/leakprog
tests_rt_leakprog_SOURCES = tests/rt/leakprog.c
# never sanitized: it runs with libmsrt preloaded
tests_rt_leakprog_CFLAGS = -g -fno-omit-frame-pointer
tests_rt_leakprog_LDFLAGS =
TESTS += tests/rt/preload.sh
EXTRA_DIST += tests/rt/preload.sh

TESTS += tests/cli/rt.t
EXTRA_DIST += tests/cli/rt.t
# pthread_getattr_np on itself (allocates under the thread's lock) at rate 1
check_PROGRAMS += tests/rt/getattr
tests_rt_getattr_SOURCES = tests/rt/getattr.c
tests_rt_getattr_CFLAGS = -g -fno-omit-frame-pointer $(PTHREAD_CFLAGS)
tests_rt_getattr_LDFLAGS =
tests_rt_getattr_LDADD = $(PTHREAD_LIBS)

# A program linked with libmsrt (the malloc replacement without preloading).
check_PROGRAMS += tests/rt/linked
tests_rt_linked_SOURCES = tests/rt/linked.c
tests_rt_linked_CFLAGS = -g $(WARN_CFLAGS) $(PTHREAD_CFLAGS)
tests_rt_linked_LDFLAGS =
tests_rt_linked_LDADD = libmsrt.la $(PTHREAD_LIBS)
TESTS += tests/rt/linked

# The leak check (`memscope run --leak-check`) on a program with known
# leaks and reachable blocks, compared with LeakSanitizer when clang is there.
check_PROGRAMS += tests/rt/leakcheck
tests_rt_leakcheck_SOURCES = tests/rt/leakcheck.c
# never sanitized: it runs with libmsrt preloaded
tests_rt_leakcheck_CFLAGS = -g -O1 -fno-omit-frame-pointer $(PTHREAD_CFLAGS)
tests_rt_leakcheck_LDFLAGS =
tests_rt_leakcheck_LDADD = $(PTHREAD_LIBS)
TESTS += tests/rt/leakcheck.sh
EXTRA_DIST += tests/rt/leakcheck.sh

# Process trees of known construction (fork, exec, a forking server,
# heaptrack's figures) and real multi-process programs under `memscope run`.
check_PROGRAMS += tests/rt/procprog
tests_rt_procprog_SOURCES = tests/rt/procprog.c
# never sanitized: it runs with libmsrt preloaded; libstdc++ linked for
# the peak comparison with heaptrack (whose preload brings it in)
tests_rt_procprog_CFLAGS = -g -O1 -fno-omit-frame-pointer
tests_rt_procprog_LDFLAGS = -Wl,--no-as-needed
tests_rt_procprog_LDADD = -lstdc++
TESTS += tests/rt/procs.sh
EXTRA_DIST += tests/rt/procs.sh tests/rt/tap.sh

TESTS += tests/rt/sizeclasses.sh
EXTRA_DIST += tests/rt/sizeclasses.sh
