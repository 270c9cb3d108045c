/* views.h — pprof's -tree, -peek and -traces reports as text (byte for
 * byte what `go tool pprof` 1.19 prints) and memscope's JSON forms. */
#ifndef MS_VIEWS_H
#define MS_VIEWS_H

#include <regex.h>
#include <stdio.h>

#include "analysis/traces.h"
#include "render/top.h"

/* -tree (match == NULL) or -peek (only nodes whose name matches): each
 * node with its callers above and callees below, weights and percentages
 * of the node's cum. Returns the number of nodes shown. */
size_t ms_render_tree_text(FILE *fp, const ms_top_view *v, const regex_t *match);
size_t ms_render_tree_json(FILE *fp, const ms_top_view *v, const regex_t *match);
/* Counts the nodes that match (for peek's "no matches" before printing). */
size_t ms_tree_matches(const ms_top_view *v, const regex_t *match);

/* -traces: the profile labels, then each trace between separator lines:
 * its labels, its value beside the leaf, one frame a line. */
void ms_render_traces_text(FILE *fp, ms_traces *t);
int ms_render_traces_json(FILE *fp, ms_traces *t);

#endif
