/* check_diff.c — unit tests of diff rows and gate parsing/evaluation. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "profile/load.h"

static ms_profile *load(const char *rel)
{
	char path[4096];
	const char *top = getenv("srcdir");
	snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	return p;
}

START_TEST(test_gate_parse_forms)
{
	ms_gate g;
	ms_err err;
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+5%", &err), 0);
	ck_assert_str_eq(g.type, "inuse_space");
	ck_assert_int_eq(g.kind, MS_GATE_PERCENT);
	ck_assert(g.limit == 5);
	ck_assert_ptr_null(g.site);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+20MB", &err), 0);
	ck_assert_int_eq(g.kind, MS_GATE_ABSOLUTE);
	ck_assert(g.limit == 20.0 * 1048576);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:1.5KiB", &err), 0);
	ck_assert(g.limit == 1536);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "alloc_objects:+10%", &err), 0);
	ck_assert_str_eq(g.type, "alloc_objects");
	ms_gate_free(&g);
	/* the limit follows the last ':' so a site regex may contain ':' */
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space@main\\.(a|b):x:+1MB", &err), 0);
	ck_assert_str_eq(g.site, "main\\.(a|b):x");
	ck_assert(g.limit == 1048576);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+3sigma", &err), 0);
	ck_assert_int_eq(g.kind, MS_GATE_SIGMA);
	ck_assert(g.limit == 3);
	ms_gate_free(&g);
}
END_TEST

START_TEST(test_gate_parse_errors)
{
	const char *bad[] = { "inuse_space", ":+5%", "inuse_space:", "inuse_space:+5XB", "inuse_space:-5%",
		"inuse space:+5%", "inuse_space@:+1MB", "inuse_space@(:+1MB", "inuse_space@x:+3sigma",
		"inuse_space:+nan%", "inuse_space:+inf%" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ms_gate g;
		ms_err err;
		ck_assert_msg(ms_gate_parse(&g, bad[i], &err) == -1, "'%s' parsed", bad[i]);
		ck_assert_ptr_nonnull(strstr(err.msg, bad[i]));
	}
}
END_TEST

START_TEST(test_diff_rows_and_gates)
{
	ms_profile *b = load("testdata/go1.19/heap.0.pb.gz");
	ms_profile *n = load("testdata/go1.19/heap.4.pb.gz");
	ms_diff_opts o;
	memset(&o, 0, sizeof o);
	ms_graph_opts_init(&o.graph);
	ms_diff d;
	ms_err err;
	const ms_profile *bases[1] = { b };
	ck_assert_int_eq(ms_diff_build(&d, n, bases, 1, &o, &err), 0);
	ck_assert_str_eq(d.type, "inuse_space");
	ck_assert_int_eq(d.base_total, 18556270);
	ck_assert_int_eq(d.new_total, 70363132);
	/* sorted by |delta|: newSession, then main.remember's -683.75kB */
	ck_assert_str_eq(d.rows[0].name, "main.newSession");
	ck_assert(d.rows[0].delta == 51982722);
	ck_assert_str_eq(d.rows[1].name, "main.remember");
	ck_assert(d.rows[1].delta == -700156);
	/* rows whose flat did not change are not listed */
	for (size_t i = 0; i < d.nrows; i++)
		ck_assert(d.rows[i].delta != 0);

	ms_gate g;
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+279%", &err), 0);
	ck_assert_int_eq(ms_gate_eval(&g, &d, &err), 0);
	ck_assert(g.tripped); /* +279.19% */
	ck_assert(fabs(g.observed - 279.1879) < 0.001);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+280%", &err), 0);
	ck_assert_int_eq(ms_gate_eval(&g, &d, &err), 0);
	ck_assert(!g.tripped);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space@remember:+0B", &err), 0);
	ck_assert_int_eq(ms_gate_eval(&g, &d, &err), 0);
	ck_assert(!g.tripped);
	ck_assert(g.observed == -700156);
	ms_gate_free(&g);
	ck_assert_int_eq(ms_gate_parse(&g, "inuse_space:+3sigma", &err), 0);
	ck_assert_int_eq(ms_gate_eval(&g, &d, &err), -1);
	ms_gate_free(&g);
	ms_diff_free(&d);

	/* two identical baselines: zero spread, mean = the baseline */
	const ms_profile *two[2] = { b, b };
	ck_assert_int_eq(ms_diff_build(&d, n, two, 2, &o, &err), 0);
	ck_assert_int_eq(d.base_total, 18556270);
	ck_assert(d.base_stddev == 0);
	ms_diff_free(&d);

	/* normalize: the baseline scaled to the new total */
	o.normalize = true;
	ck_assert_int_eq(ms_diff_build(&d, n, bases, 1, &o, &err), 0);
	ck_assert_int_eq(d.base_total, d.new_total);
	ms_diff_free(&d);
	ms_profile_free(b);
	ms_profile_free(n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diff");
	TCase *t = tcase_create("gates");
	tcase_add_test(t, test_gate_parse_forms);
	tcase_add_test(t, test_gate_parse_errors);
	tcase_add_test(t, test_diff_rows_and_gates);
	suite_add_tcase(s, t);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
