/* dot.h — the call graph as Graphviz DOT, byte for byte what pprof -dot
 * writes (graph/dotgraph.go: legend, nodes sized by flat weight, nodelets
 * for tags, edges as wide as their weight), its JSON form, and SVG through
 * Graphviz's library when memscope was built with it (HAVE_GRAPHVIZ). */
#ifndef MS_DOT_H
#define MS_DOT_H

#include <stdio.h>

#include "analysis/callgraph.h"

/* filters: "focus=RE"-style legend lines, NULL-terminated (or NULL). */
void ms_render_dot(FILE *fp, const ms_callgraph *g, size_t sample_index, const char *const *filters);
int ms_render_graph_json(FILE *fp, const ms_callgraph *g, size_t sample_index);
/* Lays out DOT text with Graphviz's dot engine and writes SVG; without
 * Graphviz it fails with a message saying so. -1 with err set on a
 * Graphviz failure, -2 (err unset, errno kept) when writing to fp failed. */
int ms_render_svg_from_dot(FILE *fp, const char *dot, size_t len, ms_err *err);
/* Writes Graphviz's SVG text with pan and zoom added, as pprof -svg does
 * (src/render/graph_svg.js: wheel zooms about the pointer, drag pans, key 0
 * resets): the root <svg>'s width and height become 100% (its viewBox keeps
 * the proportions, so the whole graph fits the window) and the script goes
 * in just before the closing </svg>. Text without a root <svg ...> or a
 * closing </svg> is written unchanged. -1 when writing failed (errno). */
int ms_svg_write_panzoom(FILE *fp, const char *svg, size_t n);
/* Whether this build can write SVG. */
int ms_have_graphviz(void);

#endif
