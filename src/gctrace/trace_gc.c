/* trace_gc.c — the collector's records of a libmsrt event trace
 * (trace.out; layout in src/rt/mtrace.c and memscope(1)) read into the
 * same log model the gctrace text parser fills, so every report works on
 * either, plus ms_gctrace_trace with what the text lines cannot show.
 *
 * Each 'G' record becomes the cycle its gctrace line describes, computed
 * the way the runtime computes the line (src/rt/mgc.c), unrounded:
 *     clock  a = window 1 (sweep termination)
 *            b = start of the last window (mark termination) − end of window 1
 *            c = Σ mark-termination windows (restarted ones too) + dropped
 *     cpu    d = a · P,  e = assist,  f = background,  g = idle,  h = c · P
 *     X, Y, Z, goal, stacks, globals = bytes >> 20 (truncated like the line)
 *     P%     = trunc(100 · gc_cpu / (now · P))     (the runtime's double
 *                                                   arithmetic, so equal)
 *     @T     = at_ns (since the collector started)
 * times in µs truncated from ns (the line rounds down to 2–3 significant
 * digits, so the trace's value is the same or a little more precise).
 * 'W' records give each cycle's sweep end (they may come before their 'G':
 * the sweep can finish before the driver writes the cycle), 'P' records
 * the settings changes. Allocation records are skipped.
 *
 * Bad input: one message "NAME: byte N: what", never a partial log.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gctrace/gctrace.h"
#include "profile/trace.h"

typedef struct rec {
	const ms_trace_iter *it;
	const uint8_t *p, *end;
	ms_err *err;
} rec;

static int bad(rec *r, const char *what)
{
	return ms_seterr(r->err, "byte %zu: %s", (size_t)(r->p - r->it->base), what);
}

static int u64(rec *r, uint64_t *v)
{
	return ms_trace_get_varint(r->it, &r->p, r->end, v, r->err);
}

/* Reads n varints into v. */
static int u64s(rec *r, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (u64(r, &v[i]) < 0)
			return -1;
	return 0;
}

/* An f64: 8 bytes little-endian; finite and not negative. */
static int f64(rec *r, double *d)
{
	if (r->end - r->p < 8)
		return bad(r, "truncated number");
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)r->p[i] << (8 * i);
	memcpy(d, &u, 8);
	if (!isfinite(*d) || *d < 0)
		return bad(r, "number is not finite or negative");
	r->p += 8;
	return 0;
}

/* A count of entries of at least min_bytes each that must fit the record. */
static int count(rec *r, uint64_t *n, size_t min_bytes)
{
	if (u64(r, n) < 0)
		return -1;
	if (*n > (uint64_t)(r->end - r->p) / min_bytes)
		return bad(r, "count larger than its record");
	return 0;
}

static int to_u32(rec *r, uint64_t v, uint32_t *out, const char *what)
{
	if (v > UINT32_MAX) {
		ms_seterr(r->err, "byte %zu: %s out of range", (size_t)(r->p - r->it->base), what);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int32_t gogc_of(uint64_t gogc1)
{
	return gogc1 == 0 ? -1 : gogc1 - 1 > INT32_MAX ? INT32_MAX : (int32_t)(gogc1 - 1);
}

/* The 'G' fields in their order (mtrace.c). */
enum {
	G_N, G_FLAGS, G_PROCS, G_AT, G_HEAP0, G_HEAP1, G_HEAP2, G_GOAL, G_TRIGGER, G_STACKS, G_GLOBALS,
	G_ASSIST, G_BG, G_IDLE, G_GC_CPU, G_NOW, G_GOGC1, G_MEMLIMIT, G_GOAL_GOGC, G_GOAL_LIMIT,
	G_SCAN, G_ASSIST_SCAN, G_NEXT_GOAL, G_NEXT_TRIGGER, G_NFIELDS
};

static int read_cycle(ms_gctrace_log *log, rec *r)
{
	ms_gctrace_trace *tr = log->trace;
	uint64_t f[G_NFIELDS];
	ms_gc_cycle_trace x;
	memset(&x, 0, sizeof x);
	if (u64s(r, f, G_NFIELDS) < 0 || f64(r, &x.cons_mark) < 0 || f64(r, &x.cons_mark_measured) < 0 ||
		f64(r, &x.utilization) < 0 || f64(r, &x.limiter_fill) < 0 || u64(r, &x.stw_dropped) < 0 ||
		u64(r, &x.stw_dropped_ns) < 0)
		return -1;
	if (f[G_N] == 0)
		return bad(r, "cycle number 0");
	if (f[G_PROCS] == 0 || f[G_PROCS] > UINT32_MAX)
		return bad(r, "number of CPUs out of range");
	uint64_t nstw;
	if (count(r, &nstw, 3) < 0)
		return -1;
	x.stw_first = tr->nstw;
	x.nstw = (size_t)nstw;
	MS_GROW(tr->stw, tr->nstw, tr->cap_stw, x.nstw);
	uint64_t stw1 = 0, stw2 = x.stw_dropped_ns, prev_end = 0;
	for (size_t i = 0; i < x.nstw; i++) {
		uint64_t w[3];
		if (u64s(r, w, 3) < 0)
			return -1;
		int want_first = i == 0, last = i + 1 == x.nstw;
		if (w[0] != (want_first ? MS_STW_SWEEP_TERM : last ? MS_STW_MARK_TERM : MS_STW_MARK_RESTART))
			return bad(r, "STW windows must be a sweep termination, restarts, a mark termination");
		if (w[2] < w[1] || w[1] < prev_end)
			return bad(r, "STW window out of order");
		prev_end = w[2];
		if (i == 0)
			stw1 = w[2] - w[1];
		else if (__builtin_add_overflow(stw2, w[2] - w[1], &stw2))
			return bad(r, "STW time out of range");
		tr->stw[tr->nstw++] = (ms_gc_stw){ w[1], w[2], (uint8_t)w[0] };
	}
	if (x.nstw < 2)
		return bad(r, "a cycle needs at least two STW windows");
	const ms_gc_stw *first = &tr->stw[x.stw_first], *term = &tr->stw[x.stw_first + x.nstw - 1];
	x.start_ns = first->start_ns;
	x.mark_start_ns = first->end_ns;
	x.mark_end_ns = term->start_ns;
	x.term_end_ns = term->end_ns;
	uint64_t nrev;
	if (count(r, &nrev, 11) < 0)
		return -1;
	x.rev_first = tr->nrev;
	x.nrev = (size_t)nrev;
	MS_GROW(tr->revs, tr->nrev, tr->cap_rev, x.nrev);
	for (size_t i = 0; i < x.nrev; i++) {
		ms_gc_assist_rev v;
		if (u64(r, &v.t_ns) < 0 || u64(r, &v.heap_live) < 0 || u64(r, &v.scan_done) < 0 || f64(r, &v.ratio) < 0)
			return -1;
		tr->revs[tr->nrev++] = v;
	}
	/* later fields of newer writers are skipped */
	x.heap_start = f[G_HEAP0];
	x.heap_end = f[G_HEAP1];
	x.heap_live = f[G_HEAP2];
	x.goal = f[G_GOAL];
	x.trigger = f[G_TRIGGER];
	x.stacks = f[G_STACKS];
	x.globals = f[G_GLOBALS];
	x.assist_ns = f[G_ASSIST];
	x.bg_ns = f[G_BG];
	x.idle_ns = f[G_IDLE];
	x.gc_cpu_ns = f[G_GC_CPU];
	x.gogc = gogc_of(f[G_GOGC1]);
	x.mem_limit = f[G_MEMLIMIT];
	x.goal_gogc = f[G_GOAL_GOGC];
	x.goal_limit = f[G_GOAL_LIMIT];
	x.scan_work = f[G_SCAN];
	x.assist_scan = f[G_ASSIST_SCAN];
	x.next_goal = f[G_NEXT_GOAL];
	x.next_trigger = f[G_NEXT_TRIGGER];
	x.has_cons_mark = (f[G_FLAGS] & 4) != 0;
	x.limiter_on = (f[G_FLAGS] & 2) != 0;
	x.revs_thinned = (f[G_FLAGS] & 8) != 0;

	/* the gctrace line's cycle */
	ms_gc_cycle c;
	memset(&c, 0, sizeof c);
	c.n = f[G_N];
	c.format = MS_GC_GO118;
	c.forced = (f[G_FLAGS] & 1) != 0;
	c.has_goal = 1;
	if (f[G_AT] / 1000 > INT64_MAX)
		return bad(r, "start time out of range");
	c.at_us = (int64_t)(f[G_AT] / 1000);
	uint64_t procs = f[G_PROCS], d, h;
	if (__builtin_mul_overflow(stw1, procs, &d) || __builtin_mul_overflow(stw2, procs, &h))
		return bad(r, "STW cpu time out of range");
	if (to_u32(r, stw1 / 1000, &c.sweep_term_us, "sweep termination time") < 0 ||
		to_u32(r, (x.mark_end_ns - x.mark_start_ns) / 1000, &c.mark_us, "mark time") < 0 ||
		to_u32(r, stw2 / 1000, &c.mark_term_us, "mark termination time") < 0 ||
		to_u32(r, d / 1000, &c.cpu_us[MS_CPU_SWEEP_TERM], "sweep termination cpu") < 0 ||
		to_u32(r, x.assist_ns / 1000, &c.cpu_us[MS_CPU_ASSIST], "assist cpu") < 0 ||
		to_u32(r, x.bg_ns / 1000, &c.cpu_us[MS_CPU_BG], "background cpu") < 0 ||
		to_u32(r, x.idle_ns / 1000, &c.cpu_us[MS_CPU_IDLE], "idle cpu") < 0 ||
		to_u32(r, h / 1000, &c.cpu_us[MS_CPU_MARK_TERM], "mark termination cpu") < 0 ||
		to_u32(r, x.heap_start >> 20, &c.heap_start_mb, "heap size") < 0 ||
		to_u32(r, x.heap_end >> 20, &c.heap_end_mb, "heap size") < 0 ||
		to_u32(r, x.heap_live >> 20, &c.heap_live_mb, "heap size") < 0 ||
		to_u32(r, x.goal >> 20, &c.goal_mb, "heap goal") < 0 ||
		to_u32(r, x.stacks >> 20, &c.stacks_mb, "stack size") < 0 ||
		to_u32(r, x.globals >> 20, &c.globals_mb, "globals size") < 0)
		return -1;
	c.procs = (uint32_t)procs;
	uint64_t now = f[G_NOW];
	double frac = now ? (double)x.gc_cpu_ns / ((double)now * (double)procs) : 0;
	if (!(frac * 100 < 256))
		return bad(r, "GC CPU share out of range");
	c.cpu_pct = (uint8_t)(int)(frac * 100);

	MS_GROW(log->cycles, log->ncycles, log->cap_cycles, 1);
	MS_GROW(tr->cycles, log->ncycles, tr->cap_cycles, 1);
	log->cycles[log->ncycles] = c;
	tr->cycles[log->ncycles++] = x;
	return 0;
}

static int read_setting(ms_gctrace_trace *tr, rec *r)
{
	uint64_t v[5];
	if (u64s(r, v, 5) < 0)
		return -1;
	MS_GROW(tr->settings, tr->nsettings, tr->cap_settings, 1);
	tr->settings[tr->nsettings++] = (ms_gc_setting){ v[0], v[2], v[3], v[4], gogc_of(v[1]) };
	return 0;
}

typedef struct sweep_end {
	uint64_t n, t_ns;
} sweep_end;

int ms_gctrace_load_trace(ms_gctrace_log *log, const uint8_t *data, size_t n, ms_err *err)
{
	ms_trace_iter it;
	if (ms_trace_iter_open(&it, data, n, err) < 0) {
		ms_err_prefix(err, log->name);
		return -1;
	}
	ms_gctrace_trace *tr = ms_xcalloc(1, sizeof *tr);
	log->trace = tr;
	log->bytes = n;
	tr->pid = it.h.pid;
	tr->wall_ns = it.h.wall_ns;
	sweep_end *sweeps = NULL;
	size_t nsweeps = 0, cap_sweeps = 0;
	int rc = 0;
	for (;;) {
		uint8_t kind;
		const uint8_t *payload;
		size_t len;
		int got = ms_trace_iter_next(&it, &kind, &payload, &len, err);
		if (got < 0) {
			rc = -1;
			break;
		}
		tr->records++;
		if (got == 0)
			break;
		rec r = { &it, payload, payload + len, err };
		if (kind == 'G') {
			rc = read_cycle(log, &r);
		} else if (kind == 'W') {
			MS_GROW(sweeps, nsweeps, cap_sweeps, 1);
			rc = u64(&r, &sweeps[nsweeps].n) < 0 || u64(&r, &sweeps[nsweeps].t_ns) < 0 ? -1 : 0;
			nsweeps++;
			tr->sweep_records++;
		} else if (kind == 'P') {
			rc = read_setting(tr, &r);
		}
		if (rc < 0)
			break;
	}
	tr->complete = it.ended;
	if (!it.ended && tr->records)
		tr->records--; /* the end of the data is not a record */
	/* sweep ends: one process numbers its cycles 1, 2, 3, ..., so a 'W'
	 * finds its cycle by binary search (one that is not there is left).
	 * The sweep starts when mark termination flips sweepgen, and threads
	 * released first may finish it before the collector has timed the
	 * world's restart: a sweep end can precede term_end_ns. */
	for (size_t i = 0; rc == 0 && i < nsweeps; i++) {
		size_t lo = 0, hi = log->ncycles;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (log->cycles[mid].n < sweeps[i].n)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < log->ncycles && log->cycles[lo].n == sweeps[i].n && sweeps[i].t_ns >= tr->cycles[lo].mark_end_ns &&
			!tr->cycles[lo].sweep_end_ns)
			tr->cycles[lo].sweep_end_ns = sweeps[i].t_ns;
	}
	free(sweeps);
	if (rc < 0)
		ms_err_prefix(err, log->name);
	return rc;
}

void ms_gctrace_trace_free(ms_gctrace_trace *tr)
{
	if (!tr)
		return;
	free(tr->cycles);
	free(tr->stw);
	free(tr->revs);
	free(tr->settings);
	free(tr);
}
