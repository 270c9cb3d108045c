# man/: memscope.1 is assembled from man/parts/*.man (one part per command or
# topic, in file-name order), so each command documents itself in its own file.
man_MANS = man/memscope.1
CLEANFILES += man/memscope.1
EXTRA_DIST += man/parts

man/memscope.1: $(wildcard $(srcdir)/man/parts/*.man)
	$(AM_V_GEN)$(MKDIR_P) man && cat $(sort $(wildcard $(srcdir)/man/parts/*.man)) > $@
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
