/* godump.h — Go heap dumps: the reader of runtime/debug.WriteHeapDump's
 * output ("go1.7 heap dump\n" followed by varint-tagged records, the format
 * of Go's src/runtime/heapdump.go, unchanged from Go 1.7 to 1.23). Not to be
 * confused with analysis/heapdump.h, libmsrt's JSON heap-layout dump.
 *
 * The reader streams the file once into flat arrays — no allocation per
 * object:
 *   objects   addr[i], size[i] in the order of the dump (node id = index),
 *             a run index sorting them by address (runs of ascending
 *             objects, one per span in Go's dumps, sorted once);
 *   edges     the pointer fields of object i that land inside some object,
 *             as that object's index: edges[estart[i] .. estart[i+1]),
 *             interior pointers resolved to the containing object, nil and
 *             non-heap values dropped, self-pointers dropped;
 *   roots     every pointer slot outside the heap that the collector scans
 *             (data and bss slots, stack frames, goroutine contexts,
 *             finalizers and the finalizer queue, defers, panics, other
 *             roots), each with the object it lands in;
 * plus goroutines, allocation-profile buckets with their stacks, the
 * objects sampled at each, params and the memstats record.
 *
 * Limits: an object must be smaller than 4 GiB and the dump must hold fewer
 * than 2^32 - 1 objects and pointer edges. Bad input (a wrong header, a
 * truncated record, a pointer offset beyond its object, overlapping
 * objects, an unknown tag) fails with "byte N: what" in err. (A stack
 * frame's or segment's pointer offset past its end is skipped and counted:
 * the runtime describes some frames conservatively.)
 */
#ifndef MS_GODUMP_H
#define MS_GODUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/strtab.h"

#define MS_GD_NONE UINT32_MAX

/* Record tags (runtime/heapdump.go). */
enum ms_gd_tag {
	MS_GD_TAG_EOF = 0,
	MS_GD_TAG_OBJECT = 1,
	MS_GD_TAG_OTHERROOT = 2,
	MS_GD_TAG_TYPE = 3,
	MS_GD_TAG_GOROUTINE = 4,
	MS_GD_TAG_STACKFRAME = 5,
	MS_GD_TAG_PARAMS = 6,
	MS_GD_TAG_FINALIZER = 7,
	MS_GD_TAG_ITAB = 8,
	MS_GD_TAG_OSTHREAD = 9,
	MS_GD_TAG_MEMSTATS = 10,
	MS_GD_TAG_QFINALIZER = 11,
	MS_GD_TAG_DATA = 12,
	MS_GD_TAG_BSS = 13,
	MS_GD_TAG_DEFER = 14,
	MS_GD_TAG_PANIC = 15,
	MS_GD_TAG_MEMPROF = 16,
	MS_GD_TAG_ALLOCSAMPLE = 17,
};

typedef enum ms_gd_root_kind {
	MS_GD_ROOT_DATA,       /* a pointer slot in the data segment */
	MS_GD_ROOT_BSS,        /* a pointer slot in the bss segment */
	MS_GD_ROOT_FRAME,      /* a pointer slot in a goroutine's stack frame */
	MS_GD_ROOT_CTXT,       /* a goroutine's saved closure context */
	MS_GD_ROOT_DEFER,      /* a goroutine's defer record or its function */
	MS_GD_ROOT_PANIC,      /* a goroutine's panic value */
	MS_GD_ROOT_FINALIZER,  /* an object with a finalizer, or the finalizer closure */
	MS_GD_ROOT_QFINALIZER, /* the finalizer queue: object or closure */
	MS_GD_ROOT_OTHER,      /* an "other root" record */
} ms_gd_root_kind;

typedef struct ms_gd_rootptr {
	uint64_t target;    /* the pointer's value */
	uint64_t off;       /* DATA/BSS: slot offset in its segment; FRAME: in its frame;
	                       FINALIZER/QFINALIZER: the finalized object's address */
	uint32_t obj;       /* object the pointer lands in, MS_GD_NONE if none */
	uint32_t goroutine; /* FRAME/CTXT/DEFER/PANIC: index in goroutines */
	uint32_t name;      /* FRAME: function; OTHER: description (string ids) */
	uint8_t kind;       /* ms_gd_root_kind */
} ms_gd_rootptr;

typedef struct ms_gd_goroutine {
	uint64_t g, goid, gopc, waitsince;
	uint64_t status;
	bool system;
	uint32_t waitreason; /* string id */
	uint32_t top;        /* string id: function of the innermost frame (0: no frames) */
	uint32_t user;       /* string id: innermost frame outside runtime.* (0: none) */
	uint32_t nframes;
} ms_gd_goroutine;

typedef struct ms_gd_bucket {
	uint64_t id;          /* the bucket's address in the dump */
	uint64_t size, allocs, frees;
	uint32_t frame_off;   /* first frame in func_/file_/line_ arrays */
	uint32_t nframes;     /* leaf first */
} ms_gd_bucket;

/* The memstats record's first 24 values, in runtime.MemStats order. */
enum ms_gd_memstat {
	MS_GD_MS_ALLOC, MS_GD_MS_TOTAL_ALLOC, MS_GD_MS_SYS, MS_GD_MS_LOOKUPS, MS_GD_MS_MALLOCS,
	MS_GD_MS_FREES, MS_GD_MS_HEAP_ALLOC, MS_GD_MS_HEAP_SYS, MS_GD_MS_HEAP_IDLE, MS_GD_MS_HEAP_INUSE,
	MS_GD_MS_HEAP_RELEASED, MS_GD_MS_HEAP_OBJECTS, MS_GD_MS_STACK_INUSE, MS_GD_MS_STACK_SYS,
	MS_GD_MS_MSPAN_INUSE, MS_GD_MS_MSPAN_SYS, MS_GD_MS_MCACHE_INUSE, MS_GD_MS_MCACHE_SYS,
	MS_GD_MS_BUCKHASH_SYS, MS_GD_MS_GC_SYS, MS_GD_MS_OTHER_SYS, MS_GD_MS_NEXT_GC, MS_GD_MS_LAST_GC,
	MS_GD_MS_PAUSE_TOTAL_NS,
	MS_GD_NMEMSTATS
};

typedef struct ms_gd_page {
	uint32_t first;  /* first object starting in the page (dump order), MS_GD_NONE */
	uint32_t count;  /* objects first.. starting in it; MS_GD_NONE: mixed, search */
	uint32_t cover;  /* object from an earlier page covering its start, MS_GD_NONE */
} ms_gd_page;

typedef struct ms_godump {
	ms_strtab strings;

	/* params */
	bool has_params;
	bool big_endian;
	unsigned ptrsize;            /* 4 or 8 */
	uint64_t arena_start, arena_end;
	uint32_t goarch, go_version; /* string ids */
	uint64_t ncpu;

	/* memstats */
	bool has_memstats;
	uint64_t memstats[MS_GD_NMEMSTATS];
	uint64_t pause_ns[256];
	uint64_t numgc;

	/* objects, in dump order */
	size_t nobjects;
	uint64_t *addr;
	uint32_t *size;
	uint32_t *estart;            /* nobjects + 1 */
	uint32_t *edges;
	size_t nedges;
	uint64_t heap_bytes;         /* Σ size */
	size_t nskipped_fields;      /* frame/segment pointer offsets past their end, skipped */
	size_t nbitmap_slots;        /* Go 1.22+ span bitmap slots dumped as objects, dropped
	                                (godump.c, drop_bitmap_slots) */
	uint32_t *sample;            /* per object: bucket index of its alloc sample, or
	                                MS_GD_NONE; NULL when the dump has no samples */

	/* roots */
	ms_gd_rootptr *roots;
	size_t nroots, roots_cap;
	uint64_t data_addr, data_len, bss_addr, bss_len;

	ms_gd_goroutine *goroutines;
	size_t ngoroutines, goroutines_cap;

	ms_gd_bucket *buckets;
	size_t nbuckets, buckets_cap;
	uint32_t *frame_func, *frame_file; /* string ids */
	uint64_t *frame_line;
	size_t nframes, frames_cap;

	size_t nfinalizers, nqfinalizers, nthreads, nitabs, ntypes, nsamples, nstackframes;

	/* by-address lookup (private to godump.c) */
	uint32_t *sorted;            /* object indexes by address */
	struct ms_gd_page *pages;    /* per 8 KiB page from page_base; NULL when too sparse */
	uint64_t page_base;
	size_t npages;
} ms_godump;

/* True when the data starts with the heap dump header. */
bool ms_godump_sniff(const void *data, size_t n);
/* True when the file (gzipped or not; not stdin) starts with the header. */
bool ms_godump_file_sniff(const char *path);

/* Reads path ("-" = stdin). A regular file is mapped and its pages are
 * dropped once read, so memory holds the arrays, not the file. Errors name
 * the file and the byte offset. */
int ms_godump_read(ms_godump *d, const char *path, ms_err *err);
/* Parses a dump already in memory; name (if not NULL) prefixes messages. */
int ms_godump_parse(ms_godump *d, const char *name, const void *data, size_t n, ms_err *err);
void ms_godump_free(ms_godump *d);

/* The object containing address a (interior pointers included), or
 * MS_GD_NONE. Valid after a successful read. */
uint32_t ms_godump_find(const ms_godump *d, uint64_t a);

/* The first frame of bucket b outside the runtime (its allocation site),
 * as a string id; 0 when the stack is empty. */
uint32_t ms_godump_bucket_site(const ms_godump *d, size_t b);

static inline const char *ms_godump_str(const ms_godump *d, uint32_t id) { return d->strings.str[id]; }

#endif
