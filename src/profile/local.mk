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
