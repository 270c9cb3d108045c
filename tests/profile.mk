# Tests of the profile model, pprof I/O and top/info/convert.
TESTS += tests/cli/info.t
EXTRA_DIST += tests/cli/info.t
