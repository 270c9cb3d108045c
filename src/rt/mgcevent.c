/* mgcevent.c — the collector's records in the event trace (MSRT_TRACE):
 * one 'G' record per completed cycle with its phase changes (every
 * stop-the-world window, restarted mark terminations included), the
 * gctrace line's numbers unrounded, and the pacer's decisions over the
 * cycle (trigger and goal, cons/mark, each assist ratio revision, the
 * memory-limit goal, the CPU limiter); a 'W' record when a cycle's sweep
 * runs out of spans; a 'P' record when the settings change. The layout is
 * documented in mtrace.c's header; `memscope gctrace trace.out` reads it
 * (src/gctrace/trace_gc.c).
 *
 * The cycle's record is gathered on the driver thread (begin, stw and
 * end run there), partly with the world stopped; revise runs wherever the
 * pacer revises the assist ratio — the driver, the thread doing STW 1's
 * work, or an allocating thread in its crit section — always under the
 * pacer's rev_lock and only while marking (between begin and end), so
 * its slots have one writer at a time. Nothing here takes a lock or
 * allocates until end, which runs after the world restarted and writes
 * the record at once.
 *
 * The sweep-done event also publishes the heap profile as of the cycle's
 * mark termination (mprof.c, Go's mProf_PostSweep).
 */
#include "config.h"

#include <string.h>

#include "rt/mgc_internal.h"

#define MAX_STW 256
#define MAX_REV 256

typedef struct ev_stw {
	uint64_t t0, t1;
	int kind;
} ev_stw;

typedef struct ev_rev {
	uint64_t t, heap_live, scan_done;
	double ratio;
} ev_rev;

/* the cycle being recorded (driver thread only) */
static struct {
	int active;
	uint64_t trigger, goal, goal_gogc, goal_limit, mem_limit;
	int gogc;
	double cons_mark;
	ev_stw stw[MAX_STW];
	unsigned nstw;
	uint64_t dropped, dropped_ns;
	ev_rev rev[MAX_REV];
	unsigned nrev;
	uint64_t seen, stride; /* revisions seen; one kept every stride */
	int thinned;
	unsigned char buf[64 * 10 + MAX_STW * 30 + MAX_REV * 38];
} cyc;

static _Atomic uint32_t swept_sg; /* last sweepgen whose 'W' was written */

static size_t put(unsigned char *p, uint64_t v)
{
	return msrt_trace_put_varint(p, v);
}

static size_t put_f64(unsigned char *p, double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (8 * i));
	return 8;
}

/* UINT64_MAX ("none") is written as 0 */
static uint64_t opt(uint64_t v)
{
	return v == UINT64_MAX ? 0 : v;
}

void mgc_ev_cycle_begin(void)
{
	cyc.active = msrt_trace_on;
	if (!cyc.active)
		return;
	const mgc_pacer *p = &mgc.pacer;
	cyc.trigger = __atomic_load_n(&p->trigger, __ATOMIC_RELAXED);
	cyc.goal = p->heap_goal;
	cyc.goal_gogc = p->goal_gogc;
	cyc.goal_limit = p->goal_limit;
	cyc.mem_limit = p->mem_limit;
	cyc.gogc = p->gogc;
	cyc.cons_mark = p->cons_mark;
	cyc.nstw = cyc.nrev = 0;
	cyc.dropped = cyc.dropped_ns = 0;
	cyc.seen = 0;
	cyc.stride = 1;
	cyc.thinned = 0;
}

void mgc_ev_stw(int kind, uint64_t t0, uint64_t t1)
{
	if (!cyc.active)
		return;
	/* the last slot is kept for the final mark termination */
	if (cyc.nstw < MAX_STW - 1 || (kind == MGC_STW_MARK_TERM && cyc.nstw < MAX_STW)) {
		cyc.stw[cyc.nstw++] = (ev_stw){ t0, t1, kind };
	} else {
		cyc.dropped++;
		cyc.dropped_ns += t1 - t0;
	}
}

void mgc_ev_revise(uint64_t heap_live, uint64_t scan_done, double assist_ratio)
{
	if (!cyc.active)
		return;
	/* keep every stride-th revision; when full, drop every other one
	 * and double the stride, so a long mark stays evenly covered */
	if (cyc.seen++ % cyc.stride != 0)
		return;
	if (cyc.nrev == MAX_REV) {
		for (unsigned i = 0; i < MAX_REV / 2; i++)
			cyc.rev[i] = cyc.rev[2 * i];
		cyc.nrev = MAX_REV / 2;
		cyc.stride *= 2;
		cyc.thinned = 1;
		if ((cyc.seen - 1) % cyc.stride != 0)
			return;
	}
	cyc.rev[cyc.nrev++] = (ev_rev){ msrt_nanotime(), heap_live, scan_done, assist_ratio };
}

void mgc_ev_cycle_end(const mgc_ev_cycle *c)
{
	if (!cyc.active)
		return;
	cyc.active = 0;
	const mgc_pacer *p = &mgc.pacer;
	unsigned char *b = cyc.buf;
	size_t n = 0;
	uint64_t flags = (c->forced ? 1u : 0u) | (p->limiter_on ? 2u : 0u) | (p->cons_mark_measured ? 4u : 0u) |
		(cyc.thinned ? 8u : 0u);
	uint64_t head[] = {
		c->n, flags, (uint64_t)mgc.ncpu, c->at_ns,
		c->heap0, c->heap1, c->heap2, c->goal, opt(cyc.trigger), c->stacks, c->globals,
		c->assist_ns, c->bg_ns, 0 /* idle */, c->gc_cpu_ns, c->now_ns,
		cyc.gogc < 0 ? 0 : (uint64_t)cyc.gogc + 1, opt(cyc.mem_limit), opt(cyc.goal_gogc), opt(cyc.goal_limit),
		c->scan_work, c->assist_scan, opt(p->heap_goal), opt(__atomic_load_n(&p->trigger, __ATOMIC_RELAXED)),
	};
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		n += put(b + n, head[i]);
	n += put_f64(b + n, cyc.cons_mark);
	n += put_f64(b + n, p->cons_mark_measured ? p->cons_mark_now : 0);
	n += put_f64(b + n, p->util_now);
	n += put_f64(b + n, p->limiter_cap > 0 ? p->limiter_fill / p->limiter_cap : 0);
	n += put(b + n, cyc.dropped);
	n += put(b + n, cyc.dropped_ns);
	n += put(b + n, cyc.nstw);
	for (unsigned i = 0; i < cyc.nstw; i++) {
		n += put(b + n, (uint64_t)cyc.stw[i].kind);
		n += put(b + n, msrt_trace_clock(cyc.stw[i].t0));
		n += put(b + n, msrt_trace_clock(cyc.stw[i].t1));
	}
	n += put(b + n, cyc.nrev);
	for (unsigned i = 0; i < cyc.nrev; i++) {
		n += put(b + n, msrt_trace_clock(cyc.rev[i].t));
		n += put(b + n, cyc.rev[i].heap_live);
		n += put(b + n, cyc.rev[i].scan_done);
		n += put_f64(b + n, cyc.rev[i].ratio);
	}
	msrt_trace_record('G', b, n);
}

void mgc_ev_settings(void)
{
	if (!msrt_trace_on)
		return;
	const mgc_pacer *p = &mgc.pacer;
	unsigned char b[60];
	size_t n = 0;
	n += put(b + n, msrt_trace_clock(msrt_nanotime()));
	n += put(b + n, p->gogc < 0 ? 0 : (uint64_t)p->gogc + 1);
	n += put(b + n, opt(p->mem_limit));
	n += put(b + n, opt(p->heap_goal));
	n += put(b + n, opt(__atomic_load_n(&p->trigger, __ATOMIC_RELAXED)));
	msrt_trace_record('P', b, n);
}

void mgc_ev_sweep_done(uint32_t sg, int again)
{
	if (atomic_load(&mgc.sweepgen) != sg || msrt_prof_cycle() == 0)
		return; /* a sweeper that slept through a mark termination; no cycle yet */
	uint32_t old = atomic_load(&swept_sg);
	int first = old != sg && atomic_compare_exchange_strong(&swept_sg, &old, sg);
	if (!first && !again)
		return;
	/* the profile's cycle counter advances with sweepgen at each mark
	 * termination, so it is also the number of the cycle swept */
	uint32_t c = msrt_prof_cycle();
	if (atomic_load(&mgc.sweepgen) != sg)
		return;
	msrt_prof_post_sweep(c);
	if (!first || !msrt_trace_on)
		return;
	unsigned char b[24];
	size_t n = put(b, c);
	n += put(b + n, msrt_trace_clock(msrt_nanotime()));
	msrt_trace_record('W', b, n);
}
