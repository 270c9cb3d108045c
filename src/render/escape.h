/* escape.h — rendering `memscope escape`: the heaviest allocation sites with
 * the compiler's decision and reason (text, JSON), and the two-build gate's
 * findings (text, JSON, Markdown, GitHub annotations, as `diff` does). */
#ifndef MS_RENDER_ESCAPE_H
#define MS_RENDER_ESCAPE_H

#include <stdio.h>

#include "analysis/escape_join.h"
#include "render/diff.h"

typedef struct ms_esc_view {
	const ms_esc_log *log;
	const char *log_name;
	const ms_profile *p;
	const ms_esc_join *j;
	size_t max_rows; /* 0 = all */
} ms_esc_view;

void ms_render_escape_text(FILE *fp, const ms_esc_view *v);
int ms_render_escape_json(FILE *fp, const ms_esc_view *v);

typedef struct ms_esc_gate_view {
	const ms_esc_view *v;      /* the NEW log joined with the profile */
	const char *old_name;
	const ms_esc_change *c;    /* ms_esc_new_heap's findings */
	size_t n;
	int fail_level;            /* -1: no gate */
	unsigned long long min_bytes;
} ms_esc_gate_view;

/* Returns the number of findings that trip the gate. */
size_t ms_render_escape_gate(FILE *fp, const ms_esc_gate_view *g, ms_diff_format f);

#endif
