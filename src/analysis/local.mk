# src/analysis/: reports computed from the profile model.
libmemscope_la_SOURCES += \
	src/analysis/graph.c src/analysis/graph.h \
	src/analysis/diff.c src/analysis/diff.h \
	src/analysis/leaks.c src/analysis/leaks.h \
	src/analysis/leakcheck.c src/analysis/leakcheck.h
libmemscope_la_SOURCES += src/analysis/frag.c src/analysis/frag.h
