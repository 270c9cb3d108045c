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
 * run back marked as released. Released pages read as zero when touched
 * again, which lets calloc skip its memset for them.
 */
#include "config.h"

#include <sys/mman.h>

#include "rt/msrt_internal.h"

size_t msrt_scavenge(uint32_t older_than_s, int all)
{
	msrt_heap_t *h = &msrt_heap;
	if (!msrt_inited)
		return 0;
	uint32_t now = msrt_coarse_seconds();
	uint32_t before = all ? UINT32_MAX : (now > older_than_s ? now - older_than_s : 0);
	if (!all && now <= older_than_s)
		return 0;
	size_t released = 0, idx = 0;
	for (;;) {
		pthread_mutex_lock(&h->lock);
		size_t n = msrt_pages_find_unscavenged(&h->pages, &idx, before);
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
		idx += n;
	}
	return released;
}

uint64_t ms_scavenge_all(void)
{
	msrt_ensure_init();
	return msrt_scavenge(0, 1);
}
