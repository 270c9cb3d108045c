# proto/: pprof's profile.proto, compiled by protoc-c at build time.
EXTRA_DIST += proto/profile.proto
nodist_libmemscope_la_SOURCES += proto/profile.pb-c.c proto/profile.pb-c.h
BUILT_SOURCES += proto/profile.pb-c.c proto/profile.pb-c.h
CLEANFILES += proto/profile.pb-c.c proto/profile.pb-c.h

proto/profile.pb-c.c: $(srcdir)/proto/profile.proto
	$(AM_V_GEN)$(MKDIR_P) proto && $(PROTOC_C) --c_out=proto -I$(srcdir)/proto $(srcdir)/proto/profile.proto
proto/profile.pb-c.h: proto/profile.pb-c.c
	@test -f $@ || { rm -f proto/profile.pb-c.c; $(MAKE) $(AM_MAKEFLAGS) proto/profile.pb-c.c; }
