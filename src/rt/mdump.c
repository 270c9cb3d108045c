/* mdump.c — the heap dump: a JSON picture of the heap's layout for
 * `memscope frag` — per size class spans and objects, the page heap's free
 * runs (with how much of each is released), and totals. Written with a
 * tiny printf-into-mmap'd-buffer writer (no jansson in the runtime).
 * The format (version 1) is documented in memscope(1), RUNTIME HEAP DUMP.
 */
#include "config.h"

#include <time.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

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

static int encode(msrt_buf *b)
{
	ms_stats st;
	ms_read_stats(&st);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	msrt_buf_addf(b, "{\n  \"format\": \"msrt-heapdump\",\n  \"version\": 1,\n  \"pid\": %d,\n  \"time_ns\": %llu,\n",
		(int)getpid(), (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
	msrt_buf_addf(b, "  \"page_size\": %d,\n  \"arena_start\": %llu,\n", MSRT_PAGE_SIZE,
		(unsigned long long)msrt_heap.arena_start);
	msrt_buf_addf(b,
		"  \"totals\": {\"heap_sys\": %llu, \"heap_inuse\": %llu, \"heap_idle\": %llu, \"heap_released\": %llu, "
		"\"heap_alloc\": %llu, \"heap_objects\": %llu, \"total_alloc\": %llu, \"mallocs\": %llu, \"frees\": %llu, "
		"\"metadata_sys\": %llu, \"mspan_inuse\": %llu, \"mcache_count\": %llu},\n",
		(unsigned long long)st.heap_sys, (unsigned long long)st.heap_inuse, (unsigned long long)st.heap_idle,
		(unsigned long long)st.heap_released, (unsigned long long)st.heap_alloc,
		(unsigned long long)st.heap_objects, (unsigned long long)st.total_alloc,
		(unsigned long long)st.mallocs, (unsigned long long)st.frees, (unsigned long long)st.metadata_sys,
		(unsigned long long)st.mspan_inuse, (unsigned long long)st.mcache_count);
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
			"\"mallocs\": %llu, \"frees\": %llu}",
			first ? "" : ",", k, cs->size, cs->span_pages, (unsigned long long)cs->spans,
			(unsigned long long)live, (unsigned long long)cs->cached,
			(unsigned long long)(slots > live ? slots - live : 0), (unsigned long long)(live * cs->size),
			(unsigned long long)(cs->spans * cs->span_pages * MSRT_PAGE_SIZE), (unsigned long long)cs->mallocs,
			(unsigned long long)cs->frees);
		first = 0;
	}
	msrt_buf_addf(b, "\n  ],\n  \"large\": {\"objects\": %llu, \"bytes\": %llu},\n",
		(unsigned long long)st.large_objects, (unsigned long long)st.large_bytes);
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
