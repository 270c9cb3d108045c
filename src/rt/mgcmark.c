/* mgcmark.c — marking: roots, shading, the grey work lists, draining and
 * mutator assists (Go's mgcmark.go and mgcwork.go).
 *
 * Shading a word w (conservatively: any word that points into an
 * allocated slot of a GC span, interior pointers included):
 *     span  = spans[(w − arena) >> 13];   gcs = span->gcs (NULL: malloc span)
 *     slot  = ((w − base) · divmul) >> 32
 *     if alloc bit set and mark bit was clear (atomic or): black if noscan,
 *     else grey: push (object, size) — large objects as 128 KiB oblets so
 *     no single scan keeps a thread in its crit section long.
 *
 * Grey objects sit in per-marker buffers (gcw: 255 entries); a full buffer
 * goes to the global list, an empty marker takes a full buffer from it.
 * Buffers of mutators (filled by the write barrier and by assists) are
 * taken by mark termination with the world stopped.
 *
 * Roots (scanned with the world stopped, see mgc.c): every attached
 * thread's general registers as it stopped (getcontext at its safepoint,
 * or the interrupted context of the stop signal), its stack from the
 * stopped stack pointer to its top, and its static TLS when that is not
 * inside its stack (the main thread's; mstw.c); the writable PT_LOAD
 * segments (data, bss) of the program and
 * its libraries less their RELRO parts and less libmsrt's own, collected
 * with dl_iterate_phdr just before stopping (the loader lock cannot be
 * taken with the world stopped); and ms_add_root ranges. Memory from
 * malloc is not a root unless registered with ms_add_root.
 *
 * Why the globals are scanned inside the stop, not during mark as Go does:
 * Go's globals have the write barrier; C globals do not (only stores into
 * GC objects go through ms_store). A pointer can then move between a
 * global and a stack with no barrier seeing it — loaded from a global not
 * yet scanned onto a stack already scanned and cleared in the global, or
 * stored from a stack not yet scanned into a global already scanned — so
 * scanning either kind of root outside one atomic snapshot loses objects
 * unless every such root is scanned again at mark termination (Go 1.5–1.7's
 * stack re-scan), which would move the same work into STW 2. The stop
 * therefore costs O(stack + global bytes); libmsrt's own 400 KiB of state
 * and the RELRO parts are left out of it.
 *
 * Assists (mgc_assist, before a refill counts its bytes in heap_live):
 * while marking, the mutators owe the scan work the pacer's line asks for
 * at the new heap_live (mgcpacer.c), and the allocating thread pays it by
 * draining grey objects — at least 64 KiB at a time (Go's
 * gcOverAssistWork), looking at the line again every 256 KiB. When there
 * is no grey object to take (a long list is marked one object at a time,
 * by whoever holds it) the thread waits on the assist queue until the
 * background worker has done what is owed, hands out its objects, or the
 * mark ends; if the worker is not marking either, nothing is in flight,
 * the mark is about to end, and below the goal the thread goes on. With
 * the CPU limiter engaged assists are off.
 *
 * STW 1 zeroes every thread's per-cycle counters (assist CPU and wait
 * time, scan work) and scan_done. A thread may be inside an assist across
 * that stop: stopped in one of its drain batches when STW 2 came, or
 * asleep on the assist queue, and a busy machine may not run it again
 * before the next cycle's STW 1. It used to resume and subtract its scan
 * work from the debt STW 1 had just zeroed — a credit that let it
 * allocate unassisted into the new cycle — and add the CPU time since its
 * start, begun in the old cycle, to the new cycle's assist time (and so
 * to the cons/mark measurement). Now there is no per-thread debt (the
 * line is global); scan_done is added inside the crit section of the batch
 * that did the work, and the times inside a crit section after checking
 * that mark_gen (+1 at every STW 1) is still the one the assist began in:
 * no stop can come between the check and the add, and work of an old
 * cycle is dropped rather than counted in a new one.
 */
#include "config.h"

#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt/mgc_internal.h"

#define ASSIST_OVER (64u << 10)   /* Go's gcOverAssistWork: fewer, larger assists */
#define ASSIST_CHUNK (256u << 10) /* scan work between two looks at the line */
#define ASSIST_WAIT_NS 200000     /* behind the line with no work: wait at most this long, look again */

static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static mgc_wbuf *full_list, *empty_list;
static _Atomic size_t nfull;

static mgc_wbuf *wbuf_get_empty(void)
{
	pthread_mutex_lock(&work_lock);
	mgc_wbuf *b = empty_list;
	if (b)
		empty_list = b->next;
	pthread_mutex_unlock(&work_lock);
	if (!b) {
		/* carve 64 KiB of buffers; they are never returned to the OS */
		size_t per = sizeof(mgc_wbuf), n = (64 << 10) / per;
		char *chunk = msrt_sys_alloc(n * per);
		if (!chunk) {
			msrt_warn("fatal: out of memory for mark work buffers");
			abort();
		}
		pthread_mutex_lock(&work_lock);
		for (size_t i = 1; i < n; i++) {
			mgc_wbuf *x = (mgc_wbuf *)(chunk + i * per);
			x->next = empty_list;
			empty_list = x;
		}
		pthread_mutex_unlock(&work_lock);
		b = (mgc_wbuf *)chunk;
	}
	b->next = NULL;
	b->n = 0;
	return b;
}

static void wbuf_put_full(mgc_wbuf *b)
{
	pthread_mutex_lock(&work_lock);
	b->next = full_list;
	full_list = b;
	nfull++;
	pthread_mutex_unlock(&work_lock);
}

static mgc_wbuf *wbuf_get_full(void)
{
	if (!atomic_load_explicit(&nfull, memory_order_relaxed))
		return NULL;
	pthread_mutex_lock(&work_lock);
	mgc_wbuf *b = full_list;
	if (b) {
		full_list = b->next;
		nfull--;
	}
	pthread_mutex_unlock(&work_lock);
	return b;
}

static void wbuf_put_empty(mgc_wbuf *b)
{
	pthread_mutex_lock(&work_lock);
	b->next = empty_list;
	empty_list = b;
	pthread_mutex_unlock(&work_lock);
}

int mgc_work_empty(void)
{
	return atomic_load(&nfull) == 0;
}

void mgc_mark_init(void)
{
}

static void push(mgc_gcw *g, uintptr_t p, size_t n)
{
	mgc_wbuf *b = g->cur;
	if (!b) {
		b = g->cur = wbuf_get_empty();
	} else if (b->n == MGC_WBUF_ENTRIES) {
		wbuf_put_full(b);
		b = g->cur = wbuf_get_empty();
	}
	b->e[b->n].p = p;
	b->e[b->n].n = n;
	b->n++;
}

static int pop(mgc_gcw *g, mgc_work *w)
{
	mgc_wbuf *b = g->cur;
	if (!b || b->n == 0) {
		mgc_wbuf *f = wbuf_get_full();
		if (!f)
			return 0;
		if (b)
			wbuf_put_empty(b);
		g->cur = b = f;
	}
	*w = b->e[--b->n];
	/* balance (Go's gcWork.balance): the global list is empty while this
	 * buffer holds plenty — share half so assists and other markers can
	 * help */
	if (b->n > 16 && !atomic_load_explicit(&nfull, memory_order_relaxed)) {
		mgc_wbuf *h = wbuf_get_empty();
		size_t half = b->n / 2;
		memcpy(h->e, b->e, half * sizeof b->e[0]);
		memmove(b->e, b->e + half, (b->n - half) * sizeof b->e[0]);
		h->n = half;
		b->n -= half;
		wbuf_put_full(h);
	}
	return 1;
}

void mgc_gcw_flush(mgc_gcw *g)
{
	if (g->cur && g->cur->n) {
		wbuf_put_full(g->cur);
		g->cur = NULL;
	}
}

void mgc_flush_ack(msrt_gcthread *t)
{
	mgc_crit_enter(t);
	mgc_gcw_flush(&t->gcw);
	atomic_store(&t->flush_seen, atomic_load(&mgc.flush_epoch));
	mgc_crit_exit(t);
}

static inline __attribute__((always_inline)) void shade(uintptr_t w, mgc_gcw *g)
{
	uintptr_t off = w - msrt_heap.arena_start;
	if (off >= msrt_heap_committed())
		return;
	msrt_span *span = __atomic_load_n(&msrt_heap.spans[off >> MSRT_PAGE_SHIFT], __ATOMIC_RELAXED);
	if (!span)
		return;
	msrt_gcspan *s = __atomic_load_n(&span->gcs, __ATOMIC_ACQUIRE);
	if (!s || w < s->base)
		return;
	uintptr_t d = w - s->base;
	uint32_t slot = s->large ? 0 : (uint32_t)(((uint64_t)d * s->divmul) >> 32);
	if (slot >= s->nelems || (s->large && d >= s->elemsize))
		return;
	uint64_t bit = 1ull << (slot & 63);
	if (!(__atomic_load_n(&s->allocbits[slot >> 6], __ATOMIC_RELAXED) & bit))
		return;
	if (__atomic_load_n(&s->markbits[slot >> 6], __ATOMIC_RELAXED) & bit)
		return;
	if (__atomic_fetch_or(&s->markbits[slot >> 6], bit, __ATOMIC_RELAXED) & bit)
		return;
	uintptr_t obj = s->base + (uintptr_t)slot * s->elemsize;
	g->marked_bytes += s->elemsize;
	if (s->noscan)
		return;
	if (s->large) {
		size_t n = s->span->large_size;
		for (size_t o = 0; o < n; o += MGC_OBLET)
			push(g, obj + o, n - o < MGC_OBLET ? n - o : MGC_OBLET);
	} else {
		push(g, obj, s->elemsize);
	}
}

void mgc_shade(uintptr_t w, mgc_gcw *g)
{
	shade(w, g);
}

/* Conservative scan: every aligned word in [lo, hi). Reads other threads'
 * stacks and objects being written concurrently (aligned word loads are
 * atomic on the supported targets), hence no_sanitize. */
__attribute__((no_sanitize("address", "thread")))
void mgc_scan_range(uintptr_t lo, uintptr_t hi, mgc_gcw *g)
{
	uintptr_t start = msrt_heap.arena_start;
	size_t committed = msrt_heap_committed();
	lo = (lo + 7) & ~(uintptr_t)7;
	for (uintptr_t p = lo; p + 8 <= hi; p += 8) {
		uintptr_t w = *(volatile uintptr_t *)p;
		if (w - start < committed)
			shade(w, g);
	}
	g->scan_work += hi > lo ? hi - lo : 0;
}

/* Objects are scanned in batches of up to MGC_BATCH, each prefetched when
 * popped, so the loads of one object overlap the scan of the ones before
 * it (marking is bound by memory latency). A batch is one crit section:
 * the popped objects are in no buffer that mark termination could see;
 * it holds at most 4 KiB of objects (or one larger object or oblet) so
 * the thread reaches its next safepoint soon. */
#define MGC_BATCH 8
uint64_t mgc_drain(mgc_gcw *g, msrt_gcthread *t, uint64_t budget)
{
	uint64_t done = 0;
	mgc_work w[MGC_BATCH];
	for (;;) {
		if (t)
			mgc_crit_enter(t);
		int n = 0;
		uint64_t bytes = 0;
		while (n < MGC_BATCH && bytes < 4096 && done + bytes < budget && pop(g, &w[n])) {
			__builtin_prefetch((const void *)w[n].p);
			bytes += w[n].n;
			n++;
		}
		for (int i = 0; i < n; i++)
			mgc_scan_range(w[i].p, w[i].p + w[i].n, g);
		/* in the batch's crit section: no STW 1 can reset scan_done
		 * between the scan and the count (mgc_assist) */
		if (bytes)
			atomic_fetch_add_explicit(&mgc.scan_done, bytes, memory_order_relaxed);
		if (t)
			mgc_crit_exit(t);
		done += bytes;
		if (n == 0 || done >= budget)
			break;
	}
	return done;
}

/* ---- roots ---------------------------------------------------------------- */
#define MAX_SEGMENTS 512
static struct { uintptr_t lo, hi; } segments[MAX_SEGMENTS];
static int nsegments;

/* The writable segments of every object but libmsrt.so, less their RELRO
 * parts (read-only from before main on, so they cannot hold a GC pointer). */
static int add_segment(void *arg, uintptr_t lo, uintptr_t hi, int runtime)
{
	(void)arg;
	(void)runtime;
	if (nsegments >= MAX_SEGMENTS)
		return 1;
	segments[nsegments].lo = lo;
	segments[nsegments].hi = hi;
	nsegments++;
	return 0;
}

void mgc_globals_collect(void)
{
	nsegments = 0;
	msrt_writable_segments(1, add_segment, NULL);
}

void mgc_mark_roots(mgc_gcw *g, uint64_t *stack_bytes, uint64_t *global_bytes)
{
	uint64_t sb = 0, gb = 0;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next) {
		uintptr_t lo = t->stopped_sp, hi = t->stack_hi;
		if (lo < hi) {
			mgc_scan_range((uintptr_t)t->stopped_regs, (uintptr_t)(t->stopped_regs + t->nstopped_regs), g);
			mgc_scan_range(lo, hi, g);
			sb += hi - lo;
		}
		if (t->tls_lo < t->tls_hi) { /* the main thread's __thread variables */
			mgc_scan_range(t->tls_lo, t->tls_hi, g);
			sb += t->tls_hi - t->tls_lo;
		}
	}
	/* the runtime's own state is no root: msrt_heap.arena_start, for
	 * one, equals the address of the first object in the arena */
	const uintptr_t skip[2][2] = { { (uintptr_t)&msrt_heap, (uintptr_t)(&msrt_heap + 1) },
		{ (uintptr_t)&mgc, (uintptr_t)(&mgc + 1) } };
	for (int i = 0; i < nsegments; i++) {
		uintptr_t lo = segments[i].lo, hi = segments[i].hi;
		gb += hi - lo;
		while (lo < hi) {
			uintptr_t end = hi, next = hi;
			for (int k = 0; k < 2; k++)
				if (skip[k][1] > lo && skip[k][0] < end) {
					end = skip[k][0] > lo ? skip[k][0] : lo;
					next = skip[k][1];
				}
			mgc_scan_range(lo, end, g);
			lo = next;
		}
	}
	pthread_mutex_lock(&mgc.roots_lock);
	for (int i = 0; i < mgc.nroots; i++) {
		mgc_scan_range(mgc.roots[i].lo, mgc.roots[i].hi, g);
		gb += mgc.roots[i].hi - mgc.roots[i].lo;
	}
	pthread_mutex_unlock(&mgc.roots_lock);
	*stack_bytes = sb;
	*global_bytes = gb;
}

/* ---- the assist queue --------------------------------------------------------- */
/* A thread behind the line with no work to take waits here (Go's
 * gcParkAssist) until scan_done reaches what it owes, the background
 * worker hands out its grey objects, the mark ends, or ASSIST_WAIT_NS
 * passes. assist_seq is the futex word, bumped at every wake-up; a waiter
 * registers, publishes its target (the smallest wins), re-checks, then
 * sleeps on the value it read first, so a wake-up between its check and
 * its sleep is never lost. */
static _Atomic uint32_t assist_seq;
static _Atomic int assist_waiters;
static _Atomic uint64_t assist_wake_at = UINT64_MAX;

static long futex(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, (uint32_t *)addr, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

static void assist_wait(uint64_t need_done)
{
	uint32_t seq = atomic_load(&assist_seq);
	atomic_fetch_add(&assist_waiters, 1);
	uint64_t cur = atomic_load(&assist_wake_at);
	while (need_done < cur && !atomic_compare_exchange_weak(&assist_wake_at, &cur, need_done))
		;
	if (atomic_load(&mgc.scan_done) < need_done && atomic_load(&mgc.phase) == MGC_MARK && mgc_work_empty()) {
		struct timespec ts = { 0, ASSIST_WAIT_NS };
		futex(&assist_seq, FUTEX_WAIT, seq, &ts);
	}
	atomic_fetch_sub(&assist_waiters, 1);
}

void mgc_assist_wake(int all)
{
	atomic_thread_fence(memory_order_seq_cst); /* the caller's scan_done, flush or phase first */
	if (!atomic_load(&assist_waiters))
		return;
	if (!all && atomic_load(&mgc.scan_done) < atomic_load(&assist_wake_at))
		return;
	atomic_store(&assist_wake_at, UINT64_MAX);
	atomic_fetch_add(&assist_seq, 1);
	futex(&assist_seq, FUTEX_WAKE, INT_MAX, NULL);
}

/* Adds the CPU time since *c0 (and wait_ns of waiting) to t's assists of
 * the cycle gen, inside a crit section so that no STW 1 can come between
 * the check and the add. */
static void assist_account(msrt_gcthread *t, uint32_t gen, uint64_t *c0, uint64_t wait_ns)
{
	uint64_t c1 = mgc_thread_cputime();
	mgc_crit_enter(t);
	if (atomic_load(&mgc.mark_gen) == gen) {
		t->assist_ns += c1 - *c0;
		t->assist_wait_ns += wait_ns;
	}
	mgc_crit_exit(t);
	*c0 = c1;
}

void mgc_assist(msrt_gcthread *t, uint64_t bytes)
{
	uint32_t gen = atomic_load(&mgc.mark_gen);
	uint64_t c0 = 0;
	int assisted = 0, revised = 0;
	while (atomic_load(&mgc.phase) == MGC_MARK && !mgc.pacer.limiter_on && atomic_load(&mgc.mark_gen) == gen) {
		uint64_t live = atomic_load(&mgc.heap_live), done = atomic_load(&mgc.scan_done);
		int stale = 0;
		double debt = mgc_pacer_debt(live + bytes, done, &stale);
		if (stale && !revised) {
			/* past an end of the line: revise it here (from before
			 * this allocation, which then owes its share; once, as
			 * an allocation larger than the runway stays past it),
			 * the driver may not run for a while on a busy machine */
			mgc_crit_enter(t);
			if (atomic_load(&mgc.phase) == MGC_MARK && atomic_load(&mgc.mark_gen) == gen)
				revised = mgc_pacer_try_revise(live, done);
			mgc_crit_exit(t);
			if (revised)
				continue;
		}
		if (debt <= 0)
			break;
		if (!assisted) {
			assisted = 1;
			c0 = mgc_thread_cputime();
		}
		uint64_t budget = (uint64_t)debt + ASSIST_OVER;
		if (budget > ASSIST_CHUNK)
			budget = ASSIST_CHUNK;
		uint64_t did = mgc_drain(&t->gcw, t, budget);
		assist_account(t, gen, &c0, 0);
		if (did)
			continue;
		/* behind the line with no grey object to take. If the
		 * background worker is not marking either, nothing is in
		 * flight: the mark is about to terminate (more scan work was
		 * expected than there was), and below the goal the debt is
		 * forgiven rather than the thread stopped until then */
		if (!atomic_load(&mgc.bg_draining) && atomic_load(&mgc.heap_live) + bytes <= mgc.pacer.mark_goal) {
			/* the worker flushes its grey objects before it says it
			 * is idle: work published meanwhile is found here */
			if (!mgc_work_empty())
				continue;
			break;
		}
		/* otherwise the worker holds the work (a long list is marked
		 * one object at a time): hand back what is local, answer a
		 * flush request, and wait for it (Go parks the goroutine on
		 * the assist queue); the heap does not grow meanwhile */
		mgc_crit_enter(t);
		mgc_gcw_flush(&t->gcw);
		mgc_crit_exit(t);
		mgc_poll_flush(t);
		uint64_t w0 = msrt_nanotime();
		assist_wait(done + (uint64_t)debt);
		assist_account(t, gen, &c0, msrt_nanotime() - w0);
	}
	if (!assisted)
		return;
	/* what is left in the local buffer goes back where the worker can see
	 * it, or mark termination would find it and have to restart */
	mgc_crit_enter(t);
	mgc_gcw_flush(&t->gcw);
	mgc_crit_exit(t);
	assist_account(t, gen, &c0, 0);
}

/* ---- user roots -------------------------------------------------------------- */
/* roots_lock is taken with the world stopped: attached callers hold it
 * only inside their crit section. */
int ms_add_root(void *start, size_t len)
{
	msrt_ensure_init();
	msrt_gcthread *t = msrt_tls_gct;
	if (t)
		mgc_crit_enter(t);
	pthread_mutex_lock(&mgc.roots_lock);
	int rc = -1;
	if (mgc.nroots < (int)(sizeof mgc.roots / sizeof mgc.roots[0])) {
		mgc.roots[mgc.nroots].lo = (uintptr_t)start;
		mgc.roots[mgc.nroots].hi = (uintptr_t)start + len;
		mgc.nroots++;
		rc = 0;
	}
	pthread_mutex_unlock(&mgc.roots_lock);
	if (t)
		mgc_crit_exit(t);
	return rc;
}

void ms_remove_root(void *start)
{
	msrt_gcthread *t = msrt_tls_gct;
	if (t)
		mgc_crit_enter(t);
	pthread_mutex_lock(&mgc.roots_lock);
	for (int i = 0; i < mgc.nroots; i++)
		if (mgc.roots[i].lo == (uintptr_t)start) {
			mgc.roots[i] = mgc.roots[--mgc.nroots];
			break;
		}
	pthread_mutex_unlock(&mgc.roots_lock);
	if (t)
		mgc_crit_exit(t);
}
