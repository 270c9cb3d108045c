/* graph.h — flat and cumulative weights per frame (pprof's report graph),
 * the engine behind `top` and `diff`.
 *
 * For each sample that passes the filters, the stack is walked root to
 * leaf over the frames of every location (inlined callers first):
 *   cum[node]  += value   once per sample, however often node recurs
 *   flat[leaf] += value   for the leaf-most frame, if it is kept
 * Like pprof, nodes whose |cum| < node_fraction × total are dropped and the
 * graph is rebuilt without them (a sample whose leaf was dropped then adds
 * no flat weight anywhere), and -n keeps the top N nodes the same way.
 * total = Σ|value| over the kept samples; with a diff base (samples marked
 * as base) pprof's rule makes it the base samples' Σ|value|. */
#ifndef MS_GRAPH_H
#define MS_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/frames.h"
#include "profile/profile.h"

typedef struct ms_graph_opts {
	size_t sample_index;
	ms_granularity granularity;
	/* POSIX extended regexes matched against frame names, function names
	 * and file names; NULL when unused. focus/ignore keep/drop whole samples
	 * with a matching frame; hide/show drop/keep single frames. */
	const char *focus, *ignore, *hide, *show;
	/* pprof's -tagfocus/-tagignore (analysis/tags.h), NULL when unused:
	 * keep/drop whole samples by their labels. */
	const char *tagfocus, *tagignore;
	double node_fraction; /* pprof's -nodefraction, default 0.005 */
	long node_count;      /* pprof's -nodecount, 0 = all */
	bool cum_sort;
	/* Optional: samples [base_from, nsamples) ... see diff; when has_base is
	 * set, is_base[i] marks base samples for pprof's total rule. */
	const bool *is_base;
	/* Call edges (peek, tree): computed when set; edges whose |weight| is
	 * below edge_fraction × Σflat are dropped (pprof's -edgefraction). */
	bool edges;
	double edge_fraction;
} ms_graph_opts;

typedef struct ms_graph_node {
	uint32_t frame; /* id in g->frames */
	int64_t flat, cum;
	bool inline_in;  /* every in-edge is an inlined call */
	bool partial_in; /* some in-edges are inlined, some not */
} ms_graph_node;

/* A call from frame src to frame dst, summed once per sample (pprof's
 * edge): inline_call when every contribution was an inlined call,
 * residual when some went over frames dropped by the trimming. */
typedef struct ms_graph_edge {
	uint32_t src, dst; /* frame ids */
	int64_t weight;
	bool inline_call, residual;
} ms_graph_edge;

typedef struct ms_graph {
	ms_frame_map frames;
	ms_graph_node *nodes; /* rows, sorted */
	size_t nnodes;
	int64_t total;        /* Σ|value| of kept samples (pprof's rpt.total) */
	int64_t flat_sum;     /* Σ flat of the rows */
	size_t dropped_nodes; /* nodes under the node_fraction cut-off */
	int64_t drop_cutoff;  /* that cut-off, in sample units */
	size_t orig_count;    /* nodes left after the cut-off, before node_count */
	size_t kept_samples;
	/* With opts.edges: edges sorted like pprof's edge lists (|weight|
	 * descending, then caller, then callee name); frame f's incoming edges
	 * are edges[in_idx[in_off[f] .. in_off[f+1])], its outgoing ones
	 * edges[out_idx[out_off[f] .. out_off[f+1])], in that order. */
	ms_graph_edge *edges;
	size_t nedges, dropped_edges;
	uint32_t *in_off, *in_idx, *out_off, *out_idx;
	/* per sample: 1 = removed by focus/ignore/tagfocus/tagignore (for views
	 * that walk the kept samples themselves: tags, traces) */
	uint8_t *skip;
} ms_graph;

void ms_graph_opts_init(ms_graph_opts *o);
int ms_graph_build(ms_graph *g, const ms_profile *p, const ms_graph_opts *o, ms_err *err);
void ms_graph_free(ms_graph *g);

/* The filters of o applied once, for views that walk the samples
 * themselves (graph, traces): skip[i] = 1 for a sample focus/ignore drop, hidden[f]
 * = 1 for a frame hide/show drop (hidden is NULL when none is), total as
 * ms_graph_build computes it. */
typedef struct ms_graph_filtered {
	uint8_t *skip, *hidden;
	int64_t total;
	size_t kept_samples;
} ms_graph_filtered;
int ms_graph_filter(const ms_profile *p, const ms_frame_map *fm, const ms_graph_opts *o, ms_graph_filtered *out,
	ms_err *err);
void ms_graph_filtered_free(ms_graph_filtered *f);

static inline const char *ms_graph_node_name(const ms_graph *g, const ms_graph_node *n)
{
	return ms_frame_name(&g->frames, n->frame);
}

#endif
