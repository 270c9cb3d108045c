# src/profile/: the profile model and its readers and writers.
libmemscope_la_SOURCES += \
	src/profile/profile.c src/profile/profile.h
libmemscope_la_SOURCES += \
	src/profile/load.c src/profile/load.h \
	src/profile/pprof.h src/profile/pprof_read.c src/profile/pprof_write.c \
	src/profile/frames.c src/profile/frames.h \
	src/profile/merge.c src/profile/merge.h
# the runtime's event trace (src/rt/mtrace.c writes it)
libmemscope_la_SOURCES += src/profile/trace.h src/profile/trace_read.c
# Go execution traces (runtime/trace): header and dispatch, one reader per
# format family
libmemscope_la_SOURCES += src/profile/gotrace.h src/profile/gotrace.c \
	src/profile/gotrace_v1.c src/profile/gotrace_v2.c \
	src/profile/gotrace_profile.c src/profile/gotrace_profile.h
