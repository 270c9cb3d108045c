# src/profile/: the profile model and its readers and writers.
libmemscope_la_SOURCES += \
	src/profile/profile.c src/profile/profile.h
libmemscope_la_SOURCES += \
	src/profile/load.c src/profile/load.h \
	src/profile/pprof.h src/profile/pprof_read.c src/profile/pprof_write.c \
	src/profile/frames.c src/profile/frames.h \
	src/profile/merge.c src/profile/merge.h
# what `memscope run` leaves in its directory (names: src/rt/msrt_outnames.h)
libmemscope_la_SOURCES += src/profile/runout.c src/profile/runout.h
# the runtime's event trace (src/rt/mtrace.c writes it)
libmemscope_la_SOURCES += src/profile/trace.h src/profile/trace_read.c
# Go execution traces (runtime/trace): header and dispatch, one reader per
# format family
libmemscope_la_SOURCES += src/profile/gotrace.h src/profile/gotrace.c \
	src/profile/gotrace_v1.c src/profile/gotrace_v2.c \
	src/profile/gotrace_profile.c src/profile/gotrace_profile.h
# the bundled runtime's JSON heap dumps (and Go MemStats JSON), for frag
libmemscope_la_SOURCES += src/profile/msrt_dump.c src/profile/msrt_dump.h
# Go heap dumps (runtime/debug.WriteHeapDump)
libmemscope_la_SOURCES += src/profile/godump.c src/profile/godump.h
# C++ and Rust symbol demangling (libiberty), pprof's forms
libmemscope_la_SOURCES += src/profile/demangle.c src/profile/demangle.h
# the Go compiler's -m / -m=2 escape-analysis output
libmemscope_la_SOURCES += src/profile/escape.c src/profile/escape.h
# perf script output and folded stacks (flame graphs' inputs)
libmemscope_la_SOURCES += src/profile/perf_script.c src/profile/perf_script.h \
	src/profile/folded.c src/profile/folded.h
# live sources: Go pprof endpoints' URLs fetched and saved
libmemscope_la_SOURCES += src/profile/fetch.c src/profile/fetch.h
# several inputs merged like pprof's (profile.Merge, -base)
libmemscope_la_SOURCES += src/profile/combine.c src/profile/combine.h
