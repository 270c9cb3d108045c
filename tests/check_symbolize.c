/* check_symbolize.c — tests of src/symbolize/ on real binaries.
 *
 * Before the suite runs, main() compiles testdata/symbolize/prog.c and
 * lib.c with the system compiler (gcc -g -O2; the functions marked
 * always_inline are inlined two levels deep) into several variants in a
 * temporary directory — PIE, non-PIE, DWARF 4, clang when present, stripped
 * with a debug file by build-id, stripped with a .gnu_debuglink, symbol
 * table only, a shared library — runs them, and turns the addresses they
 * print into profiles with tools/bench/addr-profile. The expected frames
 * come from "@marker" comments in the sources (function names and lines
 * known by construction) and, when binutils is installed, from
 * `addr2line -i -f` on every byte of every function. Without a compiler the
 * suite is skipped (exit 77). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile/load.h"
#include "profile/pprof.h"
#include "symbolize/dwarfcheck.h"
#include "symbolize/elfobj.h"
#include "symbolize/symbolize.h"

/* Set once in main() before the suite forks its tests. */
static char tmp[256];
static char src[1024];       /* testdata/symbolize in the source tree */
static char addr_profile[1024];
static int have_addr2line, have_clang;

/* ---- helpers ---------------------------------------------------------------- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static char *slurp(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[n] = '\0';
	pclose(f);
	return buf;
}

/* Line number of the first line of a source file containing text. */
static int64_t line_of(const char *file, const char *text)
{
	char path[2048], line[1024];
	snprintf(path, sizeof path, "%s/%s", src, file);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	int64_t n = 0, found = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, text)) {
			found = n;
			break;
		}
	}
	fclose(f);
	ck_assert_msg(found, "no '%s' in %s", text, file);
	return found;
}

/* Runs a variant and makes its profile (locations: inner, main, lib, plain). */
static ms_profile *run_profile(const char *variant)
{
	char out[512];
	snprintf(out, sizeof out, "%s/%s.pb.gz", tmp, variant);
	int rc = sh("cd %s && ./%s > %s.out && %s --run %s < %s.out", tmp, variant, variant, addr_profile, out, variant);
	ck_assert_int_eq(rc, 0);
	ms_err err;
	ms_load_opts lo = { 0 };
	ms_profile *p = ms_profile_load(out, &lo, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	ck_assert_uint_eq(p->nlocations, 4);
	return p;
}

static int symbolize(ms_profile *p, const char *debug_dir, ms_symbolize_result *res)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/%s", tmp, debug_dir ? debug_dir : "no-debug-dir");
	const char *dirs[] = { dir };
	ms_symbolize_opts o = { dirs, 1, false, false, false, 0 };
	ms_err err;
	int rc = ms_symbolize_profile(p, &o, res, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	return rc;
}

typedef struct frame {
	const char *function, *file; /* file: suffix of the path */
	int64_t line;
} frame;

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void check_location(const ms_profile *p, size_t i, const frame *want, size_t n)
{
	const ms_location *loc = &p->locations[i];
	ck_assert_msg(loc->nlines == n, "location %zu has %u lines, want %zu", i, loc->nlines, n);
	for (size_t k = 0; k < n; k++) {
		const ms_line *ln = &p->lines[loc->line_off + k];
		const ms_function *f = &p->functions[ln->function];
		const char *name = ms_profile_string(p, f->name);
		const char *file = ms_profile_string(p, f->filename);
		ck_assert_msg(strcmp(name, want[k].function) == 0, "location %zu frame %zu: %s, want %s", i, k, name,
			want[k].function);
		ck_assert_msg(ends_with(file, want[k].file), "location %zu frame %zu: file %s, want *%s", i, k, file,
			want[k].file);
		ck_assert_msg(ln->line == want[k].line, "location %zu frame %zu (%s): line %" PRId64 ", want %" PRId64, i,
			k, name, ln->line, want[k].line);
	}
}

/* The four sites of prog.c with full debug info. */
static void check_prog_sites(const ms_profile *p)
{
	frame inner[] = {
		{ "inner", "/prog.c", line_of("prog.c", "@inner-call") },
		{ "middle", "/prog.c", line_of("prog.c", "@middle-call") },
		{ "outer", "/prog.c", line_of("prog.c", "@outer-call") },
	};
	frame mainf[] = { { "main", "/prog.c", line_of("prog.c", "@main-call") } };
	frame lib[] = {
		{ "lib_inner", "/lib.c", line_of("lib.c", "@lib-inner-call") },
		{ "lib_outer", "/lib.c", line_of("lib.c", "@lib-outer-call") },
	};
	frame plain[] = { { "plain_static", "/prog.c", line_of("prog.c", "@plain-call") } };
	check_location(p, 0, inner, 3);
	check_location(p, 1, mainf, 1);
	check_location(p, 2, lib, 2);
	check_location(p, 3, plain, 1);
}

static const ms_mapping *mapping_of(const ms_profile *p, size_t loc)
{
	ck_assert_uint_ne(p->locations[loc].mapping, MS_NONE);
	return &p->mappings[p->locations[loc].mapping];
}

static void check_variant(const char *variant)
{
	ms_profile *p = run_profile(variant);
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 4);
	ck_assert_uint_eq(res.unresolved, 0);
	ck_assert_uint_eq(res.binaries, 2);
	check_prog_sites(p);
	const ms_mapping *m = mapping_of(p, 0);
	ck_assert(m->has_functions && m->has_filenames && m->has_line_numbers && m->has_inline_frames);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}

/* Build-id of a file, read with the library's own ELF reader. */
static char *build_id_of(const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, file);
	ms_strtab names;
	ms_strtab_init(&names);
	ms_err err;
	ms_elfobj *e = ms_elfobj_open(path, &names, &err);
	ck_assert_msg(e != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(e->build_id);
	char *id = strdup(e->build_id);
	ms_elfobj_free(e);
	ms_strtab_free(&names);
	return id;
}

/* ---- variants -------------------------------------------------------------- */

START_TEST(test_pie) { check_variant("prog-pie"); }
END_TEST

START_TEST(test_nopie) { check_variant("prog-nopie"); }
END_TEST

START_TEST(test_dwarf4) { check_variant("prog-dw4"); }
END_TEST

/* prog-reldir's files are ./string/prog.c (DW_AT_comp_dir joined with the
 * name, DWARF 5 §6.2.4.1: directory 0 is the compilation directory), not
 * string/string/prog.c (the directory joined twice, as libdwarf 20210528,
 * addr2line and llvm-symbolizer do) */
START_TEST(test_relative_comp_dir)
{
	check_variant("prog-reldir");
	ms_profile *p = run_profile("prog-reldir");
	symbolize(p, NULL, NULL);
	const ms_location *loc = &p->locations[0];
	const ms_function *f = &p->functions[p->lines[loc->line_off].function];
	const char *file = ms_profile_string(p, f->filename);
	if (strncmp(file, "./", 2) == 0)
		file += 2;
	ck_assert_str_eq(file, "string/prog.c");
	ms_profile_free(p);
}
END_TEST

START_TEST(test_clang)
{
	if (have_clang)
		check_variant("prog-clang");
}
END_TEST

START_TEST(test_function_decl)
{
	ms_profile *p = run_profile("prog-pie");
	symbolize(p, NULL, NULL);
	/* outer is the last frame of the inner site; its Function starts at
	 * its declaration */
	const ms_location *loc = &p->locations[0];
	const ms_function *f = &p->functions[p->lines[loc->line_off + 2].function];
	ck_assert_str_eq(ms_profile_string(p, f->name), "outer");
	ck_assert_str_eq(ms_profile_string(p, f->system_name), "outer");
	ck_assert_int_eq(f->start_line, line_of("prog.c", "void outer(int x)"));
	const ms_function *g = &p->functions[p->lines[loc->line_off + 0].function];
	ck_assert_int_eq(g->start_line, line_of("prog.c", "void inner(int x)"));
	ms_profile_free(p);
}
END_TEST

/* ---- separate debug files ------------------------------------------------------ */

START_TEST(test_build_id_debug_dir)
{
	ms_profile *p = run_profile("prog-stripped");
	ms_symbolize_result res;
	symbolize(p, "debug", &res);
	ck_assert_uint_eq(res.resolved, 4);
	check_prog_sites(p);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);

	/* without the debug directory: the stripped executable has no
	 * symbols at all; only the library's site resolves */
	p = run_profile("prog-stripped");
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 1);
	ck_assert_uint_eq(res.unresolved, 3);
	ck_assert_ptr_nonnull(res.notes);
	ck_assert_ptr_nonnull(strstr(res.notes, "prog-stripped': no debug info found"));
	ck_assert_ptr_nonnull(strstr(res.notes, "3 locations left unresolved"));
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}
END_TEST

/* The binary is gone but the mapping carries its build-id: the debug file
 * alone (its program headers and DWARF) is enough. */
START_TEST(test_build_id_without_binary)
{
	ms_profile *p = run_profile("prog-stripped");
	char *id = build_id_of("prog-stripped");
	uint32_t gone = ms_profile_str(p, "/nonexistent/prog-stripped");
	uint32_t bid = ms_profile_str(p, id);
	for (size_t i = 0; i < p->nmappings; i++)
		if (ends_with(ms_profile_string(p, p->mappings[i].filename), "/prog-stripped")) {
			p->mappings[i].filename = gone;
			p->mappings[i].build_id = bid;
		}
	ms_symbolize_result res;
	symbolize(p, "debug", &res);
	ck_assert_uint_eq(res.resolved, 4);
	check_prog_sites(p);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
	free(id);
}
END_TEST

/* A mapping whose build-id is not the file's: the file changed since the
 * profile was taken and must not be used. */
START_TEST(test_build_id_mismatch)
{
	ms_profile *p = run_profile("prog-pie");
	uint32_t bid = ms_profile_str(p, "0123456789abcdef0123456789abcdef01234567");
	for (size_t i = 0; i < p->nmappings; i++)
		if (ends_with(ms_profile_string(p, p->mappings[i].filename), "/prog-pie"))
			p->mappings[i].build_id = bid;
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 1); /* the library site */
	ck_assert_ptr_nonnull(res.notes);
	ck_assert_ptr_nonnull(strstr(res.notes, "the profile expects 0123456789abcdef"));
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_debuglink)
{
	ms_profile *p = run_profile("prog-dl");
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 4);
	check_prog_sites(p);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}
END_TEST

/* A debuglink target with the right name but another file's contents (CRC
 * mismatch) is ignored. */
START_TEST(test_debuglink_bad_crc)
{
	ms_profile *p = run_profile("prog-dlbad");
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 1);
	ck_assert_uint_eq(res.unresolved, 3);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}
END_TEST

/* ---- without DWARF ------------------------------------------------------------- */

START_TEST(test_symtab_only)
{
	ms_profile *p = run_profile("prog-symtab");
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 4);
	/* no inline information: the site in inlined code is its container */
	frame inner[] = { { "outer", "", 0 } };
	frame mainf[] = { { "main", "", 0 } };
	frame plain[] = { { "plain_static", "", 0 } };
	check_location(p, 0, inner, 1);
	check_location(p, 1, mainf, 1);
	check_location(p, 3, plain, 1);
	const ms_mapping *m = mapping_of(p, 0);
	ck_assert(m->has_functions);
	ck_assert(!m->has_filenames && !m->has_line_numbers && !m->has_inline_frames);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}
END_TEST

/* A fully stripped shared library: names from .dynsym. */
START_TEST(test_dynsym_only)
{
	ms_profile *p = run_profile("prog-pie");
	const ms_location *loc = &p->locations[2];
	const ms_mapping *m = mapping_of(p, 2);
	uint64_t vaddr = loc->address - m->start + m->offset; /* libsym's text: vaddr == offset */
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	ms_symframe fr[8];
	ms_err err;
	char path[512];
	snprintf(path, sizeof path, "%s/libsym-stripped.so", tmp);
	int n = ms_symbolizer_lookup(s, path, NULL, vaddr, fr, 8, &err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(fr[0].function, "lib_outer");
	ck_assert_str_eq(fr[0].file, "");
	/* with DWARF, the same address is two frames */
	snprintf(path, sizeof path, "%s/libsym.so", tmp);
	n = ms_symbolizer_lookup(s, path, NULL, vaddr, fr, 8, &err);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(fr[0].function, "lib_inner");
	ck_assert_str_eq(fr[1].function, "lib_outer");
	ck_assert_int_eq(fr[1].line, line_of("lib.c", "@lib-outer-call"));
	/* and the no_dwarf option falls back to the symbol table */
	ms_symbolizer_free(s);
	ms_symbolize_opts o = { NULL, 0, false, false, true, 0 };
	s = ms_symbolizer_new(&o);
	n = ms_symbolizer_lookup(s, path, NULL, vaddr, fr, 8, &err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(fr[0].function, "lib_outer");
	ms_symbolizer_free(s);
	ms_profile_free(p);
}
END_TEST

/* ---- the profile pass ------------------------------------------------------------ */

/* Go profiles come symbolized: nothing changes, byte for byte. */
START_TEST(test_go_profile_untouched)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/../go1.19/heap.4.pb.gz", src);
	ms_err err;
	ms_load_opts lo = { 0 };
	ms_profile *p = ms_profile_load(path, &lo, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	ms_buf before = MS_BUF_INIT, after = MS_BUF_INIT;
	ck_assert_int_eq(ms_pprof_encode(p, &before, &err), 0);
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.symbolized, p->nlocations);
	ck_assert_uint_eq(res.resolved, 0);
	ck_assert_ptr_null(res.notes);
	ck_assert_int_eq(ms_pprof_encode(p, &after, &err), 0);
	ck_assert_uint_eq(before.len, after.len);
	ck_assert(memcmp(before.data, after.data, before.len) == 0);
	ms_buf_free(&before);
	ms_buf_free(&after);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_idempotent_and_force)
{
	ms_profile *p = run_profile("prog-pie");
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	size_t nfunctions = p->nfunctions, nlines = p->nlines;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.resolved, 0);
	ck_assert_uint_eq(res.symbolized, 4);
	ck_assert_uint_eq(p->nlines, nlines);
	const char *dirs[] = { "/nonexistent" };
	ms_symbolize_opts o = { dirs, 1, true, false, false, 0 };
	ms_err err;
	ck_assert_int_eq(ms_symbolize_profile(p, &o, &res, &err), 0);
	ck_assert_uint_eq(res.resolved, 4);
	ck_assert_uint_eq(p->nfunctions, nfunctions); /* the same functions, not new copies */
	ck_assert_uint_eq(p->nlines, nlines);
	check_prog_sites(p);
	ms_profile_free(p);
}
END_TEST

/* Raw return addresses (one past the call) with return_addresses set give
 * the frames of the call. */
START_TEST(test_return_addresses)
{
	ms_profile *p = run_profile("prog-pie");
	for (size_t i = 0; i < p->nlocations; i++)
		p->locations[i].address += 1;
	const char *dirs[] = { "/nonexistent" };
	ms_symbolize_opts o = { dirs, 1, false, true, false, 0 };
	ms_err err;
	ck_assert_int_eq(ms_symbolize_profile(p, &o, NULL, &err), 0);
	check_prog_sites(p);
	ms_profile_free(p);
}
END_TEST

/* Symbolized profiles survive the pprof writer and reader. */
START_TEST(test_pprof_roundtrip)
{
	ms_profile *p = run_profile("prog-pie");
	symbolize(p, NULL, NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/roundtrip.pb.gz", tmp);
	ms_err err;
	ck_assert_int_eq(ms_pprof_write_file(p, path, 0, &err), 0);
	ms_profile_free(p);
	ms_load_opts lo = { 0 };
	p = ms_profile_load(path, &lo, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	check_prog_sites(p);
	const ms_mapping *m = mapping_of(p, 2);
	ck_assert(m->has_functions && m->has_inline_frames);
	ms_profile_free(p);
}
END_TEST

/* A symbolizer keeps its binaries: a second profile resolves even after
 * the files are gone. */
START_TEST(test_cache_across_profiles)
{
	ck_assert_int_eq(sh("cd %s && cp prog-pie prog-cache && ./prog-pie | sed 's|/prog-pie$|/prog-cache|' > "
			    "prog-cache.out && %s --run prog-cache.pb.gz < prog-cache.out",
			     tmp, addr_profile),
		0);
	char path[512];
	snprintf(path, sizeof path, "%s/prog-cache.pb.gz", tmp);
	ms_err err;
	ms_load_opts lo = { 0 };
	ms_profile *a = ms_profile_load(path, &lo, &err), *b = ms_profile_load(path, &lo, &err);
	ck_assert(a && b);
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	ms_symbolize_result res;
	ck_assert_int_eq(ms_symbolizer_run(s, a, &res, &err), 0);
	ck_assert_uint_eq(res.resolved, 4);
	snprintf(path, sizeof path, "%s/prog-cache", tmp);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(ms_symbolizer_run(s, b, &res, &err), 0);
	ck_assert_uint_eq(res.resolved, 4);
	check_prog_sites(b);
	ms_symbolizer_free(s);
	ms_profile_free(a);
	ms_profile_free(b);
}
END_TEST

/* Locations without a mapping or address are counted, not looked up. */
START_TEST(test_no_mapping)
{
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "alloc_space", "bytes");
	ms_location loc = { 0 };
	loc.mapping = MS_NONE;
	loc.address = 0x1234;
	uint32_t l = ms_profile_add_location(p, &loc, NULL, 0);
	int64_t v = 1;
	ms_profile_add_sample(p, &l, 1, &v, NULL, 0);
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_uint_eq(res.no_address, 1);
	ck_assert_uint_eq(res.resolved + res.unresolved, 0);
	ms_profile_free(p);
}
END_TEST

/* ---- against addr2line ---------------------------------------------------------- */

/* Compares every byte of every function of a binary with
 * `addr2line -a -i -f`: the same frames, names and file:line. */
static void compare_with_addr2line(const char *file)
{
	if (!have_addr2line)
		return;
	char path[512], addrs[512];
	snprintf(path, sizeof path, "%s/%s", tmp, file);
	snprintf(addrs, sizeof addrs, "%s/%s.addrs", tmp, file);
	ms_strtab names;
	ms_strtab_init(&names);
	ms_err err;
	ms_elfobj *e = ms_elfobj_open(path, &names, &err);
	ck_assert_msg(e != NULL, "%s", err.msg);
	FILE *f = fopen(addrs, "w");
	ck_assert_ptr_nonnull(f);
	size_t n = 0;
	for (size_t i = 0; i < e->nsyms; i++)
		for (uint64_t a = e->syms[i].addr; a < e->syms[i].addr + e->syms[i].size; a++, n++)
			fprintf(f, "%#" PRIx64 "\n", a);
	fclose(f);
	ck_assert_uint_gt(n, 20);
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
		"addr2line -a -i -f -e %s < %s | sed 's/ (discriminator [0-9]*)//; s/:?$/:0/'", path, addrs);
	char *want = slurp(cmd);
	ck_assert_ptr_nonnull(want);
	ms_buf got = MS_BUF_INIT;
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	for (size_t i = 0; i < e->nsyms; i++)
		for (uint64_t a = e->syms[i].addr; a < e->syms[i].addr + e->syms[i].size; a++) {
			ms_symframe fr[64];
			int k = ms_symbolizer_lookup(s, path, NULL, a, fr, 64, &err);
			ck_assert_int_ge(k, 0);
			ms_buf_addf(&got, "0x%016" PRIx64 "\n", a);
			if (k == 0)
				ms_buf_addstr(&got, "??\n??:0\n");
			for (int j = 0; j < k; j++)
				ms_buf_addf(&got, "%s\n%s:%" PRId64 "\n", fr[j].function, *fr[j].file ? fr[j].file : "??",
					fr[j].line);
		}
	/* report the first differing address */
	const char *w = want, *g = got.data;
	size_t line = 1;
	while (*w && *w == *g) {
		if (*w == '\n')
			line++;
		w++, g++;
	}
	ck_assert_msg(*w == *g, "%s differs from addr2line at output line %zu: want '%.60s' got '%.60s'", file, line,
		w, g);
	ms_symbolizer_free(s);
	ms_buf_free(&got);
	free(want);
	ms_elfobj_free(e);
	ms_strtab_free(&names);
}

START_TEST(test_addr2line_pie) { compare_with_addr2line("prog-pie"); }
END_TEST
START_TEST(test_addr2line_nopie) { compare_with_addr2line("prog-nopie"); }
END_TEST
START_TEST(test_addr2line_dwarf4) { compare_with_addr2line("prog-dw4"); }
END_TEST
START_TEST(test_addr2line_lib) { compare_with_addr2line("libsym.so"); }
END_TEST
START_TEST(test_addr2line_clang)
{
	if (have_clang)
		compare_with_addr2line("prog-clang");
}
END_TEST

/* ---- bad binaries ------------------------------------------------------------------ */

static void expect_lookup_error(const char *file, const char *msg)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, file);
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	ms_symframe fr[4];
	ms_err err;
	int n = ms_symbolizer_lookup(s, path, NULL, 0x1000, fr, 4, &err);
	ck_assert_msg(n == -1, "'%s': lookup returned %d", file, n);
	ck_assert_msg(strstr(err.msg, file) && strstr(err.msg, msg), "'%s': got '%s', want '%s'", file, err.msg, msg);
	ms_symbolizer_free(s);
}

START_TEST(test_corrupt_elf)
{
	expect_lookup_error("bad-text", "not an ELF file");
	expect_lookup_error("bad-empty", "not an ELF file");
	expect_lookup_error("bad-header-only", "bad ELF");
	expect_lookup_error("bad-shoff", "bad ELF");
	expect_lookup_error("bad-object.o", "not an executable or shared library");
	expect_lookup_error("does-not-exist", "cannot open");
	expect_lookup_error("a-directory", "not a regular file");
}
END_TEST

/* Garbage in the debug sections (the second half of the file) of every
 * variant: lookups at a few addresses in each function return something or
 * nothing, never crash, hang or leak (the ASan run's leak check sees
 * libdwarf's own error paths too: the one in dwarf_srcfiles was found by
 * this test on one source-path layout). Deterministic: a fixed LCG picks
 * the bytes, and the variants are built with fixed debug paths. */
static void garble_and_lookup(const char *variant, int rounds, uint64_t *seed)
{
	char path[512], copy[512];
	snprintf(path, sizeof path, "%s/%s", tmp, variant);
	snprintf(copy, sizeof copy, "%s/%s-garbled", tmp, variant);
	/* addresses: the start, middle and last byte of every function symbol */
	uint64_t vaddr[96];
	size_t nv = 0;
	{
		ms_strtab names;
		ms_strtab_init(&names);
		ms_err err;
		ms_elfobj *e = ms_elfobj_open(path, &names, &err);
		ck_assert_msg(e != NULL, "%s", err.msg);
		for (size_t i = 0; i < e->nsyms && nv + 3 <= 96; i++) {
			uint64_t lo = e->syms[i].addr, n = e->syms[i].size ? e->syms[i].size : 1;
			vaddr[nv++] = lo, vaddr[nv++] = lo + n / 2, vaddr[nv++] = lo + n - 1;
		}
		ms_elfobj_free(e);
		ms_strtab_free(&names);
	}
	ck_assert_uint_gt(nv, 0);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	size_t size = (size_t)st.st_size;
	unsigned char *orig = malloc(size), *buf = malloc(size);
	ck_assert_ptr_nonnull(orig);
	ck_assert_ptr_nonnull(buf);
	FILE *f = fopen(path, "rb");
	ck_assert_uint_eq(fread(orig, 1, size, f), size);
	fclose(f);
	for (int round = 0; round < rounds; round++) {
		memcpy(buf, orig, size);
		for (int k = 0; k < 8 + round % 40; k++) {
			*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t at = size / 2 + (size_t)((*seed >> 33) % (size / 2));
			buf[at] = (unsigned char)(*seed >> 17);
		}
		f = fopen(copy, "wb");
		ck_assert_uint_eq(fwrite(buf, 1, size, f), size);
		fclose(f);
		ms_symbolizer *s = ms_symbolizer_new(NULL);
		for (size_t i = 0; i < nv; i++) {
			ms_symframe fr[64];
			ms_err err;
			int n = ms_symbolizer_lookup(s, copy, NULL, vaddr[i], fr, 64, &err);
			ck_assert_int_le(n, 64);
		}
		ms_symbolizer_free(s);
	}
	free(buf);
	free(orig);
}

START_TEST(test_corrupt_dwarf)
{
	uint64_t seed = 12345;
	garble_and_lookup("prog-pie", 150, &seed);
	garble_and_lookup("prog-nopie", 100, &seed);
	garble_and_lookup("prog-dw4", 100, &seed);
	garble_and_lookup("libsym.so", 100, &seed);
	if (have_clang)
		garble_and_lookup("prog-clang", 100, &seed);
}
END_TEST

/* A DW_AT_sibling that points back at its own DIE (corrupt input seen in
 * the wild and made by the garbling above on some layouts): the DIE walk
 * must stop, not follow the chain for ever. The first depth-1 sibling
 * reference in objdump's listing is rewritten (DW_FORM_ref4, relative to
 * its unit) and the section put back with objcopy. */
START_TEST(test_sibling_loop)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "objdump --dwarf=info %s/prog-pie 2>/dev/null", tmp);
	char *listing = slurp(cmd);
	ck_assert_ptr_nonnull(listing);
	unsigned long cu = 0, die = 0, attr = 0;
	int depth = -1, found = 0;
	for (char *line = strtok(listing, "\n"); line && !found; line = strtok(NULL, "\n")) {
		unsigned long v;
		int d;
		if (sscanf(line, " Compilation Unit @ offset %lx", &v) == 1)
			cu = v;
		else if (sscanf(line, " <%d><%lx>:", &d, &v) == 2)
			depth = d, die = v;
		else if (depth == 1 && strstr(line, "DW_AT_sibling") && sscanf(line, " <%lx>", &v) == 1)
			attr = v, found = 1;
	}
	free(listing);
	ck_assert_msg(found, "no DW_AT_sibling at depth 1 in prog-pie");
	char bin[512];
	snprintf(bin, sizeof bin, "%s/sibling.bin", tmp);
	ck_assert_int_eq(sh("cd %s && objcopy --dump-section .debug_info=sibling.bin prog-pie /dev/null", tmp), 0);
	FILE *f = fopen(bin, "r+b");
	ck_assert_ptr_nonnull(f);
	uint32_t self = (uint32_t)(die - cu);
	unsigned char le[4] = { self & 0xff, (self >> 8) & 0xff, (self >> 16) & 0xff, self >> 24 };
	ck_assert_int_eq(fseek(f, (long)attr, SEEK_SET), 0);
	ck_assert_uint_eq(fwrite(le, 1, 4, f), 4);
	fclose(f);
	ck_assert_int_eq(sh("cd %s && objcopy --update-section .debug_info=sibling.bin prog-pie prog-sibloop", tmp), 0);

	ms_profile *p = run_profile("prog-pie");
	char path[512];
	snprintf(path, sizeof path, "%s/prog-sibloop", tmp);
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	for (size_t i = 0; i < 4 && i < p->nlocations; i++) {
		const ms_mapping *m = mapping_of(p, i);
		uint64_t vaddr = p->locations[i].address - m->start + m->offset;
		ms_symframe fr[64];
		ms_err err;
		int n = ms_symbolizer_lookup(s, path, NULL, vaddr, fr, 64, &err);
		ck_assert_int_le(n, 64);
	}
	ms_symbolizer_free(s);
	ms_profile_free(p);
}
END_TEST

/* prog-pie's copy `file`, whose DWARF libdwarf 20210528 would mishandle
 * (it frees memory twice on those error paths), is caught before libdwarf
 * sees it: the binary falls back to its symbol table, and the note says
 * why (`note`). */
static void check_symtab_fallback(const char *file, const char *note)
{
	ms_profile *p = run_profile("prog-pie");
	const ms_mapping *m = mapping_of(p, 0);
	uint64_t vaddr = p->locations[0].address - m->start + m->offset;
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, file);
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	ms_symframe fr[8];
	ms_err err;
	int n = ms_symbolizer_lookup(s, path, NULL, vaddr, fr, 8, &err);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(fr[0].function, "outer");
	ms_symbolizer_free(s);
	uint32_t bad = ms_profile_str(p, path);
	for (size_t i = 0; i < p->nmappings; i++)
		if (ends_with(ms_profile_string(p, p->mappings[i].filename), "/prog-pie"))
			p->mappings[i].filename = bad;
	ms_symbolize_result res;
	symbolize(p, NULL, &res);
	ck_assert_ptr_nonnull(res.notes);
	ck_assert_msg(strstr(res.notes, note), "%s", res.notes);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
}

/* A .debug_rnglists unit header of version 4 in a DWARF 5 section. */
START_TEST(test_bad_rnglists)
{
	check_symtab_fallback("bad-rnglists", "bad DWARF: malformed .debug_rnglists header at offset 0: version is not 5");
}
END_TEST

/* A .debug_rnglists of type NOBITS (found by the fuzzer: a renamed .bss):
 * libdwarf reads the file bytes at its offset anyway and rejects them as a
 * header. */
START_TEST(test_nobits_rnglists)
{
	check_symtab_fallback("nobits-rnglists", ".debug_rnglists has no contents in the file (NOBITS)");
}
END_TEST

/* testdata/symbolize/FILE, an input the fuzzer made from prog that
 * libdwarf 20210528 cannot take: the DWARF checks name the problem (want)
 * and lookups fall back to the symbol table, quickly and safely. */
static void check_fuzzer_input(const char *file, const char *want)
{
	char path[2048];
	snprintf(path, sizeof path, "%s/%s", src, file);
	ms_strtab names;
	ms_strtab_init(&names);
	ms_err err;
	ms_elfobj *e = ms_elfobj_open(path, &names, &err);
	ck_assert_msg(e != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(e->dwarf_problem);
	ck_assert_msg(strstr(e->dwarf_problem, want), "%s", e->dwarf_problem);
	ms_elfobj_free(e);
	ms_strtab_free(&names);
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	ms_symframe fr[8];
	for (uint64_t a = 0x1000; a < 0x1400; a += 0x40)
		ck_assert_int_le(ms_symbolizer_lookup(s, path, NULL, a, fr, 8, &err), 1);
	ms_symbolizer_free(s);
}

/* die-loop.elf: libdwarf loops for ever in dwarf_siblingof_b (a
 * DW_AT_sibling that points backwards inside a subtree libdwarf skips);
 * this case times out without the DIE check. */
START_TEST(test_die_loop)
{
	check_fuzzer_input("die-loop.elf", "malformed .debug_info at offset 654: DW_AT_sibling does not point forward");
}
END_TEST

/* line-dir.elf: a DWARF 5 line table whose first file names directory 6
 * of 6; libdwarf's dwarf_srcfiles reads past its directory array and
 * crashes while formatting the error. */
START_TEST(test_line_dir_index)
{
	check_fuzzer_input("line-dir.elf",
		"malformed .debug_line at offset 0: a file's directory index is past the directory table");
}
END_TEST

/* section-type.elf: .debug_rnglists of type SHT_DYNAMIC; libdwarf
 * 20210528 frees twice in dwarf_load_rnglists (ASan reports it). */
START_TEST(test_section_type)
{
	check_fuzzer_input("section-type.elf", ".debug_rnglists has section type 6, not PROGBITS");
}
END_TEST

/* section-size.elf: sections whose size runs past the end of the file
 * (an SHT_GROUP of 0x19700000000 bytes); libdwarf 20210528 mallocs a group
 * section's size while loading the section headers (ASan: allocation-size-
 * too-big). */
START_TEST(test_section_size)
{
	check_fuzzer_input("section-size.elf", "runs past the end of the file");
}
END_TEST

/* ms_dwarf_check_info on hand-made units: one DWARF 4 unit whose root
 * (abbreviation 1, with children) holds two leaves (abbreviation 2: a
 * DW_AT_sibling of form ref4, and DW_AT_name of a form given per case). */
static const char *check_unit(uint32_t sib1, uint32_t sib2, uint8_t name_form, uint8_t code2, uint64_t *at)
{
	const unsigned char abbrev[] = {
		1, 0x11, 1, 0, 0,                 /* 1: compile_unit, children, no attributes */
		2, 0x2e, 0, 0x01, 0x13, 0x03, name_form, 0, 0, /* 2: subprogram: sibling ref4, name */
		0,
	};
	unsigned char info[64];
	size_t n = 0;
	info[n++] = 0, info[n++] = 0, info[n++] = 0, info[n++] = 0; /* unit_length, set below */
	info[n++] = 4, info[n++] = 0;                                /* version 4 */
	info[n++] = 0, info[n++] = 0, info[n++] = 0, info[n++] = 0; /* abbrev offset */
	info[n++] = 8;                                               /* address size */
	info[n++] = 1;                                               /* root (offset 11) */
	uint32_t sibs[2] = { sib1, sib2 };
	for (int i = 0; i < 2; i++) {                                /* leaves: 12, 18 */
		info[n++] = i == 0 ? 2 : code2;
		for (int k = 0; k < 4; k++)
			info[n++] = (unsigned char)(sibs[i] >> (8 * k));
		info[n++] = 0x41; /* one byte of name: data1 or string "A" (then NUL) */
		if (name_form == 0x08)
			info[n++] = 0;
	}
	info[n++] = 0; /* end of the root's children */
	uint32_t len = (uint32_t)n - 4;
	info[0] = (unsigned char)len;
	return ms_dwarf_check_info(info, n, abbrev, sizeof abbrev, false, at);
}

START_TEST(test_dwarfcheck_units)
{
	uint64_t at = 0;
	/* well formed: leaves at 12 and 19 (string names), siblings forward */
	ck_assert_ptr_null(check_unit(19, 26, 0x08, 2, &at));
	ck_assert_ptr_null(check_unit(18, 24, 0x0b, 2, &at)); /* data1 names: leaves at 12, 18 */
	const char *why = check_unit(18, 12, 0x0b, 2, &at);    /* the second points back at the first */
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, "DW_AT_sibling does not point forward inside its unit");
	ck_assert_uint_eq(at, 18);
	why = check_unit(18, 18, 0x0b, 2, &at); /* at itself */
	ck_assert_str_eq(why, "DW_AT_sibling does not point forward inside its unit");
	why = check_unit(18, 400, 0x0b, 2, &at); /* past the unit */
	ck_assert_str_eq(why, "DW_AT_sibling does not point forward inside its unit");
	why = check_unit(18, 24, 0x7f, 2, &at); /* no form 0x7f */
	ck_assert_str_eq(why, "DIE uses a form that does not exist");
	ck_assert_uint_eq(at, 12);
	why = check_unit(18, 24, 0x0b, 9, &at); /* abbreviation 9 is not defined */
	ck_assert_str_eq(why, "DIE uses an abbreviation code that is not defined");
	ck_assert_uint_eq(at, 18);
	why = check_unit(18, 24, 0x0a, 2, &at); /* block1 of length 0x41: runs past the unit */
	ck_assert_str_eq(why, "DIE runs past the end of its unit");
}
END_TEST

/* ---- set-up ------------------------------------------------------------------------ */

static int build_variants(void)
{
	const char *cc = getenv("CC_FOR_TESTS") ? getenv("CC_FOR_TESTS") : "cc";
	/* fixed debug paths: the binaries' bytes do not depend on where the
	 * tree or the temporary directory is (the garbling test hits the same
	 * bytes everywhere) */
	char flags[2560];
	snprintf(flags, sizeof flags,
		"-g -O2 -fno-omit-frame-pointer -fdebug-prefix-map=%s=/memscope/testdata/symbolize "
		"-fdebug-prefix-map=%s=/tmp/ms-symbolize",
		src, tmp);
	/* the executables find libsym.so next to themselves */
	const char *link = "-L. -lsym -Wl,-rpath,'$ORIGIN'";
	if (sh("cd %s && %s %s -fPIC -shared %s/lib.c -o libsym.so", tmp, cc, flags, src) != 0)
		return -1;
	if (sh("cd %s && %s %s -fPIE -pie %s/prog.c -o prog-pie %s", tmp, cc, flags, src, link) != 0 ||
		sh("cd %s && %s %s -fno-pie -no-pie %s/prog.c -o prog-nopie %s", tmp, cc, flags, src, link) != 0 ||
		sh("cd %s && %s %s -gdwarf-4 -fPIE -pie %s/prog.c -o prog-dw4 %s", tmp, cc, flags, src, link) != 0)
		return -1;
	have_clang = sh("cd %s && clang %s %s/prog.c -o prog-clang %s 2>/dev/null", tmp, flags, src, link) == 0;
	/* DWARF 5 with a relative compilation directory, as Debian's glibc has
	 * (DW_AT_comp_dir "./string", directory 0 the same, file "strdup.c"):
	 * compiled from inside the source folder, its path mapped to ./string */
	if (sh("cd %s && %s -g -gdwarf-5 -O2 -fno-omit-frame-pointer -fdebug-prefix-map=%s=./string -fPIE -pie prog.c "
	       "-o %s/prog-reldir -L%s -lsym -Wl,-rpath,'$ORIGIN'",
		   src, cc, src, tmp, tmp) != 0)
		return -1;
	have_addr2line = sh("addr2line --version >/dev/null 2>&1") == 0;
	/* stripped, debug file by build-id under debug/ */
	char *id = NULL;
	{
		ms_strtab names;
		ms_strtab_init(&names);
		ms_err err;
		char path[512];
		snprintf(path, sizeof path, "%s/prog-pie", tmp);
		ms_elfobj *e = ms_elfobj_open(path, &names, &err);
		if (e && e->build_id)
			id = strdup(e->build_id);
		ms_elfobj_free(e);
		ms_strtab_free(&names);
	}
	if (!id)
		return -1;
	int rc = sh("cd %s && cp prog-pie prog-stripped && strip --strip-all prog-stripped && "
		    "mkdir -p debug/.build-id/%.2s && objcopy --only-keep-debug prog-pie debug/.build-id/%.2s/%s.debug",
		tmp, id, id, id + 2);
	free(id);
	if (rc != 0)
		return -1;
	/* stripped with a .gnu_debuglink to a file next to it (no build-id
	 * tree is searched: the tests give an empty debug directory) */
	if (sh("cd %s && objcopy --only-keep-debug prog-pie prog-dl.debug && cp prog-pie prog-dl && "
	       "strip --strip-all prog-dl && objcopy --add-gnu-debuglink=prog-dl.debug prog-dl",
		   tmp) != 0)
		return -1;
	/* the same, then the debug file replaced by another one (wrong CRC) */
	if (sh("cd %s && objcopy --only-keep-debug prog-pie prog-dlbad.debug && cp prog-pie prog-dlbad && "
	       "strip --strip-all prog-dlbad && objcopy --add-gnu-debuglink=prog-dlbad.debug prog-dlbad && "
	       "objcopy --only-keep-debug prog-dw4 prog-dlbad.debug",
		   tmp) != 0)
		return -1;
	/* symbol table only; a library with .dynsym only */
	if (sh("cd %s && cp prog-pie prog-symtab && strip --strip-debug prog-symtab && "
	       "cp libsym.so libsym-stripped.so && strip --strip-all libsym-stripped.so",
		   tmp) != 0)
		return -1;
	/* bad binaries */
	if (sh("cd %s && echo 'not an ELF file' > bad-text && : > bad-empty && head -c 64 prog-pie > bad-header-only && "
	       "cp prog-pie bad-shoff && printf '\\377\\377\\377\\377\\377\\377\\377\\177' | "
	       "dd of=bad-shoff bs=1 seek=40 conv=notrunc 2>/dev/null && "
	       "%s -g -c %s/lib.c -o bad-object.o && mkdir -p a-directory && "
	       "printf '\\010\\000\\000\\000\\004\\000\\010\\000\\000\\000\\000\\000' > rnglists-v4.bin && "
	       "cp prog-pie bad-rnglists && objcopy --update-section .debug_rnglists=rnglists-v4.bin bad-rnglists && "
	       "objcopy --rename-section .debug_rnglists=.debug_rnglistx --rename-section .bss=.debug_rnglists "
	       "prog-pie nobits-rnglists",
		   tmp, cc, src) != 0)
		return -1;
	return 0;
}

static Suite *symbolize_suite(void)
{
	Suite *s = suite_create("symbolize");
	TCase *tc = tcase_create("variants");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_pie);
	tcase_add_test(tc, test_nopie);
	tcase_add_test(tc, test_dwarf4);
	tcase_add_test(tc, test_clang);
	tcase_add_test(tc, test_relative_comp_dir);
	tcase_add_test(tc, test_function_decl);
	suite_add_tcase(s, tc);
	tc = tcase_create("debug-files");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_build_id_debug_dir);
	tcase_add_test(tc, test_build_id_without_binary);
	tcase_add_test(tc, test_build_id_mismatch);
	tcase_add_test(tc, test_debuglink);
	tcase_add_test(tc, test_debuglink_bad_crc);
	tcase_add_test(tc, test_symtab_only);
	tcase_add_test(tc, test_dynsym_only);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_go_profile_untouched);
	tcase_add_test(tc, test_idempotent_and_force);
	tcase_add_test(tc, test_return_addresses);
	tcase_add_test(tc, test_pprof_roundtrip);
	tcase_add_test(tc, test_cache_across_profiles);
	tcase_add_test(tc, test_no_mapping);
	suite_add_tcase(s, tc);
	tc = tcase_create("addr2line");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_addr2line_pie);
	tcase_add_test(tc, test_addr2line_nopie);
	tcase_add_test(tc, test_addr2line_dwarf4);
	tcase_add_test(tc, test_addr2line_lib);
	tcase_add_test(tc, test_addr2line_clang);
	suite_add_tcase(s, tc);
	tc = tcase_create("bad-input");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_corrupt_elf);
	tcase_add_test(tc, test_corrupt_dwarf);
	tcase_add_test(tc, test_bad_rnglists);
	tcase_add_test(tc, test_nobits_rnglists);
	tcase_add_test(tc, test_dwarfcheck_units);
	tcase_add_test(tc, test_line_dir_index);
	tcase_add_test(tc, test_section_type);
	tcase_add_test(tc, test_section_size);
	suite_add_tcase(s, tc);
	tc = tcase_create("termination");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_sibling_loop);
	tcase_add_test(tc, test_die_loop);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	(void)argc;
	char *top = realpath(getenv("srcdir") ? getenv("srcdir") : ".", NULL);
	if (!top)
		return 99;
	snprintf(src, sizeof src, "%.900s/testdata/symbolize", top);
	free(top);
	/* tools/bench/addr-profile of this build: tests/../tools/bench */
	char *self = realpath(argv[0], NULL);
	if (!self)
		return 99;
	char *slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(addr_profile, sizeof addr_profile, "%.900s/../tools/bench/addr-profile", self);
	free(self);
	if (access(addr_profile, X_OK) != 0) {
		fprintf(stderr, "check_symbolize: %s not built\n", addr_profile);
		return 99;
	}
	snprintf(tmp, sizeof tmp, "%.200s/ms-symbolize-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return 99;
	if (build_variants() < 0) {
		fprintf(stderr, "check_symbolize: cannot build the test programs with the system compiler; skipped\n");
		sh("rm -rf %s", tmp);
		return 77;
	}
	SRunner *sr = srunner_create(symbolize_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!getenv("KEEP_TMP"))
		sh("rm -rf %s", tmp);
	return failed ? 1 : 0;
}
