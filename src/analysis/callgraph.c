/* callgraph.c (API in callgraph.h) — pprof's trimmed call graph for -dot:
 * nodes, edges, tags, entropy order, redundant residual edges. */
#include "config.h"
#include "analysis/callgraph.h"
#include "util/buf.h"
#include "util/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

enum { MAX_NODELETS = 4 };

/* Per-sample tag keys, computed once: the joined string labels and the
 * formatted "bytes" numeric labels. */
typedef struct sample_tags {
	uint32_t group;   /* id in strs, 0 = no string labels */
	uint32_t nnum;
	uint32_t num_off; /* into num_name/num_value */
} sample_tags;

typedef struct builder {
	ms_callgraph *g;
	const ms_profile *p;
	const ms_graph_opts *o;
	const ms_graph_filtered *flt;
	sample_tags *st;
	uint32_t *num_name;
	int64_t *num_value;
	uint32_t bytes_unit; /* id in strs */
	/* per frame, for the pass being built */
	uint32_t *node_of; /* frame -> node index, MS_NONE = not in this graph */
	uint32_t *stamp;
	ms_pairmap edge_ix; /* (src node, dst node) -> edge index */
	uint32_t *edge_stamp;
	size_t edges_cap;
	ms_pairmap tag_ix; /* (node, numeric<<63 | group<<32 | name) -> tag */
	size_t tags_cap;
} builder;

/* ---- tag keys ---------------------------------------------------------- */

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* pprof's joinLabels: "key:value" of every string label, sorted, joined by
 * a literal backslash-n. */
static uint32_t join_labels(ms_strtab *strs, const ms_profile *p, const ms_sample *s)
{
	size_t n = 0;
	for (uint32_t i = 0; i < s->nlabels; i++)
		n += p->labels[s->label_off + i].str != 0;
	if (n == 0)
		return 0;
	char **parts = ms_xcalloc(n, sizeof *parts);
	size_t k = 0;
	for (uint32_t i = 0; i < s->nlabels; i++) {
		const ms_label *l = &p->labels[s->label_off + i];
		if (!l->str)
			continue;
		ms_buf b = MS_BUF_INIT;
		ms_buf_addf(&b, "%s:%s", ms_profile_string(p, l->key), ms_profile_string(p, l->str));
		parts[k++] = ms_buf_detach(&b, NULL);
	}
	qsort(parts, n, sizeof *parts, cmp_cstr);
	ms_buf b = MS_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ms_buf_addstr(&b, "\\n");
		ms_buf_addstr(&b, parts[i]);
		free(parts[i]);
	}
	free(parts);
	uint32_t id = ms_strtab_intern(strs, b.data, b.len);
	ms_buf_free(&b);
	return id;
}

static void prepare_tags(builder *b)
{
	const ms_profile *p = b->p;
	ms_callgraph *g = b->g;
	/* pprof keeps only the "bytes" numeric label for graphs; its unit is the
	 * first one the profile gives for it, else "bytes". */
	uint32_t bytes_key = ms_strtab_find(&p->strings, "bytes", 5);
	const char *unit = "bytes";
	bool unit_set = false;
	size_t nnum = 0;
	if (bytes_key != UINT32_MAX)
		for (size_t i = 0; i < p->nlabels; i++) {
			const ms_label *l = &p->labels[i];
			if (l->key != bytes_key || l->str)
				continue;
			nnum++;
			if (l->num_unit && !unit_set) {
				unit = ms_profile_string(p, l->num_unit);
				unit_set = true;
			}
		}
	b->bytes_unit = ms_strtab_intern0(&g->strs, unit);
	b->st = ms_xcalloc(p->nsamples ? p->nsamples : 1, sizeof *b->st);
	b->num_name = ms_xcalloc(nnum ? nnum : 1, sizeof *b->num_name);
	b->num_value = ms_xcalloc(nnum ? nnum : 1, sizeof *b->num_value);
	/* formatted names of the distinct values, memoised by value */
	ms_pairmap fmt;
	ms_pairmap_init(&fmt, 64);
	uint32_t off = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		sample_tags *t = &b->st[i];
		if (!s->nlabels)
			continue;
		t->group = join_labels(&g->strs, p, s);
		t->num_off = off;
		for (uint32_t k = 0; k < s->nlabels && bytes_key != UINT32_MAX; k++) {
			const ms_label *l = &p->labels[s->label_off + k];
			if (l->key != bytes_key || l->str)
				continue;
			uint32_t id = ms_pairmap_get(&fmt, (uint64_t)l->num, 0);
			if (id == UINT32_MAX) {
				char name[64];
				ms_format_value_as(name, sizeof name, l->num, unit, "auto");
				id = ms_pairmap_put(&fmt, (uint64_t)l->num, 0, ms_strtab_intern0(&g->strs, name));
			}
			b->num_name[off] = id;
			b->num_value[off] = l->num;
			off++;
			t->nnum++;
		}
	}
	ms_pairmap_free(&fmt);
}

/* ---- one graph pass ------------------------------------------------------ */

static ms_cg_tag *find_tag(builder *b, uint32_t node, bool numeric, uint32_t group, uint32_t name, int64_t value)
{
	ms_callgraph *g = b->g;
	uint64_t key = ((uint64_t)numeric << 63) | ((uint64_t)group << 32) | name;
	uint32_t ix = ms_pairmap_get(&b->tag_ix, node, key);
	if (ix == UINT32_MAX) {
		if (g->ntags == b->tags_cap) {
			b->tags_cap = b->tags_cap ? 2 * b->tags_cap : 64;
			g->tags = ms_xreallocarray(g->tags, b->tags_cap, sizeof *g->tags);
		}
		ix = (uint32_t)g->ntags++;
		ms_cg_tag *t = &g->tags[ix];
		memset(t, 0, sizeof *t);
		t->node = node;
		t->numeric = numeric;
		t->group = group;
		t->name = name;
		t->unit = numeric ? b->bytes_unit : 0;
		t->value = value;
		ms_pairmap_put(&b->tag_ix, node, key, ix);
	}
	return &g->tags[ix];
}

/* pprof's Node.addSample: the node's weight and its tags' */
static void add_sample(builder *b, uint32_t node, size_t si, int64_t v, bool flat)
{
	ms_callgraph *g = b->g;
	if (flat)
		g->nodes[node].flat += v;
	else
		g->nodes[node].cum += v;
	const sample_tags *t = &b->st[si];
	if (t->group) {
		ms_cg_tag *tg = find_tag(b, node, false, t->group, t->group, 0);
		*(flat ? &tg->flat : &tg->cum) += v;
	}
	for (uint32_t k = 0; k < t->nnum; k++) {
		ms_cg_tag *tg = find_tag(b, node, true, t->group, b->num_name[t->num_off + k], b->num_value[t->num_off + k]);
		*(flat ? &tg->flat : &tg->cum) += v;
	}
}

static void add_edge(builder *b, uint32_t src, uint32_t dst, int64_t v, bool residual, bool is_inline, uint32_t stamp)
{
	ms_callgraph *g = b->g;
	uint32_t ix = ms_pairmap_get(&b->edge_ix, src, dst);
	if (ix == UINT32_MAX) {
		if (g->nedges == b->edges_cap) {
			b->edges_cap = b->edges_cap ? 2 * b->edges_cap : 64;
			g->edges = ms_xreallocarray(g->edges, b->edges_cap, sizeof *g->edges);
			b->edge_stamp = ms_xreallocarray(b->edge_stamp, b->edges_cap, sizeof *b->edge_stamp);
		}
		ix = (uint32_t)g->nedges++;
		g->edges[ix] = (ms_cg_edge){ src, dst, 0, residual, is_inline, false };
		b->edge_stamp[ix] = 0;
		ms_pairmap_put(&b->edge_ix, src, dst, ix);
	} else if (b->edge_stamp[ix] == stamp) {
		return; /* once per sample */
	}
	b->edge_stamp[ix] = stamp;
	ms_cg_edge *e = &g->edges[ix];
	e->weight += v;
	e->residual |= residual;
	if (!is_inline)
		e->is_inline = false;
}

/* pprof's newGraph over the frames in kept (NULL: all), with edges and
 * tags when full is set (else only the weights, for the first cut). */
static void build_pass(builder *b, const uint8_t *kept, bool full)
{
	ms_callgraph *g = b->g;
	const ms_profile *p = b->p;
	const ms_frame_map *fm = &g->frames;
	uint32_t nf = ms_frame_count(fm);
	free(g->nodes);
	free(g->edges);
	free(g->tags);
	g->nodes = NULL, g->edges = NULL, g->tags = NULL;
	g->nnodes = g->nedges = g->ntags = 0;
	b->edges_cap = b->tags_cap = 0;
	ms_pairmap_free(&b->edge_ix);
	ms_pairmap_free(&b->tag_ix);
	ms_pairmap_init(&b->edge_ix, 256);
	ms_pairmap_init(&b->tag_ix, 256);
	size_t n = 0;
	for (uint32_t f = 0; f < nf; f++)
		n += !kept || kept[f];
	g->nodes = ms_xcalloc(n ? n : 1, sizeof *g->nodes);
	for (uint32_t f = 0; f < nf; f++) {
		b->node_of[f] = MS_NONE;
		b->stamp[f] = 0;
		if (!kept || kept[f]) {
			b->node_of[f] = (uint32_t)g->nnodes;
			g->nodes[g->nnodes++].frame = f;
		}
	}
	const uint8_t *hidden = b->flt->hidden;
	size_t vi = b->o->sample_index, nt = p->ntypes;
	for (size_t i = 0; i < p->nsamples; i++) {
		if (b->flt->skip[i])
			continue;
		const ms_sample *s = &p->samples[i];
		const uint32_t *stack = p->stack + s->stack_off;
		int64_t v = p->values[i * nt + vi];
		if (v == 0)
			continue;
		uint32_t stamp = (uint32_t)i + 1, parent = MS_NONE;
		bool residual = false;
		for (uint32_t d = s->depth; d-- > 0;) {
			uint32_t loc = stack[d];
			uint64_t lo = fm->off[loc], hi = fm->off[loc + 1];
			for (uint64_t k = hi; k-- > lo;) {
				uint32_t f = fm->frames[k];
				if (hidden && hidden[f])
					continue;
				uint32_t node = b->node_of[f];
				if (node == MS_NONE) {
					residual = true;
					continue;
				}
				if (b->stamp[f] != stamp) {
					b->stamp[f] = stamp;
					if (full)
						add_sample(b, node, i, v, false);
					else
						g->nodes[node].cum += v;
				}
				if (full && parent != MS_NONE && parent != node)
					add_edge(b, parent, node, v, residual, k != hi - 1, stamp);
				parent = node;
				residual = false;
			}
		}
		if (parent != MS_NONE && !residual) {
			if (full)
				add_sample(b, parent, i, v, true);
			else
				g->nodes[parent].flat += v;
		}
	}
	/* selectNodesForGraph: nodes without weight are not in the graph */
	uint32_t *remap = ms_xcalloc(g->nnodes ? g->nnodes : 1, sizeof *remap);
	size_t m = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		if (g->nodes[i].cum == 0 && g->nodes[i].flat == 0) {
			remap[i] = MS_NONE;
			continue;
		}
		remap[i] = (uint32_t)m;
		g->nodes[m++] = g->nodes[i];
	}
	g->nnodes = m;
	for (size_t i = 0; i < g->nedges; i++) {
		g->edges[i].src = remap[g->edges[i].src];
		g->edges[i].dst = remap[g->edges[i].dst];
	}
	for (size_t i = 0; i < g->ntags; i++)
		g->tags[i].node = remap[g->tags[i].node];
	free(remap);
}

/* ---- ordering ---------------------------------------------------------------- */

/* Go's math.Log2 (exact for powers of two). */
static double go_log2(double x)
{
	int e;
	double frac = frexp(x, &e);
	if (frac == 0.5)
		return (double)(e - 1);
	return log(frac) * (1 / M_LN2) + (double)e;
}

typedef struct sort_ctx {
	const ms_callgraph *g;
	int64_t *score;
} sort_ctx;

/* pprof's edgeEntropyScore for every node at once: H = Σ −p·log2 p over
 * the edges' |weight| (and self, the flat weight, for out-edges), p taken
 * of Σ positive weights + self. */
static void edge_entropy(const ms_callgraph *g, bool out, double *score)
{
	size_t n = g->nnodes;
	int64_t *total = ms_xcalloc(n ? n : 1, sizeof *total);
	for (size_t i = 0; i < n; i++)
		total[i] = out ? g->nodes[i].flat : 0;
	for (size_t i = 0; i < g->nedges; i++) {
		const ms_cg_edge *e = &g->edges[i];
		if (!e->removed && e->weight > 0)
			total[out ? e->src : e->dst] += e->weight;
	}
	for (size_t i = 0; i < g->nedges; i++) {
		const ms_cg_edge *e = &g->edges[i];
		uint32_t k = out ? e->src : e->dst;
		if (e->removed || total[k] == 0)
			continue;
		double frac = (double)abs64(e->weight) / (double)total[k];
		score[k] += -frac * go_log2(frac);
	}
	if (out)
		for (size_t i = 0; i < n; i++) {
			int64_t self = g->nodes[i].flat;
			if (total[i] != 0 && self > 0) {
				double frac = (double)self / (double)total[i];
				score[i] += -frac * go_log2(frac);
			}
		}
	free(total);
}

typedef struct order_item {
	ms_cg_node node;
	uint32_t old;
	int64_t score;
	const char *name;
} order_item;

static int cmp_order(const void *x, const void *y)
{
	const order_item *a = x, *b = y;
	int64_t sa = abs64(a->score), sb = abs64(b->score);
	if (sa != sb)
		return sa > sb ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	int64_t fa = abs64(a->node.flat), fb = abs64(b->node.flat);
	return fa != fb ? (fa > fb ? -1 : 1) : 0;
}

/* pprof's EntropyOrder. Edge and tag node indexes follow the new order. */
static void sort_entropy(ms_callgraph *g)
{
	size_t n = g->nnodes;
	bool *has_in = ms_xcalloc(n ? n : 1, sizeof *has_in), *has_out = ms_xcalloc(n ? n : 1, sizeof *has_out);
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed) {
			has_out[g->edges[i].src] = true;
			has_in[g->edges[i].dst] = true;
		}
	order_item *it = ms_xcalloc(n ? n : 1, sizeof *it);
	double *hin = ms_xcalloc(n ? n : 1, sizeof *hin), *hout = ms_xcalloc(n ? n : 1, sizeof *hout);
	edge_entropy(g, false, hin);
	edge_entropy(g, true, hout);
	for (size_t i = 0; i < n; i++) {
		const ms_cg_node *nd = &g->nodes[i];
		double score = 0;
		score += has_in[i] ? hin[i] : 1; /* favour entry nodes */
		score += has_out[i] ? hout[i] : 1; /* and leaves */
		it[i].node = *nd;
		it[i].old = (uint32_t)i;
		it[i].score = (int64_t)(score * (double)nd->cum) + nd->flat;
		it[i].name = ms_cg_node_name(g, nd);
	}
	qsort(it, n, sizeof *it, cmp_order);
	uint32_t *pos = ms_xcalloc(n ? n : 1, sizeof *pos);
	for (size_t i = 0; i < n; i++) {
		g->nodes[i] = it[i].node;
		pos[it[i].old] = (uint32_t)i;
	}
	for (size_t i = 0; i < g->nedges; i++) {
		g->edges[i].src = pos[g->edges[i].src];
		g->edges[i].dst = pos[g->edges[i].dst];
	}
	for (size_t i = 0; i < g->ntags; i++)
		if (g->tags[i].node != MS_NONE)
			g->tags[i].node = pos[g->tags[i].node];
	free(pos);
	free(it);
	free(hin);
	free(hout);
	free(has_in);
	free(has_out);
}

static void trim_tags(ms_callgraph *g, int64_t cutoff)
{
	for (size_t i = 0; i < g->ntags; i++) {
		ms_cg_tag *t = &g->tags[i];
		if (!(abs64(t->flat) >= cutoff || abs64(t->cum) >= cutoff))
			t->removed = true;
	}
}

static size_t trim_edges(ms_callgraph *g, int64_t cutoff)
{
	size_t dropped = 0;
	for (size_t i = 0; i < g->nedges; i++) {
		ms_cg_edge *e = &g->edges[i];
		if (!e->removed && abs64(e->weight) < cutoff) {
			e->removed = true;
			dropped++;
		}
	}
	return dropped;
}

/* pprof's edgeList order: |weight| descending, then source and
 * destination names. */
static int cmp_edges_g(const ms_callgraph *g, const ms_cg_edge *a, const ms_cg_edge *b)
{
	if (a->weight != b->weight) {
		int64_t x = abs64(a->weight), y = abs64(b->weight);
		if (x != y)
			return x > y ? -1 : 1;
	}
	int c = strcmp(ms_cg_node_name(g, &g->nodes[a->src]), ms_cg_node_name(g, &g->nodes[b->src]));
	if (c)
		return c;
	return strcmp(ms_cg_node_name(g, &g->nodes[a->dst]), ms_cg_node_name(g, &g->nodes[b->dst]));
}

typedef struct edge_ref {
	const ms_callgraph *g;
	uint32_t ix;
} edge_ref;

static int cmp_edge_refs(const void *x, const void *y)
{
	const edge_ref *a = x, *b = y;
	return cmp_edges_g(a->g, &a->g->edges[a->ix], &b->g->edges[b->ix]);
}

/* Is e's destination reachable from its source through in-edges other
 * than e (pprof's isRedundantEdge, a breadth-first search backwards)? */
static bool redundant(const ms_callgraph *g, size_t eix, uint32_t **in_lists, const size_t *in_n, uint8_t *seen,
	uint32_t *queue)
{
	const ms_cg_edge *e = &g->edges[eix];
	memset(seen, 0, g->nnodes);
	size_t qh = 0, qt = 0;
	queue[qt++] = e->dst;
	seen[e->dst] = 1;
	bool found = false;
	while (qh < qt && !found) {
		uint32_t n = queue[qh++];
		for (size_t k = 0; k < in_n[n]; k++) {
			uint32_t ie = in_lists[n][k];
			const ms_cg_edge *x = &g->edges[ie];
			if (x->removed || ie == eix || seen[x->src])
				continue;
			if (x->src == e->src) {
				found = true;
				break;
			}
			seen[x->src] = 1;
			queue[qt++] = x->src;
		}
	}
	return found;
}

static void remove_redundant_edges(ms_callgraph *g)
{
	size_t n = g->nnodes;
	size_t *in_n = ms_xcalloc(n ? n : 1, sizeof *in_n);
	uint32_t **in = ms_xcalloc(n ? n : 1, sizeof *in);
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed)
			in_n[g->edges[i].dst]++;
	for (size_t i = 0; i < n; i++)
		in[i] = ms_xcalloc(in_n[i] ? in_n[i] : 1, sizeof **in);
	memset(in_n, 0, n * sizeof *in_n);
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed)
			in[g->edges[i].dst][in_n[g->edges[i].dst]++] = (uint32_t)i;
	uint8_t *seen = ms_xcalloc(n ? n : 1, 1);
	uint32_t *queue = ms_xcalloc(n ? n : 1, sizeof *queue);
	for (size_t i = n; i > 0; i--) {
		uint32_t node = (uint32_t)(i - 1);
		size_t m = in_n[node];
		edge_ref *refs = ms_xcalloc(m ? m : 1, sizeof *refs);
		for (size_t k = 0; k < m; k++)
			refs[k] = (edge_ref){ g, in[node][k] };
		qsort(refs, m, sizeof *refs, cmp_edge_refs);
		for (size_t k = m; k > 0; k--) {
			uint32_t ix = refs[k - 1].ix;
			if (!g->edges[ix].residual)
				break;
			if (redundant(g, ix, in, in_n, seen, queue))
				g->edges[ix].removed = true;
		}
		free(refs);
	}
	for (size_t i = 0; i < n; i++)
		free(in[i]);
	free(in);
	free(in_n);
	free(seen);
	free(queue);
}

/* pprof's selectTopNodes in visual mode: nodes are counted with their
 * nodelets (tags with flat weight, at most 4 each). */
static size_t top_nodes(const ms_callgraph *g, size_t max_nodes)
{
	size_t *ntags = ms_xcalloc(g->nnodes ? g->nnodes : 1, sizeof *ntags);
	for (size_t i = 0; i < g->ntags; i++)
		if (!g->tags[i].removed && g->tags[i].node != MS_NONE && g->tags[i].flat != 0)
			ntags[g->tags[i].node]++;
	size_t count = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		size_t t = ntags[i] > MAX_NODELETS ? MAX_NODELETS : ntags[i];
		if ((count += t + 1) >= max_nodes) {
			max_nodes = i + 1;
			break;
		}
	}
	free(ntags);
	return max_nodes > g->nnodes ? g->nnodes : max_nodes;
}

static void compact(ms_callgraph *g)
{
	size_t m = 0;
	for (size_t i = 0; i < g->nedges; i++)
		if (!g->edges[i].removed && g->edges[i].src != MS_NONE && g->edges[i].dst != MS_NONE)
			g->edges[m++] = g->edges[i];
	g->nedges = m;
	edge_ref *refs = ms_xcalloc(m ? m : 1, sizeof *refs);
	for (size_t i = 0; i < m; i++)
		refs[i] = (edge_ref){ g, (uint32_t)i };
	qsort(refs, m, sizeof *refs, cmp_edge_refs);
	ms_cg_edge *sorted = ms_xcalloc(m ? m : 1, sizeof *sorted);
	for (size_t i = 0; i < m; i++)
		sorted[i] = g->edges[refs[i].ix];
	free(g->edges);
	g->edges = sorted;
	free(refs);
	m = 0;
	for (size_t i = 0; i < g->ntags; i++)
		if (!g->tags[i].removed && g->tags[i].node != MS_NONE)
			g->tags[m++] = g->tags[i];
	g->ntags = m;
}

/* pprof's selectOutputUnit over the final nodes. */
static const char *output_unit(const ms_callgraph *g)
{
	if (g->nnodes == 0)
		return "auto";
	int64_t min = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		int64_t m = abs64(g->nodes[i].flat);
		if (m == 0)
			m = abs64(g->nodes[i].cum);
		if (m > 0 && (min == 0 || m < min))
			min = m;
	}
	return ms_select_output_unit(min, g->total, g->unit);
}

int ms_callgraph_build(ms_callgraph *g, const ms_profile *p, const ms_graph_opts *o, const ms_cg_opts *co,
	ms_err *err)
{
	memset(g, 0, sizeof *g);
	g->p = p;
	g->granularity = o->granularity;
	ms_strtab_init(&g->strs);
	if (o->sample_index >= p->ntypes)
		return ms_seterr(err, "sample index %zu out of range", o->sample_index);
	g->unit = ms_profile_string(p, p->types[o->sample_index].unit);
	ms_frame_map_build(&g->frames, p, o->granularity);
	uint32_t nf = ms_frame_count(&g->frames);
	g->frame_loc = ms_xmalloc((nf ? nf : 1) * sizeof *g->frame_loc);
	g->frame_line = ms_xmalloc((nf ? nf : 1) * sizeof *g->frame_line);
	for (uint32_t f = 0; f < nf; f++)
		g->frame_loc[f] = MS_NONE;
	for (size_t li = 0; li < p->nlocations; li++)
		for (uint64_t k = g->frames.off[li]; k < g->frames.off[li + 1]; k++) {
			uint32_t f = g->frames.frames[k];
			if (g->frame_loc[f] != MS_NONE)
				continue;
			uint64_t line = k - g->frames.off[li];
			g->frame_loc[f] = (uint32_t)li;
			g->frame_line[f] = line < p->locations[li].nlines ? (uint32_t)line : MS_NONE;
		}
	ms_graph_filtered flt;
	if (ms_graph_filter(p, &g->frames, o, &flt, err) < 0) {
		ms_callgraph_free(g);
		return -1;
	}
	g->total = flt.total;
	builder b = { .g = g, .p = p, .o = o, .flt = &flt };
	b.node_of = ms_xcalloc(nf ? nf : 1, sizeof *b.node_of);
	b.stamp = ms_xcalloc(nf ? nf : 1, sizeof *b.stamp);
	ms_pairmap_init(&b.edge_ix, 16);
	ms_pairmap_init(&b.tag_ix, 16);
	prepare_tags(&b);
	uint8_t *kept = ms_xcalloc(nf ? nf : 1, 1);

	/* 1. the full graph's weights and the cut-offs */
	build_pass(&b, NULL, false);
	int64_t flat_all = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		flat_all += g->nodes[i].flat;
	int64_t node_cut = abs64((int64_t)((double)flat_all * o->node_fraction));
	int64_t edge_cut = abs64((int64_t)((double)flat_all * co->edge_fraction));
	g->node_cutoff_label = abs64((int64_t)((double)g->total * o->node_fraction));
	g->edge_cutoff_label = abs64((int64_t)((double)g->total * co->edge_fraction));
	size_t nkept = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		if (abs64(g->nodes[i].cum) >= node_cut) {
			kept[g->nodes[i].frame] = 1;
			nkept++;
		}
	g->dropped_nodes = node_cut > 0 ? g->nnodes - nkept : 0;
	build_pass(&b, kept, true);
	g->orig_count = g->nnodes;
	sort_entropy(g);

	/* 3. the node count, nodelets included */
	if (o->node_count > 0) {
		trim_tags(g, node_cut);
		trim_edges(g, edge_cut);
		size_t top = top_nodes(g, (size_t)o->node_count);
		if (top != g->nnodes) {
			memset(kept, 0, nf);
			for (size_t i = 0; i < top; i++)
				kept[g->nodes[i].frame] = 1;
			build_pass(&b, kept, true);
			sort_entropy(g);
		}
	}
	/* 4. the last trim, then residual edges that add nothing */
	trim_tags(g, node_cut);
	g->dropped_edges = trim_edges(g, edge_cut);
	remove_redundant_edges(g);
	compact(g);
	g->out_unit = output_unit(g);

	free(kept);
	free(b.node_of);
	free(b.stamp);
	free(b.edge_stamp);
	free(b.st);
	free(b.num_name);
	free(b.num_value);
	ms_pairmap_free(&b.edge_ix);
	ms_pairmap_free(&b.tag_ix);
	ms_graph_filtered_free(&flt);
	return 0;
}

void ms_callgraph_free(ms_callgraph *g)
{
	ms_frame_map_free(&g->frames);
	free(g->frame_loc);
	free(g->frame_line);
	free(g->nodes);
	free(g->edges);
	free(g->tags);
	ms_strtab_free(&g->strs);
	memset(g, 0, sizeof *g);
}

void ms_cg_node_parts(const ms_callgraph *g, const ms_cg_node *n, ms_cg_name_parts *out)
{
	const ms_profile *p = g->p;
	memset(out, 0, sizeof *out);
	out->function = out->file = "";
	uint32_t li = g->frame_loc[n->frame];
	const ms_location *loc = li != MS_NONE ? &p->locations[li] : NULL;
	uint32_t line = g->frame_line[n->frame];
	if (loc && g->granularity == MS_GRAN_ADDRESSES && loc->address)
		snprintf(out->address, sizeof out->address, "%016llx", (unsigned long long)loc->address);
	if (loc && line != MS_NONE) {
		const ms_line *ln = &p->lines[loc->line_off + line];
		const ms_function *fn = &p->functions[ln->function];
		if (g->granularity != MS_GRAN_FILES)
			out->function = ms_profile_string(p, fn->name);
		if (g->granularity != MS_GRAN_FUNCTIONS)
			out->file = ms_profile_string(p, fn->filename);
		if (g->granularity == MS_GRAN_LINES || g->granularity == MS_GRAN_ADDRESSES)
			out->line = ln->line;
	}
	if (!*out->function && !*out->file && !out->line) {
		/* no symbol: frames.c's own name ("[binary]", "<unknown>") */
		out->fallback = ms_frame_name(&g->frames, n->frame);
	}
}

/* ---- ShortenFunctionName ---------------------------------------------------- */

static bool is_word(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* goVerRegExp `^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$`: the first "/vN"
 * (N ≥ 2, no leading zero) followed by '.' or '/' is removed. */
static void drop_go_version(char *s)
{
	for (char *q = strstr(s, "/v"); q; q = strstr(q + 1, "/v")) {
		char *d = q + 2, *e = d;
		while (isdigit((unsigned char)*e))
			e++;
		size_t nd = (size_t)(e - d);
		bool ok = (nd == 1 && *d >= '2') || (nd >= 2 && *d != '0');
		if (ok && (*e == '.' || *e == '/')) {
			memmove(q, e, strlen(e) + 1);
			return;
		}
	}
}

/* goRegExp `^(?:[\w\-\.]+\/)+(.+)`: what follows the last package path
 * element (greedy), as long as something follows. */
static const char *go_short(const char *s)
{
	const char *pos = s, *last = NULL;
	for (;;) {
		const char *j = pos;
		while (*j && (is_word(*j) || *j == '-' || *j == '.'))
			j++;
		if (j == pos || *j != '/')
			break;
		pos = j + 1;
		if (*pos && *pos != '\n')
			last = pos;
	}
	return last;
}

/* javaRegExp `^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)`. */
static bool java_short(const char *s, const char **b, const char **e)
{
	const char *starts[256];
	size_t ns = 0;
	const char *pos = s;
	starts[ns++] = pos;
	for (;;) {
		if (!(*pos >= 'a' && *pos <= 'z'))
			break;
		const char *j = pos + 1;
		while (is_word(*j))
			j++;
		if (*j != '.' || ns == 256)
			break;
		pos = j + 1;
		starts[ns++] = pos;
	}
	for (size_t i = ns; i-- > 0;) {
		const char *q = starts[i];
		if (!(*q >= 'A' && *q <= 'Z'))
			continue;
		const char *j = q + 1;
		while (is_word(*j) || *j == '$')
			j++;
		if (*j != '.')
			continue;
		j++;
		const char *end;
		if (strncmp(j, "<init>", 6) == 0)
			end = j + 6;
		else if (*j >= 'a' && *j <= 'z') {
			end = j + 1;
			while (is_word(*end) || *end == '$')
				end++;
		} else
			continue;
		if (*end == '(' || *end == '\0') {
			*b = q;
			*e = end;
			return true;
		}
	}
	return false;
}

/* cppRegExp `^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)`. */
static bool cpp_short(const char *s, const char **b, const char **e)
{
	const char *starts[256];
	size_t ns = 0;
	const char *pos = s;
	for (;;) {
		if (!(*pos == '_' || isalpha((unsigned char)*pos)))
			break;
		const char *j = pos + 1;
		while (is_word(*j))
			j++;
		if (strncmp(j, "::", 2) != 0 || ns == 256)
			break;
		pos = j + 2;
		starts[ns++] = pos;
	}
	for (size_t i = ns; i-- > 0;) {
		const char *q = starts[i], *j = q;
		while (*j == '_')
			j++;
		if (!(*j >= 'A' && *j <= 'Z'))
			continue;
		j++;
		while (is_word(*j))
			j++;
		if (strncmp(j, "::", 2) != 0)
			continue;
		j += 2;
		if (*j == '~')
			j++;
		if (!(*j == '_' || isalpha((unsigned char)*j)))
			continue;
		j++;
		while (is_word(*j))
			j++;
		if (*j == '<') {
			const char *nl = strchr(j, '\n');
			const char *lim = nl ? nl : j + strlen(j);
			const char *gt = NULL;
			for (const char *c = j + 1; c < lim; c++)
				if (*c == '>')
					gt = c;
			if (gt)
				j = gt + 1;
		}
		*b = q;
		*e = j;
		return true;
	}
	return false;
}

char *ms_shorten_function_name(const char *name)
{
	const char *anon = "(anonymous namespace)::";
	if (strncmp(name, anon, strlen(anon)) == 0)
		name += strlen(anon);
	char *s = ms_xstrdup(name);
	drop_go_version(s);
	const char *b, *e;
	if ((b = go_short(s))) {
		char *r = ms_xstrdup(b);
		free(s);
		return r;
	}
	if (java_short(s, &b, &e) || cpp_short(s, &b, &e)) {
		size_t n = (size_t)(e - b);
		char *r = ms_xmalloc(n + 1);
		memcpy(r, b, n);
		r[n] = '\0';
		free(s);
		return r;
	}
	return s;
}
