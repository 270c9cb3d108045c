/* check_profile.c — unit tests of the foundation: string interning, option
 * sizes, pprof unit formatting, the pprof decoder (packed/unpacked, unknown
 * fields, every validation error), the encoder (round trip) and the report
 * graph (flat/cum, inline expansion, filters, trimming).
 * Test data paths are relative to $srcdir (the source tree's top). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/graph.h"
#include "profile/demangle.h"
#include "profile/frames.h"
#include "profile/load.h"
#include "profile/pprof.h"
#include "util/units.h"
#include "util/io.h"
#include "util/opts.h"
#include "util/strtab.h"

static char path_buf[4096];

static const char *data_path(const char *rel)
{
	const char *top = getenv("srcdir");
	snprintf(path_buf, sizeof path_buf, "%s/%s", top ? top : ".", rel);
	return path_buf;
}

static ms_profile *load(const char *rel)
{
	ms_err err;
	ms_profile *p = ms_profile_load(data_path(rel), NULL, &err);
	ck_assert_msg(p != NULL, "loading %s: %s", rel, err.msg);
	return p;
}

/* Loads a file that must be rejected; returns the message. */
static const char *load_error(const char *rel, ms_err *err)
{
	ms_profile *p = ms_profile_load(data_path(rel), NULL, err);
	ck_assert_msg(p == NULL, "%s loaded but should have been rejected", rel);
	return err->msg;
}

/* ---- strings ------------------------------------------------------------------ */

START_TEST(test_strtab_interning)
{
	ms_strtab t;
	ms_strtab_init(&t);
	ck_assert_uint_eq(ms_strtab_intern0(&t, ""), 0);
	uint32_t a = ms_strtab_intern0(&t, "main.main");
	uint32_t b = ms_strtab_intern0(&t, "main.handle");
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(ms_strtab_intern0(&t, "main.main"), a);
	/* embedded NUL and prefix strings are distinct */
	ck_assert_uint_ne(ms_strtab_intern(&t, "main", 4), a);
	char many[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(many, sizeof many, "fn%d", i);
		ms_strtab_intern0(&t, many);
	}
	ck_assert_uint_eq(t.n, 10000 + 4);
	ck_assert_uint_eq(ms_strtab_find(&t, "fn9999", 6), 10000 + 3);
	ck_assert_str_eq(ms_strtab_get(&t, b), "main.handle");
	ck_assert_uint_eq(ms_strtab_find(&t, "absent", 6), UINT32_MAX);
	ms_strtab_free(&t);
}
END_TEST

START_TEST(test_parse_size)
{
	unsigned long long v;
	ck_assert_int_eq(ms_parse_size("20MB", &v), 0);
	ck_assert_uint_eq(v, 20ULL << 20);
	ck_assert_int_eq(ms_parse_size("1.5KiB", &v), 0);
	ck_assert_uint_eq(v, 1536);
	ck_assert_int_eq(ms_parse_size("512", &v), 0);
	ck_assert_uint_eq(v, 512);
	ck_assert_int_eq(ms_parse_size("2gb", &v), 0);
	ck_assert_uint_eq(v, 2ULL << 30);
	ck_assert_int_eq(ms_parse_size("abc", &v), -1);
	ck_assert_int_eq(ms_parse_size("-5MB", &v), -1);
	ck_assert_int_eq(ms_parse_size("5XB", &v), -1);
}
END_TEST

/* ---- units ---------------------------------------------------------------------- */

START_TEST(test_units_format)
{
	char b[64];
	ck_assert_str_eq(ms_format_value(b, sizeof b, 0, "bytes"), "0");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 1023, "bytes"), "1023B");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 1024, "bytes"), "1kB");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 1536, "bytes"), "1.50kB");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 70363132, "bytes"), "67.10MB");
	ck_assert_str_eq(ms_format_value(b, sizeof b, -70363132, "bytes"), "-67.10MB");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 10000000, "nanoseconds"), "10ms");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 1205983991, "nanoseconds"), "1.21s");
	ck_assert_str_eq(ms_format_value(b, sizeof b, 2782548, "count"), "2782548");
	/* a report in one unit: 0.5 MB rows stay in MB next to a 67 MB total */
	ck_assert_str_eq(ms_select_output_unit(524296, 70363132, "bytes"), "MB");
	ck_assert_str_eq(ms_format_value_as(b, sizeof b, 524296, "bytes", "MB"), "0.50MB");
	/* ...but a row 1000x smaller than the total keeps a smaller unit */
	ck_assert_str_eq(ms_select_output_unit(4096, 70363132, "bytes"), "kB");
	/* 10ms x 100 >= 1.08s: pprof moves the whole report to seconds */
	ck_assert_str_eq(ms_select_output_unit(10000000, 1080000000, "nanoseconds"), "s");
	ck_assert_str_eq(ms_select_output_unit(10000000, 500000000, "nanoseconds"), "ms");
	ck_assert_str_eq(ms_select_output_unit(5, 500, "count"), "count");
}
END_TEST

START_TEST(test_units_percent)
{
	char b[32];
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 100, 100), "  100%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 9996, 10000), "  100%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 9776, 10000), "97.76%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 75, 10000), " 0.75%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 0, 10000), "    0%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 3, 100000), "0.003%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, -50, 100), "50.00%");
	ck_assert_str_eq(ms_format_percent(b, sizeof b, 5, 0), "    0%");
}
END_TEST

/* ---- decoder -------------------------------------------------------------------- */

START_TEST(test_decode_packed_and_unpacked)
{
	/* The same one-sample profile written with packed and with unpacked
	 * repeated fields (plus unknown fields of every wire type). */
	ms_profile *a = load("testdata/edge/packed.pb");
	ms_profile *b = load("testdata/edge/unpacked_unknown.pb");
	ck_assert_uint_eq(a->nsamples, 1);
	ck_assert_uint_eq(b->nsamples, 1);
	ck_assert_uint_eq(a->samples[0].depth, 2);
	ck_assert_uint_eq(b->samples[0].depth, 2);
	ck_assert_int_eq(ms_profile_total(a, 0), 100);
	ck_assert_int_eq(ms_profile_total(b, 0), 100);
	const ms_location *leaf = &b->locations[b->stack[b->samples[0].stack_off]];
	ck_assert_str_eq(ms_profile_string(b, b->functions[b->lines[leaf->line_off].function].name), "main.leak");
	ck_assert_int_eq(b->lines[leaf->line_off].line, 10);
	ms_profile_free(a);
	ms_profile_free(b);
}
END_TEST

START_TEST(test_decode_go_heap)
{
	ms_profile *p = load("testdata/go1.19/heap.4.pb.gz");
	/* figures from `go tool pprof -raw` on the same file */
	ck_assert_uint_eq(p->ntypes, 4);
	ck_assert_str_eq(ms_profile_string(p, p->types[3].type), "inuse_space");
	ck_assert_uint_eq(p->nsamples, 26);
	ck_assert_uint_eq(p->nlocations, 38);
	ck_assert_uint_eq(p->nfunctions, 30);
	ck_assert_int_eq(p->period, 524288);
	ck_assert_int_eq(ms_profile_total(p, 0), 2782548);
	ck_assert_int_eq(ms_profile_total(p, 1), 192134497);
	ck_assert_int_eq(ms_profile_total(p, 2), 215897);
	ck_assert_int_eq(ms_profile_total(p, 3), 70363132);
	ck_assert_int_eq(ms_profile_sample_index(p, NULL, NULL), 3);
	ck_assert_int_eq(ms_profile_sample_index(p, "alloc_space", NULL), 1);
	ck_assert_int_eq(ms_profile_sample_index(p, "0", NULL), 0);
	ms_err err;
	ck_assert_int_eq(ms_profile_sample_index(p, "7", &err), -1);
	ck_assert_int_eq(ms_profile_sample_index(p, "cpu", &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "inuse_space"));
	/* the first sample has the numeric label bytes=16 */
	ck_assert_uint_eq(p->samples[0].nlabels, 1);
	ck_assert_str_eq(ms_profile_string(p, p->labels[p->samples[0].label_off].key), "bytes");
	ck_assert_int_eq(p->labels[p->samples[0].label_off].num, 16);
	ck_assert_int_eq(ms_profile_validate(p, &err), 0);
	ms_profile_free(p);

	/* allocs: default_sample_type names alloc_space */
	p = load("testdata/go1.19/allocs.pb.gz");
	ck_assert_int_eq(ms_profile_sample_index(p, NULL, NULL), 1);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_decode_errors)
{
	ms_err err;
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/empty.pb.gz", &err), "empty"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/truncated.pb.gz", &err), "truncated gzip data"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/dangling_location.pb.gz", &err),
		"sample 0 refers to location id 7, which does not exist"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/dangling_function.pb.gz", &err),
		"location id 2 refers to function id 9"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/string_index.pb.gz", &err),
		"string index 42 out of range"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/bad/value_count.pb.gz", &err),
		"more values than the 1 sample types"));
	load_error("testdata/bad/random.bin", &err);
	load_error("testdata/bad/gzip_garbage.pb.gz", &err);
	ck_assert_ptr_nonnull(strstr(load_error("testdata", &err), "is a directory"));
	ck_assert_ptr_nonnull(strstr(load_error("testdata/missing.pb.gz", &err), "cannot open"));
	/* every message names the file */
	load_error("testdata/bad/value_count.pb.gz", &err);
	ck_assert_ptr_nonnull(strstr(err.msg, "value_count.pb.gz: "));
}
END_TEST

START_TEST(test_decode_truncated_everywhere)
{
	/* Every prefix of a real profile either loads or is rejected cleanly. */
	ms_buf raw = MS_BUF_INIT;
	ms_err err;
	ck_assert_int_eq(ms_read_all(data_path("testdata/go1.19/heap.4.pb.gz"), &raw, &err), 0);
	size_t rejected = 0;
	for (size_t n = 0; n < raw.len; n++) {
		ms_profile *p = ms_pprof_parse((const uint8_t *)raw.data, n, &err);
		if (!p)
			rejected++;
		ms_profile_free(p);
	}
	ck_assert_uint_gt(rejected, raw.len / 2);
	ms_buf_free(&raw);
}
END_TEST

/* ---- encoder -------------------------------------------------------------------- */

START_TEST(test_encode_round_trip)
{
	const char *files[] = { "testdata/go1.19/heap.4.pb.gz", "testdata/go1.19/cpu.pb.gz",
		"testdata/go1.19/allocs.pb.gz" };
	for (size_t f = 0; f < 3; f++) {
		ms_profile *p = load(files[f]);
		ms_buf raw = MS_BUF_INIT;
		ms_err err;
		ck_assert_int_eq(ms_pprof_encode(p, &raw, &err), 0);
		ms_profile *q = ms_pprof_parse((const uint8_t *)raw.data, raw.len, &err);
		ck_assert_msg(q != NULL, "re-reading %s: %s", files[f], err.msg);
		ck_assert_uint_eq(q->nsamples, p->nsamples);
		ck_assert_uint_eq(q->nlocations, p->nlocations);
		ck_assert_uint_eq(q->nfunctions, p->nfunctions);
		ck_assert_uint_eq(q->nmappings, p->nmappings);
		ck_assert_int_eq(q->time_nanos, p->time_nanos);
		ck_assert_int_eq(q->period, p->period);
		ck_assert_uint_eq(q->default_type, p->default_type);
		for (size_t t = 0; t < p->ntypes; t++)
			ck_assert_int_eq(ms_profile_total(q, t), ms_profile_total(p, t));
		for (size_t i = 0; i < p->nsamples; i++) {
			ck_assert_uint_eq(q->samples[i].depth, p->samples[i].depth);
			for (uint32_t k = 0; k < p->samples[i].depth; k++)
				ck_assert_uint_eq(q->locations[ms_sample_stack(q, i)[k]].address,
					p->locations[ms_sample_stack(p, i)[k]].address);
		}
		for (size_t i = 0; i < p->nfunctions; i++)
			ck_assert_str_eq(ms_profile_string(q, q->functions[i].name),
				ms_profile_string(p, p->functions[i].name));
		ms_buf_free(&raw);
		ms_profile_free(p);
		ms_profile_free(q);
	}
}
END_TEST

START_TEST(test_builder_profile_encodes)
{
	/* A profile built by a reader (folded/perf style) gets ids and encodes. */
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "samples", "count");
	uint32_t fmain = ms_profile_intern_function(p, ms_profile_str(p, "main"), 0);
	uint32_t fwork = ms_profile_intern_function(p, ms_profile_str(p, "work"), 0);
	ck_assert_uint_eq(ms_profile_intern_function(p, ms_profile_str(p, "main"), 0), fmain);
	uint32_t stack[2] = { ms_profile_intern_frame(p, fwork, 0), ms_profile_intern_frame(p, fmain, 0) };
	ck_assert_uint_eq(ms_profile_intern_frame(p, fwork, 0), stack[0]);
	int64_t v = 7;
	for (int i = 0; i < 1000; i++)
		ms_profile_add_sample(p, stack, 2, &v, NULL, 0);
	ms_profile_assign_ids(p);
	ms_err err;
	ck_assert_int_eq(ms_profile_validate(p, &err), 0);
	ms_buf raw = MS_BUF_INIT;
	ck_assert_int_eq(ms_pprof_encode(p, &raw, &err), 0);
	ms_profile *q = ms_pprof_parse((const uint8_t *)raw.data, raw.len, &err);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(ms_profile_total(q, 0), 7000);
	ms_buf_free(&raw);
	ms_profile_free(q);
	ms_profile_free(p);
}
END_TEST

/* ---- report graph ----------------------------------------------------------------- */

static const ms_graph_node *find_node(const ms_graph *g, const char *name)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (strcmp(ms_graph_node_name(g, &g->nodes[i]), name) == 0)
			return &g->nodes[i];
	return NULL;
}

START_TEST(test_graph_heap_functions)
{
	ms_profile *p = load("testdata/go1.19/heap.4.pb.gz");
	ms_graph_opts o;
	ms_graph_opts_init(&o);
	o.sample_index = 3;
	ms_graph g;
	ms_err err;
	ck_assert_int_eq(ms_graph_build(&g, p, &o, &err), 0);
	ck_assert_int_eq(g.total, 70363132);
	/* exact sums over `go tool pprof -raw` samples */
	ck_assert_str_eq(ms_graph_node_name(&g, &g.nodes[0]), "main.newSession");
	ck_assert_int_eq(g.nodes[0].flat, 68790036);
	ck_assert_int_eq(g.nodes[0].cum, 69314332);
	const ms_graph_node *itoa = find_node(&g, "strconv.Itoa");
	ck_assert_ptr_nonnull(itoa);
	ck_assert(itoa->inline_in);
	ck_assert_int_eq(itoa->cum, 524296);
	ck_assert(!find_node(&g, "main.main")->inline_in);
	ck_assert_int_eq(find_node(&g, "main.main")->flat, 0);
	ms_graph_free(&g);

	/* --focus keeps whole samples; the total stays the profile's */
	o.focus = "strconv";
	ck_assert_int_eq(ms_graph_build(&g, p, &o, &err), 0);
	ck_assert_int_eq(g.total, 70363132);
	ck_assert_int_eq(g.flat_sum, 524296);
	/* newSession only reaches strconv through Itoa: no flat, cum of that path */
	ck_assert_int_eq(find_node(&g, "main.newSession")->flat, 0);
	ck_assert_int_eq(find_node(&g, "main.newSession")->cum, 524296);
	ck_assert_ptr_null(find_node(&g, "runtime.malg"));
	ms_graph_free(&g);

	/* a bad regex is an error naming the option */
	o.focus = "(";
	ck_assert_int_eq(ms_graph_build(&g, p, &o, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "focus"));

	/* -n 2 keeps the two heaviest rows and says how many there were */
	o.focus = NULL;
	o.node_count = 2;
	ck_assert_int_eq(ms_graph_build(&g, p, &o, &err), 0);
	ck_assert_uint_eq(g.nnodes, 2);
	ck_assert_uint_gt(g.orig_count, 2);
	ms_graph_free(&g);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_graph_cum_counts_recursion_once)
{
	/* a -> b -> a -> b (leaf): cum of a and b counted once per sample */
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "samples", "count");
	uint32_t a = ms_profile_intern_frame(p, ms_profile_intern_function(p, ms_profile_str(p, "a"), 0), 0);
	uint32_t b = ms_profile_intern_frame(p, ms_profile_intern_function(p, ms_profile_str(p, "b"), 0), 0);
	uint32_t stack[4] = { b, a, b, a };
	int64_t v = 5;
	ms_profile_add_sample(p, stack, 4, &v, NULL, 0);
	ms_graph_opts o;
	ms_graph_opts_init(&o);
	ms_graph g;
	ms_err err;
	ck_assert_int_eq(ms_graph_build(&g, p, &o, &err), 0);
	ck_assert_int_eq(find_node(&g, "a")->cum, 5);
	ck_assert_int_eq(find_node(&g, "b")->cum, 5);
	ck_assert_int_eq(find_node(&g, "b")->flat, 5);
	ck_assert_int_eq(find_node(&g, "a")->flat, 0);
	ms_graph_free(&g);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_frames_granularity)
{
	ms_profile *p = load("testdata/go1.19/heap.4.pb.gz");
	ms_frame_map fm;
	ms_granularity gr;
	ck_assert_int_eq(ms_granularity_parse("lines", &gr), 0);
	ck_assert_int_eq(ms_granularity_parse("bogus", &gr), -1);
	const char *expect[] = { "main.newSession", "main.newSession leaky/main.go",
		"leaky/main.go", NULL, NULL };
	for (int g = 0; g < 3; g++) {
		ms_frame_map_build(&fm, p, (ms_granularity)g);
		int found = 0;
		for (uint32_t f = 0; f < ms_frame_count(&fm); f++)
			found |= strcmp(ms_frame_name(&fm, f), expect[g]) == 0;
		ck_assert_msg(found, "granularity %d lacks '%s'", g, expect[g]);
		ms_frame_map_free(&fm);
	}
	/* lines: "func file:line"; addresses: 16 hex digits first */
	ms_frame_map_build(&fm, p, MS_GRAN_LINES);
	int lines = 0;
	for (uint32_t f = 0; f < ms_frame_count(&fm); f++)
		lines += strncmp(ms_frame_name(&fm, f), "main.newSession leaky/main.go:", 30) == 0;
	ck_assert_int_ge(lines, 1);
	ms_frame_map_free(&fm);
	ms_frame_map_build(&fm, p, MS_GRAN_ADDRESSES);
	ck_assert_uint_eq(strspn(ms_frame_name(&fm, fm.frames[0]), "0123456789abcdef"), 16);
	ms_frame_map_free(&fm);
	ms_profile_free(p);
}
END_TEST

/* ---- demangling ---------------------------------------------------------------
 * simplified: what `go tool pprof -traces -symbolize=local` (Go 1.23)
 * printed for these symbols in a profile (system names = the symbols);
 * full: what `c++filt` (binutils 2.40) prints. Rust v0 generics and the
 * hashes of fake legacy symbols aside (see demangle.c), the same. */
static const struct {
	const char *sym, *simplified, *full;
} demangled[] = {
	{ "_Znwm", "operator new", "operator new(unsigned long)" },
	{ "_ZdlPvm", "operator delete", "operator delete(void*, unsigned long)" },
	{ "_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector::push_back",
		"std::vector<int, std::allocator<int> >::push_back(int const&)" },
	{ "_Z3foov.cold", "foo", "foo() [clone .cold]" },
	{ "_ZZ4mainENKUlvE_clEv", "main::{lambda()#1}::operator()", "main::{lambda()#1}::operator()() const" },
	{ "_ZN12_GLOBAL__N_14leakEv", "(anonymous namespace)::leak", "(anonymous namespace)::leak()" },
	{ "_ZNSt6vectorIiSaIiEE17_M_realloc_insertIJRKiEEEvN9__gnu_cxx17__normal_iteratorIPiS1_EEDpOT_",
		"std::vector::_M_realloc_insert",
		"void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, "
		"std::vector<int, std::allocator<int> > >, int const&)" },
	{ "_ZNKSt8functionIFviEEclEi", "std::function::operator()", "std::function<void (int)>::operator()(int) const" },
	{ "_ZN3FooD1Ev", "Foo::~Foo", "Foo::~Foo()" },
	{ "_ZlsRSoRK3Vec", "operator<<", "operator<<(std::basic_ostream<char, std::char_traits<char> >&, Vec const&)" },
	{ "_ZN5Outer5InnerIiE3getIlEET_v", "Outer::Inner::get", "long Outer::Inner<int>::get<long>()" },
	{ "_ZNSt10unique_ptrI3FooSt14default_deleteIS0_EED2Ev", "std::unique_ptr::~unique_ptr",
		"std::unique_ptr<Foo, std::default_delete<Foo> >::~unique_ptr()" },
	{ "_ZZN1A1fEvE1x", "A::f()::x", "A::f()::x" },
	{ "_RNvMsr_NtCs3ssYzQotkvD_3std4pathNtB5_7PathBuf3new", "<std::path::PathBuf>::new",
		"<std[284a76a8b41a7fd3]::path::PathBuf>::new" },
	{ "_ZN4core3ptr13drop_in_place17h0123456789abcdefE", "core::ptr::drop_in_place",
		"core::ptr::drop_in_place::h0123456789abcdef" },
};

/* the suggestions for misspelt commands and options (util/opts.c) */
START_TEST(test_did_you_mean)
{
	const char *cmds[] = { "top", "info", "convert", "diff", "flame", "frag", "gctrace", "leaks", "run", "symbolize" };
	const size_t n = sizeof cmds / sizeof cmds[0];
	const struct {
		const char *typed, *want;
	} cases[] = {
		{ "gctrce", "gctrace" },  /* a deletion */
		{ "flmae", "flame" },     /* a swap of neighbours */
		{ "symbolise", "symbolize" }, /* a substitution */
		{ "tpo", "top" },
		{ "lea", "leaks" },       /* a prefix of one command */
		{ "fr", "frag" },         /* a prefix of one */
		{ "f", NULL },            /* a prefix of two: flame? frag? */
		{ "frobnicate", NULL },
		{ "x", NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = ms_did_you_mean(cases[i].typed, strlen(cases[i].typed), cmds, n);
		if (cases[i].want)
			ck_assert_msg(got && strcmp(got, cases[i].want) == 0, "%s: got %s", cases[i].typed, got ? got : "NULL");
		else
			ck_assert_msg(got == NULL, "%s: got %s", cases[i].typed, got);
	}
}
END_TEST

START_TEST(test_demangle_modes)
{
	for (size_t i = 0; i < sizeof demangled / sizeof demangled[0]; i++) {
		char *a = ms_demangle(demangled[i].sym, MS_DEMANGLE_SIMPLIFIED);
		char *b = ms_demangle(demangled[i].sym, MS_DEMANGLE_FULL);
		ck_assert_msg(a && strcmp(a, demangled[i].simplified) == 0, "%s: simplified '%s', want '%s'",
			demangled[i].sym, a ? a : "(null)", demangled[i].simplified);
		ck_assert_msg(b && strcmp(b, demangled[i].full) == 0, "%s: full '%s', want '%s'", demangled[i].sym,
			b ? b : "(null)", demangled[i].full);
		free(a);
		free(b);
		ck_assert_ptr_null(ms_demangle(demangled[i].sym, MS_DEMANGLE_NONE));
	}
	/* not mangled: C and Go names, garbage */
	const char *plain[] = { "main", "runtime.mallocgc", "_start", "_Z", "_ZZZZ", "_R", "" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		ck_assert_ptr_null(ms_demangle(plain[i], MS_DEMANGLE_SIMPLIFIED));
	ms_demangle_mode m;
	ck_assert_int_eq(ms_demangle_mode_parse("full", &m), 0);
	ck_assert_int_eq(m, MS_DEMANGLE_FULL);
	ck_assert_int_eq(ms_demangle_mode_parse("pretty", &m), -1);
}
END_TEST

/* A Rust v0 binder that binds ~62^20 lifetimes (fuzz_demangle's input,
 * tools/fuzz/seeds/demangle/rust_binder_huge): libiberty would loop for
 * minutes; the name is left mangled at once (a hang here hits the case's
 * timeout). */
START_TEST(test_demangle_huge_binder)
{
	char path[4096];
	const char *top = getenv("srcdir");
	snprintf(path, sizeof path, "%s/tools/fuzz/seeds/demangle/rust_binder_huge", top ? top : ".");
	FILE *fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	char sym[4097];
	size_t n = fread(sym, 1, sizeof sym - 1, fp);
	fclose(fp);
	sym[n] = 0;
	for (int m = MS_DEMANGLE_SIMPLIFIED; m < (int)MS_DEMANGLE_NONE; m++)
		ck_assert_ptr_null(ms_demangle(sym, (ms_demangle_mode)m));
}
END_TEST

/* pprof's rule: a name that differs from its system name was demangled
 * before and is left alone, unless forced */
START_TEST(test_profile_demangle)
{
	ms_profile *p = ms_profile_new();
	ms_function f1 = { 0, ms_profile_str(p, "_Znwm"), ms_profile_str(p, "_Znwm"), 0, 0 };
	ms_function f2 = { 0, ms_profile_str(p, "my name"), ms_profile_str(p, "_ZdlPv"), 0, 0 };
	ms_function f3 = { 0, ms_profile_str(p, "_ZN3FooD1Ev"), 0, 0, 0 };
	ms_profile_add_function(p, &f1);
	ms_profile_add_function(p, &f2);
	ms_profile_add_function(p, &f3);
	ms_profile_demangle(p, MS_DEMANGLE_SIMPLIFIED, false);
	ck_assert_str_eq(ms_profile_string(p, p->functions[0].name), "operator new");
	ck_assert_str_eq(ms_profile_string(p, p->functions[0].system_name), "_Znwm");
	ck_assert_str_eq(ms_profile_string(p, p->functions[1].name), "my name");
	ck_assert_str_eq(ms_profile_string(p, p->functions[2].name), "Foo::~Foo");
	ck_assert_str_eq(ms_profile_string(p, p->functions[2].system_name), "_ZN3FooD1Ev");
	ms_profile_demangle(p, MS_DEMANGLE_FULL, true);
	ck_assert_str_eq(ms_profile_string(p, p->functions[1].name), "operator delete(void*)");
	ms_profile_demangle(p, MS_DEMANGLE_NONE, true);
	ck_assert_str_eq(ms_profile_string(p, p->functions[0].name), "_Znwm");
	ms_profile_free(p);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *t = tcase_create("strings");
	tcase_add_test(t, test_strtab_interning);
	tcase_add_test(t, test_parse_size);
	suite_add_tcase(s, t);
	t = tcase_create("units");
	tcase_add_test(t, test_units_format);
	tcase_add_test(t, test_units_percent);
	suite_add_tcase(s, t);
	t = tcase_create("demangle");
	tcase_add_test(t, test_demangle_modes);
	tcase_add_test(t, test_demangle_huge_binder);
	tcase_add_test(t, test_did_you_mean);
	tcase_add_test(t, test_profile_demangle);
	suite_add_tcase(s, t);
	t = tcase_create("decoder");
	tcase_add_test(t, test_decode_packed_and_unpacked);
	tcase_add_test(t, test_decode_go_heap);
	tcase_add_test(t, test_decode_errors);
	tcase_add_test(t, test_decode_truncated_everywhere);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	t = tcase_create("encoder");
	tcase_add_test(t, test_encode_round_trip);
	tcase_add_test(t, test_builder_profile_encodes);
	suite_add_tcase(s, t);
	t = tcase_create("graph");
	tcase_add_test(t, test_graph_heap_functions);
	tcase_add_test(t, test_graph_cum_counts_recursion_once);
	tcase_add_test(t, test_frames_granularity);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(profile_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
