/* mstats.c — ms_read_stats(): heap statistics in Go's MemStats terms.
 *
 *   heap_sys      = committed arena bytes = inuse + idle
 *   heap_inuse    = pages in in-use spans
 *   heap_idle     = free pages, released or not
 *   heap_released = free pages returned to the OS (or never touched)
 *   heap_alloc    = Σ_class (mallocs − frees) · size + live large pages
 * Per-thread counters are summed without stopping the threads, so a
 * reading taken while other threads allocate is a close, not an exact,
 * snapshot (as with Go's MemStats between stop-the-worlds).
 */
#include "config.h"

#include <string.h>

#include "rt/msrt_internal.h"

void ms_read_stats(ms_stats *st)
{
	msrt_ensure_init();
	memset(st, 0, sizeof *st);
	st->version = MSRT_STATS_VERSION;
	st->nclasses = MSRT_NUM_CLASSES;
	uint64_t nmalloc[MSRT_NUM_CLASSES] = { 0 }, nfree[MSRT_NUM_CLASSES] = { 0 }, cached[MSRT_NUM_CLASSES] = { 0 };
	pthread_mutex_lock(&msrt_caches_lock);
	for (unsigned k = 1; k < MSRT_NUM_CLASSES; k++) {
		nmalloc[k] = msrt_dead_nmalloc[k];
		nfree[k] = msrt_dead_nfree[k];
	}
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next) {
		st->mcache_count++;
		for (unsigned k = 1; k < MSRT_NUM_CLASSES; k++) {
			nmalloc[k] += MSRT_LOAD(c->lists[k].nmalloc);
			nfree[k] += MSRT_LOAD(c->lists[k].nfree);
			cached[k] += MSRT_LOAD(c->lists[k].count);
		}
	}
	pthread_mutex_unlock(&msrt_caches_lock);

	msrt_heap_t *h = &msrt_heap;
	pthread_mutex_lock(&h->lock);
	uint64_t pages_free = h->pages.nfree, pages_scav = h->pages.nscav;
	st->heap_sys = msrt_heap_committed();
	st->heap_inuse = h->pages_inuse << MSRT_PAGE_SHIFT;
	st->heap_idle = pages_free << MSRT_PAGE_SHIFT;
	st->heap_released = pages_scav << MSRT_PAGE_SHIFT;
	st->large_objects = h->large_live;
	st->large_bytes = h->large_bytes_live;
	st->mspan_inuse = h->spanalloc.inuse;
	st->scavenged_total = h->scavenged_total;
	uint64_t large_allocs = h->large_allocs, large_frees = h->large_frees, large_total = h->large_bytes_alloc;
	pthread_mutex_unlock(&h->lock);

	st->mallocs = large_allocs;
	st->frees = large_frees;
	st->heap_alloc = st->large_bytes;
	st->total_alloc = large_total;
	for (unsigned k = 1; k < MSRT_NUM_CLASSES && k < MSRT_MAX_CLASSES; k++) {
		ms_size_class_stats *cs = &st->by_class[k];
		cs->size = msrt_class_to_size[k];
		cs->span_pages = msrt_class_to_npages[k];
		cs->spans = __atomic_load_n(&h->central[k].nspans, __ATOMIC_RELAXED);
		cs->mallocs = nmalloc[k];
		cs->frees = nfree[k];
		cs->objects = nmalloc[k] >= nfree[k] ? nmalloc[k] - nfree[k] : 0;
		cs->cached = cached[k];
		st->mallocs += nmalloc[k];
		st->frees += nfree[k];
		st->heap_alloc += cs->objects * cs->size;
		st->total_alloc += nmalloc[k] * cs->size;
	}
	st->heap_objects = st->mallocs >= st->frees ? st->mallocs - st->frees : 0;
	st->metadata_sys = msrt_metadata_sys();
	st->profile_samples = msrt_prof_nsamples();
	msrt_gc_read_stats(st); /* GC objects, num_gc, pauses, next_gc */
}
