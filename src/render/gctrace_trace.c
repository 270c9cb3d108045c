/* gctrace_trace.c — `memscope gctrace` output of what a runtime trace
 * adds to the gctrace lines (ms_gctrace_trace, ms_gctrace_trace_stats):
 * the text report's "From the runtime trace" section, each cycle's
 * "trace" object in JSON (streamed, like the cycles), and the --cycles
 * table (any log; a trace's has the pacer's and the STW windows' columns).
 * Times on the trace's clock print as seconds with 9 decimals, durations
 * as ms with 6: both exact from their nanoseconds. */
#include "config.h"
#include "render/gctrace_render.h"

#include <math.h>
#include <string.h>

#define NUM(v) ms_gctrace_fmt_num((char[32]){ 0 }, 32, (v))

static const char *stw_kind_name(int kind)
{
	return kind == MS_STW_SWEEP_TERM ? "sweep termination"
	       : kind == MS_STW_MARK_RESTART ? "restarted mark termination"
					      : "mark termination";
}

static const char *stw_kind_key(int kind)
{
	return kind == MS_STW_SWEEP_TERM ? "sweep_termination"
	       : kind == MS_STW_MARK_RESTART ? "mark_termination_restarted"
					      : "mark_termination";
}

static double mib(uint64_t b) { return (double)b / 1048576.0; }

/* ---- text --------------------------------------------------------------------- */

void ms_gctrace_text_trace(FILE *fp, const ms_gctrace_log *log, const ms_gctrace_report *r)
{
	const ms_gctrace_trace_stats *t = r->trace;
	const ms_gc_cycle *c = log->cycles;
	if (!t || !log->ncycles)
		return;
	fprintf(fp, "From the runtime trace:\n");
	fprintf(fp, "  Pacer: GOGC ");
	if (t->gogc_last < 0)
		fprintf(fp, "off");
	else
		fprintf(fp, "%d", (int)t->gogc_last);
	if (t->mem_limit_last)
		fprintf(fp, ", memory limit %s MiB", NUM(mib(t->mem_limit_last)));
	else
		fprintf(fp, ", no memory limit");
	fprintf(fp, "; %zu settings changes\n", t->settings);
	if (t->trigger_pct.n)
		fprintf(fp, "  Trigger: p50 %s%% of the goal (min %s%%, max %s%%); %zu cycles started below it\n",
			NUM(t->trigger_pct.p50), NUM(t->trigger_pct.min), NUM(t->trigger_pct.max), t->below_trigger);
	if (t->over_goal_cycles)
		fprintf(fp, "  Heap over the goal at mark end: %zu cycles, worst +%s%% at gc %llu (exact bytes)\n",
			t->over_goal_cycles, NUM(t->over_goal_max_pct), (unsigned long long)c[t->over_goal_max_index].n);
	else
		fprintf(fp, "  Heap over the goal at mark end: none (exact bytes)\n");
	if (t->cons_mark_n)
		fprintf(fp, "  cons/mark: %zu measured, first %s, last %s, min %s, max %s\n", t->cons_mark_n,
			NUM(t->cons_mark_first), NUM(t->cons_mark_last), NUM(t->cons_mark_min), NUM(t->cons_mark_max));
	if (t->assist_ratio_max.n)
		fprintf(fp, "  Assist ratio: %zu revisions; per cycle max p50 %s, max %s at gc %llu\n", t->revisions,
			NUM(t->assist_ratio_max.p50), NUM(t->assist_ratio_max.max),
			(unsigned long long)c[t->assist_ratio_max_index].n);
	fprintf(fp, "  Mutator assists: %s%% of mark CPU, %s%% of the scan work\n", NUM(t->assist_cpu_share * 100),
		NUM(t->assist_scan_share * 100));
	fprintf(fp, "  STW windows: %zu (%zu restarted mark terminations in %zu cycles); p50 %s ms, p99 %s ms, "
		    "max %s ms at gc %llu (%s)\n",
		t->stw_windows, t->stw_restarts, t->cycles_with_restarts,
		NUM(t->stw_window_ms.p50), NUM(t->stw_window_ms.p99), NUM(t->stw_window_ms.max),
		(unsigned long long)c[t->stw_max_index].n, stw_kind_name(t->stw_max_kind));
	if (t->sweep_ms.n)
		fprintf(fp, "  Sweep: done p50 %s ms, max %s ms after mark termination (%zu of %zu cycles recorded)\n",
			NUM(t->sweep_ms.p50), NUM(t->sweep_ms.max), t->sweep_ms.n, log->ncycles);
	if (t->limit_bound_cycles || t->limiter_on_cycles || t->mem_limit_last)
		fprintf(fp, "  Memory limit: the goal in %zu cycles; CPU limiter on after %zu cycles\n",
			t->limit_bound_cycles, t->limiter_on_cycles);
}

/* ---- JSON: one cycle's "trace" object ----------------------------------------- */

static void jnum(FILE *fp, double v)
{
	if (!isfinite(v))
		fputs("null", fp);
	else
		fprintf(fp, "%.6g", v);
}

static void jopt(FILE *fp, uint64_t v)
{
	if (v)
		fprintf(fp, "%llu", (unsigned long long)v);
	else
		fputs("null", fp);
}

static char *secs(char *out, uint64_t ns) { return ms_gctrace_fmt_fixed(out, 40, ns, 9); }
static char *msecs(char *out, uint64_t ns) { return ms_gctrace_fmt_fixed(out, 40, ns, 6); }

void ms_gctrace_json_cycle_trace(FILE *fp, const ms_gctrace_log *log, size_t i)
{
	const ms_gctrace_trace *tr = log->trace;
	const ms_gc_cycle_trace *c = &tr->cycles[i];
	char a[40], b[40], d[40], e[40], f[40];
	fprintf(fp, "{\"start_s\": %s, \"mark_start_s\": %s, \"mark_end_s\": %s, \"mark_term_end_s\": %s, \"sweep_end_s\": ",
		secs(a, c->start_ns), secs(b, c->mark_start_ns), secs(d, c->mark_end_ns), secs(e, c->term_end_ns));
	if (c->sweep_end_ns)
		fputs(secs(f, c->sweep_end_ns), fp);
	else
		fputs("null", fp);
	fprintf(fp,
		", \"heap_start\": %llu, \"heap_end\": %llu, \"heap_live\": %llu, \"goal\": %llu, \"stacks\": %llu, "
		"\"globals\": %llu, \"trigger\": ",
		(unsigned long long)c->heap_start, (unsigned long long)c->heap_end, (unsigned long long)c->heap_live,
		(unsigned long long)c->goal, (unsigned long long)c->stacks, (unsigned long long)c->globals);
	jopt(fp, c->trigger);
	fputs(", \"goal_gogc\": ", fp);
	jopt(fp, c->goal_gogc);
	fputs(", \"goal_limit\": ", fp);
	jopt(fp, c->goal_limit);
	fputs(", \"memory_limit\": ", fp);
	jopt(fp, c->mem_limit);
	fputs(", \"gogc\": ", fp);
	if (c->gogc < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%d", (int)c->gogc);
	fputs(", \"next_goal\": ", fp);
	jopt(fp, c->next_goal);
	fputs(", \"next_trigger\": ", fp);
	jopt(fp, c->next_trigger);
	double mark_cpu = (double)c->assist_ns + (double)c->bg_ns + (double)c->idle_ns;
	fprintf(fp, ", \"scan_work\": %llu, \"assist_scan\": %llu, \"assist_ms\": %s, \"background_ms\": %s, \"assist_share\": ",
		(unsigned long long)c->scan_work, (unsigned long long)c->assist_scan, msecs(a, c->assist_ns),
		msecs(b, c->bg_ns));
	jnum(fp, mark_cpu > 0 ? (double)c->assist_ns / mark_cpu : 0);
	fputs(", \"cons_mark\": ", fp);
	jnum(fp, c->cons_mark);
	fputs(", \"cons_mark_measured\": ", fp);
	if (c->has_cons_mark)
		jnum(fp, c->cons_mark_measured);
	else
		fputs("null", fp);
	fputs(", \"utilization\": ", fp);
	jnum(fp, c->utilization);
	fputs(", \"limiter_fill\": ", fp);
	jnum(fp, c->limiter_fill);
	fprintf(fp, ", \"limiter_on\": %s, \"stw\": [", c->limiter_on ? "true" : "false");
	for (size_t w = 0; w < c->nstw; w++) {
		const ms_gc_stw *x = &tr->stw[c->stw_first + w];
		fprintf(fp, "%s{\"kind\": \"%s\", \"start_s\": %s, \"ms\": %s}", w ? ", " : "", stw_kind_key(x->kind),
			secs(a, x->start_ns), msecs(b, x->end_ns - x->start_ns));
	}
	fprintf(fp, "], \"stw_dropped\": %llu, \"stw_dropped_ms\": %s, \"assist_ratio_thinned\": %s, \"assist_ratio\": [",
		(unsigned long long)c->stw_dropped, msecs(a, c->stw_dropped_ns), c->revs_thinned ? "true" : "false");
	for (size_t k = 0; k < c->nrev; k++) {
		const ms_gc_assist_rev *v = &tr->revs[c->rev_first + k];
		fprintf(fp, "%s{\"t_s\": %s, \"heap_live\": %llu, \"scan_done\": %llu, \"ratio\": ", k ? ", " : "",
			secs(a, v->t_ns), (unsigned long long)v->heap_live, (unsigned long long)v->scan_done);
		jnum(fp, v->ratio);
		fputc('}', fp);
	}
	fputs("]}", fp);
}

/* ---- --cycles -------------------------------------------------------------------- */

static void cycles_text_log(FILE *fp, const ms_gctrace_log *log)
{
	char a[40];
	fprintf(fp, "%8s %10s %1s %9s %9s %9s %8s\n", "gc", "@s", "F", "pause ms", "mark ms", "heap MB", "goal MB");
	for (size_t i = 0; i < log->ncycles; i++) {
		const ms_gc_cycle *c = &log->cycles[i];
		char heap[48], goal[16] = "-";
		snprintf(heap, sizeof heap, "%u->%u->%u", c->heap_start_mb, c->heap_end_mb, c->heap_live_mb);
		if (c->has_goal)
			snprintf(goal, sizeof goal, "%u", c->goal_mb);
		fprintf(fp, "%8llu %10s %1s %9s %9s %9s %8s\n", (unsigned long long)c->n,
			ms_gctrace_fmt_fixed(a, sizeof a, (uint64_t)(c->at_us < 0 ? 0 : c->at_us), 6), c->forced ? "F" : "",
			NUM((double)ms_gc_cycle_pause_us(c) / 1000), NUM((double)c->mark_us / 1000), heap, goal);
	}
}

static void cycles_trace_log(FILE *fp, const ms_gctrace_log *log)
{
	const ms_gctrace_trace *tr = log->trace;
	char a[40];
	fprintf(fp, "%8s %10s %1s %8s %8s %8s %8s %8s %9s %8s %7s %9s  %s\n", "gc", "@s", "F", "trigger", "goal",
		"start", "end", "live", "cons/mark", "assist", "assist", "sweep", "STW windows ms");
	fprintf(fp, "%8s %10s %1s %8s %8s %8s %8s %8s %9s %8s %7s %9s  %s\n", "", "", "", "MiB", "MiB", "MiB", "MiB",
		"MiB", "measured", "ratio max", "CPU %", "ms", "(sweep term | mark term, r: restarted)");
	for (size_t i = 0; i < log->ncycles; i++) {
		const ms_gc_cycle *c = &log->cycles[i];
		const ms_gc_cycle_trace *x = &tr->cycles[i];
		double mx = -1;
		for (size_t k = 0; k < x->nrev; k++)
			if (tr->revs[x->rev_first + k].ratio > mx)
				mx = tr->revs[x->rev_first + k].ratio;
		double mark_cpu = (double)x->assist_ns + (double)x->bg_ns + (double)x->idle_ns;
		fprintf(fp, "%8llu %10s %1s %8s %8.1f %8.1f %8.1f %8.1f %9s %8s %7s %9s  ", (unsigned long long)c->n,
			ms_gctrace_fmt_fixed(a, sizeof a, (uint64_t)(c->at_us < 0 ? 0 : c->at_us), 6), c->forced ? "F" : "",
			x->trigger ? NUM(mib(x->trigger)) : "-", mib(x->goal), mib(x->heap_start), mib(x->heap_end),
			mib(x->heap_live), x->has_cons_mark ? NUM(x->cons_mark_measured) : "-", mx >= 0 ? NUM(mx) : "-",
			NUM(mark_cpu > 0 ? 100.0 * (double)x->assist_ns / mark_cpu : 0),
			x->sweep_end_ns ? NUM((double)(x->sweep_end_ns > x->term_end_ns ? x->sweep_end_ns - x->term_end_ns : 0) / 1e6) : "-");
		for (size_t w = 0; w < x->nstw; w++) {
			const ms_gc_stw *s = &tr->stw[x->stw_first + w];
			fprintf(fp, "%s%s%s", w == 0 ? "" : w == 1 ? " | " : " ", NUM((double)(s->end_ns - s->start_ns) / 1e6),
				s->kind == MS_STW_MARK_RESTART ? "r" : "");
		}
		if (x->stw_dropped)
			fprintf(fp, " +%llu more", (unsigned long long)x->stw_dropped);
		fputc('\n', fp);
	}
}

int ms_gctrace_render_cycles(FILE *fp, ms_gctrace_log *const *logs, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		const ms_gctrace_log *log = logs[j];
		fprintf(fp, "\nCycles of %s%s:\n", log->name, log->trace ? " (runtime trace)" : "");
		if (log->trace)
			cycles_trace_log(fp, log);
		else
			cycles_text_log(fp, log);
	}
	return ferror(fp) ? -1 : 0;
}
