/* elfobj.h — what the symbolizer needs from one ELF file, read once with
 * libelf: its loadable segments (to turn a file offset into a link-time
 * virtual address), its GNU build-id, its .gnu_debuglink, whether it carries
 * DWARF, and its function symbols (.symtab, else .dynsym) sorted by address
 * for binary search. Internal to src/symbolize/. */
#ifndef MS_SYMBOLIZE_ELFOBJ_H
#define MS_SYMBOLIZE_ELFOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/strtab.h"

typedef struct ms_elf_segment { /* one PT_LOAD program header */
	uint64_t vaddr, offset, filesz, memsz, align;
	uint32_t flags; /* PF_R | PF_W | PF_X */
} ms_elf_segment;

typedef struct ms_elf_symbol {
	uint64_t addr, size;
	uint32_t name; /* id in the owning strtab */
} ms_elf_symbol;

typedef struct ms_elfobj {
	char *path;
	bool is_dyn;         /* ET_DYN (PIE or shared library) rather than ET_EXEC */
	bool has_dwarf;      /* a non-empty .debug_info with contents (not NOBITS) */
	char *build_id;      /* lowercase hex, NULL when there is no NT_GNU_BUILD_ID */
	char *debuglink;     /* .gnu_debuglink file name, NULL when absent */
	uint32_t debuglink_crc;
	ms_elf_segment *segs;
	size_t nsegs;
	ms_elf_symbol *syms; /* function symbols sorted by address, one per address */
	size_t nsyms;
	bool syms_from_symtab; /* false: they came from .dynsym */
	ms_elf_symbol *data_syms; /* .symtab's object symbols (global variables) by address */
	size_t ndata_syms;
	/* A separate debug file (objcopy --only-keep-debug): its PT_LOADs
	 * keep p_vaddr and p_memsz, but p_offset/p_filesz no longer describe
	 * the original file (an executable segment with p_filesz 0). */
	bool debug_only;
	/* Why the DWARF must not be handed to libdwarf (NULL: fine): a
	 * malformed .debug_rnglists/.debug_loclists header, on which libdwarf
	 * 20210528 frees memory twice (internal_load_rnglists_contexts goes
	 * on after its error path freed the context). */
	char *dwarf_problem;
} ms_elfobj;

/* Reads path. The symbols' names are interned into names. Returns NULL with
 * err set ("'path': not an ELF file", "'path': bad ELF: <libelf's reason>",
 * "cannot open 'path': <strerror>"). */
ms_elfobj *ms_elfobj_open(const char *path, ms_strtab *names, ms_err *err);
void ms_elfobj_free(ms_elfobj *e);

/* Link-time virtual address of the byte at file offset off, through the
 * PT_LOAD segment that holds it:
 *     vaddr = off − p_offset + p_vaddr      (p_offset ≤ off < p_offset + p_filesz)
 * Returns false when no segment maps off. */
bool ms_elfobj_offset_to_vaddr(const ms_elfobj *e, uint64_t off, uint64_t *vaddr);

/* Link-time address of a runtime address in a mapping of an executable
 * segment, for a debug-only file (where file offsets are lost): assumes,
 * as every linker lays them out, that the segment's file offset and
 * virtual address agree modulo its alignment, so the mapping's start is
 * the segment's p_vaddr rounded down to the alignment:
 *     vaddr = address − mapping start + (p_vaddr & ~(p_align − 1))
 * and takes the executable segment in which the result falls. */
bool ms_elfobj_mapped_to_vaddr(const ms_elfobj *e, uint64_t addr, uint64_t map_start, uint64_t *vaddr);

/* The symbol covering vaddr (addr ≤ vaddr < addr + size; a zero-size symbol
 * covers up to the next symbol), or NULL. */
const ms_elf_symbol *ms_elfobj_symbol_at(const ms_elfobj *e, uint64_t vaddr);

/* The object symbol (a global variable) covering vaddr, or NULL; used to
 * name a Go heap dump's data/bss roots. */
const ms_elf_symbol *ms_elfobj_data_symbol_at(const ms_elfobj *e, uint64_t vaddr);

#endif
