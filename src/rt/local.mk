# src/rt/: libmsrt, the bundled runtime (allocator + heap profiler).
#
# libmsrtcore.la  everything but the entry points (noinst)
# libmsrt.la      core + malloc.c with MSRT_REPLACE_MALLOC: replaces malloc
#                 when preloaded or linked; installed with msrt.h and msrt.pc
# libmsrttest.la  core + malloc.c without the libc names (ms_* only), for
#                 the Check suites, so they also build with sanitizers
#
# The runtime is never built with the sanitizers (it *is* the allocator)
# and always keeps frame pointers; it links zlib, libm, libgcc_s's
# unwinder and pthreads only — no jansson, no protobuf-c, no host malloc.
MSRT_CFLAGS = $(WARN_CFLAGS) $(PTHREAD_CFLAGS) $(ZLIB_CFLAGS) -fno-omit-frame-pointer \
	-fvisibility=hidden -ftls-model=initial-exec -fno-builtin-malloc -O2
MSRT_LIBS = $(ZLIB_LIBS) $(PTHREAD_LIBS) -lm

MSRT_CORE_SOURCES = \
	src/rt/msrt.h src/rt/msrt_internal.h src/rt/sizeclasses.h \
	src/rt/msize.c src/rt/mmem.c src/rt/mpagealloc.c src/rt/mheap.c \
	src/rt/mcentral.c src/rt/mcache.c src/rt/mstats.c src/rt/mscavenge.c \
	src/rt/mprof.c src/rt/mleak.c src/rt/mtls.c src/rt/munwind.c src/rt/mpprof.c src/rt/mdump.c src/rt/mtrace.c \
	src/rt/mbackground.c src/rt/msrt_options.c src/rt/mpeak.c src/rt/msrt_outnames.h \
	src/rt/mgc_internal.h src/rt/mgc.c src/rt/mgcmark.c src/rt/mgcsweep.c \
	src/rt/mbarrier.c src/rt/mgcpacer.c src/rt/mstw.c src/rt/mgcevent.c

noinst_LTLIBRARIES += libmsrtcore.la libmsrttest.la
libmsrtcore_la_SOURCES = $(MSRT_CORE_SOURCES)
libmsrtcore_la_CFLAGS = $(MSRT_CFLAGS)

lib_LTLIBRARIES += libmsrt.la
libmsrt_la_SOURCES = src/rt/malloc.c
libmsrt_la_CFLAGS = $(MSRT_CFLAGS) -DMSRT_REPLACE_MALLOC=1
libmsrt_la_LIBADD = libmsrtcore.la $(MSRT_LIBS)
libmsrt_la_LDFLAGS = -version-info 0:0:0 -Wl,-z,nodelete -Wl,-z,now
include_HEADERS += src/rt/msrt.h
pkgconfig_DATA += src/rt/msrt.pc
CLEANFILES += src/rt/msrt.pc
EXTRA_DIST += src/rt/msrt.pc.in

libmsrttest_la_SOURCES = src/rt/malloc.c
libmsrttest_la_CFLAGS = $(MSRT_CFLAGS)
libmsrttest_la_LIBADD = libmsrtcore.la $(MSRT_LIBS)

src/rt/msrt.pc: $(srcdir)/src/rt/msrt.pc.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src/rt && sed -e 's|@prefix[@]|$(prefix)|g' -e 's|@libdir[@]|$(libdir)|g' \
		-e 's|@includedir[@]|$(includedir)|g' -e 's|@VERSION[@]|$(VERSION)|g' \
		$(srcdir)/src/rt/msrt.pc.in > $@

# The size-class table is generated and checked in; tests/rt.mk checks
# that the generator still produces it.
noinst_PROGRAMS += tools/mksizeclasses
tools_mksizeclasses_SOURCES = tools/mksizeclasses.c
tools_mksizeclasses_CFLAGS = $(WARN_CFLAGS)

