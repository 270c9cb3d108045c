/* callgraph.h — pprof's call graph (the -dot/-svg view): nodes with flat
 * and cumulative weights, caller→callee edges, and the "bytes" tags of heap
 * profiles (and string labels) that pprof draws as nodelets.
 *
 * Building follows pprof's report.newTrimmedGraph in visual mode:
 *   1. the full graph; nodeCutoff = |Σflat × nodefraction|, edgeCutoff =
 *      |Σflat × edgefraction|; nodes with |cum| < nodeCutoff are dropped and
 *      the graph is rebuilt without them (a dropped frame between two kept
 *      ones makes the edge across it "residual", drawn dotted);
 *   2. nodes sorted by entropy: score = int64(H × cum) + flat, where H sums
 *      −p·log2 p over the in-edge weights (1 for an entry node) and over the
 *      out-edge weights plus flat (1 for a leaf);
 *   3. with a node count N: tags and edges under the cut-offs trimmed, then
 *      the first nodes whose Σ(1 + min(tags with flat ≠ 0, 4)) reaches N are
 *      kept and the graph is rebuilt and re-sorted;
 *   4. tags and edges under the cut-offs trimmed (this last pass alone counts
 *      the dropped edges), and a residual edge u…v dropped when v is still
 *      reachable from u through other in-edges (RemoveRedundantEdges).
 * The edge weight of caller→callee is the Σ of values of samples whose
 * stack has that pair adjacent (once per sample); an edge is "inline" when
 * every such call was an inlined frame of the same location. */
#ifndef MS_CALLGRAPH_H
#define MS_CALLGRAPH_H

#include "analysis/graph.h"
#include "util/pairmap.h"

typedef struct ms_cg_opts {
	double edge_fraction; /* pprof's -edgefraction, default 0.001 */
} ms_cg_opts;

typedef struct ms_cg_tag {
	uint32_t node;  /* index in g->nodes */
	uint32_t group; /* the sample's joined string labels (id in g->strs; 0 = none) */
	uint32_t name;  /* label text or formatted number (id in g->strs) */
	uint32_t unit;  /* id; 0 for a string-label tag */
	bool numeric, removed;
	int64_t value;  /* numeric tags: the first value seen under this name */
	int64_t flat, cum;
} ms_cg_tag;

typedef struct ms_cg_edge {
	uint32_t src, dst; /* indexes in g->nodes */
	int64_t weight;
	bool residual, is_inline, removed;
} ms_cg_edge;

typedef struct ms_cg_node {
	uint32_t frame; /* id in g->frames */
	int64_t flat, cum;
} ms_cg_node;

typedef struct ms_callgraph {
	const ms_profile *p;
	ms_granularity granularity;
	ms_frame_map frames;
	uint32_t *frame_loc;  /* frame -> a location index */
	uint32_t *frame_line; /* frame -> its line in that location, MS_NONE if none */
	ms_cg_node *nodes;    /* in pprof's entropy order: N1, N2, ... */
	size_t nnodes;
	ms_cg_edge *edges;    /* those not removed, in pprof's DOT order */
	size_t nedges;
	ms_cg_tag *tags;      /* those not removed */
	size_t ntags;
	ms_strtab strs;       /* tag groups and names */
	int64_t total;        /* pprof's rpt.total */
	size_t orig_count, dropped_nodes, dropped_edges;
	int64_t node_cutoff_label, edge_cutoff_label; /* |total × fraction|, as pprof labels them */
	const char *out_unit; /* pprof's selectOutputUnit */
	const char *unit;     /* the sample type's unit */
} ms_callgraph;

int ms_callgraph_build(ms_callgraph *g, const ms_profile *p, const ms_graph_opts *o, const ms_cg_opts *co,
	ms_err *err);
void ms_callgraph_free(ms_callgraph *g);

/* pprof's PrintableName of a node ("main.handle", "main.go:42", ...). */
static inline const char *ms_cg_node_name(const ms_callgraph *g, const ms_cg_node *n)
{
	return ms_frame_name(&g->frames, n->frame);
}

/* The parts of a node's name as pprof's NodeInfo.NameComponents gives them:
 * address ("%016x", or ""), function name, file (or ""), line (0 if none),
 * and the fallback ("[binary]" / "<unknown>") when there is neither. */
typedef struct ms_cg_name_parts {
	char address[20];
	const char *function, *file, *fallback;
	int64_t line;
} ms_cg_name_parts;
void ms_cg_node_parts(const ms_callgraph *g, const ms_cg_node *n, ms_cg_name_parts *out);

/* pprof's graph.ShortenFunctionName: package paths, /vN suffixes, Java
 * packages and C++ namespaces removed ("github.com/a/b.F" → "b.F"). */
char *ms_shorten_function_name(const char *name);

#endif
