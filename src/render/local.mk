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
# list (pprof -list) and graph (pprof -dot, SVG through Graphviz when configure finds libgvc)
libmemscope_la_SOURCES += src/render/list_report.c src/render/list.h src/render/dot.c src/render/dot.h
libmemscope_la_CFLAGS += $(GVC_CFLAGS)
libmemscope_la_LIBADD += $(GVC_LIBS)
libmemscope_la_SOURCES += src/render/escape_report.c src/render/escape.h
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
libmemscope_la_SOURCES += src/render/run_report.c src/render/run.h
# report --html: one self-contained page; its script and style sheet are
# files of their own, embedded as C strings like flame_svg.js
libmemscope_la_SOURCES += src/render/html_report.c src/render/html_report.h
nodist_libmemscope_la_SOURCES += src/render/html_report_js.h src/render/html_report_css.h
BUILT_SOURCES += src/render/html_report_js.h src/render/html_report_css.h
CLEANFILES += src/render/html_report_js.h src/render/html_report_css.h
EXTRA_DIST += src/render/html_report.js src/render/html_report.css tools/embed_string.sh
nodist_libmemscope_la_SOURCES += src/render/graph_svg_js.h
BUILT_SOURCES += src/render/graph_svg_js.h
CLEANFILES += src/render/graph_svg_js.h
EXTRA_DIST += src/render/graph_svg.js
src/render/graph_svg_js.h: $(srcdir)/src/render/graph_svg.js $(srcdir)/tools/embed_string.sh
	$(AM_V_GEN)$(MKDIR_P) src/render && $(SHELL) $(srcdir)/tools/embed_string.sh GRAPH_SVG_JS $(srcdir)/src/render/graph_svg.js $@
src/render/html_report_js.h: $(srcdir)/src/render/html_report.js $(srcdir)/tools/embed_string.sh
	$(AM_V_GEN)$(MKDIR_P) src/render && $(SHELL) $(srcdir)/tools/embed_string.sh HTML_REPORT_JS $(srcdir)/src/render/html_report.js $@
src/render/html_report_css.h: $(srcdir)/src/render/html_report.css $(srcdir)/tools/embed_string.sh
	$(AM_V_GEN)$(MKDIR_P) src/render && $(SHELL) $(srcdir)/tools/embed_string.sh HTML_REPORT_CSS $(srcdir)/src/render/html_report.css $@
# pprof's -tree/-peek and -traces reports
libmemscope_la_SOURCES += src/render/views.c src/render/views.h
