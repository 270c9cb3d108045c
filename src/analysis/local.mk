# src/analysis/: reports computed from the profile model.
libmemscope_la_SOURCES += \
	src/analysis/graph.c src/analysis/graph.h \
	src/analysis/compare.c src/analysis/diff.h \
	src/analysis/growth.c src/analysis/leaks.h \
	src/analysis/leakcheck.c src/analysis/leakcheck.h
libmemscope_la_SOURCES += src/analysis/fragmentation.c src/analysis/frag.h
# Go heap dumps: object graph, dominators, retained sizes
libmemscope_la_SOURCES += src/analysis/dominators.c src/analysis/dominators.h src/analysis/goheap.c src/analysis/goheap.h \
	src/analysis/goheap_profile.c
# stack collapsing, merging and diffing, the flame graph's prefix tree
libmemscope_la_SOURCES += src/analysis/stacks.c src/analysis/stacks.h
# labels: pprof's tag filters and -tags report
libmemscope_la_SOURCES += src/analysis/tags.c src/analysis/tags.h
