/* dwarfidx.c — the DWARF index of dwarfidx.h, built with libdwarf
 * (Debian 12's pre-0.1 API, 20210528).
 *
 * Opening reads only the compile units' DIEs: each CU's address ranges
 * (DW_AT_ranges or low_pc/high_pc) are swept into the CU table. A CU
 * without range attributes but with a line table is indexed at once and
 * covers its line sequences. Indexing a CU:
 *   1. its line table → rows (file numbers mapped to interned paths through
 *      the CU's file table, dwarf_srcfiles), sequences sorted by start;
 *   2. a walk of its DIE tree that turns every DW_TAG_subprogram and
 *      DW_TAG_inlined_subroutine with addresses into a node and its address
 *      ranges (low/high pc, DWARF 4 .debug_ranges or DWARF 5 rnglists),
 *      descending through lexical blocks, namespaces and classes;
 *   3. a sweep of those ranges into segments (see sweep_segments).
 *
 * Function names follow DW_AT_abstract_origin / DW_AT_specification; the
 * result is cached by the origin's DIE offset, so the thousands of inlined
 * instances of one function cost one description. decl_file/call_file are
 * file numbers of the CU that holds the attribute, which with LTO may not be
 * the CU being walked: file tables are cached per CU offset.
 *
 * libdwarf is always given an error pointer (without one it aborts), and an
 * error inside a CU abandons the rest of that CU only: a binary with one
 * corrupt CU still symbolizes through the others. */
#include "symbolize/dwarfidx.h"

#include <libdwarf/dwarf.h> /* the -I of DWARF_CFLAGS is not needed */
#include <libdwarf/libdwarf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/pairmap.h"

#define MAX_DIE_DEPTH 256 /* deeper DIE nesting is corrupt input; skipped */
#define MAX_ORIGIN_HOPS 8

typedef struct dw_range {
	uint64_t lo, hi;
	uint32_t node, depth;
} dw_range;

typedef struct cu_files {
	uint32_t *ids;   /* interned paths */
	int64_t base;    /* file number of ids[0]: 1 before DWARF 5, 0 from DWARF 5 */
	size_t n;
} cu_files;

typedef struct dw_cu {
	Dwarf_Off off;   /* offset of the CU DIE */
	Dwarf_Half version;
	uint64_t base;   /* DW_AT_low_pc: base of DWARF 4 range lists */
	bool indexed;
	ms_dw_row *rows;
	size_t nrows;
	ms_dw_segment *segs;
	size_t nsegs;
} dw_cu;

typedef struct dw_seq { /* one line-table sequence in the scratch rows */
	uint64_t start;
	size_t first, n;
} dw_seq;

typedef struct ms_dwarfidx_impl builder;
struct ms_dwarfidx_impl {
	ms_dwarfidx *ix;
	Dwarf_Debug dbg;
	ms_strtab *names;
	dw_cu *cus;
	size_t cus_cap;
	ms_dw_segment *cu_segs;  /* address → CU index */
	size_t ncu_segs;
	size_t funcs_cap, nodes_cap;
	ms_pairmap func_by_off;  /* DIE offset → func index */
	ms_pairmap files_by_cu;  /* CU DIE offset → cu_files index */
	cu_files *files;
	size_t nfiles, files_cap;
	/* scratch, reused by every CU */
	dw_range *ranges;
	size_t nranges, ranges_cap;
	ms_dw_row *rows;
	size_t nrows, rows_cap;
	dw_seq *seqs;
	size_t nseqs, seqs_cap;
	/* the CU being indexed */
	uint32_t cu_files_ix;
	uint64_t cu_base;
	Dwarf_Half cu_version;
};

static void drop_error(builder *b, Dwarf_Error *e)
{
	if (*e) {
		dwarf_dealloc(b->dbg, *e, DW_DLA_ERROR);
		*e = NULL;
	}
}

/* ---- file tables ---------------------------------------------------------- */

/* DWARF 5 makes the compilation directory directory 0 of the line table
 * (DWARF 5 §6.2.4.1: include_directories[0] is DW_AT_comp_dir), but
 * libdwarf 20210528's dwarf_srcfiles — like addr2line and llvm-symbolizer —
 * still joins a relative directory to DW_AT_comp_dir, so a CU compiled in
 * "./string" (Debian's glibc) names its file "./string/./string/strdup.c".
 * A name that starts with comp_dir twice ("C/C/", a leading "./" ignored
 * on either copy) loses the first copy. Returns a pointer into path. */
static const char *undouble_comp_dir(const char *path, const char *comp_dir)
{
	if (!comp_dir)
		return path;
	while (comp_dir[0] == '.' && comp_dir[1] == '/')
		comp_dir += 2;
	size_t lc = strlen(comp_dir);
	while (lc && comp_dir[lc - 1] == '/')
		lc--;
	if (!lc || comp_dir[0] == '/')
		return path;
	const char *p = path;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strncmp(p, comp_dir, lc) != 0 || p[lc] != '/')
		return path;
	const char *second = p + lc + 1;
	while (second[0] == '.' && second[1] == '/')
		second += 2;
	if (strncmp(second, comp_dir, lc) != 0 || second[lc] != '/')
		return path;
	return second;
}

/* The CU's DW_AT_comp_dir (libdwarf's string), or NULL. */
static char *comp_dir_of(builder *b, Dwarf_Die cu_die)
{
	Dwarf_Attribute attr;
	Dwarf_Error e = NULL;
	char *s = NULL;
	int rc = dwarf_attr(cu_die, DW_AT_comp_dir, &attr, &e);
	if (rc != DW_DLV_OK) {
		drop_error(b, &e);
		return NULL;
	}
	if (dwarf_formstring(attr, &s, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		s = NULL;
	}
	dwarf_dealloc(b->dbg, attr, DW_DLA_ATTR);
	return s;
}

/* File table of the CU whose DIE is at cu_off (cached). Returns an index
 * into b->files; a CU without a line table gets an empty table. */
static uint32_t files_of_cu(builder *b, Dwarf_Die cu_die, Dwarf_Off cu_off)
{
	uint32_t have = ms_pairmap_get(&b->files_by_cu, cu_off, 0);
	if (have != UINT32_MAX)
		return have;
	MS_GROW(b->files, b->nfiles, b->files_cap, 1);
	cu_files *cf = &b->files[b->nfiles];
	memset(cf, 0, sizeof *cf);
	Dwarf_Error e = NULL;
	Dwarf_Half version = 0, offset_size = 0, address_size = 0, extension_size = 0;
	Dwarf_Bool is_info = 1, is_dwo = 0;
	Dwarf_Sig8 *sig = NULL;
	Dwarf_Off len_off = 0;
	Dwarf_Unsigned total = 0;
	if (dwarf_cu_header_basics(cu_die, &version, &is_info, &is_dwo, &offset_size, &address_size,
		    &extension_size, &sig, &len_off, &total, &e) != DW_DLV_OK)
		drop_error(b, &e);
	cf->base = version >= 5 ? 0 : 1;
	char **src = NULL;
	Dwarf_Signed cnt = 0;
	if (dwarf_srcfiles(cu_die, &src, &cnt, &e) == DW_DLV_OK) {
		const char *comp_dir = version >= 5 ? comp_dir_of(b, cu_die) : NULL;
		cf->ids = ms_xcalloc(cnt > 0 ? (size_t)cnt : 1, sizeof *cf->ids);
		for (Dwarf_Signed i = 0; i < cnt; i++) {
			cf->ids[i] = ms_strtab_intern0(b->names, src[i] ? undouble_comp_dir(src[i], comp_dir) : "");
			dwarf_dealloc(b->dbg, src[i], DW_DLA_STRING);
		}
		cf->n = (size_t)cnt;
		dwarf_dealloc(b->dbg, src, DW_DLA_LIST);
	} else {
		drop_error(b, &e);
	}
	uint32_t ix = (uint32_t)b->nfiles++;
	ms_pairmap_put(&b->files_by_cu, cu_off, 0, ix);
	return ix;
}

static uint32_t file_name(const builder *b, uint32_t files_ix, Dwarf_Unsigned fileno)
{
	const cu_files *cf = &b->files[files_ix];
	int64_t k = (int64_t)fileno - cf->base;
	if (k < 0 || (uint64_t)k >= cf->n)
		return 0;
	return cf->ids[k];
}

/* File table of the CU holding die (for attributes of DIEs reached through
 * a cross-CU reference). */
static uint32_t files_of_die(builder *b, Dwarf_Die die)
{
	Dwarf_Error e = NULL;
	Dwarf_Off cu_off;
	if (dwarf_CU_dieoffset_given_die(die, &cu_off, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return b->cu_files_ix;
	}
	uint32_t have = ms_pairmap_get(&b->files_by_cu, cu_off, 0);
	if (have != UINT32_MAX)
		return have;
	Dwarf_Die cu_die;
	if (dwarf_offdie_b(b->dbg, cu_off, 1, &cu_die, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return b->cu_files_ix;
	}
	uint32_t ix = files_of_cu(b, cu_die, cu_off);
	dwarf_dealloc_die(cu_die);
	return ix;
}

/* ---- line tables ---------------------------------------------------------- */

static void add_row(builder *b, uint64_t addr, uint32_t file, uint32_t line, uint32_t column)
{
	MS_GROW(b->rows, b->nrows, b->rows_cap, 1);
	b->rows[b->nrows++] = (ms_dw_row){ addr, file, line, column };
}

static void end_sequence(builder *b, size_t first)
{
	if (first >= b->nrows)
		return;
	MS_GROW(b->seqs, b->nseqs, b->seqs_cap, 1);
	b->seqs[b->nseqs++] = (dw_seq){ b->rows[first].addr, first, b->nrows - first };
}

static int seq_cmp(const void *x, const void *y)
{
	const dw_seq *a = x, *c = y;
	if (a->start != c->start)
		return a->start < c->start ? -1 : 1;
	return a->first < c->first ? -1 : a->first > c->first;
}

/* Reads the CU's line table into cu->rows: its sequences (rows in address
 * order within each, as DWARF requires) ordered by start address. Among
 * rows at one address the last one wins, as in binutils' addr2line; where
 * one sequence ends at the address another starts, the end row comes
 * first, so the new sequence wins. A sequence starting at address 0 belongs
 * to code the linker discarded (relocations resolved to 0) and is dropped:
 * no executable or shared library has code at address 0. */
static int read_lines(builder *b, Dwarf_Die cu_die, dw_cu *cu)
{
	Dwarf_Error e = NULL;
	Dwarf_Unsigned version;
	Dwarf_Small table_count;
	Dwarf_Line_Context ctx;
	int res = dwarf_srclines_b(cu_die, &version, &table_count, &ctx, &e);
	if (res == DW_DLV_NO_ENTRY)
		return 0;
	if (res != DW_DLV_OK) {
		drop_error(b, &e);
		return -1;
	}
	Dwarf_Line *lines = NULL;
	Dwarf_Signed n = 0;
	if (dwarf_srclines_from_linecontext(ctx, &lines, &n, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		dwarf_srclines_dealloc_b(ctx);
		return -1;
	}
	b->nrows = b->nseqs = 0;
	int rc = 0;
	bool in_sequence = false, skip_sequence = false;
	size_t first = 0;
	for (Dwarf_Signed i = 0; i < n; i++) {
		Dwarf_Addr addr;
		Dwarf_Unsigned lineno = 0, fileno = 0, column = 0;
		Dwarf_Bool end = 0;
		if (dwarf_lineaddr(lines[i], &addr, &e) != DW_DLV_OK ||
			dwarf_lineendsequence(lines[i], &end, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			rc = -1;
			break;
		}
		if (!in_sequence) {
			in_sequence = true;
			skip_sequence = addr == 0;
			first = b->nrows;
		}
		if (end) {
			in_sequence = false;
			if (!skip_sequence) {
				add_row(b, addr, MS_DW_NONE, 0, 0);
				end_sequence(b, first);
			}
			continue;
		}
		if (skip_sequence)
			continue;
		if (dwarf_lineno(lines[i], &lineno, &e) != DW_DLV_OK ||
			dwarf_line_srcfileno(lines[i], &fileno, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			rc = -1;
			break;
		}
		if (dwarf_lineoff_b(lines[i], &column, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			column = 0;
		}
		add_row(b, addr, file_name(b, b->cu_files_ix, fileno), (uint32_t)lineno, (uint32_t)column);
	}
	if (in_sequence && !skip_sequence)
		end_sequence(b, first); /* a sequence without its end row (corrupt) */
	dwarf_srclines_dealloc_b(ctx);

	if (b->nseqs > 1)
		qsort(b->seqs, b->nseqs, sizeof *b->seqs, seq_cmp);
	cu->rows = ms_xcalloc(b->nrows ? b->nrows : 1, sizeof *cu->rows);
	for (size_t i = 0; i < b->nseqs; i++) {
		memcpy(cu->rows + cu->nrows, b->rows + b->seqs[i].first, b->seqs[i].n * sizeof *cu->rows);
		cu->nrows += b->seqs[i].n;
	}
	return rc;
}

/* ---- functions ------------------------------------------------------------ */

struct die_attrs {
	const char *name, *linkage;
	Dwarf_Unsigned decl_file, decl_line, call_file, call_line, call_column;
	Dwarf_Off origin;   /* abstract_origin or specification */
	int has_decl_file, has_origin, has_call, has_ranges;
	int has_low, has_high, has_stmt_list;
};

/* An unsigned constant. DW_FORM_implicit_const (DWARF 5, common for
 * decl_file and call_file) is signed and only dwarf_formsdata reads it. */
static int attr_udata(builder *b, Dwarf_Attribute attr, Dwarf_Unsigned *out)
{
	Dwarf_Error e = NULL;
	if (dwarf_formudata(attr, out, &e) == DW_DLV_OK)
		return 0;
	drop_error(b, &e);
	Dwarf_Signed v;
	if (dwarf_formsdata(attr, &v, &e) == DW_DLV_OK && v >= 0) {
		*out = (Dwarf_Unsigned)v;
		return 0;
	}
	drop_error(b, &e);
	return -1;
}

/* Reads the attributes the index needs in one dwarf_attrlist call. */
static void read_attrs(builder *b, Dwarf_Die die, struct die_attrs *a)
{
	memset(a, 0, sizeof *a);
	Dwarf_Error e = NULL;
	Dwarf_Attribute *list = NULL;
	Dwarf_Signed n = 0;
	if (dwarf_attrlist(die, &list, &n, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return;
	}
	for (Dwarf_Signed i = 0; i < n; i++) {
		Dwarf_Half at;
		Dwarf_Off off;
		char *s;
		if (dwarf_whatattr(list[i], &at, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			goto next;
		}
		switch (at) {
		case DW_AT_name:
			if (dwarf_formstring(list[i], &s, &e) == DW_DLV_OK)
				a->name = s;
			break;
		case DW_AT_linkage_name:
		case DW_AT_MIPS_linkage_name:
			if (dwarf_formstring(list[i], &s, &e) == DW_DLV_OK)
				a->linkage = s;
			break;
		case DW_AT_decl_file:
			if (attr_udata(b, list[i], &a->decl_file) == 0)
				a->has_decl_file = 1;
			break;
		case DW_AT_decl_line:
			(void)attr_udata(b, list[i], &a->decl_line);
			break;
		case DW_AT_call_file:
			if (attr_udata(b, list[i], &a->call_file) == 0)
				a->has_call = 1;
			break;
		case DW_AT_call_line:
			(void)attr_udata(b, list[i], &a->call_line);
			break;
		case DW_AT_call_column:
			(void)attr_udata(b, list[i], &a->call_column);
			break;
		case DW_AT_abstract_origin:
		case DW_AT_specification:
			/* abstract_origin wins when both are present */
			if ((!a->has_origin || at == DW_AT_abstract_origin) &&
				dwarf_global_formref(list[i], &off, &e) == DW_DLV_OK) {
				a->origin = off;
				a->has_origin = 1;
			}
			break;
		case DW_AT_ranges: a->has_ranges = 1; break;
		case DW_AT_low_pc: a->has_low = 1; break;
		case DW_AT_high_pc: a->has_high = 1; break;
		case DW_AT_stmt_list: a->has_stmt_list = 1; break;
		default: break;
		}
		drop_error(b, &e);
	next:
		dwarf_dealloc_attribute(list[i]);
	}
	dwarf_dealloc(b->dbg, list, DW_DLA_LIST);
}

/* Fills the missing parts of f from die and, through abstract_origin or
 * specification, from the DIEs it refers to. */
static void describe(builder *b, Dwarf_Die die, const struct die_attrs *a, ms_dw_func *f, int hops,
	int *have_decl)
{
	if (!f->name && a->name)
		f->name = ms_strtab_intern0(b->names, a->name);
	if (!f->linkage && a->linkage)
		f->linkage = ms_strtab_intern0(b->names, a->linkage);
	if (!*have_decl && a->has_decl_file) {
		f->decl_file = file_name(b, files_of_die(b, die), a->decl_file);
		f->decl_line = (uint32_t)a->decl_line;
		*have_decl = 1;
	}
	if ((f->name && f->linkage && *have_decl) || !a->has_origin || hops >= MAX_ORIGIN_HOPS)
		return;
	Dwarf_Error e = NULL;
	Dwarf_Die o;
	if (dwarf_offdie_b(b->dbg, a->origin, 1, &o, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return;
	}
	struct die_attrs oa;
	read_attrs(b, o, &oa);
	describe(b, o, &oa, f, hops + 1, have_decl);
	dwarf_dealloc_die(o);
}

/* The func of a subprogram or inlined_subroutine DIE. Instances that share
 * an abstract origin share the func (cached by the origin's offset). */
static uint32_t func_of(builder *b, Dwarf_Die die, const struct die_attrs *a)
{
	if (a->has_origin && !a->name) {
		uint32_t have = ms_pairmap_get(&b->func_by_off, a->origin, 0);
		if (have != UINT32_MAX)
			return have;
	}
	ms_dw_func f = { 0, 0, 0, 0 };
	int have_decl = 0;
	describe(b, die, a, &f, 0, &have_decl);
	ms_dwarfidx *ix = b->ix;
	MS_GROW(ix->funcs, ix->nfuncs, b->funcs_cap, 1);
	ix->funcs[ix->nfuncs] = f;
	uint32_t id = (uint32_t)ix->nfuncs++;
	if (a->has_origin && !a->name)
		ms_pairmap_put(&b->func_by_off, a->origin, 0, id);
	return id;
}

/* ---- address ranges ------------------------------------------------------- */

static void add_range(builder *b, uint64_t lo, uint64_t hi, uint32_t node, uint32_t depth)
{
	/* 0 and the all-ones tombstones mark code the linker discarded */
	if (lo >= hi || lo == 0 || lo >= UINT64_MAX - 1)
		return;
	MS_GROW(b->ranges, b->nranges, b->ranges_cap, 1);
	b->ranges[b->nranges++] = (dw_range){ lo, hi, node, depth };
}

/* DW_AT_ranges of a DIE: DWARF 5 rnglists or DWARF 2–4 .debug_ranges
 * (entries relative to the CU base address unless a base address selection
 * entry changes it). Returns the number of ranges added. */
static size_t read_ranges(builder *b, Dwarf_Die die, uint32_t node, uint32_t depth)
{
	Dwarf_Error e = NULL;
	Dwarf_Attribute attr;
	if (dwarf_attr(die, DW_AT_ranges, &attr, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return 0;
	}
	size_t before = b->nranges;
	Dwarf_Half form = 0;
	Dwarf_Unsigned value = 0;
	Dwarf_Off off = 0;
	if (dwarf_whatform(attr, &form, &e) != DW_DLV_OK)
		goto out;
	if (form == DW_FORM_rnglistx || form == DW_FORM_data4 || form == DW_FORM_data8) {
		if (dwarf_formudata(attr, &value, &e) != DW_DLV_OK)
			goto out;
	} else {
		if (dwarf_global_formref(attr, &off, &e) != DW_DLV_OK)
			goto out;
		value = off;
	}
	if (b->cu_version >= 5) {
		Dwarf_Rnglists_Head head;
		Dwarf_Unsigned count = 0, global_off = 0;
		if (dwarf_rnglists_get_rle_head(attr, form, value, &head, &count, &global_off, &e) != DW_DLV_OK)
			goto out;
		for (Dwarf_Unsigned i = 0; i < count; i++) {
			unsigned len = 0, code = 0;
			Dwarf_Unsigned raw1, raw2, lo, hi;
			Dwarf_Bool unavailable = 0;
			if (dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &raw1, &raw2, &unavailable, &lo,
				    &hi, &e) != DW_DLV_OK) {
				drop_error(b, &e);
				break;
			}
			if (unavailable || code == DW_RLE_end_of_list || code == DW_RLE_base_address ||
				code == DW_RLE_base_addressx)
				continue;
			add_range(b, lo, hi, node, depth);
		}
		dwarf_dealloc_rnglists_head(head);
	} else {
		Dwarf_Ranges *rs = NULL;
		Dwarf_Signed count = 0;
		Dwarf_Unsigned bytes = 0;
		Dwarf_Off real = 0;
		if (dwarf_get_ranges_b(b->dbg, value, die, &real, &rs, &count, &bytes, &e) != DW_DLV_OK)
			goto out;
		uint64_t base = b->cu_base;
		for (Dwarf_Signed i = 0; i < count; i++) {
			if (rs[i].dwr_type == DW_RANGES_END)
				break;
			if (rs[i].dwr_type == DW_RANGES_ADDRESS_SELECTION)
				base = rs[i].dwr_addr2;
			else
				add_range(b, base + rs[i].dwr_addr1, base + rs[i].dwr_addr2, node, depth);
		}
		dwarf_ranges_dealloc(b->dbg, rs, count);
	}
out:
	drop_error(b, &e);
	dwarf_dealloc_attribute(attr);
	return b->nranges - before;
}

/* low_pc/high_pc (high_pc of class constant is an offset from low_pc). */
static size_t read_pc_range(builder *b, Dwarf_Die die, uint32_t node, uint32_t depth)
{
	Dwarf_Error e = NULL;
	Dwarf_Addr lo, hi;
	Dwarf_Half form;
	enum Dwarf_Form_Class cls;
	if (dwarf_lowpc(die, &lo, &e) != DW_DLV_OK || dwarf_highpc_b(die, &hi, &form, &cls, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return 0;
	}
	if (cls == DW_FORM_CLASS_CONSTANT)
		hi += lo;
	size_t before = b->nranges;
	add_range(b, lo, hi, node, depth);
	return b->nranges - before;
}

/* ---- the DIE walk --------------------------------------------------------- */

static int descend_into(Dwarf_Half tag)
{
	switch (tag) {
	case DW_TAG_lexical_block:
	case DW_TAG_namespace:
	case DW_TAG_class_type:
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_module:
	case DW_TAG_try_block:
	case DW_TAG_catch_block:
		return 1;
	default:
		return 0;
	}
}

static int walk_children(builder *b, Dwarf_Die parent_die, uint32_t parent_node, uint32_t node_depth,
	int die_depth);

/* One subprogram or inlined_subroutine: a node if it has code. */
static int visit_function(builder *b, Dwarf_Die die, Dwarf_Half tag, uint32_t parent_node, uint32_t node_depth,
	int die_depth)
{
	struct die_attrs a;
	read_attrs(b, die, &a);
	if (!a.has_ranges && !(a.has_low && a.has_high))
		return 0; /* a declaration or an abstract instance: no code */
	ms_dwarfidx *ix = b->ix;
	uint32_t node = (uint32_t)ix->nnodes;
	size_t added = a.has_ranges ? read_ranges(b, die, node, node_depth) : read_pc_range(b, die, node, node_depth);
	if (added == 0)
		return 0;
	ms_dw_node nd = { 0, MS_DW_NONE, 0, 0, 0 };
	if (tag == DW_TAG_inlined_subroutine && parent_node != MS_DW_NONE) {
		nd.parent = parent_node;
		if (a.has_call)
			nd.call_file = file_name(b, b->cu_files_ix, a.call_file);
		nd.call_line = (uint32_t)a.call_line;
		nd.call_column = (uint32_t)a.call_column;
	}
	nd.func = func_of(b, die, &a);
	MS_GROW(ix->nodes, ix->nnodes, b->nodes_cap, 1);
	ix->nodes[ix->nnodes++] = nd;
	return walk_children(b, die, node, node_depth + 1, die_depth + 1);
}

static int walk_children(builder *b, Dwarf_Die parent_die, uint32_t parent_node, uint32_t node_depth,
	int die_depth)
{
	if (die_depth > MAX_DIE_DEPTH)
		return 0;
	Dwarf_Error e = NULL;
	Dwarf_Die die;
	int res = dwarf_child(parent_die, &die, &e);
	if (res == DW_DLV_NO_ENTRY)
		return 0;
	if (res != DW_DLV_OK) {
		drop_error(b, &e);
		return -1;
	}
	int rc = 0;
	for (;;) {
		Dwarf_Half tag;
		if (dwarf_tag(die, &tag, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			rc = -1;
		} else if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) {
			rc = visit_function(b, die, tag, parent_node, node_depth, die_depth);
		} else if (descend_into(tag)) {
			rc = walk_children(b, die, parent_node, node_depth, die_depth + 1);
		}
		if (rc < 0) {
			dwarf_dealloc_die(die);
			return rc;
		}
		/* A corrupt DW_AT_sibling can point back into the chain; siblings
		 * must lie at increasing offsets, so a step backwards ends the walk
		 * (otherwise it never would). */
		Dwarf_Off here = 0, next = 0;
		if (dwarf_dieoffset(die, &here, &e) != DW_DLV_OK) {
			drop_error(b, &e);
			dwarf_dealloc_die(die);
			return -1;
		}
		Dwarf_Die sib;
		res = dwarf_siblingof_b(b->dbg, die, 1, &sib, &e);
		dwarf_dealloc_die(die);
		if (res == DW_DLV_NO_ENTRY)
			return 0;
		if (res != DW_DLV_OK) {
			drop_error(b, &e);
			return -1;
		}
		if (dwarf_dieoffset(sib, &next, &e) != DW_DLV_OK || next <= here) {
			drop_error(b, &e);
			dwarf_dealloc_die(sib);
			return -1;
		}
		die = sib;
	}
}

/* ---- segments ------------------------------------------------------------- */

static int range_cmp(const void *x, const void *y)
{
	const dw_range *a = x, *c = y;
	if (a->lo != c->lo)
		return a->lo < c->lo ? -1 : 1;
	if (a->depth != c->depth)
		return a->depth < c->depth ? -1 : 1;
	if (a->hi != c->hi)
		return a->hi > c->hi ? -1 : 1;
	return a->node < c->node ? -1 : a->node > c->node;
}

typedef struct seg_out {
	ms_dw_segment *segs;
	size_t n, cap;
} seg_out;

static void emit_segment(seg_out *o, uint64_t start, uint32_t node)
{
	if (o->n && o->segs[o->n - 1].start == start) {
		o->segs[o->n - 1].node = node; /* the earlier one was empty */
		if (o->n > 1 && o->segs[o->n - 2].node == node)
			o->n--;
		return;
	}
	if ((o->n && o->segs[o->n - 1].node == node) || (!o->n && node == MS_DW_NONE))
		return;
	MS_GROW(o->segs, o->n, o->cap, 1);
	o->segs[o->n++] = (ms_dw_segment){ start, node };
}

/* Sweeps b->ranges, sorted by (lo, depth, hi descending), with a stack of
 * open ranges: the top of the stack is the innermost node at the current
 * position, so the innermost node changes only where a range opens (it
 * becomes the top) or closes (the one below it becomes the top):
 *     open r:   segment [r.lo, …) → r.node
 *     close t:  segment [t.hi, …) → node below t (or none)
 * Properly nested ranges (the DWARF rule) give exact segments; improperly
 * nested ones (corrupt input) still give ordered segments: positions never
 * move backwards (pos = max(pos, boundary)). */
static void sweep_segments(builder *b, ms_dw_segment **segs, size_t *nsegs)
{
	if (b->nranges > 1)
		qsort(b->ranges, b->nranges, sizeof *b->ranges, range_cmp);
	dw_range *stack = ms_xcalloc(b->nranges ? b->nranges : 1, sizeof *stack);
	seg_out o = { NULL, 0, 0 };
	size_t top = 0;
	uint64_t pos = 0;
	for (size_t i = 0; i <= b->nranges; i++) {
		const dw_range *r = i < b->nranges ? &b->ranges[i] : NULL;
		while (top && (!r || stack[top - 1].hi <= r->lo)) {
			uint64_t hi = stack[--top].hi;
			if (hi > pos)
				pos = hi;
			emit_segment(&o, pos, top ? stack[top - 1].node : MS_DW_NONE);
		}
		if (!r)
			break;
		if (r->lo > pos)
			pos = r->lo;
		emit_segment(&o, pos, r->node);
		stack[top++] = *r;
	}
	free(stack);
	*segs = o.segs;
	*nsegs = o.n;
}

static uint32_t segment_at(const ms_dw_segment *segs, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (segs[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? segs[lo - 1].node : MS_DW_NONE;
}

/* ---- compile units -------------------------------------------------------- */

/* Sets the context that ranges (version, base) and, with_files, file
 * numbers (the CU's file table) are read in. */
static void enter_cu(builder *b, Dwarf_Die cu_die, const dw_cu *cu, bool with_files)
{
	b->cu_version = cu->version;
	b->cu_base = cu->base;
	if (with_files)
		b->cu_files_ix = files_of_cu(b, cu_die, cu->off);
}

/* Rows, nodes and segments of one CU. */
static void index_cu(builder *b, dw_cu *cu)
{
	cu->indexed = true;
	b->ix->ncus_indexed++;
	Dwarf_Error e = NULL;
	Dwarf_Die cu_die;
	if (dwarf_offdie_b(b->dbg, cu->off, 1, &cu_die, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return;
	}
	enter_cu(b, cu_die, cu, true);
	(void)read_lines(b, cu_die, cu);
	b->nranges = 0;
	(void)walk_children(b, cu_die, MS_DW_NONE, 0, 1);
	sweep_segments(b, &cu->segs, &cu->nsegs);
	dwarf_dealloc_die(cu_die);
}

/* Reads one CU header's DIE into the CU table; its ranges go to b->ranges
 * (node = CU index). */
static void add_cu(builder *b, Dwarf_Half version)
{
	ms_dwarfidx *ix = b->ix;
	Dwarf_Error e = NULL;
	Dwarf_Die cu_die;
	if (dwarf_siblingof_b(b->dbg, NULL, 1, &cu_die, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		return;
	}
	Dwarf_Off off;
	if (dwarf_dieoffset(cu_die, &off, &e) != DW_DLV_OK) {
		drop_error(b, &e);
		dwarf_dealloc_die(cu_die);
		return;
	}
	MS_GROW(b->cus, ix->ncus, b->cus_cap, 1);
	uint32_t ci = (uint32_t)ix->ncus++;
	dw_cu *cu = &b->cus[ci];
	memset(cu, 0, sizeof *cu);
	cu->off = off;
	cu->version = version;
	Dwarf_Addr base = 0;
	if (dwarf_lowpc(cu_die, &base, &e) != DW_DLV_OK)
		drop_error(b, &e);
	cu->base = base;
	struct die_attrs a;
	read_attrs(b, cu_die, &a);
	enter_cu(b, cu_die, cu, false);
	size_t before = b->nranges;
	if (a.has_ranges)
		(void)read_ranges(b, cu_die, ci, 0);
	else if (a.has_low && a.has_high)
		(void)read_pc_range(b, cu_die, ci, 0);
	if (b->nranges == before && a.has_stmt_list) {
		/* no usable ranges: index now, cover its line sequences */
		dw_range *saved = b->ranges;
		size_t nsaved = b->nranges, capsaved = b->ranges_cap;
		b->ranges = NULL;
		b->nranges = b->ranges_cap = 0;
		index_cu(b, cu);
		free(b->ranges);
		b->ranges = saved;
		b->nranges = nsaved;
		b->ranges_cap = capsaved;
		for (size_t i = 0, first = 0; i < cu->nrows; i++)
			if (cu->rows[i].file == MS_DW_NONE) {
				add_range(b, cu->rows[first].addr, cu->rows[i].addr, ci, 0);
				first = i + 1;
			}
	}
	dwarf_dealloc_die(cu_die);
}

/* ---- public --------------------------------------------------------------- */

ms_dwarfidx *ms_dwarfidx_open(const char *path, ms_strtab *names, ms_err *err)
{
	Dwarf_Debug dbg = NULL;
	Dwarf_Error e = NULL;
	/* libdwarf records every allocation in a search tree so dwarf_finish
	 * can free what callers forgot. This file deallocates everything it
	 * gets, but libdwarf 20210528 itself leaks on some error paths of
	 * corrupt input (dwarf_srcfiles on a garbled line table), and only the
	 * tree gets that memory back. It costs ~20% of `memscope symbolize`
	 * time on libc (tools/bench/symbolize.sh); a symbolizer meets arbitrary
	 * binaries, so it stays on (a libdwarf-wide setting, set before every
	 * open in case another caller changed it). */
	dwarf_set_de_alloc_flag(1);
	int res = dwarf_init_path(path, NULL, 0, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &dbg, NULL, 0,
		NULL, &e);
	if (res == DW_DLV_NO_ENTRY) {
		ms_seterr(err, "'%s': no DWARF debugging information", path);
		return NULL;
	}
	if (res != DW_DLV_OK) {
		ms_seterr(err, "'%s': bad DWARF: %s", path, e ? dwarf_errmsg(e) : "cannot read");
		if (e)
			dwarf_dealloc(dbg, e, DW_DLA_ERROR);
		return NULL;
	}
	ms_dwarfidx *ix = ms_xcalloc(1, sizeof *ix);
	builder *b = ms_xcalloc(1, sizeof *b);
	ix->impl = b;
	b->ix = ix;
	b->dbg = dbg;
	b->names = names;
	ms_pairmap_init(&b->func_by_off, 1024);
	ms_pairmap_init(&b->files_by_cu, 64);
	for (;;) {
		Dwarf_Unsigned len, abbrev_off, type_off, next;
		Dwarf_Half version, addr_size, len_size, ext_size, unit_type;
		Dwarf_Sig8 sig;
		res = dwarf_next_cu_header_d(dbg, 1, &len, &version, &abbrev_off, &addr_size, &len_size, &ext_size,
			&sig, &type_off, &next, &unit_type, &e);
		if (res == DW_DLV_NO_ENTRY)
			break;
		if (res != DW_DLV_OK) {
			/* a corrupt CU header ends the walk; earlier CUs stay usable */
			if (!ix->ncus)
				ms_seterr(err, "'%s': bad DWARF: %s", path, e ? dwarf_errmsg(e) : "cannot read");
			drop_error(b, &e);
			if (!ix->ncus) {
				ms_dwarfidx_free(ix);
				return NULL;
			}
			break;
		}
		add_cu(b, version);
	}
	sweep_segments(b, &b->cu_segs, &b->ncu_segs);
	return ix;
}

void ms_dwarfidx_free(ms_dwarfidx *ix)
{
	if (!ix)
		return;
	builder *b = ix->impl;
	for (size_t i = 0; i < ix->ncus; i++) {
		free(b->cus[i].rows);
		free(b->cus[i].segs);
	}
	free(b->cus);
	free(b->cu_segs);
	for (size_t i = 0; i < b->nfiles; i++)
		free(b->files[i].ids);
	free(b->files);
	free(b->ranges);
	free(b->rows);
	free(b->seqs);
	ms_pairmap_free(&b->func_by_off);
	ms_pairmap_free(&b->files_by_cu);
	Dwarf_Error e = NULL;
	if (dwarf_finish(b->dbg, &e) != DW_DLV_OK && e)
		dwarf_dealloc(b->dbg, e, DW_DLA_ERROR);
	free(b);
	free(ix->funcs);
	free(ix->nodes);
	free(ix);
}

void ms_dwarfidx_lookup(ms_dwarfidx *ix, uint64_t addr, uint32_t *node, const ms_dw_row **row)
{
	builder *b = ix->impl;
	*node = MS_DW_NONE;
	*row = NULL;
	uint32_t ci = segment_at(b->cu_segs, b->ncu_segs, addr);
	if (ci == MS_DW_NONE)
		return;
	dw_cu *cu = &b->cus[ci];
	if (!cu->indexed)
		index_cu(b, cu);
	*node = segment_at(cu->segs, cu->nsegs, addr);
	/* last row with addr <= a; none, or an end_sequence row: no line */
	size_t lo = 0, hi = cu->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cu->rows[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && cu->rows[lo - 1].file != MS_DW_NONE)
		*row = &cu->rows[lo - 1];
}

void ms_dwarfidx_index_all(ms_dwarfidx *ix)
{
	builder *b = ix->impl;
	for (size_t i = 0; i < ix->ncus; i++)
		if (!b->cus[i].indexed)
			index_cu(b, &b->cus[i]);
}
