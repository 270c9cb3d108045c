/* malloc.c — libmsrt's allocation entry points: the ms_* API and, when
 * compiled with MSRT_REPLACE_MALLOC (libmsrt.so / libmsrt.a), the complete
 * set of libc allocation functions, so the library replaces malloc when
 * preloaded or linked.
 *
 * Paths (the numbered steps are in msrt_internal.h):
 *   fast   thread cache exists, size ≤ 32 KiB, list not empty, sample
 *          countdown not run out: pop and return.
 *   slow   everything else: lazy init, cache creation, refill, sampling,
 *          large objects, threads whose cache is gone.
 *
 * Initialisation is lazy (first malloc, from whatever thread, possibly from
 * inside the dynamic loader or libc's own start-up), guarded by a mutex;
 * calls that come back into malloc from inside init on the same thread
 * (pthread_atfork may allocate) see a ready heap because the atfork
 * registration is done after the heap is published. Fork: the prepare
 * handler takes every runtime lock, parent and child release them, the
 * child also forgets the background thread (it did not survive the fork).
 *
 * Errors follow glibc: ENOMEM on failure, overflowing calloc/reallocarray
 * sizes fail with ENOMEM, posix_memalign returns EINVAL for an alignment
 * that is not a power of two multiple of sizeof(void *), aligned_alloc
 * sets EINVAL for one that is not a power of two.
 */
#include "config.h"

#include <sys/syscall.h>

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

#define RET_ADDR ((uintptr_t)__builtin_return_address(0))
/* Requests above this fail at once (no size arithmetic can overflow). */
#define MSRT_MAX_ALLOC ((size_t)1 << 46)

int msrt_inited;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t init_thread;
static int init_running;
static _Atomic int late_init_done;

/* ---- initialisation --------------------------------------------------------- */
static void fatal(const char *what)
{
	msrt_warn("fatal: %s", what);
	abort();
}

void msrt_ensure_init(void)
{
	if (msrt_likely(__atomic_load_n(&msrt_inited, __ATOMIC_ACQUIRE)))
		goto late;
	if (init_running && pthread_equal(init_thread, pthread_self()))
		fatal("allocation during runtime initialisation");
	pthread_mutex_lock(&init_lock);
	if (!msrt_inited) {
		init_thread = pthread_self();
		init_running = 1;
		msrt_options_load();
		msrt_size_init();
		if (msrt_heap_init() < 0)
			fatal("cannot reserve the heap arena");
		atomic_store(&msrt_prof_rate, msrt_opts.profile_rate);
		msrt_use_init();
		msrt_cache_key_init();
		__atomic_store_n(&msrt_inited, 1, __ATOMIC_RELEASE);
		init_running = 0;
	}
	pthread_mutex_unlock(&init_lock);
late:
	if (msrt_unlikely(!atomic_load_explicit(&late_init_done, memory_order_acquire))) {
		int expect = 0;
		if (atomic_compare_exchange_strong(&late_init_done, &expect, 1))
			pthread_atfork(msrt_atfork_prepare, msrt_atfork_parent, msrt_atfork_child);
	}
}

void msrt_atfork_prepare(void)
{
	if (!msrt_inited)
		return;
	pthread_mutex_lock(&init_lock);
	for (unsigned c = 1; c < MSRT_NUM_CLASSES; c++)
		pthread_mutex_lock(&msrt_heap.central[c].lock);
	pthread_mutex_lock(&msrt_heap.lock);
	pthread_mutex_lock(&msrt_caches_lock);
	pthread_mutex_lock(&msrt_prof_lock);
	msrt_own_atfork(0); /* innermost: taken inside msrt_sys_alloc under the others */
}

static void release_all(int child)
{
	if (child) {
		/* The child has one thread: re-create the locks rather than
		 * unlocking ones another thread may have owned. */
		msrt_own_atfork(2);
		pthread_mutex_init(&msrt_prof_lock, NULL);
		pthread_mutex_init(&msrt_caches_lock, NULL);
		msrt_lock_init(&msrt_heap.lock);
		for (unsigned c = 1; c < MSRT_NUM_CLASSES; c++)
			msrt_lock_init(&msrt_heap.central[c].lock);
		pthread_mutex_init(&init_lock, NULL);
		return;
	}
	msrt_own_atfork(1);
	pthread_mutex_unlock(&msrt_prof_lock);
	pthread_mutex_unlock(&msrt_caches_lock);
	pthread_mutex_unlock(&msrt_heap.lock);
	for (unsigned c = MSRT_NUM_CLASSES - 1; c >= 1; c--)
		pthread_mutex_unlock(&msrt_heap.central[c].lock);
	pthread_mutex_unlock(&init_lock);
}

void msrt_atfork_parent(void)
{
	if (msrt_inited)
		release_all(0);
}

void msrt_atfork_child(void)
{
	if (!msrt_inited)
		return;
	release_all(1);
	msrt_use_atfork_child();
	msrt_unwind_atfork_child();
	msrt_trace_atfork_child();
	msrt_bg_atfork_child();
}

/* ---- small objects -------------------------------------------------------- */
static void *alloc_nocache(unsigned cls)
{
	void *p;
	if (msrt_central_grab(cls, 1, &p) != 1)
		return NULL;
	return p;
}

/* Allocates one object of class cls for a request of n bytes. */
static void *alloc_class(unsigned cls, size_t n, int zero, uintptr_t ret)
{
	msrt_mcache *c = msrt_tls_cache;
	if (!c && msrt_tls_state == MSRT_TLS_NONE)
		c = msrt_cache_create();
	void *p;
	if (!c) {
		p = alloc_nocache(cls);
		if (!p) {
			errno = ENOMEM;
			return NULL;
		}
		if (zero)
			memset(p, 0, n);
		if (msrt_unlikely(msrt_use_on))
			msrt_use_alloc(NULL, p, msrt_class_to_size[cls]);
		return p;
	}
	msrt_freelist *l = &c->lists[cls];
	if (!l->head) {
		msrt_cache_refill(c, cls);
		if (!l->head) {
			errno = ENOMEM;
			return NULL;
		}
	}
	p = l->head;
	l->head = *(void **)p;
	l->count--;
	MSRT_INC(c->lists[cls].nmalloc, 1);
	if (zero)
		memset(p, 0, n);
	else
		*(void **)p = NULL; /* do not leak the free-list link */
	if (msrt_unlikely(msrt_use_on))
		msrt_use_alloc(c, p, msrt_class_to_size[cls]);
	msrt_prof_count(c, p, n, NULL, ret);
	return p;
}

/* ---- large objects ------------------------------------------------------- */
static void *alloc_large(size_t n, int zero, size_t align, uintptr_t ret)
{
	if (n > MSRT_MAX_ALLOC) {
		errno = ENOMEM;
		return NULL;
	}
	size_t npages = (n + MSRT_PAGE_SIZE - 1) >> MSRT_PAGE_SHIFT;
	if (npages == 0)
		npages = 1;
	size_t extra = align > MSRT_PAGE_SIZE ? align / MSRT_PAGE_SIZE - 1 : 0;
	int zeroed = 0;
	msrt_span *s = msrt_heap_alloc_span(npages + extra, 0, &zeroed);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	if (extra) {
		uintptr_t base = (s->base + align - 1) & ~(uintptr_t)(align - 1);
		msrt_heap_trim_span(s, base, npages);
	}
	s->nelems = 1;
	s->alloc_count = 1;
	s->large_size = n;
	msrt_span_clear_sampled(s);
	void *p = (void *)s->base;
	if (zero && !zeroed)
		memset(p, 0, n);
	msrt_mcache *c = msrt_tls_cache;
	if (!c && msrt_tls_state == MSRT_TLS_NONE)
		c = msrt_cache_create();
	if (msrt_unlikely(msrt_use_on))
		msrt_use_alloc(c, p, n);
	if (c)
		msrt_prof_count(c, p, n, s, ret);
	return p;
}

void *msrt_alloc_slow(size_t n, int zero, uintptr_t ret)
{
	msrt_ensure_init();
	if (n > MSRT_MAX_SMALL_SIZE)
		return alloc_large(n, zero, MSRT_PAGE_SIZE, ret);
	return alloc_class(msrt_size_class(n), n, zero, ret);
}

/* ---- free ------------------------------------------------------------------ */
static void invalid_pointer(const char *fn, const void *p)
{
	msrt_warn("%s(): invalid pointer %p", fn, p);
	abort();
}

void msrt_free_slow(void *p, msrt_span *s)
{
	if (!s) {
		uintptr_t off = (uintptr_t)p - msrt_heap.arena_start;
		if (msrt_inited && off < msrt_heap_committed())
			invalid_pointer("free", p);
		return; /* not from this heap (e.g. the dynamic loader's early allocations) */
	}
	if (s->state != MSRT_SPAN_INUSE || s->gcs) /* gcs: ms_alloc memory */
		invalid_pointer("free", p);
	if (__atomic_load_n(&s->nsampled, __ATOMIC_RELAXED))
		msrt_prof_free(p, s);
	if (msrt_unlikely(msrt_use_on))
		msrt_use_free(msrt_tls_cache, p, s->sizeclass ? msrt_class_to_size[s->sizeclass] : s->large_size);
	if (s->sizeclass == 0) {
		if ((uintptr_t)p != s->base)
			invalid_pointer("free", p);
		msrt_heap_free_span(s);
		msrt_heap_maybe_scavenge();
		msrt_bg_ensure();
		return;
	}
	unsigned cls = s->sizeclass;
	msrt_mcache *c = msrt_tls_cache;
	if (!c && msrt_tls_state == MSRT_TLS_NONE && msrt_inited)
		c = msrt_cache_create();
	if (!c) {
		*(void **)p = NULL;
		msrt_central_release(cls, p, 1);
		return;
	}
	msrt_freelist *l = &c->lists[cls];
	*(void **)p = l->head;
	l->head = p;
	MSRT_INC(c->lists[cls].nfree, 1);
	if (++l->count > l->max)
		msrt_cache_flush_list(c, cls, l->max - msrt_class_batch[cls]);
}

/* ---- inline entry points ------------------------------------------------- */
/* do_free's fast path when peak/temporary counting is on (mpeak.c) */
static __attribute__((noinline)) void free_small_counted(msrt_mcache *c, void *p, unsigned cls)
{
	msrt_use_free(c, p, msrt_class_to_size[cls]);
	msrt_freelist *l = &c->lists[cls];
	*(void **)p = l->head;
	l->head = p;
	MSRT_INC(c->lists[cls].nfree, 1);
	if (++l->count > l->max)
		msrt_cache_flush_list(c, cls, l->max - msrt_class_batch[cls]);
}

static inline __attribute__((always_inline)) void *do_malloc(size_t n, uintptr_t ret)
{
	msrt_mcache *c = msrt_tls_cache;
	if (msrt_likely(c != NULL && n <= MSRT_MAX_SMALL_SIZE)) {
		unsigned cls = msrt_size_class(n);
		msrt_freelist *l = &c->lists[cls];
		void *p = l->head;
		if (msrt_likely(p != NULL && c->next_sample > (int64_t)n)) {
			void *next = *(void **)p;
			l->head = next;
			__builtin_prefetch(next); /* the next pop's load */
			l->count--;
			c->next_sample -= (int64_t)n;
			MSRT_INC(c->lists[cls].nmalloc, 1);
			if (msrt_unlikely(msrt_use_on)) /* a tail call: the fast path keeps no frame */
				return msrt_use_alloc_ret(c, p, msrt_class_to_size[cls]);
			return p;
		}
	}
	return msrt_alloc_slow(n, 0, ret);
}

static inline __attribute__((always_inline)) void do_free(void *p)
{
	uintptr_t off = (uintptr_t)p - msrt_heap.arena_start;
	msrt_mcache *c = msrt_tls_cache;
	if (msrt_likely(off < msrt_heap_committed() && c != NULL)) {
		unsigned cls = __atomic_load_n(&msrt_heap.page_class[off >> MSRT_PAGE_SHIFT], __ATOMIC_RELAXED);
		if (msrt_likely(cls - 1u < MSRT_NUM_CLASSES - 1u)) { /* small, no sampled objects */
			if (msrt_unlikely(msrt_use_on)) { /* out of line, a tail call */
				free_small_counted(c, p, cls);
				return;
			}
			msrt_freelist *l = &c->lists[cls];
			*(void **)p = l->head;
			l->head = p;
			MSRT_INC(c->lists[cls].nfree, 1);
			if (msrt_unlikely(++l->count > l->max))
				msrt_cache_flush_list(c, cls, l->max - msrt_class_batch[cls]);
			return;
		}
	}
	if (p)
		msrt_free_slow(p, msrt_span_of(p));
}

static inline void *do_calloc(size_t n, size_t size, uintptr_t ret)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	msrt_ensure_init();
	if (total > MSRT_MAX_SMALL_SIZE)
		return alloc_large(total, 1, MSRT_PAGE_SIZE, ret);
	return alloc_class(msrt_size_class(total), total, 1, ret);
}

static size_t usable_size(const void *p)
{
	msrt_span *s = msrt_span_of(p);
	if (!s || s->state != MSRT_SPAN_INUSE)
		return 0;
	if (s->sizeclass)
		return s->elemsize;
	return (s->npages << MSRT_PAGE_SHIFT) - ((uintptr_t)p - s->base);
}

/* Copies as much of a foreign block (not from this heap) as is mapped. */
static size_t foreign_copy(void *dst, const void *src, size_t n)
{
	size_t done = 0;
	long pg = sysconf(_SC_PAGESIZE);
	while (done < n) {
		uintptr_t a = (uintptr_t)src + done;
		uintptr_t page = a & ~(uintptr_t)(pg - 1);
		unsigned char vec;
		if (mincore((void *)page, (size_t)pg, &vec) < 0 && errno == ENOMEM)
			break;
		size_t chunk = (size_t)(page + (uintptr_t)pg - a);
		if (chunk > n - done)
			chunk = n - done;
		memcpy((char *)dst + done, (const char *)src + done, chunk);
		done += chunk;
	}
	return done;
}

static void *do_realloc(void *p, size_t n, uintptr_t ret)
{
	if (!p)
		return do_malloc(n, ret);
	if (n == 0) {
		do_free(p);
		return NULL;
	}
	if (n > MSRT_MAX_ALLOC) {
		errno = ENOMEM;
		return NULL;
	}
	msrt_span *s = msrt_span_of(p);
	if (!s) {
		uintptr_t off = (uintptr_t)p - msrt_heap.arena_start;
		if (msrt_inited && off < msrt_heap_committed())
			invalid_pointer("realloc", p);
		void *q = msrt_alloc_slow(n, 0, ret);
		if (q)
			foreign_copy(q, p, n);
		return q;
	}
	if (s->state != MSRT_SPAN_INUSE)
		invalid_pointer("realloc", p);
	size_t old = usable_size(p);
	if (s->sizeclass) {
		if (n <= old && (n > old / 2 || old <= 64))
			return p;
	} else if (n > MSRT_MAX_SMALL_SIZE && (uintptr_t)p == s->base) {
		size_t npages = (n + MSRT_PAGE_SIZE - 1) >> MSRT_PAGE_SHIFT;
		if (npages == s->npages) {
			if (msrt_unlikely(msrt_use_on))
				msrt_use_resize(msrt_tls_cache, p, s->large_size, n);
			s->large_size = n;
			return p;
		}
		if (npages < s->npages) {
			msrt_heap_trim_span(s, s->base, npages);
			if (msrt_unlikely(msrt_use_on))
				msrt_use_resize(msrt_tls_cache, p, s->large_size, n);
			s->large_size = n;
			return p;
		}
		if (msrt_heap_grow_span(s, npages) == 0) {
			if (msrt_unlikely(msrt_use_on))
				msrt_use_resize(msrt_tls_cache, p, s->large_size, n);
			s->large_size = n;
			return p;
		}
	}
	void *q = do_malloc(n, ret);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	do_free(p);
	return q;
}

static void *do_aligned(size_t align, size_t n, uintptr_t ret)
{
	if (align <= 8)
		return do_malloc(n, ret);
	if (align <= 16)
		return do_malloc(n < 16 ? 16 : n, ret);
	msrt_ensure_init();
	if (align <= MSRT_PAGE_SIZE) {
		unsigned cls = msrt_size_class_aligned(n, align);
		if (cls)
			return alloc_class(cls, n, 0, ret);
		return alloc_large(n, 0, MSRT_PAGE_SIZE, ret);
	}
	if (n > MSRT_MAX_ALLOC || align > MSRT_MAX_ALLOC) {
		errno = ENOMEM;
		return NULL;
	}
	return alloc_large(n, 0, align, ret);
}

static inline int is_pow2(size_t x) { return x && !(x & (x - 1)); }

static int do_posix_memalign(void **out, size_t align, size_t n, uintptr_t ret)
{
	if (!is_pow2(align) || align % sizeof(void *) != 0)
		return EINVAL;
	int saved = errno;
	void *p = do_aligned(align, n, ret);
	if (!p) {
		errno = saved;
		return ENOMEM;
	}
	*out = p;
	return 0;
}

static __attribute__((unused)) void *do_memalign(size_t align, size_t n, uintptr_t ret)
{
	if (!is_pow2(align)) {
		if (align > MSRT_MAX_ALLOC) {
			errno = EINVAL;
			return NULL;
		}
		size_t a = 1;
		while (a < align)
			a <<= 1;
		align = a;
	}
	return do_aligned(align, n, ret);
}

/* ---- the ms_* API --------------------------------------------------------- */
void *ms_malloc(size_t n) { return do_malloc(n, RET_ADDR); }
void ms_free(void *p) { do_free(p); }
void *ms_calloc(size_t n, size_t size) { return do_calloc(n, size, RET_ADDR); }
void *ms_realloc(void *p, size_t n) { return do_realloc(p, n, RET_ADDR); }
int ms_posix_memalign(void **out, size_t align, size_t n) { return do_posix_memalign(out, align, n, RET_ADDR); }
void *ms_aligned_alloc(size_t align, size_t n)
{
	if (!is_pow2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return do_aligned(align, n, RET_ADDR);
}
size_t ms_usable_size(const void *p) { return p ? usable_size(p) : 0; }

/* ---- the libc names --------------------------------------------------------- */
#ifdef MSRT_REPLACE_MALLOC
#define EXPORT __attribute__((visibility("default")))

/* _exit/_Exit skip atexit: write the exit snapshot first (mbackground.c
 * says when it may), then leave as the libc would. glibc's exit() reaches
 * the kernel through its internal _exit, not through these. */
EXPORT __attribute__((noreturn)) void _exit(int status)
{
	msrt_bg_quick_exit();
	for (;;)
		syscall(SYS_exit_group, status);
}
EXPORT __attribute__((noreturn)) void _Exit(int status) { _exit(status); }

EXPORT void *malloc(size_t n) { return do_malloc(n, RET_ADDR); }
EXPORT void free(void *p) { do_free(p); }
EXPORT void *calloc(size_t n, size_t size) { return do_calloc(n, size, RET_ADDR); }
EXPORT void *realloc(void *p, size_t n) { return do_realloc(p, n, RET_ADDR); }
EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return do_realloc(p, total, RET_ADDR);
}
EXPORT int posix_memalign(void **out, size_t align, size_t n) { return do_posix_memalign(out, align, n, RET_ADDR); }
EXPORT void *aligned_alloc(size_t align, size_t n)
{
	if (!is_pow2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return do_aligned(align, n, RET_ADDR);
}
EXPORT void *memalign(size_t align, size_t n) { return do_memalign(align, n, RET_ADDR); }
EXPORT void *valloc(size_t n) { return do_aligned((size_t)sysconf(_SC_PAGESIZE), n, RET_ADDR); }
EXPORT void *pvalloc(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	if (n > MSRT_MAX_ALLOC) {
		errno = ENOMEM;
		return NULL;
	}
	n = n ? (n + pg - 1) & ~(pg - 1) : pg;
	return do_aligned(pg, n, RET_ADDR);
}
EXPORT size_t malloc_usable_size(void *p) { return p ? usable_size(p) : 0; }
EXPORT void cfree(void *p) { do_free(p); }
EXPORT int malloc_trim(size_t pad)
{
	(void)pad;
	return ms_scavenge_all() > 0;
}
EXPORT int mallopt(int param, int value)
{
	(void)param;
	(void)value;
	return 1;
}
EXPORT struct mallinfo2 mallinfo2(void)
{
	ms_stats st;
	ms_read_stats(&st);
	struct mallinfo2 mi;
	memset(&mi, 0, sizeof mi);
	mi.arena = st.heap_sys;
	mi.uordblks = st.heap_alloc;
	mi.fordblks = st.heap_sys - st.heap_alloc;
	mi.keepcost = st.heap_idle - st.heap_released;
	return mi;
}
EXPORT struct mallinfo mallinfo(void)
{
	struct mallinfo2 m2 = mallinfo2();
	struct mallinfo mi;
	memset(&mi, 0, sizeof mi);
	mi.arena = (int)m2.arena;
	mi.uordblks = (int)m2.uordblks;
	mi.fordblks = (int)m2.fordblks;
	mi.keepcost = (int)m2.keepcost;
	return mi;
}
/* glibc's internal names, for programs that call them directly. */
EXPORT void *__libc_malloc(size_t n) { return do_malloc(n, RET_ADDR); }
EXPORT void __libc_free(void *p) { do_free(p); }
EXPORT void *__libc_calloc(size_t n, size_t size) { return do_calloc(n, size, RET_ADDR); }
EXPORT void *__libc_realloc(void *p, size_t n) { return do_realloc(p, n, RET_ADDR); }
EXPORT void *__libc_memalign(size_t align, size_t n) { return do_memalign(align, n, RET_ADDR); }
#endif
