/* check_gctrace.c — unit tests of src/gctrace/: the line parser on every
 * format variant, the streaming log reader, bad input, and the analysis
 * (exact statistics of the real Go 1.19 logs in testdata/go1.19 and the
 * findings on constructed leak / plateau / thrash logs).
 *
 * The expected numbers for the real logs were computed by hand from the raw
 * lines with awk, independently of memscope, e.g. the pause (sweep
 * termination + mark termination of the clock field):
 *   awk '{split($5,c,"+"); printf "%.3f\n", c[1]+c[3]}' LOG | sort -n
 * and the intervals from the @ fields; the GC CPU formula was re-done in awk
 * (Σ sweep-term + assist + background + mark-term cpu over Σ P × elapsed).
 */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gctrace/gctrace.h"
#include "render/gctrace_render.h"

static char *data_path(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("srcdir");
	snprintf(buf, sizeof buf, "%s/%s", top ? top : ".", rel);
	return buf;
}

static ms_gctrace_log *load(const char *rel)
{
	ms_err err;
	ms_gctrace_log *log = ms_gctrace_read(data_path(rel), &(ms_gctrace_read_opts){ .keep_foreign = 1 }, &err);
	ck_assert_msg(log != NULL, "%s", err.msg);
	return log;
}

static enum ms_gctrace_line_kind parse(const char *s, ms_gctrace_record *r)
{
	return ms_gctrace_parse_line(s, strlen(s), r);
}

static const ms_gctrace_finding *find_kind(const ms_gctrace_report *r, const char *kind)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].kind, kind) == 0)
			return &r->findings[i];
	return NULL;
}

/* ---- line parser ---------------------------------------------------------------- */

START_TEST(go118_line)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("gc 8 @0.080s 1%: 0.014+2.4+0.003 ms clock, 0.028+0/0.072/2.3+0.006 ms cpu, "
			       "18->18->14 MB, 24 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)", &r),
		MS_LINE_GC);
	const ms_gc_cycle *c = &r.u.cycle;
	ck_assert_uint_eq(c->n, 8);
	ck_assert_int_eq(c->at_us, 80000);
	ck_assert_uint_eq(c->cpu_pct, 1);
	ck_assert_uint_eq(c->sweep_term_us, 14);
	ck_assert_uint_eq(c->mark_us, 2400);
	ck_assert_uint_eq(c->mark_term_us, 3);
	ck_assert_uint_eq(ms_gc_cycle_pause_us(c), 17);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_SWEEP_TERM], 28);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_ASSIST], 0);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_BG], 72);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_IDLE], 2300);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_MARK_TERM], 6);
	ck_assert_uint_eq(c->heap_start_mb, 18);
	ck_assert_uint_eq(c->heap_end_mb, 18);
	ck_assert_uint_eq(c->heap_live_mb, 14);
	ck_assert_uint_eq(c->goal_mb, 24);
	ck_assert_uint_eq(c->procs, 2);
	ck_assert_int_eq(c->format, MS_GC_GO118);
	ck_assert_int_eq(c->forced, 1);
}
END_TEST

START_TEST(go16_line)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("gc 5 @0.110s 3%: 0.015+2.0+45 ms clock, 0.060+0.31/1.4/2.8+180 ms cpu, "
			       "7->7->4 MB, 7 MB goal, 4 P", &r),
		MS_LINE_GC);
	const ms_gc_cycle *c = &r.u.cycle;
	ck_assert_int_eq(c->format, MS_GC_GO16);
	ck_assert_uint_eq(ms_gc_cycle_pause_us(c), 45015);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_MARK_TERM], 180000);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_ASSIST], 310);
	ck_assert_uint_eq(c->goal_mb, 7);
	ck_assert_uint_eq(c->stacks_mb, 0);
	ck_assert_uint_eq(c->procs, 4);
	ck_assert_int_eq(c->forced, 0);
}
END_TEST

START_TEST(go15_line)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("gc 2 @0.035s 3%: 0.028+0.44+0.35+1.2+0.31 ms clock, "
			       "0.056+0.44+0+0.32/0.83/0.14+0.62 ms cpu, 4->5->3 MB, 5 MB goal, 2 P", &r),
		MS_LINE_GC);
	const ms_gc_cycle *c = &r.u.cycle;
	ck_assert_int_eq(c->format, MS_GC_GO15);
	/* STW: sweep termination + write-barrier install + mark termination */
	ck_assert_uint_eq(ms_gc_cycle_pause_us(c), 28 + 350 + 310);
	ck_assert_uint_eq(c->mark_us, 440 + 1200);
	ck_assert_uint_eq(c->install_wb_us, 350);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_SCAN], 440);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_ASSIST], 320);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_BG], 830);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_IDLE], 140);
	ck_assert_uint_eq(c->cpu_us[MS_CPU_MARK_TERM], 620);
	ck_assert_uint_eq(c->heap_live_mb, 3);
}
END_TEST

START_TEST(prefixes_and_interleaving)
{
	ms_gctrace_record r;
	const char *k8s = "2024-01-02T03:04:05Z stderr F gc 3 @0.016s 3%: 0.011+0.94+0.081 ms clock, "
			  "0.022+0.055/0.16/0.31+0.16 ms cpu, 4->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";
	ck_assert_int_eq(parse(k8s, &r), MS_LINE_GC);
	ck_assert_uint_eq(r.offset, strlen("2024-01-02T03:04:05Z stderr F "));
	ck_assert_uint_eq(r.u.cycle.n, 3);
	/* glued to program output, and a false "gc N" before the real one */
	ck_assert_int_eq(parse("ok 200gc 9 @1s 0%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P", &r),
		MS_LINE_GC);
	ck_assert_uint_eq(r.u.cycle.at_us, 1000000);
	ck_assert_uint_eq(r.u.cycle.procs, 5);
	ck_assert_int_eq(parse("gc 5 apples; gc 6 @2.5s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P",
				 &r),
		MS_LINE_GC);
	ck_assert_uint_eq(r.u.cycle.n, 6);
	ck_assert_int_eq(parse("gc 5 apples", &r), MS_LINE_FOREIGN);
	ck_assert_int_eq(parse("", &r), MS_LINE_FOREIGN);
	ck_assert_int_eq(parse("GC forced", &r), MS_LINE_GC_FORCED);
	ck_assert_int_eq(parse("2024 stderr F GC forced", &r), MS_LINE_GC_FORCED);
}
END_TEST

START_TEST(bad_lines)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("gc 1 @0.007s 1%: 0.015+1.5+0.002 ms clock", &r), MS_LINE_BAD);
	ck_assert_str_eq(r.why, "expected ' ms clock, '");
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal", &r),
		MS_LINE_BAD);
	/* overflow: 2^32 MB does not fit, 2^64 cycles do not either */
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 4294967296->2->3 MB, 4 MB goal, 5 P",
				 &r),
		MS_LINE_BAD);
	ck_assert_str_eq(r.why, "number out of range");
	ck_assert_int_eq(parse("gc 18446744073709551616 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, "
			       "4 MB goal, 5 P", &r),
		MS_LINE_BAD);
	ck_assert_str_eq(r.why, "number out of range");
	/* a phase of 2^32 µs (4294.967296 s) is out of range, one µs less is not */
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 4294967.296+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P",
				 &r),
		MS_LINE_BAD);
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 4294967.295+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P",
				 &r),
		MS_LINE_GC);
	ck_assert_uint_eq(r.u.cycle.sweep_term_us, UINT32_MAX);
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 1+2 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P", &r),
		MS_LINE_BAD);
	ck_assert_str_eq(r.why, "unexpected number of clock or cpu phases");
	ck_assert_int_eq(parse("gc 1 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 1 MB stacks, 5 P",
				 &r),
		MS_LINE_BAD);
	ck_assert_int_eq(parse("scvg3: inuse: 4, idle: 58", &r), MS_LINE_BAD);
	ck_assert_int_eq(parse("scav 5 176 KiB work", &r), MS_LINE_BAD);
}
END_TEST

START_TEST(scavenger_lines)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("scvg3: inuse: 4, idle: 58, sys: 63, released: 55, consumed: 7 (MB)", &r), MS_LINE_SCAV);
	ck_assert_int_eq(r.u.scav.kind, MS_SCAV_STATS);
	ck_assert_uint_eq(r.u.scav.inuse_mb, 4);
	ck_assert_uint_eq(r.u.scav.sys_mb, 63);
	ck_assert_uint_eq(r.u.scav.retained_kib, 55 * 1024);
	ck_assert_uint_eq(r.u.scav.consumed_mb, 7);
	ck_assert_int_eq(parse("scvg-1: 2 MB released", &r), MS_LINE_SCAV);
	ck_assert_int_eq(r.u.scav.kind, MS_SCAV_RELEASED);
	ck_assert_uint_eq(r.u.scav.released_kib, 2048);
	ck_assert_int_eq(parse("forced scvg: 3 MB released", &r), MS_LINE_SCAV);
	ck_assert_int_eq(r.u.scav.forced, 1);
	ck_assert_int_eq(parse("scav 5 176 KiB work, 2548 KiB total, 94% util (forced)", &r), MS_LINE_SCAV);
	ck_assert_int_eq(r.u.scav.kind, MS_SCAV_WORK);
	ck_assert_uint_eq(r.u.scav.released_kib, 176);
	ck_assert_uint_eq(r.u.scav.retained_kib, 2548);
	ck_assert_int_eq(r.u.scav.util_pct, 94);
	ck_assert_int_eq(r.u.scav.forced, 1);
	ck_assert_int_eq(parse("scav 1024 KiB work (bg), 512 KiB work (eager), 4588 KiB now, 97% util", &r), MS_LINE_SCAV);
	ck_assert_int_eq(r.u.scav.kind, MS_SCAV_BG_EAGER);
	ck_assert_uint_eq(r.u.scav.released_kib, 1536);
	ck_assert_uint_eq(r.u.scav.eager_kib, 512);
	ck_assert_uint_eq(r.u.scav.retained_kib, 4588);
	ck_assert_int_eq(r.u.scav.forced, 0);
}
END_TEST

START_TEST(pacer_lines)
{
	ms_gctrace_record r;
	ck_assert_int_eq(parse("pacer: 29% CPU (25 exp.) for 406776+10248+145936 B work (526096 B exp.) in 4039616 B "
			       "-> 4212136 B (\xe2\x88\x86goal 17448, cons/mark +5.043316e-001)", &r),
		MS_LINE_PACER);
	ck_assert_int_eq(r.u.pacer.kind, MS_PACER_CYCLE);
	ck_assert(r.u.pacer.util_pct == 29);
	ck_assert(r.u.pacer.trigger_bytes == 4039616);
	ck_assert(r.u.pacer.live_bytes == 4212136);
	ck_assert(r.u.pacer.goal_bytes == 4212136 - 17448);
	ck_assert(fabs(r.u.pacer.cons_mark - 0.5043316) < 1e-9);
	ck_assert_int_eq(r.u.pacer.reset, 0);
	ck_assert_int_eq(parse("pacer: H_m_prev=4194304 h_t=+9.500000e-001 H_T=8182760 h_a=+9.530430e-001 H_a=8192896 "
			       "h_g=+1.000000e+000 H_g=8388608 u_a=+2.500000e-001 u_g=+3.000000e-001 W_a=28216", &r),
		MS_LINE_PACER);
	ck_assert(r.u.pacer.trigger_bytes == 8182760);
	ck_assert(r.u.pacer.goal_bytes == 8388608);
	ck_assert(r.u.pacer.util_pct == 25);
	ck_assert_int_eq(parse("pacer: assist ratio=+1.371537e+000 (scan 0 MB in 4->4 MB) workers=1++0.000000e+000", &r),
		MS_LINE_PACER);
	ck_assert_int_eq(r.u.pacer.kind, MS_PACER_ASSIST);
}
END_TEST

/* ---- the log reader ------------------------------------------------------------- */

/* Feeding a log in pieces of any size gives the same result as reading it. */
START_TEST(streaming_any_split)
{
	ms_gctrace_log *whole = load("testdata/gctrace/prefixed.log");
	FILE *fp = fopen(data_path("testdata/gctrace/prefixed.log"), "rb");
	ck_assert_ptr_nonnull(fp);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	for (size_t step = 1; step < 40; step += 7) {
		ms_gctrace_log *log = ms_gctrace_log_new("split");
		for (size_t i = 0; i < n; i += step)
			ms_gctrace_log_feed(log, buf + i, i + step > n ? n - i : step);
		ms_gctrace_log_finish(log);
		ck_assert_uint_eq(log->ncycles, whole->ncycles);
		ck_assert_uint_eq(log->lines, whole->lines);
		ck_assert_uint_eq(log->foreign_lines, whole->foreign_lines);
		ck_assert_int_eq(memcmp(log->cycles, whole->cycles, whole->ncycles * sizeof *log->cycles), 0);
		ms_gctrace_log_free(log);
	}
	/* 11 lines: 5 gc (prefixed, syslog, glued, klog + CRLF + forced,
	 * docker JSON), 1 scav, 5 foreign (program output and an empty line) */
	ck_assert_uint_eq(whole->lines, 11);
	ck_assert_uint_eq(whole->ncycles, 5);
	ck_assert_uint_eq(whole->nscav, 1);
	ck_assert_uint_eq(whole->foreign_lines, 5);
	ck_assert_uint_eq(whole->cycles[3].forced, 1);
	ck_assert_uint_eq(whole->cycles[3].line, 7);
	ck_assert_uint_eq(whole->nforeign_at, 5);
	ck_assert_uint_eq(whole->foreign_at[0], 2);
	ms_gctrace_log_free(whole);
}
END_TEST

START_TEST(bad_input)
{
	ms_gctrace_log *log = load("testdata/gctrace/bad.log");
	/* gc 1 and gc 6 parse; gc 2 (overflow), 3 (no P), 4 (no cpu), 5 (time
	 * overflow) and the cut gc 7 are malformed; the binary line is foreign */
	ck_assert_uint_eq(log->ncycles, 2);
	ck_assert_uint_eq(log->cycles[0].n, 1);
	ck_assert_uint_eq(log->cycles[1].n, 6);
	ck_assert_uint_eq(log->bad_lines, 5);
	ck_assert_uint_eq(log->foreign_lines, 1);
	ck_assert_uint_eq(log->nwarnings, 5);
	ck_assert_uint_eq(log->warnings[0].line, 3);
	ck_assert_ptr_nonnull(strstr(log->warnings[0].msg, "number out of range"));
	ck_assert_uint_eq(log->warnings[4].line, 8);
	ck_assert_ptr_nonnull(strstr(log->warnings[4].msg, "truncated last line"));
	ms_gctrace_report rep;
	ms_err err;
	ck_assert_int_eq(ms_gctrace_analyze(log, NULL, &rep, &err), 0);
	ck_assert_uint_eq(rep.stats.missing_cycles, 4);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);

	log = load("testdata/gctrace/junk.bin");
	ck_assert(ms_gctrace_log_empty(log));
	ck_assert_int_eq(ms_gctrace_analyze(log, NULL, &rep, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "no gctrace lines found"));
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(overlong_line)
{
	ms_gctrace_log *log = ms_gctrace_log_new("long");
	size_t n = MS_GCTRACE_MAX_LINE + 100;
	char *junk = malloc(n);
	ck_assert_ptr_nonnull(junk);
	memset(junk, 'x', n);
	const char *gc = "\ngc 1 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P\n";
	ms_gctrace_log_feed(log, junk, n / 2);
	ms_gctrace_log_feed(log, junk, n - n / 2);
	ms_gctrace_log_feed(log, gc, strlen(gc));
	ms_gctrace_log_finish(log);
	free(junk);
	ck_assert_uint_eq(log->lines, 2);
	ck_assert_uint_eq(log->foreign_lines, 1);
	ck_assert_uint_eq(log->ncycles, 1);
	ck_assert_uint_eq(log->cycles[0].line, 2);
	ck_assert_ptr_nonnull(strstr(log->warnings[0].msg, "longer than"));
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(restarts)
{
	const char *two = "gc 1 @0.1s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P\n"
			  "gc 2 @0.2s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P\n"
			  "gc 1 @0.05s 1%: 1+2+3 ms clock, 1+2/3/4+5 ms cpu, 1->2->3 MB, 4 MB goal, 5 P\n";
	ms_gctrace_log *log = ms_gctrace_log_new("two runs");
	ms_gctrace_log_feed(log, two, strlen(two));
	ms_gctrace_log_finish(log);
	ms_gctrace_report rep;
	ck_assert_int_eq(ms_gctrace_analyze(log, NULL, &rep, NULL), 0);
	ck_assert_uint_eq(rep.stats.runs, 2);
	ck_assert_uint_eq(rep.stats.interval_ms.n, 1); /* only 0.1 → 0.2 */
	ck_assert(fabs(rep.stats.interval_ms.p50 - 100) < 1e-9);
	ck_assert(fabs(rep.stats.span_s - 0.1) < 1e-9);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

/* ---- analysis on the real logs --------------------------------------------------- */

static void analyze(const char *rel, ms_gctrace_log **log, ms_gctrace_report *rep)
{
	ms_err err;
	*log = load(rel);
	ck_assert_msg(ms_gctrace_analyze(*log, NULL, rep, &err) == 0, "%s", err.msg);
}

START_TEST(corpus_leaky)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/go1.19/leaky.gctrace.log", &log, &rep);
	const ms_gctrace_stats *s = &rep.stats;
	ck_assert_uint_eq(s->gc_count, 16);
	ck_assert_uint_eq(s->forced_count, 5); /* gc 8, 11, 13, 15, 16 */
	/* pauses sorted: 0.017 0.017 0.019 0.021 0.023 0.037 0.041 0.082 0.085
	 * 0.088 0.088 0.092 0.093 0.100 0.104 0.138 → ranks 8, 15, 16 */
	ck_assert(fabs(s->pause_ms.p50 - 0.082) < 1e-9);
	ck_assert(fabs(s->pause_ms.p90 - 0.104) < 1e-9);
	ck_assert(fabs(s->pause_ms.p99 - 0.138) < 1e-9);
	ck_assert(fabs(s->pause_ms.max - 0.138) < 1e-9);
	ck_assert_uint_eq(log->cycles[s->pause_ms.max_index].n, 4); /* 0.018+...+0.12 */
	/* intervals (ms) sorted: 4 5 8 13 13 13 14 16 16 24 25 37 50 73 113 */
	ck_assert(fabs(s->interval_ms.p50 - 16) < 1e-9);
	ck_assert(fabs(s->interval_ms.min - 4) < 1e-9);
	ck_assert(fabs(s->span_s - 0.424) < 1e-9);
	ck_assert_uint_eq(s->heap_peak_mb, 94);
	ck_assert_uint_eq(s->live_last_mb, 71);
	ck_assert_uint_eq(s->goal_max_mb, 116);
	ck_assert_int_eq(s->gc_cpu_last_pct, 2);
	ck_assert_uint_eq(s->overshoot_cycles, 0);
	/* the leak: live 20 27 29 40 42 58 58 71 over gc 9-16 doubles → critical */
	const ms_gctrace_finding *f = find_kind(&rep, "live_heap_growth");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_CRITICAL);
	ck_assert_uint_eq(f->first_gc, 9);
	ck_assert_uint_eq(f->last_gc, 16);
	ck_assert_ptr_null(find_kind(&rep, "long_pause"));
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(corpus_mapmerge)
{
	static const struct {
		const char *file;
		size_t cycles;
		double pause_max;
		uint64_t pause_max_gc;
		double cpu; /* Σ cpu / Σ P·elapsed, recomputed in awk */
	} want[] = {
		{ "testdata/go1.19/mapmerge.gogc50.gctrace.log", 38, 0.143, 25, -1 },
		{ "testdata/go1.19/mapmerge.gogc100.gctrace.log", 18, 0.151, 14, -1 },
		{ "testdata/go1.19/mapmerge.gogc200.gctrace.log", 9, 0.175, 8, 0.548088076 },
		{ "testdata/go1.19/mapmerge.memlimit64m.gctrace.log", 10, 0.122, 1, -1 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		ms_gctrace_log *log;
		ms_gctrace_report rep;
		analyze(want[i].file, &log, &rep);
		ck_assert_uint_eq(rep.stats.gc_count, want[i].cycles);
		ck_assert_uint_eq(rep.stats.forced_count, 0);
		ck_assert(fabs(rep.stats.pause_ms.max - want[i].pause_max) < 1e-9);
		ck_assert_uint_eq(log->cycles[rep.stats.pause_ms.max_index].n, want[i].pause_max_gc);
		if (want[i].cpu >= 0)
			ck_assert(fabs(rep.stats.gc_cpu_computed_pct - want[i].cpu) < 1e-6);
		if (i == 0) {
			/* gogc50: 37 intervals, rank 19 = 10 ms; pauses rank 19 = 0.093 */
			ck_assert(fabs(rep.stats.interval_ms.p50 - 10) < 1e-9);
			ck_assert(fabs(rep.stats.interval_ms.min - 2) < 1e-9);
			ck_assert(fabs(rep.stats.pause_ms.p50 - 0.093) < 1e-9);
			/* only gc 3 ends ≥ 2 MB and ≥ 10% above its goal (5 vs 3 MB) */
			ck_assert_uint_eq(rep.stats.overshoot_cycles, 1);
			ck_assert_uint_eq(log->cycles[rep.stats.overshoot_max_index].n, 3);
		}
		if (i == 3) {
			/* GOGC=off GOMEMLIMIT=64MiB: the goal sits at 51-52 MB */
			const ms_gctrace_finding *f = find_kind(&rep, "memory_limit_bound");
			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(f->first_gc, 1);
			ck_assert_uint_eq(f->last_gc, 10);
			ck_assert_ptr_null(find_kind(&rep, "memory_limit_thrash"));
		} else {
			ck_assert_ptr_null(find_kind(&rep, "memory_limit_bound"));
		}
		ms_gctrace_report_free(&rep);
		ms_gctrace_log_free(log);
	}
}
END_TEST

/* ---- findings on constructed logs --------------------------------------------------- */

START_TEST(leak_and_plateau)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/gctrace/leak.log", &log, &rep);
	const ms_gctrace_finding *f = find_kind(&rep, "live_heap_growth");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->first_gc, 13);
	ck_assert_uint_eq(f->last_gc, 24);
	ck_assert(rep.stats.live_r2 > 0.99);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);

	analyze("testdata/gctrace/plateau.log", &log, &rep);
	ck_assert_ptr_null(find_kind(&rep, "live_heap_growth"));
	ck_assert_uint_eq(rep.nfindings, 0);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(thrash_and_pause)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/gctrace/thrash.log", &log, &rep);
	const ms_gctrace_finding *f = find_kind(&rep, "memory_limit_thrash");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_CRITICAL);
	ck_assert_ptr_nonnull(find_kind(&rep, "assist_heavy"));
	f = find_kind(&rep, "frequent_gc");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_CRITICAL);
	ck_assert_int_eq(ms_gctrace_report_worst(&rep), MS_SEV_CRITICAL);
	/* findings come sorted by severity */
	ck_assert_int_eq(rep.findings[rep.nfindings - 1].severity, MS_SEV_WARN);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);

	analyze("testdata/gctrace/go16.log", &log, &rep);
	f = find_kind(&rep, "long_pause");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_WARN);
	ck_assert_uint_eq(f->first_gc, 5);
	ck_assert_uint_eq(f->last_gc, 5);
	ck_assert_uint_eq(rep.stats.procs_changes, 1);
	ck_assert_uint_eq(rep.stats.procs_last, 8);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(scavenger_totals)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/gctrace/scavenger.log", &log, &rep);
	/* released: (12+1+2+3) MB + (176+64) KiB + (1024+512) KiB = 20208 KiB */
	ck_assert_uint_eq(rep.stats.scav_events, 13);
	ck_assert_uint_eq(rep.stats.scav_forced, 4);
	ck_assert(fabs(rep.stats.scav_released_mb - 20208.0 / 1024) < 1e-9);
	ck_assert(fabs(rep.stats.scav_retained_mb - 4588.0 / 1024) < 1e-9);
	ck_assert_uint_eq(rep.stats.pacer_lines, 5);
	ck_assert_uint_eq(rep.stats.pacer_resets, 1);
	ck_assert_uint_eq(log->gc_forced_notices, 1);
	ck_assert_uint_eq(rep.stats.gc_count, 0);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(fit_and_labels)
{
	double x[] = { 0, 1, 2, 3 }, y[] = { 1, 3, 5, 7 }, a, r2;
	ck_assert(fabs(ms_linear_fit(x, y, 4, &a, &r2) - 2) < 1e-12);
	ck_assert(fabs(a - 1) < 1e-12);
	ck_assert(fabs(r2 - 1) < 1e-12);
	double flat[] = { 5, 5, 5, 5 };
	ck_assert(ms_linear_fit(x, flat, 4, &a, &r2) == 0);
	ck_assert(r2 == 0);

	ms_gctrace_log *logs[3] = { ms_gctrace_log_new("t/mapmerge.gogc50.gctrace.log"),
		ms_gctrace_log_new("u/mapmerge.gogc100.gctrace.log"), ms_gctrace_log_new("mapmerge.gogc200.gctrace.log") };
	char labels[3][64];
	ms_gctrace_labels(logs, 3, labels);
	ck_assert_str_eq(labels[0], "gogc50");
	ck_assert_str_eq(labels[1], "gogc100");
	ck_assert_str_eq(labels[2], "gogc200");
	for (int i = 0; i < 3; i++)
		ms_gctrace_log_free(logs[i]);
}
END_TEST

/* The text report of log (read into a string, freed by the caller). */
static char *text_of(ms_gctrace_log *log, const ms_gctrace_report *rep)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ms_gctrace_render_text(fp, &log, rep, 1), 0);
	fclose(fp);
	return text;
}

/* Reads rel streaming its cycles into an accumulator (not kept), as
 * `memscope gctrace` does without --cycles/--csv/--svg, and reports. */
static ms_gctrace_log *read_streaming(const char *rel, int keep_foreign, ms_gctrace_report *rep)
{
	ms_err err;
	ms_gctrace_acc *acc = ms_gctrace_acc_new(NULL);
	ms_gctrace_read_opts o = { keep_foreign, ms_gctrace_acc_sink, acc, 1 };
	ms_gctrace_log *log = ms_gctrace_read(data_path(rel), &o, &err);
	ck_assert_msg(log != NULL, "%s", err.msg);
	ck_assert_int_eq(ms_gctrace_acc_report(acc, log, rep, &err), 0);
	ms_gctrace_acc_free(acc);
	return log;
}

/* An analysing read keeps no cycles and reports exactly what reading the
 * cycles and analysing them does: the same text on every log (restarts,
 * every format, foreign lines, scavenger lines, each kind of finding), fed
 * whole or in pieces of any size. */
START_TEST(analyzing_read)
{
	static const char *const files[] = {
		"testdata/go1.19/leaky.gctrace.log", "testdata/go1.19/mapmerge.gogc50.gctrace.log",
		"testdata/go1.19/mapmerge.memlimit64m.gctrace.log", "testdata/gctrace/go15.log",
		"testdata/gctrace/go16.log", "testdata/gctrace/prefixed.log", "testdata/gctrace/leak.log",
		"testdata/gctrace/plateau.log", "testdata/gctrace/thrash.log", "testdata/gctrace/scavenger.log",
		"testdata/gctrace/bad.log", "testdata/msrt/gcbench.gctrace.log",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		ms_gctrace_log *log, *alog;
		ms_gctrace_report rep, arep;
		ms_err err;
		analyze(files[i], &log, &rep);
		alog = read_streaming(files[i], 1, &arep);
		ck_assert_ptr_null(alog->cycles);
		ck_assert_uint_eq(alog->ncycles, log->ncycles);
		char *want = text_of(log, &rep), *got = text_of(alog, &arep);
		ck_assert_str_eq(got, want);
		free(got);
		ms_gctrace_report_free(&arep);
		ms_gctrace_log_free(alog);

		/* the same bytes fed in pieces of 1..97 bytes */
		FILE *fp = fopen(data_path(files[i]), "rb");
		ck_assert_ptr_nonnull(fp);
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		for (size_t step = 1; step < 100; step += 48) {
			alog = ms_gctrace_log_new(log->name);
			alog->keep_foreign = 1;
			ms_gctrace_acc *acc = ms_gctrace_acc_new(NULL);
			ms_gctrace_log_sink(alog, ms_gctrace_acc_sink, acc, 1);
			for (size_t k = 0; k < n; k += step)
				ms_gctrace_log_feed(alog, buf + k, k + step > n ? n - k : step);
			ms_gctrace_log_finish(alog);
			ck_assert_int_eq(ms_gctrace_acc_report(acc, alog, &arep, &err), 0);
			ms_gctrace_acc_free(acc);
			got = text_of(alog, &arep);
			ck_assert_str_eq(got, want);
			free(got);
			ms_gctrace_report_free(&arep);
			ms_gctrace_log_free(alog);
		}
		free(want);
		ms_gctrace_report_free(&rep);
		ms_gctrace_log_free(log);
	}
	/* and the numbers the report names without cycles: mapmerge GOGC=200's
	 * longest pause 0.175 ms is gc 8 (as in corpus_mapmerge), GOGC=50's
	 * only overshoot is gc 3, 5 MB against a 3 MB goal */
	ms_gctrace_report rep;
	ms_gctrace_log *alog = read_streaming("testdata/go1.19/mapmerge.gogc200.gctrace.log", 0, &rep);
	ck_assert_uint_eq(rep.stats.gc_count, 9);
	ck_assert_uint_eq(rep.stats.pause_ms.max_gc, 8);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(alog);
	alog = read_streaming("testdata/go1.19/mapmerge.gogc50.gctrace.log", 0, &rep);
	ck_assert_uint_eq(rep.stats.overshoot_cycles, 1);
	ck_assert_uint_eq(rep.stats.overshoot_max_gc, 3);
	ck_assert_uint_eq(rep.stats.overshoot_max_heap_end_mb, 5);
	ck_assert_uint_eq(rep.stats.overshoot_max_goal_mb, 3);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(alog);
}
END_TEST

/* ---- memory-limit regimes and short logs (real Go logs, testdata/gctrace/memlimit) ----
 * What the construction implies (testdata/gctrace/memlimit/memlimit.go, the
 * settings in testdata/README), not memscope's own output:
 *   GOGC=off GOMEMLIMIT=20MiB, 8 MiB live: a memory limit sets the goal, so
 *     a memory_limit_* finding, and no hint to raise GOGC; the goal is the
 *     limit less non-heap memory and max(3%, 1 MiB) headroom
 *     (runtime/mgcpacer.go memoryLimitHeapGoal), so the goal the finding
 *     names is ≤ 20 MB (gctrace's MB are MiB) and, with a few MB of
 *     non-heap memory in so small a program, ≥ 20 − 1 − 5 = 14;
 *   GOGC=off GOMEMLIMIT=64MiB, 96 MiB retained: the live heap outgrows the
 *     limit: memory_limit_exceeded, naming a live heap above 64 MB;
 *   one GC (short) or eight (leak 8): too few cycles for frequent_gc or a
 *     trend, so no finding at all. */
static unsigned near_mb(const char *msg)
{
	const char *p = strstr(msg, "near ");
	unsigned v = 0;
	ck_assert_msg(p && sscanf(p, "near %u MB", &v) == 1, "%s", msg);
	return v;
}

static const ms_gctrace_finding *limit_finding(const ms_gctrace_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strncmp(r->findings[i].kind, "memory_limit_", 13) == 0)
			return &r->findings[i];
	return NULL;
}

START_TEST(memlimit_gogc_off)
{
	const char *logs[] = { "testdata/gctrace/memlimit/gogc-off-limit20m.go1.23.log",
		"testdata/gctrace/memlimit/gogc-off-limit20m.go1.19.log" };
	for (size_t i = 0; i < 2; i++) {
		ms_gctrace_log *log;
		ms_gctrace_report rep;
		analyze(logs[i], &log, &rep);
		const ms_gctrace_finding *f = limit_finding(&rep);
		ck_assert_msg(f != NULL, "%s: no memory-limit finding", logs[i]);
		ck_assert_ptr_nonnull(strstr(f->message, "GOGC is off") ? f->message : strstr(f->message, "GOGC off"));
		if (strcmp(f->kind, "memory_limit_bound") == 0) {
			unsigned L = near_mb(f->message);
			ck_assert_uint_le(L, 20);
			ck_assert_uint_ge(L, 14);
		}
		for (size_t k = 0; k < rep.nfindings; k++)
			ck_assert_msg(!strstr(rep.findings[k].hint, "raise GOGC"), "%s: %s hint says raise GOGC", logs[i],
				rep.findings[k].kind);
		ck_assert_ptr_null(find_kind(&rep, "memory_limit_exceeded"));
		ms_gctrace_report_free(&rep);
		ms_gctrace_log_free(log);
	}
}
END_TEST

START_TEST(memlimit_exceeded)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/gctrace/memlimit/gogc-off-limit64m-grow.go1.23.log", &log, &rep);
	const ms_gctrace_finding *f = find_kind(&rep, "memory_limit_exceeded");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(f->message, "the live heap exceeds the memory limit"));
	unsigned live = 0;
	ck_assert(sscanf(strstr(f->message, "grew to "), "grew to %u MB", &live) == 1);
	ck_assert_uint_gt(live, 64);
	ck_assert_uint_le(live, 96 + 16); /* 96 MiB retained, + what is allocated while marking */
	/* one regime finding, not two that disagree */
	ck_assert_ptr_null(find_kind(&rep, "memory_limit_bound"));
	ck_assert_ptr_null(find_kind(&rep, "memory_limit_thrash"));
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

START_TEST(too_few_cycles)
{
	ms_gctrace_log *log;
	ms_gctrace_report rep;
	analyze("testdata/gctrace/memlimit/short.go1.23.log", &log, &rep);
	ck_assert_uint_eq(rep.stats.gc_count, 1);
	ck_assert_uint_eq(rep.nfindings, 0);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
	analyze("testdata/gctrace/memlimit/leak8.go1.23.log", &log, &rep);
	ck_assert_uint_eq(rep.stats.gc_count, 8);
	ck_assert_ptr_null(find_kind(&rep, "frequent_gc"));
	ck_assert_ptr_null(find_kind(&rep, "live_heap_growth"));
	ck_assert_uint_lt(rep.stats.trend_cycles, rep.stats.trend_min_cycles);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}
END_TEST

/* The published log's gc 24 was cut by the program's "force gc." line
 * (testdata/README): 25 cycles, gc 24 forced, 444->444->0 MB, 445 MB goal
 * (the numbers of its second half as printed). */
START_TEST(split_line_stitched)
{
	ms_gctrace_log *log = load("testdata/gctrace/split-published.log");
	ck_assert_uint_eq(log->ncycles, 25);
	ck_assert_uint_eq(log->bad_lines, 0);
	const ms_gc_cycle *c = &log->cycles[23];
	ck_assert_uint_eq(c->n, 24);
	ck_assert_int_eq(c->at_us, 446000);
	ck_assert_int_eq(c->forced, 1);
	ck_assert_uint_eq(c->heap_start_mb, 444);
	ck_assert_uint_eq(c->heap_live_mb, 0);
	ck_assert_uint_eq(c->goal_mb, 445);
	ck_assert_uint_eq(c->mark_us, 107000);
	ck_assert_uint_eq(c->line, 27);
	ck_assert_uint_eq(log->cycles[24].n, 25);
	ms_gctrace_log_free(log);
	/* a cut gc line whose rest never comes is still one malformed line */
	ms_gctrace_log *l2 = ms_gctrace_log_new("cut");
	const char *text = "gc 24 @0.446s 0%: 2019/04/06 14:28:27 force gc.\nhello\n";
	ms_gctrace_log_feed(l2, text, strlen(text));
	ms_gctrace_log_finish(l2);
	ck_assert_uint_eq(l2->ncycles, 0);
	ck_assert_uint_eq(l2->bad_lines, 1);
	ck_assert_uint_eq(l2->foreign_lines, 1);
	ms_gctrace_log_free(l2);
}
END_TEST


/* The fast gc-line reader accepts a subset of what the general one accepts
 * and fills the same record: checked on every gc line of real logs and on
 * mutants of each (every digit changed, a digit inserted after each digit,
 * each byte deleted, the line cut at each byte), so the shapes next to the
 * accepted ones are covered too. */
static void fast_general_agree_on(const char *line, size_t len, unsigned long *nfast, unsigned long *nboth)
{
	ms_gc_cycle f, g;
	int fo = ms_gctrace_parse_gc_fast(line, len, &f);
	memset(&g, 0, sizeof g);
	int go = ms_gctrace_parse_gc_general(line, len, &g);
	if (!fo)
		return;
	++*nfast;
	ck_assert_msg(go, "fast path accepts what the general reader rejects: %.*s", (int)len, line);
	++*nboth;
	f.line = g.line = 0;
	ck_assert_msg(memcmp(&f, &g, sizeof f) == 0, "fast and general records differ: %.*s", (int)len, line);
}

START_TEST(fast_and_general_agree)
{
	static const char *const logs[] = { "testdata/go1.19/leaky.gctrace.log", "testdata/go1.19/mapmerge.gogc50.gctrace.log",
		"testdata/go1.19/mapmerge.memlimit64m.gctrace.log", "testdata/gctrace/memlimit/gogc-off-limit20m.go1.23.log" };
	unsigned long nlines = 0, nfast = 0, nboth = 0;
	char mut[1024];
	for (size_t k = 0; k < sizeof logs / sizeof logs[0]; k++) {
		FILE *fp = fopen(data_path(logs[k]), "r");
		ck_assert_msg(fp != NULL, "%s", logs[k]);
		char line[512];
		while (fgets(line, sizeof line, fp)) {
			size_t len = strcspn(line, "\n");
			if (len < 3 || memcmp(line, "gc ", 3) != 0)
				continue;
			nlines++;
			fast_general_agree_on(line, len, &nfast, &nboth);
			for (size_t i = 0; i < len; i++) {
				/* cut at i */
				fast_general_agree_on(line, i, &nfast, &nboth);
				/* delete byte i */
				memcpy(mut, line, i);
				memcpy(mut + i, line + i + 1, len - i - 1);
				fast_general_agree_on(mut, len - 1, &nfast, &nboth);
				if (line[i] < '0' || line[i] > '9')
					continue;
				/* another digit at i, and an extra digit after it */
				memcpy(mut, line, len);
				mut[i] = line[i] == '9' ? '0' : (char)(line[i] + 1);
				fast_general_agree_on(mut, len, &nfast, &nboth);
				memcpy(mut, line, i + 1);
				mut[i + 1] = '7';
				memcpy(mut + i + 2, line + i + 1, len - i - 1);
				fast_general_agree_on(mut, len + 1, &nfast, &nboth);
			}
		}
		fclose(fp);
	}
	ck_assert_uint_gt(nlines, 100);
	ck_assert_uint_gt(nfast, nlines); /* most mutants of a number still read */
	ck_assert_uint_eq(nfast, nboth);
}
END_TEST

static Suite *gctrace_suite(void)
{
	Suite *s = suite_create("gctrace");
	TCase *t = tcase_create("parse");
	tcase_add_test(t, go118_line);
	tcase_add_test(t, go16_line);
	tcase_add_test(t, go15_line);
	tcase_add_test(t, prefixes_and_interleaving);
	tcase_add_test(t, bad_lines);
	tcase_add_test(t, scavenger_lines);
	tcase_add_test(t, pacer_lines);
	tcase_add_test(t, fast_and_general_agree);
	suite_add_tcase(s, t);
	t = tcase_create("log");
	tcase_add_test(t, streaming_any_split);
	tcase_add_test(t, bad_input);
	tcase_add_test(t, overlong_line);
	tcase_add_test(t, restarts);
	suite_add_tcase(s, t);
	t = tcase_create("analyze");
	tcase_add_test(t, corpus_leaky);
	tcase_add_test(t, corpus_mapmerge);
	tcase_add_test(t, leak_and_plateau);
	tcase_add_test(t, thrash_and_pause);
	tcase_add_test(t, scavenger_totals);
	tcase_add_test(t, fit_and_labels);
	tcase_add_test(t, analyzing_read);
	tcase_add_test(t, memlimit_gogc_off);
	tcase_add_test(t, memlimit_exceeded);
	tcase_add_test(t, too_few_cycles);
	tcase_add_test(t, split_line_stitched);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gctrace_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
