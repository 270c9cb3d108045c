/* escape_join.h — a heap profile's allocation sites joined with the Go
 * compiler's escape-analysis decisions (profile/escape.h): why each site
 * allocates, and which lines turned from stack to heap between two builds.
 *
 * A site is the leaf frame's file:line (pprof's line granularity, flat
 * weight). When the leaf is outside the files the log covers (the runtime,
 * the standard library when only the main package was built with -m), the
 * site also names the first caller frame inside them ("via"): that call is
 * what allocates, and its line is the one looked up.
 *
 * Inlining: the compiler analyses an inlined body again inside its caller
 * and prints those decisions at the call's position (cmd/compile's
 * FmtPos prints the outermost position), while the profile's location
 * keeps the inlined line innermost and the call line outermost. So sites
 * are also split by that call line, and when the call line has a heap
 * decision for the same name or expression as the inlined line, the call
 * line's decisions are the site's (the standalone copy's decision, at the
 * inlined line, need not hold for this call). */
#ifndef MS_ESCAPE_JOIN_H
#define MS_ESCAPE_JOIN_H

#include <stdint.h>

#include "profile/escape.h"
#include "profile/frames.h"
#include "profile/profile.h"
#include "util/buf.h"

typedef enum ms_esc_verdict {
	MS_ESCV_HEAP = 0, /* a heap decision at the line */
	MS_ESCV_STACK,    /* only "does not escape" decisions */
	MS_ESCV_NONE,     /* the file is in the log, no decision at the line */
	MS_ESCV_CALL,     /* allocated in a callee outside the log ("via" is the call) */
	MS_ESCV_OUTSIDE,  /* no frame of the stack is in the log's files */
} ms_esc_verdict;

const char *ms_esc_verdict_name(int v); /* "heap", "stack", "none", "call", "outside" */

typedef struct ms_esc_site {
	uint32_t function;      /* profile function index of the leaf frame */
	int64_t line;
	uint32_t via_function;  /* MS_NONE, or the first caller frame in the log's files */
	int64_t via_line;
	uint32_t inl_function;  /* MS_NONE, or the function the leaf was inlined into */
	int64_t inl_line;       /* and the call's line there */
	int inl_used;           /* the decisions are the inlined copy's, at inl_line */
	int64_t bytes, objects; /* objects 0 when the profile has no matching count */
	int verdict;            /* ms_esc_verdict */
	uint32_t log_file;      /* the line looked up (leaf, or via); UINT32_MAX for outside */
	uint32_t log_line;
	size_t dfirst, nd;      /* its decisions: log->d[dfirst .. + nd) */
} ms_esc_site;

typedef struct ms_esc_join {
	ms_esc_site *sites;     /* heaviest first */
	size_t n;
	int64_t total;          /* Σ value over the profile */
	size_t value_index;
	size_t objects_index;   /* SIZE_MAX when none */
} ms_esc_join;

/* Joins log with p's sample type vi (a *_space type pairs with *_objects). */
void ms_esc_join_build(ms_esc_join *j, const ms_esc_log *log, const ms_profile *p, size_t vi);
void ms_esc_join_free(ms_esc_join *j);

/* The verdict at a line, from its decisions. */
int ms_esc_verdict_of(const ms_esc_log *log, size_t first, size_t n);

/* One verdict per frame of fm (built at lines granularity): for `top
 * --escapes`. Returns an array of ms_frame_count(fm) ints (caller frees). */
int *ms_esc_frame_verdicts(const ms_esc_log *log, const ms_profile *p, const ms_frame_map *fm);

/* A short "why" for one decision: the decision, then what its -m=2 chain
 * says, by the first rule that applies to its notes:
 *   WHY is "too large for stack" / "non-constant size"   that reason
 *   WHY is "return"                 returned from FUNC: `WHERE` at POS
 *   WHY is "captured by a closure"  captured by a closure at POS[, then the last note]
 *   otherwise                       flows through `WHERE` (WHY) at POS (the last note)
 * func (may be NULL) names the function the site is in. */
void ms_esc_reason(const ms_esc_log *log, const ms_esc_decision *d, const char *func, ms_buf *out);

/* ---- two builds: lines that turned to heap ------------------------------ */
typedef struct ms_esc_change {
	size_t d;             /* the NEW log's decision index */
	int64_t bytes, objects;
	uint32_t function;    /* a profile function at that line, MS_NONE if none */
	int severity;         /* ms_severity: critical >= min_bytes, else warn > 0, else info */
} ms_esc_change;

/* Heap decisions of newl that oldl does not have: none at the same file
 * and line with the same text, and fewer of that text in the file (so a
 * decision whose line moved is not new). Bytes come from j (joined with
 * newl). Sorted by bytes, largest first; *out is malloc'd. */
size_t ms_esc_new_heap(const ms_esc_log *oldl, const ms_esc_log *newl, const ms_esc_join *j,
	unsigned long long min_bytes, ms_esc_change **out);

#endif
