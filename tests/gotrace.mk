# Go execution traces: the generational reader and the trace profiles
# against the live `go tool trace -pprof` of each installed Go.
TESTS += tests/gotrace_live.sh
EXTRA_DIST += tests/gotrace_live.sh tests/gotrace/prog.go
