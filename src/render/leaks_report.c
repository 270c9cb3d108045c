/* leaks_report.c (API in leaks.h) — text and JSON output of `memscope leaks`. */
#include "config.h"
#include "render/leaks.h"
#include "render/json.h"
#include "util/units.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char *val(char *b, size_t n, double v, const char *unit) { return ms_format_value_f(b, n, v, unit); }

static const char *sval(char *b, size_t n, double v, const char *unit)
{
	size_t k = 0;
	if (v > 0)
		b[k++] = '+';
	ms_format_value_f(b + k, n - k, v, unit);
	return b;
}

static void explain(FILE *fp, const ms_leak_report *r, const ms_leak_site *s)
{
	char a[64], b[64];
	switch (s->reason) {
	case MS_LEAK_PLATEAU:
		fprintf(fp, "plateau: %s in the first half, %s in the second (a cache warming up?)",
			sval(a, sizeof a, s->early, r->unit), sval(b, sizeof b, s->late, r->unit));
		break;
	case MS_LEAK_OSCILLATING:
		fprintf(fp, "oscillating: grew in %.0f%% of the steps, peak %s", s->monotonic * 100,
			val(a, sizeof a, (double)s->peak, r->unit));
		break;
	case MS_LEAK_IRREGULAR:
		fprintf(fp, "irregular: R² %.2f", s->r2);
		break;
	case MS_LEAK_SMALL:
		fprintf(fp, "small: below the %s threshold", val(a, sizeof a, (double)r->min_growth, r->unit));
		break;
	case MS_LEAK_SUSPECT:
		break;
	}
}

const ms_gctrace_finding *ms_leak_gc_growth(const ms_leak_gc_evidence *gc)
{
	if (!gc || !gc->report)
		return NULL;
	for (size_t i = 0; i < gc->report->nfindings; i++)
		if (strcmp(gc->report->findings[i].kind, "live_heap_growth") == 0)
			return &gc->report->findings[i];
	return NULL;
}

static void gc_text(FILE *fp, const ms_leak_gc_evidence *gc)
{
	const ms_gctrace_stats *s = &gc->report->stats;
	fprintf(fp, "GC trace %s: %zu cycles, live heap %llu -> %llu MB (peak %llu MB), %+.2f MB/min, R² %.2f\n",
		gc->file, s->gc_count, (unsigned long long)s->live_first_mb, (unsigned long long)s->live_last_mb,
		(unsigned long long)s->live_max_mb, s->live_slope_mb_per_min, s->live_r2);
	const ms_gctrace_finding *f = ms_leak_gc_growth(gc);
	if (f)
		fprintf(fp, "  %s live_heap_growth: %s\n", ms_severity_name(f->severity), f->message);
	else if (s->trend_cycles < s->trend_min_cycles)
		fprintf(fp, "  too few cycles to judge the trend: the last %zu of the run are judged, %zu are needed\n",
			s->trend_cycles, s->trend_min_cycles);
	else
		fprintf(fp, "  the live heap after GC does not keep growing\n");
}

static const char *plural(int64_t n) { return n == 1 ? "" : "s"; }

void ms_render_leakcheck_text(FILE *fp, const ms_leakcheck *lc, size_t max_rows)
{
	char a[64], b[64];
	int64_t leaked = lc->bytes[MS_LC_DIRECT] + lc->bytes[MS_LC_INDIRECT];
	int64_t nleaked = lc->objects[MS_LC_DIRECT] + lc->objects[MS_LC_INDIRECT];
	fprintf(fp, "Leak check %s: %s leaked in %lld block%s (%lld direct, %lld indirect); %s in %lld block%s still reachable\n",
		lc->file, ms_format_bytes_exact(a, sizeof a, leaked), (long long)nleaked, plural(nleaked),
		(long long)lc->objects[MS_LC_DIRECT], (long long)lc->objects[MS_LC_INDIRECT],
		ms_format_bytes_exact(b, sizeof b, lc->bytes[MS_LC_REACHABLE]), (long long)lc->objects[MS_LC_REACHABLE],
		plural(lc->objects[MS_LC_REACHABLE]));
	size_t shown = 0, reach_shown = 0, reach_max = max_rows ? max_rows : 5;
	for (size_t i = 0; i < lc->n; i++) {
		const ms_lc_entry *e = &lc->entries[i];
		if (e->kind == MS_LC_REACHABLE) {
			if (reach_shown >= reach_max)
				continue;
			if (!reach_shown++)
				fprintf(fp, "Still reachable at exit (never freed, but pointed to: not leaks), largest first:\n");
			fprintf(fp, "    %s in %lld block%s:", ms_format_bytes_exact(a, sizeof a, e->bytes),
				(long long)e->objects, plural(e->objects));
			for (size_t k = 0; k < e->depth; k++)
				fprintf(fp, "%s%s", k ? " <- " : " ", e->stack[k]);
			fputc('\n', fp);
			continue;
		}
		if (max_rows && shown >= max_rows)
			continue;
		shown++;
		fprintf(fp, "%s leak of %s in %lld block%s, allocated from:\n", e->kind == MS_LC_DIRECT ? "Direct" : "Indirect",
			ms_format_bytes_exact(a, sizeof a, e->bytes), (long long)e->objects, plural(e->objects));
		for (size_t k = 0; k < e->depth; k++)
			fprintf(fp, "    #%zu %s\n", k, e->stack[k]);
		if (!e->depth)
			fprintf(fp, "    (no stack)\n");
	}
	size_t nleaks = 0;
	for (size_t i = 0; i < lc->n; i++)
		nleaks += lc->entries[i].kind != MS_LC_REACHABLE;
	if (shown < nleaks)
		fprintf(fp, "... and %zu more leak stacks (-n 0 shows all)\n", nleaks - shown);
}

/* Bytes the leak checks found leaked at the site (a suspect's name). */
static int64_t confirmed_bytes(const ms_leaks_view *v, const char *site)
{
	int64_t sum = 0;
	for (size_t i = 0; i < v->nchecks; i++)
		sum += ms_leakcheck_site_bytes(&v->checks[i], site);
	return sum;
}

static void series_text(FILE *fp, const ms_leaks_view *v)
{
	const ms_leak_report *r = v->series;
	size_t max_rows = v->max_rows;
	char a[64], b[64], c[64], d[64];
	fprintf(fp, "Snapshots: %zu, %s … %s", r->n, r->names[0], r->names[r->n - 1]);
	if (r->timed)
		fprintf(fp, " over %s", ms_format_value(a, sizeof a, r->times[r->n - 1] - r->times[0], "nanoseconds"));
	else
		fprintf(fp, " (no timestamps: in argument order)");
	fprintf(fp, "\nType: %s, total %s -> %s (%s)\n", r->type, val(a, sizeof a, (double)r->totals[0], r->unit),
		val(b, sizeof b, (double)r->totals[r->n - 1], r->unit),
		sval(c, sizeof c, (double)(r->totals[r->n - 1] - r->totals[0]), r->unit));
	if (r->nsuspects == 0)
		fprintf(fp, "No leak suspects: nothing grew steadily by %s or more.\n",
			val(a, sizeof a, (double)r->min_growth, r->unit));
	else
		fprintf(fp, "Leak suspects (growing steadily):\n");
	size_t shown = 0;
	for (size_t i = 0; i < r->nsuspects && (!max_rows || shown < max_rows); i++, shown++) {
		const ms_leak_site *s = &r->sites[i];
		fprintf(fp, "  %s\n    %s -> %s (%s, %.0f%% of the growth), slope %s/snapshot", s->name,
			val(a, sizeof a, (double)s->first, r->unit), val(b, sizeof b, (double)s->last, r->unit),
			sval(c, sizeof c, (double)s->growth, r->unit), s->share * 100,
			sval(d, sizeof d, s->slope_per_snapshot, r->unit));
		if (!isnan(s->slope_per_minute))
			fprintf(fp, " (%s/min)", sval(a, sizeof a, s->slope_per_minute, r->unit));
		fprintf(fp, ", R² %.2f, grew in %.0f%% of the steps%s\n", s->r2, s->monotonic * 100,
			r->n == 2 ? " (two snapshots: low confidence)" : "");
		if (s->depth) {
			fprintf(fp, "    allocated at:");
			for (size_t k = 0; k < s->depth; k++)
				fprintf(fp, "%s%s", k ? " <- " : " ", s->stack[k]);
			fputc('\n', fp);
		}
		if (v->nchecks) {
			int64_t cb = confirmed_bytes(v, s->name);
			if (cb)
				fprintf(fp, "    confirmed by the leak check: %s leaked at exit\n",
					ms_format_bytes_exact(a, sizeof a, cb));
			else
				fprintf(fp, "    not confirmed by the leak check: what it allocated was still reachable at exit\n");
		}
	}
	if (r->nsites > r->nsuspects)
		fprintf(fp, "Grew, but not suspected:\n");
	for (size_t i = r->nsuspects; i < r->nsites && (!max_rows || shown < max_rows); i++, shown++) {
		const ms_leak_site *s = &r->sites[i];
		fprintf(fp, "  %-40s %s -> %s  ", s->name, val(a, sizeof a, (double)s->first, r->unit),
			val(b, sizeof b, (double)s->last, r->unit));
		explain(fp, r, s);
		fputc('\n', fp);
	}
}

void ms_render_leaks_text(FILE *fp, const ms_leaks_view *v)
{
	if (v->series)
		series_text(fp, v);
	if (v->gc && v->gc->report)
		gc_text(fp, v->gc);
	for (size_t i = 0; i < v->nchecks; i++)
		ms_render_leakcheck_text(fp, &v->checks[i], v->max_rows);
}

static json_t *site_json(const ms_leaks_view *v, const ms_leak_site *s)
{
	const ms_leak_report *r = v->series;
	json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:s}", "name", ms_json_str(s->name), "first",
		(json_int_t)s->first, "last", (json_int_t)s->last, "growth", (json_int_t)s->growth, "peak",
		(json_int_t)s->peak, "slope_bytes_per_snapshot", s->slope_per_snapshot, "r2", s->r2, "monotonic",
		s->monotonic, "share", s->share, "reason", ms_leak_reason_name(s->reason));
	json_object_set_new(o, "slope_bytes_per_minute",
		isnan(s->slope_per_minute) ? json_null() : json_real(s->slope_per_minute));
	json_t *series = json_array();
	for (size_t k = 0; k < r->n; k++)
		json_array_append_new(series, json_integer(s->series[k]));
	json_object_set_new(o, "series", series);
	if (s->depth) {
		json_t *st = json_array();
		for (size_t k = 0; k < s->depth; k++)
			json_array_append_new(st, ms_json_str(s->stack[k]));
		json_object_set_new(o, "stack", st);
	}
	if (v->nchecks)
		json_object_set_new(o, "confirmed_leak_bytes", json_integer(confirmed_bytes(v, s->name)));
	return o;
}

json_t *ms_leakcheck_json(const ms_leakcheck *lc)
{
	json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "file", ms_json_str(lc->file), "leaked_bytes",
		(json_int_t)(lc->bytes[MS_LC_DIRECT] + lc->bytes[MS_LC_INDIRECT]), "leaked_objects",
		(json_int_t)(lc->objects[MS_LC_DIRECT] + lc->objects[MS_LC_INDIRECT]), "direct_objects",
		(json_int_t)lc->objects[MS_LC_DIRECT], "indirect_objects", (json_int_t)lc->objects[MS_LC_INDIRECT],
		"reachable_bytes", (json_int_t)lc->bytes[MS_LC_REACHABLE], "reachable_objects",
		(json_int_t)lc->objects[MS_LC_REACHABLE]);
	json_t *leaks = json_array(), *reach = json_array();
	for (size_t i = 0; i < lc->n; i++) {
		const ms_lc_entry *e = &lc->entries[i];
		json_t *st = json_array();
		for (size_t k = 0; k < e->depth; k++)
			json_array_append_new(st, ms_json_str(e->stack[k]));
		json_t *x = json_pack("{s:s, s:o, s:I, s:I, s:o}", "kind", ms_lc_kind_name(e->kind), "site",
			ms_json_str(e->depth ? e->stack[0] : ""), "objects", (json_int_t)e->objects, "bytes", (json_int_t)e->bytes,
			"stack", st);
		json_array_append_new(e->kind == MS_LC_REACHABLE ? reach : leaks, x);
	}
	json_object_set_new(o, "leaks", leaks);
	json_object_set_new(o, "reachable", reach);
	return o;
}

int ms_render_leaks_json(FILE *fp, const ms_leaks_view *v)
{
	const ms_leak_report *r = v->series;
	const ms_leak_gc_evidence *gc = v->gc;
	json_t *o = json_object();
	json_object_set_new(o, "snapshots", json_integer(r ? (json_int_t)r->n : 0));
	json_t *sus = json_array(), *not = json_array();
	if (r) {
		json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type", ms_json_str(r->type), "unit", ms_json_str(r->unit)));
		json_t *files = json_array(), *totals = json_array(), *times = json_array();
		for (size_t k = 0; k < r->n; k++) {
			json_array_append_new(files, ms_json_str(r->names[k]));
			json_array_append_new(totals, json_integer(r->totals[k]));
			json_array_append_new(times, json_integer(r->times[k]));
		}
		json_object_set_new(o, "files", files);
		json_object_set_new(o, "totals", totals);
		json_object_set_new(o, "time_nanos", times);
		json_object_set_new(o, "min_growth", json_integer(r->min_growth));
		for (size_t i = 0; i < r->nsites; i++)
			json_array_append_new(i < r->nsuspects ? sus : not, site_json(v, &r->sites[i]));
	}
	json_object_set_new(o, "suspects", sus);
	json_object_set_new(o, "not_suspects", not);
	if (gc && gc->report) {
		const ms_gctrace_stats *st = &gc->report->stats;
		const ms_gctrace_finding *f = ms_leak_gc_growth(gc);
		json_t *g = json_pack("{s:o, s:I, s:I, s:I, s:I, s:f, s:f}", "file", ms_json_str(gc->file), "gc_count",
			(json_int_t)st->gc_count, "live_first_mb", (json_int_t)st->live_first_mb, "live_last_mb",
			(json_int_t)st->live_last_mb, "live_max_mb", (json_int_t)st->live_max_mb, "live_slope_mb_per_min",
			st->live_slope_mb_per_min, "live_r2", st->live_r2);
		json_object_set_new(g, "live_heap_growth",
			f ? json_pack("{s:s, s:o}", "severity", ms_severity_name(f->severity), "message", ms_json_str(f->message))
			  : json_null());
		json_object_set_new(o, "gctrace", g);
	}
	if (v->nchecks) {
		json_t *checks = json_array();
		for (size_t i = 0; i < v->nchecks; i++)
			json_array_append_new(checks, ms_leakcheck_json(&v->checks[i]));
		json_object_set_new(o, "leak_checks", checks);
	}
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
