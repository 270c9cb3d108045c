# tests/: Check suites and CLI tests.
