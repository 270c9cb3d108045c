# src/cmd/: one file per subcommand (cmd_<name>), registered in src/memscope.c.
memscope_SOURCES += \
	src/cmd/info.c
memscope_SOURCES += src/cmd/run.c
memscope_CPPFLAGS = $(AM_CPPFLAGS) -DMS_LIBDIR='"$(libdir)"'
