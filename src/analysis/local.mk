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
# pprof -list and the call graph (-dot/-svg)
libmemscope_la_SOURCES += src/analysis/listing.c src/analysis/listing.h src/analysis/callgraph.c src/analysis/callgraph.h
libmemscope_la_SOURCES += src/analysis/watch.c src/analysis/watch.h # memscope watch's snapshot series
# escape analysis joined with allocation sites (memscope escape, top --escapes)
libmemscope_la_SOURCES += src/analysis/escape_join.c src/analysis/escape_join.h
# pprof -traces' walk over the samples
libmemscope_la_SOURCES += src/analysis/traces.c src/analysis/traces.h
# labels: pprof's tag filters and -tags report
libmemscope_la_SOURCES += src/analysis/tags.c src/analysis/tags.h
