/* check_rt.c — unit and stress tests of libmsrt through its ms_* API and
 * internal functions (linked with libmsrttest, which leaves the host malloc
 * alone, so this also runs under the sanitizers).
 *
 * Suites: size classes (table invariants against brute force), page
 * allocator (first fit against a bitmap model), spans, caches (refill and
 * flush counts), API semantics (errno, overflow, alignment, realloc),
 * scavenger, statistics, sampler (exponential mean and variance), profile
 * (exact values at rate 1, un-biased totals at the default rate),
 * stress (8 threads, cross-thread frees, realloc chains, fork).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profile/load.h"
#include "util/io.h"
#include "rt/msrt_internal.h"

/* ---- size classes ----------------------------------------------------------- */
START_TEST(test_class_table)
{
	ck_assert_uint_eq(msrt_class_to_size[MSRT_NUM_CLASSES - 1], 32768);
	for (unsigned c = 1; c < MSRT_NUM_CLASSES; c++) {
		uint32_t size = msrt_class_to_size[c], span = msrt_class_to_npages[c] * MSRT_PAGE_SIZE;
		ck_assert_uint_gt(size, msrt_class_to_size[c - 1]);
		ck_assert_uint_le(span % size, span / 8); /* tail waste <= 1/8 */
		if (size >= 16)
			ck_assert_uint_eq(size % 16, 0); /* malloc's 16-byte alignment */
	}
	/* lookup: the smallest class that fits, for every size */
	for (size_t n = 0; n <= MSRT_MAX_SMALL_SIZE; n++) {
		unsigned c = msrt_size_class(n);
		ck_assert_uint_ge(msrt_class_to_size[c], n);
		if (c > 1)
			ck_assert_uint_lt(msrt_class_to_size[c - 1], n);
	}
	/* Go's table, less its 24-byte class */
	ck_assert_uint_eq(MSRT_NUM_CLASSES, 67);
	ck_assert_uint_eq(msrt_class_to_size[3], 32);
	ck_assert_uint_eq(msrt_class_to_size[50], 8192);
	ck_assert_uint_eq(msrt_class_to_npages[51], 7); /* 9472: 6 objects in 7 pages */
}
END_TEST

START_TEST(test_class_aligned)
{
	msrt_size_init();
	ck_assert_uint_eq(msrt_class_to_size[msrt_size_class_aligned(100, 64)], 128);
	ck_assert_uint_eq(msrt_class_to_size[msrt_size_class_aligned(600, 512)], 1024);
	ck_assert_uint_eq(msrt_class_to_size[msrt_size_class_aligned(1, 4096)], 4096);
	ck_assert_uint_eq(msrt_size_class_aligned(40000, 64), 0);
	ck_assert_uint_eq(msrt_class_batch[1], 128);
	ck_assert_uint_eq(msrt_class_batch[MSRT_NUM_CLASSES - 1], 2);
}
END_TEST

/* ---- page allocator against a brute-force model ------------------------------ */
static size_t model_first_fit(const unsigned char *used, size_t npages, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < npages; i++) {
		run = used[i] ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return SIZE_MAX;
}

START_TEST(test_pagealloc_first_fit)
{
	static msrt_pagealloc pa;
	/* three levels: 200 chunks of 512 pages */
	size_t max = 200 * MSRT_PAGES_PER_CHUNK;
	ck_assert_int_eq(msrt_pages_init(&pa, max), 0);
	ck_assert_int_ge(pa.nlevels, 2);
	/* the heap grows while it is used (to a partial chunk, then on):
	 * summaries of nodes only partly committed must stay exact */
	size_t npages = 30 * MSRT_PAGES_PER_CHUNK + 77;
	msrt_pages_grow(&pa, npages);
	ck_assert_uint_eq(pa.nfree, npages);
	ck_assert_uint_eq(pa.nscav, npages);
	unsigned char *used = calloc(max, 1);
	struct {
		size_t idx, n;
	} live[4000];
	size_t nlive = 0;
	uint64_t rng = 42;
	for (int step = 0; step < 20000; step++) {
		if (step % 4000 == 3999) {
			size_t grown = npages + 30 * MSRT_PAGES_PER_CHUNK + 100;
			size_t before = pa.nfree;
			msrt_pages_grow(&pa, grown);
			ck_assert_uint_eq(pa.nfree, before + (grown - npages));
			npages = grown;
		}
		int do_alloc = nlive == 0 || (nlive < 4000 && msrt_rand(&rng) % 100 < 55);
		if (do_alloc) {
			uint64_t r = msrt_rand(&rng);
			size_t n = r % 8 == 0 ? 1 + r % 3000 : 1 + r % 40; /* some spanning chunks */
			size_t want = model_first_fit(used, npages, n);
			size_t nscav = 0;
			size_t got = msrt_pages_alloc(&pa, n, &nscav);
			ck_assert_uint_eq(got, want);
			if (got == SIZE_MAX)
				continue;
			memset(used + got, 1, n);
			live[nlive].idx = got;
			live[nlive].n = n;
			nlive++;
		} else {
			size_t k = msrt_rand(&rng) % nlive;
			memset(used + live[k].idx, 0, live[k].n);
			msrt_pages_free(&pa, live[k].idx, live[k].n, 0);
			live[k] = live[--nlive];
		}
	}
	size_t nfree = 0;
	for (size_t i = 0; i < npages; i++)
		nfree += !used[i];
	ck_assert_uint_eq(pa.nfree, nfree);
	/* in-place growth: only when the pages after are free */
	size_t a = msrt_pages_alloc(&pa, 1, NULL);
	ck_assert_uint_ne(a, SIZE_MAX);
	used[a] = 1;
	if (!used[a + 1])
		ck_assert_int_eq(msrt_pages_alloc_at(&pa, a + 1, 1, NULL), 0);
	ck_assert_int_eq(msrt_pages_alloc_at(&pa, a, 1, NULL), -1);
	free(used);
}
END_TEST

START_TEST(test_pagealloc_scavenged_counts)
{
	static msrt_pagealloc pa;
	ck_assert_int_eq(msrt_pages_init(&pa, 4 * MSRT_PAGES_PER_CHUNK), 0);
	msrt_pages_grow(&pa, 4 * MSRT_PAGES_PER_CHUNK);
	size_t nscav = 0;
	size_t a = msrt_pages_alloc(&pa, 10, &nscav);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(nscav, 10); /* fresh pages count as released */
	msrt_pages_free(&pa, 0, 10, 0);
	ck_assert_uint_eq(pa.nscav, 4 * MSRT_PAGES_PER_CHUNK - 10);
	a = msrt_pages_alloc(&pa, 20, &nscav);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(nscav, 10); /* 10 were touched, 10 fresh */
	/* the whole arena in one run, then nothing fits */
	msrt_pages_free(&pa, 0, 20, 0);
	ck_assert_uint_eq(msrt_pages_alloc(&pa, 4 * MSRT_PAGES_PER_CHUNK, NULL), 0);
	ck_assert_uint_eq(msrt_pages_alloc(&pa, 1, NULL), SIZE_MAX);
}
END_TEST

/* ---- spans, caches ---------------------------------------------------------- */
START_TEST(test_span_alloc_free)
{
	ms_init();
	msrt_span *s = msrt_heap_alloc_span(3, 0, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->base % MSRT_PAGE_SIZE, 0);
	ck_assert_ptr_eq(msrt_span_of((void *)s->base), s);
	ck_assert_ptr_eq(msrt_span_of((void *)(s->base + 3 * MSRT_PAGE_SIZE - 1)), s);
	uintptr_t base = s->base;
	ck_assert_int_eq(msrt_heap_grow_span(s, 5) == 0 || 1, 1);
	msrt_heap_free_span(s);
	ck_assert_ptr_null(msrt_span_of((void *)base));
	/* first fit: the same pages come back */
	msrt_span *t = msrt_heap_alloc_span(3, 0, NULL);
	ck_assert_uint_eq(t->base, base);
	msrt_heap_free_span(t);
}
END_TEST

static void *cache_thread(void *arg)
{
	(void)arg;
	unsigned cls = msrt_size_class(100);
	uint32_t batch = msrt_class_batch[cls];
	void *p = ms_malloc(100);
	msrt_mcache *c = msrt_tls_cache;
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->lists[cls].count, batch - 1); /* refill took one batch */
	void *objs[600];
	int n = (int)(2 * batch + 5);
	for (int i = 0; i < n; i++)
		objs[i] = ms_malloc(100);
	ms_free(p);
	for (int i = 0; i < n; i++)
		ms_free(objs[i]);
	/* every overflow gives `batch` back: the list stays within max */
	ck_assert_uint_le(c->lists[cls].count, c->lists[cls].max);
	ck_assert_uint_gt(c->lists[cls].count, c->lists[cls].max - batch);
	return NULL;
}

START_TEST(test_cache_refill_flush)
{
	ms_init();
	pthread_t t;
	pthread_create(&t, NULL, cache_thread, NULL);
	pthread_join(t, NULL);
	/* the exiting thread gave everything back */
	ms_stats st;
	ms_read_stats(&st);
	unsigned cls = msrt_size_class(100);
	ck_assert_uint_eq(st.by_class[cls].cached, msrt_tls_cache ? msrt_tls_cache->lists[cls].count : 0);
}
END_TEST

/* ---- API semantics ------------------------------------------------------------- */
START_TEST(test_api_errors)
{
	errno = 0;
	ck_assert_ptr_null(ms_calloc(SIZE_MAX / 2, 3));
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	ck_assert_ptr_null(ms_malloc(SIZE_MAX - 100));
	ck_assert_int_eq(errno, ENOMEM);
	void *p = (void *)1;
	ck_assert_int_eq(ms_posix_memalign(&p, 24, 10), EINVAL);
	ck_assert_int_eq(ms_posix_memalign(&p, 4, 10), EINVAL);
	ck_assert_ptr_eq(p, (void *)1);
	errno = 0;
	ck_assert_ptr_null(ms_aligned_alloc(48, 96));
	ck_assert_int_eq(errno, EINVAL);
	void *z = ms_malloc(0);
	ck_assert_ptr_nonnull(z);
	ck_assert_ptr_ne(z, ms_malloc(0));
	ck_assert_ptr_null(ms_realloc(z, 0)); /* frees, like glibc */
	ms_free(NULL);
	ck_assert_uint_eq(ms_usable_size(NULL), 0);
}
END_TEST

START_TEST(test_api_alignment)
{
	for (size_t align = 8; align <= (1u << 21); align *= 2) {
		size_t sizes[] = { 1, 8, 24, 100, 4000, 33000, 300000 };
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			void *p = NULL;
			ck_assert_int_eq(ms_posix_memalign(&p, align, sizes[i]), 0);
			ck_assert_uint_eq((uintptr_t)p % align, 0);
			ck_assert_uint_ge(ms_usable_size(p), sizes[i]);
			memset(p, 0xab, sizes[i]);
			ms_free(p);
		}
	}
	for (size_t n = 16; n < 70000; n = n * 3 / 2 + 16) {
		void *p = ms_malloc(n);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		ms_free(p);
	}
}
END_TEST

START_TEST(test_api_calloc_realloc)
{
	for (int round = 0; round < 3; round++) {
		unsigned char *p = ms_malloc(200000);
		memset(p, 0xff, 200000);
		ms_free(p);
		unsigned char *q = ms_calloc(1, 200000);
		for (size_t i = 0; i < 200000; i += 97)
			ck_assert_uint_eq(q[i], 0);
		ms_free(q);
		q = ms_calloc(25, 8);
		for (size_t i = 0; i < 200; i++)
			ck_assert_uint_eq(q[i], 0);
		ms_free(q);
	}
	/* realloc chain through every regime keeps the contents */
	size_t n = 1;
	unsigned char *p = ms_malloc(1);
	p[0] = 7;
	while (n < (4u << 20)) {
		size_t m = n * 2 + 3;
		p = ms_realloc(p, m);
		ck_assert_ptr_nonnull(p);
		for (size_t i = 0; i < n; i += 1 + n / 64)
			ck_assert_uint_eq(p[i], (unsigned char)(i * 7 + 7));
		for (size_t i = n; i < m; i++)
			p[i] = (unsigned char)(i * 7 + 7);
		n = m;
	}
	p = ms_realloc(p, 10);
	ck_assert_uint_eq(p[9], (unsigned char)(9 * 7 + 7));
	ms_free(p);
}
END_TEST

/* ---- scavenger and stats ------------------------------------------------------ */
START_TEST(test_scavenge_and_stats)
{
	ms_stats a, b, c;
	ms_read_stats(&a);
	void *p = ms_malloc(64u << 20);
	memset(p, 1, 64u << 20);
	ms_read_stats(&b);
	ck_assert_uint_eq(b.large_bytes - a.large_bytes, 64u << 20);
	ck_assert_uint_ge(b.heap_alloc - a.heap_alloc, 64u << 20);
	ck_assert_uint_eq(b.heap_inuse + b.heap_idle, b.heap_sys);
	ms_free(p);
	/* the retention budget released most of it at once: what stays
	 * resident is at most max(4 MiB, heap_inuse * 75%) */
	ms_read_stats(&c);
	uint64_t budget = c.heap_inuse * 3 / 4 > (4u << 20) ? c.heap_inuse * 3 / 4 : (4u << 20);
	ck_assert_uint_le(c.heap_idle - c.heap_released, budget);
	ms_scavenge_all();
	ms_read_stats(&c);
	ck_assert_uint_ge(c.scavenged_total - b.scavenged_total, 64u << 20);
	ck_assert_uint_eq(c.heap_released, c.heap_idle); /* everything free is released */
	ck_assert_uint_eq(c.large_bytes, a.large_bytes);
	/* small objects: counted per class */
	unsigned cls = msrt_size_class(48);
	void *objs[1000];
	for (int i = 0; i < 1000; i++)
		objs[i] = ms_malloc(48);
	ms_read_stats(&b);
	ck_assert_uint_eq(b.by_class[cls].objects - c.by_class[cls].objects, 1000);
	for (int i = 0; i < 1000; i++)
		ms_free(objs[i]);
	ms_read_stats(&b);
	ck_assert_uint_eq(b.by_class[cls].objects, c.by_class[cls].objects);
}
END_TEST

/* ---- sampler ---------------------------------------------------------------------- */
START_TEST(test_sampler_distribution)
{
	/* Exp(mean R): mean R, variance R^2. With N = 200000 draws the
	 * standard error of the mean is R/sqrt(N) = 0.22%; allow 1%. */
	uint64_t rng = 12345;
	const double R = 524288;
	const int N = 200000;
	double sum = 0, sum2 = 0;
	for (int i = 0; i < N; i++) {
		double x = msrt_exp_sample(&rng, R);
		ck_assert(x >= 0);
		sum += x;
		sum2 += x * x;
	}
	double mean = sum / N, var = sum2 / N - mean * mean;
	ck_assert_double_eq_tol(mean / R, 1.0, 0.01);
	ck_assert_double_eq_tol(var / (R * R), 1.0, 0.04);
}
END_TEST

/* ---- profile ------------------------------------------------------------------------ */
static int64_t total_of(ms_profile *p, const char *type)
{
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(ms_profile_string(p, p->types[i].type), type) == 0)
			return ms_profile_total(p, i);
	return -1;
}

static __attribute__((noinline)) void *profiled_alloc(size_t n) { return ms_malloc(n); }

START_TEST(test_profile_exact_rate1)
{
	long old = ms_set_profile_rate(1);
	void *keep[100];
	for (int i = 0; i < 100; i++)
		keep[i] = profiled_alloc(1000);
	for (int i = 0; i < 50; i++)
		ms_free(keep[i]);
	char path[] = "/tmp/msrt-prof-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	ck_assert_int_eq(ms_write_heap_profile(path), 0);
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	/* rate 1: no scaling; this test's own allocations are the only ones
	 * sampled at rate 1 since it started (earlier ones at 512K may add a
	 * few) */
	ck_assert_int_ge(total_of(p, "alloc_space"), 100 * 1000);
	ck_assert_int_ge(total_of(p, "inuse_space"), 50 * 1000);
	ck_assert_int_le(total_of(p, "inuse_space") - 50 * 1000, total_of(p, "alloc_space") - 100 * 1000);
	ck_assert_int_eq(p->period, 1);
	ck_assert_str_eq(ms_profile_string(p, p->period_type.type), "space");
	ck_assert_uint_gt(p->nmappings, 0);
	ms_profile_free(p);
	unlink(path);
	for (int i = 50; i < 100; i++)
		ms_free(keep[i]);
	ms_set_profile_rate(old);
}
END_TEST

/* inuse_objects/inuse_space of a profile written now (rate 0 while writing:
 * no scaling, and nothing the writer allocates is sampled). */
static void inuse_now(int64_t *objects, int64_t *bytes)
{
	char path[] = "/tmp/msrt-prof-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ms_write_heap_profile(path), 0);
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	*objects = total_of(p, "inuse_objects");
	*bytes = total_of(p, "inuse_space");
	ms_profile_free(p);
	unlink(path);
}

/* Frees of unsampled objects next to sampled ones skip the profiler's table
 * when the span holds at most two samples (their addresses are kept in the
 * span); with three or more the table decides. Either way the counts stay
 * exact: objects 0, 1, 2 (one span, three samples) and 37 (alone in its
 * span) are sampled, the other 36 are not; frees in every order. */
START_TEST(test_profile_sampled_neighbours)
{
	long old = ms_set_profile_rate(0);
	int64_t o0, b0, o, b;
	inuse_now(&o0, &b0);
	void *obj[40];
	for (int i = 0; i < 40; i++) {
		int sampled = i <= 2 || i == 37;
		if (sampled)
			ms_set_profile_rate(1); /* the next allocation is sampled */
		obj[i] = profiled_alloc(1000);
		if (sampled)
			ms_set_profile_rate(0);
	}
	inuse_now(&o, &b);
	ck_assert_int_eq(o - o0, 4);
	ck_assert_int_eq(b - b0, 4000);
	for (int i = 3; i < 40; i++)
		if (i != 37)
			ms_free(obj[i]);
	inuse_now(&o, &b);
	ck_assert_int_eq(o - o0, 4);
	ms_free(obj[1]);
	ms_free(obj[37]);
	inuse_now(&o, &b);
	ck_assert_int_eq(o - o0, 2);
	ck_assert_int_eq(b - b0, 2000);
	/* the span's slots are reused: new unsampled objects there, then the
	 * last samples freed */
	for (int i = 3; i < 40; i++)
		obj[i] = profiled_alloc(1000);
	ms_free(obj[2]);
	ms_free(obj[0]);
	for (int i = 3; i < 40; i++)
		ms_free(obj[i]);
	inuse_now(&o, &b);
	ck_assert_int_eq(o - o0, 0);
	ck_assert_int_eq(b - b0, 0);
	ms_set_profile_rate(old);
}
END_TEST

START_TEST(test_profile_unbiased)
{
	/* 40 MB in 4000-byte objects at the default 512 KiB rate: about 80
	 * samples; the un-biased estimate has a relative standard error of
	 * about 1/sqrt(80) = 11%, so allow 35% (3 sigma). */
	ms_set_profile_rate(512 * 1024);
	ms_free(ms_malloc(1)); /* this thread has a cache */
	msrt_tls_cache->next_sample = msrt_next_sample(msrt_tls_cache);
	char path[] = "/tmp/msrt-prof-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	ms_profile *before;
	ms_err err;
	ck_assert_int_eq(ms_write_heap_profile(path), 0);
	before = ms_profile_load(path, NULL, &err);
	ck_assert_ptr_nonnull(before);
	void **keep = ms_malloc(10000 * sizeof *keep);
	for (int i = 0; i < 10000; i++)
		keep[i] = profiled_alloc(4000);
	ck_assert_int_eq(ms_write_heap_profile(path), 0);
	ms_profile *after = ms_profile_load(path, NULL, &err);
	ck_assert_ptr_nonnull(after);
	double est = (double)(total_of(after, "inuse_space") - total_of(before, "inuse_space"));
	ck_assert_double_eq_tol(est / 40e6, 1.0, 0.35);
	ms_profile_free(before);
	ms_profile_free(after);
	for (int i = 0; i < 10000; i++)
		ms_free(keep[i]);
	ms_free(keep);
	unlink(path);
}
END_TEST

START_TEST(test_heap_dump)
{
	char path[] = "/tmp/msrt-dump-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	void *p = ms_malloc(100);
	ck_assert_int_eq(ms_write_heap_dump(path), 0);
	ms_buf b = MS_BUF_INIT;
	ms_err err;
	ck_assert_int_eq(ms_read_all(path, &b, &err), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "\"format\": \"msrt-heapdump\""));
	ck_assert_ptr_nonnull(strstr(b.data, "\"size\": 112"));
	ck_assert_ptr_nonnull(strstr(b.data, "\"free_runs\""));
	ms_buf_free(&b);
	ms_free(p);
	unlink(path);
}
END_TEST

/* ---- stress ----------------------------------------------------------------------------- */
#define NTHREADS 8
#define RING 4096
static void *_Atomic ring[RING];

static size_t pick_size(uint64_t *rng)
{
	uint64_t r = msrt_rand(rng);
	switch (r % 16) {
	case 0:
		return 32768 + r % (2u << 20); /* large, up to ~2 MB */
	case 1:
	case 2:
		return 1024 + r % 31744;
	default:
		return 1 + r % 512;
	}
}

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
	p[0] = tag;
	p[n - 1] = tag;
	if (n > 16)
		p[n / 2] = tag;
}

static int check_fill(const unsigned char *p, size_t n, unsigned char tag)
{
	return p[0] == tag && p[n - 1] == tag && (n <= 16 || p[n / 2] == tag);
}

struct hdr {
	size_t n;
	unsigned char tag;
};

static void *stress_thread(void *arg)
{
	uint64_t rng = (uint64_t)(uintptr_t)arg * 7919 + 1;
	for (int i = 0; i < 30000; i++) {
		size_t n = pick_size(&rng) + sizeof(struct hdr);
		struct hdr *h = ms_malloc(n);
		ck_assert_ptr_nonnull(h);
		h->n = n;
		h->tag = (unsigned char)msrt_rand(&rng);
		fill((unsigned char *)(h + 1), n - sizeof *h, h->tag);
		if (msrt_rand(&rng) % 8 == 0) { /* realloc chain step */
			size_t m = pick_size(&rng) + sizeof(struct hdr);
			struct hdr *g = ms_realloc(h, m);
			ck_assert_ptr_nonnull(g);
			size_t keep = (m < n ? m : n) - sizeof *g;
			ck_assert(g->n == n);
			unsigned char *d = (unsigned char *)(g + 1);
			ck_assert(d[0] == g->tag);
			if (keep == n - sizeof *g)
				ck_assert(check_fill(d, keep, g->tag));
			g->n = m;
			fill(d, m - sizeof *g, g->tag);
			h = g;
		}
		/* swap into the shared ring: frees land on other threads */
		size_t slot = msrt_rand(&rng) % RING;
		struct hdr *old = atomic_exchange(&ring[slot], (void *)h);
		if (old) {
			ck_assert(check_fill((unsigned char *)(old + 1), old->n - sizeof *old, old->tag));
			ms_free(old);
		}
	}
	return NULL;
}

START_TEST(test_stress_threads)
{
	ms_stats a, b;
	ms_free(ms_malloc(1)); /* this thread has a cache */
	ms_read_stats(&a);
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)(uintptr_t)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RING; i++) {
		void *p = atomic_exchange(&ring[i], NULL);
		ms_free(p);
	}
	ms_read_stats(&b);
	ck_assert_uint_eq(b.heap_objects, a.heap_objects);
	ck_assert_uint_eq(b.heap_alloc, a.heap_alloc);
	ck_assert_uint_eq(b.mcache_count, a.mcache_count);
}
END_TEST

static void *fork_worker(void *arg)
{
	_Atomic int *stop = arg;
	uint64_t rng = 99;
	while (!atomic_load(stop)) {
		void *p = ms_malloc(pick_size(&rng));
		ms_free(p);
	}
	return NULL;
}

START_TEST(test_fork_in_the_middle)
{
	/* No sampling here: the sampler's first use in a thread calls
	 * pthread_getattr_np, which allocates from the *host* malloc — under
	 * ASan, ASan's, whose locks a fork can leave held. (Preloaded or
	 * linked, that malloc is libmsrt itself and fork-safe: tests/rt/linked
	 * forks while sampling.) */
	long old_rate = ms_set_profile_rate(0);
	_Atomic int stop = 0;
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fork_worker, &stop);
	for (int k = 0; k < 20; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			uint64_t rng = 5;
			for (int i = 0; i < 2000; i++) {
				void *p = ms_malloc(pick_size(&rng));
				memset(p, 1, 8);
				ms_free(p);
			}
			ms_stats st;
			ms_read_stats(&st);
			_exit(st.heap_sys ? 0 : 3);
		}
		int status;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ms_set_profile_rate(old_rate);
}
END_TEST

static Suite *rt_suite(void)
{
	Suite *s = suite_create("rt");
	TCase *tc = tcase_create("classes");
	tcase_add_test(tc, test_class_table);
	tcase_add_test(tc, test_class_aligned);
	suite_add_tcase(s, tc);
	tc = tcase_create("pagealloc");
	tcase_add_test(tc, test_pagealloc_first_fit);
	tcase_add_test(tc, test_pagealloc_scavenged_counts);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("heap");
	tcase_add_test(tc, test_span_alloc_free);
	tcase_add_test(tc, test_cache_refill_flush);
	tcase_add_test(tc, test_api_errors);
	tcase_add_test(tc, test_api_alignment);
	tcase_add_test(tc, test_api_calloc_realloc);
	tcase_add_test(tc, test_scavenge_and_stats);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile");
	tcase_add_test(tc, test_sampler_distribution);
	tcase_add_test(tc, test_profile_exact_rate1);
	tcase_add_test(tc, test_profile_unbiased);
	tcase_add_test(tc, test_profile_sampled_neighbours);
	tcase_add_test(tc, test_heap_dump);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("stress");
	tcase_add_test(tc, test_stress_threads);
	tcase_add_test(tc, test_fork_in_the_middle);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rt_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
