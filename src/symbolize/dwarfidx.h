/* dwarfidx.h — a DWARF index built with libdwarf, one compile unit at a
 * time as addresses need it, then queried by binary search: symbolizing
 * thousands of addresses costs one pass over the CUs they fall in plus
 * O(log n) per address.
 *
 * Glossary
 *   row      one line-table row: address → file, line, column. A CU's rows
 *            sorted by address (its sequences ordered by start address); a
 *            row holds for addresses up to the next row's; an end_sequence
 *            row ends the range.
 *   node     one instance of a function in the code: a DW_TAG_subprogram
 *            (concrete, with addresses) or a DW_TAG_inlined_subroutine. An
 *            inlined node points to the node it was inlined into (parent)
 *            and carries the call site (DW_AT_call_file/line/column) in it.
 *   func     a function's names and declaration (DW_AT_name, linkage name,
 *            decl file/line), found by following DW_AT_abstract_origin and
 *            DW_AT_specification; shared by all its nodes.
 *   segment  [start, next segment's start) → the innermost node covering
 *            those addresses (or none). Built per CU by one sweep over its
 *            nodes' address ranges sorted by (low, depth).
 *
 * Lookup of address a (like `addr2line -i -f`):
 *   node n = segment containing a;  row r = last row with addr ≤ a
 *   frame 0      = func(n)          at r.file:r.line
 *   frame k + 1  = func(parent(n_k)) at call_file(n_k):call_line(n_k)
 *   until n_k is a subprogram. Frames come innermost first, as pprof wants.
 * Internal to src/symbolize/. */
#ifndef MS_SYMBOLIZE_DWARFIDX_H
#define MS_SYMBOLIZE_DWARFIDX_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/strtab.h"

#define MS_DW_NONE UINT32_MAX

typedef struct ms_dw_row {
	uint64_t addr;
	uint32_t file; /* string id; MS_DW_NONE on an end_sequence row */
	uint32_t line;
	uint32_t column;
} ms_dw_row;

typedef struct ms_dw_func {
	uint32_t name;        /* string ids; name 0 ("") when DWARF has none */
	uint32_t linkage;
	uint32_t decl_file;
	uint32_t decl_line;
} ms_dw_func;

typedef struct ms_dw_node {
	uint32_t func;
	uint32_t parent;      /* MS_DW_NONE for a subprogram */
	uint32_t call_file;   /* string id (inlined nodes only) */
	uint32_t call_line;
	uint32_t call_column;
} ms_dw_node;

typedef struct ms_dw_segment {
	uint64_t start;
	uint32_t node; /* MS_DW_NONE for a gap (a CU index in the CU table) */
} ms_dw_segment;

/* The index. Compile units are found up front from their DW_AT_ranges /
 * low_pc–high_pc (cheap: only CU DIEs are read) into a table of segments
 * address → CU; a CU's rows and nodes are built the first time an address
 * falls in it, so a profile that touches 30 of libc's 1700 CUs parses
 * those 30. nodes and funcs grow as CUs are indexed. */
typedef struct ms_dwarfidx {
	ms_dw_func *funcs;
	size_t nfuncs;
	ms_dw_node *nodes;
	size_t nnodes;
	size_t ncus, ncus_indexed;
	struct ms_dwarfidx_impl *impl;
} ms_dwarfidx;

/* Opens the DWARF of path (kept open until ms_dwarfidx_free) and reads its
 * CU table; names and file paths are interned into names. Returns NULL
 * with err set when libdwarf cannot read it or it has no DWARF. */
ms_dwarfidx *ms_dwarfidx_open(const char *path, ms_strtab *names, ms_err *err);
void ms_dwarfidx_free(ms_dwarfidx *ix);

/* Looks up addr: *node = innermost node covering it (MS_DW_NONE if none),
 * *row = the line-table row in effect (NULL if none). Indexes the CU that
 * covers addr on first use. */
void ms_dwarfidx_lookup(ms_dwarfidx *ix, uint64_t addr, uint32_t *node, const ms_dw_row **row);

/* Indexes every CU now (benchmarks and tests). */
void ms_dwarfidx_index_all(ms_dwarfidx *ix);

#endif
