# src/util/: errors, buffers, I/O with gzip, options, arena, hash tables.
libmemscope_la_SOURCES += \
	src/util/diag.c src/util/diag.h \
	src/util/buf.c src/util/buf.h \
	src/util/io.c src/util/io.h \
	src/util/opts.c src/util/opts.h \
	src/util/heapsample.h src/util/arena.c src/util/arena.h \
	src/util/strtab.c src/util/strtab.h \
	src/util/pairmap.c src/util/pairmap.h \
	src/util/regex.c src/util/regex.h \
	src/util/fit.c src/util/fit.h \
	src/util/severity.c src/util/severity.h \
	src/util/stackset.c src/util/stackset.h \
	src/util/units.c src/util/units.h src/util/varint.h \
	src/util/utf8.c src/util/utf8.h
# HTTP(S) GETs with libcurl (URL sources)
libmemscope_la_SOURCES += src/util/http.c src/util/http.h
