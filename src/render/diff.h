/* diff.h — rendering a profile diff and its gates: text (default), JSON,
 * Markdown (a pull-request comment) and GitHub (text plus ::error::
 * annotations for tripped gates). */
#ifndef MS_RENDER_DIFF_H
#define MS_RENDER_DIFF_H

#include <stdio.h>

#include "analysis/diff.h"

typedef enum ms_diff_format { MS_DIFF_TEXT, MS_DIFF_JSON, MS_DIFF_MARKDOWN, MS_DIFF_GITHUB } ms_diff_format;

typedef struct ms_diff_view {
	const ms_diff *d;
	const char *new_name;
	const char *const *base_names;
	size_t max_rows;     /* 0 = all */
	ms_gate *gates;
	size_t ngates;
	size_t contributors; /* rows listed under a tripped gate */
} ms_diff_view;

int ms_diff_format_parse(const char *s, ms_diff_format *out);
int ms_render_diff(FILE *fp, const ms_diff_view *v, ms_diff_format f);
/* s as a Markdown code span safe in a table cell (` -> ', | -> /). */
void ms_md_code(FILE *fp, const char *s);

#endif
