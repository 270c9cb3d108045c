/* mpeak.c — peak heap and temporary allocations, heaptrack's two most-used
 * figures, counted for every allocation (not only the sampled ones) while
 * a profile directory is set (`memscope run`); every heap profile carries
 * them as a comment (msrt_use_comment), which `memscope run` prints.
 *
 *   in use     = Σ bytes allocated − Σ bytes freed, a small object counted
 *                at its size class's size, a large one at its requested size
 *                (heaptrack counts requested sizes: the two agree for sizes
 *                that are a class size, e.g. powers of two up to 32 KiB)
 *   peak       = max over the run of in use; peak_ns: when, in ns since
 *                the process started (a forked child restarts the clock,
 *                its peak from what it inherited)
 *   temporary  = allocations freed by the thread that made them before
 *                that thread allocated anything else (frees in between do
 *                not matter) — heaptrack's rule (accumulatedtracedata.cpp:
 *                a free of the last allocated pointer), which it applies
 *                over its one event stream of all threads; for a
 *                single-threaded program the two are the same
 *   allocations = every malloc/calloc/realloc/memalign that returned memory
 * The runtime's own allocations (msrt_tls_inprof: writing profiles at exit,
 * starting its thread) are not counted, in either direction.
 * Checked against heaptrack 1.4 on tests/rt/procprog.c's "peak" mode
 * (tests/rt/procs.sh): the same peak to the byte (891968) and the same
 * 1111 calls; temporary 1001 here, 1002 for heaptrack.
 *
 * Cost when on, per allocation and free: a few plain (relaxed) loads and
 * stores on the thread's own cache; a locked instruction only when the
 * thread's unpublished change of in-use bytes passes ±PUBLISH_BYTES, or
 * when the peak grows. When off (no profile directory): one predictable
 * branch. (Global atomics on every call made a malloc-heavy loop 5× slower.)
 *
 *   global   = Σ published deltas (one atomic)
 *   in use   = global + Σ over threads of their unpublished delta
 *   peak     = max over allocations of (global + the allocating thread's
 *              own unpublished delta)
 * so the peak is exact for a single-threaded program and, with T threads,
 * at most (T − 1) × PUBLISH_BYTES below the true one.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

#define PUBLISH_BYTES (256 << 10)

int msrt_use_on;
static _Atomic int64_t published, peak;
static _Atomic uint64_t peak_ns, dead_nalloc, dead_ntemp; /* counts of exited threads */
static uint64_t start_ns;

void msrt_use_init(void)
{
	start_ns = msrt_nanotime();
	msrt_use_on = msrt_opts.profile_dir != NULL;
}

static void publish(int64_t delta)
{
	atomic_fetch_add_explicit(&published, delta, memory_order_relaxed);
}

void msrt_use_alloc(msrt_mcache *c, void *p, size_t bytes)
{
	if (msrt_tls_inprof)
		return; /* the runtime's own (writing a profile, starting its thread) */
	int64_t now;
	if (c) {
		MSRT_INC(c->use_nalloc, 1);
		c->last_alloc = (uintptr_t)p;
		int64_t d = c->use_delta + (int64_t)bytes;
		now = atomic_load_explicit(&published, memory_order_relaxed) + d;
		if (d >= PUBLISH_BYTES) {
			publish(d);
			d = 0;
		}
		__atomic_store_n(&c->use_delta, d, __ATOMIC_RELAXED);
	} else {
		atomic_fetch_add_explicit(&dead_nalloc, 1, memory_order_relaxed);
		now = atomic_fetch_add_explicit(&published, (int64_t)bytes, memory_order_relaxed) + (int64_t)bytes;
	}
	int64_t old = atomic_load_explicit(&peak, memory_order_relaxed);
	while (now > old)
		if (atomic_compare_exchange_weak_explicit(&peak, &old, now, memory_order_relaxed, memory_order_relaxed)) {
			atomic_store_explicit(&peak_ns, msrt_nanotime() - start_ns, memory_order_relaxed);
			break;
		}
}

void *msrt_use_alloc_ret(msrt_mcache *c, void *p, size_t bytes)
{
	msrt_use_alloc(c, p, bytes);
	return p;
}

void msrt_use_free(msrt_mcache *c, void *p, size_t bytes)
{
	if (msrt_tls_inprof)
		return;
	if (!c) {
		publish(-(int64_t)bytes);
		return;
	}
	if (c->last_alloc == (uintptr_t)p) /* frees in between do not matter */
		MSRT_INC(c->use_ntemp, 1);
	int64_t d = c->use_delta - (int64_t)bytes;
	if (d <= -PUBLISH_BYTES) {
		publish(d);
		d = 0;
	}
	__atomic_store_n(&c->use_delta, d, __ATOMIC_RELAXED);
}

void msrt_use_resize(msrt_mcache *c, void *p, size_t old_bytes, size_t new_bytes)
{
	/* realloc in place: a free and an allocation, as heaptrack counts it */
	msrt_use_free(c, p, old_bytes);
	msrt_use_alloc(c, p, new_bytes);
}

void msrt_use_cache_gone(msrt_mcache *c)
{
	publish(c->use_delta);
	atomic_fetch_add_explicit(&dead_nalloc, c->use_nalloc, memory_order_relaxed);
	atomic_fetch_add_explicit(&dead_ntemp, c->use_ntemp, memory_order_relaxed);
	c->use_delta = 0;
	c->use_nalloc = c->use_ntemp = 0;
}

/* Sums the threads' counters (their owners may be writing them: each is
 * read once, relaxed, so a count is at most one call behind). */
static void totals(int64_t *inuse, uint64_t *nalloc, uint64_t *ntemp)
{
	*inuse = atomic_load(&published);
	*nalloc = atomic_load(&dead_nalloc);
	*ntemp = atomic_load(&dead_ntemp);
	pthread_mutex_lock(&msrt_caches_lock);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next) {
		*inuse += __atomic_load_n(&c->use_delta, __ATOMIC_RELAXED);
		*nalloc += __atomic_load_n(&c->use_nalloc, __ATOMIC_RELAXED);
		*ntemp += __atomic_load_n(&c->use_ntemp, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&msrt_caches_lock);
}

/* In a forked child (one thread, locks re-created): its counts start from
 * zero, its peak from what it inherited. */
void msrt_use_atfork_child(void)
{
	start_ns = msrt_nanotime();
	int64_t inuse;
	uint64_t n, t;
	totals(&inuse, &n, &t);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next)
		c->use_nalloc = c->use_ntemp = 0;
	atomic_store(&dead_nalloc, 0);
	atomic_store(&dead_ntemp, 0);
	atomic_store(&peak, inuse);
	atomic_store(&peak_ns, 0);
}

int msrt_use_comment(char *buf, size_t n)
{
	if (!msrt_use_on)
		return -1;
	int64_t inuse;
	uint64_t nalloc, ntemp;
	totals(&inuse, &nalloc, &ntemp);
	int64_t pk = atomic_load(&peak);
	return snprintf(buf, n, "memscope-run: peak_heap=%lld peak_ns=%llu allocations=%llu temporary=%llu in_use=%lld",
		(long long)pk, (unsigned long long)atomic_load(&peak_ns), (unsigned long long)nalloc,
		(unsigned long long)ntemp, (long long)(inuse > 0 ? inuse : 0));
}
