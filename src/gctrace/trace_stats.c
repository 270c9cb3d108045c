/* trace_stats.c — what a runtime trace shows beyond the gctrace lines
 * (ms_gctrace_trace_stats in gctrace.h), from the log trace_gc.c read:
 *
 *   trigger %        100 · trigger / goal per cycle with a trigger; a cycle
 *                    "below trigger" started with heap < trigger (forced)
 *   over goal        heap at mark termination > goal, in exact bytes:
 *                    100 · (heap_end − goal) / goal
 *   cons/mark        the measured values, first/last/min/max
 *   assist ratio     per cycle its highest revision; distribution over cycles
 *   STW windows      every stop (sweep terminations, mark terminations, the
 *                    ones that restarted marking): count and distribution
 *   assist share     CPU: assist / (assist + background + idle);
 *                    scan: assist_scan / scan_work (both summed over cycles)
 *   sweep            sweep end − the end of mark termination, where recorded
 *   limit-bound      goal_limit ≠ 0 and goal_limit < goal_gogc (or GOGC off)
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gctrace/gctrace.h"

static double ns_ms(uint64_t ns) { return (double)ns / 1e6; }

ms_gctrace_trace_stats *ms_gctrace_trace_analyze(const ms_gctrace_log *log)
{
	const ms_gctrace_trace *tr = log->trace;
	ms_gctrace_trace_stats *s = ms_xcalloc(1, sizeof *s);
	size_t n = log->ncycles;
	size_t nv = n > tr->nstw ? n : tr->nstw;
	double *v = ms_xmalloc((nv ? nv : 1) * sizeof *v);
	s->gogc_last = 100;
	s->settings = tr->nsettings;

	/* trigger and goal */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle_trace *c = &tr->cycles[i];
		if (c->trigger && c->goal)
			v[k++] = 100.0 * (double)c->trigger / (double)c->goal;
		if (c->trigger && c->heap_start < c->trigger)
			s->below_trigger++;
		if (c->goal && c->heap_end > c->goal) {
			double pct = 100.0 * (double)(c->heap_end - c->goal) / (double)c->goal;
			if (!s->over_goal_cycles++ || pct > s->over_goal_max_pct) {
				s->over_goal_max_pct = pct;
				s->over_goal_max_index = i;
			}
		}
		if (c->goal_limit && (!c->goal_gogc || c->goal_limit < c->goal_gogc))
			s->limit_bound_cycles++;
		s->limiter_on_cycles += c->limiter_on;
		s->gogc_last = c->gogc;
		s->mem_limit_last = c->mem_limit;
	}
	ms_gctrace_dist(v, k, &s->trigger_pct);

	/* cons/mark */
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle_trace *c = &tr->cycles[i];
		if (!c->has_cons_mark)
			continue;
		double x = c->cons_mark_measured;
		if (!s->cons_mark_n++) {
			s->cons_mark_first = s->cons_mark_min = s->cons_mark_max = x;
		}
		if (x < s->cons_mark_min)
			s->cons_mark_min = x;
		if (x > s->cons_mark_max)
			s->cons_mark_max = x;
		s->cons_mark_last = x;
	}

	/* assist ratio: each cycle's highest */
	k = 0;
	double best = -1;
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle_trace *c = &tr->cycles[i];
		if (!c->nrev)
			continue;
		double mx = 0;
		for (size_t r = 0; r < c->nrev; r++)
			if (tr->revs[c->rev_first + r].ratio > mx)
				mx = tr->revs[c->rev_first + r].ratio;
		s->revisions += c->nrev;
		v[k++] = mx;
		if (mx > best) {
			best = mx;
			s->assist_ratio_max_index = i;
		}
	}
	ms_gctrace_dist(v, k, &s->assist_ratio_max);

	/* STW windows */
	k = 0;
	uint64_t longest = 0;
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle_trace *c = &tr->cycles[i];
		if (c->nstw > 2 || c->stw_dropped)
			s->cycles_with_restarts++;
		s->stw_restarts += c->stw_dropped;
		for (size_t w = 0; w < c->nstw; w++) {
			const ms_gc_stw *x = &tr->stw[c->stw_first + w];
			uint64_t d = x->end_ns - x->start_ns;
			v[k++] = ns_ms(d);
			s->stw_restarts += x->kind == MS_STW_MARK_RESTART;
			if (d > longest || !s->stw_max_kind) {
				longest = d;
				s->stw_max_index = i;
				s->stw_max_kind = x->kind;
			}
		}
	}
	s->stw_windows = k;
	ms_gctrace_dist(v, k, &s->stw_window_ms);

	/* assist share; sweep */
	double assist = 0, mark_cpu = 0, ascan = 0, scan = 0;
	k = 0;
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle_trace *c = &tr->cycles[i];
		assist += (double)c->assist_ns;
		mark_cpu += (double)c->assist_ns + (double)c->bg_ns + (double)c->idle_ns;
		ascan += (double)c->assist_scan;
		scan += (double)c->scan_work;
		if (c->sweep_end_ns)
			v[k++] = ns_ms((c->sweep_end_ns > c->term_end_ns ? c->sweep_end_ns - c->term_end_ns : 0));
	}
	s->assist_cpu_share = mark_cpu > 0 ? assist / mark_cpu : 0;
	s->assist_scan_share = scan > 0 ? ascan / scan : 0;
	ms_gctrace_dist(v, k, &s->sweep_ms);
	free(v);
	return s;
}
