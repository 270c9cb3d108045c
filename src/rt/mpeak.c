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
 * Costs when on: two atomic additions per allocation/free and a CAS when
 * the peak grows; when off (no profile directory), one predictable branch.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

int msrt_use_on;
static _Atomic int64_t inuse, peak;
static _Atomic uint64_t peak_ns, nalloc, ntemp;
static uint64_t start_ns;

void msrt_use_init(void)
{
	start_ns = msrt_nanotime();
	msrt_use_on = msrt_opts.profile_dir != NULL;
}

void msrt_use_alloc(msrt_mcache *c, void *p, size_t bytes)
{
	if (msrt_tls_inprof)
		return; /* the runtime's own (writing a profile, starting its thread) */
	int64_t now = atomic_fetch_add_explicit(&inuse, (int64_t)bytes, memory_order_relaxed) + (int64_t)bytes;
	atomic_fetch_add_explicit(&nalloc, 1, memory_order_relaxed);
	if (c)
		c->last_alloc = (uintptr_t)p;
	int64_t old = atomic_load_explicit(&peak, memory_order_relaxed);
	while (now > old)
		if (atomic_compare_exchange_weak_explicit(&peak, &old, now, memory_order_relaxed, memory_order_relaxed)) {
			atomic_store_explicit(&peak_ns, msrt_nanotime() - start_ns, memory_order_relaxed);
			break;
		}
}

void msrt_use_free(msrt_mcache *c, void *p, size_t bytes)
{
	if (msrt_tls_inprof)
		return; /* the runtime's own (writing a profile, starting its thread) */
	atomic_fetch_sub_explicit(&inuse, (int64_t)bytes, memory_order_relaxed);
	if (c && c->last_alloc == (uintptr_t)p) /* frees in between do not matter */
		atomic_fetch_add_explicit(&ntemp, 1, memory_order_relaxed);
}

void msrt_use_resize(msrt_mcache *c, void *p, size_t old_bytes, size_t new_bytes)
{
	/* realloc in place: a free and an allocation, as heaptrack counts it */
	msrt_use_free(c, p, old_bytes);
	msrt_use_alloc(c, p, new_bytes);
}

void msrt_use_atfork_child(void)
{
	start_ns = msrt_nanotime();
	atomic_store(&peak, atomic_load(&inuse));
	atomic_store(&peak_ns, 0);
	atomic_store(&nalloc, 0);
	atomic_store(&ntemp, 0);
}

int msrt_use_comment(char *buf, size_t n)
{
	if (!msrt_use_on)
		return -1;
	int64_t pk = atomic_load(&peak), cur = atomic_load(&inuse);
	return snprintf(buf, n, "memscope-run: peak_heap=%lld peak_ns=%llu allocations=%llu temporary=%llu in_use=%lld",
		(long long)pk, (unsigned long long)atomic_load(&peak_ns), (unsigned long long)atomic_load(&nalloc),
		(unsigned long long)atomic_load(&ntemp), (long long)(cur > 0 ? cur : 0));
}
