/* gctrace_render.h — `memscope gctrace` output: a text summary (one log) or
 * a side-by-side comparison (several), JSON, CSV (one row per cycle) and an
 * SVG timeline. Every function takes parallel arrays of n logs and their
 * reports and returns 0, or -1 on a write error. */
#ifndef MS_GCTRACE_RENDER_H
#define MS_GCTRACE_RENDER_H

#include <stdio.h>

#include "gctrace/gctrace.h"

/* One log: a summary; several: a comparison table, then each log's findings. */
int ms_gctrace_render_text(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n);
/* One log: an object; several: {"logs": [object, ...]}. */
/* with_cycles: append each log's "cycles" list (needs the log's cycles;
 * a 300 MB log's list is 830 MB of JSON, so it is asked for). */
int ms_gctrace_render_json(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n,
	int with_cycles);
/* Header row, then one row per cycle of every log (first column: file). */
int ms_gctrace_render_csv(FILE *fp, ms_gctrace_log *const *logs, size_t n);
/* A self-contained SVG: one timeline panel per log. */
int ms_gctrace_render_svg(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n);

/* --cycles: one table row per cycle of every log (a runtime trace's with
 * the trigger, goal, cons/mark, assist ratio and STW windows). */
int ms_gctrace_render_cycles(FILE *fp, ms_gctrace_log *const *logs, size_t n);

/* Pieces for a log read from a runtime trace (gctrace_trace.c): the text
 * report's section, and cycle i's "trace" JSON object. */
void ms_gctrace_text_trace(FILE *fp, const ms_gctrace_log *log, const ms_gctrace_report *r);
void ms_gctrace_json_cycle_trace(FILE *fp, const ms_gctrace_log *log, size_t i);

/* Pieces for a log read from a Go execution trace (gctrace_gotrace.c): the
 * text report's section, the summary's "go_trace" object and the "mmu"
 * list [{window_ns, utilization}] (when ms_gotrace_mmu_curve filled it). */
struct json_t;
void ms_gctrace_text_gotrace(FILE *fp, const ms_gctrace_log *log);
struct json_t *ms_gctrace_json_gotrace(const ms_gctrace_log *log);
struct json_t *ms_gctrace_json_mmu(const ms_gctrace_log *log);

/* v (µs, ns, ...) as a decimal with dec decimals of the unit, exact,
 * trailing zeros trimmed ("0.018", "12"). out holds n bytes. */
char *ms_gctrace_fmt_fixed(char *out, size_t n, uint64_t v, int dec);

/* Short column labels for several files: the base names without the
 * dot-separated parts they all share at the start and at the end
 * ("mapmerge.gogc50.gctrace.log" → "gogc50"). out[i] must hold 64 bytes. */
void ms_gctrace_labels(ms_gctrace_log *const *logs, size_t n, char (*out)[64]);

/* A readable number: ≥100 whole, ≥1 two decimals, below three significant
 * digits, trailing zeros trimmed ("0.138", "14", "2.5"). Returns out. */
char *ms_gctrace_fmt_num(char *out, size_t n, double v);

#endif
