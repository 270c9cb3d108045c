/* graph.c — per-frame flat/cum weights with pprof's filtering and trimming. */
#include "config.h"
#include "analysis/graph.h"
#include "analysis/tags.h"
#include "util/pairmap.h"
#include "util/regex.h"

#include <stdlib.h>
#include <string.h>

void ms_graph_opts_init(ms_graph_opts *o)
{
	memset(o, 0, sizeof *o);
	o->granularity = MS_GRAN_FUNCTIONS;
	o->node_fraction = 0.005;
}

enum { F_HIDDEN = 1, F_FOCUS = 2, F_IGNORE = 4 };

typedef struct walk {
	const ms_profile *p;
	const ms_graph_opts *o;
	const ms_frame_map *fm;
	const uint8_t *fflags;  /* per frame */
	const uint8_t *skip;    /* per sample: 1 = filtered out */
	uint32_t *stamp;        /* per frame: last sample index + 1 */
	int64_t *flat, *cum;    /* per frame */
	uint8_t *in_inline, *in_plain; /* per frame: kinds of in-traversals */
	/* call edges (opts.edges): (src, dst) -> index, and per edge the last
	 * sample that added to it (pprof adds an edge once per sample) */
	ms_pairmap *edges;
	ms_graph_edge *elist;
	uint32_t *estamp;
	size_t nedges, ecap;
	/* Frames that may be marked both ways (inline_candidates): the call
	 * edges (caller, callee) into them, each inlined or not. */
	const uint8_t *suspect;
	ms_pairmap iedges;
	uint32_t *iedge_to, *iedge_stamp;
	uint8_t *iedge_inline;
	size_t niedges, iedges_cap;
} walk;

static void add_edge(walk *w, uint32_t src, uint32_t dst, int64_t v, uint32_t stamp, bool residual, bool is_inline)
{
	uint32_t e = ms_pairmap_put(w->edges, src, dst, (uint32_t)w->nedges);
	if (e == w->nedges) {
		if (w->nedges == w->ecap) {
			w->ecap = w->ecap ? 2 * w->ecap : 256;
			w->elist = ms_xreallocarray(w->elist, w->ecap, sizeof *w->elist);
			w->estamp = ms_xreallocarray(w->estamp, w->ecap, sizeof *w->estamp);
		}
		w->elist[e] = (ms_graph_edge){ src, dst, 0, is_inline, residual };
		w->estamp[e] = 0;
		w->nedges++;
	}
	if (w->estamp[e] == stamp)
		return;
	w->estamp[e] = stamp;
	ms_graph_edge *ed = &w->elist[e];
	ed->weight += v;
	ed->residual |= residual;
	if (!is_inline)
		ed->inline_call = false;
}

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

static int compile(regex_t *re, const char *pattern, const char *what, ms_err *err)
{
	return ms_regex_compile(re, pattern, what, err);
}

/* A frame matches when its printable name, or any function/file behind it,
 * matches. The printable name covers the granularity's view; function and
 * file names make --focus=main.go work at every granularity. */
static int frame_matches(const regex_t *re, const char *name) { return regexec(re, name, 0, NULL, 0) == 0; }

static int compute_frame_flags(uint8_t *flags, const ms_profile *p, const ms_frame_map *fm,
	const ms_graph_opts *o, ms_err *err)
{
	regex_t re[4];
	const char *pat[4] = { o->focus, o->ignore, o->hide, o->show };
	const char *what[4] = { "focus", "ignore", "hide", "show" };
	bool have[4] = { false, false, false, false };
	int rc = 0;
	for (int i = 0; i < 4; i++) {
		if (!pat[i])
			continue;
		if (compile(&re[i], pat[i], what[i], err) < 0) {
			rc = -1;
			goto out;
		}
		have[i] = true;
	}
	if (!have[0] && !have[1] && !have[2] && !have[3])
		goto out;
	uint32_t nf = ms_frame_count(fm);
	uint8_t *done = ms_xcalloc(nf, 1);
	for (size_t li = 0; li < p->nlocations; li++) {
		const ms_location *loc = &p->locations[li];
		for (uint64_t k = fm->off[li]; k < fm->off[li + 1]; k++) {
			uint32_t f = fm->frames[k];
			if (done[f])
				continue;
			done[f] = 1;
			const char *names[3] = { ms_frame_name(fm, f), NULL, NULL };
			uint64_t line = k - fm->off[li];
			if (line < loc->nlines) {
				const ms_function *fn = &p->functions[p->lines[loc->line_off + line].function];
				names[1] = ms_profile_string(p, fn->name);
				names[2] = ms_profile_string(p, fn->filename);
			}
			bool m[4] = { false, false, false, false };
			for (int i = 0; i < 4; i++)
				for (int j = 0; j < 3 && have[i] && !m[i]; j++)
					if (names[j] && *names[j] && frame_matches(&re[i], names[j]))
						m[i] = true;
			uint8_t fl = 0;
			if ((have[2] && m[2]) || (have[3] && !m[3]))
				fl |= F_HIDDEN;
			if (m[0])
				fl |= F_FOCUS;
			if (m[1])
				fl |= F_IGNORE;
			flags[f] = fl;
		}
	}
	free(done);
out:
	for (int i = 0; i < 4; i++)
		if (have[i])
			regfree(&re[i]);
	return rc;
}

/* Marks samples removed by focus/ignore; returns Σ|v| over all samples. */
static int64_t filter_samples(walk *w, uint8_t *skip, size_t *kept)
{
	const ms_profile *p = w->p;
	const ms_graph_opts *o = w->o;
	int64_t total = 0, base_total = 0;
	*kept = 0;
	/* pprof's tagfocus/tagignore drop whole samples, as focus/ignore do;
	 * the values were checked (ms_tag_filter_check), so this cannot fail */
	ms_err tag_err;
	(void)ms_tag_select(p, o->tagfocus, o->tagignore, o->is_base, skip, &tag_err);
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		const uint32_t *stack = p->stack + s->stack_off;
		int64_t v = abs64(p->values[i * p->ntypes + o->sample_index]);
		/* pprof's total is the unfiltered profile's: focus/ignore change
		 * the rows, not the denominator. */
		total += v;
		if (o->is_base && o->is_base[i])
			base_total += v;
		if (skip[i]) /* tagfocus/tagignore */
			continue;
		if (o->focus || o->ignore) {
			bool focus = !o->focus, ignore = false;
			for (uint32_t d = 0; d < s->depth; d++) {
				uint32_t loc = stack[d];
				for (uint64_t k = w->fm->off[loc]; k < w->fm->off[loc + 1]; k++) {
					uint8_t fl = w->fflags[w->fm->frames[k]];
					if (fl & F_FOCUS)
						focus = true;
					if (fl & F_IGNORE)
						ignore = true;
				}
			}
			if (!focus || ignore) {
				skip[i] = 1;
				continue;
			}
		}
		(*kept)++;
	}
	if (o->is_base && base_total > 0)
		total = base_total;
	return total;
}

/* A traversal of the call edge parent -> f by sample stamp - 1. pprof
 * (graph.newGraph, Node.AddToEdgeDiv) counts an edge once per sample, at
 * its first traversal from the root, and the edge stays inlined only while
 * every such traversal is. */
static void note_inline_edge(walk *w, uint32_t parent, uint32_t f, bool inlined, uint32_t stamp)
{
	uint32_t e = ms_pairmap_put(&w->iedges, parent, f, (uint32_t)w->niedges);
	if (e == w->niedges) {
		if (w->niedges == w->iedges_cap) {
			w->iedges_cap = w->iedges_cap ? w->iedges_cap * 2 : 64;
			w->iedge_to = ms_xreallocarray(w->iedge_to, w->iedges_cap, sizeof *w->iedge_to);
			w->iedge_stamp = ms_xreallocarray(w->iedge_stamp, w->iedges_cap, sizeof *w->iedge_stamp);
			w->iedge_inline = ms_xreallocarray(w->iedge_inline, w->iedges_cap, sizeof *w->iedge_inline);
		}
		w->iedge_to[e] = f;
		w->iedge_stamp[e] = stamp;
		w->iedge_inline[e] = inlined;
		w->niedges++;
	} else if (w->iedge_stamp[e] != stamp) {
		w->iedge_stamp[e] = stamp;
		w->iedge_inline[e] &= inlined;
	}
}

/* One pass over the kept samples. kept == NULL: every frame kept, only cum
 * is needed. Otherwise computes flat and the inline flags for kept frames. */
static void walk_samples(walk *w, const uint8_t *kept)
{
	const ms_profile *p = w->p;
	const ms_frame_map *fm = w->fm;
	const uint8_t *fflags = w->fflags;
	size_t vi = w->o->sample_index, nt = p->ntypes;
	for (size_t i = 0; i < p->nsamples; i++) {
		if (w->skip[i])
			continue;
		const ms_sample *s = &p->samples[i];
		const uint32_t *stack = p->stack + s->stack_off;
		int64_t v = p->values[i * nt + vi];
		if (v == 0)
			continue; /* pprof skips weightless samples entirely */
		uint32_t stamp = (uint32_t)i + 1;
		uint32_t parent = MS_NONE;
		bool residual = false;
		for (uint32_t d = s->depth; d-- > 0;) {
			uint32_t loc = stack[d];
			uint64_t lo = fm->off[loc], hi = fm->off[loc + 1];
			/* a call is inlined unless the frame is its location's
			 * outermost one left after --hide/--show (pprof filters
			 * the lines first) */
			bool outer = true;
			for (uint64_t k = hi; k-- > lo;) {
				uint32_t f = fm->frames[k];
				if (fflags && (fflags[f] & F_HIDDEN))
					continue;
				bool is_inline = !outer;
				outer = false;
				if (kept && !kept[f]) {
					residual = true;
					continue;
				}
				if (w->stamp[f] != stamp) {
					w->stamp[f] = stamp;
					if (!kept)
						w->cum[f] += v;
				}
				if (kept && parent != MS_NONE && parent != f) {
					if (is_inline)
						w->in_inline[f] = 1;
					else
						w->in_plain[f] = 1;
					if (w->edges)
						add_edge(w, parent, f, v, stamp, residual, is_inline);
					if (w->suspect && w->suspect[f])
						note_inline_edge(w, parent, f, is_inline, stamp);
				}
				parent = f;
				residual = false;
			}
		}
		if (parent != MS_NONE && !residual)
			w->flat[parent] += v;
	}
}

typedef struct sort_item {
	ms_graph_node node;
	const char *name;
	const ms_frame_map *fm;
} sort_item;

/* pprof's compareNodes, the last tie-break: fmt.Sprint of the NodeInfos
 * (only frames that print alike and weigh the same get here). */
static int cmp_info(const sort_item *x, const sort_item *y)
{
	char *a = ms_frame_info_string(x->fm, x->node.frame), *b = ms_frame_info_string(y->fm, y->node.frame);
	int c = strcmp(a, b);
	free(a);
	free(b);
	return c;
}

static int cmp_items_flat(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	int64_t fx = abs64(x->node.flat), fy = abs64(y->node.flat);
	if (fx != fy)
		return fx > fy ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	int64_t cx = abs64(x->node.cum), cy = abs64(y->node.cum);
	return cx != cy ? (cx > cy ? -1 : 1) : cmp_info(x, y);
}

static int cmp_items_cum(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	int64_t cx = abs64(x->node.cum), cy = abs64(y->node.cum);
	if (cx != cy)
		return cx > cy ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	int64_t fx = abs64(x->node.flat), fy = abs64(y->node.flat);
	return fx != fy ? (fx > fy ? -1 : 1) : cmp_info(x, y);
}

static void sort_nodes(ms_graph *g, bool cum)
{
	sort_item *items = ms_xcalloc(g->nnodes, sizeof *items);
	for (size_t i = 0; i < g->nnodes; i++) {
		items[i].node = g->nodes[i];
		items[i].name = ms_graph_node_name(g, &g->nodes[i]);
		items[i].fm = &g->frames;
	}
	qsort(items, g->nnodes, sizeof *items, cum ? cmp_items_cum : cmp_items_flat);
	for (size_t i = 0; i < g->nnodes; i++)
		g->nodes[i] = items[i].node;
	free(items);
}

/* pprof's marks: "(inline)" when every call edge into a node is inlined,
 * "(partial-inline)" when some are, an edge being inlined only while each
 * of its counted traversals is (note_inline_edge). The walk notes, per
 * node, whether any traversal into it was inlined and whether any was not;
 * a node with one kind only gets its mark from that. Only a frame that is
 * an inlined line in some location and the outermost line left after
 * --hide/--show in another can see both, so calls into those candidates
 * alone are tracked per edge, during the same walk; a profile without
 * candidates pays nothing. Returns whether there is any. */
static bool inline_candidates(const ms_profile *p, const ms_frame_map *fm, const uint8_t *fflags, uint8_t *cand,
	uint32_t nf)
{
	for (size_t li = 0; li < p->nlocations; li++) {
		bool outer = true;
		for (uint64_t k = fm->off[li + 1]; k-- > fm->off[li];) {
			uint32_t f = fm->frames[k];
			if (fflags && (fflags[f] & F_HIDDEN))
				continue;
			cand[f] |= outer ? 2 : 1;
			outer = false;
		}
	}
	bool any = false;
	for (uint32_t f = 0; f < nf; f++) {
		cand[f] = cand[f] == 3;
		any |= cand[f] != 0;
	}
	return any;
}

/* After a walk: the candidates' marks from their edges. */
static void resolve_inline(walk *w, uint32_t nf)
{
	if (!w->suspect)
		return;
	for (uint32_t f = 0; f < nf; f++)
		if (w->suspect[f])
			w->in_inline[f] = w->in_plain[f] = 0;
	for (size_t e = 0; e < w->niedges; e++) {
		if (w->iedge_inline[e])
			w->in_inline[w->iedge_to[e]] = 1;
		else
			w->in_plain[w->iedge_to[e]] = 1;
	}
}

/* Builds rows for the frames in kept (flat recomputed without the others). */
static void collect(ms_graph *g, walk *w, const uint8_t *kept, uint32_t nf)
{
	memset(w->flat, 0, nf * sizeof *w->flat);
	memset(w->in_inline, 0, nf);
	memset(w->in_plain, 0, nf);
	memset(w->stamp, 0, nf * sizeof *w->stamp);
	if (w->edges) {
		ms_pairmap_free(w->edges);
		ms_pairmap_init(w->edges, 1024);
		w->nedges = 0;
	}
	if (w->suspect) {
		ms_pairmap_free(&w->iedges);
		ms_pairmap_init(&w->iedges, 64);
		w->niedges = 0;
	}
	walk_samples(w, kept);
	resolve_inline(w, nf);
	g->nnodes = 0;
	g->flat_sum = 0;
	for (uint32_t f = 0; f < nf; f++) {
		if (!kept[f])
			continue;
		ms_graph_node *n = &g->nodes[g->nnodes++];
		n->frame = f;
		n->flat = w->flat[f];
		n->cum = w->cum[f];
		n->inline_in = w->in_inline[f] && !w->in_plain[f];
		n->partial_in = w->in_inline[f] && w->in_plain[f];
		g->flat_sum += n->flat;
	}
}

typedef struct edge_item {
	ms_graph_edge e;
	const char *src, *dst;
} edge_item;

/* pprof's edgeList order: |weight| descending, then the caller's name, then
 * the callee's. Restricted to one callee (or one caller) it is the order of
 * that node's in (or out) edges, so one sort serves every node. */
static int cmp_edges(const void *a, const void *b)
{
	const edge_item *x = a, *y = b;
	if (x->e.weight != y->e.weight) {
		int64_t ax = abs64(x->e.weight), ay = abs64(y->e.weight);
		if (ax != ay)
			return ax > ay ? -1 : 1;
	}
	int c = strcmp(x->src, y->src);
	return c ? c : strcmp(x->dst, y->dst);
}

/* Drops edges under the cut-off (pprof's TrimLowFrequencyEdges), sorts the
 * rest and indexes them by caller and by callee. */
static void finish_edges(ms_graph *g, walk *w, int64_t cutoff, uint32_t nf)
{
	edge_item *items = ms_xcalloc(w->nedges ? w->nedges : 1, sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < w->nedges; i++) {
		if (abs64(w->elist[i].weight) < cutoff) {
			g->dropped_edges++;
			continue;
		}
		items[n].e = w->elist[i];
		items[n].src = ms_frame_name(&g->frames, w->elist[i].src);
		items[n].dst = ms_frame_name(&g->frames, w->elist[i].dst);
		n++;
	}
	qsort(items, n, sizeof *items, cmp_edges);
	g->edges = ms_xcalloc(n ? n : 1, sizeof *g->edges);
	g->nedges = n;
	for (size_t i = 0; i < n; i++)
		g->edges[i] = items[i].e;
	free(items);
	g->in_off = ms_xcalloc((size_t)nf + 1, sizeof *g->in_off);
	g->out_off = ms_xcalloc((size_t)nf + 1, sizeof *g->out_off);
	g->in_idx = ms_xcalloc(n ? n : 1, sizeof *g->in_idx);
	g->out_idx = ms_xcalloc(n ? n : 1, sizeof *g->out_idx);
	for (size_t i = 0; i < n; i++) {
		g->in_off[g->edges[i].dst + 1]++;
		g->out_off[g->edges[i].src + 1]++;
	}
	for (uint32_t f = 0; f < nf; f++) {
		g->in_off[f + 1] += g->in_off[f];
		g->out_off[f + 1] += g->out_off[f];
	}
	uint32_t *in_fill = ms_xcalloc((size_t)nf + 1, sizeof *in_fill);
	uint32_t *out_fill = ms_xcalloc((size_t)nf + 1, sizeof *out_fill);
	for (size_t i = 0; i < n; i++) {
		uint32_t d = g->edges[i].dst, s = g->edges[i].src;
		g->in_idx[g->in_off[d] + in_fill[d]++] = (uint32_t)i;
		g->out_idx[g->out_off[s] + out_fill[s]++] = (uint32_t)i;
	}
	free(in_fill);
	free(out_fill);
}

int ms_graph_build(ms_graph *g, const ms_profile *p, const ms_graph_opts *o, ms_err *err)
{
	memset(g, 0, sizeof *g);
	if (o->sample_index >= p->ntypes)
		return ms_seterr(err, "sample index %zu out of range", o->sample_index);
	ms_frame_map_build(&g->frames, p, o->granularity);
	uint32_t nf = ms_frame_count(&g->frames);
	uint8_t *fflags = ms_xcalloc(nf ? nf : 1, 1);
	uint8_t *skip = ms_xcalloc(p->nsamples ? p->nsamples : 1, 1);
	uint8_t *kept = ms_xcalloc(nf ? nf : 1, 1);
	uint8_t *present = ms_xcalloc(nf ? nf : 1, 1);
	uint8_t *suspect = NULL;
	walk w = { .p = p, .o = o, .fm = &g->frames, .skip = skip };
	w.stamp = ms_xcalloc(nf ? nf : 1, sizeof *w.stamp);
	w.flat = ms_xcalloc(nf ? nf : 1, sizeof *w.flat);
	w.cum = ms_xcalloc(nf ? nf : 1, sizeof *w.cum);
	w.in_inline = ms_xcalloc(nf ? nf : 1, 1);
	w.in_plain = ms_xcalloc(nf ? nf : 1, 1);
	ms_pairmap edges = { 0 };
	if (o->edges) {
		w.edges = &edges;
		ms_pairmap_init(&edges, 1024);
	}
	int rc = -1;

	if (compute_frame_flags(fflags, p, &g->frames, o, err) < 0)
		goto out;
	bool any_hidden = false;
	for (uint32_t f = 0; f < nf; f++)
		any_hidden |= (fflags[f] & F_HIDDEN) != 0;
	w.fflags = (o->focus || o->ignore || any_hidden) ? fflags : NULL;
	suspect = ms_xcalloc(nf ? nf : 1, 1);
	if (inline_candidates(p, &g->frames, w.fflags, suspect, nf))
		w.suspect = suspect;
	if (ms_tag_filter_check("tagfocus", o->tagfocus, err) < 0 || ms_tag_filter_check("tagignore", o->tagignore, err) < 0)
		goto out;
	g->total = filter_samples(&w, skip, &g->kept_samples);
	walk_samples(&w, NULL);

	/* Nodes that exist: pprof keeps graph nodes with non-zero weight. */
	size_t nexist = 0;
	for (uint32_t f = 0; f < nf; f++) {
		present[f] = w.cum[f] != 0 || w.flat[f] != 0;
		nexist += present[f];
	}
	/* pprof cuts at node_fraction of the full graph's Σflat (which differs
	 * from the total for diffs), but labels the cut with the total's. */
	int64_t flat_all = 0;
	for (uint32_t f = 0; f < nf; f++)
		flat_all += present[f] ? w.flat[f] : 0;
	int64_t cutoff = abs64((int64_t)((double)flat_all * o->node_fraction));
	g->drop_cutoff = abs64((int64_t)((double)g->total * o->node_fraction));
	size_t nkept = 0;
	for (uint32_t f = 0; f < nf; f++) {
		kept[f] = present[f] && abs64(w.cum[f]) >= cutoff;
		nkept += kept[f];
	}
	g->dropped_nodes = cutoff > 0 ? nexist - nkept : 0;
	g->orig_count = nkept;
	g->nodes = ms_xcalloc(nkept ? nkept : 1, sizeof *g->nodes);
	collect(g, &w, kept, nf);
	sort_nodes(g, o->cum_sort);

	if (o->node_count > 0 && g->nnodes > (size_t)o->node_count) {
		memset(kept, 0, nf);
		for (size_t i = 0; i < (size_t)o->node_count; i++)
			kept[g->nodes[i].frame] = 1;
		collect(g, &w, kept, nf);
		sort_nodes(g, o->cum_sort);
	}
	if (w.edges)
		finish_edges(g, &w, abs64((int64_t)((double)flat_all * o->edge_fraction)), nf);
	g->skip = skip;
	skip = NULL;
	rc = 0;
out:
	if (w.edges)
		ms_pairmap_free(w.edges);
	free(w.elist);
	free(w.estamp);
	ms_pairmap_free(&w.iedges);
	free(w.iedge_to);
	free(w.iedge_stamp);
	free(w.iedge_inline);
	free(suspect);
	free(fflags);
	free(skip);
	free(kept);
	free(present);
	free(w.stamp);
	free(w.flat);
	free(w.cum);
	free(w.in_inline);
	free(w.in_plain);
	if (rc < 0)
		ms_graph_free(g);
	return rc;
}

int ms_graph_filter(const ms_profile *p, const ms_frame_map *fm, const ms_graph_opts *o, ms_graph_filtered *out,
	ms_err *err)
{
	uint32_t nf = ms_frame_count(fm);
	memset(out, 0, sizeof *out);
	uint8_t *fflags = ms_xcalloc(nf ? nf : 1, 1);
	if (compute_frame_flags(fflags, p, fm, o, err) < 0) {
		free(fflags);
		return -1;
	}
	out->skip = ms_xcalloc(p->nsamples ? p->nsamples : 1, 1);
	walk w = { .p = p, .o = o, .fm = fm, .fflags = fflags, .skip = out->skip };
	out->total = filter_samples(&w, out->skip, &out->kept_samples);
	bool any_hidden = false;
	for (uint32_t f = 0; f < nf; f++) {
		fflags[f] = (fflags[f] & F_HIDDEN) != 0;
		any_hidden |= fflags[f] != 0;
	}
	if (any_hidden)
		out->hidden = fflags;
	else
		free(fflags);
	return 0;
}

void ms_graph_filtered_free(ms_graph_filtered *f)
{
	free(f->skip);
	free(f->hidden);
	f->skip = f->hidden = NULL;
}

void ms_graph_free(ms_graph *g)
{
	ms_frame_map_free(&g->frames);
	free(g->nodes);
	g->nodes = NULL;
	free(g->skip);
	g->skip = NULL;
	g->nnodes = 0;
	free(g->edges);
	free(g->in_off);
	free(g->in_idx);
	free(g->out_off);
	free(g->out_idx);
	g->edges = NULL;
	g->in_off = g->in_idx = g->out_off = g->out_idx = NULL;
	g->nedges = 0;
}
