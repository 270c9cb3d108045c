/* leaks.h — rendering leak suspects as text or JSON. */
#ifndef MS_RENDER_LEAKS_H
#define MS_RENDER_LEAKS_H

#include <stdio.h>

#include "analysis/leaks.h"
#include "gctrace/gctrace.h"

/* Live-heap evidence from a GC trace of the same process (--gctrace). */
typedef struct ms_leak_gc_evidence {
	const char *file;
	const ms_gctrace_report *report;
} ms_leak_gc_evidence;

/* The live_heap_growth finding of the trace, or NULL. */
const ms_gctrace_finding *ms_leak_gc_growth(const ms_leak_gc_evidence *gc);

/* gc may be NULL. */
void ms_render_leaks_text(FILE *fp, const ms_leak_report *r, size_t max_rows, const ms_leak_gc_evidence *gc);
int ms_render_leaks_json(FILE *fp, const ms_leak_report *r, const ms_leak_gc_evidence *gc);

#endif
