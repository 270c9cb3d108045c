# man/: memscope.1 is assembled from man/parts/*.man (one part per command or
# topic, in file-name order), so each command documents itself in its own file.
man_MANS = man/memscope.1
CLEANFILES += man/memscope.1

# The parts, in page order (a new part is added here: tests/man-parts.sh
# fails when a file in man/parts/ is missing from this list).
MAN_PARTS = man/parts/00-head.man man/parts/10-top.man man/parts/11-info.man \
	man/parts/11-tags.man man/parts/11a-list-graph.man \
	man/parts/12-convert.man man/parts/13-views.man man/parts/20-diff.man man/parts/30-flame.man man/parts/35-gotrace-profiles.man \
	man/parts/40-gctrace.man man/parts/45-report.man man/parts/47-leaks.man man/parts/48-live.man man/parts/50-run.man \
	man/parts/55-symbolize.man man/parts/56-frag.man man/parts/57-heapdump.man man/parts/58-escape.man \
	man/parts/60-runtime.man man/parts/61-gc.man man/parts/95-files.man man/parts/99-tail.man
EXTRA_DIST += $(MAN_PARTS) tests/man-parts.sh
TESTS += tests/man-parts.sh

man/memscope.1: $(MAN_PARTS)
	$(AM_V_GEN)$(MKDIR_P) man && (cd $(srcdir) && cat $(MAN_PARTS)) > $@
# The README's `man man/memscope.1` reads the page from the source tree, but
# an out-of-tree build (tools/build.sh: build/) made it only in the build
# tree: copy it there too (quietly skipped when the source tree is read-only).
all-local: man-in-srcdir
man-in-srcdir: man/memscope.1
	@if [ "$(srcdir)" != "." ] && ! cmp -s man/memscope.1 "$(srcdir)/man/memscope.1"; then \
		cp man/memscope.1 "$(srcdir)/man/memscope.1.tmp" 2>/dev/null && \
		mv -f "$(srcdir)/man/memscope.1.tmp" "$(srcdir)/man/memscope.1" || true; \
	fi
.PHONY: man-in-srcdir
