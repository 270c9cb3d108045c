# src/render/: text tables, JSON and SVG output.
libmemscope_la_SOURCES += \
	src/render/units.c src/render/units.h \
	src/render/summary.c src/render/summary.h
libmemscope_la_SOURCES += src/render/top.c src/render/top.h
libmemscope_la_SOURCES += src/render/json_model.c src/render/json_model.h
libmemscope_la_SOURCES += src/render/diff.c src/render/diff.h
libmemscope_la_SOURCES += src/render/leaks.c src/render/leaks.h
libmemscope_la_SOURCES += src/render/frag.c src/render/frag.h
libmemscope_la_SOURCES += src/render/xml.c src/render/xml.h
libmemscope_la_SOURCES += src/render/json.c src/render/json.h
