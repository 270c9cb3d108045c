/* godump_syms.h — names for a Go heap dump's global roots: the ELF object
 * symbols (main.cache, ...) of the program that wrote the dump
 * (`--binary PROG`), looked up at the dump's data/bss addresses. */
#ifndef MS_GODUMP_SYMS_H
#define MS_GODUMP_SYMS_H

#include "analysis/goheap.h"
#include "profile/godump.h"
#include "util/diag.h"
#include "util/strtab.h"

typedef struct ms_elfobj ms_elfobj;

typedef struct ms_godump_names {
	ms_elfobj *elf;     /* NULL without --binary */
	ms_strtab names;
	int64_t bias;       /* runtime address − link-time address (PIE) */
} ms_godump_names;

/* Opens binary (NULL: no names, every call is a no-op). */
int ms_godump_names_open(ms_godump_names *n, const char *binary, ms_err *err);
/* Sets o->global_name to look up d's data/bss addresses. */
void ms_godump_names_bind(ms_godump_names *n, const ms_godump *d, ms_goheap_opts *o);
void ms_godump_names_close(ms_godump_names *n);

#endif
