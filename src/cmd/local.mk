# src/cmd/: one file per subcommand (cmd_<name>), registered in src/memscope.c.
memscope_SOURCES += \
	src/cmd/info.c src/cmd/top.c src/cmd/report_opts.c src/cmd/report_opts.h src/cmd/convert.c \
	src/cmd/diff.c src/cmd/leaks.c src/cmd/symbolize.c src/cmd/run.c
memscope_CPPFLAGS = $(AM_CPPFLAGS) -DMS_LIBDIR='"$(libdir)"'
memscope_SOURCES += src/cmd/gctrace.c
