# Labels (pprof's tags): memscope tags and the tag filters against go tool
# pprof's goldens (tools/mkgolden_tags.sh) on the labelled profiles of
# tests/labels/labels.go (testdata/labels/, tools/mklabels.sh), and live
# against every installed Go's pprof (tests/labels/live.sh; skipped without Go).
TESTS += tests/cli/tags.t tests/cli/tags_golden.t tests/labels/live.sh
EXTRA_DIST += tests/cli/tags.t tests/cli/tags_golden.t tests/labels/live.sh tests/labels/labels.go \
	tools/mklabels.sh tools/mkgolden_tags.sh
