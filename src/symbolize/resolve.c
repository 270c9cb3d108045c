/* resolve.c (API in symbolize.h) — the symbolizer: a cache of binaries (ELF file, separate
 * debug file, DWARF index, symbol table) keyed by build-id or path, the
 * lookup of one link-time address into frames, and the pass over a
 * profile that fills Functions and Lines (see symbolize.h for the address
 * rules and the debug-file search order). */
#include "symbolize/symbolize.h"
#include "profile/demangle.h"
#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "symbolize/dwarfidx.h"
#include "symbolize/elfobj.h"
#include "util/buf.h"
#include "util/pairmap.h"

#define MAX_FRAMES 128 /* inlining depth kept per address */

typedef struct ms_binary {
	char *key;               /* build-id, else path */
	char *path;              /* as named by the mapping */
	ms_elfobj *elf;          /* the binary; NULL when missing or changed */
	ms_elfobj *debug;        /* separate debug file; NULL when none */
	ms_dwarfidx *dwarf;      /* NULL without DWARF */
	const ms_elfobj *layout; /* program headers: elf, else debug */
	const ms_elfobj *symbols;
	char *note;              /* why it is unusable or lacks debug info */
	bool usable;
} ms_binary;

struct ms_symbolizer {
	ms_symbolize_opts opts;
	const char *default_dir[1];
	ms_strtab names; /* every binary's names and file paths */
	ms_binary **bins;
	size_t nbins, bins_cap;
};

/* ---- finding files -------------------------------------------------------- */

/* CRC-32 (zlib's, the one .gnu_debuglink uses) of a whole file. */
static int file_crc32(const char *path, uint32_t *out)
{
	int fd = ms_open_input(path, 1, NULL);
	if (fd < 0)
		return -1;
	unsigned char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crc = crc32(crc, buf, (uInt)n);
	close(fd);
	if (n < 0)
		return -1;
	*out = (uint32_t)crc;
	return 0;
}

static bool is_valid_build_id(const char *id)
{
	size_t n = strlen(id);
	return n >= 4 && strspn(id, "0123456789abcdefABCDEF") == n;
}

/* Opens a candidate debug file; keeps it when its build-id is the one
 * wanted, or (debuglink) when its CRC-32 matches. */
static ms_elfobj *try_debug_file(ms_symbolizer *s, const char *path, const char *build_id, const uint32_t *crc)
{
	if (access(path, R_OK) != 0)
		return NULL;
	ms_err err;
	ms_elfobj *d = ms_elfobj_open(path, &s->names, &err);
	if (!d)
		return NULL;
	if (build_id && d->build_id && strcasecmp(build_id, d->build_id) == 0)
		return d;
	uint32_t got;
	if (crc && file_crc32(path, &got) == 0 && got == *crc)
		return d;
	ms_elfobj_free(d);
	return NULL;
}

static ms_elfobj *find_debug_file(ms_symbolizer *s, const char *bin_path, const ms_elfobj *elf,
	const char *build_id)
{
	const char *const *dirs = s->opts.debug_dirs;
	size_t ndirs = s->opts.ndebug_dirs;
	if (build_id && is_valid_build_id(build_id)) {
		for (size_t i = 0; i < ndirs; i++) {
			ms_buf p = MS_BUF_INIT;
			ms_buf_addf(&p, "%s/.build-id/%.2s/%s.debug", dirs[i], build_id, build_id + 2);
			ms_elfobj *d = try_debug_file(s, p.data, build_id, NULL);
			ms_buf_free(&p);
			if (d)
				return d;
		}
	}
	if (!elf || !elf->debuglink || strchr(elf->debuglink, '/'))
		return NULL;
	/* debuglink: next to the binary, in its .debug/, under each debug dir */
	char *dir = ms_xstrdup(bin_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		strcpy(dir, "./");
	ms_elfobj *found = NULL;
	for (size_t i = 0; !found && i < ndirs + 2; i++) {
		ms_buf p = MS_BUF_INIT;
		if (i == 0)
			ms_buf_addf(&p, "%s%s", dir, elf->debuglink);
		else if (i == 1)
			ms_buf_addf(&p, "%s.debug/%s", dir, elf->debuglink);
		else
			ms_buf_addf(&p, "%s%s%s%s", dirs[i - 2], dir[0] == '/' ? "" : "/", dir, elf->debuglink);
		if (strcmp(p.data, bin_path) != 0)
			found = try_debug_file(s, p.data, build_id, &elf->debuglink_crc);
		ms_buf_free(&p);
	}
	free(dir);
	return found;
}

/* ---- the binary cache ----------------------------------------------------- */

static void binary_free(ms_binary *b)
{
	if (!b)
		return;
	free(b->key);
	free(b->path);
	ms_elfobj_free(b->elf);
	ms_elfobj_free(b->debug);
	ms_dwarfidx_free(b->dwarf);
	free(b->note);
	free(b);
}

static void set_note(ms_binary *b, const char *msg)
{
	free(b->note);
	b->note = ms_xstrdup(msg);
}

static ms_binary *open_binary(ms_symbolizer *s, const char *path, const char *build_id)
{
	ms_binary *b = ms_xcalloc(1, sizeof *b);
	b->path = ms_xstrdup(path);
	b->key = ms_xstrdup(build_id && *build_id ? build_id : path);
	if (build_id && !*build_id)
		build_id = NULL;
	ms_err err;
	err.msg[0] = '\0';
	if (*path) {
		b->elf = ms_elfobj_open(path, &s->names, &err);
		/* a mapping of a file deleted since: "/x/y (deleted)" */
		static const char deleted[] = " (deleted)";
		size_t n = strlen(path), dn = sizeof deleted - 1;
		if (!b->elf && n > dn && strcmp(path + n - dn, deleted) == 0) {
			char *p2 = ms_xstrdup(path);
			p2[n - dn] = '\0';
			ms_err err2;
			b->elf = ms_elfobj_open(p2, &s->names, &err2);
			free(p2);
		}
	} else {
		ms_seterr(&err, "mapping has no file name");
	}
	if (b->elf && build_id && b->elf->build_id && strcasecmp(build_id, b->elf->build_id) != 0) {
		ms_seterr(&err, "'%s' has build-id %s, the profile expects %s", path, b->elf->build_id, build_id);
		ms_elfobj_free(b->elf);
		b->elf = NULL;
	}
	if (!build_id && b->elf)
		build_id = b->elf->build_id;

	const ms_elfobj *dwarf_file = NULL;
	if (b->elf && b->elf->has_dwarf)
		dwarf_file = b->elf;
	else {
		b->debug = find_debug_file(s, path, b->elf, build_id);
		if (b->debug && b->debug->has_dwarf)
			dwarf_file = b->debug;
	}
	b->layout = b->elf ? b->elf : b->debug;
	if (!b->layout) {
		set_note(b, err.msg);
		return b;
	}
	b->usable = true;
	if (b->debug && b->debug->syms_from_symtab && b->debug->nsyms)
		b->symbols = b->debug;
	else if (b->elf && b->elf->nsyms)
		b->symbols = b->elf;
	else if (b->debug && b->debug->nsyms)
		b->symbols = b->debug;
	if (dwarf_file && dwarf_file->dwarf_problem && !s->opts.no_dwarf) {
		ms_buf m = MS_BUF_INIT;
		ms_buf_addf(&m, "'%s': bad DWARF: %s", dwarf_file->path, dwarf_file->dwarf_problem);
		set_note(b, m.data);
		ms_buf_free(&m);
	} else if (dwarf_file && !s->opts.no_dwarf) {
		b->dwarf = ms_dwarfidx_open(dwarf_file->path, &s->names, &err);
		if (!b->dwarf)
			set_note(b, err.msg);
	} else if (!s->opts.no_dwarf) {
		ms_buf m = MS_BUF_INIT;
		ms_buf_addf(&m, "'%s': no debug info found (%s)", path,
			b->symbols ? (b->symbols->syms_from_symtab ? "function names from .symtab"
								    : "function names from .dynsym")
				   : "no symbols either");
		set_note(b, m.data);
		ms_buf_free(&m);
	}
	return b;
}

static ms_binary *get_binary(ms_symbolizer *s, const char *path, const char *build_id)
{
	const char *key = build_id && *build_id ? build_id : path;
	for (size_t i = 0; i < s->nbins; i++)
		if (strcmp(s->bins[i]->key, key) == 0)
			return s->bins[i];
	if (s->nbins == s->bins_cap) {
		s->bins_cap = s->bins_cap ? s->bins_cap * 2 : 16;
		s->bins = ms_xreallocarray(s->bins, s->bins_cap, sizeof *s->bins);
	}
	ms_binary *b = open_binary(s, path, build_id);
	s->bins[s->nbins++] = b;
	return b;
}

/* ---- lookup --------------------------------------------------------------- */

static const char *str(const ms_symbolizer *s, uint32_t id) { return ms_strtab_get(&s->names, id); }

/* Frames for a link-time address, innermost first (see dwarfidx.h). */
static size_t lookup_frames(const ms_symbolizer *s, ms_binary *b, uint64_t vaddr, ms_symframe *out, size_t max)
{
	if (!max)
		return 0;
	const ms_elf_symbol *sym = b->symbols ? ms_elfobj_symbol_at(b->symbols, vaddr) : NULL;
	const char *sym_name = sym ? str(s, sym->name) : NULL;
	size_t n = 0;
	if (b->dwarf) {
		const ms_dwarfidx *ix = b->dwarf;
		uint32_t node;
		const ms_dw_row *row;
		ms_dwarfidx_lookup(b->dwarf, vaddr, &node, &row);
		const char *file = row ? str(s, row->file) : "";
		int64_t line = row ? row->line : 0, column = row ? row->column : 0;
		while (node != MS_DW_NONE && n < max) {
			const ms_dw_node *nd = &ix->nodes[node];
			const ms_dw_func *f = &ix->funcs[nd->func];
			ms_symframe *fr = &out[n++];
			fr->function = f->name ? str(s, f->name) : f->linkage ? str(s, f->linkage) : NULL;
			if (!fr->function)
				fr->function = nd->parent == MS_DW_NONE && sym_name ? sym_name : "??";
			fr->system_name = f->linkage ? str(s, f->linkage) : fr->function;
			fr->file = file;
			fr->line = line;
			fr->column = column;
			fr->decl_file = str(s, f->decl_file);
			fr->decl_line = f->decl_line;
			/* the caller's line is where this instance was inlined */
			file = str(s, nd->call_file);
			line = nd->call_line;
			column = nd->call_column;
			node = nd->parent;
		}
		if (n == 0 && row) {
			out[0] = (ms_symframe){ sym_name ? sym_name : "??", sym_name ? sym_name : "??", file, line, column,
				"", 0 };
			n = 1;
		}
	}
	if (n == 0 && sym_name) {
		out[0] = (ms_symframe){ sym_name, sym_name, "", 0, 0, "", 0 };
		n = 1;
	}
	return n;
}

/* Link-time address of a runtime address in a mapping:
 *     file offset = address − start + offset;  vaddr via PT_LOAD (elfobj.h).
 * A fixed-address (ET_EXEC) binary whose segments do not cover the offset
 * (a mapping with a made-up offset) falls back to the address itself. With
 * only a separate debug file (the binary is gone), file offsets are lost
 * and the mapping is taken to start at the executable segment. */
static bool runtime_to_vaddr(const ms_binary *b, const ms_mapping *m, uint64_t addr, uint64_t *vaddr)
{
	if (b->layout->debug_only)
		return ms_elfobj_mapped_to_vaddr(b->layout, addr, m->start, vaddr);
	if (addr >= m->start) {
		uint64_t off = addr - m->start + m->offset;
		if (ms_elfobj_offset_to_vaddr(b->layout, off, vaddr))
			return true;
	}
	if (!b->layout->is_dyn) {
		*vaddr = addr;
		return true;
	}
	return false;
}

/* ---- the profile pass ----------------------------------------------------- */

typedef struct pass {
	ms_symbolizer *s;
	ms_profile *p;
	ms_pairmap funcs; /* (name<<32|system_name, filename<<32|start_line) → function */
	ms_line *lines;
	size_t nlines, lines_cap;
} pass;

/* A C++ or Rust function is named by its demangled linkage name, not by
 * DW_AT_name (which is unqualified: "push_back"), as pprof names it. */
static uint32_t profile_function(pass *ps, const ms_symframe *fr)
{
	ms_profile *p = ps->p;
	ms_demangle_mode mode = (ms_demangle_mode)ps->s->opts.demangle;
	char *dm = ms_demangle(fr->system_name, mode);
	uint32_t name = ms_profile_str(p, dm ? dm : mode == MS_DEMANGLE_NONE ? fr->system_name : fr->function);
	free(dm);
	uint32_t sys = ms_profile_str(p, fr->system_name);
	uint32_t file = ms_profile_str(p, fr->decl_file && *fr->decl_file ? fr->decl_file : fr->file);
	int64_t start = fr->decl_file && *fr->decl_file ? fr->decl_line : 0;
	uint64_t ka = (uint64_t)name << 32 | sys, kb = (uint64_t)file << 32 | (uint32_t)start;
	uint32_t f = ms_pairmap_get(&ps->funcs, ka, kb);
	if (f != UINT32_MAX)
		return f;
	ms_function fn = { 0, name, sys, file, start };
	f = ms_profile_add_function(p, &fn);
	ms_pairmap_put(&ps->funcs, ka, kb, f);
	return f;
}

static void add_line(pass *ps, const ms_line *ln)
{
	if (ps->nlines == ps->lines_cap) {
		ps->lines_cap = ps->lines_cap ? ps->lines_cap * 2 : 1024;
		ps->lines = ms_xreallocarray(ps->lines, ps->lines_cap, sizeof *ps->lines);
	}
	ps->lines[ps->nlines++] = *ln;
}

static void note_binary(ms_buf *notes, const ms_binary *b, size_t unresolved)
{
	if (!b->note || !*b->note)
		return;
	if (unresolved)
		ms_buf_addf(notes, "%s; %zu location%s left unresolved\n", b->note, unresolved,
			unresolved == 1 ? "" : "s");
	else
		ms_buf_addf(notes, "%s\n", b->note);
}

int ms_symbolizer_run(ms_symbolizer *s, ms_profile *p, ms_symbolize_result *res, ms_err *err)
{
	ms_symbolize_result r;
	memset(&r, 0, sizeof r);
	if (ms_profile_validate(p, err) < 0)
		return -1;
	pass ps = { s, p, { NULL, 0, 0 }, NULL, 0, 0 };
	ms_pairmap_init(&ps.funcs, 256);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ms_function *f = &p->functions[i];
		ms_pairmap_put(&ps.funcs, (uint64_t)f->name << 32 | f->system_name,
			(uint64_t)f->filename << 32 | (uint32_t)f->start_line, (uint32_t)i);
	}
	/* per mapping: its binary and how many of its locations stayed unknown */
	size_t nm = p->nmappings;
	ms_binary **mbin = ms_xcalloc(nm ? nm : 1, sizeof *mbin);
	size_t *m_unresolved = ms_xcalloc(nm ? nm : 1, sizeof *m_unresolved);
	bool *m_any = ms_xcalloc(nm ? nm : 1, sizeof *m_any), *m_file = ms_xcalloc(nm ? nm : 1, sizeof *m_file);
	bool *m_line = ms_xcalloc(nm ? nm : 1, sizeof *m_line);
	ms_symframe frames[MAX_FRAMES];

	r.locations = p->nlocations;
	for (size_t i = 0; i < p->nlocations; i++) {
		ms_location *loc = &p->locations[i];
		uint64_t first = ps.nlines;
		if (loc->nlines && !s->opts.force) {
			r.symbolized++;
			goto keep;
		}
		if (loc->mapping == MS_NONE || loc->address == 0) {
			r.no_address++;
			goto keep;
		}
		uint32_t mi = loc->mapping;
		const ms_mapping *m = &p->mappings[mi];
		if (!mbin[mi]) {
			const char *fname = ms_profile_string(p, m->filename);
			const char *bid = ms_profile_string(p, m->build_id);
			mbin[mi] = get_binary(s, fname, bid);
		}
		ms_binary *b = mbin[mi];
		uint64_t addr = loc->address - (s->opts.return_addresses ? 1 : 0);
		uint64_t vaddr;
		size_t n = 0;
		if (b->usable && runtime_to_vaddr(b, m, addr, &vaddr))
			n = lookup_frames(s, b, vaddr, frames, MAX_FRAMES);
		if (n == 0) {
			r.unresolved++;
			m_unresolved[mi]++;
			goto keep;
		}
		r.resolved++;
		m_any[mi] = true;
		for (size_t k = 0; k < n; k++) {
			ms_line ln = { profile_function(&ps, &frames[k]), frames[k].line, frames[k].column };
			add_line(&ps, &ln);
			if (*frames[k].file)
				m_file[mi] = true;
			if (frames[k].line)
				m_line[mi] = true;
		}
		loc->line_off = first;
		loc->nlines = (uint32_t)n;
		continue;
	keep:
		for (uint32_t k = 0; k < loc->nlines; k++)
			add_line(&ps, &p->lines[loc->line_off + k]);
		loc->line_off = first;
	}
	free(p->lines);
	p->lines = ps.lines;
	p->nlines = ps.nlines;
	p->lines_cap = ps.lines_cap;

	/* mapping flags and notes, each binary once */
	ms_buf notes = MS_BUF_INIT;
	for (size_t i = 0; i < nm; i++) {
		ms_mapping *m = &p->mappings[i];
		if (m_any[i]) {
			m->has_functions = true;
			m->has_filenames |= m_file[i];
			m->has_line_numbers |= m_line[i];
			m->has_inline_frames |= mbin[i]->dwarf != NULL;
		}
		if (!mbin[i])
			continue;
		size_t j = 0;
		while (j < i && mbin[j] != mbin[i])
			j++;
		if (j < i)
			continue; /* reported with an earlier mapping */
		size_t unresolved = 0;
		for (size_t k = i; k < nm; k++)
			if (mbin[k] == mbin[i])
				unresolved += m_unresolved[k];
		r.binaries++;
		if (mbin[i]->path[0] != '[')
			note_binary(&notes, mbin[i], unresolved);
	}
	r.notes = notes.len ? ms_buf_detach(&notes, NULL) : NULL;
	ms_buf_free(&notes);
	free(mbin);
	free(m_unresolved);
	free(m_any);
	free(m_file);
	free(m_line);
	ms_pairmap_free(&ps.funcs);
	if (res)
		*res = r;
	else
		free(r.notes);
	return 0;
}

/* ---- public --------------------------------------------------------------- */

ms_symbolizer *ms_symbolizer_new(const ms_symbolize_opts *opts)
{
	ms_symbolizer *s = ms_xcalloc(1, sizeof *s);
	if (opts)
		s->opts = *opts;
	if (!s->opts.debug_dirs || !s->opts.ndebug_dirs) {
		s->default_dir[0] = "/usr/lib/debug";
		s->opts.debug_dirs = s->default_dir;
		s->opts.ndebug_dirs = 1;
	}
	ms_strtab_init(&s->names);
	return s;
}

void ms_symbolizer_free(ms_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nbins; i++)
		binary_free(s->bins[i]);
	free(s->bins);
	ms_strtab_free(&s->names);
	free(s);
}

int ms_symbolize_profile(ms_profile *p, const ms_symbolize_opts *opts, ms_symbolize_result *res, ms_err *err)
{
	ms_symbolizer *s = ms_symbolizer_new(opts);
	int rc = ms_symbolizer_run(s, p, res, err);
	ms_symbolizer_free(s);
	return rc;
}

void ms_symbolize_result_free(ms_symbolize_result *res)
{
	if (!res)
		return;
	free(res->notes);
	res->notes = NULL;
}

int ms_symbolizer_lookup(ms_symbolizer *s, const char *path, const char *build_id, uint64_t vaddr,
	ms_symframe *frames, size_t max, ms_err *err)
{
	ms_binary *b = get_binary(s, path, build_id);
	if (!b->usable)
		return ms_seterr(err, "%s", b->note ? b->note : "unusable binary");
	return (int)lookup_frames(s, b, vaddr, frames, max);
}
