/* mheap.c — the page heap: one reserved arena, committed as it grows, the
 * page → span table, and span allocation on top of the page allocator.
 *
 * The arena is reserved once (PROT_NONE, up to 256 GiB of address space,
 * halving on failure) so that "is this pointer ours, and which span holds
 * it" is a subtraction and one table load:
 *     span = spans[(p - arena_start) >> 13]
 * Memory is committed (PROT_READ|WRITE) from the start of the arena in
 * steps of at least 16 MiB; committed pages start out free and released
 * (never touched, so zero), like Go's fresh heap arenas.
 */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "rt/msrt_internal.h"

msrt_heap_t msrt_heap = { .lock = MSRT_LOCK_INITIALIZER };

#define GROW_MIN (16u << 20)
#define CHUNK_BYTES ((size_t)MSRT_PAGES_PER_CHUNK * MSRT_PAGE_SIZE)

int msrt_heap_init(void)
{
	msrt_heap_t *h = &msrt_heap;
	size_t size = (size_t)256 << 30;
	void *base = NULL;
	/* Reserve one extra chunk so the arena can start chunk-aligned. */
	while (size >= ((size_t)1 << 30)) {
		base = msrt_sys_reserve(size + CHUNK_BYTES);
		if (base)
			break;
		size /= 2;
	}
	if (!base)
		return -1;
	uintptr_t start = ((uintptr_t)base + CHUNK_BYTES - 1) & ~(uintptr_t)(CHUNK_BYTES - 1);
	size_t maxpages = size >> MSRT_PAGE_SHIFT;
	h->spans = msrt_sys_reserve(maxpages * sizeof(msrt_span *));
	h->page_class = msrt_sys_reserve(maxpages);
	if (!h->spans || !h->page_class || msrt_pages_init(&h->pages, maxpages) < 0)
		return -1;
	h->spanalloc.size = sizeof(msrt_span);
	h->cachealloc.size = (sizeof(msrt_mcache) + 63) & ~(size_t)63;
	for (unsigned c = 0; c < MSRT_NUM_CLASSES; c++) {
		msrt_lock_init(&h->central[c].lock);
		h->central[c].partial.next = h->central[c].partial.prev = &h->central[c].partial;
	}
	h->arena_size = size;
	h->arena_start = start;
	return 0;
}

/* Commits at least npages more pages. Caller holds the heap lock. */
static int grow(size_t npages)
{
	msrt_heap_t *h = &msrt_heap;
	size_t need = npages << MSRT_PAGE_SHIFT;
	if (need < GROW_MIN)
		need = GROW_MIN;
	need = (need + CHUNK_BYTES - 1) & ~(CHUNK_BYTES - 1);
	if (need > h->arena_size - h->committed)
		return -1;
	if (msrt_sys_commit((void *)(h->arena_start + h->committed), need) < 0)
		return -1;
	size_t first = h->committed >> MSRT_PAGE_SHIFT, n = need >> MSRT_PAGE_SHIFT;
	/* the page → span table grows along */
	uintptr_t t0 = (uintptr_t)&h->spans[first] & ~(uintptr_t)4095;
	uintptr_t t1 = ((uintptr_t)&h->spans[first + n] + 4095) & ~(uintptr_t)4095;
	if (msrt_sys_commit((void *)t0, t1 - t0) < 0)
		return -1;
	t0 = (uintptr_t)&h->page_class[first] & ~(uintptr_t)4095;
	t1 = ((uintptr_t)&h->page_class[first + n] + 4095) & ~(uintptr_t)4095;
	if (msrt_sys_commit((void *)t0, t1 - t0) < 0)
		return -1;
	__atomic_store_n(&h->committed, h->committed + need, __ATOMIC_RELEASE);
	msrt_pages_grow(&h->pages, first + n);
	return 0;
}

static void set_spans(msrt_span *s, size_t idx, size_t npages)
{
	uint8_t pc = s ? s->sizeclass : 0;
	for (size_t i = 0; i < npages; i++) {
		msrt_heap.spans[idx + i] = s;
		__atomic_store_n(&msrt_heap.page_class[idx + i], pc, __ATOMIC_RELAXED);
	}
}

void msrt_heap_set_page_class(const msrt_span *s, uint8_t v)
{
	size_t idx = (s->base - msrt_heap.arena_start) >> MSRT_PAGE_SHIFT;
	for (size_t i = 0; i < s->npages; i++)
		__atomic_store_n(&msrt_heap.page_class[idx + i], v, __ATOMIC_RELAXED);
}

msrt_span *msrt_heap_alloc_span(size_t npages, int sizeclass, int *zeroed)
{
	msrt_heap_t *h = &msrt_heap;
	size_t nscav = 0;
	pthread_mutex_lock(&h->lock);
	size_t idx = msrt_pages_alloc(&h->pages, npages, &nscav);
	if (idx == SIZE_MAX) {
		if (grow(npages) < 0) {
			pthread_mutex_unlock(&h->lock);
			return NULL;
		}
		idx = msrt_pages_alloc(&h->pages, npages, &nscav);
		if (idx == SIZE_MAX) {
			pthread_mutex_unlock(&h->lock);
			return NULL;
		}
	}
	msrt_span *s = msrt_fix_alloc(&h->spanalloc);
	if (!s) {
		msrt_pages_free(&h->pages, idx, npages, 0);
		pthread_mutex_unlock(&h->lock);
		return NULL;
	}
	s->base = h->arena_start + (idx << MSRT_PAGE_SHIFT);
	s->npages = npages;
	s->sizeclass = (uint8_t)sizeclass;
	s->state = MSRT_SPAN_INUSE;
	s->needzero = nscav != npages;
	msrt_span_clear_sampled(s);
	set_spans(s, idx, npages);
	h->pages_inuse += npages;
	if (sizeclass == 0) {
		h->large_allocs++;
		h->large_live++;
		h->large_bytes_alloc += npages << MSRT_PAGE_SHIFT;
		h->large_bytes_live += npages << MSRT_PAGE_SHIFT;
	}
	pthread_mutex_unlock(&h->lock);
	if (zeroed)
		*zeroed = !s->needzero;
	return s;
}

void msrt_heap_free_span(msrt_span *s)
{
	msrt_heap_t *h = &msrt_heap;
	size_t idx = (s->base - h->arena_start) >> MSRT_PAGE_SHIFT;
	pthread_mutex_lock(&h->lock);
	set_spans(NULL, idx, s->npages);
	msrt_pages_free(&h->pages, idx, s->npages, 0);
	h->pages_inuse -= s->npages;
	if (s->sizeclass == 0) {
		h->large_frees++;
		h->large_live--;
		h->large_bytes_live -= s->npages << MSRT_PAGE_SHIFT;
	}
	s->state = MSRT_SPAN_FREE;
	msrt_fix_free(&h->spanalloc, s);
	pthread_mutex_unlock(&h->lock);
}

int msrt_heap_grow_span(msrt_span *s, size_t npages)
{
	msrt_heap_t *h = &msrt_heap;
	if (npages <= s->npages)
		return 0;
	size_t idx = (s->base - h->arena_start) >> MSRT_PAGE_SHIFT;
	size_t extra = npages - s->npages;
	pthread_mutex_lock(&h->lock);
	if (msrt_pages_alloc_at(&h->pages, idx + s->npages, extra, NULL) < 0) {
		pthread_mutex_unlock(&h->lock);
		return -1;
	}
	set_spans(s, idx + s->npages, extra);
	s->npages = npages;
	h->pages_inuse += extra;
	h->large_bytes_alloc += extra << MSRT_PAGE_SHIFT;
	h->large_bytes_live += extra << MSRT_PAGE_SHIFT;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

void msrt_heap_trim_span(msrt_span *s, uintptr_t new_base, size_t npages)
{
	msrt_heap_t *h = &msrt_heap;
	size_t idx = (s->base - h->arena_start) >> MSRT_PAGE_SHIFT;
	size_t head = (new_base - s->base) >> MSRT_PAGE_SHIFT;
	size_t tail = s->npages - head - npages;
	pthread_mutex_lock(&h->lock);
	if (head) {
		set_spans(NULL, idx, head);
		msrt_pages_free(&h->pages, idx, head, 0);
	}
	if (tail) {
		set_spans(NULL, idx + head + npages, tail);
		msrt_pages_free(&h->pages, idx + head + npages, tail, 0);
	}
	h->pages_inuse -= head + tail;
	if (s->sizeclass == 0)
		h->large_bytes_live -= (head + tail) << MSRT_PAGE_SHIFT;
	s->base = new_base;
	s->npages = npages;
	pthread_mutex_unlock(&h->lock);
}
