/* frag.h — fragmentation diagnosis of a heap dump: where the bytes between
 * "live objects" and "resident memory" go, per size class and in the page
 * heap, and findings with evidence and a hint.
 *
 * Per size class (s = object size, P = bytes per span, n = spans, L = live
 * objects, R = requested bytes of the live objects when the dump has them):
 *   slots          = n · ⌊P / s⌋
 *   occupancy      = L / slots
 *   live bytes     = L · s
 *   rounding waste = L · s − R          (internal fragmentation)
 *   free slots     = (slots − L) · s    (every in-use span holds at least one
 *                                        handed-out object, so these are the
 *                                        free slots of partly used spans;
 *                                        objects parked in thread caches count
 *                                        as free here)
 *   tail waste     = n · (P − ⌊P / s⌋ · s)
 *   sparse spans   = spans with under 30% of their slots handed out
 *                    (dump v2's span_occupancy buckets 0–2)
 * Page heap: free runs, the largest, pages in runs under 16 pages; idle
 * pages split into released (no RSS) and kept resident.
 * Overall: RSS = heap resident (heap_sys − heap_released) + metadata +
 * the rest of the process; the heap resident part splits into live bytes,
 * rounding, free slots, span tails and idle pages not released.
 *
 * Thresholds (each finding says which it crossed):
 *   sparse_spans         free-slot bytes ≥ 1 MiB, ≥ 8 spans, class
 *                        occupancy < 50% and ≥ half the spans sparse (v2);
 *                        v1 (no histogram): class occupancy < 30%.
 *                        critical when the free slots are ≥ 25% of heap_inuse
 *   rounding_waste       rounding ≥ 1 MiB and ≥ 20% of the class's live bytes
 *                        (Go's classes keep it under 12.5% above 128 B, so
 *                        only a cluster of sizes just above a class trips it)
 *   idle_not_released    free pages kept resident ≥ 4 MiB and ≥ 10% of
 *                        heap_sys; critical when also ≥ heap_inuse
 *   page_heap_fragmented free pages ≥ 4 MiB in ≥ 16 runs, ≥ 50% of them in
 *                        runs under 16 pages (128 KiB, too small for most
 *                        large objects); critical when the free pages are
 *                        also ≥ 25% of heap_sys
 *   rss_vs_live          RSS ≥ 2 × live bytes and RSS − live ≥ 16 MiB;
 *                        critical from 4 ×
 *   span_waste           (Go MemStats only, which has no spans) HeapInuse −
 *                        HeapAlloc ≥ 4 MiB and ≥ 25% of HeapInuse
 * Severity: info < warning < critical.
 */
#ifndef MS_FRAG_H
#define MS_FRAG_H

#include "util/severity.h"

#include <stdbool.h>
#include <stdint.h>

#include "profile/msrt_dump.h"

#define MS_MIB ((uint64_t)1 << 20)
#define MS_FRAG_MIN_CLASS_BYTES (1 * MS_MIB)
#define MS_FRAG_SPARSE_MIN_SPANS 8
#define MS_FRAG_SPARSE_BUCKETS 3            /* buckets 0..2: under 30% used */
#define MS_FRAG_SPARSE_SPAN_SHARE 0.5
#define MS_FRAG_SPARSE_MAX_OCCUPANCY 0.5
#define MS_FRAG_SPARSE_V1_OCCUPANCY 0.3
#define MS_FRAG_SPARSE_CRITICAL_SHARE 0.25  /* of heap_inuse */
#define MS_FRAG_ROUNDING_SHARE 0.20
#define MS_FRAG_IDLE_MIN_BYTES (4 * MS_MIB)
#define MS_FRAG_IDLE_SHARE 0.10             /* of heap_sys */
#define MS_FRAG_RUNS_MIN_FREE_BYTES (4 * MS_MIB)
#define MS_FRAG_RUNS_MIN_RUNS 16
#define MS_FRAG_SMALL_RUN_PAGES 16
#define MS_FRAG_SMALL_RUN_SHARE 0.5
#define MS_FRAG_RUNS_CRITICAL_SHARE 0.25    /* of heap_sys */
#define MS_FRAG_RSS_RATIO 2.0
#define MS_FRAG_RSS_CRITICAL_RATIO 4.0
#define MS_FRAG_RSS_MIN_EXCESS (16 * MS_MIB)
#define MS_FRAG_SPAN_WASTE_SHARE 0.25
#define MS_FRAG_UNMEASURED_SHARE 0.01      /* of live bytes without requested sizes, at most */


typedef struct ms_frag_class {
	unsigned cls;
	uint64_t size, span_pages, spans;
	uint64_t slots, live, cached;
	uint64_t span_bytes, live_bytes;
	double occupancy;          /* NaN when slots are unknown (Go) */
	bool has_spans;
	bool has_requested;
	uint64_t requested;        /* R above */
	uint64_t rounding;         /* L·s − R */
	uint64_t free_slot_bytes;
	uint64_t tail_bytes;
	bool has_occupancy;
	uint64_t sparse_spans;     /* under 30% used */
	uint64_t occupancy_hist[MS_HD_OCC_BUCKETS];
} ms_frag_class;

/* One number of a finding's evidence, printed as a JSON field. */
typedef struct ms_frag_field {
	const char *key;
	double value;
	bool integer;
} ms_frag_field;

#define MS_FRAG_MAX_FIELDS 10

typedef struct ms_frag_finding {
	enum ms_severity severity;
	const char *kind;
	char *message;  /* one line with the numbers */
	char *hint;     /* what to do */
	uint64_t bytes; /* bytes at stake (for ordering) */
	ms_frag_field fields[MS_FRAG_MAX_FIELDS];
	int nfields;
} ms_frag_finding;

typedef struct ms_frag_totals {
	uint64_t live_bytes;       /* heap_alloc: live objects, class-rounded, + large pages */
	bool has_requested;        /* requested bytes known for all but ≤ 1% of the live bytes */
	uint64_t requested_bytes;  /* classes without them count in full */
	uint64_t unmeasured_bytes; /* live bytes of classes without requested bytes */
	uint64_t objects;
	uint64_t heap_sys, heap_inuse, heap_idle, heap_released;
	uint64_t idle_unreleased;  /* heap_idle − heap_released: free but resident */
	uint64_t heap_resident;    /* heap_sys − heap_released */
	uint64_t metadata;
	bool has_rss;
	uint64_t rss;
	uint64_t outside_heap;     /* rss − heap_resident − metadata, ≥ 0 */
	uint64_t rounding, free_slot_bytes, tail_bytes;
	uint64_t large_objects, large_bytes, large_requested;
	bool has_large_requested;
} ms_frag_totals;

typedef struct ms_frag_pages {
	bool known;                /* the dump lists free runs */
	uint64_t page_size;
	uint64_t runs_total, runs_listed;
	uint64_t free_pages, released_pages;
	uint64_t largest_run;      /* pages, among the listed runs */
	uint64_t small_run_pages;  /* pages in listed runs under 16 pages */
	uint64_t listed_pages;
} ms_frag_pages;

typedef struct ms_frag_report {
	const ms_heapdump *dump;   /* borrowed */
	ms_frag_class *classes;    /* by class index */
	size_t nclasses;
	ms_frag_totals totals;
	ms_frag_pages pages;
	ms_frag_finding *findings; /* most severe first, then by bytes */
	size_t nfindings;
} ms_frag_report;

int ms_frag_analyze(ms_frag_report *r, const ms_heapdump *d, ms_err *err);
void ms_frag_report_free(ms_frag_report *r);
const char *ms_frag_severity_name(enum ms_severity s);

#endif
