/* elfkind.h — what kind of program an executable is, for `memscope run`:
 * whether a preloaded library can reach it (a dynamic executable has a
 * PT_INTERP program header; a static one is not loaded by ld.so, so
 * LD_PRELOAD does nothing), and whether it is a Go program (a
 * .go.buildinfo section, or a runtime.main symbol for Go before 1.13). */
#ifndef MS_SYMBOLIZE_ELFKIND_H
#define MS_SYMBOLIZE_ELFKIND_H

#include <stdbool.h>

#include "util/diag.h"

typedef struct ms_elf_kind {
	bool is_elf;     /* false: a script or other file (the interpreter runs) */
	bool has_interp; /* PT_INTERP: dynamic, the preload works */
	bool is_go;
} ms_elf_kind;

/* Inspects the regular file path; -1 with err when it cannot be read. */
int ms_elf_kind_read(const char *path, ms_elf_kind *k, ms_err *err);

#endif
