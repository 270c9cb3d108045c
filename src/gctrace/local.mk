# src/gctrace/: the Go GC trace parser and analysis (public API in
# gctrace.h), and its renderers (text/JSON/CSV and the SVG timeline), which
# live in src/render/ but are listed here.
libmemscope_la_SOURCES += \
	src/gctrace/gctrace.h \
	src/gctrace/scan.h src/gctrace/lines.c src/gctrace/log.c src/gctrace/log_internal.h src/gctrace/read.c \
	src/gctrace/analyze.c \
	src/gctrace/trace_gc.c \
	src/gctrace/trace_stats.c \
	src/gctrace/gotrace_gc.c \
	src/render/gctrace_gotrace.c \
	src/render/gctrace_render.h \
	src/render/gctrace_report.c \
	src/render/gctrace_svg.c \
	src/render/gctrace_trace.c

# The libFuzzer target tools/fuzz/fuzz_gctrace.c runs under tools/fuzz/run.sh.
