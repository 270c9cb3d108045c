# src/symbolize/: addresses → functions, files, lines and inlined frames
# (libdwarf for DWARF, libelf for program headers, notes and symbol tables).
libmemscope_la_SOURCES += \
	src/symbolize/resolve.c src/symbolize/symbolize.h \
	src/symbolize/elfobj.c src/symbolize/elfobj.h \
	src/symbolize/elfkind.c src/symbolize/elfkind.h \
	src/symbolize/dwarfcheck.c src/symbolize/dwarfcheck.h \
	src/symbolize/dwarfidx.c src/symbolize/dwarfidx.h
libmemscope_la_SOURCES += src/symbolize/godump_syms.c src/symbolize/godump_syms.h
