/* top.h — the `top` report: pprof -top's text layout (header labels, then
 * flat flat% sum% cum cum% rows) and memscope's JSON form of it. */
#ifndef MS_TOP_H
#define MS_TOP_H

#include <stdio.h>

#include <jansson.h>

#include "analysis/graph.h"

typedef struct ms_top_view {
	const ms_profile *p;
	const ms_graph *g;
	const ms_graph_opts *o;
	size_t max_rows;          /* 0 = all rows of the graph */
	const char *const *filters; /* "focus=RE" strings for the legend, NULL-terminated */
} ms_top_view;

/* pprof's profile labels: File, Build ID, comments, Type, Time, Duration. */
/* out_unit: the report unit for "Total samples" (NULL = auto-scaled). */
void ms_render_profile_labels(FILE *fp, const ms_profile *p, size_t sample_index, int64_t total,
	const char *out_unit);
void ms_render_top_text(FILE *fp, const ms_top_view *v);
/* pprof's reportLabels: the profile labels, active filters, "Showing nodes
 * accounting for ...", dropped nodes and "Showing top N nodes" (top, tree, peek). */
void ms_render_report_labels(FILE *fp, const ms_top_view *v, const char *out_unit);
int ms_render_top_json(FILE *fp, const ms_top_view *v);
/* The JSON object ms_render_top_json prints. */
json_t *ms_top_json(const ms_top_view *v);
/* The unit the report's values are printed in (pprof's selectOutputUnit). */
const char *ms_top_output_unit(const ms_top_view *v);
/* top --escapes: the same reports with one more column, col[frame id] (a
 * short word per graph node's frame), before the name in the text and as
 * "escape" in each JSON row; col NULL = the plain reports. */
void ms_render_top_text_col(FILE *fp, const ms_top_view *v, const char *const *col);
int ms_render_top_json_col(FILE *fp, const ms_top_view *v, const char *const *col);

#endif
