# Flame graphs (issue 4): the perf script and folded-stack readers, stack
# collapsing/merging/diffing and the SVG renderer. Kept in one fragment so
# this feature's build lines do not collide with the other areas' local.mk.
libmemscope_la_SOURCES += \
	src/profile/perf_script.c src/profile/perf_script.h \
	src/profile/folded.c src/profile/folded.h \
	src/analysis/stacks.c src/analysis/stacks.h \
	src/render/flame_svg.c src/render/flame_svg.h

# The SVG's JavaScript lives in its own file and is embedded as a C string.
nodist_libmemscope_la_SOURCES += src/render/flame_svg_js.h
BUILT_SOURCES += src/render/flame_svg_js.h
CLEANFILES += src/render/flame_svg_js.h
EXTRA_DIST += src/render/flame_svg.js
src/render/flame_svg_js.h: $(srcdir)/src/render/flame_svg.js
	$(AM_V_GEN)$(MKDIR_P) src/render && { \
	  echo '/* generated from flame_svg.js by src/analysis/flame.mk: do not edit */'; \
	  echo 'static const char FLAME_SVG_JS[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $(srcdir)/src/render/flame_svg.js; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@
