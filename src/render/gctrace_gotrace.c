/* gctrace_gotrace.c — `memscope gctrace` output of what a Go execution
 * trace adds to the cycles (ms_gotrace_gc, src/gctrace/gotrace_gc.c): the
 * text report's "From the Go execution trace" section (STW pauses by
 * reason, exact; the goroutines blocked longest in mark assists; the MMU
 * curve when computed) and the summary's "go_trace" and "mmu" JSON. */
#include "config.h"
#include "render/gctrace_render.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define NUM(v) ms_gctrace_fmt_num((char[32]){ 0 }, 32, (v))
#define TOP_ASSIST 10

typedef struct by_reason {
	const char *reason;
	size_t n;
	int64_t total, max;
} by_reason;

/* STW pauses grouped by reason, in order of first appearance (reasons are
 * interned, so pointers compare). Returns the number of groups. */
static size_t group_pauses(const ms_gotrace_gc *g, by_reason *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nstw; i++) {
		const ms_gt_pause *p = &g->stw[i];
		size_t k = 0;
		while (k < n && out[k].reason != p->reason)
			k++;
		if (k == n) {
			if (n == cap)
				continue;
			out[n++] = (by_reason){p->reason, 0, 0, 0};
		}
		int64_t d = p->end_ns - p->start_ns;
		out[k].n++;
		out[k].total += d;
		if (d > out[k].max)
			out[k].max = d;
	}
	return n;
}

void ms_gctrace_text_gotrace(FILE *fp, const ms_gctrace_log *log)
{
	const ms_gotrace_gc *g = log->gotrace;
	if (!g)
		return;
	fprintf(fp, "From the Go execution trace:\n");
	by_reason br[32];
	size_t nb = group_pauses(g, br, 32);
	fprintf(fp, "  STW pauses: %zu windows\n", g->nstw);
	for (size_t k = 0; k < nb; k++)
		fprintf(fp, "    %-28s %5zu  total %s ms, max %s ms\n", br[k].reason, br[k].n,
			NUM((double)br[k].total / 1e6), NUM((double)br[k].max / 1e6));
	int64_t assist = 0, bg = 0, idle = 0;
	for (size_t i = 0; i < g->ncycles; i++) {
		assist += g->cycles[i].assist_ns;
		bg += g->cycles[i].bg_ns;
		idle += g->cycles[i].idle_ns;
	}
	fprintf(fp, "  Mark work (exact): assists %s ms, dedicated+fractional workers %s ms, idle workers %s ms\n",
		NUM((double)assist / 1e6), NUM((double)bg / 1e6), NUM((double)idle / 1e6));
	if (g->nassist_gs) {
		fprintf(fp, "  Blocked in mark assists (waiting for credit), longest:\n");
		for (size_t i = 0; i < g->nassist_gs && i < TOP_ASSIST; i++) {
			const ms_gt_assist_wait *w = &g->assist_gs[i];
			fprintf(fp, "    goroutine %llu  %s ms in %llu waits  %s\n", (unsigned long long)w->goid,
				NUM((double)w->blocked_ns / 1e6), (unsigned long long)w->count, w->func ? w->func : "");
		}
	} else {
		fprintf(fp, "  Blocked in mark assists: none\n");
	}
	if (g->nmmu) {
		fprintf(fp, "  Minimum mutator utilization (STW, assists, dedicated and fractional workers):\n");
		for (size_t i = 0; i < g->nmmu; i++)
			fprintf(fp, "    %12s ms  %s%%\n", NUM((double)g->mmu[i].window_ns / 1e6),
				NUM(g->mmu[i].utilization * 100));
		/* the MMU counts STW windows to their STW_END, as go tool trace
		 * does: say where that is far past the world's restart */
		for (size_t i = 0; i < g->nstw; i++) {
			const ms_gt_pause *p = &g->stw[i];
			if (p->traced_end_ns - p->end_ns < 1000000)
				continue;
			fprintf(fp, "    note: the %s at %s ms", p->reason, NUM((double)p->start_ns / 1e6));
			if (p->cycle >= 0 && (size_t)p->cycle < log->ncycles)
				fprintf(fp, " (gc %llu)", (unsigned long long)log->cycles[p->cycle].n);
			fprintf(fp, " restarted the world after %s ms but traced its STW_END %s ms later;",
				NUM((double)(p->end_ns - p->start_ns) / 1e6),
				NUM((double)(p->traced_end_ns - p->end_ns) / 1e6));
			fprintf(fp, " the MMU counts to STW_END, as go tool trace does\n");
		}
	}
}

json_t *ms_gctrace_json_gotrace(const ms_gctrace_log *log)
{
	const ms_gotrace_gc *g = log->gotrace;
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(g->version_minor));
	json_object_set_new(o, "duration_ns", json_integer((json_int_t)g->duration_ns));
	json_object_set_new(o, "events", json_integer((json_int_t)g->events));
	json_object_set_new(o, "max_procs", json_integer((json_int_t)g->max_procs));
	json_object_set_new(o, "truncated_at", g->truncated_at ? json_integer((json_int_t)g->truncated_at) : json_null());
	json_t *stw = json_array();
	for (size_t i = 0; i < g->nstw; i++) {
		const ms_gt_pause *p = &g->stw[i];
		json_array_append_new(stw, json_pack("{s:s, s:I, s:I, s:I, s:o}", "reason", p->reason, "start_ns",
						   (json_int_t)p->start_ns, "duration_ns",
						   (json_int_t)(p->end_ns - p->start_ns), "traced_duration_ns",
						   (json_int_t)(p->traced_end_ns - p->start_ns), "gc",
						   p->cycle >= 0 && (size_t)p->cycle < log->ncycles
							   ? json_integer((json_int_t)log->cycles[p->cycle].n)
							   : json_null()));
	}
	json_object_set_new(o, "stw", stw);
	json_t *cy = json_array();
	for (size_t i = 0; i < g->ncycles; i++) {
		const ms_gotrace_cycle *c = &g->cycles[i];
		json_array_append_new(cy,
			json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "gc",
				(json_int_t)(i + 1), "start_ns", (json_int_t)c->start_ns, "end_ns", (json_int_t)c->end_ns,
				"sweep_termination_ns", (json_int_t)(c->sweep_end_ns - c->sweep_start_ns),
				"mark_termination_ns", (json_int_t)(c->end_ns - c->mark_term_start_ns),
				"mark_termination_window_ns",
				(json_int_t)(c->mark_term_end_ns > c->mark_term_start_ns
						     ? c->mark_term_end_ns - c->mark_term_start_ns
						     : 0),
				"heap_start", (json_int_t)c->heap_start, "heap_end", (json_int_t)c->heap_end, "heap_live",
				(json_int_t)c->heap_live, "goal", (json_int_t)c->goal, "assist_ns",
				(json_int_t)c->assist_ns, "background_ns", (json_int_t)c->bg_ns, "idle_ns",
				(json_int_t)c->idle_ns, "procs", (json_int_t)c->procs));
	}
	json_object_set_new(o, "cycles", cy);
	json_t *aw = json_array();
	for (size_t i = 0; i < g->nassist_gs && i < TOP_ASSIST; i++) {
		const ms_gt_assist_wait *w = &g->assist_gs[i];
		json_array_append_new(aw, json_pack("{s:I, s:I, s:I, s:s}", "goroutine", (json_int_t)w->goid,
						  "blocked_ns", (json_int_t)w->blocked_ns, "count",
						  (json_int_t)w->count, "function", w->func ? w->func : ""));
	}
	json_object_set_new(o, "assist_blocked", aw);
	return o;
}

json_t *ms_gctrace_json_mmu(const ms_gctrace_log *log)
{
	const ms_gotrace_gc *g = log->gotrace;
	json_t *a = json_array();
	for (size_t i = 0; i < g->nmmu; i++)
		json_array_append_new(a, json_pack("{s:I, s:f}", "window_ns", (json_int_t)g->mmu[i].window_ns,
						 "utilization", g->mmu[i].utilization));
	return a;
}
