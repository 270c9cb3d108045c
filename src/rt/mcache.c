/* mcache.c — per-thread caches: one free list per size class, touched only
 * by the owning thread, so malloc and free need no lock and no atomic
 * read-modify-write in the common case (Go's mcache.go, per thread
 * instead of per P).
 *
 * The cache is found through an initial-exec TLS pointer (a few
 * instructions, also when preloaded). It is created on the thread's first
 * allocation and flushed back to mcentral by a pthread key destructor when
 * the thread exits; allocations after that (other destructors) take the
 * locked path in malloc.c.
 *
 * Lists hold at most 2·batch objects; a free that overflows a list gives
 * `batch` objects back to mcentral, a malloc on an empty list takes `batch`.
 */
#include "config.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

__thread msrt_mcache *msrt_tls_cache __attribute__((tls_model("initial-exec")));
__thread int msrt_tls_state __attribute__((tls_model("initial-exec")));
__thread int msrt_tls_inprof __attribute__((tls_model("initial-exec")));

pthread_mutex_t msrt_caches_lock = PTHREAD_MUTEX_INITIALIZER;
msrt_mcache msrt_caches = { .all_next = &msrt_caches, .all_prev = &msrt_caches };
uint64_t msrt_dead_nmalloc[MSRT_NUM_CLASSES], msrt_dead_nfree[MSRT_NUM_CLASSES];

static pthread_key_t cache_key;
static int cache_key_ok;

static void cache_destructor(void *arg)
{
	msrt_mcache *c = arg;
	if (c) {
		msrt_tls_cache = NULL;
		msrt_tls_state = MSRT_TLS_DEAD;
		msrt_cache_destroy(c);
	}
}

int msrt_cache_key_init(void)
{
	if (pthread_key_create(&cache_key, cache_destructor) != 0)
		return -1;
	cache_key_ok = 1;
	return 0;
}

msrt_mcache *msrt_cache_create(void)
{
	pthread_mutex_lock(&msrt_heap.lock);
	msrt_mcache *c = msrt_fix_alloc(&msrt_heap.cachealloc);
	pthread_mutex_unlock(&msrt_heap.lock);
	if (!c)
		return NULL;
	for (unsigned i = 1; i < MSRT_NUM_CLASSES; i++)
		c->lists[i].max = 2u * msrt_class_batch[i];
	c->tid = (uint32_t)syscall(SYS_gettid);
	c->rng = (uint64_t)(uintptr_t)c ^ msrt_nanotime() ^ ((uint64_t)c->tid << 32);
	pthread_mutex_init(&c->trace_lock, NULL);
	c->next_sample = msrt_next_sample(c);
	pthread_mutex_lock(&msrt_caches_lock);
	int others = msrt_caches.all_next != &msrt_caches;
	c->all_next = msrt_caches.all_next;
	c->all_prev = &msrt_caches;
	msrt_caches.all_next->all_prev = c;
	msrt_caches.all_next = c;
	pthread_mutex_unlock(&msrt_caches_lock);
	msrt_tls_cache = c;
	msrt_tls_state = MSRT_TLS_ACTIVE;
	if (cache_key_ok)
		pthread_setspecific(cache_key, c);
	/* The program has threads of its own now: one more of ours cannot
	 * break a single-threaded start (mbackground.c), and a snapshot
	 * signal is then served without waiting for an allocation. */
	if (others)
		msrt_bg_ensure();
	return c;
}

void msrt_cache_refill(msrt_mcache *c, unsigned cls)
{
	void *head;
	int n = msrt_central_grab(cls, msrt_class_batch[cls], &head);
	c->lists[cls].head = head;
	c->lists[cls].count = (uint32_t)n;
}

void msrt_cache_flush_list(msrt_mcache *c, unsigned cls, uint32_t keep)
{
	msrt_freelist *l = &c->lists[cls];
	if (l->count <= keep)
		return;
	uint32_t give = l->count - keep;
	void *head = l->head, *p = head;
	for (uint32_t i = 1; i < give; i++)
		p = *(void **)p;
	l->head = *(void **)p;
	*(void **)p = NULL;
	l->count = keep;
	msrt_central_release(cls, head, (int)give);
	msrt_heap_maybe_scavenge();
	msrt_bg_ensure(); /* spans may have gone back: the scavenger has work */
}

void msrt_cache_destroy(msrt_mcache *c)
{
	for (unsigned cls = 1; cls < MSRT_NUM_CLASSES; cls++)
		msrt_cache_flush_list(c, cls, 0);
	msrt_trace_release_cache(c);
	pthread_mutex_lock(&msrt_caches_lock);
	msrt_use_cache_gone(c);
	for (unsigned cls = 1; cls < MSRT_NUM_CLASSES; cls++) {
		msrt_dead_nmalloc[cls] += c->lists[cls].nmalloc;
		msrt_dead_nfree[cls] += c->lists[cls].nfree;
	}
	c->all_prev->all_next = c->all_next;
	c->all_next->all_prev = c->all_prev;
	pthread_mutex_unlock(&msrt_caches_lock);
	pthread_mutex_lock(&msrt_heap.lock);
	msrt_fix_free(&msrt_heap.cachealloc, c);
	pthread_mutex_unlock(&msrt_heap.lock);
}
