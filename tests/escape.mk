# Go escape analysis (memscope escape, top --escapes): command-line cases on
# committed compiler output, and every installed Go's live -m=2 output
# joined with its own profile.
TESTS += tests/cli/escape.t tests/escape_live.sh
EXTRA_DIST += tests/cli/escape.t tests/escape_live.sh tests/escape/patterns/main.go tests/escape/patterns/go.mod \
	tests/escape/gate/main.go tests/escape/gate/go.mod
