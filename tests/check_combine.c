/* check_combine.c — pprof's merge of several inputs (profile/combine.c) on
 * small built profiles, for what the goldens (tests/cli/views_golden.t)
 * cannot reach with real Go profiles: units of one family converted (pprof's
 * ScaleProfiles), refusals leaving the profile untouched, cancellation under
 * a base, header rules. Expected values follow from the construction. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "profile/combine.h"

/* A profile with one type and one sample per function name in names (a
 * one-frame stack each), values[i] for names[i]. */
static ms_profile *make(const char *type, const char *unit, const char *const *names, const int64_t *values, size_t n)
{
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, type, unit);
	p->period_type.type = ms_profile_str(p, "space");
	p->period_type.unit = ms_profile_str(p, "bytes");
	for (size_t i = 0; i < n; i++) {
		uint32_t f = ms_profile_intern_function(p, ms_profile_str(p, names[i]), ms_profile_str(p, "x.go"));
		uint32_t loc = ms_profile_intern_frame(p, f, 10);
		ms_profile_add_sample(p, &loc, 1, &values[i], NULL, 0);
	}
	return p;
}

START_TEST(test_units_convert_to_finest)
{
	const char *a[] = { "f" }, *b[] = { "f", "g" };
	int64_t va[] = { 100 }, vb[] = { 2, 3 };
	ms_profile *p = make("alloc_space", "bytes", a, va, 1);
	ms_profile *q = make("alloc_space", "kilobytes", b, vb, 2);
	ms_err err;
	ck_assert_int_eq(ms_profile_combine(p, q, 1.0, &err), 0);
	ms_profile_compact(p);
	/* f: 100 B + 2 kB = 2148 B in one sample; g: 3 kB = 3072 B */
	ck_assert_uint_eq(p->nsamples, 2);
	ck_assert_int_eq(p->values[0], 100 + 2 * 1024);
	ck_assert_int_eq(p->values[1], 3 * 1024);
	ck_assert_str_eq(ms_profile_string(p, p->types[0].unit), "bytes");
	ms_profile_free(p);
	ms_profile_free(q);
}
END_TEST

START_TEST(test_refusals_leave_dst_alone)
{
	const char *a[] = { "f" };
	int64_t va[] = { 100 };
	ms_profile *p = make("alloc_space", "bytes", a, va, 1);
	ms_profile *q = make("cpu", "nanoseconds", a, va, 1);
	ms_profile *r = make("alloc_space", "nanoseconds", a, va, 1);
	ms_err err;
	ck_assert_int_lt(ms_profile_combine(p, q, 1.0, &err), 0);
	ck_assert_int_lt(ms_profile_combine(p, r, 1.0, &err), 0);
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(p->values[0], 100);
	ms_profile_free(p);
	ms_profile_free(q);
	ms_profile_free(r);
}
END_TEST

START_TEST(test_base_cancels_equal_stacks)
{
	const char *a[] = { "f", "g", "h" }, *b[] = { "g", "f" };
	int64_t va[] = { 10, 20, 0 }, vb[] = { 20, 4 };
	ms_profile *p = make("inuse_space", "bytes", a, va, 3);
	ms_profile *q = make("inuse_space", "bytes", b, vb, 2);
	p->time_nanos = 50;
	q->time_nanos = 40;
	p->duration_nanos = 5;
	q->duration_nanos = 7;
	p->period = 1;
	q->period = 512;
	ms_err err;
	ck_assert_int_eq(ms_profile_combine(p, q, -1.0, &err), 0);
	ms_profile_compact(p);
	/* f: 10 - 4; g: 20 - 20 cancels; h: zero from the start; both dropped */
	ck_assert_uint_eq(p->nsamples, 1);
	ck_assert_int_eq(p->values[0], 6);
	ck_assert_int_eq(p->time_nanos, 40);
	ck_assert_int_eq(p->duration_nanos, 12);
	ck_assert_int_eq(p->period, 512);
	ms_profile_free(p);
	ms_profile_free(q);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("combine");
	TCase *tc = tcase_create("combine");
	tcase_add_test(tc, test_units_convert_to_finest);
	tcase_add_test(tc, test_refusals_leave_dst_alone);
	tcase_add_test(tc, test_base_cancels_equal_stacks);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
