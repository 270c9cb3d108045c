# URL sources and `memscope watch` against a real Go server (tools/pprofserve,
# built by the test; skipped without go), and their command-line cases.
TESTS += tests/live.sh tests/cli/watch.t
EXTRA_DIST += tests/live.sh tests/cli/watch.t tools/pprofserve/main.go
