# src/cmd/: one file per subcommand (cmd_<name>), registered in src/memscope.c.
memscope_SOURCES += \
	src/cmd/report_opts.c src/cmd/report_opts.h \
	src/cmd/top.c src/cmd/info.c src/cmd/convert.c src/cmd/diff.c src/cmd/flame.c \
	src/cmd/gctrace.c src/cmd/leaks.c src/cmd/run.c src/cmd/symbolize.c
memscope_SOURCES += src/cmd/frag.c
memscope_SOURCES += src/cmd/heapdump.c
memscope_CPPFLAGS = $(AM_CPPFLAGS) -DMS_LIBDIR='"$(libdir)"'
memscope_SOURCES += src/cmd/cmd_load.c
memscope_SOURCES += src/cmd/tags.c
