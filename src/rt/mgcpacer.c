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
 * Trigger (u = the background worker's planned share of the CPUs: 0.25 up
 * to 4 CPUs, 1/ncpu above — one thread at a duty cycle of min(1, 0.25·ncpu)):
 *     runway  = cons_mark · (1 − u)/u · (last_heap_scan + stack_scan + globals_scan)
 *     trigger = goal − runway, clamped to
 *               [marked + 0.70·(goal − marked), marked + 0.95·(goal − marked)]
 * The thread whose allocation crosses the trigger asks for the cycle, and
 * waits for its STW 1 once it is a quarter of the runway past the trigger
 * with the cycle not started (mgc.c; in Go that thread runs the start
 * itself, so it cannot run ahead at all).
 *
 * cons/mark, measured at each mark termination (allocation rate over scan
 * rate, corrected for the CPU share the collector had):
 *     cons_mark_now = (heap_live_at_term − trigger) · util
 *                     ─────────────────────────────────────
 *                          scan_work · (1 − util)
 *     cons_mark     = max of the last 4 cycles                 (Go 1.21)
 *     util          = u + (assist CPU + assist wait) / (mark wall time · ncpu)
 * Go's: the background worker is taken to have had its share u (on a
 * loaded machine it gets less, and the mark then runs longer for the same
 * allocation: counting only what it got would shrink the next runway just
 * when it needs to grow). Allocation counts from the trigger, not from
 * the start of mark, so the runway also covers the time the driver thread
 * took to start the cycle (forced cycles: from the start). Time spent
 * waiting in assists counts with the assists: that thread would have
 * allocated meanwhile.
 *
 * Assist ratio (Go's revise), at heap_live H and scan work done D:
 *     goal      = this cycle's goal;  T = heap_live at the start of mark
 *     expected  = last_heap_scan + stack_scan + globals_scan
 *                 (the first cycle, with nothing measured: H_start + stacks
 *                 + globals — all of the heap, where Go expects nothing
 *                 and extends the first goal up to twice)
 *     max_scan  = H · f + stack_scan + globals_scan      (all of it live)
 *                 f = last_heap_scan / marked of the last cycle (1 before
 *                 any): the scannable share of the heap, for Go's heapScan
 *                 (a heap mostly of MS_NOSCAN objects would otherwise
 *                 stretch the goal far past what its scan work warrants)
 *     if D > expected:  the heap is growing; extend the runway in proportion,
 *                       goal = min(T + (goal − T)/expected · max_scan,
 *                                  goal · (1 + g/100));  expected = max_scan
 *     end       = goal;  if H ≥ goal: end = 1.1 · goal (Go's hard goal,
 *                                     maxOvershoot),  expected = max_scan
 *     runway    = max(end − H, 64 KiB, and if H ≥ goal: 1% of goal)
 *     ratio     = max(expected − D, 1000) / runway
 * The floors are the cap: at the goal, and past the hard goal, Go's runway
 * is 1 byte and its ratio the whole remaining scan work per byte (millions);
 * here the remaining work is owed within the next 1% of the goal's worth
 * of allocation (64 KiB just below the goal, so the heap stays under it).
 *
 * Assists pace the mutators along a line (mgc_pacer_debt): a revision at
 * (H0, D0) with ratio r says the scan work done by heap_live H should be
 *     D_line(H) = D0 + r · (H − H0)
 * so that D reaches `expected` as H reaches `end`; before each refill a
 * thread owes debt = D_line(heap_live + bytes) − D and pays it by marking
 * (Go's gcAssistAlloc; one line for all threads instead of per-goroutine
 * debts and a background credit pool, which counted the background's work
 * twice — once in D, once as credit). With no grey object to take it waits
 * for the background worker (Go's assist queue), unless the worker is idle
 * too and the heap below the goal: then the mark is ending with less work
 * than expected. The driver revises every mark slice; a thread revises
 * when H passes `end` or D passes `expected` (the driver may not get the
 * CPU for milliseconds). Revisions re-anchor the line at the current
 * point; the trace records each one.
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

#include <string.h>

#include "rt/mgc_internal.h"

#define HEAP_MINIMUM (4ull << 20)
#define BG_UTILIZATION 0.25
#define TRIGGER_MIN 0.70
#define TRIGGER_MAX 0.95
#define MAX_OVERSHOOT 1.1          /* Go's hard goal past the goal: 1.1·goal */
#define MIN_WORK_AHEAD (64 << 10)  /* a line is revised after this much unexpected work */
#define MIN_RUNWAY (64 << 10)      /* the shortest runway an assist ratio is computed for */

/* The page heap's numbers the memory-limit goal needs, under its lock
 * (never with the world stopped: a stopped thread may hold the lock). */
void mgc_pacer_mem_snapshot(mgc_mem_snapshot *m)
{
	msrt_heap_t *h = &msrt_heap;
	pthread_mutex_lock(&h->lock);
	uint64_t sys = msrt_heap_committed(), released = (uint64_t)h->pages.nscav << MSRT_PAGE_SHIFT;
	uint64_t free_ready = (uint64_t)(h->pages.nfree - h->pages.nscav) << MSRT_PAGE_SHIFT;
	pthread_mutex_unlock(&h->lock);
	m->mapped = sys - released + msrt_metadata_sys();
	uint64_t used = free_ready + atomic_load(&mgc.span_bytes);
	m->non_heap = m->mapped > used ? m->mapped - used : 0;
}

/* The background worker's planned share of the CPUs: one thread at a duty
 * cycle of min(1, 0.25·ncpu) (mgc.c), i.e. 25% up to 4 CPUs, 1/ncpu above. */
static double bg_utilization(void)
{
	double duty = BG_UTILIZATION * mgc.ncpu;
	return (duty < 1 ? duty : 1) / mgc.ncpu;
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
	double u = bg_utilization();
	double runway = p->cons_mark * (1 - u) / u *
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
	for (int i = 0; i < MGC_CONS_MARK_HIST; i++)
		p->cons_mark_hist[i] = 0;
	p->cons_mark = 1.0; /* no measurement yet */
	p->limiter_cap = 1e9 * mgc.ncpu;
	p->limiter_last_ns = msrt_nanotime();
	mgc_pacer_commit();
}

/* ---- the assist line --------------------------------------------------------- */
/* The line is published through a sequence lock: writers (under rev_lock)
 * make line_seq odd, store, make it even; readers retry until they read
 * the same even value before and after. The fields are the doubles' bits
 * in atomics, so a torn read is only ever retried, never used. */
enum { L_HEAP, L_SCAN, L_RATIO, L_GOAL_END, L_WORK_END, L_N };
static _Atomic uint64_t line_bits[L_N];
static _Atomic uint32_t line_seq;
static _Atomic int rev_lock;

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

static double bitsd(uint64_t u)
{
	double d;
	memcpy(&d, &u, 8);
	return d;
}

static void line_store(const double *v)
{
	uint32_t s = atomic_load_explicit(&line_seq, memory_order_relaxed);
	atomic_store_explicit(&line_seq, s + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	for (int i = 0; i < L_N; i++)
		atomic_store_explicit(&line_bits[i], dbits(v[i]), memory_order_relaxed);
	atomic_store_explicit(&line_seq, s + 2, memory_order_release);
}

static void line_load(double *v)
{
	for (;;) {
		uint32_t s1 = atomic_load_explicit(&line_seq, memory_order_acquire);
		for (int i = 0; i < L_N; i++)
			v[i] = bitsd(atomic_load_explicit(&line_bits[i], memory_order_relaxed));
		atomic_thread_fence(memory_order_acquire);
		uint32_t s2 = atomic_load_explicit(&line_seq, memory_order_relaxed);
		if (s1 == s2 && !(s1 & 1))
			return;
	}
}

/* Go's revise at (heap_live, scan_done), then the line from that point;
 * rev_lock held. See the header for the formulas. */
static void revise_locked(uint64_t heap_live, uint64_t scan_done)
{
	mgc_pacer *p = &mgc.pacer;
	double H = (double)heap_live, D = (double)scan_done;
	double goal = p->mark_goal == UINT64_MAX ? H * 2 + HEAP_MINIMUM : (double)p->mark_goal;
	double expected = (double)p->mark_expected;
	double max_scan = H * p->mark_scan_frac + (double)(p->stack_scan + p->globals_scan);
	if (D > expected) {
		/* more scan work than expected: the heap is growing; extend
		 * the runway in proportion, up to the hard goal */
		double T = (double)p->mark_start_live;
		double ext = expected > 0 && goal > T ? (goal - T) / expected * max_scan + T : goal;
		double hard = (1.0 + (p->gogc < 0 ? 1.0 : p->gogc / 100.0)) * goal;
		goal = ext > hard ? hard : ext;
		expected = max_scan;
	}
	double end = goal;
	if (H >= goal) {
		/* at or past the goal: the runway ends at the hard goal
		 * (Go's maxOvershoot) and the worst-case work is expected */
		end = goal * MAX_OVERSHOOT;
		expected = max_scan;
	}
	/* the runway never counts as less than 64 KiB (a few refills), and
	 * past the goal as less than 1% of the goal: at the goal, or past the
	 * hard goal, Go's ratio becomes the whole remaining work per byte
	 * (heapRemaining = 1); here it stays what finishes that work within
	 * the next 1% of allocation */
	double min_runway = H >= goal && goal / 100 > MIN_RUNWAY ? goal / 100 : MIN_RUNWAY;
	double heap_remaining = end - H;
	if (heap_remaining < min_runway)
		heap_remaining = min_runway;
	double remaining = expected - D;
	if (remaining < 1000)
		remaining = 1000;
	double ratio = remaining / heap_remaining;
	double work_end = D + remaining;
	if (work_end < D + MIN_WORK_AHEAD)
		work_end = D + MIN_WORK_AHEAD;
	double line[L_N] = { [L_HEAP] = H, [L_SCAN] = D, [L_RATIO] = ratio, [L_GOAL_END] = H + heap_remaining,
		[L_WORK_END] = work_end };
	line_store(line);
	p->assist_ratio = ratio;
	mgc_ev_revise(heap_live, scan_done, ratio);
}

static void rev_lock_take(void)
{
	int z = 0;
	while (!atomic_compare_exchange_weak_explicit(&rev_lock, &z, 1, memory_order_acquire, memory_order_relaxed)) {
		/* spin on a plain load with a pause, not on the CAS (which
		 * takes the line exclusive on every try) */
		while (atomic_load_explicit(&rev_lock, memory_order_relaxed))
			msrt_cpu_relax();
		z = 0;
	}
}

void mgc_pacer_start_cycle(uint64_t heap_live, uint64_t stack_scan, uint64_t globals_scan, int forced)
{
	mgc_pacer *p = &mgc.pacer;
	p->mark_start_live = heap_live;
	/* cons/mark counts the allocation from the trigger: the cycle
	 * starts on the driver thread, which a busy machine may not run for
	 * milliseconds after the allocating thread asked for it, and the
	 * runway has to cover that too */
	uint64_t trigger = __atomic_load_n(&p->trigger, __ATOMIC_RELAXED);
	p->cons_from = !forced && trigger < heap_live ? trigger : heap_live;
	p->stack_scan = stack_scan;
	p->globals_scan = globals_scan;
	p->mark_goal = p->heap_goal;
	p->mark_scan_frac = 1;
	if (p->measured && p->heap_marked > 0 && p->last_heap_scan < p->heap_marked)
		p->mark_scan_frac = (double)p->last_heap_scan / (double)p->heap_marked;
	/* no cycle has measured the heap's scan work yet: expect all of it */
	p->mark_expected = (p->measured ? p->last_heap_scan : heap_live) + stack_scan + globals_scan;
	rev_lock_take(); /* free: the world is stopped, and mutators hold it only in crit */
	revise_locked(heap_live, 0);
	atomic_store(&rev_lock, 0);
}

void mgc_pacer_revise(uint64_t heap_live, uint64_t scan_done)
{
	rev_lock_take();
	revise_locked(heap_live, scan_done);
	atomic_store(&rev_lock, 0);
}

int mgc_pacer_try_revise(uint64_t heap_live, uint64_t scan_done)
{
	int z = 0;
	if (!atomic_compare_exchange_strong(&rev_lock, &z, 1))
		return 0;
	revise_locked(heap_live, scan_done);
	atomic_store(&rev_lock, 0);
	return 1;
}

double mgc_pacer_debt(uint64_t heap_live, uint64_t scan_done, int *stale)
{
	double l[L_N];
	line_load(l);
	double H = (double)heap_live, D = (double)scan_done;
	*stale = H > l[L_GOAL_END] || D > l[L_WORK_END];
	return l[L_SCAN] + l[L_RATIO] * (H - l[L_HEAP]) - D;
}

/* Mark termination, with the world stopped (Go's gcControllerState.endCycle
 * and the commit gcMarkTermination does before the world restarts): the
 * cycle's measurements, then the next goal and trigger, so no allocation
 * after the restart can compare heap_live (= marked, already) with the old
 * trigger and ask for a cycle at once. m: the page heap's numbers, taken
 * just before the stop. */
void mgc_pacer_end_cycle(uint64_t heap_marked, uint64_t heap_live_at_term, uint64_t scan_work,
	uint64_t stack_scan, uint64_t globals_scan, uint64_t mark_ns, uint64_t bg_ns, uint64_t assist_ns,
	uint64_t assist_wait_ns, const mgc_mem_snapshot *m)
{
	mgc_pacer *p = &mgc.pacer;
	double cpu = (double)mark_ns * mgc.ncpu;
	p->cons_mark_measured = 0;
	p->util_now = cpu > 0 ? (double)(bg_ns + assist_ns) / cpu : 0; /* measured, for the trace */
	/* Go's: the background worker is assumed to have had its share;
	 * the mutators' time waiting in assists for work counts with their
	 * assists (they would have allocated then) */
	double util = bg_utilization() + (cpu > 0 ? (double)(assist_ns + assist_wait_ns) / cpu : 0);
	if (scan_work > 0 && cpu > 0 && util < 1 && heap_live_at_term >= p->cons_from) {
		double cm = (double)(heap_live_at_term - p->cons_from) * util / ((double)scan_work * (1 - util));
		for (int i = MGC_CONS_MARK_HIST - 1; i > 0; i--)
			p->cons_mark_hist[i] = p->cons_mark_hist[i - 1];
		p->cons_mark_hist[0] = cm;
		p->cons_mark_now = cm;
		p->cons_mark_measured = 1;
		double mx = 0;
		for (int i = 0; i < MGC_CONS_MARK_HIST; i++)
			if (p->cons_mark_hist[i] > mx)
				mx = p->cons_mark_hist[i];
		p->cons_mark = mx;
	}
	p->heap_marked = heap_marked;
	p->measured = 1;
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
