/* mgcpacer.c — the GC pacer (Go ≥ 1.18's gcControllerState, mgcpacer.go):
 * when to start a cycle, how much assist work allocation owes while it
 * runs, and the CPU limiter. All sizes in bytes, times in ns. Fields live
 * in mgc.pacer (mgc_internal.h); the driver updates them under
 * mgc.cycle_lock at STW 1 (start), every mark slice (revise) and at mark
 * termination (end). end runs inside STW 2, with the world stopped, as
 * Go's gcMarkTermination commits the pacer before it restarts the world:
 * heap_live drops to marked there, which may well be above the old
 * trigger, so the next trigger must exist before any thread allocates
 * again (the memory-limit goal uses page-heap numbers taken just before
 * the stop, whose lock a stopped thread may hold).
 *
 * Heap goal (GOGC = g, percent; < 0 = off):
 *     goal_gogc  = marked + (marked + stack_scan + globals_scan) · g/100
 *                  with a floor of 4 MiB · g/100             (heapMinimum)
 * Memory limit L (MSRT_MEMLIMIT, ms_set_memory_limit):
 *     mapped     = heap_sys − heap_released + metadata        (mapped and ready)
 *     non_heap   = mapped − free_pages − GC span pages        (malloc objects,
 *                                                              metadata)
 *     goal_limit = L − (non_heap + max(mapped − L, 0))
 *     goal_limit −= max(3% of goal_limit, 1 MiB)              (headroom)
 *     goal_limit = max(goal_limit, marked)
 *     goal       = min(goal_gogc, goal_limit)
 *
 * Trigger (u = 0.25, the background utilisation goal):
 *     runway  = cons_mark · (1 − u)/u · (last_heap_scan + stack_scan + globals_scan)
 *     trigger = goal − runway, clamped to
 *               [marked + 0.70·(goal − marked), marked + 0.95·(goal − marked)]
 *
 * cons/mark, measured at each mark termination (allocation rate over scan
 * rate, corrected for the CPU share the collector had):
 *     cons_mark_now = (heap_live_at_term − heap_live_at_start) · util
 *                     ─────────────────────────────────────────────────
 *                                scan_work · (1 − util)
 *     cons_mark     = max of the last 4 cycles                 (Go 1.21)
 * util = (background + assist CPU) / (mark wall time · ncpu).
 *
 * Assist ratio, revised every mark slice:
 *     expected  = last_heap_scan + stack_scan + globals_scan
 *     if scan_done > expected: expected = heap_live + stack + globals,
 *                              goal extended to at most goal·(1 + g/100)
 *     if heap_live > goal:     goal ·= 1.1,  expected = the maximum
 *     assist_ratio = max(expected − scan_done, 1000) / max(goal − heap_live, 1)
 *
 * Memory limit and the scavenger (Go's memory-limit-based scavenging):
 * after each cycle, once the sweep has returned its pages, free pages are
 * released until mapped ≤ 95% of the limit.
 *
 * CPU limiter: a leaky bucket of capacity 1 CPU-second per CPU:
 *     fill += gc_cpu − 0.5 · wall · ncpu   (clamped to [0, capacity])
 * updated at every mark termination; while full, assists are off and the
 * heap may overshoot its goal rather than take more than ~50% of the CPU.
 *
 * With the event trace on, every revision of the assist ratio and each
 * cycle's goals, trigger and cons/mark are recorded (mgcevent.c).
 */
#include "config.h"

#include "rt/mgc_internal.h"

#define HEAP_MINIMUM (4ull << 20)
#define BG_UTILIZATION 0.25
#define TRIGGER_MIN 0.70
#define TRIGGER_MAX 0.95

/* The page heap's numbers the memory-limit goal needs, under its lock
 * (never with the world stopped: a stopped thread may hold the lock). */
void mgc_pacer_mem_snapshot(mgc_mem_snapshot *m)
{
	msrt_heap_t *h = &msrt_heap;
	pthread_mutex_lock(&h->lock);
	uint64_t sys = h->committed, released = (uint64_t)h->pages.nscav << MSRT_PAGE_SHIFT;
	uint64_t free_ready = (uint64_t)(h->pages.nfree - h->pages.nscav) << MSRT_PAGE_SHIFT;
	pthread_mutex_unlock(&h->lock);
	m->mapped = sys - released + msrt_metadata_sys();
	uint64_t used = free_ready + atomic_load(&mgc.span_bytes);
	m->non_heap = m->mapped > used ? m->mapped - used : 0;
}

static uint64_t goal_gogc(const mgc_pacer *p)
{
	if (p->gogc < 0)
		return UINT64_MAX;
	uint64_t base = p->heap_marked + p->stack_scan + p->globals_scan;
	uint64_t goal = p->heap_marked + base / 100 * (uint64_t)p->gogc + base % 100 * (uint64_t)p->gogc / 100;
	uint64_t floor = HEAP_MINIMUM * (uint64_t)p->gogc / 100;
	return goal > floor ? goal : floor;
}

static uint64_t goal_limit(const mgc_pacer *p, const mgc_mem_snapshot *m)
{
	if (p->mem_limit == UINT64_MAX)
		return UINT64_MAX;
	uint64_t L = p->mem_limit, mapped = m->mapped, non_heap = m->non_heap;
	uint64_t over = mapped > L ? mapped - L : 0;
	uint64_t goal = L > non_heap + over ? L - (non_heap + over) : 0;
	uint64_t headroom = goal / 100 * 3;
	if (headroom < (1u << 20))
		headroom = 1u << 20;
	goal = goal > headroom ? goal - headroom : 0;
	return goal > p->heap_marked ? goal : p->heap_marked;
}

static void compute_goal_and_trigger(mgc_pacer *p, const mgc_mem_snapshot *m)
{
	uint64_t g1 = goal_gogc(p), g2 = goal_limit(p, m);
	uint64_t goal = g1 < g2 ? g1 : g2;
	p->goal_gogc = g1;
	p->goal_limit = g2;
	p->heap_goal = goal;
	if (goal == UINT64_MAX) {
		__atomic_store_n(&p->trigger, UINT64_MAX, __ATOMIC_RELAXED);
		return;
	}
	double runway = p->cons_mark * (1 - BG_UTILIZATION) / BG_UTILIZATION *
		(double)(p->last_heap_scan + p->stack_scan + p->globals_scan);
	uint64_t marked = p->heap_marked < goal ? p->heap_marked : goal;
	uint64_t lo = marked + (uint64_t)(TRIGGER_MIN * (double)(goal - marked));
	uint64_t hi = marked + (uint64_t)(TRIGGER_MAX * (double)(goal - marked));
	uint64_t trigger = runway < (double)goal ? goal - (uint64_t)runway : 0;
	if (trigger < lo)
		trigger = lo;
	if (trigger > hi)
		trigger = hi;
	__atomic_store_n(&p->trigger, trigger, __ATOMIC_RELAXED);
}

void mgc_pacer_init(void)
{
	mgc_pacer *p = &mgc.pacer;
	for (int i = 0; i < 4; i++)
		p->cons_mark_hist[i] = 0;
	p->cons_mark = 1.0; /* no measurement yet */
	p->limiter_cap = 1e9 * mgc.ncpu;
	p->limiter_last_ns = msrt_nanotime();
	mgc_pacer_commit();
}

void mgc_pacer_start_cycle(uint64_t heap_live, uint64_t stack_scan, uint64_t globals_scan)
{
	mgc_pacer *p = &mgc.pacer;
	p->mark_start_live = heap_live;
	p->stack_scan = stack_scan;
	p->globals_scan = globals_scan;
	mgc_pacer_revise(heap_live, 0);
}

void mgc_pacer_revise(uint64_t heap_live, uint64_t scan_done)
{
	mgc_pacer *p = &mgc.pacer;
	double goal = p->heap_goal == UINT64_MAX ? (double)heap_live * 2 + HEAP_MINIMUM : (double)p->heap_goal;
	double expected = (double)(p->last_heap_scan + p->stack_scan + p->globals_scan);
	double max_scan = (double)(heap_live + p->stack_scan + p->globals_scan);
	if ((double)scan_done > expected) {
		double ext = expected > 0 ? (goal - (double)p->mark_start_live) / expected * max_scan + (double)p->mark_start_live
					  : goal;
		double hard = (1.0 + (p->gogc < 0 ? 1.0 : p->gogc / 100.0)) * goal;
		goal = ext > hard ? hard : ext;
		expected = max_scan;
	}
	if ((double)heap_live > goal) {
		goal *= 1.1;
		expected = max_scan;
	}
	double remaining = expected - (double)scan_done;
	if (remaining < 1000)
		remaining = 1000;
	double heap_remaining = goal - (double)heap_live;
	if (heap_remaining < 1)
		heap_remaining = 1;
	p->assist_ratio = remaining / heap_remaining;
	mgc_ev_revise(heap_live, scan_done, p->assist_ratio);
}

/* Mark termination, with the world stopped (Go's gcControllerState.endCycle
 * and the commit gcMarkTermination does before the world restarts): the
 * cycle's measurements, then the next goal and trigger, so no allocation
 * after the restart can compare heap_live (= marked, already) with the old
 * trigger and ask for a cycle at once. m: the page heap's numbers, taken
 * just before the stop. */
void mgc_pacer_end_cycle(uint64_t heap_marked, uint64_t heap_live_at_term, uint64_t scan_work,
	uint64_t stack_scan, uint64_t globals_scan, double util, const mgc_mem_snapshot *m)
{
	mgc_pacer *p = &mgc.pacer;
	p->cons_mark_measured = 0;
	p->util_now = util;
	if (scan_work > 0 && util > 0 && util < 1 && heap_live_at_term >= p->mark_start_live) {
		double cm = (double)(heap_live_at_term - p->mark_start_live) * util / ((double)scan_work * (1 - util));
		for (int i = 3; i > 0; i--)
			p->cons_mark_hist[i] = p->cons_mark_hist[i - 1];
		p->cons_mark_hist[0] = cm;
		p->cons_mark_now = cm;
		p->cons_mark_measured = 1;
		double mx = 0;
		for (int i = 0; i < 4; i++)
			if (p->cons_mark_hist[i] > mx)
				mx = p->cons_mark_hist[i];
		p->cons_mark = mx;
	}
	p->heap_marked = heap_marked;
	p->last_heap_scan = scan_work > stack_scan + globals_scan ? scan_work - stack_scan - globals_scan : 0;
	p->stack_scan = stack_scan;
	p->globals_scan = globals_scan;
	p->assist_ratio = 0;
	compute_goal_and_trigger(p, m);
}

/* The settings changed (or ms_init): goal and trigger again from the last
 * cycle's measurements. Takes the heap lock: never with the world stopped. */
void mgc_pacer_commit(void)
{
	mgc_mem_snapshot m = { 0, 0 };
	if (mgc.pacer.mem_limit != UINT64_MAX)
		mgc_pacer_mem_snapshot(&m);
	compute_goal_and_trigger(&mgc.pacer, &m);
}

void mgc_limiter_update(uint64_t gc_cpu_ns, uint64_t now_ns)
{
	mgc_pacer *p = &mgc.pacer;
	double wall = now_ns > p->limiter_last_ns ? (double)(now_ns - p->limiter_last_ns) : 0;
	p->limiter_last_ns = now_ns;
	p->limiter_fill += (double)gc_cpu_ns - 0.5 * wall * mgc.ncpu;
	if (p->limiter_fill < 0)
		p->limiter_fill = 0;
	if (p->limiter_fill > p->limiter_cap)
		p->limiter_fill = p->limiter_cap;
	p->limiter_on = p->limiter_fill >= p->limiter_cap;
}

void mgc_limit_scavenge(void)
{
	uint64_t L = mgc.pacer.mem_limit;
	if (L == UINT64_MAX)
		return;
	mgc_mem_snapshot m;
	mgc_pacer_mem_snapshot(&m);
	uint64_t target = L / 100 * 95;
	if (m.mapped > target)
		msrt_scavenge_pages(0, 1, (size_t)((m.mapped - target + MSRT_PAGE_SIZE - 1) >> MSRT_PAGE_SHIFT));
}
