/* gotrace_gc.c — `memscope gctrace trace.out` on a Go execution trace
 * (runtime/trace): the GC events of the trace (src/profile/gotrace.h's
 * sink, either format family) into the gctrace log model, so the report,
 * findings, --json/--csv/--svg work as for a GODEBUG=gctrace=1 log, plus
 * what a log cannot show: every stop-the-world pause with its reason and
 * exact duration, the goroutines blocked longest in mark assists, and the
 * minimum mutator utilization (MMU) curve.
 *
 * Cycles. A cycle is GC_BEGIN .. GC_END; the runtime emits GC_END inside
 * the mark termination's stop, just before it takes tEnd, so the cycle is
 * closed at the STW_END that follows (or at the next GC_BEGIN, or the end
 * of the trace). Its gctrace fields, computed as the runtime computes the
 * line (runtime/mgc.go), times truncated to µs:
 *     clock  a = sweep termination STW window (STW_BEGIN .. STW_END: the
 *                runtime's tSweepTerm .. tMark, to within the ~µs between
 *                its nanotime() and the trace event). In the generational
 *                format (Go 1.22+) the window starts later than
 *                tSweepTerm by the time the runtime takes to intern
 *                STWBegin's reason string and stack, which it does before
 *                reading the trace clock (STWStart in trace2runtime.go /
 *                traceruntime.go), so the window can be shorter than the
 *                line's a (by up to 1.2 µs in testdata's runs); no event
 *                records tSweepTerm itself. The same holds for c's start.
 *            b = mark termination STW_BEGIN − end of window a
 *            c = mark termination STW_BEGIN .. the world's restart: the
 *                PROCS event inside the window (STW_END if none). The
 *                runtime takes tEnd after GC_END (mgc.go:1014 in Go 1.22,
 *                1090 in 1.23) and calls startTheWorldWithSema(tEnd), whose
 *                procresize emits PROCS (proc.go:1570 / 1675) before
 *                clearing gcwaiting and waking the other Ps' Ms; STW_END
 *                comes only after that wake loop (proc.go:1609 / 1714),
 *                and its thread can be descheduled in between: waits.go1.22
 *                gc 6 has STW_END 15.5 ms after PROCS while P 1 already runs
 *                goroutines, and its line says c = 0.20 ms (PROCS: 0.206).
 *                So the window to PROCS is the line's c (and the pause the
 *                runtime counts, work.pauseNS); the STW pause list ends
 *                mark terminations there too (--json keeps the traced
 *                STW_END as traced_duration_ns). Sweep termination needs no
 *                such cut: gcStart's startTheWorldWithSema(0) reads tMark
 *                after the wake loop, just before STW_END, so the line's a
 *                includes that delay (gc 7 of the same run: a = 6.3 ms).
 *                The MMU keeps Go's rule (STW_BEGIN .. STW_END) so that it
 *                stays go tool trace's. In --json's go_trace.cycles also
 *                GC_END − STW_BEGIN, a lower bound of the line's c
 *     cpu    a·P + assist + (dedicated + fractional) + idle + c·P, where
 *            assist = Σ time an assisting goroutine ran (ASSIST_BEGIN or
 *            _RESUME to _PAUSE or _END), workers = Σ GC worker runs
 *     heap   the line prints work.heap0 -> heap1 -> heap2 and lastHeapGoal
 *            (runtime/mgc.go, the same in Go 1.19-1.23); each HEAP_ALLOC
 *            event is gcController.heapLive after a change (mgcpacer.go
 *            update and resetLive):
 *            A = heap0, read just before tSweepTerm and the sweep
 *                termination's STWStart: the value at that STW_BEGIN;
 *            B = heap1, read in gcMarkTermination once the world is
 *                stopped, which is after the mark termination's STW_BEGIN
 *                (other Ps allocate until they stop): the value before
 *                the last HEAP_ALLOC preceding GC_END;
 *            C = heap2 = bytesMarked: gcSweep's resetLive emits
 *                HeapAlloc(bytesMarked) with the world stopped, just before
 *                GCDone, so it is the last HEAP_ALLOC before GC_END. Not
 *                later: the world restarts before STW_END is emitted
 *                (startTheWorldWithSema wakes the Ps first), and the
 *                mutators' and prepareForSweep's HEAP_ALLOCs can come
 *                before STW_END (Go 1.23 run: gc 7 36->46->24 MB, 33 MB
 *                by STW_END 12 ms later);
 *            D = lastHeapGoal, set in endCycle during the mark
 *                termination: the goal in effect at GC_END (the commit's
 *                HEAP_GOAL for the next cycle comes after GC_END);
 *            MB = bytes >> 20 as the line truncates
 *     P%     = trunc(100 · Σ cycles' cpu / (t · GOMAXPROCS)), t = the cycle's
 *            end since the trace's start (the line's t counts from the
 *            process's start: the trace cannot know it)
 *     gc N   numbered from 1 at the trace's first complete cycle
 * A cycle whose GC_BEGIN precedes the trace is not counted.
 *
 * MMU (the formula of Go's internal/trace/gc.go, MutatorUtilization with
 * UtilSTW | UtilBackground | UtilAssist, not per-P, and MMUCurve.MMU):
 *     every P has a count gc_p of GC work on it: +1 at ASSIST_BEGIN/_RESUME,
 *     −1 at _PAUSE/_END; +1 at WORKER_BEGIN "dedicated"/"fractional", −1
 *     at its WORKER_END ("idle" workers use free time: not counted);
 *     stw = number of open GC STW windows (see below)
 *     u(t) = 1 − (stw > 0 ? P : #{p : gc_p > 0}) / P      after each event
 *     (equal times keep the lowest value), 1 from the first PROCS event,
 *     0 at the trace's last event.
 *     MMU(w) = min over t in [T0, Tend − w] of (1/w) ∫_t^{t+w} u(x) dx,
 *     w clamped to Tend − T0.
 *     Only STW windows whose reason names GC count (gc.go isGCSTW: "stop-
 *     the-world (...)" containing "GC"); a worker counts from its label to
 *     when it stops running, as the pre-1.22 function did (EvGoStartLabel).
 *
 * go tool trace's own function on Go 1.22+ traces (g->gotool_util, for the
 * tests that compare with it): MutatorUtilizationV2 (Go 1.22
 * src/internal/trace/gc.go:214-452, identical in 1.23 gc.go:55-292) counts
 * a background worker twice per run and never uncounts it:
 *     GoLabel "GC (dedicated|fractional)": bgMark[g] = true, gc_p++
 *         (1.22 gc.go:400-401)
 *     g starts executing (running or in a syscall) with bgMark[g]: gc_p++;
 *     stops executing: gc_p-- (gc.go:379-386); bgMark is never cleared
 * and the runtime labels every run of a worker (GoStart then GoLabel,
 * runtime/trace2runtime.go:400-409), so from a worker's second run on each
 * run leaves +1 on its P. Once every P holds such a leftover, u stays 0 to
 * the end, addUtil adds no more points, and the function's last point, the
 * one MMUCurve takes as the trace's end (gc.go:393, 711), is that moment:
 * on testdata's traces the curve covers the first 15-23 ms of 195-293 ms
 * (waits.go1.22: 21.4 ms, so gc 6's 15.7 ms mark-termination window at
 * 88 ms is not seen). Reproduced from the sink's MS_GT_GO_EXEC and
 * MS_GT_GC_LABEL events with gc.go's per-P counts, STW count (isGCSTW),
 * MS_GT_ASSIST_* (RangeBegin/End "GC mark assist", inGC[g]) and
 * GOMAXPROCS; not reproduced: an assist already active at the trace's
 * start (gc.go's RangeActive fix-up of earlier points; none in testdata).
 *
 * u is piecewise constant with breakpoints T_i, so F(t) = I(t+w) − I(t)
 * (I the running integral) is piecewise linear in t and its minimum lies
 * where t or t + w is a breakpoint: the candidates {T_i} ∪ {T_i − w} are
 * merged in order and evaluated with two running pointers: O(n) a window.
 * Default windows: 100 µs · {1, 2, 5} · 10^k below the trace's length, then
 * the length.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gctrace/gctrace.h"
#include "profile/gotrace.h"
#include "util/buf.h"
#include "util/pairmap.h"

#define NONE UINT32_MAX

typedef struct grun {
	int64_t since;  /* running start, -1 not running */
	int kind;       /* worker: 1 background, 2 idle; 0 none */
	int64_t wsince;
	int64_t wproc;
	uint32_t blocked; /* index into assist_gs, NONE */
	bool tool_in_gc, tool_bg_mark; /* go tool trace's inGC[g], bgMark[g] */
} grun;

typedef struct ld {
	ms_gctrace_log *log;
	ms_gotrace_gc *g;
	/* current values */
	uint64_t heap_alloc, heap_goal;
	uint64_t heap_prev;   /* heap_alloc before the last HEAP_ALLOC */
	uint64_t mt_allocs;   /* HEAP_ALLOCs since the mark termination's STW_BEGIN */
	int64_t procs;
	/* the open cycle */
	int open;             /* 0 none, 1 open, 2 GC_END seen */
	ms_gotrace_cycle cur;
	int64_t stw_start;
	const char *stw_reason;
	int in_stw;
	bool stw_counted;     /* the open window is in stw_open (a GC one) */
	int64_t stw_restart;  /* its world restart (PROCS), -1 none yet */
	double gc_cpu_total;
	/* per goroutine */
	ms_pairmap g_ids;
	grun *gs;
	size_t ngs, gs_cap;
	/* MMU: per-P GC work */
	int64_t *ps;
	size_t nps;
	int stw_open;
	bool started;
	/* go tool trace's MutatorUtilizationV2 (generational traces) */
	int64_t *tool_ps;
	size_t tool_nps;
	int tool_stw;
	bool tool_started;
	ms_err *err;
} ld;

static grun *g_of(ld *l, uint64_t goid)
{
	uint32_t i = ms_pairmap_get(&l->g_ids, goid, 0);
	if (i == NONE) {
		MS_GROW(l->gs, l->ngs, l->gs_cap, 1);
		i = (uint32_t)l->ngs++;
		l->gs[i] = (grun){-1, 0, 0, 0, NONE, false, false};
		ms_pairmap_put(&l->g_ids, goid, 0, i);
	}
	return &l->gs[i];
}

static const char *intern_reason(ld *l, const char *s)
{
	if (!s)
		return "unknown";
	for (size_t i = 0; i < l->g->nreasons; i++)
		if (strcmp(l->g->reasons[i], s) == 0)
			return l->g->reasons[i];
	MS_GROW(l->g->reasons, l->g->nreasons, l->g->reasons_cap, 1);
	l->g->reasons[l->g->nreasons] = ms_xstrdup(s);
	return l->g->reasons[l->g->nreasons++];
}

/* ---- the utilization function ------------------------------------------------------ */

/* gc.go's addUtil: a point only where u changes, the lowest at equal times */
static void add_util_to(ms_gt_util **util, size_t *n, size_t *cap, int64_t t, double u)
{
	if (*n) {
		ms_gt_util *last = &(*util)[*n - 1];
		if (u == last->util)
			return;
		if (t == last->t_ns) {
			if (u < last->util)
				last->util = u;
			return;
		}
	}
	MS_GROW(*util, *n, *cap, 1);
	(*util)[(*n)++] = (ms_gt_util){t, u};
}

static void add_util(ms_gotrace_gc *g, int64_t t, double u)
{
	add_util_to(&g->util, &g->nutil, &g->util_cap, t, u);
}

/* u = 1 − (stw > 0 ? P : #{p : gc_p > 0}) / P */
static double util_of(int stw, const int64_t *ps, size_t nps)
{
	size_t busy = 0;
	if (stw > 0)
		busy = nps;
	else
		for (size_t i = 0; i < nps; i++)
			busy += ps[i] > 0;
	return 1.0 - (double)busy / (double)nps;
}

/* GOMAXPROCS n: the Ps past n are dropped, new ones start at 0 */
static void resize_ps(int64_t **ps, size_t *nps, size_t n)
{
	if (n > *nps) {
		*ps = ms_xreallocarray(*ps, n, sizeof **ps);
		memset(*ps + *nps, 0, (n - *nps) * sizeof **ps);
	}
	*nps = n;
}

static void util_now(ld *l, int64_t t)
{
	if (l->started && l->nps)
		add_util(l->g, t, util_of(l->stw_open, l->ps, l->nps));
}

static void p_add(ld *l, int64_t p, int d)
{
	if (p >= 0 && (size_t)p < l->nps)
		l->ps[p] += d;
}

/* ---- go tool trace's utilization function (Go 1.22+ traces) ------------------------ */

static void tool_p_add(ld *l, int64_t p, int d)
{
	if (p >= 0 && (size_t)p < l->tool_nps)
		l->tool_ps[p] += d;
}

/* One sink event into MutatorUtilizationV2's state (gc.go, the rules at the
 * top of this file), then its utilization after the event. */
static void tool_event(ld *l, const ms_gt_gc_event *ev)
{
	grun *r;
	switch (ev->what) {
	case MS_GT_PROCS: {
		size_t n = ev->value > 1 << 20 ? 1 << 20 : (size_t)ev->value;
		resize_ps(&l->tool_ps, &l->tool_nps, n);
		if (!l->tool_started && n) {
			l->tool_started = true;
			add_util_to(&l->g->gotool_util, &l->g->ngotool_util, &l->g->gotool_util_cap, ev->ts_ns, 1);
		}
		break;
	}
	case MS_GT_STW_BEGIN:
		if (ev->reason && strstr(ev->reason, "GC"))
			l->tool_stw++;
		break;
	case MS_GT_STW_END:
		if (ev->reason && strstr(ev->reason, "GC"))
			l->tool_stw--;
		break;
	case MS_GT_ASSIST_BEGIN:
		/* (an assist already active at the start, value 1: gc.go also
		 * lowers the utilization before it when the goroutine of the
		 * event's context runs; not done here) */
		tool_p_add(l, ev->proc, 1);
		g_of(l, ev->goid)->tool_in_gc = true;
		break;
	case MS_GT_ASSIST_END:
		tool_p_add(l, ev->proc, -1);
		g_of(l, ev->goid)->tool_in_gc = false;
		break;
	case MS_GT_GO_EXEC:
		r = g_of(l, ev->goid);
		if (r->tool_in_gc || r->tool_bg_mark)
			tool_p_add(l, ev->proc, ev->value ? 1 : -1);
		break;
	case MS_GT_GC_LABEL:
		g_of(l, ev->goid)->tool_bg_mark = true;
		tool_p_add(l, ev->proc, 1);
		break;
	default:
		return;
	}
	if (l->tool_started && l->tool_nps)
		add_util_to(&l->g->gotool_util, &l->g->ngotool_util, &l->g->gotool_util_cap, ev->ts_ns,
			util_of(l->tool_stw, l->tool_ps, l->tool_nps));
}

/* ---- cycles --------------------------------------------------------------------------- */

static uint32_t mb(uint64_t b)
{
	b >>= 20;
	return b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

static uint32_t us(double ns)
{
	ns /= 1000;
	return !(ns > 0) ? 0 : ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

/* a += b, saturating (sums of times from a corrupt trace can overflow) */
static void sat_add(int64_t *a, int64_t b)
{
	if (__builtin_add_overflow(*a, b, a))
		*a = b > 0 ? INT64_MAX : INT64_MIN;
}

static void close_cycle(ld *l)
{
	if (!l->open)
		return;
	ms_gotrace_cycle *x = &l->cur;
	ms_gctrace_log *log = l->log;
	if (l->open == 1 || x->mark_term_start_ns < 0 || x->sweep_end_ns < 0) {
		/* not complete (trace ended, or no STW windows seen) */
		l->open = 0;
		return;
	}
	if (!x->heap_live_set)
		x->heap_live = l->heap_alloc;
	double procs = x->procs > 0 ? (double)x->procs : 1;
	ms_gc_cycle c;
	memset(&c, 0, sizeof c);
	c.n = log->ncycles + 1;
	c.at_us = x->start_ns / 1000;
	double sweep = (double)x->sweep_end_ns - (double)x->sweep_start_ns;
	c.sweep_term_us = us(sweep);
	c.mark_us = us((double)x->mark_term_start_ns - (double)x->sweep_end_ns);
	int64_t term_end = x->mark_term_end_ns > x->mark_term_start_ns ? x->mark_term_end_ns : x->end_ns;
	double term = (double)term_end - (double)x->mark_term_start_ns;
	c.mark_term_us = us(term);
	c.cpu_us[MS_CPU_SWEEP_TERM] = us(sweep * procs);
	c.cpu_us[MS_CPU_ASSIST] = us((double)x->assist_ns);
	c.cpu_us[MS_CPU_BG] = us((double)x->bg_ns);
	c.cpu_us[MS_CPU_IDLE] = us((double)x->idle_ns);
	c.cpu_us[MS_CPU_MARK_TERM] = us(term * procs);
	c.heap_start_mb = mb(x->heap_start);
	c.heap_end_mb = mb(x->heap_end);
	c.heap_live_mb = mb(x->heap_live);
	c.goal_mb = mb(x->goal);
	c.has_goal = x->goal != 0;
	c.procs = (uint32_t)procs; /* (PROCS values are capped at 2^20) */
	c.format = MS_GC_GO118;
	l->gc_cpu_total += sweep * procs + (double)x->assist_ns + (double)x->bg_ns + (double)x->idle_ns + term * procs;
	double frac = x->end_ns > 0 ? l->gc_cpu_total / ((double)x->end_ns * procs) : 0;
	c.cpu_pct = !(frac * 100 < 255) ? 255 : frac > 0 ? (uint8_t)(int)(frac * 100) : 0;
	MS_GROW(log->cycles, log->ncycles, log->cap_cycles, 1);
	MS_GROW(l->g->cycles, l->g->ncycles, l->g->cycles_cap, 1);
	log->cycles[log->ncycles++] = c;
	l->g->cycles[l->g->ncycles++] = *x;
	l->open = 0;
}

/* Time an assist or worker ran, credited to the open cycle (or the last). */
static int64_t *credit(ld *l, int which)
{
	ms_gotrace_cycle *x = l->open ? &l->cur : l->g->ncycles ? &l->g->cycles[l->g->ncycles - 1] : NULL;
	if (!x)
		return NULL;
	return which == 0 ? &x->assist_ns : which == 1 ? &x->bg_ns : &x->idle_ns;
}

static void run_end(ld *l, grun *r, int64_t t)
{
	if (r->since >= 0) {
		int64_t *c = credit(l, 0);
		if (c)
			sat_add(c, t - r->since);
		r->since = -1;
	}
}

static int on_gc(void *ctx, const ms_gt_gc_event *ev)
{
	ld *l = ctx;
	int64_t t = ev->ts_ns;
	grun *r;
	tool_event(l, ev);
	switch (ev->what) {
	case MS_GT_PROCS: {
		size_t n = ev->value > 1 << 20 ? 1 << 20 : (size_t)ev->value;
		resize_ps(&l->ps, &l->nps, n);
		l->procs = (int64_t)n;
		if (l->procs > l->g->max_procs)
			l->g->max_procs = l->procs;
		if (!l->started && n) {
			l->started = true;
			add_util(l->g, t, 1);
		}
		/* the mark termination's pause ends here (see the top) */
		if (l->in_stw && l->stw_restart < 0 && strstr(l->stw_reason, "mark termination"))
			l->stw_restart = t;
		break;
	}
	case MS_GT_GC_BEGIN:
		close_cycle(l);
		memset(&l->cur, 0, sizeof l->cur);
		l->cur.start_ns = t;
		l->cur.sweep_start_ns = l->cur.sweep_end_ns = l->cur.mark_term_start_ns = -1;
		l->cur.heap_start = l->heap_alloc;
		l->cur.goal = l->heap_goal;
		l->cur.procs = l->procs;
		l->cur.stw_first = l->g->nstw;
		l->open = 1;
		break;
	case MS_GT_GC_END:
		if (l->open == 1) {
			l->cur.end_ns = t;
			/* B, C, D (see the top of the file) */
			if (l->cur.mark_term_start_ns >= 0 && l->mt_allocs > 0)
				l->cur.heap_end = l->heap_prev;
			l->cur.heap_live = l->heap_alloc;
			l->cur.heap_live_set = 1;
			l->cur.goal = l->heap_goal;
			l->open = 2;
			if (!l->in_stw)
				close_cycle(l);
		}
		break;
	case MS_GT_STW_BEGIN:
		l->stw_start = t;
		l->stw_reason = intern_reason(l, ev->reason);
		l->in_stw = 1;
		l->stw_restart = -1;
		l->stw_counted = strstr(l->stw_reason, "GC") != NULL; /* gc.go's isGCSTW */
		if (l->stw_counted)
			l->stw_open++;
		if (l->open == 1 && strstr(l->stw_reason, "mark termination")) {
			l->cur.mark_term_start_ns = t;
			l->cur.heap_end = l->heap_alloc;
			l->mt_allocs = 0;
		}
		if (l->open == 1 && strstr(l->stw_reason, "sweep termination") && l->cur.sweep_start_ns < 0)
			l->cur.heap_start = l->heap_alloc; /* A */
		break;
	case MS_GT_STW_END:
		if (l->in_stw && l->stw_counted && l->stw_open > 0)
			l->stw_open--;
		if (l->in_stw) {
			ms_gotrace_gc *g = l->g;
			int64_t end = l->stw_restart >= 0 ? l->stw_restart : t;
			MS_GROW(g->stw, g->nstw, g->stw_cap, 1);
			g->stw[g->nstw++] = (ms_gt_pause){l->stw_start, end, l->stw_reason,
				l->open ? (int64_t)g->ncycles : -1, t};
			if (l->open == 1 && strstr(l->stw_reason, "sweep termination") && l->cur.sweep_start_ns < 0) {
				l->cur.sweep_start_ns = l->stw_start;
				l->cur.sweep_end_ns = t;
			}
			if (l->open) {
				l->cur.nstw = g->nstw - l->cur.stw_first;
				if (strstr(l->stw_reason, "mark termination"))
					l->cur.mark_term_end_ns = end;
			}
			l->in_stw = 0;
			if (l->open == 2)
				close_cycle(l);
		}
		break;
	case MS_GT_HEAP_ALLOC:
		l->heap_prev = l->heap_alloc;
		l->heap_alloc = ev->value;
		l->mt_allocs++;
		break;
	case MS_GT_HEAP_GOAL:
		l->heap_goal = ev->value;
		break;
	case MS_GT_GO_EXEC: case MS_GT_GC_LABEL:
		return 0; /* (go tool trace's function only) */
	case MS_GT_ASSIST_BEGIN: case MS_GT_ASSIST_RESUME:
		r = g_of(l, ev->goid);
		r->since = t;
		p_add(l, ev->proc, 1);
		break;
	case MS_GT_ASSIST_END: case MS_GT_ASSIST_PAUSE:
		r = g_of(l, ev->goid);
		run_end(l, r, t);
		p_add(l, ev->proc, -1);
		break;
	case MS_GT_WORKER_BEGIN:
		r = g_of(l, ev->goid);
		r->kind = ev->reason && strcmp(ev->reason, "idle") == 0 ? 2 : 1;
		r->wsince = t;
		r->wproc = ev->proc;
		if (r->kind == 1)
			p_add(l, ev->proc, 1);
		break;
	case MS_GT_WORKER_END:
		r = g_of(l, ev->goid);
		if (r->kind) {
			int64_t *c = credit(l, r->kind);
			if (c)
				sat_add(c, t - r->wsince);
			if (r->kind == 1)
				p_add(l, ev->proc, -1);
			r->kind = 0;
		}
		break;
	default:
		break;
	}
	util_now(l, t);
	return 0;
}

static int on_interval(void *ctx, const ms_gt_interval *iv)
{
	ld *l = ctx;
	if (!iv->why || strcmp(iv->why, "GC assist wait") != 0)
		return 0;
	grun *r = g_of(l, iv->goid);
	ms_gotrace_gc *g = l->g;
	if (r->blocked == NONE) {
		MS_GROW(g->assist_gs, g->nassist_gs, g->assist_gs_cap, 1);
		r->blocked = (uint32_t)g->nassist_gs;
		g->assist_gs[g->nassist_gs++] = (ms_gt_assist_wait){iv->goid, 0, 0, NULL};
	}
	ms_gt_assist_wait *w = &g->assist_gs[r->blocked];
	sat_add(&w->blocked_ns, iv->end_ns - iv->start_ns);
	w->count++;
	if (!w->func && iv->nframes) {
		/* the first frame outside the runtime names where it blocked */
		const char *f = iv->frames[0].func;
		for (size_t i = 0; i < iv->nframes; i++)
			if (strncmp(iv->frames[i].func, "runtime.", 8) != 0) {
				f = iv->frames[i].func;
				break;
			}
		w->func = ms_xstrdup(f);
	}
	return 0;
}

static int cmp_wait(const void *a, const void *b)
{
	const ms_gt_assist_wait *x = a, *y = b;
	if (x->blocked_ns != y->blocked_ns)
		return x->blocked_ns > y->blocked_ns ? -1 : 1;
	return x->goid < y->goid ? -1 : x->goid > y->goid;
}

int ms_gctrace_load_gotrace(ms_gctrace_log *log, const uint8_t *data, size_t n, ms_err *err)
{
	ld l;
	memset(&l, 0, sizeof l);
	l.log = log;
	l.g = ms_xcalloc(1, sizeof *l.g);
	l.err = err;
	log->gotrace = l.g;
	log->bytes = n;
	ms_pairmap_init(&l.g_ids, 64);
	ms_gt_sink sink = {&l, on_interval, NULL, on_gc};
	ms_gt_opts opts = { .rules = MS_GT_RULES_GO };
	ms_gt_stats st;
	ms_buf warn = {0};
	int rc = ms_gotrace_read(data, n, &opts, &sink, &st, &warn, err);
	if (rc == 0) {
		if (l.open == 2)
			close_cycle(&l);
		ms_gotrace_gc *g = l.g;
		g->version_minor = st.version_minor;
		g->duration_ns = st.duration_ns;
		g->events = st.events;
		g->truncated_at = st.truncated_at;
		if (st.max_procs > g->max_procs)
			g->max_procs = st.max_procs;
		/* the utilization function ends at the last event with 0 */
		if (l.started)
			add_util(g, st.duration_ns, 0);
		if (l.tool_started)
			add_util_to(&g->gotool_util, &g->ngotool_util, &g->gotool_util_cap, st.duration_ns, 0);
		if (st.version_minor < 22) { /* go tool trace runs the old function there: util */
			free(g->gotool_util);
			g->gotool_util = NULL;
			g->ngotool_util = g->gotool_util_cap = 0;
		}
		if (g->nassist_gs)
			qsort(g->assist_gs, g->nassist_gs, sizeof *g->assist_gs, cmp_wait);
		/* warnings: one line each */
		for (char *p = warn.data; p && *p;) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = 0;
			ms_gctrace_log_warn(log, 0, p);
			p = nl ? nl + 1 : p + strlen(p);
		}
	} else {
		ms_err_prefix(err, log->name);
	}
	ms_buf_free(&warn);
	ms_pairmap_free(&l.g_ids);
	free(l.gs);
	free(l.ps);
	free(l.tool_ps);
	return rc;
}

/* ---- MMU ---------------------------------------------------------------------------- */

/* ∫ u from T0 to t, with the running index *k (t never decreases between
 * calls sharing k). */
static double integral(const ms_gt_util *u, size_t n, const double *cum, size_t *k, int64_t t)
{
	while (*k + 1 < n && u[*k + 1].t_ns <= t)
		(*k)++;
	return cum[*k] + u[*k].util * (double)(t - u[*k].t_ns);
}

static double mmu_of(const ms_gt_util *u, size_t n, int64_t window)
{
	if (window <= 0 || n < 2)
		return 0;
	int64_t t0 = u[0].t_ns, tend = u[n - 1].t_ns;
	if (window > tend - t0)
		window = tend - t0;
	if (window <= 0)
		return 0;
	double *cum = ms_xreallocarray(NULL, n, sizeof *cum);
	cum[0] = 0;
	for (size_t i = 1; i < n; i++)
		cum[i] = cum[i - 1] + u[i - 1].util * (double)(u[i].t_ns - u[i - 1].t_ns);
	/* candidates: T_i (i: T_i <= tend - w) and T_j - w (j: T_j - w >= t0),
	 * merged in increasing order */
	size_t i = 0, j = 0, ka = 0, kb = 0;
	while (j < n && u[j].t_ns - window < t0)
		j++;
	double best = 1e300;
	for (;;) {
		int64_t ti = i < n && u[i].t_ns <= tend - window ? u[i].t_ns : INT64_MAX;
		int64_t tj = j < n ? u[j].t_ns - window : INT64_MAX;
		int64_t t = ti < tj ? ti : tj;
		if (t == INT64_MAX)
			break;
		if (ti == t)
			i++;
		if (tj == t)
			j++;
		double v = integral(u, n, cum, &kb, t + window) - integral(u, n, cum, &ka, t);
		if (v < best)
			best = v;
	}
	free(cum);
	double m = best / (double)window;
	return m < 0 ? 0 : m > 1 ? 1 : m;
}

double ms_gotrace_mmu(const ms_gotrace_gc *g, int64_t window)
{
	return mmu_of(g->util, g->nutil, window);
}

double ms_gotrace_mmu_gotool(const ms_gotrace_gc *g, int64_t window)
{
	return mmu_of(g->gotool_util, g->ngotool_util, window);
}

void ms_gotrace_mmu_curve(ms_gotrace_gc *g, const int64_t *windows, size_t nw)
{
	free(g->mmu);
	g->mmu = NULL;
	g->nmmu = 0;
	size_t cap = 0;
	if (windows) {
		for (size_t i = 0; i < nw; i++) {
			MS_GROW(g->mmu, g->nmmu, cap, 1);
			g->mmu[g->nmmu++] = (ms_gt_mmu_point){windows[i], ms_gotrace_mmu(g, windows[i])};
		}
		return;
	}
	int64_t len = g->nutil >= 2 ? g->util[g->nutil - 1].t_ns - g->util[0].t_ns : 0;
	static const int steps[] = {1, 2, 5};
	for (int64_t dec = 100000; dec < len && dec <= INT64_MAX / 10; dec *= 10)
		for (int s = 0; s < 3; s++) {
			int64_t w = dec * steps[s];
			if (w >= len)
				break;
			MS_GROW(g->mmu, g->nmmu, cap, 1);
			g->mmu[g->nmmu++] = (ms_gt_mmu_point){w, ms_gotrace_mmu(g, w)};
		}
	if (len > 0) {
		MS_GROW(g->mmu, g->nmmu, cap, 1);
		g->mmu[g->nmmu++] = (ms_gt_mmu_point){len, ms_gotrace_mmu(g, len)};
	}
}

void ms_gotrace_gc_free(ms_gotrace_gc *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nreasons; i++)
		free(g->reasons[i]);
	for (size_t i = 0; i < g->nassist_gs; i++)
		free(g->assist_gs[i].func);
	free(g->reasons);
	free(g->assist_gs);
	free(g->cycles);
	free(g->stw);
	free(g->util);
	free(g->gotool_util);
	free(g->mmu);
	free(g);
}
