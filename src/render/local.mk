# src/render/: text tables, JSON and SVG output.
libmemscope_la_SOURCES += \
	src/render/summary.c src/render/summary.h
libmemscope_la_SOURCES += src/render/top_report.c src/render/top.h
libmemscope_la_SOURCES += src/render/json_model.c src/render/json_model.h
libmemscope_la_SOURCES += src/render/diff_report.c src/render/diff.h
libmemscope_la_SOURCES += src/render/leaks_report.c src/render/leaks.h
libmemscope_la_SOURCES += src/render/frag_report.c src/render/frag.h
libmemscope_la_SOURCES += src/render/xml.c src/render/xml.h
libmemscope_la_SOURCES += src/render/goheap_report.c src/render/goheap.h
libmemscope_la_SOURCES += src/render/json.c src/render/json.h
