/* mdump.c — the heap dump: a JSON picture of the heap's layout for
 * `memscope frag` — per size class spans and objects, the page heap's free
 * runs (with how much of each is released), and totals. Written with a
 * tiny printf-into-mmap'd-buffer writer (no jansson in the runtime).
 * The format (version 2) is documented in memscope(1), RUNTIME HEAP DUMP.
 *
 * Version 2 added (version 1 readers ignore them, readers of 2 accept 1):
 *   - totals.rss: the process's resident set (/proc/self/statm, field 2),
 *   - per class span_occupancy[10]: spans by the share of their slots
 *     handed out (live or in a thread cache), in tenths: bucket
 *     i = min(9, floor(10 · alloc_count / nelems)); one walk of the
 *     page → span table with every mcentral lock and the mheap lock held,
 *   - per class requested_live / requested_sampled: the bytes the program
 *     asked for, estimated from the profiler's buckets (sampled objects,
 *     requested sizes) un-biased like the profile writer does:
 *         objs  = Σ_b (allocs−frees)_b / p_b,  bytes = Σ_b (bytes live)_b / p_b,
 *         p_b   = 1 − exp(−avg_b / rate)   (1 at rate 1)
 *         requested_live = objects_live · bytes / objs
 *     (exact at rate 1; left out when no live object of the class was
 *     sampled),
 *   - large.requested: the requested bytes of the live large objects
 *     (exact: each large span keeps its request),
 *   - class_sizes: the runtime's whole size-class table (index = class),
 *   - scavenger: its settings, so advice can name them.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt/msrt_internal.h"
#include "util/heapsample.h"

#define MAX_RUNS 100000

struct runs_arg {
	msrt_buf *b;
	size_t n, total_runs;
};

static void add_run(void *arg, size_t idx, size_t npages, size_t nscav)
{
	struct runs_arg *ra = arg;
	ra->total_runs++;
	if (ra->n >= MAX_RUNS)
		return;
	msrt_buf_addf(ra->b, "%s\n    {\"page\": %zu, \"pages\": %zu, \"released_pages\": %zu}", ra->n ? "," : "", idx,
		npages, nscav);
	ra->n++;
}

/* Resident set size in bytes, 0 when /proc is not there. No stdio: this
 * runs inside the allocator's process without using it. */
static uint64_t read_rss(void)
{
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[128];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	const char *p = buf;
	while (*p && *p != ' ') /* skip "size" */
		p++;
	uint64_t pages = 0;
	for (p++; *p >= '0' && *p <= '9'; p++)
		pages = pages * 10 + (uint64_t)(*p - '0');
	long psz = sysconf(_SC_PAGESIZE);
	return pages * (uint64_t)(psz > 0 ? psz : 4096);
}

/* What the dump needs beyond ms_read_stats: occupancy histograms and the
 * requested bytes of large objects (one walk of the span table), and the
 * requested-size estimate per class (the profiler's buckets). */
struct dump_extra {
	uint64_t occupancy[MSRT_NUM_CLASSES][10];
	uint64_t large_requested;
	double req_objs[MSRT_NUM_CLASSES], req_bytes[MSRT_NUM_CLASSES];
	uint64_t req_sampled[MSRT_NUM_CLASSES];
};

static void walk_spans(struct dump_extra *x)
{
	msrt_heap_t *h = &msrt_heap;
	/* lock order: mcentral[c] ascending, then mheap (nobody holds two
	 * mcentral locks, so taking them all in order cannot deadlock) */
	for (unsigned k = 1; k < MSRT_NUM_CLASSES; k++)
		pthread_mutex_lock(&h->central[k].lock);
	pthread_mutex_lock(&h->lock);
	size_t npages = msrt_heap_committed() >> MSRT_PAGE_SHIFT;
	for (size_t i = 0; i < npages;) {
		const msrt_span *s = h->spans[i];
		if (!s || s->npages == 0) {
			i++;
			continue;
		}
		unsigned k = s->sizeclass;
		if (k == 0) {
			x->large_requested += s->large_size;
		} else if (k < MSRT_NUM_CLASSES && !s->gcs) { /* GC spans keep no alloc_count */
			/* nelems from the table: a span just taken from mheap may
			 * not have its fields set yet */
			uint64_t nelems = ((uint64_t)msrt_class_to_npages[k] << MSRT_PAGE_SHIFT) / msrt_class_to_size[k];
			uint64_t used = s->alloc_count < nelems ? s->alloc_count : nelems;
			uint64_t bucket = nelems ? used * 10 / nelems : 0;
			x->occupancy[k][bucket > 9 ? 9 : bucket]++;
		}
		i += s->npages;
	}
	pthread_mutex_unlock(&h->lock);
	for (unsigned k = MSRT_NUM_CLASSES - 1; k >= 1; k--)
		pthread_mutex_unlock(&h->central[k].lock);
}

static void estimate_requested(struct dump_extra *x)
{
	long rate = atomic_load(&msrt_prof_rate);
	pthread_mutex_lock(&msrt_prof_lock);
	for (const msrt_bucket *b = msrt_buckets_all; b; b = b->allnext) {
		if (b->elemsize == 0 || b->elemsize > MSRT_MAX_SMALL_SIZE || !b->allocs || b->allocs < b->frees ||
			b->alloc_bytes < b->free_bytes)
			continue;
		unsigned k = msrt_size_class(b->elemsize);
		if (k == 0 || k >= MSRT_NUM_CLASSES || msrt_class_to_size[k] != b->elemsize)
			continue;
		uint64_t live = b->allocs - b->frees, bytes = b->alloc_bytes - b->free_bytes;
		double scale = ms_heap_sample_factor((double)b->alloc_bytes / (double)b->allocs, rate < 0 ? 0 : (uint64_t)rate);
		x->req_objs[k] += (double)live * scale;
		x->req_bytes[k] += (double)bytes * scale;
		x->req_sampled[k] += live;
	}
	pthread_mutex_unlock(&msrt_prof_lock);
}

static int encode(msrt_buf *b)
{
	ms_stats st;
	ms_read_stats(&st);
	struct dump_extra extra, *x = &extra; /* ~7 KiB */
	memset(x, 0, sizeof *x);
	walk_spans(x);
	estimate_requested(x);
	uint64_t rss = read_rss();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	msrt_buf_addf(b, "{\n  \"format\": \"msrt-heapdump\",\n  \"version\": 2,\n  \"pid\": %d,\n  \"time_ns\": %llu,\n",
		(int)getpid(), (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
	msrt_buf_addf(b, "  \"page_size\": %d,\n  \"arena_start\": %llu,\n", MSRT_PAGE_SIZE,
		(unsigned long long)msrt_heap.arena_start);
	msrt_buf_addf(b,
		"  \"totals\": {\"heap_sys\": %llu, \"heap_inuse\": %llu, \"heap_idle\": %llu, \"heap_released\": %llu, "
		"\"heap_alloc\": %llu, \"heap_objects\": %llu, \"total_alloc\": %llu, \"mallocs\": %llu, \"frees\": %llu, "
		"\"metadata_sys\": %llu, \"mspan_inuse\": %llu, \"mcache_count\": %llu, \"rss\": %llu},\n",
		(unsigned long long)st.heap_sys, (unsigned long long)st.heap_inuse, (unsigned long long)st.heap_idle,
		(unsigned long long)st.heap_released, (unsigned long long)st.heap_alloc,
		(unsigned long long)st.heap_objects, (unsigned long long)st.total_alloc,
		(unsigned long long)st.mallocs, (unsigned long long)st.frees, (unsigned long long)st.metadata_sys,
		(unsigned long long)st.mspan_inuse, (unsigned long long)st.mcache_count, (unsigned long long)rss);
	msrt_buf_addf(b, "  \"scavenger\": {\"enabled\": %s, \"delay_ms\": %llu, \"retain_percent\": %d},\n",
		msrt_opts.scavenge ? "true" : "false", (unsigned long long)(msrt_opts.scavenge_delay * 1000 + 0.5),
		msrt_opts.scavenge_retain);
	msrt_buf_addf(b, "  \"class_sizes\": [0");
	for (unsigned k = 1; k < MSRT_NUM_CLASSES; k++)
		msrt_buf_addf(b, ", %u", msrt_class_to_size[k]);
	msrt_buf_addf(b, "],\n");
	msrt_buf_addf(b, "  \"size_classes\": [");
	int first = 1;
	for (unsigned k = 1; k < st.nclasses; k++) {
		const ms_size_class_stats *cs = &st.by_class[k];
		if (!cs->spans && !cs->mallocs)
			continue;
		uint64_t slots = cs->spans * ((uint64_t)cs->span_pages * MSRT_PAGE_SIZE / cs->size);
		uint64_t live = cs->objects;
		msrt_buf_addf(b,
			"%s\n    {\"class\": %u, \"size\": %u, \"span_pages\": %u, \"spans\": %llu, \"objects_live\": %llu, "
			"\"objects_cached\": %llu, \"objects_free\": %llu, \"bytes_live\": %llu, \"bytes_spans\": %llu, "
			"\"mallocs\": %llu, \"frees\": %llu",
			first ? "" : ",", k, cs->size, cs->span_pages, (unsigned long long)cs->spans,
			(unsigned long long)live, (unsigned long long)cs->cached,
			(unsigned long long)(slots > live ? slots - live : 0), (unsigned long long)(live * cs->size),
			(unsigned long long)(cs->spans * cs->span_pages * MSRT_PAGE_SIZE), (unsigned long long)cs->mallocs,
			(unsigned long long)cs->frees);
		if (k < MSRT_NUM_CLASSES) {
			const uint64_t *o = x->occupancy[k];
			msrt_buf_addf(b, ",\n     \"span_occupancy\": [%llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu]",
				(unsigned long long)o[0], (unsigned long long)o[1], (unsigned long long)o[2],
				(unsigned long long)o[3], (unsigned long long)o[4], (unsigned long long)o[5],
				(unsigned long long)o[6], (unsigned long long)o[7], (unsigned long long)o[8],
				(unsigned long long)o[9]);
			if (x->req_sampled[k] && x->req_objs[k] > 0) {
				double est = (double)live * x->req_bytes[k] / x->req_objs[k];
				double cap = (double)live * cs->size;
				msrt_buf_addf(b, ", \"requested_live\": %llu, \"requested_sampled\": %llu",
					(unsigned long long)(est < cap ? est + 0.5 : cap),
					(unsigned long long)x->req_sampled[k]);
			}
		}
		msrt_buf_addf(b, "}");
		first = 0;
	}
	msrt_buf_addf(b, "\n  ],\n  \"large\": {\"objects\": %llu, \"bytes\": %llu, \"requested\": %llu},\n",
		(unsigned long long)st.large_objects, (unsigned long long)st.large_bytes,
		(unsigned long long)x->large_requested);
	msrt_buf_addf(b, "  \"free_runs\": [");
	struct runs_arg ra = { b, 0, 0 };
	pthread_mutex_lock(&msrt_heap.lock);
	msrt_pages_free_runs(&msrt_heap.pages, add_run, &ra);
	pthread_mutex_unlock(&msrt_heap.lock);
	msrt_buf_addf(b, "\n  ],\n  \"free_runs_total\": %zu,\n  \"released_pages\": %llu\n}\n", ra.total_runs,
		(unsigned long long)(st.heap_released / MSRT_PAGE_SIZE));
	return b->failed ? -1 : 0;
}

int msrt_write_dump(const char *path)
{
	msrt_buf b = { 0 };
	int rc = -1;
	if (encode(&b) == 0)
		rc = msrt_write_file(path, b.data, b.len);
	msrt_buf_free(&b);
	return rc;
}

int ms_write_heap_dump(const char *path)
{
	msrt_ensure_init();
	return msrt_write_dump(path);
}
