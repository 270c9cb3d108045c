/* dwarfcheck.c — checks of DWARF sections before libdwarf reads them.
 *
 * libdwarf 20210528 (Debian 12) trusts some corrupt input: it frees memory
 * twice when it rejects a .debug_rnglists/.debug_loclists header, and it
 * loops for ever when a DW_AT_sibling inside a subtree it skips points
 * backwards, or when a DIE uses a form or abbreviation that does not exist.
 * A symbolizer meets arbitrary binaries, so the sections are checked here
 * first, with bounds checks on every read; a binary that fails falls back to
 * its symbol table (elfobj.c records why).
 *
 * ms_dwarf_check_info walks every unit of .debug_info linearly — unit
 * header, abbreviation table, then each DIE's attributes skipped by form —
 * and requires: a known unit version (2–5) and header, every abbreviation
 * code defined, every form known and every value inside its unit, and every
 * DW_AT_sibling pointing forward inside its unit. The walk needs no tree
 * navigation (children follow their parent; a zero code ends a sibling
 * list), so it cannot loop.
 *
 * ms_dwarf_check_line walks the line-table headers of .debug_line and
 * requires every file's directory index to name a directory of its table
 * (libdwarf 20210528 reads past its directory array otherwise, in
 * dwarf_srcfiles, and crashes while formatting the error).
 */
#include "config.h"

#include "symbolize/dwarfcheck.h"

#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

static uint64_t rd(const unsigned char *p, int n, bool msb)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[msb ? n - 1 - i : i] << (8 * i);
	return v;
}

/* ---- .debug_rnglists / .debug_loclists ------------------------------------------ */

/* Unit headers (DWARF 5, section 7.28/7.29): unit_length (4 bytes, or
 * 0xffffffff and 8), version 2 bytes = 5, address_size 1 byte (2, 4 or 8),
 * segment selector size 1 byte, offset_entry_count 4 bytes; the next unit
 * starts after unit_length. Rejects what libdwarf 20210528's header reader
 * rejects (checked one by one against that library under ASan: these cases
 * make it free twice; a nonzero segment selector size, an offset count past
 * the unit or a unit length past the section end do not). */
const char *ms_dwarf_check_lists(const unsigned char *d, uint64_t size, bool msb, uint64_t *at)
{
	uint64_t off = 0;
	while (off < size) {
		*at = off;
		if (size - off < 4)
			return "truncated unit length";
		uint64_t len = rd(d + off, 4, msb), lsz = 4;
		if (len == 0xffffffff) {
			if (size - off < 12)
				return "truncated unit length";
			len = rd(d + off + 4, 8, msb);
			lsz = 12;
		} else if (len >= 0xfffffff0) {
			return "reserved unit length";
		}
		if (len > size)
			return "unit longer than the section";
		if (size - off - lsz < 8)
			return "truncated unit header";
		const unsigned char *h = d + off + lsz;
		if (rd(h, 2, msb) != 5)
			return "version is not 5";
		if (h[2] != 2 && h[2] != 4 && h[2] != 8)
			return "bad address size";
		off += lsz + len;
		if (off < lsz + len) /* wrapped */
			break;
	}
	return NULL;
}

/* ---- .debug_info ------------------------------------------------------------------ */

enum {
	AT_sibling = 0x01,
	FORM_addr = 0x01, FORM_block2 = 0x03, FORM_block4 = 0x04, FORM_data2 = 0x05, FORM_data4 = 0x06,
	FORM_data8 = 0x07, FORM_string = 0x08, FORM_block = 0x09, FORM_block1 = 0x0a, FORM_data1 = 0x0b,
	FORM_flag = 0x0c, FORM_sdata = 0x0d, FORM_strp = 0x0e, FORM_udata = 0x0f, FORM_ref_addr = 0x10,
	FORM_ref1 = 0x11, FORM_ref2 = 0x12, FORM_ref4 = 0x13, FORM_ref8 = 0x14, FORM_ref_udata = 0x15,
	FORM_indirect = 0x16, FORM_sec_offset = 0x17, FORM_exprloc = 0x18, FORM_flag_present = 0x19,
	FORM_strx = 0x1a, FORM_addrx = 0x1b, FORM_ref_sup4 = 0x1c, FORM_strp_sup = 0x1d, FORM_data16 = 0x1e,
	FORM_line_strp = 0x1f, FORM_ref_sig8 = 0x20, FORM_implicit_const = 0x21, FORM_loclistx = 0x22,
	FORM_rnglistx = 0x23, FORM_ref_sup8 = 0x24, FORM_strx1 = 0x25, FORM_strx2 = 0x26, FORM_strx3 = 0x27,
	FORM_strx4 = 0x28, FORM_addrx1 = 0x29, FORM_addrx2 = 0x2a, FORM_addrx3 = 0x2b, FORM_addrx4 = 0x2c,
	FORM_GNU_addr_index = 0x1f01, FORM_GNU_str_index = 0x1f02, FORM_GNU_ref_alt = 0x1f20,
	FORM_GNU_strp_alt = 0x1f21,
};

typedef struct cursor {
	const unsigned char *p, *end;
	int bad;
} cursor;

static uint64_t uleb(cursor *c)
{
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		if (c->p >= c->end) {
			c->bad = 1;
			return 0;
		}
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
}

static void skip(cursor *c, uint64_t n)
{
	if ((uint64_t)(c->end - c->p) < n) {
		c->bad = 1;
		c->p = c->end;
	} else {
		c->p += n;
	}
}

/* Skips a NUL-terminated string, its NUL included. */
static void skip_cstring(cursor *c)
{
	const unsigned char *nul = memchr(c->p, 0, (size_t)(c->end - c->p));
	if (nul) {
		c->p = nul + 1;
	} else {
		c->bad = 1;
		c->p = c->end;
	}
}

static uint64_t fixed(cursor *c, int n, bool msb)
{
	if (c->end - c->p < n) {
		c->bad = 1;
		c->p = c->end;
		return 0;
	}
	uint64_t v = rd(c->p, n, msb);
	c->p += n;
	return v;
}

typedef struct abbrev {
	uint64_t code;
	size_t first, n; /* attribute specs in the table's attrs[] */
	int children;
} abbrev;

typedef struct spec {
	uint64_t name, form;
} spec;

typedef struct abbrev_table {
	abbrev *a;
	size_t n, cap;
	spec *s;
	size_t ns, scap;
} abbrev_table;

static int abbrev_cmp(const void *x, const void *y)
{
	const abbrev *a = x, *b = y;
	return a->code < b->code ? -1 : a->code > b->code;
}

/* Parses the abbreviation table at off; NULL or what is wrong. */
static const char *read_abbrevs(abbrev_table *t, const unsigned char *d, uint64_t size, uint64_t off)
{
	t->n = t->ns = 0;
	if (off >= size)
		return "abbreviation offset past .debug_abbrev";
	cursor c = { d + off, d + size, 0 };
	for (;;) {
		uint64_t code = uleb(&c);
		if (c.bad)
			return "truncated abbreviation table";
		if (code == 0)
			break;
		(void)uleb(&c); /* tag */
		if (c.p >= c.end)
			return "truncated abbreviation table";
		int children = *c.p++ != 0;
		MS_GROW(t->a, t->n, t->cap, 1);
		abbrev *a = &t->a[t->n++];
		a->code = code;
		a->children = children;
		a->first = t->ns;
		for (;;) {
			uint64_t name = uleb(&c), form = uleb(&c);
			if (c.bad)
				return "truncated abbreviation table";
			if (name == 0 && form == 0)
				break;
			if (form == FORM_implicit_const) {
				while (c.p < c.end && (*c.p & 0x80))
					c.p++; /* the constant (sleb) */
				skip(&c, 1);
				if (c.bad)
					return "truncated abbreviation table";
			}
			MS_GROW(t->s, t->ns, t->scap, 1);
			t->s[t->ns++] = (spec){ name, form };
		}
		a->n = t->ns - a->first;
	}
	if (t->n > 1)
		qsort(t->a, t->n, sizeof *t->a, abbrev_cmp);
	for (size_t i = 1; i < t->n; i++)
		if (t->a[i].code == t->a[i - 1].code)
			return "abbreviation code defined twice";
	return NULL;
}

static const abbrev *find_abbrev(const abbrev_table *t, uint64_t code)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->a[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->a[lo].code == code ? &t->a[lo] : NULL;
}

typedef struct unit {
	int version, offset_size, address_size;
	bool msb;
} unit;

/* Skips one attribute value of form (resolving DW_FORM_indirect); returns
 * the value for reference forms in *ref (and 1), 0 for others, -1 for a
 * form that does not exist. */
static int skip_value(cursor *c, uint64_t form, const unit *u, uint64_t *ref)
{
	for (int hops = 0; form == FORM_indirect; hops++) {
		if (hops == 4)
			return -1;
		form = uleb(c);
	}
	switch (form) {
	case FORM_flag_present: case FORM_implicit_const: return 0;
	case FORM_data1: case FORM_flag: case FORM_strx1: case FORM_addrx1: skip(c, 1); return 0;
	case FORM_data2: case FORM_strx2: case FORM_addrx2: skip(c, 2); return 0;
	case FORM_strx3: case FORM_addrx3: skip(c, 3); return 0;
	case FORM_data4: case FORM_strx4: case FORM_addrx4: case FORM_ref_sup4: skip(c, 4); return 0;
	case FORM_data8: case FORM_ref_sig8: case FORM_ref_sup8: skip(c, 8); return 0;
	case FORM_data16: skip(c, 16); return 0;
	case FORM_addr: skip(c, (uint64_t)u->address_size); return 0;
	case FORM_strp: case FORM_sec_offset: case FORM_line_strp: case FORM_strp_sup: case FORM_GNU_ref_alt:
	case FORM_GNU_strp_alt:
		skip(c, (uint64_t)u->offset_size);
		return 0;
	case FORM_ref_addr:
		*ref = fixed(c, u->version <= 2 ? u->address_size : u->offset_size, u->msb);
		return 2; /* section offset, not unit offset */
	case FORM_sdata: case FORM_udata: case FORM_strx: case FORM_addrx: case FORM_loclistx:
	case FORM_rnglistx: case FORM_GNU_addr_index: case FORM_GNU_str_index:
		(void)uleb(c);
		return 0;
	case FORM_ref1: *ref = fixed(c, 1, u->msb); return 1;
	case FORM_ref2: *ref = fixed(c, 2, u->msb); return 1;
	case FORM_ref4: *ref = fixed(c, 4, u->msb); return 1;
	case FORM_ref8: *ref = fixed(c, 8, u->msb); return 1;
	case FORM_ref_udata: *ref = uleb(c); return 1;
	case FORM_string:
		skip_cstring(c);
		return 0;
	case FORM_block1: skip(c, fixed(c, 1, u->msb)); return 0;
	case FORM_block2: skip(c, fixed(c, 2, u->msb)); return 0;
	case FORM_block4: skip(c, fixed(c, 4, u->msb)); return 0;
	case FORM_block: case FORM_exprloc: skip(c, uleb(c)); return 0;
	default: return -1;
	}
}

/* A unit's initial length at c (4 bytes, or 0xffffffff and 8), which sets
 * u->offset_size; c->end becomes the unit's end. NULL or what is wrong. */
static const char *unit_length(cursor *c, unit *u)
{
	uint64_t len = fixed(c, 4, u->msb);
	u->offset_size = 4;
	if (len == 0xffffffff) {
		len = fixed(c, 8, u->msb);
		u->offset_size = 8;
	} else if (len >= 0xfffffff0) {
		return "reserved unit length";
	}
	if (c->bad || len > (uint64_t)(c->end - c->p))
		return "unit longer than the section";
	c->end = c->p + len;
	return NULL;
}

const char *ms_dwarf_check_info(const unsigned char *info, uint64_t info_size, const unsigned char *abbrev_sec,
	uint64_t abbrev_size, bool msb, uint64_t *at)
{
	abbrev_table t = { 0 };
	const char *why = NULL;
	uint64_t off = 0;
	while (off < info_size && !why) {
		*at = off;
		cursor c = { info + off, info + info_size, 0 };
		unit u = { 0, 4, 0, msb };
		if ((why = unit_length(&c, &u)))
			break;
		const unsigned char *unit_start = info + off, *unit_end = c.end;
		u.version = (int)fixed(&c, 2, msb);
		uint64_t abbrev_off;
		if (u.version == 5) {
			int type = (int)fixed(&c, 1, msb);
			u.address_size = (int)fixed(&c, 1, msb);
			abbrev_off = fixed(&c, u.offset_size, msb);
			if (type == 4 || type == 5) /* skeleton, split_compile: dwo_id */
				skip(&c, 8);
			else if (type == 2 || type == 6) /* type, split_type: signature, type_offset */
				skip(&c, 8 + (uint64_t)u.offset_size);
			else if (type != 1 && type != 3)
				why = "unknown unit type";
		} else if (u.version >= 2 && u.version <= 4) {
			abbrev_off = fixed(&c, u.offset_size, msb);
			u.address_size = (int)fixed(&c, 1, msb);
		} else {
			why = "unknown unit version";
			break;
		}
		if (!why && (c.bad || (u.address_size != 2 && u.address_size != 4 && u.address_size != 8)))
			why = c.bad ? "truncated unit header" : "bad address size";
		if (!why)
			why = read_abbrevs(&t, abbrev_sec, abbrev_size, abbrev_off);
		uint64_t unit_len = (uint64_t)(unit_end - unit_start);
		while (!why && c.p < unit_end) {
			uint64_t die_off = (uint64_t)(c.p - unit_start);
			*at = off + die_off;
			uint64_t code = uleb(&c);
			if (c.bad) {
				why = "truncated DIE";
				break;
			}
			if (code == 0)
				continue; /* end of a sibling list (or padding) */
			const abbrev *a = find_abbrev(&t, code);
			if (!a) {
				why = "DIE uses an abbreviation code that is not defined";
				break;
			}
			for (size_t i = 0; i < a->n && !why; i++) {
				const spec *sp = &t.s[a->first + i];
				uint64_t ref = 0;
				int kind = skip_value(&c, sp->form, &u, &ref);
				if (kind < 0)
					why = "DIE uses a form that does not exist";
				else if (c.bad)
					why = "DIE runs past the end of its unit";
				else if (sp->name == AT_sibling &&
					 (kind == 0 || (kind == 1 ? ref <= die_off || ref >= unit_len
								  : ref <= off + die_off || ref >= off + unit_len)))
					why = "DW_AT_sibling does not point forward inside its unit";
			}
		}
		off += unit_len;
	}
	free(t.a);
	free(t.s);
	return why;
}

/* ---- .debug_line ------------------------------------------------------------------- */

enum { LNCT_directory_index = 2 };

/* Reads one DWARF 5 entry-format list (count, then content type/form
 * pairs); 0 or -1 when it is malformed. */
static int read_formats(cursor *c, uint64_t fmt[][2], int *n)
{
	if (c->p >= c->end)
		return -1;
	*n = *c->p++;
	if (*n > 16)
		return -1;
	for (int i = 0; i < *n; i++) {
		fmt[i][0] = uleb(c);
		fmt[i][1] = uleb(c);
	}
	return c->bad ? -1 : 0;
}

const char *ms_dwarf_check_line(const unsigned char *d, uint64_t size, bool msb, uint64_t *at)
{
	uint64_t off = 0;
	while (off < size) {
		*at = off;
		cursor c = { d + off, d + size, 0 };
		unit u = { 0, 4, 8, msb };
		const char *why = unit_length(&c, &u);
		if (why)
			return why;
		const unsigned char *unit_end = c.end;
		u.version = (int)fixed(&c, 2, msb);
		if (u.version < 2 || u.version > 5)
			return "unknown line table version";
		if (u.version == 5) {
			u.address_size = (int)fixed(&c, 1, msb);
			skip(&c, 1); /* segment selector size */
		}
		uint64_t header_len = fixed(&c, u.offset_size, msb);
		if (c.bad || header_len > (uint64_t)(unit_end - c.p))
			return "line table header longer than its unit";
		c.end = c.p + header_len;
		skip(&c, u.version >= 4 ? 5 : 4); /* min inst length, [max ops], default_is_stmt, line_base, line_range */
		uint64_t opcode_base = fixed(&c, 1, msb);
		skip(&c, opcode_base ? opcode_base - 1 : 0);
		if (c.bad)
			return "truncated line table header";
		if (u.version <= 4) {
			uint64_t ndirs = 0;
			while (c.p < c.end && *c.p) { /* include_directories */
				skip_cstring(&c);
				ndirs++;
			}
			skip(&c, 1);
			while (!c.bad && c.p < c.end && *c.p) { /* file_names */
				skip_cstring(&c);
				uint64_t dir = uleb(&c);
				(void)uleb(&c); /* mtime */
				(void)uleb(&c); /* length */
				if (dir > ndirs)
					return "a file's directory index is past the directory table";
			}
			if (c.bad)
				return "truncated line table header";
		} else {
			uint64_t fmt[16][2], ref;
			int nfmt;
			if (read_formats(&c, fmt, &nfmt) < 0)
				return "bad directory entry format";
			uint64_t ndirs = uleb(&c);
			for (uint64_t i = 0; i < ndirs && !c.bad; i++)
				for (int k = 0; k < nfmt; k++)
					if (skip_value(&c, fmt[k][1], &u, &ref) < 0)
						return "unknown form in the directory table";
			if (read_formats(&c, fmt, &nfmt) < 0)
				return "bad file entry format";
			uint64_t nfiles = uleb(&c);
			for (uint64_t i = 0; i < nfiles && !c.bad; i++)
				for (int k = 0; k < nfmt; k++) {
					const unsigned char *v = c.p;
					if (skip_value(&c, fmt[k][1], &u, &ref) < 0)
						return "unknown form in the file table";
					if (fmt[k][0] == LNCT_directory_index && !c.bad) {
						cursor vc = { v, c.p, 0 };
						uint64_t dir = fmt[k][1] == FORM_udata ? uleb(&vc)
							     : fixed(&vc, (int)(c.p - v) <= 8 ? (int)(c.p - v) : 8, msb);
						if (dir >= ndirs)
							return "a file's directory index is past the directory table";
					}
				}
			if (c.bad)
				return "truncated line table header";
		}
		off = (uint64_t)(unit_end - d);
	}
	return NULL;
}
