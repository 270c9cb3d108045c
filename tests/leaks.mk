# Tests of memscope leaks.
TESTS += tests/cli/leaks.t
EXTRA_DIST += tests/cli/leaks.t
