# src/gctrace/: the Go GC trace parser and analysis (public API in
# gctrace.h), and its renderers (text/JSON/CSV and the SVG timeline), which
# live in src/render/ but are listed here.
libmemscope_la_SOURCES += \
	src/gctrace/gctrace.h \
	src/gctrace/parse.c \
	src/gctrace/analyze.c \
	src/render/gctrace_render.h \
	src/render/gctrace_report.c \
	src/render/gctrace_svg.c

# The libFuzzer target (clang only; not part of `make`/`make check`):
#   make fuzz-gctrace && tools/fuzz/fuzz_gctrace -max_total_time=300 \
#       $(srcdir)/testdata/gctrace $(srcdir)/testdata/go1.19
FUZZ_CC = clang
FUZZ_GCTRACE_SRC = $(srcdir)/tools/fuzz/fuzz_gctrace.c \
	$(srcdir)/src/gctrace/parse.c $(srcdir)/src/gctrace/analyze.c \
	$(srcdir)/src/render/gctrace_report.c $(srcdir)/src/render/gctrace_svg.c \
	$(srcdir)/src/util/diag.c $(srcdir)/src/util/buf.c $(srcdir)/src/util/io.c
EXTRA_DIST += tools/fuzz/fuzz_gctrace.c tools/bench/gctrace.sh
CLEANFILES += tools/fuzz/fuzz_gctrace
.PHONY: fuzz-gctrace
fuzz-gctrace:
	$(MKDIR_P) tools/fuzz
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-D_GNU_SOURCE -I$(top_builddir) -I$(srcdir)/src $(JANSSON_CFLAGS) $(ZLIB_CFLAGS) \
		-o tools/fuzz/fuzz_gctrace $(FUZZ_GCTRACE_SRC) $(JANSSON_LIBS) $(ZLIB_LIBS) -lm
