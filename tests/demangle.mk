# C++ and Rust names in pprof's simplified form: memscope top against
# go tool pprof -top on testdata/demangle/ (tools/mkgolden_demangle.sh).
TESTS += tests/cli/demangle_golden.t
EXTRA_DIST += tests/cli/demangle_golden.t tools/mkgolden_demangle.sh
