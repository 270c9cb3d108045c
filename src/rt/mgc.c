/* mgc.c — the collector's driver: settings, GC allocation (ms_alloc), the
 * cycle (Go's gcStart / gcMarkDone / gcMarkTermination in one thread),
 * forced cycles, statistics and the gctrace lines.
 *
 * GC allocation, small object (size ≤ 32 KiB), in the thread's crit section:
 *   1. span class = class × 2 + noscan; the thread's cached span for it;
 *   2. if it is swept for this cycle, take the first slot whose alloc bit
 *      is clear from freeindex on; zero it unless it was never handed out;
 *   3. while marking, also set its mark bit (allocate black).
 * Refill (outside crit): give the cached span back, take a swept span
 * with free slots from the class's available list, else sweep lazily
 * until one turns up, else a new span from mheap. heap_live grows by the
 * span's free bytes (Go's accounting at mcache refill) — while marking,
 * after the thread has paid the assist that allocation owes (mgcmark.c);
 * when it passes the pacer's trigger, the thread asks the driver for a
 * cycle, and waits for its STW 1 if the driver has not started it within
 * a quarter of the runway.
 * Large objects get a span of their own.
 *
 * The cycle, on the driver thread (the work of each stop runs on the
 * thread that stops last, usually a mutator: mstw.c):
 *   finish sweeping; collect the writable segments (dl_iterate_phdr)
 *   STW 1: scan stacks/registers, globals, user roots; phase = mark;
 *          the pacer computes the assist ratio
 *   mark:  drain in 1 ms slices at the background utilisation
 *          (25% of the CPUs: a duty cycle of min(1, 0.25·ncpu) on this one
 *          worker thread), revising the assist ratio each slice and
 *          waking threads waiting in assists when they are paid up
 *   STW 2: take every thread's grey buffer; if any, restart and mark on;
 *          else phase = off, sweepgen += 2, heap_live = marked, the
 *          pacer's next goal and trigger
 *   sweep in the background; print the gctrace line
 *
 * gctrace (MSRT_GCTRACE=1 → stderr, or a file path), Go 1.18+'s format:
 *   gc N @T.TTTs P%: a+b+c ms clock, d+e/f/g+h ms cpu, X->Y->Z MB, G MB goal,
 *   S MB stacks, H MB globals, N P[ (forced)]
 * a, c: STW 1 and STW 2 pauses (all STW 2 attempts), each from the first
 * thread stopped to the release (the time the threads took to reach their
 * safepoints, while running, is not in it); b: concurrent mark wall time; d = a·P, h = c·P (Go counts stopped Ps); e: assist CPU; f:
 * background worker CPU; g: idle marking (none here, 0); X: heap_live at
 * the start, Y: at mark termination, Z: marked; P% GC CPU since start over
 * wall time × P, truncated; N P: online CPUs. Numbers as Go's fmtNSAsMS.
 * With MSRT_SCAVTRACE=1 a Go 1.21 scavenger line follows each cycle.
 * With the event trace on (MSRT_TRACE) the same numbers, unrounded, and
 * every stop, pacer decision and sweep end go into trace.out too
 * (mgcevent.c); at mark termination the heap profile's cycle advances
 * (mprof.c: inuse as of the last completed cycle).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt/mgc_internal.h"

mgc_state mgc = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cycle_lock = PTHREAD_MUTEX_INITIALIZER,
	.cycle_cond = PTHREAD_COND_INITIALIZER,
	.roots_lock = PTHREAD_MUTEX_INITIALIZER,
	.gctrace_fd = -1,
	.sweepgen = 4,
};

static pthread_mutex_t gc_init_lock = PTHREAD_MUTEX_INITIALIZER;
static mgc_gcw driver_gcw;

uint64_t mgc_thread_cputime(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- settings ----------------------------------------------------------------- */
static void load_options(void)
{
	const char *v;
	unsigned long long u;
	if ((v = getenv("MSRT_GOGC")) && *v) {
		char *end;
		long g = strtol(v, &end, 10);
		if (strcmp(v, "off") == 0)
			mgc.pacer.gogc = -1;
		else if (*end || end == v || g > 1000000 || g < -1)
			msrt_warn("ignoring MSRT_GOGC='%s': expected a percentage or 'off'", v);
		else
			mgc.pacer.gogc = g < 0 ? -1 : (int)g;
	}
	if ((v = getenv("MSRT_MEMLIMIT")) && *v) {
		if (strcmp(v, "off") == 0)
			mgc.pacer.mem_limit = UINT64_MAX;
		else if (msrt_parse_bytes(v, &u) < 0)
			msrt_warn("ignoring MSRT_MEMLIMIT='%s': expected bytes, e.g. 64MiB, or 'off'", v);
		else
			mgc.pacer.mem_limit = u;
	}
	if ((v = getenv("MSRT_GCTRACE")) && *v && strcmp(v, "0") != 0) {
		if (strcmp(v, "1") == 0)
			mgc.gctrace_fd = 2;
		else if ((mgc.gctrace_fd = open(v, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
			msrt_warn("cannot open MSRT_GCTRACE file '%s': %s", v, strerror(errno));
	}
	if ((v = getenv("MSRT_SCAVTRACE")) && strcmp(v, "1") == 0)
		mgc.scavtrace = 1;
	if ((v = getenv("MSRT_GC_POISON")) && strcmp(v, "1") == 0)
		mgc.poison = 1;
}

static void *driver_main(void *arg);

int ms_init(void)
{
	msrt_ensure_init();
	if (__atomic_load_n(&mgc.enabled, __ATOMIC_ACQUIRE))
		return mgc_attach(0) ? 0 : -1;
	pthread_mutex_lock(&gc_init_lock);
	if (!mgc.enabled) {
		mgc.pacer.gogc = 100;
		mgc.pacer.mem_limit = UINT64_MAX;
		load_options();
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		mgc.ncpu = n > 0 ? (int)n : 1;
		mgc.gcspanalloc.size = sizeof(msrt_gcspan);
		mgc.start_ns = msrt_nanotime();
		mgc_pacer_init();
		if (mgc_stw_init() < 0 || pthread_create(&mgc.driver, NULL, driver_main, NULL) != 0) {
			pthread_mutex_unlock(&gc_init_lock);
			msrt_warn("cannot start the collector");
			return -1;
		}
		mgc.driver_running = 1;
		__atomic_store_n(&mgc.enabled, 1, __ATOMIC_RELEASE);
		mgc_ev_settings();
	}
	pthread_mutex_unlock(&gc_init_lock);
	return mgc_attach(0) ? 0 : -1;
}

int ms_set_gogc(int percent)
{
	ms_init();
	pthread_mutex_lock(&mgc.cycle_lock);
	int old = mgc.pacer.gogc;
	mgc.pacer.gogc = percent < 0 ? -1 : percent;
	mgc_pacer_commit();
	mgc_ev_settings();
	pthread_mutex_unlock(&mgc.cycle_lock);
	return old;
}

int64_t ms_set_memory_limit(int64_t limit)
{
	ms_init();
	pthread_mutex_lock(&mgc.cycle_lock);
	int64_t old = mgc.pacer.mem_limit == UINT64_MAX ? INT64_MAX : (int64_t)mgc.pacer.mem_limit;
	if (limit >= 0) {
		mgc.pacer.mem_limit = limit == INT64_MAX ? UINT64_MAX : (uint64_t)limit;
		mgc_pacer_commit();
		mgc_ev_settings();
	}
	pthread_mutex_unlock(&mgc.cycle_lock);
	if (limit >= 0)
		mgc_limit_scavenge(); /* free pages over the new limit go now */
	return old;
}

/* ---- spans ---------------------------------------------------------------------- */
static msrt_gcspan *new_span(unsigned cls, int noscan, size_t large_bytes, int *zeroed)
{
	size_t npages = large_bytes ? (large_bytes + MSRT_PAGE_SIZE - 1) >> MSRT_PAGE_SHIFT : msrt_class_to_npages[cls];
	msrt_span *sp = msrt_heap_alloc_span(npages, large_bytes ? 0 : (int)cls, zeroed);
	if (!sp)
		return NULL;
	msrt_heap_set_page_class(sp, 0); /* free()'s fast path must not take it */
	pthread_mutex_lock(&mgc.lock);
	msrt_gcspan *s = msrt_fix_alloc(&mgc.gcspanalloc);
	size_t idx = atomic_load(&mgc.nall);
	if (s && !mgc.all[idx / MGC_ALL_CHUNK] && idx / MGC_ALL_CHUNK < MGC_ALL_CHUNKS) {
		msrt_gcspan **chunk = msrt_sys_alloc(MGC_ALL_CHUNK * sizeof *chunk);
		__atomic_store_n(&mgc.all[idx / MGC_ALL_CHUNK], chunk, __ATOMIC_RELEASE);
	}
	if (!s || idx / MGC_ALL_CHUNK >= MGC_ALL_CHUNKS || !mgc.all[idx / MGC_ALL_CHUNK]) {
		if (s)
			msrt_fix_free(&mgc.gcspanalloc, s);
		pthread_mutex_unlock(&mgc.lock);
		msrt_heap_free_span(sp);
		return NULL;
	}
	memset(s, 0, sizeof *s);
	s->span = sp;
	s->base = sp->base;
	s->noscan = (uint8_t)noscan;
	s->large = large_bytes != 0;
	s->spc = (uint16_t)(cls * 2 + (unsigned)noscan);
	if (s->large) {
		s->elemsize = (uint32_t)(npages << MSRT_PAGE_SHIFT);
		if ((npages << MSRT_PAGE_SHIFT) > UINT32_MAX)
			s->elemsize = UINT32_MAX;
		s->nelems = 1;
		sp->large_size = large_bytes;
		sp->nelems = 1;
	} else {
		s->elemsize = msrt_class_to_size[cls];
		s->nelems = (uint32_t)((npages << MSRT_PAGE_SHIFT) / s->elemsize);
		s->divmul = (uint32_t)(0xffffffffu / s->elemsize + 1);
		sp->elemsize = s->elemsize;
		sp->nelems = s->nelems;
	}
	s->fresh_from = *zeroed ? 0 : s->nelems;
	s->owned = 1;
	s->counted_cycle = atomic_load(&mgc.sweepgen);
	atomic_store(&s->sweepgen, atomic_load(&mgc.sweepgen));
	s->allidx = (uint32_t)idx;
	mgc_all_set(idx, s);
	atomic_store(&mgc.nall, idx + 1);
	pthread_mutex_unlock(&mgc.lock);
	__atomic_store_n(&sp->gcs, s, __ATOMIC_RELEASE);
	atomic_fetch_add(&mgc.span_bytes, npages << MSRT_PAGE_SHIFT);
	return s;
}

/* Drops the compacted-away entries of the all-spans table; no sweeping may
 * be going on (called by the driver after finishing the sweep). */
static void compact_all(void)
{
	pthread_mutex_lock(&mgc.lock);
	size_t n = atomic_load(&mgc.nall), k = 0;
	for (size_t i = 0; i < n; i++) {
		msrt_gcspan *s = mgc_all_get(i);
		if (!s)
			continue;
		s->allidx = (uint32_t)k;
		mgc_all_set(k++, s);
	}
	for (size_t i = k; i < n; i++)
		mgc_all_set(i, NULL);
	atomic_store(&mgc.nall, k);
	atomic_store(&mgc.sweep_end, 0);
	atomic_store(&mgc.sweep_next, 0);
	pthread_mutex_unlock(&mgc.lock);
}

static void heap_live_sub(uint64_t n)
{
	uint64_t cur = atomic_load(&mgc.heap_live);
	while (!atomic_compare_exchange_weak(&mgc.heap_live, &cur, cur > n ? cur - n : 0))
		;
}

/* Allocation of `bytes` more heap: assists while marking, trigger check. */
static void charge(msrt_gcthread *t, uint64_t bytes)
{
	/* the assist comes first, as in Go (mallocgc's gcAssistAlloc), so a
	 * thread held at the goal holds the heap there, not a span above */
	int marking = atomic_load(&mgc.phase) == MGC_MARK;
	if (marking)
		mgc_assist(t, bytes);
	uint64_t live = atomic_fetch_add(&mgc.heap_live, bytes) + bytes;
	atomic_fetch_add(&mgc.gc_bytes_alloc, bytes);
	uint64_t trigger = __atomic_load_n(&mgc.pacer.trigger, __ATOMIC_RELAXED);
	if (!marking && live >= trigger) {
		if (!mgc.cycle_wanted) {
			pthread_mutex_lock(&mgc.cycle_lock);
			mgc.cycle_wanted = 1;
			pthread_cond_broadcast(&mgc.cycle_cond);
			pthread_mutex_unlock(&mgc.cycle_lock);
		}
		/* A quarter of the runway past the trigger and the cycle not
		 * started: wait for its start. In Go the goroutine that crosses
		 * the trigger runs the sweep termination itself, so it cannot
		 * run ahead; here the driver thread does, and a busy machine
		 * may not run it for milliseconds — time in which this thread
		 * would eat the runway the pacer left for the mark. (Waiting
		 * right at the trigger costs a wake-up per cycle even on an
		 * idle machine; the quarter leaves room for one.) */
		uint64_t goal = __atomic_load_n(&mgc.pacer.heap_goal, __ATOMIC_RELAXED);
		if (live >= trigger + (goal > trigger ? (goal - trigger) / 4 : 0)) {
			pthread_mutex_lock(&mgc.cycle_lock);
			uint64_t n = mgc.cycles_done;
			while (mgc.cycle_wanted && atomic_load(&mgc.phase) == MGC_OFF && mgc.cycles_done == n)
				pthread_cond_wait(&mgc.cycle_cond, &mgc.cycle_lock);
			pthread_mutex_unlock(&mgc.cycle_lock);
		}
	}
}

static void release_span(msrt_gcthread *t, unsigned spc)
{
	msrt_gcspan *s = t->cache[spc];
	if (!s)
		return;
	t->cache[spc] = NULL;
	pthread_mutex_lock(&mgc.lock);
	if (s->counted_cycle == atomic_load(&mgc.sweepgen))
		heap_live_sub((uint64_t)(s->nelems - s->nalloc) * s->elemsize);
	s->owned = 0;
	mgc_span_place_locked(s);
	pthread_mutex_unlock(&mgc.lock);
}

void mgc_release_cache(msrt_gcthread *t)
{
	for (unsigned spc = 0; spc < MGC_NSPC; spc++)
		release_span(t, spc);
}

static msrt_gcspan *take_avail(unsigned spc)
{
	for (;;) {
		pthread_mutex_lock(&mgc.lock);
		msrt_gcspan *s = mgc.avail[spc];
		if (s) {
			mgc_avail_remove_locked(s);
			s->owned = 1;
		}
		pthread_mutex_unlock(&mgc.lock);
		if (!s)
			return NULL;
		mgc_ensure_swept(s);
		if (s->nalloc < s->nelems)
			return s;
		pthread_mutex_lock(&mgc.lock);
		s->owned = 0;
		mgc_span_place_locked(s);
		pthread_mutex_unlock(&mgc.lock);
	}
}

/* Gives t a span of class spc with a free slot; -1 when out of memory. */
static int refill(msrt_gcthread *t, unsigned spc)
{
	msrt_gcspan *s = t->cache[spc];
	if (s) {
		if (atomic_load(&s->sweepgen) != atomic_load(&mgc.sweepgen)) {
			mgc_ensure_swept(s);
			if (s->nalloc < s->nelems) {
				s->counted_cycle = atomic_load(&mgc.sweepgen);
				charge(t, (uint64_t)(s->nelems - s->nalloc) * s->elemsize);
				return 0;
			}
		}
		release_span(t, spc);
	}
	s = take_avail(spc);
	for (int tries = 0; !s && tries < 64 && mgc_sweep_one(); tries++)
		s = take_avail(spc);
	if (!s) {
		int zeroed = 0;
		s = new_span(spc / 2, (int)(spc & 1), 0, &zeroed);
		if (!s)
			return -1;
	}
	s->counted_cycle = atomic_load(&mgc.sweepgen);
	t->cache[spc] = s;
	charge(t, (uint64_t)(s->nelems - s->nalloc) * s->elemsize);
	return 0;
}

/* Zeroes a slot handed out again; the small classes (most allocations)
 * without a call to memset. */
static inline void zero_slot(void *p, size_t n)
{
	if (n <= 64) {
		uint64_t *w = p;
		for (size_t k = 0; k < n / 8; k++)
			__atomic_store_n(&w[k], 0, __ATOMIC_RELAXED); /* not turned back into memset */
	} else {
		memset(p, 0, n);
	}
}

/* In t's crit section: a slot of s, or NULL when s is full. */
static void *take_slot(msrt_gcthread *t, msrt_gcspan *s)
{
	uint32_t i = s->freeindex;
	while (i < s->nelems) {
		unsigned w = i >> 6;
		uint64_t free = ~s->allocbits[w] & (~0ull << (i & 63));
		if (!free) {
			i = (w + 1) * 64;
			continue;
		}
		uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(free);
		if (slot >= s->nelems)
			break;
		uint64_t bit = 1ull << (slot & 63);
		__atomic_store_n(&s->allocbits[w], s->allocbits[w] | bit, __ATOMIC_RELAXED);
		s->freeindex = slot + 1;
		s->nalloc++;
		void *p = (void *)(s->base + (uintptr_t)slot * s->elemsize);
		if (slot < s->fresh_from)
			zero_slot(p, s->elemsize);
		else
			s->fresh_from = slot + 1;
		if (atomic_load_explicit(&mgc.phase, memory_order_relaxed) == MGC_MARK) {
			__atomic_fetch_or(&s->markbits[w], bit, __ATOMIC_RELAXED);
			t->black_bytes += s->elemsize;
		}
		return p;
	}
	s->freeindex = s->nelems;
	return NULL;
}

static void *alloc_large(msrt_gcthread *t, size_t size, int noscan)
{
	if (size > ((size_t)1 << 40)) {
		errno = ENOMEM;
		return NULL;
	}
	int zeroed = 0;
	msrt_gcspan *s = new_span(0, noscan, size, &zeroed);
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	if (!zeroed)
		memset((void *)s->base, 0, size); /* nobody can see it yet */
	s->counted_cycle = atomic_load(&mgc.sweepgen);
	charge(t, s->elemsize);
	for (;;) {
		mgc_ensure_swept(s);
		mgc_crit_enter(t);
		if (atomic_load(&s->sweepgen) == atomic_load(&mgc.sweepgen))
			break;
		mgc_crit_exit(t);
	}
	__atomic_store_n(&s->allocbits[0], 1, __ATOMIC_RELAXED);
	s->nalloc = 1;
	if (atomic_load_explicit(&mgc.phase, memory_order_relaxed) == MGC_MARK) {
		__atomic_fetch_or(&s->markbits[0], 1, __ATOMIC_RELAXED);
		t->black_bytes += s->elemsize;
	}
	mgc_crit_exit(t);
	pthread_mutex_lock(&mgc.lock);
	s->owned = 0;
	pthread_mutex_unlock(&mgc.lock);
	return (void *)s->base;
}

/* The heap profiler's countdown (mprof.c), outside the crit section. */
static __attribute__((noinline)) void sample_slow(void *p, size_t size, uintptr_t ret)
{
	msrt_mcache *c = msrt_tls_cache;
	if (!c && msrt_tls_state == MSRT_TLS_NONE)
		c = msrt_cache_create();
	if (c)
		msrt_prof_count(c, p, size, NULL, ret);
}

static inline void sample(void *p, size_t size, uintptr_t ret)
{
	msrt_mcache *c = msrt_tls_cache;
	if (msrt_likely(c && c->next_sample > (int64_t)size))
		c->next_sample -= (int64_t)size;
	else
		sample_slow(p, size, ret);
}

void *ms_alloc(size_t size, int flags)
{
	uintptr_t ret = (uintptr_t)__builtin_return_address(0);
	msrt_gcthread *t = msrt_tls_gct;
	if (msrt_unlikely(!t)) {
		if (ms_init() < 0 || !(t = mgc_attach(1))) {
			errno = ENOMEM;
			return NULL;
		}
	}
	int noscan = (flags & MS_NOSCAN) != 0;
	if (size == 0)
		size = 1;
	if (size > MSRT_MAX_SMALL_SIZE) {
		void *p = alloc_large(t, size, noscan);
		if (p)
			sample(p, size, ret);
		return p;
	}
	unsigned spc = msrt_size_class(size) * 2 + (unsigned)noscan;
	for (;;) {
		mgc_crit_enter(t);
		msrt_gcspan *s = t->cache[spc];
		if (msrt_likely(s && atomic_load_explicit(&s->sweepgen, memory_order_relaxed) ==
				atomic_load_explicit(&mgc.sweepgen, memory_order_relaxed))) {
			void *p = take_slot(t, s);
			if (p) {
				mgc_crit_exit(t);
				mgc_poll_flush(t);
				sample(p, size, ret);
				return p;
			}
		}
		mgc_crit_exit(t);
		if (refill(t, spc) < 0) {
			errno = ENOMEM;
			return NULL;
		}
	}
}

/* ---- the cycle -------------------------------------------------------------- */
MSRT_HIDDEN void msrt_gc_fmt_ms(char *out, uint64_t ns);
void msrt_gc_fmt_ms(char *out, uint64_t ns)
{
	/* Go's fmtNSAsMS: ≥ 10 ms whole ms; else two significant digits
	 * with at most three decimals; 0 µs → "0" */
	if (ns >= 10000000) {
		sprintf(out, "%llu", (unsigned long long)(ns / 1000000));
		return;
	}
	uint64_t x = ns / 1000;
	if (x == 0) {
		strcpy(out, "0");
		return;
	}
	int dec = 3;
	while (x >= 100) {
		x /= 10;
		dec--;
	}
	uint64_t p = dec == 3 ? 1000 : dec == 2 ? 100 : dec == 1 ? 10 : 1;
	if (dec == 0)
		sprintf(out, "%llu", (unsigned long long)x);
	else
		sprintf(out, "%llu.%0*llu", (unsigned long long)(x / p), dec, (unsigned long long)(x % p));
}

typedef struct cycle_record {
	uint64_t n, t_start_ns, stw1_ns, mark_ns, stw2_ns, assist_ns, bg_ns;
	uint64_t heap0, heap1, heap2, goal, stacks, globals;
	uint64_t max_pause_ns; /* longest single stop (c sums the STW 2 attempts) */
	uint64_t now_ns, gc_cpu_total; /* when P% is computed, and GC CPU up to then */
	uint64_t scan_work, bg_scan;   /* for the trace: all and background scan work */
	int forced;
} cycle_record;

static void print_gctrace(const cycle_record *r)
{
	if (mgc.gctrace_fd < 0)
		return;
	char a[32], b[32], c[32], d[32], e[32], f[32], h[32];
	msrt_gc_fmt_ms(a, r->stw1_ns);
	msrt_gc_fmt_ms(b, r->mark_ns);
	msrt_gc_fmt_ms(c, r->stw2_ns);
	msrt_gc_fmt_ms(d, r->stw1_ns * (uint64_t)mgc.ncpu);
	msrt_gc_fmt_ms(e, r->assist_ns);
	msrt_gc_fmt_ms(f, r->bg_ns);
	msrt_gc_fmt_ms(h, r->stw2_ns * (uint64_t)mgc.ncpu);
	uint64_t now = r->now_ns;
	double frac = now ? (double)r->gc_cpu_total / ((double)now * mgc.ncpu) : 0;
	uint64_t at_ms = r->t_start_ns / 1000000;
	char line[512];
	int n = snprintf(line, sizeof line,
		"gc %llu @%llu.%03llus %d%%: %s+%s+%s ms clock, %s+%s/%s/0+%s ms cpu, %llu->%llu->%llu MB, %llu MB goal, "
		"%llu MB stacks, %llu MB globals, %d P%s\n",
		(unsigned long long)r->n, (unsigned long long)(at_ms / 1000), (unsigned long long)(at_ms % 1000),
		(int)(frac * 100), a, b, c, d, e, f, h, (unsigned long long)(r->heap0 >> 20),
		(unsigned long long)(r->heap1 >> 20), (unsigned long long)(r->heap2 >> 20),
		(unsigned long long)(r->goal >> 20), (unsigned long long)(r->stacks >> 20),
		(unsigned long long)(r->globals >> 20), mgc.ncpu, r->forced ? " (forced)" : "");
	if (mgc.scavtrace && n > 0 && (size_t)n < sizeof line) {
		/* Go 1.21: scav B KiB work (bg), E KiB work (eager), N KiB now, U% util */
		ms_stats st;
		ms_read_stats(&st);
		uint64_t work = st.scavenged_total - mgc.last_scav_total;
		mgc.last_scav_total = st.scavenged_total;
		uint64_t retained = st.heap_sys - st.heap_released;
		n += snprintf(line + n, sizeof line - (size_t)n,
			"scav %llu KiB work (bg), 0 KiB work (eager), %llu KiB now, %llu%% util\n",
			(unsigned long long)(work >> 10), (unsigned long long)(st.heap_released >> 10),
			(unsigned long long)(retained ? st.heap_inuse * 100 / retained : 100));
	}
	if (n > 0 && (size_t)n < sizeof line) {
		ssize_t w = write(mgc.gctrace_fd, line, (size_t)n);
		(void)w;
	}
}

/* The cycle's 'G' record in the event trace (mgcevent.c). */
static void trace_cycle(const cycle_record *r)
{
	mgc_ev_cycle c = {
		.n = r->n, .at_ns = r->t_start_ns, .heap0 = r->heap0, .heap1 = r->heap1, .heap2 = r->heap2,
		.goal = r->goal, .stacks = r->stacks, .globals = r->globals, .assist_ns = r->assist_ns,
		.bg_ns = r->bg_ns, .gc_cpu_ns = r->gc_cpu_total, .now_ns = r->now_ns, .scan_work = r->scan_work,
		.assist_scan = r->scan_work - r->bg_scan, .forced = r->forced,
	};
	mgc_ev_cycle_end(&c);
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };
	nanosleep(&ts, NULL);
}

/* ---- the two stops: their work runs on whichever thread arrives last
 * (mstw.c), so it takes no lock a thread outside its crit sections may
 * hold and everything it needs comes through the context */
typedef struct cycle_ctx {
	cycle_record *r;
	int forced;
	int restart;           /* STW 2 found grey objects: mark on */
	uint64_t mark_start_ns; /* STW 1's release */
	uint64_t bg_cpu_ns;     /* the background worker's CPU so far */
	mgc_mem_snapshot mem;   /* for the memory-limit goal (taken before STW 2) */
} cycle_ctx;

/* STW 1, sweep termination: roots, barrier and black allocation on. */
static void stw1_work(void *arg)
{
	cycle_ctx *c = arg;
	cycle_record *r = c->r;
	r->forced = c->forced || mgc.forced_wanted;
	mgc.cycle_wanted = mgc.forced_wanted = 0; /* the driver holds cycle_lock */
	r->heap0 = atomic_load(&mgc.heap_live);
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next) {
		t->black_bytes = 0;
		t->gcw.marked_bytes = 0;
		t->gcw.scan_work = 0;
		t->assist_ns = 0;
		t->assist_wait_ns = 0;
	}
	driver_gcw.marked_bytes = driver_gcw.scan_work = 0;
	mgc.assist_ns_cycle = mgc.assist_wait_ns_cycle = 0;
	atomic_store(&mgc.scan_done, 0);
	atomic_fetch_add(&mgc.mark_gen, 1);
	mgc_mark_roots(&driver_gcw, &r->stacks, &r->globals);
	/* the roots' grey objects go where assists can take them: the stop's
	 * work usually runs on the mutator (mstw.c), and a loaded machine may
	 * not run the driver for milliseconds after the release — time in
	 * which assists found no work and, the worker idle, let their
	 * threads run to the goal unpaid. Beside a `make check`, 2 runs in
	 * 40 of tests/check_gcev.c's steady heap reached the goal with 3–7%
	 * of the cycle's scan work done; the worker's catching up past the
	 * goal then paid for up to 4% more heap. */
	mgc_gcw_flush(&driver_gcw);
	mgc_pacer_start_cycle(r->heap0, r->stacks, r->globals, r->forced);
	r->goal = mgc.pacer.heap_goal;
	atomic_store(&mgc.phase, MGC_MARK);
}

/* STW 2, mark termination: take every thread's grey buffer; none left →
 * barrier off, sweepgen += 2, heap_live = marked, and the pacer's next
 * goal and trigger before anybody allocates again (the driver holds
 * cycle_lock for the stop). */
static void stw2_work(void *arg)
{
	cycle_ctx *c = arg;
	cycle_record *r = c->r;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next)
		mgc_gcw_flush(&t->gcw);
	mgc_gcw_flush(&driver_gcw);
	c->restart = !mgc_work_empty();
	if (c->restart)
		return;
	uint64_t marked = driver_gcw.marked_bytes, scan = driver_gcw.scan_work, assist = mgc.assist_ns_cycle;
	uint64_t wait = mgc.assist_wait_ns_cycle;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next) {
		marked += t->gcw.marked_bytes + t->black_bytes;
		scan += t->gcw.scan_work;
		assist += t->assist_ns;
		wait += t->assist_wait_ns;
	}
	r->heap1 = atomic_load(&mgc.heap_live);
	r->heap2 = marked;
	r->scan_work = scan;
	r->bg_scan = driver_gcw.scan_work;
	r->assist_ns = assist;
	uint64_t now = msrt_nanotime();
	mgc_pacer_end_cycle(marked, r->heap1, scan, r->stacks, r->globals,
		now > c->mark_start_ns ? now - c->mark_start_ns : 0, c->bg_cpu_ns, assist, wait, &c->mem);
	atomic_store(&mgc.phase, MGC_OFF);
	atomic_store(&mgc.heap_live, marked);
	/* mgc.lock cannot be taken here (a stopped thread may hold it);
	 * nobody sweeps or appends to all[] with the world stopped */
	atomic_fetch_add(&mgc.sweepgen, 2);
	atomic_store(&mgc.sweep_next, 0);
	atomic_store(&mgc.sweep_end, atomic_load(&mgc.nall));
	msrt_prof_next_cycle(); /* later profile events count to the next cycle */
}

static void run_cycle(int forced)
{
	cycle_record r;
	memset(&r, 0, sizeof r);
	cycle_ctx c = { .r = &r, .forced = forced };
	mgc_finish_sweep();
	compact_all();
	mgc_globals_collect();

	/* ---- STW 1: sweep termination, roots, barrier on */
	pthread_mutex_lock(&mgc.cycle_lock); /* held for the stop: its work updates the pacer */
	mgc_ev_cycle_begin(); /* the pacer's trigger and goal, as the stop finds them */
	mgc_stw_times tm;
	mgc_stw(stw1_work, &c, &tm);
	pthread_cond_broadcast(&mgc.cycle_cond); /* threads waiting for the start */
	pthread_mutex_unlock(&mgc.cycle_lock);
	r.stw1_ns = mgc_stw_pause_ns(&tm);
	r.max_pause_ns = r.stw1_ns;
	r.t_start_ns = tm.end_ns - r.stw1_ns - mgc.start_ns;
	uint64_t t1 = tm.end_ns;
	c.mark_start_ns = t1;
	mgc_ev_stw(MGC_STW_SWEEP_TERM, t1 - r.stw1_ns, t1);

	/* ---- concurrent mark */
	double duty = 0.25 * mgc.ncpu;
	if (duty > 1)
		duty = 1;
	uint64_t bg_cpu = 0;
	int attempts = 0;
	for (;;) {
		uint64_t s0 = msrt_nanotime(), c0 = mgc_thread_cputime();
		uint64_t did = 0;
		atomic_store(&mgc.bg_draining, 1);
		while (msrt_nanotime() - s0 < 1000000) {
			uint64_t x = mgc_drain(&driver_gcw, NULL, 64 << 10);
			did += x;
			if (!x)
				break;
			mgc_assist_wake(0);
		}
		uint64_t c1 = mgc_thread_cputime();
		bg_cpu += c1 - c0;
		mgc_pacer_revise(atomic_load(&mgc.heap_live), atomic_load(&mgc.scan_done));
		/* bg_draining stays set while grey objects are in this thread's
		 * hands: an assist that finds no work and sees the worker idle
		 * takes the mark to be ending and, below the goal, lets its
		 * thread allocate on unpaid. Cleared before the flush, a
		 * preemption between the two (a loaded machine's time slice)
		 * let the mutator allocate unpaid for as long (a 2 ms delay
		 * put there moved the median cycle's end above its goal). */
		if (did) {
			uint64_t busy = msrt_nanotime() - s0;
			if (duty < 1) {
				/* the grey objects in hand go where assists can
				 * take them while this thread sleeps */
				mgc_gcw_flush(&driver_gcw);
				atomic_store(&mgc.bg_draining, 0);
				mgc_assist_wake(1);
				sleep_ns((uint64_t)((double)busy * (1 - duty) / duty));
			}
			continue;
		}
		atomic_store(&mgc.bg_draining, 0); /* nothing in hand: drain found no work */
		/* no work left here: ask every thread for its grey buffer
		 * (ragged barrier, up to 1 ms), mark on if that found work */
		uint32_t epoch = atomic_fetch_add(&mgc.flush_epoch, 1) + 1;
		uint64_t w0 = msrt_nanotime();
		int all_seen = 0;
		while (!all_seen && mgc_work_empty() && msrt_nanotime() - w0 < 1000000) {
			sleep_ns(20000);
			all_seen = 1;
			pthread_mutex_lock(&mgc_threads_lock);
			for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next)
				if (atomic_load(&t->flush_seen) != epoch)
					all_seen = 0;
			pthread_mutex_unlock(&mgc_threads_lock);
		}
		if (!mgc_work_empty())
			continue;
		/* try to terminate (STW 2) */
		c.bg_cpu_ns = bg_cpu;
		if (mgc.pacer.mem_limit != UINT64_MAX)
			mgc_pacer_mem_snapshot(&c.mem);
		pthread_mutex_lock(&mgc.cycle_lock);
		mgc_stw(stw2_work, &c, &tm);
		uint64_t p = mgc_stw_pause_ns(&tm);
		r.stw2_ns += p;
		if (p > r.max_pause_ns)
			r.max_pause_ns = p;
		if (c.restart) {
			pthread_mutex_unlock(&mgc.cycle_lock);
			mgc_ev_stw(MGC_STW_MARK_RESTART, tm.end_ns - p, tm.end_ns);
			if (++attempts > 4)
				sleep_ns(100000);
			continue;
		}
		mgc_ev_stw(MGC_STW_MARK_TERM, tm.end_ns - p, tm.end_ns);
		mgc_assist_wake(1); /* threads waiting in assists: the mark is over */
		r.bg_ns = bg_cpu;
		r.mark_ns = tm.end_ns - p > t1 ? tm.end_ns - p - t1 : 0;
		mgc.cycles_done++;
		r.n = mgc.cycles_done;
		pthread_mutex_unlock(&mgc.cycle_lock);
		break;
	}
	msrt_prof_flush_cycle();
	pthread_mutex_lock(&mgc.cycle_lock);
	mgc.pause_total_ns += r.stw1_ns + r.stw2_ns;
	if (r.max_pause_ns > mgc.pause_max_ns)
		mgc.pause_max_ns = r.max_pause_ns;
	uint64_t gc_cpu = (r.stw1_ns + r.stw2_ns) * (uint64_t)mgc.ncpu + r.assist_ns + r.bg_ns;
	mgc.gc_cpu_ns += gc_cpu;
	mgc_limiter_update(gc_cpu, msrt_nanotime());
	r.gc_cpu_total = mgc.gc_cpu_ns;
	r.now_ns = msrt_nanotime() - mgc.start_ns;
	pthread_mutex_unlock(&mgc.cycle_lock);
	print_gctrace(&r);
	trace_cycle(&r);
}

static void *driver_main(void *arg)
{
	(void)arg;
	msrt_tls_inprof = 1;
	for (;;) {
		pthread_mutex_lock(&mgc.cycle_lock);
		while (!mgc.cycle_wanted) {
			if (atomic_load(&mgc.sweep_next) < atomic_load(&mgc.sweep_end)) {
				pthread_mutex_unlock(&mgc.cycle_lock);
				for (int i = 0; i < 64 && mgc_sweep_one(); i++)
					;
				pthread_mutex_lock(&mgc.cycle_lock);
				continue;
			}
			pthread_cond_wait(&mgc.cycle_cond, &mgc.cycle_lock);
		}
		/* a request that the heap no longer justifies (one made against
		 * a trigger the settings have since moved) is dropped; threads
		 * waiting for the start see cycle_wanted clear */
		if (!mgc.forced_wanted &&
			atomic_load(&mgc.heap_live) < __atomic_load_n(&mgc.pacer.trigger, __ATOMIC_RELAXED)) {
			mgc.cycle_wanted = 0;
			pthread_cond_broadcast(&mgc.cycle_cond);
			pthread_mutex_unlock(&mgc.cycle_lock);
			continue;
		}
		/* the request stays set until STW 1 (run_cycle clears it), so
		 * allocations crossing the trigger meanwhile do not ask for a
		 * second cycle */
		pthread_mutex_unlock(&mgc.cycle_lock);
		run_cycle(0);
		if (mgc.pacer.mem_limit != UINT64_MAX) {
			mgc_finish_sweep();
			mgc_limit_scavenge();
		}
		pthread_mutex_lock(&mgc.cycle_lock);
		pthread_cond_broadcast(&mgc.cycle_cond);
		pthread_mutex_unlock(&mgc.cycle_lock);
	}
	return NULL;
}

void ms_gc(void)
{
	if (ms_init() < 0)
		return;
	pthread_mutex_lock(&mgc.cycle_lock);
	/* a cycle that starts after this call: wait for the one running (if
	 * any) and then one more */
	uint64_t target = mgc.cycles_done + (mgc.cycle_wanted ? 1 : 2);
	if (atomic_load(&mgc.phase) == MGC_OFF && !mgc.cycle_wanted)
		target = mgc.cycles_done + 1;
	mgc.cycle_wanted = 1;
	mgc.forced_wanted = 1;
	pthread_cond_broadcast(&mgc.cycle_cond);
	while (mgc.cycles_done < target)
		pthread_cond_wait(&mgc.cycle_cond, &mgc.cycle_lock);
	pthread_mutex_unlock(&mgc.cycle_lock);
	mgc_finish_sweep();
}

/* ---- statistics ----------------------------------------------------------------- */
void msrt_gc_read_stats(ms_stats *st)
{
	if (!__atomic_load_n(&mgc.enabled, __ATOMIC_ACQUIRE))
		return;
	uint64_t bytes = 0, objects = 0;
	pthread_mutex_lock(&mgc.lock);
	size_t n = atomic_load(&mgc.nall);
	for (size_t i = 0; i < n; i++) {
		msrt_gcspan *s = mgc_all_get(i);
		if (!s || s->large) /* large spans are in the heap's large counters */
			continue;
		uint32_t k = __atomic_load_n(&s->nalloc, __ATOMIC_RELAXED);
		bytes += (uint64_t)k * s->elemsize;
		objects += k;
	}
	pthread_mutex_unlock(&mgc.lock);
	st->heap_alloc += bytes;
	st->heap_objects += objects;
	pthread_mutex_lock(&mgc.cycle_lock);
	st->num_gc = mgc.cycles_done;
	st->pause_total_ns = mgc.pause_total_ns;
	st->pause_max_ns = mgc.pause_max_ns;
	st->next_gc = mgc.pacer.heap_goal;
	pthread_mutex_unlock(&mgc.cycle_lock);
}
