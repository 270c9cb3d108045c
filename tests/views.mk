# Tests of pprof's other views (peek, traces, tree) and merged inputs / --base:
# goldens from go tool pprof 1.19 (tools/mkgolden_views.sh) and the cases around them.
TESTS += tests/cli/views_golden.t tests/cli/views.t
EXTRA_DIST += tests/cli/views_golden.t tests/cli/views.t
