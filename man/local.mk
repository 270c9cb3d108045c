# man/: memscope.1 is assembled from man/parts/*.man (one part per command or
# topic, in file-name order), so each command documents itself in its own file.
man_MANS = man/memscope.1
CLEANFILES += man/memscope.1
EXTRA_DIST += man/parts

man/memscope.1: $(wildcard $(srcdir)/man/parts/*.man)
	$(AM_V_GEN)$(MKDIR_P) man && cat $(sort $(wildcard $(srcdir)/man/parts/*.man)) > $@
