/* check_flame.c — unit tests of memscope flame: the perf script reader
 * against the reference collapser's output (the real capture in
 * testdata/perf, plus small cases for each naming rule, whose expected
 * lines follow stackcollapse-perf.pl's rules by hand), the folded reader,
 * collapse totals for pprof input, diffs, the prefix tree and the SVG
 * (frames present above the pruning width, absent below, escaping, size of
 * a 400k-stack graph). Paths are relative to $srcdir. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stacks.h"
#include "profile/folded.h"
#include "profile/load.h"
#include "profile/perf_script.h"
#include "render/flame_svg.h"
#include "util/io.h"
#include "util/strtab.h"

static char path_buf[4096];

static const char *data_path(const char *rel)
{
	const char *top = getenv("srcdir");
	snprintf(path_buf, sizeof path_buf, "%s/%s", top ? top : ".", rel);
	return path_buf;
}

/* Folded text of profile p (sample type `type`, functions granularity). */
static char *folded_of(const ms_profile *p, size_t type)
{
	ms_stacks s;
	ms_err err;
	ms_stacks_init(&s, 1);
	ck_assert_msg(ms_stacks_add_profile(&s, p, type, MS_GRAN_FUNCTIONS, 0, &err) == 0, "%s", err.msg);
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	ck_assert_int_eq(ms_stacks_write_folded(&s, fp), 0);
	fclose(fp);
	ms_stacks_free(&s);
	return text;
}

/* Parses perf script text with options; returns folded output of the
 * default type and the warnings in *warn (caller frees both). */
static char *perf_folded(const char *text, int pid, int tid, int kernel, char **warn)
{
	ms_buf w = MS_BUF_INIT;
	ms_load_opts o = { .perf_pid = pid, .perf_tid = tid, .perf_kernel = kernel, .warnings = &w };
	ms_err err;
	ms_profile *p = ms_perf_parse(text, strlen(text), &o, &err);
	ck_assert_msg(p != NULL, "perf parse failed: %s", err.msg);
	char *out = folded_of(p, (size_t)ms_profile_sample_index(p, NULL, NULL));
	ms_profile_free(p);
	if (warn)
		*warn = w.data ? ms_buf_detach(&w, NULL) : ms_xstrdup("");
	ms_buf_free(&w);
	return out;
}

/* ---- perf script: the real capture ------------------------------------------ */

START_TEST(test_perf_matches_reference_collapser)
{
	ms_err err;
	ms_profile *p = ms_profile_load(data_path("testdata/perf/cpuwork.perf.txt.gz"), NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	ck_assert_str_eq(ms_profile_string(p, p->types[1].type), "cpu");
	ck_assert_str_eq(ms_profile_string(p, p->types[1].unit), "nanoseconds");
	char *got = folded_of(p, 1);
	ms_buf want = MS_BUF_INIT;
	ck_assert_int_eq(ms_read_all(data_path("testdata/perf/cpuwork.folded"), &want, &err), 0);
	/* same lines; both are sorted by stack, so the texts are equal */
	ck_assert_str_eq(got, want.data);
	/* 1322 samples, and the periods' sum */
	ck_assert_int_eq(ms_profile_total(p, 0), 1322);
	int64_t total = 0;
	for (char *line = want.data; *line;) {
		char *nl = strchr(line, '\n');
		char *sp = memrchr(line, ' ', (size_t)(nl - line));
		total += strtoll(sp + 1, NULL, 10);
		line = nl + 1;
	}
	ck_assert_int_eq(ms_profile_total(p, 1), total);
	free(got);
	ms_buf_free(&want);
	ms_profile_free(p);
}
END_TEST

/* ---- perf script: naming rules ------------------------------------------------ */

static const char perf_rules[] =
	"# ========\n"
	"# cmdline : /usr/bin/perf record -g ./app\n"
	"app 100/101 [000] 1.000001: 250 cpu-clock:pppH: \n"
	"\t ffffffff81000130 entry_SYSCALL_64+0x76 ([kernel.kallsyms])\n"
	"\t           7bf90 net/http.(*Client).Do+0x3430 (/opt/app)\n"
	"\t           7bf00 std::vector<int>::push_back(int const&)+0x10 (/opt/app)\n"
	"\t           7be00 ns::(anonymous namespace)::helper(char*)+0x1 (/opt/app)\n"
	"\t           7bd00 [unknown] (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
	"\t           7bc00 outer->inner (/opt/app)\n"
	"\t           7bb00 it's;\"quoted\" (/opt/app)\n"
	"\t e9b5dba5b5c0fbcf [unknown] ([unknown])\n"
	"\n"
	"app 100/102 [001] 1.000002: 250 cpu-clock:pppH: \n"
	"\t           7bf90 main.work+0x10 (/opt/app)\n"
	"\n"
	"V8 Worker 100/102 [001] 1.000003: 0 cpu-clock:pppH: \n"
	"\t           7bf90 main.work+0x10 (/opt/app)\n"
	"\n";

START_TEST(test_perf_naming_rules)
{
	char *warn;
	char *got = perf_folded(perf_rules, 0, 0, 0, &warn);
	/* frames root first: the stack lines reversed under the command name;
	 * a period of "0" counts as 1 (Perl truth) */
	ck_assert_str_eq(got,
		"V8_Worker;main.work 1\n"
		"app;[unknown];its:quoted;outer;inner_[i];[libc.so.6];ns::(anonymous namespace)::helper;"
		"std::vector<int>::push_back;net/http.(*Client).Do;entry_SYSCALL_64 250\n"
		"app;main.work 250\n");
	ck_assert_str_eq(warn, "");
	free(got);
	free(warn);
}
END_TEST

START_TEST(test_perf_pid_tid_kernel)
{
	char *got = perf_folded(perf_rules, 1, 0, 1, NULL);
	ck_assert_str_eq(got,
		"V8_Worker-100;main.work 1\n"
		"app-100;[unknown];its:quoted;outer;inner_[i];[libc.so.6];ns::(anonymous namespace)::helper;"
		"std::vector<int>::push_back;net/http.(*Client).Do;entry_SYSCALL_64_[k] 250\n"
		"app-100;main.work 250\n");
	free(got);
	got = perf_folded(perf_rules, 0, 1, 0, NULL);
	ck_assert(strstr(got, "app-100/101;[unknown];") != NULL);
	ck_assert(strstr(got, "app-100/102;main.work 250\n") != NULL);
	ck_assert(strstr(got, "V8_Worker-100/102;main.work 1\n") != NULL);
	free(got);
	/* perf's default header has only the tid: the pid shows as "?" */
	got = perf_folded("java 4242 5.5: 7 cycles: \n\t 1 Lorg/x/Y;.run(I)V+0x1 (/tmp/perf-4242.map)\n\n", 0, 1, 0,
		NULL);
	ck_assert_str_eq(got, "java-?/4242;Lorg/x/Y:.run 7\n");
	free(got);
	/* plain "java": Java's leading L goes */
	got = perf_folded("java 4242 5.5: 7 cycles: \n\t 1 Lorg/x/Y;.run(I)V+0x1 (/tmp/perf-4242.map)\n\n", 0, 0, 0,
		NULL);
	ck_assert_str_eq(got, "java;org/x/Y:.run 7\n");
	free(got);
}
END_TEST

START_TEST(test_perf_first_event_only)
{
	static const char two_events[] =
		"app 1 1.0: 10 cycles: \n\t 1 a (/x)\n\n"
		"app 1 1.1: 99 instructions: \n\t 1 b (/x)\n\n"
		"app 1 1.2: 5 cycles: \n\t 1 a (/x)\n\n";
	char *warn;
	char *got = perf_folded(two_events, 0, 0, 0, &warn);
	ck_assert_str_eq(got, "app;a 15\n");
	ck_assert(strstr(warn, "skipped 1 sample of event 'instructions'") != NULL);
	free(got);
	free(warn);
	/* no period in the headers: weights are 1 and only samples/count exists */
	ms_err err;
	const char *nop = "app 1 1.0: cpu-clock: \n\t 1 a (/x)\n\napp 1 1.1: cpu-clock: \n\t 1 a (/x)\n\n";
	ms_profile *p = ms_perf_parse(nop, strlen(nop), NULL, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->ntypes, 1);
	ck_assert_int_eq(ms_profile_total(p, 0), 2);
	ms_profile_free(p);
}
END_TEST

START_TEST(test_perf_damaged_input)
{
	/* cut inside the second sample: it is dropped, as the reference does */
	char *warn;
	char *got = perf_folded("app 1 1.0: 10 cycles: \n\t 1 a (/x)\n\napp 1 1.1: 10 cycles: \n\t 1 b (/x)", 0, 0, 0,
		&warn);
	ck_assert_str_eq(got, "app;a 10\n");
	ck_assert(strstr(warn, "ends inside the sample of line 4") != NULL);
	free(got);
	free(warn);
	/* junk lines are skipped and counted */
	got = perf_folded("app 1 1.0: 10 cycles: \n\t 1 a (/x)\nthis is junk\n\n\x01\x02\n", 0, 0, 0, &warn);
	ck_assert_str_eq(got, "app;a 10\n");
	ck_assert_str_eq(warn, "skipped 2 unrecognised lines (first at line 3: neither a sample header nor a frame)\n");
	free(got);
	free(warn);
	/* nothing usable: an error naming the line */
	ms_err err;
	const char *junk = "hello\nworld\n";
	ck_assert_ptr_null(ms_perf_parse(junk, strlen(junk), NULL, &err));
	ck_assert_str_eq(err.msg,
		"no samples: 2 lines not recognised as perf script output (first at line 1: neither a sample header nor a frame)");
	const char *cut = "app 1 1.0: 10 cycles: \n\t 1 a (/x)\n";
	ck_assert_ptr_null(ms_perf_parse(cut, strlen(cut), NULL, &err));
	ck_assert_str_eq(err.msg, "no complete sample: the input ends inside the sample of line 1");
	const char *huge = "app 1 1.0: 9999999999999999999 cycles: \n\t 1 a (/x)\n\n";
	ck_assert_ptr_null(ms_perf_parse(huge, strlen(huge), NULL, &err));
	ck_assert(strstr(err.msg, "period out of range") != NULL);
}
END_TEST

START_TEST(test_format_detection)
{
	ck_assert(ms_perf_sniff(perf_rules, strlen(perf_rules)));
	ck_assert(!ms_folded_sniff(perf_rules, strlen(perf_rules)));
	ck_assert(ms_folded_sniff("a;b 1\n", 6));
	ck_assert(!ms_perf_sniff("a;b 1\n", 6));
	ck_assert(!ms_folded_sniff("a;b\n", 4));
	ck_assert(!ms_perf_sniff("\x1f\x8b\x08\0", 4));
}
END_TEST

/* ---- folded ------------------------------------------------------------------- */

START_TEST(test_folded_reader)
{
	const char *text = "# comment\nmain;work 3\nmain;idle 2\n\nmain;work 4\r\nbad line\nmain 1.5\n";
	ms_buf w = MS_BUF_INIT;
	ms_load_opts o = { .warnings = &w };
	ms_err err;
	ms_profile *p = ms_folded_parse(text, strlen(text), &o, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->ntypes, 1);
	ck_assert_uint_eq(p->nsamples, 2); /* main;work merged */
	ck_assert_int_eq(ms_profile_total(p, 0), 9);
	char *got = folded_of(p, 0);
	ck_assert_str_eq(got, "main;idle 2\nmain;work 7\n");
	ck_assert_str_eq(w.data, "skipped 2 malformed lines (first at line 6: no count at the end of the line)\n");
	free(got);
	ms_profile_free(p);
	ms_buf_free(&w);

	/* two counts: a differential file */
	const char *diff = "a;b 10 30\na;c 5 0\na 0 7\n";
	p = ms_folded_parse(diff, strlen(diff), NULL, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert(ms_folded_is_differential(p));
	ck_assert_int_eq(ms_profile_total(p, 0), 15);
	ck_assert_int_eq(ms_profile_total(p, 1), 37);
	ms_profile_free(p);

	/* nothing usable */
	ck_assert_ptr_null(ms_folded_parse("x\ny\n", 4, NULL, &err));
	ck_assert_str_eq(err.msg, "no stacks: 2 lines not in folded format (first at line 1: no count at the end of the line)");
	ck_assert_ptr_null(ms_folded_parse("a 99999999999999999999\n", 23, NULL, &err));
	ck_assert(strstr(err.msg, "count out of range") != NULL);
}
END_TEST

START_TEST(test_folded_round_trip_of_reference)
{
	ms_err err;
	ms_profile *p = ms_profile_load(data_path("testdata/perf/cpuwork.folded"), NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	char *got = folded_of(p, 0);
	ms_buf want = MS_BUF_INIT;
	ck_assert_int_eq(ms_read_all(data_path("testdata/perf/cpuwork.folded"), &want, &err), 0);
	ck_assert_str_eq(got, want.data);
	free(got);
	ms_buf_free(&want);
	ms_profile_free(p);
}
END_TEST

/* ---- pprof collapse and diff --------------------------------------------------- */

START_TEST(test_pprof_totals_preserved)
{
	static const char *files[] = { "testdata/go1.19/heap.4.pb.gz", "testdata/go1.19/allocs.pb.gz",
		"testdata/go1.19/cpu.pb.gz" };
	for (size_t f = 0; f < 3; f++) {
		ms_err err;
		ms_profile *p = ms_profile_load(data_path(files[f]), NULL, &err);
		ck_assert_msg(p != NULL, "%s", err.msg);
		for (size_t t = 0; t < p->ntypes; t++) {
			for (int g = MS_GRAN_FUNCTIONS; g <= MS_GRAN_ADDRESSES; g++) {
				ms_stacks s;
				ms_stacks_init(&s, 1);
				ck_assert_int_eq(ms_stacks_add_profile(&s, p, t, (ms_granularity)g, 0, &err), 0);
				ck_assert_int_eq(ms_stacks_total(&s, 0), ms_profile_total(p, t));
				ms_stacks_free(&s);
			}
		}
		ms_profile_free(p);
	}
}
END_TEST

START_TEST(test_diff_columns_equal_inputs)
{
	ms_err err;
	ms_profile *b = ms_profile_load(data_path("testdata/go1.19/heap.0.pb.gz"), NULL, &err);
	ms_profile *n = ms_profile_load(data_path("testdata/go1.19/heap.4.pb.gz"), NULL, &err);
	ck_assert(b && n);
	ms_stacks s;
	ms_stacks_init(&s, 2);
	ck_assert_int_eq(ms_stacks_add_profile(&s, b, 3, MS_GRAN_FUNCTIONS, 0, &err), 0);
	ck_assert_int_eq(ms_stacks_add_profile(&s, n, 3, MS_GRAN_FUNCTIONS, 1, &err), 0);
	ck_assert_int_eq(ms_stacks_total(&s, 0), ms_profile_total(b, 3));
	ck_assert_int_eq(ms_stacks_total(&s, 1), ms_profile_total(n, 3));
	/* the tree's root holds both totals; main.newSession grew */
	ms_flame_tree t;
	ms_flame_tree_build(&t, &s, 0, 0);
	ck_assert_int_eq(t.nodes[0].total[0], ms_profile_total(b, 3));
	ck_assert_int_eq(t.nodes[0].total[1], ms_profile_total(n, 3));
	int found = 0;
	for (size_t i = 0; i < t.nnodes; i++)
		if (strcmp(ms_flame_node_name(&t, &t.nodes[i]), "main.newSession") == 0 && t.nodes[i].depth == 4) {
			ck_assert_int_eq(t.nodes[i].total[0], 16807314);
			ck_assert_int_eq(t.nodes[i].total[1], 68790036 + 524296);
			found = 1;
		}
	ck_assert(found);
	ms_flame_tree_free(&t);
	/* normalize: base scaled to the new total */
	ms_stacks_scale(&s, 0, ms_stacks_total(&s, 1), ms_stacks_total(&s, 0));
	int64_t d = ms_stacks_total(&s, 0) - ms_stacks_total(&s, 1);
	ck_assert(d >= -(int64_t)s.set.n && d <= (int64_t)s.set.n);
	ms_stacks_free(&s);
	ms_profile_free(b);
	ms_profile_free(n);
}
END_TEST

/* ---- tree and SVG --------------------------------------------------------------- */

static void add_line(ms_stacks *s, const char *stack, int64_t v, size_t col)
{
	uint32_t ids[64];
	size_t n = 0;
	const char *p = stack;
	for (;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		ck_assert_uint_lt(n, 64);
		ids[n++] = ms_stacks_name(s, p, len);
		if (!semi)
			break;
		p = semi + 1;
	}
	ms_err err;
	ck_assert_int_eq(ms_stacks_add(s, ids, n, col, v, &err), 0);
}

static char *svg_of(const ms_stacks *s, const ms_flame_svg_opts *o, long *frames)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	*frames = ms_flame_svg_write(fp, s, o);
	fclose(fp);
	return text;
}

START_TEST(test_tree_order_and_totals)
{
	ms_stacks s;
	ms_stacks_init(&s, 1);
	add_line(&s, "main;zeta", 5, 0);
	add_line(&s, "main;alpha;x", 3, 0);
	add_line(&s, "main", 2, 0);
	add_line(&s, "main;alpha", 1, 0);
	ms_flame_tree t;
	ms_flame_tree_build(&t, &s, 0, 0);
	ck_assert_int_eq(t.nodes[0].total[0], 11);
	const ms_flame_node *m = &t.nodes[t.nodes[0].first_child];
	ck_assert_str_eq(ms_flame_node_name(&t, m), "main");
	ck_assert_int_eq(m->total[0], 11);
	ck_assert_int_eq(m->self[0], 2);
	const ms_flame_node *a = &t.nodes[m->first_child];
	ck_assert_str_eq(ms_flame_node_name(&t, a), "alpha"); /* name order */
	ck_assert_int_eq(a->total[0], 4);
	ck_assert_str_eq(ms_flame_node_name(&t, &t.nodes[a->next_sibling]), "zeta");
	ck_assert_uint_eq(t.max_depth, 3);
	ck_assert_int_eq(t.nodes[a->next_sibling].x, 4); /* zeta after alpha's 4 */
	ms_flame_tree_free(&t);
	/* pruned while built: 1 px per unit, minwidth 3.5 keeps all, main,
	 * alpha (4) and zeta (5) but not x (3); zeta stays at x = 4 */
	ms_flame_tree_build(&t, &s, 1.0, 3.5);
	ck_assert_uint_eq(t.nnodes, 4);
	ck_assert_uint_eq(t.max_depth, 2);
	m = &t.nodes[t.nodes[0].first_child];
	a = &t.nodes[m->first_child];
	ck_assert_uint_eq(a->first_child, MS_NONE);
	ck_assert_int_eq(t.nodes[a->next_sibling].x, 4);
	ms_flame_tree_free(&t);
	ms_stacks_free(&s);
}
END_TEST

START_TEST(test_svg_frames_above_pruning_width)
{
	/* width 1200 - 2·10 px for 1000 units: 1.18 px per unit. minwidth 2 px
	 * keeps frames of >= 2 units and prunes the 1-unit ones (1.18 px) */
	ms_stacks s;
	ms_stacks_init(&s, 1);
	add_line(&s, "main;big;deep", 900, 0);
	add_line(&s, "main;medium", 98, 0);
	add_line(&s, "main;tiny;under_tiny", 1, 0);
	add_line(&s, "main;small", 1, 0);
	ms_flame_svg_opts o;
	ms_flame_svg_opts_init(&o);
	o.minwidth = 2;
	o.type = "inuse_space";
	o.unit = "bytes";
	long frames;
	char *svg = svg_of(&s, &o, &frames);
	ck_assert_int_eq(frames, 5); /* all, main, big, deep, medium */
	ck_assert(strstr(svg, "<title>all\n1000B, 100%</title>") != NULL);
	ck_assert(strstr(svg, "<title>main\n1000B, 100%</title>") != NULL);
	ck_assert(strstr(svg, "<title>big\n900B, 90.00%</title>") != NULL);
	ck_assert(strstr(svg, "<title>deep\n900B, 90.00%</title>") != NULL);
	ck_assert(strstr(svg, "<title>medium\n98B, 9.80%</title>") != NULL);
	ck_assert(strstr(svg, "<title>tiny") == NULL);
	ck_assert(strstr(svg, "<title>under_tiny") == NULL);
	ck_assert(strstr(svg, "<title>small") == NULL);
	/* memory palette: green-blue (r = 0) for named frames */
	ck_assert(strstr(svg, "fill=\"rgb(0,") != NULL);
	/* self-contained: scripts and styles inline, nothing fetched */
	ck_assert(strstr(svg, "function zoom(") != NULL);
	ck_assert(strstr(svg, "href=\"http") == NULL);
	ck_assert(strstr(svg, "src=") == NULL);
	free(svg);
	/* minwidth 0 draws everything */
	o.minwidth = 0;
	svg = svg_of(&s, &o, &frames);
	ck_assert_int_eq(frames, 8);
	free(svg);
	ms_stacks_free(&s);
}
END_TEST

START_TEST(test_svg_real_folded_every_frame_above_width)
{
	/* every prefix of the real folded stacks whose total is at least
	 * minwidth px is drawn, with its name, and nothing else is: prefix
	 * totals computed here from the lines themselves */
	ms_err err;
	ms_buf text = MS_BUF_INIT;
	ck_assert_int_eq(ms_read_all(data_path("testdata/perf/cpuwork.folded"), &text, &err), 0);
	ms_strtab prefixes;
	ms_strtab_init(&prefixes);
	int64_t totals[4096] = { 0 }, grand = 0;
	ms_stacks s;
	ms_stacks_init(&s, 1);
	for (char *line = text.data; *line;) {
		char *nl = strchr(line, '\n');
		char *sp = memrchr(line, ' ', (size_t)(nl - line));
		int64_t v = strtoll(sp + 1, NULL, 10);
		grand += v;
		for (char *q = line; q <= sp; q++)
			if (*q == ';' || q == sp) {
				uint32_t id = ms_strtab_intern(&prefixes, line, (size_t)(q - line));
				ck_assert_uint_lt(id, 4096);
				totals[id] += v;
			}
		*sp = '\0';
		add_line(&s, line, v, 0);
		line = nl + 1;
	}
	ms_flame_svg_opts o;
	ms_flame_svg_opts_init(&o);
	o.minwidth = 1.5;
	o.type = "cpu";
	o.unit = "nanoseconds";
	long frames;
	char *svg = svg_of(&s, &o, &frames);
	double scale = (1200.0 - 20) / (double)grand;
	long want = 1; /* the root */
	for (uint32_t id = 1; id < prefixes.n; id++) {
		const char *pfx = prefixes.str[id];
		const char *last = strrchr(pfx, ';');
		char needle[1024];
		snprintf(needle, sizeof needle, "<title>%s\n", last ? last + 1 : pfx);
		if ((double)totals[id] * scale >= o.minwidth) {
			want++;
			ck_assert_msg(strstr(svg, needle) != NULL, "frame of %s missing", pfx);
		}
	}
	ck_assert_int_eq(frames, want);
	long titles = 0;
	for (const char *p = svg; (p = strstr(p, "<g><title>")); p++)
		titles++;
	ck_assert_int_eq(titles, want);
	ck_assert(want > 50 && want < (long)prefixes.n); /* some pruned, many kept */
	free(svg);
	ms_stacks_free(&s);
	ms_strtab_free(&prefixes);
	ms_buf_free(&text);
}
END_TEST

START_TEST(test_svg_escaping_and_icicle)
{
	ms_stacks s;
	ms_stacks_init(&s, 1);
	add_line(&s, "a<b>&\"c\";bad\xff\xfeutf8", 10, 0);
	ms_flame_svg_opts o;
	ms_flame_svg_opts_init(&o);
	o.icicle = 1;
	o.title = "T & <t>";
	long frames;
	char *svg = svg_of(&s, &o, &frames);
	ck_assert_int_eq(frames, 3);
	ck_assert(strstr(svg, "<title>a&lt;b&gt;&amp;&quot;c&quot;\n10 samples, 100%</title>") != NULL);
	ck_assert(strstr(svg, "<title>bad\xef\xbf\xbd\xef\xbf\xbdutf8\n") != NULL);
	ck_assert(strstr(svg, ">T &amp; &lt;t&gt;</text>") != NULL);
	ck_assert(strstr(svg, "icicle: 1") != NULL);
	/* icicle: the root at the top, y = 60 */
	ck_assert(strstr(svg, "<title>all\n10 samples, 100%</title><rect x=\"10.00\" y=\"60\"") != NULL);
	free(svg);
	ms_stacks_free(&s);
}
END_TEST

START_TEST(test_svg_differential)
{
	ms_stacks s;
	ms_stacks_init(&s, 2);
	add_line(&s, "main;grow", 100, 0);
	add_line(&s, "main;grow", 300, 1);
	add_line(&s, "main;shrink", 200, 0);
	add_line(&s, "main;shrink", 100, 1);
	add_line(&s, "main;gone", 50, 0);
	ms_flame_svg_opts o;
	ms_flame_svg_opts_init(&o);
	long frames;
	char *svg = svg_of(&s, &o, &frames);
	ck_assert_int_eq(frames, 4); /* gone has no width in new */
	ck_assert(strstr(svg, "<title>grow\nnew 300 samples, 75.00%; base 100 samples; delta +200 samples, +200.00%; "
			      "self delta +200 samples</title>") != NULL);
	/* the largest |self delta| is fully saturated red; shrink (-100) half way blue */
	ck_assert(strstr(svg, "samples</title><rect x=\"10.00\" y=\"") != NULL);
	ck_assert(strstr(svg, "fill=\"rgb(255,0,0)\"") != NULL);
	ck_assert(strstr(svg, "fill=\"rgb(105,105,255)\"") != NULL);
	ck_assert(strstr(svg, "Differential Flame Graph") != NULL);
	free(svg);
	ms_stacks_free(&s);
}
END_TEST

START_TEST(test_svg_stays_small_for_400k_stacks)
{
	/* 400k distinct stacks 12 deep, a 4-way tree of frames f0..f3 with
	 * uneven weights, like a big heap profile: pruning at the default 0.1 px
	 * must keep the file to a few MB */
	ms_stacks s;
	ms_stacks_init(&s, 1);
	uint32_t names[4] = { ms_stacks_name(&s, "runtime.mallocgc", 16), ms_stacks_name(&s, "main.handle", 11),
		ms_stacks_name(&s, "encoding/json.(*decodeState).object", 35), ms_stacks_name(&s, "main.parse", 10) };
	uint64_t x = 88172645463325252ULL;
	ms_err err;
	for (int i = 0; i < 400000; i++) {
		uint32_t st[12];
		for (int d = 0; d < 12; d++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			st[d] = names[(x >> 11) % 4];
		}
		ck_assert_int_eq(ms_stacks_add(&s, st, 12, 0, (int64_t)(1 + (x >> 40) % 5000), &err), 0);
	}
	ms_flame_svg_opts o;
	ms_flame_svg_opts_init(&o);
	long frames;
	char *svg = svg_of(&s, &o, &frames);
	size_t len = strlen(svg);
	ck_assert_msg(len < 4u << 20, "SVG of %zu bytes", len);
	ck_assert(frames > 1000);
	free(svg);
	ms_stacks_free(&s);
}
END_TEST

static Suite *flame_suite(void)
{
	Suite *s = suite_create("flame");
	TCase *t = tcase_create("flame");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_perf_matches_reference_collapser);
	tcase_add_test(t, test_perf_naming_rules);
	tcase_add_test(t, test_perf_pid_tid_kernel);
	tcase_add_test(t, test_perf_first_event_only);
	tcase_add_test(t, test_perf_damaged_input);
	tcase_add_test(t, test_format_detection);
	tcase_add_test(t, test_folded_reader);
	tcase_add_test(t, test_folded_round_trip_of_reference);
	tcase_add_test(t, test_pprof_totals_preserved);
	tcase_add_test(t, test_diff_columns_equal_inputs);
	tcase_add_test(t, test_tree_order_and_totals);
	tcase_add_test(t, test_svg_frames_above_pruning_width);
	tcase_add_test(t, test_svg_real_folded_every_frame_above_width);
	tcase_add_test(t, test_svg_escaping_and_icicle);
	tcase_add_test(t, test_svg_differential);
	tcase_add_test(t, test_svg_stays_small_for_400k_stacks);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(flame_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
