/* mcentral.c — per-size-class central lists: the spans of a class that
 * still have free objects, behind one lock per class (Go's mcentral.go,
 * with explicit frees instead of sweeping).
 *
 * A span hands out objects first from its free list (objects given back),
 * then by bumping freeindex through the never-used tail, so a fresh span's
 * memory is only touched as objects are taken. A span leaves the partial
 * list when all its objects are out, comes back when one returns, and goes
 * back to the page heap when all are free again — except the last partial
 * span of the class, kept to damp alloc/free ping-pong at a span boundary.
 */
#include "config.h"

#include "rt/msrt_internal.h"

static void partial_insert(msrt_central *c, msrt_span *s)
{
	s->next = c->partial.next;
	s->prev = &c->partial;
	c->partial.next->prev = s;
	c->partial.next = s;
	s->in_partial = 1;
}

static void partial_remove(msrt_span *s)
{
	s->prev->next = s->next;
	s->next->prev = s->prev;
	s->next = s->prev = NULL;
	s->in_partial = 0;
}

int msrt_central_grab(unsigned cls, int want, void **headp)
{
	msrt_central *c = &msrt_heap.central[cls];
	void *head = NULL, **tailp = &head;
	int got = 0;
	pthread_mutex_lock(&c->lock);
	while (got < want) {
		msrt_span *s = c->partial.next;
		if (s == &c->partial) {
			pthread_mutex_unlock(&c->lock);
			s = msrt_heap_alloc_span(msrt_class_to_npages[cls], (int)cls, NULL);
			pthread_mutex_lock(&c->lock);
			if (!s)
				break;
			s->elemsize = msrt_class_to_size[cls];
			s->nelems = (uint32_t)((s->npages << MSRT_PAGE_SHIFT) / s->elemsize);
			s->freeindex = 0;
			s->alloc_count = 0;
			s->freelist = NULL;
			msrt_span_clear_sampled(s);
			c->nspans++;
			partial_insert(c, s);
			continue;
		}
		while (got < want && s->freelist) {
			void *o = s->freelist;
			s->freelist = *(void **)o;
			*tailp = o;
			tailp = (void **)o;
			got++;
			s->alloc_count++;
		}
		while (got < want && s->freeindex < s->nelems) {
			void *o = (void *)(s->base + (uintptr_t)s->freeindex * s->elemsize);
			s->freeindex++;
			*tailp = o;
			tailp = (void **)o;
			got++;
			s->alloc_count++;
		}
		if (s->alloc_count == s->nelems)
			partial_remove(s);
	}
	*tailp = NULL;
	pthread_mutex_unlock(&c->lock);
	*headp = head;
	return got;
}

void msrt_central_release(unsigned cls, void *head, int count)
{
	msrt_central *c = &msrt_heap.central[cls];
	pthread_mutex_lock(&c->lock);
	while (head && count-- > 0) {
		void *o = head;
		head = *(void **)o;
		msrt_span *s = msrt_span_of(o);
		*(void **)o = s->freelist;
		s->freelist = o;
		s->alloc_count--;
		if (s->alloc_count == 0) {
			int only = s->in_partial && c->partial.next == s && s->next == &c->partial;
			if (!only && (s->in_partial || c->partial.next != &c->partial)) {
				if (s->in_partial)
					partial_remove(s);
				c->nspans--;
				msrt_heap_free_span(s); /* lock order: mcentral < mheap */
				continue;
			}
		}
		if (!s->in_partial)
			partial_insert(c, s);
	}
	pthread_mutex_unlock(&c->lock);
}
