# src/cmd/: one file per subcommand (cmd_<name>), registered in src/memscope.c.
memscope_SOURCES += \
	src/cmd/info.c
memscope_SOURCES += src/cmd/gctrace.c
