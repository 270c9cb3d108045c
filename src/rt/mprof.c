/* mprof.c — the sampling heap profiler: when to sample, how stacks are
 * taken, and the buckets that count sampled allocations and frees per
 * stack (Go's mprof.go).
 *
 * When: each thread counts requested bytes down to its next sample; the
 * intervals are exponentially distributed with mean R = MSRT_PROFILE_RATE,
 *     next = −ln(U) · R,  U uniform in (0, 1]
 * so every allocated byte has the same chance 1/R of being the sampled
 * one (a Poisson process over bytes). R = 1 samples every allocation.
 *
 * Un-biasing (done by the writer, mpprof.c): an allocation of s bytes is
 * sampled with probability p(s) = 1 − exp(−s/R), so a bucket's sampled
 * count c and bytes b stand for
 *     c / p(avg),  b / p(avg),   avg = b / c
 * objects and bytes (Go's scaleHeapSample).
 *
 * Stacks: by default from the unwind tables, which is right for code built
 * without frame pointers (most distribution libraries), with each return
 * address's CFI rule cached (munwind.c: ~0.2 µs a sample instead of ~1.4
 * µs through libgcc's _Unwind_Backtrace, which remains the fallback for
 * frames the cache cannot describe and is MSRT_PROFILE_UNWIND=dwarf);
 * MSRT_PROFILE_UNWIND=fp walks frame pointers — as cheap, but it skips the
 * caller of any function built without them; =check runs the cached walk
 * and libgcc's on every sample and counts differences (tests). All walks
 * start from the public entry point's return address, so runtime frames
 * never appear. Depth is limited by MSRT_PROFILE_DEPTH.
 *
 * Buckets are keyed by (stack, object size rounded to its size class or
 * page count), allocated from persistent memory and never freed. A
 * sampled object's address is recorded in a hash table (address → bucket,
 * requested size) and its span's nsampled is raised, so frees of objects
 * in spans with no sampled object never look at the table. The span also
 * keeps the addresses of two of its sampled objects, so a free of any
 * other object in a span with at most two samples skips the lock too
 * (on the allocation benchmark, two thirds of the frees that reached the
 * table were of unsampled neighbours). GC objects
 * (ms_alloc) are sampled the same way; their frees are recorded when the
 * sweeper finds them dead.
 *
 * In-use as of the last completed GC cycle (Go's mProf cycles): the sweep
 * finds a cycle's garbage after its mark termination (MT), while
 * allocations keep coming, so counting both as they happen would show
 * garbage the program dropped long ago next to objects allocated a moment
 * ago. Each bucket keeps, besides its running totals, three future cycle
 * records fut[c mod 3] and the published record pub. With C = mark
 * terminations so far:
 *     allocation, explicit free()  → fut[(C + 2) mod 3]
 *     free found by the sweeper    → fut[(C + 1) mod 3]
 *     at MT, world stopped:          C += 1                   (next_cycle)
 *     after MT, world running:       pub += fut[C mod 3], clear   (flush)
 *     when MT's sweep is done:       pub += fut[(C+1) mod 3], clear
 *                                                           (post_sweep)
 * so after the sweep of cycle k, pub holds the allocations before MT_k
 * minus every object found dead by MT_k: the heap as of MT_k, which the
 * profile shows as inuse_* until cycle k+1's sweep is done (ms_gc() waits
 * for its sweep, so it publishes at once). Late events (a sweeper that
 * finishes after the queue ran out) land in a slot that is flushed at a
 * later MT, never lost. alloc_* come from the same record (as Go's
 * MemProfile takes both from mp.active): an allocation shows in the
 * profile once its cycle is published. Until the collector has
 * published a non-empty cycle — a malloc-only program, or a GC program
 * before its first sweep — inuse_* are the running totals too (Go's
 * MemProfile falls back the same way).
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

#include "rt/msrt_internal.h"

pthread_mutex_t msrt_prof_lock = PTHREAD_MUTEX_INITIALIZER;
msrt_bucket *msrt_buckets_all;
_Atomic long msrt_prof_rate = 512 * 1024;

#define BUCKHASH_SIZE (1u << 16)
static msrt_bucket **buckhash;
static uint32_t nbuckets;
static uint64_t nsamples;

typedef struct special {
	uintptr_t addr; /* 0 = empty slot */
	msrt_bucket *b;
	size_t size;
} special;
static special *specials;
static size_t specials_cap, specials_n;

static _Atomic uint32_t prof_cycle; /* mark terminations so far */
static int prof_published;          /* a flush moved events into pub (prof lock) */

/* ---- random numbers ------------------------------------------------------ */
uint64_t msrt_rand(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double msrt_exp_sample(uint64_t *rng, double mean)
{
	double u = (double)((msrt_rand(rng) >> 11) + 1) * (1.0 / 9007199254740992.0); /* (0, 1] */
	return -log(u) * mean;
}

int64_t msrt_next_sample(msrt_mcache *c)
{
	long rate = atomic_load_explicit(&msrt_prof_rate, memory_order_relaxed);
	if (rate <= 0)
		return INT64_MAX;
	if (rate == 1)
		return 0;
	double x = msrt_exp_sample(&c->rng, (double)rate);
	if (x < 1)
		x = 1;
	if (x > 4e18)
		x = 4e18;
	return (int64_t)x;
}

long ms_set_profile_rate(long rate)
{
	if (rate < 0)
		rate = 0;
	long old = atomic_exchange(&msrt_prof_rate, rate);
	msrt_mcache *c = msrt_tls_cache;
	if (c)
		c->next_sample = msrt_next_sample(c);
	return old;
}

uint64_t msrt_prof_nsamples(void) { return __atomic_load_n(&nsamples, __ATOMIC_RELAXED); }

/* ---- stacks ------------------------------------------------------------------- */
struct unwind_state {
	uintptr_t *pcs;
	int n, max;
};

static _Unwind_Reason_Code unwind_cb(struct _Unwind_Context *ctx, void *arg)
{
	struct unwind_state *st = arg;
	uintptr_t ip = (uintptr_t)_Unwind_GetIP(ctx);
	if (!ip || st->n >= st->max)
		return _URC_END_OF_STACK;
	st->pcs[st->n++] = ip;
	return _URC_NO_REASON;
}

extern void *__libc_stack_end;

static uintptr_t hex_field(const char **pp)
{
	uintptr_t v = 0;
	const char *p = *pp;
	for (;; p++) {
		unsigned d = (unsigned)(*p - '0') <= 9 ? (unsigned)(*p - '0')
			     : (unsigned)(*p - 'a') <= 5 ? (unsigned)(*p - 'a') + 10 : 16;
		if (d == 16)
			break;
		v = v << 4 | d;
	}
	*pp = p;
	return v;
}

/* The calling thread's stack, found without pthread_getattr_np: this runs
 * inside malloc, and pthread_getattr_np holds the thread's lock while it
 * allocates (the main thread's fopen of /proc/self/maps, every thread's
 * affinity mask), so a program that calls it — Rust's runtime does, for
 * every thread — deadlocked on its own lock when that allocation was
 * sampled. The main thread's top is glibc's __libc_stack_end (as in
 * mstw.c), its depth the stack rlimit (8 MiB if unlimited); another
 * thread's stack is the mapping of /proc/self/maps (read with raw system
 * calls into mmap'd memory) that holds the current frame. */
static void stack_bounds(msrt_mcache *c)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	c->stack_hi = 1; /* tried */
	if ((pid_t)syscall(SYS_gettid) == getpid()) {
		struct rlimit rl;
		uintptr_t depth = (uintptr_t)8 << 20;
		if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < ((rlim_t)1 << 32))
			depth = (uintptr_t)rl.rlim_cur;
		uintptr_t hi = (uintptr_t)__libc_stack_end;
		if (hi > here) {
			c->stack_hi = hi;
			c->stack_lo = hi > depth ? hi - depth : 0;
		}
		return;
	}
	msrt_buf maps = { 0 };
	if (msrt_read_proc_maps(&maps) == 0 && maps.data) {
		for (const char *p = maps.data; *p;) {
			uintptr_t lo = hex_field(&p);
			uintptr_t hi = *p == '-' ? (p++, hex_field(&p)) : 0;
			if (lo <= here && here < hi) {
				c->stack_lo = lo;
				c->stack_hi = hi;
				break;
			}
			const char *nl = strchr(p, '\n');
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	msrt_buf_free(&maps);
}

static __attribute__((noinline)) int fp_walk(msrt_mcache *c, uintptr_t *out, int max)
{
	if (!c->stack_hi)
		stack_bounds(c);
	uintptr_t *fp = __builtin_frame_address(0);
	uintptr_t lo = (uintptr_t)fp, hi = c->stack_hi > 1 ? c->stack_hi : lo + 65536;
	int n = 0;
	while (n < max) {
		uintptr_t a = (uintptr_t)fp;
		if ((a & 7) || a < lo || a + 16 > hi)
			break;
		uintptr_t ra = fp[1];
		if (ra < 4096)
			break;
		out[n++] = ra;
		uintptr_t *next = (uintptr_t *)fp[0];
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

/* MSRT_PROFILE_UNWIND=check: how many stacks were compared, fell back to
 * libgcc, or differed; printed at exit. */
static _Atomic unsigned long check_same, check_fallback, check_differ;

__attribute__((destructor)) static void unwind_check_report(void)
{
	if (msrt_opts.unwind == MSRT_UNWIND_CHECK)
		msrt_warn("unwind check: %lu stacks identical, %lu differed, %lu needed libgcc", atomic_load(&check_same),
			atomic_load(&check_differ), atomic_load(&check_fallback));
}

static int dwarf_walk(uintptr_t *tmp, int want)
{
	struct unwind_state st = { tmp, 0, want };
	_Unwind_Backtrace(unwind_cb, &st);
	return st.n;
}

/* Fills pcs (leaf first) starting at the frame that returns to `ret`. */
static int capture_stack(msrt_mcache *c, uintptr_t *pcs, int max, uintptr_t ret)
{
	uintptr_t tmp[MSRT_MAX_DEPTH + 16];
	int n;
	int want = max + 16;
	int mode = msrt_opts.unwind;
	if (mode == MSRT_UNWIND_CFI || mode == MSRT_UNWIND_CHECK) {
		if (!c->stack_hi)
			stack_bounds(c);
		int k = c->stack_hi > 1 ? msrt_cfi_walk(pcs, max, ret, c->stack_lo, c->stack_hi) : -1;
		if (k > 0 && mode == MSRT_UNWIND_CFI)
			return k;
		if (k > 0) {
			n = dwarf_walk(tmp, want);
			int first = 0;
			while (first < n && first < 16 && tmp[first] != ret)
				first++;
			int m = n - first > max ? max : n - first;
			if (m != k || memcmp(pcs, tmp + first, (size_t)k * sizeof *pcs) != 0) {
				atomic_fetch_add(&check_differ, 1);
				int at = 0;
				while (at < k && at < m && pcs[at] == tmp[first + at])
					at++;
				msrt_warn("unwind check: cfi %d frames, dwarf %d; first difference at frame %d (%#lx vs %#lx)", k,
					m, at, at < k ? (unsigned long)pcs[at] : 0ul, at < m ? (unsigned long)tmp[first + at] : 0ul);
			}
			else
				atomic_fetch_add(&check_same, 1);
			memcpy(pcs, tmp + first, (size_t)m * sizeof *pcs);
			return m;
		}
		if (mode == MSRT_UNWIND_CHECK)
			atomic_fetch_add(&check_fallback, 1);
		n = dwarf_walk(tmp, want);
	} else if (mode == MSRT_UNWIND_FP) {
		n = fp_walk(c, tmp, want);
	} else {
		n = dwarf_walk(tmp, want);
	}
	int first = 0;
	for (int i = 0; i < n && i < 16; i++)
		if (tmp[i] == ret) {
			first = i;
			break;
		}
	if (first == 0 && (n == 0 || tmp[0] != ret)) {
		/* the entry frame was not found (a walk that lost the chain):
		 * keep at least the caller we know */
		pcs[0] = ret;
		return 1;
	}
	int depth = n - first;
	if (depth > max)
		depth = max;
	memcpy(pcs, tmp + first, (size_t)depth * sizeof *pcs);
	return depth;
}

/* ---- buckets ---------------------------------------------------------------- */
static uint64_t stack_hash(const uintptr_t *pcs, int depth, uint64_t size)
{
	uint64_t h = 0xcbf29ce484222325ull ^ size;
	for (int i = 0; i < depth; i++) {
		h ^= pcs[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

/* Caller holds msrt_prof_lock. */
static msrt_bucket *bucket_get(const uintptr_t *pcs, int depth, uint64_t elemsize, int *created)
{
	if (!buckhash) {
		buckhash = msrt_sys_alloc(BUCKHASH_SIZE * sizeof *buckhash);
		if (!buckhash)
			return NULL;
	}
	uint64_t h = stack_hash(pcs, depth, elemsize);
	msrt_bucket **slot = &buckhash[h & (BUCKHASH_SIZE - 1)];
	for (msrt_bucket *b = *slot; b; b = b->hnext)
		if (b->hash == h && b->depth == (uint32_t)depth && b->elemsize == elemsize &&
			memcmp(b->pcs, pcs, (size_t)depth * sizeof *pcs) == 0)
			return b;
	msrt_bucket *b = msrt_persistent_alloc(sizeof *b + (size_t)depth * sizeof *pcs);
	if (!b)
		return NULL;
	b->hash = h;
	b->depth = (uint32_t)depth;
	b->elemsize = elemsize;
	memcpy(b->pcs, pcs, (size_t)depth * sizeof *pcs);
	b->id = ++nbuckets;
	b->hnext = *slot;
	*slot = b;
	b->allnext = msrt_buckets_all;
	msrt_buckets_all = b;
	*created = 1;
	return b;
}

/* ---- sampled objects: address → bucket (open addressing) --------------------- */
static inline size_t addr_slot(uintptr_t a, size_t cap) { return msrt_hash_slot(a >> 3, cap); }

static int specials_grow(void)
{
	size_t cap = specials_cap ? specials_cap * 2 : 4096;
	special *t = msrt_sys_alloc(cap * sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < specials_cap; i++) {
		if (!specials[i].addr)
			continue;
		size_t j = addr_slot(specials[i].addr, cap);
		while (t[j].addr)
			j = (j + 1) & (cap - 1);
		t[j] = specials[i];
	}
	msrt_sys_free(specials, specials_cap * sizeof *specials);
	specials = t;
	specials_cap = cap;
	return 0;
}

static int special_add(uintptr_t a, msrt_bucket *b, size_t size)
{
	if ((specials_n + 1) * 2 > specials_cap && specials_grow() < 0)
		return -1;
	size_t j = addr_slot(a, specials_cap);
	while (specials[j].addr && specials[j].addr != a)
		j = (j + 1) & (specials_cap - 1);
	if (!specials[j].addr)
		specials_n++;
	specials[j].addr = a;
	specials[j].b = b;
	specials[j].size = size;
	return 0;
}

/* Removes a's entry (backward-shift deletion); returns 0 if found. */
static int special_take(uintptr_t a, special *out)
{
	if (!specials_cap)
		return -1;
	size_t j = addr_slot(a, specials_cap);
	while (specials[j].addr != a) {
		if (!specials[j].addr)
			return -1;
		j = (j + 1) & (specials_cap - 1);
	}
	*out = specials[j];
	specials_n--;
	size_t hole = j;
	for (;;) {
		j = (j + 1) & (specials_cap - 1);
		if (!specials[j].addr)
			break;
		size_t home = addr_slot(specials[j].addr, specials_cap);
		/* move j into the hole unless its home lies cyclically in (hole, j] */
		int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		specials[hole] = specials[j];
		hole = j;
	}
	specials[hole].addr = 0;
	return 0;
}

/* ---- GC cycles ----------------------------------------------------------------- */
static void memrec_add(msrt_memrec *to, msrt_memrec *from)
{
	to->allocs += from->allocs;
	to->alloc_bytes += from->alloc_bytes;
	to->frees += from->frees;
	to->free_bytes += from->free_bytes;
	memset(from, 0, sizeof *from);
}

/* Caller holds msrt_prof_lock. */
static void flush_slot(unsigned slot)
{
	for (msrt_bucket *b = msrt_buckets_all; b; b = b->allnext) {
		msrt_memrec *f = &b->fut[slot];
		if (f->allocs | f->frees) {
			memrec_add(&b->pub, f);
			prof_published = 1;
		}
	}
}

void msrt_prof_next_cycle(void) { atomic_fetch_add(&prof_cycle, 1); }

uint32_t msrt_prof_cycle(void) { return atomic_load(&prof_cycle); }

void msrt_prof_flush_cycle(void)
{
	pthread_mutex_lock(&msrt_prof_lock);
	flush_slot(atomic_load(&prof_cycle) % 3);
	pthread_mutex_unlock(&msrt_prof_lock);
}

void msrt_prof_post_sweep(uint32_t c)
{
	pthread_mutex_lock(&msrt_prof_lock);
	if (atomic_load(&prof_cycle) == c)
		flush_slot((c + 1) % 3);
	pthread_mutex_unlock(&msrt_prof_lock);
}

msrt_memrec msrt_prof_counts(const msrt_bucket *b)
{
	if (prof_published)
		return b->pub;
	return (msrt_memrec){ b->allocs, b->alloc_bytes, b->frees, b->free_bytes };
}

msrt_live_obj *msrt_prof_live_objects(size_t *n, size_t *bytes)
{
	*n = 0;
	*bytes = 0;
	pthread_mutex_lock(&msrt_prof_lock);
	size_t want = specials_n ? specials_n * sizeof(msrt_live_obj) : 0;
	msrt_live_obj *out = want ? msrt_sys_alloc(want) : NULL;
	if (out) {
		size_t k = 0;
		for (size_t i = 0; i < specials_cap && k < specials_n; i++)
			if (specials[i].addr)
				out[k++] = (msrt_live_obj){ specials[i].addr, specials[i].size, specials[i].b };
		*n = k;
		*bytes = want;
	}
	pthread_mutex_unlock(&msrt_prof_lock);
	return out;
}

/* ---- record ------------------------------------------------------------------ */
void msrt_prof_alloc(msrt_mcache *c, void *p, size_t size, msrt_span *s, uintptr_t ret)
{
	c->next_sample = msrt_next_sample(c);
	if (msrt_tls_inprof || !s)
		return;
	msrt_tls_inprof = 1;
	if (msrt_opts.leak_check && !c->stack_hi)
		stack_bounds(c); /* the leak check scans this thread's stack */
	uintptr_t pcs[MSRT_MAX_DEPTH];
	int depth = capture_stack(c, pcs, msrt_opts.profile_depth, ret);
	uint64_t elemsize = s->sizeclass ? s->elemsize : (uint64_t)s->npages << MSRT_PAGE_SHIFT;
	int created = 0;
	pthread_mutex_lock(&msrt_prof_lock);
	msrt_bucket *b = bucket_get(pcs, depth, elemsize, &created);
	if (b && special_add((uintptr_t)p, b, size) == 0) {
		b->allocs++;
		b->alloc_bytes += size;
		msrt_memrec *f = &b->fut[(atomic_load(&prof_cycle) + 2) % 3];
		f->allocs++;
		f->alloc_bytes += size;
		if (!s->sampled_at[0])
			__atomic_store_n(&s->sampled_at[0], (uintptr_t)p, __ATOMIC_RELAXED);
		else if (!s->sampled_at[1])
			__atomic_store_n(&s->sampled_at[1], (uintptr_t)p, __ATOMIC_RELAXED);
		else
			__atomic_store_n(&s->nsampled_table, s->nsampled_table + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&s->nsampled, s->nsampled + 1, __ATOMIC_RELAXED);
		if (s->nsampled == 1 && s->sizeclass && !s->gcs) /* GC spans keep page class 0 */
			msrt_heap_set_page_class(s, (uint8_t)(s->sizeclass | MSRT_PC_SAMPLED));
		nsamples++;
	} else {
		b = NULL;
	}
	pthread_mutex_unlock(&msrt_prof_lock);
	uint64_t note = 0;
	if (b) {
		if (msrt_trace_on)
			msrt_trace_alloc(c, p, s->sizeclass, size, b);
		long rate = atomic_load_explicit(&msrt_prof_rate, memory_order_relaxed);
		note = rate <= 1 ? size : (uint64_t)rate;
	}
	msrt_tls_inprof = 0;
	if (note) /* outside the guard: it may start the background thread */
		msrt_bg_note_alloc_bytes(note);
}

/* Whether p may be a sampled object, without the lock. p's own sampling
 * (if any) happened before the caller could free it, so its entry in
 * sampled_at[] or its count in nsampled_table is visible here; other
 * threads' concurrent changes concern other objects and at worst send
 * this free down the locked path. */
static inline int maybe_sampled(const msrt_span *s, uintptr_t p)
{
	return __atomic_load_n(&s->nsampled_table, __ATOMIC_RELAXED) ||
		__atomic_load_n(&s->sampled_at[0], __ATOMIC_RELAXED) == p ||
		__atomic_load_n(&s->sampled_at[1], __ATOMIC_RELAXED) == p;
}

void msrt_prof_free(void *p, msrt_span *s)
{
	special sp;
	if (!maybe_sampled(s, (uintptr_t)p))
		return;
	pthread_mutex_lock(&msrt_prof_lock);
	int found = special_take((uintptr_t)p, &sp) == 0;
	if (found) {
		if (s->sampled_at[0] == (uintptr_t)p)
			__atomic_store_n(&s->sampled_at[0], 0, __ATOMIC_RELAXED);
		else if (s->sampled_at[1] == (uintptr_t)p)
			__atomic_store_n(&s->sampled_at[1], 0, __ATOMIC_RELAXED);
		else
			__atomic_store_n(&s->nsampled_table, s->nsampled_table - 1, __ATOMIC_RELAXED);
		sp.b->frees++;
		sp.b->free_bytes += sp.size;
		/* the sweeper's frees belong to the cycle that found them dead */
		msrt_memrec *f = &sp.b->fut[(atomic_load(&prof_cycle) + (s->gcs ? 1 : 2)) % 3];
		f->frees++;
		f->free_bytes += sp.size;
		__atomic_store_n(&s->nsampled, s->nsampled - 1, __ATOMIC_RELAXED);
		if (s->nsampled == 0 && s->sizeclass && !s->gcs)
			msrt_heap_set_page_class(s, s->sizeclass);
	}
	pthread_mutex_unlock(&msrt_prof_lock);
	if (found && msrt_trace_on)
		msrt_trace_free(msrt_tls_cache, p, s->sizeclass, sp.size, sp.b);
}
