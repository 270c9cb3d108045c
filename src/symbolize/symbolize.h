/* symbolize.h — turning a profile's addresses into functions, files, lines
 * and inlined frames, from the binaries' DWARF (libdwarf) or, without
 * DWARF, their ELF symbol tables.
 *
 * Input: an ms_profile whose locations have an address and a mapping
 * (filename, start, limit, file offset, build-id) but no lines, as written
 * by the bundled runtime (libmsrt). Output: the same profile with Functions
 * and Lines filled in — one Location gets several Lines when the address is
 * in inlined code, lines[0] the innermost function, the last the function
 * the code was inlined into (pprof's rule) — and its mapping's
 * has_functions / has_filenames / has_line_numbers / has_inline_frames set.
 * Locations that already have lines (Go profiles, which come symbolized)
 * are left alone unless opts->force.
 *
 * ADDRESSES: a location's address is taken as the address of an
 * instruction *inside* the code it stands for (pprof's convention). For a
 * caller frame that is the call instruction, so a profiler that records
 * return addresses must store (return address − 1): the return address
 * itself is the instruction after the call and may belong to the next line
 * or, at the end of an inlined block, to another function. The bundled
 * runtime does this for every frame of its stacks (they are all return
 * addresses: the walk starts in the caller of malloc). Profiles from a
 * tool that stores raw return addresses can be symbolized with
 * opts->return_addresses, which subtracts 1 from every address first.
 *
 * Address → binary: file offset = address − mapping.start + mapping.offset;
 * the PT_LOAD segment holding that offset gives the link-time address
 * (offset − p_offset + p_vaddr) that DWARF and symbol tables use. This one
 * rule covers PIE executables, shared libraries and fixed-address
 * executables alike.
 *
 * Debug information is looked for, in order: in the binary itself; as
 * DIR/.build-id/xx/yyyy.debug for each debug directory DIR (build-id from
 * the mapping, else from the binary's NT_GNU_BUILD_ID note); through the
 * binary's .gnu_debuglink (next to the binary, in its .debug/ directory,
 * and DIR/<binary's directory>/, CRC-32 checked unless the build-ids
 * match). A binary whose build-id differs from the mapping's is not used
 * (it changed since the profile was taken). Function symbols come from the
 * debug file's .symtab, the binary's .symtab, else its .dynsym.
 *
 * A symbolizer caches each binary's index (keyed by build-id, else path)
 * for its lifetime: `memscope run` keeps one across the profiles it
 * symbolizes. Libraries never print: binaries that cannot be used are
 * reported in the result's notes. */
#ifndef MS_SYMBOLIZE_H
#define MS_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/diag.h"

typedef struct ms_symbolize_opts {
	/* Directories holding separate debug files (.build-id/ trees and
	 * debuglink targets); NULL or empty: { "/usr/lib/debug" }. */
	const char *const *debug_dirs;
	size_t ndebug_dirs;
	/* Re-symbolize locations that already have lines. */
	bool force;
	/* Addresses are raw return addresses: look up address − 1. */
	bool return_addresses;
	/* Ignore DWARF: names from symbol tables only (for comparison/tests). */
	bool no_dwarf;
	/* C++/Rust linkage names become function names in this form
	 * (ms_demangle_mode: 0 = pprof's simplified); system_name keeps the
	 * symbol. */
	int demangle;
} ms_symbolize_opts;

typedef struct ms_symbolize_result {
	size_t locations;   /* locations in the profile */
	size_t resolved;    /* given at least a function name by this run */
	size_t unresolved;  /* had an address but no binary knew it */
	size_t symbolized;  /* already had lines; left alone */
	size_t no_address;  /* no mapping or address 0: nothing to look up */
	size_t binaries;    /* distinct binaries used by this profile */
	/* One line per binary that could not be used or had no debug info,
	 * e.g. "cannot open '/x/y': No such file or directory" ('\n'-separated,
	 * NUL-terminated, NULL when none; freed by ms_symbolize_result_free). */
	char *notes;
} ms_symbolize_result;

typedef struct ms_symbolizer ms_symbolizer;

/* A symbolizer with its own cache of binaries. opts may be NULL (defaults);
 * it is copied (the strings must outlive the symbolizer). */
ms_symbolizer *ms_symbolizer_new(const ms_symbolize_opts *opts);
void ms_symbolizer_free(ms_symbolizer *s);

/* Symbolizes p in place. res (may be NULL) receives counts and notes.
 * Returns 0, or -1 with err set only when the profile itself is unusable;
 * missing or unreadable binaries are not errors (they leave locations
 * unresolved and add a note). */
int ms_symbolizer_run(ms_symbolizer *s, ms_profile *p, ms_symbolize_result *res, ms_err *err);

/* One-shot convenience: a symbolizer for one profile. */
int ms_symbolize_profile(ms_profile *p, const ms_symbolize_opts *opts, ms_symbolize_result *res, ms_err *err);

void ms_symbolize_result_free(ms_symbolize_result *res);

/* ---- single lookups (tests, tools) ----------------------------------------- */

typedef struct ms_symframe {
	const char *function;    /* name as in the source ("??" when unknown) */
	const char *system_name; /* linkage (mangled) name, else function */
	const char *file;        /* source file, "" when unknown */
	int64_t line, column;    /* 0 when unknown */
	const char *decl_file;   /* where the function is declared ("" unknown) */
	int64_t decl_line;
} ms_symframe;

/* Looks up a link-time virtual address (what `addr2line -e FILE` takes) in
 * the binary at path (build_id NULL: read from the file). Fills up to max
 * frames, innermost first; returns the number of frames (0: unknown
 * address), or -1 with err set when the binary cannot be read. The strings
 * live as long as the symbolizer. */
int ms_symbolizer_lookup(ms_symbolizer *s, const char *path, const char *build_id, uint64_t vaddr,
	ms_symframe *frames, size_t max, ms_err *err);

#endif
