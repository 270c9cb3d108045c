/* check_gotrace.c — the generational Go trace reader (gotrace_v2.c) on
 * constructed and damaged input:
 *   - a small trace built here event by event, whose intervals are known
 *     from its construction (ticks of 1 ns);
 *   - a stack id out of range, a string id defined only in another
 *     generation, an event type of a later release: exit-2 errors naming a
 *     byte offset;
 *   - a real 3-generation trace (testdata/gotrace/gens.go1.23.trace) cut at
 *     every batch boundary and inside every batch: either the documented
 *     truncation (read up to the last complete generation, whose totals
 *     equal those of the file cut there) or a "byte N:" error — never a
 *     crash, an overread (the cut copies are exactly sized for ASan) or a
 *     hang;
 *   - the same trace with one byte flipped (every 7th position) or a varint
 *     made overlong: 0 or a "byte N:" error;
 *   - the GC events of a real trace: balanced, named, in time order.
 * Totals against `go tool trace` are tests/gotrace_live.sh's job.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/gotrace.h"
#include "util/buf.h"
#include "util/io.h"

static ms_buf load(const char *rel)
{
	char path[4096];
	const char *top = getenv("srcdir");
	snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
	ms_buf b = MS_BUF_INIT;
	ms_err err;
	ck_assert_msg(ms_read_all(path, &b, &err) == 0, "%s", err.msg);
	return b;
}

/* ---- a trace builder ---------------------------------------------------- */

static void uv(ms_buf *b, uint64_t v)
{
	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		ms_buf_addch(b, (char)(v ? c | 0x80 : c));
	} while (v);
}

static void ev(ms_buf *b, int typ, int n, const uint64_t *a)
{
	ms_buf_addch(b, (char)typ);
	for (int i = 0; i < n; i++)
		uv(b, a[i]);
}
#define EV(b, typ, ...)                                                                 \
	do {                                                                            \
		const uint64_t a_[] = { __VA_ARGS__ };                                  \
		ev(b, typ, (int)(sizeof a_ / sizeof a_[0]), a_);                        \
	} while (0)

static void batch(ms_buf *out, uint64_t gen, uint64_t m, uint64_t time, ms_buf *body)
{
	ms_buf_addch(out, 1);
	uv(out, gen);
	uv(out, m);
	uv(out, time);
	uv(out, body->len);
	ms_buf_add(out, body->data, body->len);
	ms_buf_reset(body);
}

static void header(ms_buf *out, int minor)
{
	char h[16] = { 0 };
	snprintf(h, sizeof h, "go 1.%d trace", minor);
	ms_buf_add(out, h, 16);
}

/* One generation's tables: frequency 1e9 (1 tick = 1 ns), strings
 * 1 "sync" 2 "main.f" 3 "main.go", stack 1 = main.f at pc 0x1000. */
static void tables(ms_buf *out, uint64_t gen, bool strings, bool stacks)
{
	ms_buf b = MS_BUF_INIT;
	EV(&b, 8, 1000000000);
	batch(out, gen, UINT64_MAX, 1, &b);
	ms_buf_addch(&b, 4);
	if (strings) {
		const char *s[] = { "sync", "main.f", "main.go" };
		for (int i = 0; i < 3; i++) {
			EV(&b, 5, (uint64_t)i + 1, strlen(s[i]));
			ms_buf_addstr(&b, s[i]);
		}
	}
	batch(out, gen, UINT64_MAX, 1, &b);
	ms_buf_addch(&b, 2);
	if (stacks)
		EV(&b, 3, 1, 1, 0x1000, 2, 3, 10);
	batch(out, gen, UINT64_MAX, 1, &b);
	ms_buf_free(&b);
}

typedef struct got {
	int n;
	int64_t ns[8];
	char why[8][32];
	size_t nframes[8];
} got;

static int on_iv(void *ctx, const ms_gt_interval *iv)
{
	got *g = ctx;
	if (g->n < 8) {
		g->ns[g->n] = iv->end_ns - iv->start_ns;
		snprintf(g->why[g->n], sizeof g->why[0], "%s", iv->why);
		g->nframes[g->n] = iv->nframes;
	}
	g->n++;
	return 0;
}

static int read_trace(const ms_buf *t, got *g, ms_gt_stats *st, ms_buf *warn, ms_err *err)
{
	/* an exactly sized copy: ASan sees any read past the end */
	uint8_t *copy = malloc(t->len ? t->len : 1);
	memcpy(copy, t->data, t->len);
	ms_gt_sink sink = { g, on_iv, NULL, NULL };
	ms_gt_opts o = { 0 };
	int rc = ms_gotrace_read(copy, t->len, &o, &sink, st, warn, err);
	free(copy);
	return rc;
}

/* p0 running, g1 running on m0 (t = base + 2) */
static void g1_running(ms_buf *b)
{
	EV(b, 13, 1, 0, 1); /* ProcStatus p0 running */
	EV(b, 25, 1, 1, 0, 2); /* GoStatus g1 running on m0 */
}

/* g1 running on p0 blocks on "sync" at t=112 (stack 1); g2 unblocks it at
 * t=117 with stack 1: one sync interval of 5 ns. */
static void good_events(ms_buf *out, uint64_t gen, uint64_t block_stack, uint64_t reason)
{
	ms_buf b = MS_BUF_INIT;
	g1_running(&b);            /* t=101, 102 */
	EV(&b, 25, 1, 2, UINT64_MAX, 4); /* GoStatus g2 waiting, t=103 */
	EV(&b, 20, 9, reason, block_stack); /* GoBlock, t=112 */
	EV(&b, 21, 1, 2, 1, 0);    /* GoUnblock g2 seq 1 (no stack), t=113 */
	EV(&b, 16, 1, 2, 2);       /* GoStart g2 seq 2, t=114 */
	EV(&b, 21, 3, 1, 1, 1);    /* GoUnblock g1 seq 1, stack 1, t=117 */
	batch(out, gen, 0, 100, &b);
	ms_buf_free(&b);
}

START_TEST(constructed)
{
	ms_buf t = MS_BUF_INIT;
	header(&t, 22);
	tables(&t, 1, true, true);
	good_events(&t, 1, 1, 1);
	got g = { 0 };
	ms_gt_stats st;
	ms_err err;
	ck_assert_msg(read_trace(&t, &g, &st, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.ns[0], 5);
	ck_assert_str_eq(g.why[0], "sync");
	ck_assert_uint_eq(g.nframes[0], 1);
	ck_assert_uint_eq(st.kind_count[MS_GT_SYNC], 1);
	ck_assert_int_eq(st.kind_ns[MS_GT_SYNC], 5);
	ck_assert_uint_eq(st.goroutines, 2);
	ck_assert_uint_eq(st.generations, 1);
	ms_buf_free(&t);
}
END_TEST

static void expect_error(const ms_buf *t, const char *what)
{
	got g = { 0 };
	ms_gt_stats st;
	ms_err err;
	ck_assert_int_eq(read_trace(t, &g, &st, NULL, &err), -1);
	ck_assert_msg(strncmp(err.msg, "byte ", 5) == 0 && strstr(err.msg, what), "message: %s", err.msg);
}

START_TEST(stack_out_of_range)
{
	ms_buf t = MS_BUF_INIT;
	header(&t, 23);
	tables(&t, 1, true, true);
	good_events(&t, 1, 7, 1); /* stack 7 is not in the table */
	expect_error(&t, "stack id");
	ms_buf_free(&t);
}
END_TEST

START_TEST(string_from_another_generation)
{
	ms_buf t = MS_BUF_INIT, b = MS_BUF_INIT;
	header(&t, 23);
	tables(&t, 1, true, true);
	g1_running(&b);
	batch(&t, 1, 0, 100, &b);
	tables(&t, 2, false, true); /* generation 2 defines no strings */
	g1_running(&b);
	EV(&b, 20, 9, 1, 1); /* GoBlock reason = string 1 of generation 1 */
	batch(&t, 2, 0, 200, &b);
	expect_error(&t, "string id");
	ms_buf_free(&t);
	ms_buf_free(&b);
}
END_TEST

START_TEST(stack_names_missing_string)
{
	ms_buf t = MS_BUF_INIT;
	header(&t, 22);
	tables(&t, 1, false, true); /* stack 1 names strings 2 and 3 */
	good_events(&t, 1, 1, 0);
	expect_error(&t, "string id");
	ms_buf_free(&t);
}
END_TEST

START_TEST(later_release_event)
{
	/* GoStatusStack (48) exists from go 1.23: in a 1.22 trace it is
	 * corrupt */
	ms_buf t = MS_BUF_INIT, b = MS_BUF_INIT;
	header(&t, 22);
	tables(&t, 1, true, true);
	EV(&b, 13, 1, 0, 1); /* ProcStatus, then GoStatusStack */
	EV(&b, 48, 1, 1, 0, 2, 1);
	batch(&t, 1, 0, 100, &b);
	expect_error(&t, "invalid event type 48");
	ms_buf_free(&t);
	ms_buf_free(&b);
}
END_TEST

START_TEST(unknown_version)
{
	ms_buf t = MS_BUF_INIT;
	header(&t, 24);
	tables(&t, 1, true, true);
	ms_gt_stats st;
	ms_err err;
	ck_assert_int_eq(ms_gotrace_read((const uint8_t *)t.data, t.len, NULL, NULL, &st, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "byte 0") && strstr(err.msg, "1.24"), "%s", err.msg);
	ms_buf_free(&t);
}
END_TEST

/* ---- damaged real traces ---------------------------------------------------- */

static uint64_t get_uv(const uint8_t *p, size_t *i)
{
	uint64_t v = 0;
	for (unsigned s = 0;; s += 7) {
		uint8_t c = p[(*i)++];
		v |= (uint64_t)(c & 0x7f) << s;
		if (c < 0x80)
			return v;
	}
}

/* Batch start offsets (and the file end) of a well-formed trace. */
static size_t boundaries(const ms_buf *t, size_t *out, uint64_t *gens, size_t max)
{
	const uint8_t *p = (const uint8_t *)t->data;
	size_t i = 16, n = 0;
	while (i < t->len && n < max) {
		out[n] = i;
		bool exp = p[i] == 49;
		i += exp ? 2 : 1;
		gens[n++] = get_uv(p, &i);
		get_uv(p, &i);
		get_uv(p, &i);
		size_t len = (size_t)get_uv(p, &i);
		i += len;
	}
	out[n] = t->len;
	return n;
}

START_TEST(truncated_everywhere)
{
	ms_buf t = load("testdata/gotrace/gens.go1.23.trace");
	static size_t at[4096];
	static uint64_t gen[4096];
	size_t nb = boundaries(&t, at, gen, 4095);
	ck_assert_uint_gt(nb, 10);
	got g = { 0 };
	ms_gt_stats full;
	ms_err err;
	ck_assert_msg(read_trace(&t, &g, &full, NULL, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(full.generations, 3);
	int truncations = 0, errors = 0;
	for (size_t k = 0; k < nb; k++) {
		size_t cuts[4] = { at[k], at[k] + 1, at[k] + 3, (at[k] + at[k + 1]) / 2 };
		for (int c = 0; c < 4; c++) {
			if (cuts[c] <= 16 || cuts[c] >= t.len)
				continue;
			ms_buf cut = MS_BUF_INIT;
			ms_buf_add(&cut, t.data, cuts[c]);
			ms_buf warn = MS_BUF_INIT;
			ms_gt_stats st;
			got g2 = { 0 };
			int rc = read_trace(&cut, &g2, &st, &warn, &err);
			if (rc < 0) {
				ck_assert_msg(strncmp(err.msg, "byte ", 5) == 0, "cut at %zu: %s", cuts[c], err.msg);
				errors++;
			} else if (st.truncated_at) {
				truncations++;
				ck_assert_msg(strstr(warn.data, "byte ") != NULL, "cut at %zu: warning '%s'", cuts[c],
					warn.data ? warn.data : "");
				ck_assert_uint_lt(st.generations, 3);
				/* the same as the file cut where the last complete
				 * generation ends */
				ms_buf whole = MS_BUF_INIT;
				ms_buf_add(&whole, t.data, st.truncated_at);
				ms_gt_stats ws;
				got g3 = { 0 };
				ck_assert_msg(read_trace(&whole, &g3, &ws, NULL, &err) == 0, "%s", err.msg);
				ck_assert_uint_eq(ws.truncated_at, 0);
				ck_assert_uint_eq(ws.generations, st.generations);
				for (int kk = 0; kk < MS_GT_NKINDS; kk++) {
					ck_assert_uint_eq(ws.kind_count[kk], st.kind_count[kk]);
					ck_assert_int_eq(ws.kind_ns[kk], st.kind_ns[kk]);
				}
				ms_buf_free(&whole);
			}
			ms_buf_free(&warn);
			ms_buf_free(&cut);
		}
	}
	/* cuts inside generations 2 and 3 read the generations before */
	ck_assert_int_gt(truncations, 10);
	ck_assert_int_gt(errors, 0);
	ms_buf_free(&t);
}
END_TEST

START_TEST(flipped_bytes)
{
	ms_buf t = load("testdata/gotrace/gens.go1.23.trace");
	int errors = 0;
	for (size_t i = 16; i < t.len; i += 7) {
		for (int mode = 0; mode < 2; mode++) {
			ms_buf m = MS_BUF_INIT;
			ms_buf_add(&m, t.data, t.len);
			if (mode == 0)
				m.data[i] ^= (char)0xff;
			else /* an overlong varint: 11 continuation bytes */
				for (size_t j = i; j < i + 11 && j < m.len; j++)
					m.data[j] = (char)0x80;
			got g = { 0 };
			ms_gt_stats st;
			ms_err err;
			if (read_trace(&m, &g, &st, NULL, &err) < 0) {
				ck_assert_msg(strncmp(err.msg, "byte ", 5) == 0, "flip at %zu: %s", i, err.msg);
				errors++;
			}
			ms_buf_free(&m);
		}
	}
	ck_assert_int_gt(errors, 100);
	ms_buf_free(&t);
}
END_TEST

/* ---- the GC events handed to the sink ----------------------------------- */

typedef struct gcseen {
	int64_t last_ts;
	int begins, ends, stw_open, stws, heap, goals, procs, workers_open, workers, assists_open, bad;
	char bad_what[200];
} gcseen;

static int on_gc(void *ctx, const ms_gt_gc_event *e)
{
	gcseen *g = ctx;
	if (e->ts_ns < g->last_ts && !g->bad++)
		snprintf(g->bad_what, sizeof g->bad_what, "time goes back at %lld", (long long)e->ts_ns);
	g->last_ts = e->ts_ns;
	switch (e->what) {
	case MS_GT_GC_BEGIN: g->begins++; break;
	case MS_GT_GC_END: g->ends++; break;
	case MS_GT_STW_BEGIN:
		g->stw_open++, g->stws++;
		if ((!e->reason || !*e->reason) && !g->bad++)
			snprintf(g->bad_what, sizeof g->bad_what, "STW without a reason");
		break;
	case MS_GT_STW_END: g->stw_open--; break;
	case MS_GT_HEAP_ALLOC: g->heap++; break;
	case MS_GT_HEAP_GOAL: g->goals++; break;
	case MS_GT_PROCS: g->procs++; break;
	case MS_GT_WORKER_BEGIN:
		g->workers_open++, g->workers++;
		if (strcmp(e->reason, "dedicated") && strcmp(e->reason, "fractional") && strcmp(e->reason, "idle") &&
			!g->bad++)
			snprintf(g->bad_what, sizeof g->bad_what, "worker mode '%s'", e->reason);
		break;
	case MS_GT_WORKER_END: g->workers_open--; break;
	case MS_GT_ASSIST_BEGIN: g->assists_open++; break;
	case MS_GT_ASSIST_END: g->assists_open--; break;
	default: break;
	}
	if ((g->stw_open < 0 || g->stw_open > 1 || g->workers_open < 0) && !g->bad++)
		snprintf(g->bad_what, sizeof g->bad_what, "unbalanced STW or worker at %lld", (long long)e->ts_ns);
	return 0;
}

/* The demo run's GC: the trace is the whole program (GCs during it
 * complete), STW pauses are balanced and named ("GC sweep termination" and
 * "GC mark termination" for each cycle: at least two per cycle), workers
 * are labelled, time never goes back. */
START_TEST(gc_events)
{
	ms_buf t = load("testdata/gotrace/demo.go1.23.trace");
	gcseen g = { 0 };
	ms_gt_sink sink = { &g, NULL, NULL, on_gc };
	ms_gt_stats st;
	ms_err err;
	ck_assert_msg(ms_gotrace_read((const uint8_t *)t.data, t.len, NULL, &sink, &st, NULL, &err) == 0, "%s", err.msg);
	ck_assert_msg(g.bad == 0, "%s", g.bad_what);
	ck_assert_int_gt(g.begins, 0);
	/* a cycle already running when tracing started (GCActive) begins too */
	ck_assert_msg((uint64_t)g.begins == st.gc_cycles || (uint64_t)g.begins == st.gc_cycles + 1, "%d %llu",
		g.begins, (unsigned long long)st.gc_cycles);
	ck_assert_int_ge(g.ends, g.begins - 1);
	ck_assert_int_ge(g.stws, 2 * g.ends);
	ck_assert_int_eq(g.stw_open, 0);
	ck_assert_int_gt(g.heap, g.begins);
	ck_assert_int_gt(g.goals, 0);
	ck_assert_int_gt(g.procs, 0);
	ck_assert_int_gt(g.workers, 0);
	ck_assert_int_eq(g.assists_open, 0);
	ms_buf_free(&t);
}
END_TEST

static Suite *gotrace_suite(void)
{
	Suite *s = suite_create("gotrace");
	TCase *t = tcase_create("constructed");
	tcase_add_test(t, constructed);
	tcase_add_test(t, stack_out_of_range);
	tcase_add_test(t, string_from_another_generation);
	tcase_add_test(t, stack_names_missing_string);
	tcase_add_test(t, later_release_event);
	tcase_add_test(t, unknown_version);
	tcase_add_test(t, gc_events);
	suite_add_tcase(s, t);
	t = tcase_create("damaged");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, truncated_everywhere);
	tcase_add_test(t, flipped_bytes);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gotrace_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
