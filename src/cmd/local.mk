# src/cmd/: one file per subcommand (cmd_<name>), registered in src/memscope.c.
memscope_SOURCES += \
	src/cmd/report_opts.c src/cmd/report_opts.h \
	src/cmd/top.c src/cmd/info.c src/cmd/convert.c src/cmd/diff.c src/cmd/flame.c \
	src/cmd/gctrace.c src/cmd/leaks.c src/cmd/run.c src/cmd/symbolize.c
memscope_SOURCES += src/cmd/frag.c
memscope_SOURCES += src/cmd/heapdump.c
memscope_SOURCES += src/cmd/escape.c
memscope_CPPFLAGS = $(AM_CPPFLAGS) -DMS_LIBDIR='"$(libdir)"'
memscope_SOURCES += src/cmd/cmd_load.c
memscope_SOURCES += src/cmd/report.c
memscope_SOURCES += src/cmd/list.c src/cmd/graph.c
memscope_SOURCES += src/cmd/watch.c
# pprof's other views (issue 16): peek, traces, tree and their shared set-up
memscope_SOURCES += src/cmd/peek.c src/cmd/traces.c src/cmd/tree.c src/cmd/view_run.c src/cmd/view_run.h
memscope_SOURCES += src/cmd/tags.c
