/* msrt_dump.h — reading heap-layout snapshots for `memscope frag`:
 *   - libmsrt's heap dump (JSON, "format": "msrt-heapdump", versions 1 and
 *     2; memscope(1), RUNTIME HEAP DUMP), optionally gzipped;
 *   - a Go runtime.MemStats snapshot as JSON (json.Marshal of the struct,
 *     or expvar's /debug/vars with it under "memstats"): no spans or free
 *     runs there, so only the totals and per-size live objects are known.
 * A heap dump is not a profile: the reader fills ms_heapdump, not
 * ms_profile. Fields missing from older versions are flagged with has_*.
 */
#ifndef MS_MSRT_DUMP_H
#define MS_MSRT_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define MS_HD_OCC_BUCKETS 10 /* span_occupancy: tenths of a span's slots */

typedef struct ms_hd_class {
	unsigned cls;           /* class index in the runtime's table */
	uint64_t size;          /* object size of the class */
	uint64_t span_pages;    /* pages per span (0: unknown, Go MemStats) */
	uint64_t spans;         /* spans in use */
	uint64_t objects_live;  /* objects in the program's hands */
	uint64_t objects_cached; /* free objects held in per-thread caches */
	uint64_t objects_free;  /* other slots of the spans (cached included) */
	uint64_t mallocs, frees;
	bool has_spans;         /* span_pages/spans/objects_free known */
	bool has_occupancy;     /* version 2 */
	uint64_t occupancy[MS_HD_OCC_BUCKETS];
	bool has_requested;     /* version 2, when the class was sampled */
	uint64_t requested_live;    /* estimated bytes requested by the live objects */
	uint64_t requested_sampled; /* live sampled objects behind the estimate */
} ms_hd_class;

typedef struct ms_hd_run {
	uint64_t page, pages, released;
} ms_hd_run;

typedef enum ms_hd_source {
	MS_HD_MSRT = 0,     /* libmsrt heap dump */
	MS_HD_GO_MEMSTATS,  /* Go runtime.MemStats JSON */
} ms_hd_source;

typedef struct ms_heapdump {
	ms_hd_source source;
	int version;            /* msrt: 1 or 2; Go: 0 */
	int64_t pid;            /* 0 when unknown */
	uint64_t time_ns;
	uint64_t page_size;
	/* Go's MemStats terms (bytes) */
	uint64_t heap_sys, heap_inuse, heap_idle, heap_released, heap_alloc, heap_objects;
	uint64_t metadata_sys;  /* msrt: runtime metadata; Go: Sys − HeapSys */
	bool has_rss;
	uint64_t rss;           /* msrt v2: resident set; Go: none */
	uint64_t large_objects, large_bytes;
	bool has_large_requested;
	uint64_t large_requested;
	ms_hd_class *classes;   /* in the order of the input */
	size_t nclasses;
	bool has_runs;          /* msrt: free_runs present */
	ms_hd_run *runs;
	size_t nruns;
	uint64_t runs_total;    /* runs in the heap (nruns may be capped) */
	uint64_t *class_sizes;  /* v2: the whole table, index = class (0 unused) */
	size_t nclass_sizes;
	bool has_scavenger;
	bool scavenger_enabled;
	uint64_t scavenger_delay_ms, scavenger_retain_percent;
} ms_heapdump;

/* Reads path ("-" = stdin; gzip is undone). On error err names the file
 * and the place (JSON line/column, or the field) and -1 is returned. */
int ms_heapdump_read(ms_heapdump *d, const char *path, ms_err *err);
/* Parses an in-memory dump; name is used in messages. */
int ms_heapdump_parse(ms_heapdump *d, const char *name, const void *data, size_t n, ms_err *err);
void ms_heapdump_free(ms_heapdump *d);

#endif
