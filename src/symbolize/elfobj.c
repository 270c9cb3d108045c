/* elfobj.c — reading the parts of an ELF file the symbolizer needs (see
 * elfobj.h) with libelf. Every count and offset comes from the file, so
 * each one is checked against the section it points into; libelf itself
 * bounds-checks headers, string offsets and data. */
#include "symbolize/elfobj.h"
#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbolize/dwarfcheck.h"
#include "util/buf.h"

#define NT_GNU_BUILD_ID_TYPE 3

/* ---- symbols -------------------------------------------------------------- */

/* Binding preference when several symbols share an address (malloc and
 * __libc_malloc): global, then weak, then local; then fewer leading
 * underscores; then the shorter name. */
struct raw_sym {
	uint64_t addr, size;
	const char *name;
	int rank;
};

static int binding_rank(int bind)
{
	switch (bind) {
	case STB_GLOBAL: return 0;
	case STB_WEAK: return 1;
	default: return 2;
	}
}

static int raw_sym_cmp(const void *a, const void *b)
{
	const struct raw_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	size_t ux = strspn(x->name, "_"), uy = strspn(y->name, "_");
	if (ux != uy)
		return ux < uy ? -1 : 1;
	size_t lx = strlen(x->name), ly = strlen(y->name);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Collects the defined function symbols (data: the object symbols) of one
 * SHT_SYMTAB/SHT_DYNSYM. */
static void read_symbols_of(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, ms_strtab *names, bool data_syms,
	ms_elf_symbol **out, size_t *nout)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || sh->sh_entsize == 0)
		return;
	size_t n = data->d_size / gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	struct raw_sym *raw = ms_xcalloc(n ? n : 1, sizeof *raw);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		if (!gelf_getsym(data, (int)i, &s))
			break;
		int type = GELF_ST_TYPE(s.st_info);
		bool want = data_syms ? type == STT_OBJECT : (type == STT_FUNC || type == STT_GNU_IFUNC);
		if (!want || s.st_shndx == SHN_UNDEF || s.st_value == 0)
			continue;
		const char *name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		raw[k].addr = s.st_value;
		raw[k].size = s.st_size;
		raw[k].name = name;
		raw[k].rank = binding_rank(GELF_ST_BIND(s.st_info));
		k++;
	}
	qsort(raw, k, sizeof *raw, raw_sym_cmp);
	ms_elf_symbol *syms = ms_xcalloc(k ? k : 1, sizeof *syms);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && syms[m - 1].addr == raw[i].addr) {
			/* keep the preferred name, but the largest size seen */
			if (raw[i].size > syms[m - 1].size)
				syms[m - 1].size = raw[i].size;
			continue;
		}
		syms[m].addr = raw[i].addr;
		syms[m].size = raw[i].size;
		syms[m].name = ms_strtab_intern0(names, raw[i].name);
		m++;
	}
	*out = syms;
	*nout = m;
	free(raw);
}

static void read_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, ms_elfobj *e, ms_strtab *names)
{
	read_symbols_of(elf, scn, sh, names, false, &e->syms, &e->nsyms);
}

/* ---- notes and sections --------------------------------------------------- */

static void read_build_id(Elf_Data *data, ms_elfobj *e)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type != NT_GNU_BUILD_ID_TYPE || nh.n_namesz != 4 ||
			memcmp((const char *)data->d_buf + name_off, "GNU", 4) != 0 || nh.n_descsz == 0 ||
			nh.n_descsz > 64)
			continue;
		const unsigned char *d = (const unsigned char *)data->d_buf + desc_off;
		e->build_id = ms_xmalloc(2 * nh.n_descsz + 1);
		for (size_t i = 0; i < nh.n_descsz; i++) {
			static const char hex[] = "0123456789abcdef";
			e->build_id[2 * i] = hex[d[i] >> 4];
			e->build_id[2 * i + 1] = hex[d[i] & 15];
		}
		e->build_id[2 * nh.n_descsz] = '\0';
		return;
	}
}

/* .gnu_debuglink: a NUL-terminated file name, padding to 4 bytes, a CRC-32
 * of the debug file (little or big endian as the ELF file). */
static void read_debuglink(Elf *elf, Elf_Data *data, ms_elfobj *e)
{
	const char *d = data->d_buf;
	size_t n = data->d_size;
	size_t len = d ? strnlen(d, n) : n;
	if (len == 0 || len == n)
		return;
	size_t crc_off = (len + 4) & ~(size_t)3;
	if (crc_off + 4 > n)
		return;
	const unsigned char *c = (const unsigned char *)d + crc_off;
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh))
		return;
	if (eh.e_ident[EI_DATA] == ELFDATA2MSB)
		e->debuglink_crc = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
	else
		e->debuglink_crc = (uint32_t)c[3] << 24 | (uint32_t)c[2] << 16 | (uint32_t)c[1] << 8 | c[0];
	e->debuglink = ms_xstrdup(d);
}

/* Records why the DWARF of e cannot be trusted; the first reason stays. */
static void dwarf_problem(ms_elfobj *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dwarf_problem(ms_elfobj *e, const char *fmt, ...)
{
	if (e->dwarf_problem)
		return;
	ms_buf m = MS_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	ms_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	e->dwarf_problem = ms_buf_detach(&m, NULL);
}

/* A section's bytes, decompressed if SHF_COMPRESSED (libelf does it in
 * place); NULL with e->dwarf_problem set when that fails. */
static const unsigned char *section_bytes(Elf_Scn *scn, const GElf_Shdr *sh, const char *name, ms_elfobj *e,
	uint64_t *size)
{
	if ((sh->sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0) {
		dwarf_problem(e, "cannot decompress %s: %s", name, elf_errmsg(-1));
		return NULL;
	}
	/* the file's bytes, as libdwarf reads them: elf_getdata would translate
	 * a section whose type was changed (SHT_DYNAMIC: Dyn records, the size
	 * rounded down to whole records), hiding what libdwarf then trips on */
	Elf_Data *d = (sh->sh_flags & SHF_COMPRESSED) ? elf_getdata(scn, NULL) : elf_rawdata(scn, NULL);
	if (!d || !d->d_buf)
		return NULL;
	*size = d->d_size;
	return d->d_buf;
}

/* libdwarf 20210528 mishandles some corrupt DWARF (dwarfcheck.c): the
 * sections it would read are checked first, while no problem is known.
 * One section with one of dwarfcheck.h's single-section checks; `what`
 * follows the name in the message (" header" for the lists). */
typedef const char *section_check(const unsigned char *d, uint64_t size, bool msb, uint64_t *at);

static void check_section(Elf_Scn *scn, const GElf_Shdr *sh, const char *name, const char *what, section_check *check,
	bool msb, ms_elfobj *e)
{
	uint64_t size = 0, at = 0;
	const unsigned char *d = e->dwarf_problem ? NULL : section_bytes(scn, sh, name, e, &size);
	const char *why = d ? check(d, size, msb, &at) : NULL;
	if (why)
		dwarf_problem(e, "malformed %s%s at offset %llu: %s", name, what, (unsigned long long)at, why);
}

static void check_dwarf_info(Elf_Scn *info, const GElf_Shdr *info_sh, Elf_Scn *abbrev, const GElf_Shdr *abbrev_sh,
	bool msb, ms_elfobj *e)
{
	uint64_t isize = 0, asize = 0, at = 0;
	const unsigned char *i = section_bytes(info, info_sh, ".debug_info", e, &isize);
	const unsigned char *a = i && abbrev ? section_bytes(abbrev, abbrev_sh, ".debug_abbrev", e, &asize) : NULL;
	if (!i || e->dwarf_problem)
		return;
	const char *why = ms_dwarf_check_info(i, isize, a ? a : (const unsigned char *)"", a ? asize : 0, msb, &at);
	if (why)
		dwarf_problem(e, "malformed .debug_info at offset %llu: %s", (unsigned long long)at, why);
}

static int read_elf(Elf *elf, uint64_t file_size, ms_elfobj *e, ms_strtab *names, ms_err *err)
{
	if (elf_kind(elf) != ELF_K_ELF)
		return ms_seterr(err, "'%s': not an ELF file", e->path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh))
		return ms_seterr(err, "'%s': bad ELF header: %s", e->path, elf_errmsg(-1));
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return ms_seterr(err, "'%s': not an executable or shared library (ELF type %u)", e->path,
			(unsigned)eh.e_type);
	e->is_dyn = eh.e_type == ET_DYN;
	/* libelf quietly shows no sections or segments when their tables lie
	 * past the end of the file: that is a corrupt file, say so */
	if ((eh.e_shoff && (eh.e_shoff > file_size || (uint64_t)eh.e_shnum * eh.e_shentsize > file_size - eh.e_shoff)) ||
		(eh.e_phoff && (eh.e_phoff > file_size || (uint64_t)eh.e_phnum * eh.e_phentsize > file_size - eh.e_phoff)))
		return ms_seterr(err, "'%s': bad ELF: header tables past the end of the file (%llu bytes)", e->path,
			(unsigned long long)file_size);

	size_t nph;
	if (elf_getphdrnum(elf, &nph) != 0)
		return ms_seterr(err, "'%s': bad ELF program headers: %s", e->path, elf_errmsg(-1));
	e->segs = ms_xcalloc(nph ? nph : 1, sizeof *e->segs);
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph))
			return ms_seterr(err, "'%s': bad ELF program header %zu: %s", e->path, i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		e->segs[e->nsegs++] =
			(ms_elf_segment){ ph.p_vaddr, ph.p_offset, ph.p_filesz, ph.p_memsz, ph.p_align, ph.p_flags };
		if ((ph.p_flags & PF_X) && ph.p_filesz == 0 && ph.p_memsz > 0)
			e->debug_only = true;
	}

	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return ms_seterr(err, "'%s': bad ELF section header string table: %s", e->path, elf_errmsg(-1));
	Elf_Scn *symtab = NULL, *dynsym = NULL, *info = NULL, *abbrev = NULL, *line = NULL;
	GElf_Shdr symtab_sh, dynsym_sh, info_sh = { 0 }, abbrev_sh = { 0 }, line_sh = { 0 };
	bool msb = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	char *past_end = NULL;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh)) {
			free(past_end);
			return ms_seterr(err, "'%s': bad ELF section header: %s", e->path, elf_errmsg(-1));
		}
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			name = "";
		/* libdwarf 20210528 frees twice in dwarf_load_rnglists when a DWARF
		 * section has another type (SHT_DYNAMIC, found by the fuzzer) */
		if (sh.sh_size > 0 && sh.sh_type != SHT_PROGBITS && sh.sh_type != SHT_NOBITS &&
			(strncmp(name, ".debug_", 7) == 0 || strncmp(name, ".zdebug_", 8) == 0))
			dwarf_problem(e, "%s has section type %u, not PROGBITS", name, (unsigned)sh.sh_type);
		/* libdwarf 20210528 loads every SHT_GROUP section (and others) by
		 * its header's size, before reading any DWARF: a size past the end
		 * of the file becomes a malloc of that size (1.7 TB, found by the
		 * fuzzer) */
		if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > file_size || sh.sh_size > file_size - sh.sh_offset) &&
			!past_end) {
			ms_buf m = MS_BUF_INIT; /* said after the loop, if nothing more specific is */
			ms_buf_addf(&m, "section %s (type %u) runs past the end of the file (offset %llu, size %llu, %llu bytes)",
				name, (unsigned)sh.sh_type, (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size,
				(unsigned long long)file_size);
			past_end = ms_buf_detach(&m, NULL);
		}
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			symtab_sh = sh;
		} else if (sh.sh_type == SHT_DYNSYM && !dynsym) {
			dynsym = scn;
			dynsym_sh = sh;
		} else if (sh.sh_type == SHT_NOTE && !e->build_id) {
			Elf_Data *d = elf_getdata(scn, NULL);
			if (d)
				read_build_id(d, e);
		} else if (sh.sh_type != SHT_NOBITS && sh.sh_size > 0 && strcmp(name, ".gnu_debuglink") == 0) {
			Elf_Data *d = elf_getdata(scn, NULL);
			if (d)
				read_debuglink(elf, d, e);
		} else if (sh.sh_type != SHT_NOBITS && sh.sh_size > 0 &&
			(strcmp(name, ".debug_info") == 0 || strcmp(name, ".zdebug_info") == 0)) {
			e->has_dwarf = true;
			if (name[1] == 'd' && !info) {
				info = scn;
				info_sh = sh;
			}
		} else if (sh.sh_type != SHT_NOBITS && strcmp(name, ".debug_abbrev") == 0 && !abbrev) {
			abbrev = scn;
			abbrev_sh = sh;
		} else if (sh.sh_type != SHT_NOBITS && strcmp(name, ".debug_line") == 0 && !line) {
			line = scn;
			line_sh = sh;
		} else if (sh.sh_size > 0 && (strcmp(name, ".debug_rnglists") == 0 || strcmp(name, ".debug_loclists") == 0)) {
			if (sh.sh_type == SHT_NOBITS) /* libdwarf reads the file bytes at sh_offset anyway */
				dwarf_problem(e, "%s has no contents in the file (NOBITS)", name);
			else
				check_section(scn, &sh, name, " header", ms_dwarf_check_lists, msb, e);
		}
	}
	if (info && !e->dwarf_problem)
		check_dwarf_info(info, &info_sh, abbrev, &abbrev_sh, msb, e);
	if (info && line)
		check_section(line, &line_sh, ".debug_line", "", ms_dwarf_check_line, msb, e);
	if (past_end && !e->dwarf_problem)
		e->dwarf_problem = past_end; /* libdwarf must not see this file */
	else
		free(past_end);
	if (symtab) {
		read_symbols(elf, symtab, &symtab_sh, e, names);
		e->syms_from_symtab = true;
		read_symbols_of(elf, symtab, &symtab_sh, names, true, &e->data_syms, &e->ndata_syms);
	}
	if (!e->nsyms && dynsym) {
		free(e->syms);
		e->syms = NULL;
		read_symbols(elf, dynsym, &dynsym_sh, e, names);
		e->syms_from_symtab = false;
	}
	return 0;
}

ms_elfobj *ms_elfobj_open(const char *path, ms_strtab *names, ms_err *err)
{
	/* regular files only, and never blocking in open(): a mapping may
	 * name a FIFO or a device */
	int fd = ms_open_input(path, 1, err);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		ms_seterr(err, "cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		close(fd);
		ms_seterr(err, "libelf is unusable: %s", elf_errmsg(-1));
		return NULL;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		close(fd);
		ms_seterr(err, "'%s': bad ELF: %s", path, elf_errmsg(-1));
		return NULL;
	}
	ms_elfobj *e = ms_xcalloc(1, sizeof *e);
	e->path = ms_xstrdup(path);
	int rc = read_elf(elf, (uint64_t)st.st_size, e, names, err);
	elf_end(elf);
	close(fd);
	if (rc < 0) {
		ms_elfobj_free(e);
		return NULL;
	}
	return e;
}

void ms_elfobj_free(ms_elfobj *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->build_id);
	free(e->debuglink);
	free(e->dwarf_problem);
	free(e->segs);
	free(e->syms);
	free(e->data_syms);
	free(e);
}

/* ---- lookups -------------------------------------------------------------- */

bool ms_elfobj_offset_to_vaddr(const ms_elfobj *e, uint64_t off, uint64_t *vaddr)
{
	for (size_t i = 0; i < e->nsegs; i++) {
		const ms_elf_segment *s = &e->segs[i];
		if (off >= s->offset && off - s->offset < s->filesz) {
			*vaddr = off - s->offset + s->vaddr;
			return true;
		}
	}
	return false;
}

bool ms_elfobj_mapped_to_vaddr(const ms_elfobj *e, uint64_t addr, uint64_t map_start, uint64_t *vaddr)
{
	if (addr < map_start)
		return false;
	for (size_t i = 0; i < e->nsegs; i++) {
		const ms_elf_segment *s = &e->segs[i];
		if (!(s->flags & PF_X))
			continue;
		uint64_t align = s->align && !(s->align & (s->align - 1)) ? s->align : 4096;
		uint64_t v = addr - map_start + (s->vaddr & ~(align - 1));
		if (v >= s->vaddr && v - s->vaddr < s->memsz) {
			*vaddr = v;
			return true;
		}
	}
	return false;
}

/* Index + 1 of the last symbol with addr <= vaddr, 0 when none. */
static size_t last_at_or_below(const ms_elf_symbol *syms, size_t n, uint64_t vaddr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const ms_elf_symbol *ms_elfobj_symbol_at(const ms_elfobj *e, uint64_t vaddr)
{
	size_t lo = last_at_or_below(e->syms, e->nsyms, vaddr);
	if (lo == 0)
		return NULL;
	const ms_elf_symbol *s = &e->syms[lo - 1];
	if (s->size)
		return vaddr - s->addr < s->size ? s : NULL;
	/* a zero-size symbol (hand-written assembly) runs to the next symbol
	 * or the end of its segment, whichever comes first */
	if (lo < e->nsyms && vaddr >= e->syms[lo].addr)
		return NULL;
	for (size_t i = 0; i < e->nsegs; i++) {
		const ms_elf_segment *g = &e->segs[i];
		if (s->addr >= g->vaddr && s->addr - g->vaddr < g->memsz)
			return vaddr - g->vaddr < g->memsz ? s : NULL;
	}
	return NULL;
}

const ms_elf_symbol *ms_elfobj_data_symbol_at(const ms_elfobj *e, uint64_t vaddr)
{
	size_t lo = last_at_or_below(e->data_syms, e->ndata_syms, vaddr);
	if (lo == 0)
		return NULL;
	const ms_elf_symbol *s = &e->data_syms[lo - 1];
	return vaddr - s->addr < (s->size ? s->size : 1) ? s : NULL;
}
