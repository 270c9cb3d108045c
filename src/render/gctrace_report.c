/* gctrace_report.c — text, comparison, JSON and CSV output of
 * `memscope gctrace`. Cycle values are printed exactly from their integer
 * microseconds (no float rounding) in JSON and CSV. */
#include "config.h"
#include "render/gctrace_render.h"
#include "render/json.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- number formatting -------------------------------------------------------- */

/* µs as "0.018", "12", "1.5": exact, trailing zeros trimmed; dec = decimals
 * of the unit (3 for ms, 6 for s). */
static char *fmt_fixed(char *out, size_t n, uint64_t v, int dec)
{
	uint64_t scale = 1;
	for (int i = 0; i < dec; i++)
		scale *= 10;
	int len = snprintf(out, n, "%llu.%0*llu", (unsigned long long)(v / scale), dec,
		(unsigned long long)(v % scale));
	while (len > 0 && out[len - 1] == '0')
		out[--len] = 0;
	if (len > 0 && out[len - 1] == '.')
		out[--len] = 0;
	return out;
}

/* A readable double: ≥100 whole, ≥1 two decimals, below three significant
 * digits; trailing zeros trimmed. */
char *ms_gctrace_fmt_num(char *out, size_t n, double v)
{
	double a = fabs(v);
	if (a >= 100)
		snprintf(out, n, "%.0f", v);
	else if (a >= 1)
		snprintf(out, n, "%.2f", v);
	else
		snprintf(out, n, "%.3g", v);
	if (strchr(out, '.') && !strchr(out, 'e')) {
		size_t len = strlen(out);
		while (len > 0 && out[len - 1] == '0')
			out[--len] = 0;
		if (len > 0 && out[len - 1] == '.')
			out[--len] = 0;
	}
	return out;
}

#define NUM(v) ms_gctrace_fmt_num((char[32]){ 0 }, 32, (v))

char *ms_gctrace_fmt_fixed(char *out, size_t n, uint64_t v, int dec) { return fmt_fixed(out, n, v, dec); }

void ms_gctrace_labels(ms_gctrace_log *const *logs, size_t n, char (*out)[64])
{
	const char *base[n ? n : 1];
	for (size_t i = 0; i < n; i++) {
		const char *s = strrchr(logs[i]->name, '/');
		base[i] = s ? s + 1 : logs[i]->name;
	}
	/* common leading and trailing dot-separated parts */
	size_t pre = 0, suf = 0;
	if (n > 1) {
		size_t len0 = strlen(base[0]);
		pre = len0;
		suf = len0;
		for (size_t i = 1; i < n; i++) {
			size_t k = 0, li = strlen(base[i]);
			while (k < pre && k < li && base[i][k] == base[0][k])
				k++;
			pre = k;
			k = 0;
			while (k < suf && k < li && base[i][li - 1 - k] == base[0][len0 - 1 - k])
				k++;
			suf = k;
		}
		while (pre > 0 && base[0][pre - 1] != '.')
			pre--;
		while (suf > 0 && base[0][len0 - suf] != '.')
			suf--;
	}
	for (size_t i = 0; i < n; i++) {
		size_t li = strlen(base[i]);
		if (pre + suf < li)
			snprintf(out[i], 64, "%.*s", (int)(li - pre - suf), base[i] + pre);
		else
			snprintf(out[i], 64, "%s", base[i]);
		if (!out[i][0])
			snprintf(out[i], 64, "#%zu", i + 1);
	}
	/* identical labels (same file twice): number them */
	for (size_t i = 1; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[i], out[j]) == 0) {
				char num[24];
				size_t k = (size_t)snprintf(num, sizeof num, "#%zu", i + 1);
				size_t len = strlen(out[i]);
				if (len + k >= 64)
					len = 63 - k;
				memcpy(out[i] + len, num, k + 1);
				break;
			}
}

/* ---- text ---------------------------------------------------------------------------- */

static void text_findings(FILE *fp, const ms_gctrace_report *r, const char *indent)
{
	if (!r->nfindings) {
		fprintf(fp, "%s(none)\n", indent);
		return;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const ms_gctrace_finding *f = &r->findings[i];
		fprintf(fp, "%s%-8s %s: %s\n%s         hint: %s\n", indent, ms_severity_name(f->severity), f->kind,
			f->message, indent, f->hint);
	}
}

static void text_one(FILE *fp, const ms_gctrace_log *log, const ms_gctrace_report *r)
{
	const ms_gctrace_stats *s = &r->stats;
	fprintf(fp, "File: %s\n", log->name);
	if (log->trace)
		fprintf(fp, "Records: %llu (%zu gc cycles, %llu sweep ends, %zu settings) of a runtime trace, pid %llu%s\n",
			(unsigned long long)log->trace->records, log->ncycles,
			(unsigned long long)log->trace->sweep_records, log->trace->nsettings,
			(unsigned long long)log->trace->pid, log->trace->complete ? "" : ", cut short (no end record)");
	else if (log->gotrace)
		fprintf(fp, "Go execution trace: go 1.%d format, %s s, %llu events, %zu gc cycles, GOMAXPROCS up to %lld%s\n",
			log->gotrace->version_minor, NUM((double)log->gotrace->duration_ns / 1e9),
			(unsigned long long)log->gotrace->events, log->ncycles, (long long)log->gotrace->max_procs,
			log->gotrace->truncated_at ? ", cut short" : "");
	else
		fprintf(fp,
			"Lines: %llu (%zu gc, %zu scavenger, %zu pacer, %llu other runtime, %llu skipped, %llu malformed)\n",
			(unsigned long long)log->lines, log->ncycles, log->nscav, log->npacer,
			(unsigned long long)log->gc_forced_notices, (unsigned long long)log->foreign_lines,
			(unsigned long long)log->bad_lines);
	if (s->gc_count) {
		fprintf(fp, "Format: %s\n", ms_gc_format_name(s->format));
		fprintf(fp, "GC cycles: %zu (gc %llu-%llu), %zu forced", s->gc_count, (unsigned long long)s->first_gc,
			(unsigned long long)s->last_gc, s->forced_count);
		if (s->runs > 1)
			fprintf(fp, ", %zu runs (numbering restarts)", s->runs);
		if (s->missing_cycles)
			fprintf(fp, ", %zu missing from the numbering", s->missing_cycles);
		fprintf(fp, "\nTime: @%ss to @%ss (%s s)\n", NUM(s->first_s), NUM(s->last_s), NUM(s->span_s));
		if (s->interval_ms.n)
			fprintf(fp, "Interval: mean %s ms, median %s ms, min %s ms\n", NUM(s->interval_ms.mean),
				NUM(s->interval_ms.p50), NUM(s->interval_ms.min));
		fprintf(fp, "GC CPU: %s%% (computed from the cpu fields), %d%% (last printed)\n",
			NUM(s->gc_cpu_computed_pct), s->gc_cpu_last_pct);
		fprintf(fp, "STW pause: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms at gc %llu, total %s ms\n",
			NUM(s->pause_ms.p50), NUM(s->pause_ms.p90), NUM(s->pause_ms.p99), NUM(s->pause_ms.max),
			(unsigned long long)s->pause_ms.max_gc, NUM(s->pause_total_ms));
		fprintf(fp, "Concurrent mark: mean %s ms, p50 %s ms, p90 %s ms, max %s ms at gc %llu\n",
			NUM(s->mark_ms.mean), NUM(s->mark_ms.p50), NUM(s->mark_ms.p90), NUM(s->mark_ms.max),
			(unsigned long long)s->mark_ms.max_gc);
		fprintf(fp, "Mark CPU: assist %s ms (%s%%), background %s ms, idle %s ms; STW %s ms\n",
			NUM(s->cpu_assist_ms), NUM(s->assist_share * 100), NUM(s->cpu_bg_ms), NUM(s->cpu_idle_ms),
			NUM(s->cpu_stw_ms));
		fprintf(fp, "Heap: peak %llu MB; live %llu MB first, %llu MB last, %llu MB max; goal up to %llu MB\n",
			(unsigned long long)s->heap_peak_mb, (unsigned long long)s->live_first_mb,
			(unsigned long long)s->live_last_mb, (unsigned long long)s->live_max_mb,
			(unsigned long long)s->goal_max_mb);
		if (s->overshoot_cycles) {
			fprintf(fp, "Goal overshoot: %zu cycles, worst +%s%% at gc %llu (%u MB vs %u MB goal)\n",
				s->overshoot_cycles, NUM(s->overshoot_max_pct), (unsigned long long)s->overshoot_max_gc,
				s->overshoot_max_heap_end_mb, s->overshoot_max_goal_mb);
		} else {
			fprintf(fp, "Goal overshoot: none\n");
		}
		fprintf(fp, "Live heap trend: %s MB/min, R² %s%s\n", NUM(s->live_slope_mb_per_min), NUM(s->live_r2),
			s->runs > 1 ? " (last run)" : "");
		if (s->procs_changes)
			fprintf(fp, "GOMAXPROCS: %u to %u, %zu changes\n", s->procs_first, s->procs_last, s->procs_changes);
		else
			fprintf(fp, "GOMAXPROCS: %u\n", s->procs_first);
		ms_gctrace_text_trace(fp, log, r);
	}
	ms_gctrace_text_gotrace(fp, log);
	if (s->scav_events) {
		fprintf(fp, "Scavenger: %zu lines (%zu forced), %s MB returned to the OS", s->scav_events, s->scav_forced,
			NUM(s->scav_released_mb));
		if (s->scav_retained_mb >= 0)
			fprintf(fp, "; heap released at the end %s MB", NUM(s->scav_retained_mb));
		fputc('\n', fp);
	}
	if (s->pacer_lines) {
		fprintf(fp, "Pacer: %zu lines, %zu controller resets", s->pacer_lines, s->pacer_resets);
		if (s->pacer_cons_mark_last != 0)
			fprintf(fp, ", last cons/mark %s", NUM(s->pacer_cons_mark_last));
		fputc('\n', fp);
	}
	fprintf(fp, "Findings:\n");
	text_findings(fp, r, "  ");
}

static const char *worst(const ms_gctrace_report *r)
{
	return r->nfindings ? ms_severity_name(r->findings[0].severity) : "-";
}

static void text_compare(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n)
{
	char (*label)[64] = ms_xcalloc(n, sizeof *label);
	ms_gctrace_labels(logs, n, label);
	int w = 10;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(label[i]) + 2 > w)
			w = (int)strlen(label[i]) + 2;
	fprintf(fp, "Comparing %zu logs:\n", n);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %-*s %s\n", w, label[i], logs[i]->name);
	fprintf(fp, "\n%-24s", "");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%*s", w, label[i]);
	fputc('\n', fp);
#define ROW(title, expr)                                                     \
	do {                                                                 \
		fprintf(fp, "%-24s", title);                                 \
		for (size_t i = 0; i < n; i++) {                             \
			const ms_gctrace_stats *s = &reps[i].stats;          \
			(void)s;                                             \
			fprintf(fp, "%*s", w, (expr));                       \
		}                                                            \
		fputc('\n', fp);                                             \
	} while (0)
	char b[64];
	ROW("format", ms_gc_format_name(s->format));
	ROW("GC cycles", (snprintf(b, sizeof b, "%zu", s->gc_count), b));
	ROW("forced", (snprintf(b, sizeof b, "%zu", s->forced_count), b));
	ROW("span s", NUM(s->span_s));
	ROW("interval p50 ms", s->interval_ms.n ? NUM(s->interval_ms.p50) : "-");
	ROW("interval min ms", s->interval_ms.n ? NUM(s->interval_ms.min) : "-");
	ROW("GC CPU % (computed)", NUM(s->gc_cpu_computed_pct));
	ROW("GC CPU % (printed)", (snprintf(b, sizeof b, "%d", s->gc_cpu_last_pct), b));
	ROW("STW pause p50 ms", NUM(s->pause_ms.p50));
	ROW("STW pause p99 ms", NUM(s->pause_ms.p99));
	ROW("STW pause max ms", NUM(s->pause_ms.max));
	ROW("STW pause total ms", NUM(s->pause_total_ms));
	ROW("mark p50 ms", NUM(s->mark_ms.p50));
	ROW("assist share %", NUM(s->assist_share * 100));
	ROW("heap peak MB", (snprintf(b, sizeof b, "%llu", (unsigned long long)s->heap_peak_mb), b));
	ROW("live heap last MB", (snprintf(b, sizeof b, "%llu", (unsigned long long)s->live_last_mb), b));
	ROW("live heap max MB", (snprintf(b, sizeof b, "%llu", (unsigned long long)s->live_max_mb), b));
	ROW("goal max MB", (snprintf(b, sizeof b, "%llu", (unsigned long long)s->goal_max_mb), b));
	ROW("overshoot cycles", (snprintf(b, sizeof b, "%zu", s->overshoot_cycles), b));
	ROW("live trend MB/min", NUM(s->live_slope_mb_per_min));
	ROW("live trend R²", NUM(s->live_r2));
	ROW("scavenger released MB", NUM(s->scav_released_mb));
	int any_trace = 0;
	for (size_t i = 0; i < n; i++)
		any_trace |= reps[i].trace != NULL;
	if (any_trace) {
#define T(expr) (reps[i].trace ? (expr) : "-")
		ROW("trigger % of goal p50", T(reps[i].trace->trigger_pct.n ? NUM(reps[i].trace->trigger_pct.p50) : "-"));
		ROW("cons/mark last", T(reps[i].trace->cons_mark_n ? NUM(reps[i].trace->cons_mark_last) : "-"));
		ROW("assist ratio max", T(reps[i].trace->assist_ratio_max.n ? NUM(reps[i].trace->assist_ratio_max.max) : "-"));
		ROW("assist scan share %", T(NUM(reps[i].trace->assist_scan_share * 100)));
		ROW("STW windows", T((snprintf(b, sizeof b, "%zu", reps[i].trace->stw_windows), b)));
		ROW("STW restarts", T((snprintf(b, sizeof b, "%zu", reps[i].trace->stw_restarts), b)));
		ROW("STW window max ms", T(NUM(reps[i].trace->stw_window_ms.max)));
#undef T
	}
	ROW("findings", (snprintf(b, sizeof b, "%zu", reps[i].nfindings), b));
	ROW("worst finding", worst(&reps[i]));
#undef ROW
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "\nFindings for %s:\n", label[i]);
		text_findings(fp, &reps[i], "  ");
	}
	free(label);
}

int ms_gctrace_render_text(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n)
{
	if (n == 1)
		text_one(fp, logs[0], &reps[0]);
	else
		text_compare(fp, logs, reps, n);
	return ferror(fp) ? -1 : 0;
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* Doubles rounded to what the format can carry (no 0.30000000000000004). */
static json_t *jreal(double v, int decimals)
{
	double scale = pow(10, decimals);
	double r = round(v * scale) / scale;
	if (!isfinite(r))
		return json_null();
	if (r == floor(r) && fabs(r) < 9e15)
		return json_integer((json_int_t)r);
	return json_real(r);
}

static json_t *jdist(const ms_dist *d, int with_max_gc)
{
	json_t *o = json_object();
	json_object_set_new(o, "mean", jreal(d->mean, 3));
	json_object_set_new(o, "p50", jreal(d->p50, 3));
	json_object_set_new(o, "p90", jreal(d->p90, 3));
	json_object_set_new(o, "p99", jreal(d->p99, 3));
	json_object_set_new(o, "min", jreal(d->min, 3));
	json_object_set_new(o, "max", jreal(d->max, 3));
	if (with_max_gc)
		json_object_set_new(o, "max_gc",
			d->n ? json_integer((json_int_t)d->max_gc) : json_null());
	return o;
}

/* The summary's "trace" object: what a runtime trace adds. */
static json_t *json_trace(const ms_gctrace_log *log, const ms_gctrace_report *r)
{
	const ms_gctrace_trace *tr = log->trace;
	const ms_gctrace_trace_stats *t = r->trace;
	const ms_gc_cycle *c = log->cycles;
	json_t *o = json_object();
	json_object_set_new(o, "records", json_integer((json_int_t)tr->records));
	json_object_set_new(o, "complete", json_boolean(tr->complete));
	json_object_set_new(o, "pid", json_integer((json_int_t)tr->pid));
	json_object_set_new(o, "sweep_records", json_integer((json_int_t)tr->sweep_records));
	json_object_set_new(o, "gogc", t->gogc_last < 0 ? json_null() : json_integer(t->gogc_last));
	json_object_set_new(o, "memory_limit", t->mem_limit_last ? json_integer((json_int_t)t->mem_limit_last) : json_null());
	json_object_set_new(o, "trigger_percent_of_goal", jdist(&t->trigger_pct, 0));
	json_object_set_new(o, "below_trigger_cycles", json_integer((json_int_t)t->below_trigger));
	json_object_set_new(o, "over_goal",
		json_pack("{s:I, s:o, s:o}", "cycles", (json_int_t)t->over_goal_cycles, "max_percent",
			jreal(t->over_goal_max_pct, 3), "max_gc",
			t->over_goal_cycles ? json_integer((json_int_t)c[t->over_goal_max_index].n) : json_null()));
	json_object_set_new(o, "cons_mark",
		json_pack("{s:I, s:o, s:o, s:o, s:o}", "measured", (json_int_t)t->cons_mark_n, "first",
			jreal(t->cons_mark_first, 6), "last", jreal(t->cons_mark_last, 6), "min", jreal(t->cons_mark_min, 6),
			"max", jreal(t->cons_mark_max, 6)));
	json_t *ar = jdist(&t->assist_ratio_max, 0);
	json_object_set_new(ar, "max_gc",
		t->assist_ratio_max.n ? json_integer((json_int_t)c[t->assist_ratio_max_index].n) : json_null());
	json_object_set_new(o, "assist_ratio",
		json_pack("{s:I, s:o}", "revisions", (json_int_t)t->revisions, "cycle_max", ar));
	json_t *w = jdist(&t->stw_window_ms, 0);
	json_object_set_new(w, "max_gc", t->stw_windows ? json_integer((json_int_t)c[t->stw_max_index].n) : json_null());
	json_object_set_new(o, "stw_windows",
		json_pack("{s:I, s:I, s:I, s:o}", "count", (json_int_t)t->stw_windows, "restarts",
			(json_int_t)t->stw_restarts, "cycles_with_restarts", (json_int_t)t->cycles_with_restarts, "ms", w));
	json_object_set_new(o, "assist_share",
		json_pack("{s:o, s:o}", "cpu", jreal(t->assist_cpu_share, 4), "scan", jreal(t->assist_scan_share, 4)));
	json_object_set_new(o, "sweep_ms", jdist(&t->sweep_ms, 0));
	json_object_set_new(o, "limit_bound_cycles", json_integer((json_int_t)t->limit_bound_cycles));
	json_object_set_new(o, "limiter_on_cycles", json_integer((json_int_t)t->limiter_on_cycles));
	json_t *set = json_array();
	for (size_t i = 0; i < tr->nsettings; i++) {
		const ms_gc_setting *x = &tr->settings[i];
		json_array_append_new(set,
			json_pack("{s:o, s:o, s:o, s:o, s:o}", "t_s", jreal((double)x->t_ns / 1e9, 9), "gogc",
				x->gogc < 0 ? json_null() : json_integer(x->gogc), "memory_limit",
				x->mem_limit ? json_integer((json_int_t)x->mem_limit) : json_null(), "goal",
				x->goal ? json_integer((json_int_t)x->goal) : json_null(), "trigger",
				x->trigger ? json_integer((json_int_t)x->trigger) : json_null()));
	}
	json_object_set_new(o, "settings", set);
	return o;
}

static json_t *json_summary(const ms_gctrace_log *log, const ms_gctrace_report *r)
{
	const ms_gctrace_stats *s = &r->stats;
	json_t *o = json_object();
	json_object_set_new(o, "file", ms_json_str(log->name));
	json_object_set_new(o, "format", ms_json_str(ms_gc_format_name(s->format)));
	json_object_set_new(o, "lines",
		json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)log->lines, "gc",
			(json_int_t)log->ncycles, "scavenger", (json_int_t)log->nscav, "pacer", (json_int_t)log->npacer,
			"gc_forced_notices", (json_int_t)log->gc_forced_notices, "foreign", (json_int_t)log->foreign_lines,
			"malformed", (json_int_t)log->bad_lines));
	json_object_set_new(o, "gc_count", json_integer((json_int_t)s->gc_count));
	json_object_set_new(o, "forced_count", json_integer((json_int_t)s->forced_count));
	json_object_set_new(o, "first_gc", json_integer((json_int_t)s->first_gc));
	json_object_set_new(o, "last_gc", json_integer((json_int_t)s->last_gc));
	json_object_set_new(o, "runs", json_integer((json_int_t)s->runs));
	json_object_set_new(o, "missing_cycles", json_integer((json_int_t)s->missing_cycles));
	json_object_set_new(o, "first_s", jreal(s->first_s, 6));
	json_object_set_new(o, "last_s", jreal(s->last_s, 6));
	json_object_set_new(o, "span_s", jreal(s->span_s, 6));
	json_object_set_new(o, "interval_ms", jdist(&s->interval_ms, 0));
	json_object_set_new(o, "gc_cpu_percent", jreal(s->gc_cpu_computed_pct, 3));
	json_object_set_new(o, "gc_cpu_percent_printed", json_integer(s->gc_cpu_last_pct));
	json_t *pause = jdist(&s->pause_ms, 1);
	json_object_set_new(pause, "total", jreal(s->pause_total_ms, 3));
	json_object_set_new(o, "pause_ms", pause);
	json_object_set_new(o, "mark_ms", jdist(&s->mark_ms, 1));
	json_object_set_new(o, "mark_cpu_ms",
		json_pack("{s:o, s:o, s:o, s:o}", "assist", jreal(s->cpu_assist_ms, 3), "background",
			jreal(s->cpu_bg_ms, 3), "idle", jreal(s->cpu_idle_ms, 3), "stw", jreal(s->cpu_stw_ms, 3)));
	json_object_set_new(o, "assist_share", jreal(s->assist_share, 4));
	json_object_set_new(o, "heap_mb",
		json_pack("{s:I, s:I, s:I, s:I, s:I}", "peak", (json_int_t)s->heap_peak_mb, "live_first",
			(json_int_t)s->live_first_mb, "live_last", (json_int_t)s->live_last_mb, "live_max",
			(json_int_t)s->live_max_mb, "goal_max", (json_int_t)s->goal_max_mb));
	json_object_set_new(o, "goal_overshoot",
		json_pack("{s:I, s:o, s:o}", "cycles", (json_int_t)s->overshoot_cycles, "max_percent",
			jreal(s->overshoot_max_pct, 2), "max_gc",
			s->overshoot_cycles ? json_integer((json_int_t)s->overshoot_max_gc) : json_null()));
	json_object_set_new(o, "live_trend",
		json_pack("{s:o, s:o}", "slope_mb_per_min", jreal(s->live_slope_mb_per_min, 3), "r2",
			jreal(s->live_r2, 4)));
	json_object_set_new(o, "gomaxprocs",
		json_pack("{s:I, s:I, s:I}", "first", (json_int_t)s->procs_first, "last", (json_int_t)s->procs_last,
			"changes", (json_int_t)s->procs_changes));
	json_object_set_new(o, "scavenger",
		json_pack("{s:I, s:I, s:o, s:o}", "events", (json_int_t)s->scav_events, "forced",
			(json_int_t)s->scav_forced, "released_mb", jreal(s->scav_released_mb, 3), "retained_mb",
			s->scav_retained_mb >= 0 ? jreal(s->scav_retained_mb, 3) : json_null()));
	json_object_set_new(o, "pacer",
		json_pack("{s:I, s:I, s:o}", "lines", (json_int_t)s->pacer_lines, "resets", (json_int_t)s->pacer_resets,
			"cons_mark_last", jreal(s->pacer_cons_mark_last, 6)));
	json_t *warn = json_array();
	for (size_t i = 0; i < log->nwarnings; i++)
		json_array_append_new(warn, json_pack("{s:I, s:o}", "line", (json_int_t)log->warnings[i].line,
						    "message", ms_json_str(log->warnings[i].msg)));
	json_object_set_new(o, "warnings", warn);
	json_object_set_new(o, "warnings_total", json_integer((json_int_t)log->warnings_total));
	json_t *fa = json_array();
	for (size_t i = 0; i < r->nfindings; i++) {
		const ms_gctrace_finding *f = &r->findings[i];
		json_array_append_new(fa, json_pack("{s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:o}", "severity",
						  ms_severity_name(f->severity), "kind", f->kind, "message", ms_json_str(f->message),
						  "hint", ms_json_str(f->hint), "first_gc", (json_int_t)f->first_gc, "last_gc",
						  (json_int_t)f->last_gc, "t_first_s", jreal(f->t_first_s, 6),
						  "t_last_s", jreal(f->t_last_s, 6)));
	}
	json_object_set_new(o, "findings", fa);
	if (r->trace)
		json_object_set_new(o, "trace", json_trace(log, r));
	if (log->gotrace) {
		json_object_set_new(o, "go_trace", ms_gctrace_json_gotrace(log));
		if (log->gotrace->nmmu)
			json_object_set_new(o, "mmu", ms_gctrace_json_mmu(log));
	}
	return o;
}

/* Cycles are streamed by hand: a log of a million cycles would need
 * gigabytes as jansson objects. */
static void json_cycles(FILE *fp, const ms_gctrace_log *log, const char *ind)
{
	char a[32], b[32], c[32], d[32], e[32], f2[32], g[32], h[32], k[32], l[32], m[32];
	fprintf(fp, "%s\"cycles\": [", ind);
	for (size_t i = 0; i < log->ncycles; i++) {
		const ms_gc_cycle *x = &log->cycles[i];
		fprintf(fp,
			"%s\n%s  {\"gc\": %llu, \"line\": %llu, \"at_s\": %s, \"cpu_percent\": %u, \"forced\": %s, "
			"\"pause_ms\": %s, \"sweep_term_ms\": %s, \"mark_ms\": %s, \"mark_term_ms\": %s, "
			"\"cpu_ms\": {\"sweep_term\": %s, \"assist\": %s, \"background\": %s, \"idle\": %s, "
			"\"mark_term\": %s}, ",
			i ? "," : "", ind, (unsigned long long)x->n, (unsigned long long)x->line,
			fmt_fixed(a, sizeof a, (uint64_t)x->at_us, 6), x->cpu_pct, x->forced ? "true" : "false",
			fmt_fixed(b, sizeof b, ms_gc_cycle_pause_us(x), 3), fmt_fixed(c, sizeof c, x->sweep_term_us, 3),
			fmt_fixed(d, sizeof d, x->mark_us, 3), fmt_fixed(e, sizeof e, x->mark_term_us, 3),
			fmt_fixed(f2, sizeof f2, x->cpu_us[MS_CPU_SWEEP_TERM], 3),
			fmt_fixed(g, sizeof g, x->cpu_us[MS_CPU_ASSIST], 3), fmt_fixed(h, sizeof h, x->cpu_us[MS_CPU_BG], 3),
			fmt_fixed(k, sizeof k, x->cpu_us[MS_CPU_IDLE], 3),
			fmt_fixed(l, sizeof l, x->cpu_us[MS_CPU_MARK_TERM], 3));
		if (x->format == MS_GC_GO15)
			fprintf(fp, "\"install_wb_ms\": %s, ", fmt_fixed(m, sizeof m, x->install_wb_us, 3));
		fprintf(fp, "\"heap_start_mb\": %u, \"heap_end_mb\": %u, \"heap_live_mb\": %u, ", x->heap_start_mb,
			x->heap_end_mb, x->heap_live_mb);
		if (x->has_goal)
			fprintf(fp, "\"goal_mb\": %u, ", x->goal_mb);
		else
			fprintf(fp, "\"goal_mb\": null, ");
		if (x->format == MS_GC_GO118)
			fprintf(fp, "\"stacks_mb\": %u, \"globals_mb\": %u, ", x->stacks_mb, x->globals_mb);
		fprintf(fp, "\"procs\": %u", x->procs);
		if (log->trace) {
			fputs(", \"trace\": ", fp);
			ms_gctrace_json_cycle_trace(fp, log, i);
		}
		fputc('}', fp);
	}
	if (log->ncycles)
		fprintf(fp, "\n%s]", ind);
	else
		fputc(']', fp);
}

/* Writes a summary object, with "cycles" appended if asked; depth is its
 * indentation. */
static int json_log(FILE *fp, const ms_gctrace_log *log, const ms_gctrace_report *r, int depth, int with_cycles)
{
	json_t *o = json_summary(log, r);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	json_decref(o);
	if (!text)
		return -1;
	/* text ends "\n}": re-indent it for depth, drop the "}" and add cycles */
	size_t len = strlen(text);
	while (len && text[len - 1] != '}')
		len--;
	if (len)
		len--;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	char ind[16];
	snprintf(ind, sizeof ind, "%*s", depth * 2, "");
	for (size_t i = 0; i < len; i++) {
		fputc(text[i], fp);
		if (text[i] == '\n')
			fputs(ind, fp);
	}
	free(text);
	if (with_cycles) {
		fputs(",\n", fp);
		char ind2[20];
		snprintf(ind2, sizeof ind2, "%s  ", ind);
		json_cycles(fp, log, ind2);
	}
	fprintf(fp, "\n%s}", ind);
	return 0;
}

int ms_gctrace_render_json(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n,
	int with_cycles)
{
	if (n == 1) {
		if (json_log(fp, logs[0], &reps[0], 0, with_cycles) < 0)
			return -1;
	} else {
		fputs("{\n  \"logs\": [\n    ", fp);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputs(",\n    ", fp);
			if (json_log(fp, logs[i], &reps[i], 2, with_cycles) < 0)
				return -1;
		}
		fputs("\n  ]\n}", fp);
	}
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static void csv_field(FILE *fp, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

int ms_gctrace_render_csv(FILE *fp, ms_gctrace_log *const *logs, size_t n)
{
	char a[32], b[32], c[32], d[32], e[32], f[32], g[32], h[32], k[32], l[32], o[32];
	fputs("file,gc,line,format,at_s,cpu_percent,forced,pause_ms,sweep_term_ms,mark_ms,mark_term_ms,install_wb_ms,"
	      "cpu_sweep_term_ms,cpu_assist_ms,cpu_bg_ms,cpu_idle_ms,cpu_mark_term_ms,heap_start_mb,heap_end_mb,"
	      "heap_live_mb,goal_mb,stacks_mb,globals_mb,procs\n",
		fp);
	for (size_t j = 0; j < n; j++) {
		const ms_gctrace_log *log = logs[j];
		for (size_t i = 0; i < log->ncycles; i++) {
			const ms_gc_cycle *x = &log->cycles[i];
			char goal[16] = "", stacks[16] = "", globals[16] = "";
			if (x->has_goal)
				snprintf(goal, sizeof goal, "%u", x->goal_mb);
			if (x->format == MS_GC_GO118) {
				snprintf(stacks, sizeof stacks, "%u", x->stacks_mb);
				snprintf(globals, sizeof globals, "%u", x->globals_mb);
			}
			csv_field(fp, log->name);
			fprintf(fp, ",%llu,%llu,%s,%s,%u,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%u,%u,%u,%s,%s,%s,%u\n",
				(unsigned long long)x->n, (unsigned long long)x->line, ms_gc_format_name(x->format),
				fmt_fixed(a, sizeof a, (uint64_t)x->at_us, 6), x->cpu_pct, x->forced,
				fmt_fixed(b, sizeof b, ms_gc_cycle_pause_us(x), 3), fmt_fixed(c, sizeof c, x->sweep_term_us, 3),
				fmt_fixed(d, sizeof d, x->mark_us, 3), fmt_fixed(e, sizeof e, x->mark_term_us, 3),
				x->format == MS_GC_GO15 ? fmt_fixed(o, sizeof o, x->install_wb_us, 3) : "",
				fmt_fixed(f, sizeof f, x->cpu_us[MS_CPU_SWEEP_TERM], 3),
				fmt_fixed(g, sizeof g, x->cpu_us[MS_CPU_ASSIST], 3),
				fmt_fixed(h, sizeof h, x->cpu_us[MS_CPU_BG], 3), fmt_fixed(k, sizeof k, x->cpu_us[MS_CPU_IDLE], 3),
				fmt_fixed(l, sizeof l, x->cpu_us[MS_CPU_MARK_TERM], 3), x->heap_start_mb, x->heap_end_mb,
				x->heap_live_mb, goal, stacks, globals, x->procs);
		}
	}
	return ferror(fp) ? -1 : 0;
}
