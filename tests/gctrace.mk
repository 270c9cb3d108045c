# Tests of src/gctrace/ and `memscope gctrace`.
TESTS += tests/cli/gctrace.t
EXTRA_DIST += tests/cli/gctrace.t
