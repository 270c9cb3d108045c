/* mgcsweep.c — sweeping (Go's mgcsweep.go): after mark termination every
 * GC span is unswept (sweepgen == sg − 2). Whoever needs a span first —
 * its owning thread, an allocator looking for a span of its class, or the
 * collector thread sweeping in the background — claims it with
 *     CAS(span.sweepgen, sg − 2, sg − 1)
 * sweeps it and publishes sg; others wait for sg. Sweeping a span:
 *     freed     = allocbits & ~markbits        (poisoned with MSRT_GC_POISON=1)
 *     allocbits = markbits;  markbits = 0;  nalloc = popcount(allocbits)
 * then, unless a thread's cache owns it: no object left → the pages go
 * back to the page heap (and from there to the scavenger); free slots →
 * the span goes on its class's available list.
 *
 * When the sweep queue runs out, the heap profile is published as of the
 * cycle's mark termination and the trace records the sweep's end
 * (mgcevent.c).
 *
 * Freed slots are zeroed when handed out again (ms_alloc returns zeroed
 * memory), so poisoning is free for correctness and catches any use of a
 * freed object in the tests.
 */
#include "config.h"

#include <sched.h>
#include <string.h>

#include "rt/mgc_internal.h"

#define POISON 0xdeadbeefdeadbeefull

void mgc_avail_remove_locked(msrt_gcspan *s)
{
	if (!s->in_avail)
		return;
	if (s->aprev)
		s->aprev->anext = s->anext;
	else
		mgc.avail[s->spc] = s->anext;
	if (s->anext)
		s->anext->aprev = s->aprev;
	s->anext = s->aprev = NULL;
	s->in_avail = 0;
}

static void avail_push_locked(msrt_gcspan *s)
{
	if (s->in_avail)
		return;
	s->aprev = NULL;
	s->anext = mgc.avail[s->spc];
	if (s->anext)
		s->anext->aprev = s;
	mgc.avail[s->spc] = s;
	s->in_avail = 1;
}

static void free_span_locked(msrt_gcspan *s)
{
	mgc_avail_remove_locked(s);
	mgc_all_set(s->allidx, NULL);
	msrt_span *span = s->span;
	__atomic_store_n(&span->gcs, NULL, __ATOMIC_RELEASE);
	if (s->large) {
		span->nelems = 0;
		span->large_size = 0;
	}
	span->sizeclass = s->large ? 0 : (uint8_t)(s->spc / 2);
	atomic_fetch_sub(&mgc.span_bytes, (uint64_t)span->npages << MSRT_PAGE_SHIFT);
	msrt_heap_free_span(span);
	msrt_fix_free(&mgc.gcspanalloc, s);
}

void mgc_span_place_locked(msrt_gcspan *s)
{
	if (s->owned)
		return;
	uint32_t sg = atomic_load(&mgc.sweepgen);
	if (atomic_load(&s->sweepgen) != sg)
		return; /* the sweeper places it when done */
	if (s->nalloc == 0)
		free_span_locked(s);
	else if (s->nalloc < s->nelems && !s->large)
		avail_push_locked(s);
}

static void sweep_span(msrt_gcspan *s)
{
	uint32_t nalloc = 0;
	uint64_t freed = 0;
	unsigned nw = (s->nelems + 63) / 64;
	for (unsigned i = 0; i < nw; i++) {
		uint64_t m = __atomic_load_n(&s->markbits[i], __ATOMIC_RELAXED);
		uint64_t dead = s->allocbits[i] & ~m;
		if (dead && __atomic_load_n(&s->span->nsampled, __ATOMIC_RELAXED)) /* profiler: sampled frees */
			for (uint64_t d = dead; d; d &= d - 1)
				msrt_prof_free((void *)(s->base + (uintptr_t)(i * 64 + (unsigned)__builtin_ctzll(d)) * s->elemsize),
					s->span);
		if (dead) {
			freed += (uint64_t)__builtin_popcountll(dead);
			if (mgc.poison && !s->noscan) {
				for (uint64_t d = dead; d; d &= d - 1) {
					unsigned slot = i * 64 + (unsigned)__builtin_ctzll(d);
					uint64_t *o = (uint64_t *)(s->base + (uintptr_t)slot * s->elemsize);
					size_t n = s->large ? s->span->large_size : s->elemsize;
					for (size_t k = 0; k < n / 8; k++)
						o[k] = POISON;
				}
			}
		}
		__atomic_store_n(&s->allocbits[i], m, __ATOMIC_RELAXED);
		__atomic_store_n(&s->markbits[i], 0, __ATOMIC_RELAXED);
		nalloc += (uint32_t)__builtin_popcountll(m);
	}
	s->nalloc = nalloc;
	s->freeindex = 0;
	if (freed) {
		atomic_fetch_add(&mgc.gc_objects_freed, freed);
		atomic_fetch_add(&mgc.gc_bytes_freed, freed * s->elemsize);
	}
}

/* Claims and sweeps s; returns 1 if this thread swept it. */
static int try_sweep(msrt_gcspan *s, uint32_t sg)
{
	uint32_t want = sg - 2;
	if (!atomic_compare_exchange_strong(&s->sweepgen, &want, sg - 1))
		return 0;
	sweep_span(s);
	pthread_mutex_lock(&mgc.lock);
	atomic_store(&s->sweepgen, sg);
	mgc_span_place_locked(s);
	pthread_mutex_unlock(&mgc.lock);
	return 1;
}

void mgc_ensure_swept(msrt_gcspan *s)
{
	uint32_t sg = atomic_load(&mgc.sweepgen);
	if (atomic_load(&s->sweepgen) == sg)
		return;
	atomic_fetch_add(&mgc.sweepers, 1);
	try_sweep(s, sg);
	atomic_fetch_sub(&mgc.sweepers, 1);
	/* another thread holds it (sg − 1): wait for that sweep to end, not
	 * for the span to read sg. A thread waiting here, outside a crit
	 * section, is stopped like any other: whole cycles may pass meanwhile
	 * (sweepgen += 2 each, the span swept again), and it used to wait for
	 * a value the span had left behind — for ever, in ms_gc's
	 * mgc_finish_sweep and in refills, while the collector went on
	 * (tests/check_gc.c's stress: 1 run in 20 on a loaded machine). The
	 * callers look at the span's sweepgen again in a crit section before
	 * they allocate from it, and refill again if a cycle has passed. */
	while (atomic_load(&s->sweepgen) == sg - 1)
		sched_yield();
}

int mgc_sweep_one(void)
{
	atomic_fetch_add(&mgc.sweepers, 1);
	uint32_t sg = atomic_load(&mgc.sweepgen);
	int did = 0;
	for (;;) {
		size_t i = atomic_fetch_add(&mgc.sweep_next, 1);
		if (i >= atomic_load(&mgc.sweep_end)) {
			atomic_store(&mgc.sweep_next, atomic_load(&mgc.sweep_end));
			atomic_fetch_sub(&mgc.sweepers, 1);
			mgc_ev_sweep_done(sg, 0);
			return 0;
		}
		msrt_gcspan *s = mgc_all_get(i);
		if (s && try_sweep(s, sg)) {
			did = 1;
			break;
		}
	}
	atomic_fetch_sub(&mgc.sweepers, 1);
	return did;
}

/* Sweeps whatever is left. The queue alone is not enough: a thread that
 * took an index just before a mark termination may have spent it with the
 * previous sweepgen (its CAS fails and the index is gone), so a final pass
 * over the table sweeps any span still behind. */
void mgc_finish_sweep(void)
{
	while (mgc_sweep_one())
		;
	uint32_t sg = atomic_load(&mgc.sweepgen);
	size_t n = atomic_load(&mgc.nall);
	for (size_t i = 0; i < n; i++) {
		msrt_gcspan *s = mgc_all_get(i);
		if (s && atomic_load(&s->sweepgen) != sg)
			mgc_ensure_swept(s);
	}
	while (atomic_load(&mgc.sweepers) > 0)
		sched_yield();
	mgc_ev_sweep_done(sg, 1);
}
