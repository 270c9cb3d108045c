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
libmemscope_la_SOURCES += src/render/tags_report.c src/render/tags.h
libmemscope_la_SOURCES += src/render/json.c src/render/json.h
# flame graphs: the SVG (its JavaScript lives in its own file and is
# embedded as a C string) and the stacks as JSON
libmemscope_la_SOURCES += src/render/flame_svg.c src/render/flame_svg.h \
	src/render/flame_json.c src/render/flame_json.h
nodist_libmemscope_la_SOURCES += src/render/flame_svg_js.h
BUILT_SOURCES += src/render/flame_svg_js.h
CLEANFILES += src/render/flame_svg_js.h
EXTRA_DIST += src/render/flame_svg.js
src/render/flame_svg_js.h: $(srcdir)/src/render/flame_svg.js
	$(AM_V_GEN)$(MKDIR_P) src/render && { \
	  echo '/* generated from flame_svg.js by src/render/local.mk: do not edit */'; \
	  echo 'static const char FLAME_SVG_JS[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $(srcdir)/src/render/flame_svg.js; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@
