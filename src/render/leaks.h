/* leaks.h — rendering leak suspects as text or JSON. */
#ifndef MS_RENDER_LEAKS_H
#define MS_RENDER_LEAKS_H

#include <stdio.h>

#include <jansson.h>

#include "analysis/leakcheck.h"
#include "analysis/leaks.h"
#include "gctrace/gctrace.h"

/* Live-heap evidence from a GC trace of the same process (--gctrace). */
typedef struct ms_leak_gc_evidence {
	const char *file;
	const ms_gctrace_report *report;
} ms_leak_gc_evidence;

/* The live_heap_growth finding of the trace, or NULL. */
const ms_gctrace_finding *ms_leak_gc_growth(const ms_leak_gc_evidence *gc);

/* Everything `memscope leaks` reports: the suspects of a series of
 * snapshots (series NULL when there were none), the GC trace's evidence
 * (gc NULL without --gctrace) and leak-check reports. */
typedef struct ms_leaks_view {
	const ms_leak_report *series;
	const ms_leak_gc_evidence *gc;
	const ms_leakcheck *checks;
	size_t nchecks;
	size_t max_rows; /* 0 = all */
} ms_leaks_view;

void ms_render_leaks_text(FILE *fp, const ms_leaks_view *v);
int ms_render_leaks_json(FILE *fp, const ms_leaks_view *v);
/* One leak-check report, LeakSanitizer-style: each leak with its stack,
 * then the largest still-reachable blocks (max_rows of each; 0 = all
 * leaks and 5 reachable). */
void ms_render_leakcheck_text(FILE *fp, const ms_leakcheck *lc, size_t max_rows);
/* The same as a JSON object (file, leaked/reachable totals, leaks, reachable). */
json_t *ms_leakcheck_json(const ms_leakcheck *lc);

#endif
