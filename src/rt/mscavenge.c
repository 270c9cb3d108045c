/* mscavenge.c — the scavenger: returns free pages to the OS with
 * madvise(MADV_DONTNEED) once they have been free for the retention window
 * (MSRT_SCAVENGE_DELAY, 2 s by default), so a program whose heap shrank
 * gives the memory back without paying a syscall on every free.
 *
 * Each 4 MiB chunk of the page allocator remembers when a page in it was
 * last freed; the background thread (mbackground.c) calls msrt_scavenge
 * about once a second for chunks older than the window. Like Go's
 * scavenger it never madvises under the heap lock: it allocates the run
 * (so nobody else can take it), drops the lock, madvises, and frees the
 * run back marked as released. It works from the top of the heap down:
 * first fit reuses the lowest free pages, so the highest are the ones
 * least likely to be faulted straight back in. Released pages read as zero when touched
 * again, which lets calloc skip its memset for them.
 */
#include "config.h"

#include <sys/mman.h>

#include "rt/msrt_internal.h"

size_t msrt_scavenge(uint32_t older_than_s, int all)
{
	return msrt_scavenge_pages(older_than_s, all, SIZE_MAX);
}

#define MSRT_RETAIN_FLOOR_PAGES 512 /* 4 MiB */

/* Retention budget: free pages kept resident may not exceed
 *     budget = max(4 MiB, heap_inuse · MSRT_SCAVENGE_RETAIN / 100)
 * Past it, a free that returned pages releases the excess down to half the
 * budget at once (synchronously, outside every lock), so a program that
 * churns large blocks keeps its peak RSS near its live heap, as glibc's
 * mmap threshold does, while small-scale churn stays within the budget and
 * costs no syscall. */
void msrt_heap_maybe_scavenge(void)
{
	msrt_heap_t *h = &msrt_heap;
	size_t resident_free = __atomic_load_n(&h->pages.nfree, __ATOMIC_RELAXED) -
			       __atomic_load_n(&h->pages.nscav, __ATOMIC_RELAXED);
	size_t inuse = __atomic_load_n(&h->pages_inuse, __ATOMIC_RELAXED);
	size_t budget = inuse * (size_t)msrt_opts.scavenge_retain / 100;
	if (budget < MSRT_RETAIN_FLOOR_PAGES)
		budget = MSRT_RETAIN_FLOOR_PAGES;
	if (!msrt_opts.scavenge || resident_free <= budget)
		return;
	msrt_scavenge_pages(0, 1, resident_free - budget / 2);
}

size_t msrt_scavenge_pages(uint32_t older_than_s, int all, size_t max_pages)
{
	msrt_heap_t *h = &msrt_heap;
	if (!msrt_inited)
		return 0;
	uint32_t now = msrt_coarse_seconds();
	uint32_t before = all ? UINT32_MAX : (now > older_than_s ? now - older_than_s : 0);
	if (!all && now <= older_than_s)
		return 0;
	size_t released = 0, idx = SIZE_MAX;
	for (;;) {
		pthread_mutex_lock(&h->lock);
		size_t n = msrt_pages_find_unscavenged_down(&h->pages, &idx, before);
		if (n > max_pages) { /* keep the low part of the run */
			idx += n - max_pages;
			n = max_pages;
		}
		if (n == 0 || msrt_pages_alloc_at(&h->pages, idx, n, NULL) < 0) {
			pthread_mutex_unlock(&h->lock);
			break;
		}
		pthread_mutex_unlock(&h->lock);
		madvise((void *)(h->arena_start + (idx << MSRT_PAGE_SHIFT)), n << MSRT_PAGE_SHIFT, MADV_DONTNEED);
		pthread_mutex_lock(&h->lock);
		msrt_pages_free(&h->pages, idx, n, 1);
		h->scavenged_total += n << MSRT_PAGE_SHIFT;
		pthread_mutex_unlock(&h->lock);
		released += n << MSRT_PAGE_SHIFT;
		max_pages -= n;
	}
	return released;
}

uint64_t ms_scavenge_all(void)
{
	msrt_ensure_init();
	return msrt_scavenge(0, 1);
}
