/* msrt.h — libmsrt, memscope's bundled runtime: a Go-style allocator with a
 * sampling heap profiler.
 *
 * Two ways to use it:
 *   - preloaded into any program (`memscope run -- CMD`, or
 *     LD_PRELOAD=libmsrt.so): it replaces malloc, free, calloc, realloc,
 *     posix_memalign, aligned_alloc, memalign, valloc, pvalloc and
 *     malloc_usable_size;
 *   - linked directly (`pkg-config --cflags --libs msrt`): the same
 *     replacement, plus this API.
 *
 * Configuration comes from MSRT_* environment variables (see
 * memscope(1), RUNTIME ENVIRONMENT); bad values print one warning on stderr
 * and fall back to the default.
 */
#ifndef MSRT_H
#define MSRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSRT_API __attribute__((visibility("default")))

/* Idempotent; the allocator also initialises itself on first use. Also
 * starts the garbage collector (reading MSRT_GOGC, MSRT_MEMLIMIT,
 * MSRT_GCTRACE) and attaches the calling thread. 0 or -1. */
MSRT_API int ms_init(void);

/* ---- the garbage-collected heap ----------------------------------------
 * A concurrent mark & sweep collector for memory from ms_alloc. Objects
 * are found conservatively: any word that points into an allocated object
 * (interior pointers too) keeps it alive. Roots are the stacks and
 * registers of attached threads, the data/bss of the program and its
 * libraries, and ms_add_root ranges — not malloc'd memory.
 * Every store of a pointer into a GC object must go through ms_store. */
#define MS_SCAN 0   /* may hold pointers: scanned word by word */
#define MS_NOSCAN 1 /* holds no pointers to GC objects (buffers, numbers) */
/* Zeroed GC memory of at least size bytes; NULL (errno ENOMEM) on failure.
 * Attaches the calling thread if needed. Never pass it to free(). */
MSRT_API void *ms_alloc(size_t size, int flags);
/* *slot = ptr with the write barrier; slot inside a GC object (or anywhere). */
MSRT_API void ms_store(void **slot, void *ptr);
/* Runs a full forced cycle (gctrace: "(forced)") and finishes sweeping. */
MSRT_API void ms_gc(void);
/* Extra roots: [start, start+len) is scanned at every cycle. 0 or -1. */
MSRT_API int ms_add_root(void *start, size_t len);
MSRT_API void ms_remove_root(void *start);
/* Threads that hold GC pointers on their stacks must be attached (ms_alloc
 * and ms_store attach automatically; a thread is detached when it exits). */
MSRT_API int ms_thread_attach(void);
MSRT_API void ms_thread_detach(void);
/* GOGC in percent (< 0 = off); returns the previous value. */
MSRT_API int ms_set_gogc(int percent);
/* Memory limit in bytes (INT64_MAX = none); a negative value only reads
 * it. Returns the previous limit. */
MSRT_API int64_t ms_set_memory_limit(int64_t limit);

/* The allocator under its own names (same behaviour as the libc names). */
MSRT_API void *ms_malloc(size_t size);
MSRT_API void ms_free(void *p);
MSRT_API void *ms_calloc(size_t n, size_t size);
MSRT_API void *ms_realloc(void *p, size_t size);
MSRT_API int ms_posix_memalign(void **out, size_t align, size_t size);
MSRT_API void *ms_aligned_alloc(size_t align, size_t size);
MSRT_API size_t ms_usable_size(const void *p);

#define MSRT_STATS_VERSION 1
#define MSRT_MAX_CLASSES 80

/* Heap statistics, named after Go's runtime.MemStats. All byte counts. */
typedef struct ms_size_class_stats {
	uint32_t size;        /* object size of the class */
	uint32_t span_pages;  /* pages per span */
	uint64_t spans;       /* spans of this class in use */
	uint64_t mallocs;     /* objects allocated (cumulative) */
	uint64_t frees;       /* objects freed (cumulative) */
	uint64_t objects;     /* live objects (mallocs - frees) */
	uint64_t cached;      /* free objects held in per-thread caches */
} ms_size_class_stats;

typedef struct ms_stats {
	uint32_t version;       /* MSRT_STATS_VERSION */
	uint64_t heap_alloc;    /* bytes in live objects (size-class rounded) */
	uint64_t total_alloc;   /* cumulative bytes allocated */
	uint64_t heap_sys;      /* heap address space obtained from the OS (committed) */
	uint64_t heap_idle;     /* bytes in free pages (including released) */
	uint64_t heap_inuse;    /* bytes in in-use spans */
	uint64_t heap_released; /* free bytes returned to the OS */
	uint64_t heap_objects;  /* live objects */
	uint64_t mallocs, frees;
	uint64_t large_objects; /* live objects > 32 KiB */
	uint64_t large_bytes;
	uint64_t metadata_sys;  /* runtime metadata (spans, caches, profile) */
	uint64_t mspan_inuse;   /* mspan structures in use */
	uint64_t mcache_count;  /* live per-thread caches */
	uint64_t profile_samples; /* sampled allocations recorded */
	uint64_t scavenged_total; /* cumulative bytes released by the scavenger */
	/* collector: completed cycles, stop-the-world time, heap goal of the
	 * next cycle (0 until ms_init; UINT64_MAX with GOGC off and no limit).
	 * heap_alloc and heap_objects include live GC objects. */
	uint64_t num_gc, pause_total_ns, pause_max_ns, next_gc;
	uint32_t nclasses;
	ms_size_class_stats by_class[MSRT_MAX_CLASSES];
} ms_stats;

MSRT_API void ms_read_stats(ms_stats *st);

/* Heap profile: writes a gzipped pprof heap profile of the sampled
 * allocations now (synchronously, from the calling thread). 0 or -1. */
MSRT_API int ms_write_heap_profile(const char *path);
/* Writes the heap dump (JSON) now. 0 or -1. */
MSRT_API int ms_write_heap_dump(const char *path);
/* Asks the background thread for a numbered snapshot (profile, and heap
 * dump when enabled) in MSRT_PROFILE_DIR; returns at once. */
MSRT_API void ms_request_snapshot(void);
/* Sampling rate in bytes (0 = off, 1 = every allocation); returns the old
 * rate. Threads pick the new rate up at their next sample. */
MSRT_API long ms_set_profile_rate(long rate);
/* Returns released-to-the-OS bytes; scavenges every free page now. */
MSRT_API uint64_t ms_scavenge_all(void);

#ifdef __cplusplus
}
#endif

#endif
