/* dot.c (API in dot.h) — pprof's ComposeDot: the call graph as DOT text,
 * its JSON form, and SVG through Graphviz's gvc library.
 *
 * Sizes and colours, as pprof computes them:
 *   node font size  8 + ceil(16 × sqrt(|flat| / max |flat|))   (8 if flat = 0)
 *   edge weight     1 + min(|w × 100 / total|, 100)            (only when > 1)
 *   edge penwidth   1 + min(|w × 5 / total|, 5)                (only when > 1)
 *   colour          score = clamp(v / |total|, −1, 1); saturation × |score|/0.2
 *                   below 0.2; score^0.3 (sign kept); red for growth, green
 *                   for shrinkage: r = V, g = V(1 − S·score), b = V(1 − S),
 *                   with (S, V) = (1, 0.7) for lines, (0.1, 0.93) for fills. */
#include "config.h"
#include "render/dot.h"
#include "render/json.h"
#include "render/top.h"
#include "util/buf.h"
#include "util/units.h"
#include "src/render/graph_svg_js.h" /* GRAPH_SVG_JS, generated from graph_svg.js */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_GRAPHVIZ
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#endif

enum { MAX_NODELETS = 4 };

static int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

/* pprof's escapeForDot: backslashes and quotes escaped, newlines as \l. */
static void add_escaped(ms_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			ms_buf_addstr(b, "\\\\");
		else if (*s == '"')
			ms_buf_addstr(b, "\\\"");
		else if (*s == '\n')
			ms_buf_addstr(b, "\\l");
		else
			ms_buf_addch(b, *s);
	}
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static void dot_color(char out[8], double score, int background)
{
	const double shift = 0.7;
	double saturation = background ? 0.1 : 1.0, value = background ? 0.93 : 0.7;
	score = fmax(-1.0, fmin(1.0, score));
	if (fabs(score) < 0.2)
		saturation *= fabs(score) / 0.2;
	if (score > 0.0)
		score = pow(score, 1.0 - shift);
	if (score < 0.0)
		score = -pow(-score, 1.0 - shift);
	double r, g, b;
	if (score < 0.0) {
		g = value;
		r = value * (1 + saturation * score);
	} else {
		r = value;
		g = value * (1 - saturation * score);
	}
	b = value * (1 - saturation);
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)(uint8_t)(r * 255.0), (unsigned)(uint8_t)(g * 255.0),
		(unsigned)(uint8_t)(b * 255.0));
}

typedef struct dot_ctx {
	FILE *fp;
	const ms_callgraph *g;
	const char *unit, *out;
} dot_ctx;

static const char *fmt_value(const dot_ctx *c, char *buf, size_t n, int64_t v)
{
	return ms_format_value_as(buf, n, v, c->unit, c->out);
}

static const char *trimmed_percent(char *buf, size_t n, int64_t v, int64_t total)
{
	ms_format_percent(buf, n, v, total);
	const char *s = buf;
	while (*s == ' ')
		s++;
	return s;
}

/* pprof's multilinePrintableName: short function name with '.' and '::'
 * as line breaks, the file's base name, each part ending in \n. */
static void multiline_name(ms_buf *b, const ms_callgraph *g, const ms_cg_node *n)
{
	ms_cg_name_parts np;
	ms_cg_node_parts(g, n, &np);
	if (np.fallback) {
		add_escaped(b, np.fallback);
		ms_buf_addstr(b, "\\n");
		return;
	}
	if (np.address[0]) {
		ms_buf_addstr(b, np.address);
		ms_buf_addstr(b, "\\n");
	}
	if (*np.function) {
		char *shortname = ms_shorten_function_name(np.function);
		ms_buf esc = MS_BUF_INIT;
		add_escaped(&esc, shortname);
		free(shortname);
		for (const char *s = esc.data; *s;) {
			if (strncmp(s, "::", 2) == 0) {
				ms_buf_addstr(b, "\\n");
				s += 2;
			} else if (strncmp(s, "[...]", 5) == 0) {
				ms_buf_addstr(b, "[\xe2\x80\xa6]");
				s += 5;
			} else if (*s == '.') {
				ms_buf_addstr(b, "\\n");
				s++;
			} else
				ms_buf_addch(b, *s++);
		}
		ms_buf_free(&esc);
		ms_buf_addstr(b, "\\n");
	}
	if (np.line) {
		ms_buf_addf(b, "%s:%lld\\n", base_name(np.file), (long long)np.line);
	} else if (*np.file) {
		ms_buf_addstr(b, base_name(np.file));
		ms_buf_addstr(b, "\\n");
	}
}

static void add_node(const dot_ctx *c, size_t i, double max_flat)
{
	const ms_callgraph *g = c->g;
	const ms_cg_node *n = &g->nodes[i];
	char fv[64], cv[64], pc[32], col[8], fill[8];
	ms_buf label = MS_BUF_INIT;
	multiline_name(&label, g, n);
	fmt_value(c, fv, sizeof fv, n->flat);
	if (n->flat != 0)
		ms_buf_addf(&label, "%s (%s)", fv, trimmed_percent(pc, sizeof pc, n->flat, g->total));
	else
		ms_buf_addstr(&label, "0");
	const char *cum_value = fv;
	if (n->cum != n->flat) {
		ms_buf_addstr(&label, n->flat != 0 ? "\\n" : " ");
		cum_value = fmt_value(c, cv, sizeof cv, n->cum);
		ms_buf_addf(&label, "of %s (%s)", cum_value, trimmed_percent(pc, sizeof pc, n->cum, g->total));
	}
	int font = 8;
	double af = (double)abs64(n->flat);
	if (max_flat != 0 && n->flat != 0 && af <= max_flat)
		font += (int)ceil(16.0 * sqrt(af / max_flat));
	double score = (double)n->cum / (double)abs64(g->total);
	dot_color(col, score, 0);
	dot_color(fill, score, 1);
	ms_buf tip = MS_BUF_INIT;
	add_escaped(&tip, ms_cg_node_name(g, n));
	fprintf(c->fp, "N%zu [label=\"%s\" id=\"node%zu\" fontsize=%d shape=box tooltip=\"%s (%s)\" color=\"%s\" fillcolor=\"%s\"]\n",
		i + 1, label.data, i + 1, font, tip.data, cum_value, col, fill);
	ms_buf_free(&label);
	ms_buf_free(&tip);
}

/* ---- nodelets (pprof's addNodelets / numericNodelets / collapsedTags) ---- */

typedef struct vtag {
	const char *name;
	char label[112];
	int64_t value, flat, cum;
	const char *unit;
} vtag;

/* A collapsed tag's name is its own label (name = NULL: the struct moves
 * while sorting). */
static const char *tag_name(const vtag *t) { return t->name ? t->name : t->label; }

/* pprof's tags.Less: cum (unless sorting by flat), flat, then name. */
static int tag_cmp(const vtag *a, const vtag *b, int flat)
{
	if (!flat && a->cum != b->cum) {
		int64_t x = abs64(a->cum), y = abs64(b->cum);
		return x > y ? -1 : x < y ? 1 : 0;
	}
	if (a->flat != b->flat) {
		int64_t x = abs64(a->flat), y = abs64(b->flat);
		return x > y ? -1 : x < y ? 1 : 0;
	}
	return strcmp(tag_name(a), tag_name(b));
}
static int cmp_vtags_flat(const void *x, const void *y) { return tag_cmp(x, y, 1); }
static int cmp_vtags_cum(const void *x, const void *y) { return tag_cmp(x, y, 0); }
static void sort_tags(vtag *t, size_t n, int flat) { qsort(t, n, sizeof *t, flat ? cmp_vtags_flat : cmp_vtags_cum); }

/* measurement.Label(value, unit): auto-scaled */
static void tag_label(char *out, size_t n, int64_t v, const char *unit)
{
	ms_format_value_as(out, n, v, unit, "auto");
}

/* pprof's collapsedTags: more than `count` numeric tags are grouped around
 * the `count` heaviest, each joining the nearest by value; a group is
 * labelled "min..max" and weighs the sum of its tags. */
static size_t collapse_tags(vtag *ts, size_t n, size_t count, int flat, vtag *out)
{
	sort_tags(ts, n, flat);
	if (n <= count) {
		memcpy(out, ts, n * sizeof *ts);
		return n;
	}
	for (size_t k = 0; k < count; k++)
		out[k] = ts[k];
	int64_t minv[MAX_NODELETS], maxv[MAX_NODELETS];
	bool multi[MAX_NODELETS] = { false };
	for (size_t k = 0; k < count; k++)
		minv[k] = maxv[k] = ts[k].value;
	for (size_t i = count; i < n; i++) {
		size_t best = 0;
		double d = fabs((double)ts[0].value - (double)ts[i].value);
		for (size_t k = 1; k < count; k++) {
			double nd = fabs((double)ts[k].value - (double)ts[i].value);
			if (nd < d)
				best = k, d = nd;
		}
		vtag *gp = &out[best];
		gp->flat += ts[i].flat;
		gp->cum += ts[i].cum;
		if (ts[i].value < minv[best])
			minv[best] = ts[i].value;
		if (ts[i].value > maxv[best])
			maxv[best] = ts[i].value;
		multi[best] = true;
	}
	for (size_t k = 0; k < count; k++) {
		if (multi[k]) {
			char a[48], b[48];
			tag_label(a, sizeof a, minv[k], out[k].unit);
			tag_label(b, sizeof b, maxv[k], out[k].unit);
			snprintf(out[k].label, sizeof out[k].label, "%s..%s", a, b);
		} else {
			tag_label(out[k].label, sizeof out[k].label, out[k].value, out[k].unit);
		}
		out[k].name = NULL;
	}
	sort_tags(out, count, flat);
	return count;
}

static void numeric_nodelets(const dot_ctx *c, ms_buf *b, vtag *ts, size_t n, int flat, const char *source)
{
	vtag *col = ms_xcalloc(n ? n : 1, sizeof *col);
	size_t m = collapse_tags(ts, n, MAX_NODELETS, flat, col);
	for (size_t j = 0; j < m; j++) {
		const vtag *t = &col[j];
		int64_t w = t->cum;
		const char *attr = " style=\"dotted\"";
		if (flat || t->flat == t->cum)
			w = t->flat, attr = "";
		if (w == 0)
			continue;
		char wv[64];
		fmt_value(c, wv, sizeof wv, w);
		ms_buf_addf(b, "N%s_%zu [label = \"%s\" id=\"N%s_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", source, j,
			tag_name(t), source, j, wv);
		ms_buf_addf(b, "%s -> N%s_%zu [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"%s]\n", source,
			source, j, wv, wv, wv, attr);
	}
	free(col);
}

/* The numeric tags of node i in label group `group`. */
static size_t numeric_of(const ms_callgraph *g, size_t i, uint32_t group, vtag *out)
{
	size_t n = 0;
	for (size_t k = 0; k < g->ntags; k++) {
		const ms_cg_tag *t = &g->tags[k];
		if (t->node != i || !t->numeric || t->group != group)
			continue;
		vtag *v = &out[n++];
		memset(v, 0, sizeof *v);
		v->name = ms_strtab_get(&g->strs, t->name);
		v->value = t->value;
		v->flat = t->flat;
		v->cum = t->cum;
		v->unit = ms_strtab_get(&g->strs, t->unit);
	}
	return n;
}

static int add_nodelets(const dot_ctx *c, size_t i, bool has_out)
{
	const ms_callgraph *g = c->g;
	ms_buf b = MS_BUF_INIT;
	int flat = has_out; /* a node with callees shows its tags' flat weight */
	size_t cap = 0;
	for (size_t k = 0; k < g->ntags; k++)
		cap += g->tags[k].node == i;
	vtag *ts = ms_xcalloc(cap ? cap : 1, sizeof *ts), *nts = ms_xcalloc(cap ? cap : 1, sizeof *nts);
	size_t nl = 0;
	for (size_t k = 0; k < g->ntags; k++) {
		const ms_cg_tag *t = &g->tags[k];
		if (t->node != i || t->numeric)
			continue;
		vtag *v = &ts[nl++];
		v->name = ms_strtab_get(&g->strs, t->name);
		v->value = (int64_t)t->group; /* carries the group id */
		v->flat = t->flat;
		v->cum = t->cum;
	}
	sort_tags(ts, nl, flat);
	if (nl > MAX_NODELETS)
		nl = MAX_NODELETS;
	for (size_t j = 0; j < nl; j++) {
		int64_t w = flat ? ts[j].flat : ts[j].cum;
		if (w == 0)
			continue;
		char wv[64];
		fmt_value(c, wv, sizeof wv, w);
		ms_buf_addf(&b, "N%zu_%zu [label = \"%s\" id=\"N%zu_%zu\" fontsize=8 shape=box3d tooltip=\"%s\"]\n", i + 1, j,
			ts[j].name, i + 1, j, wv);
		ms_buf_addf(&b, "N%zu -> N%zu_%zu [label=\" %s\" weight=100 tooltip=\"%s\" labeltooltip=\"%s\"]\n", i + 1, i + 1,
			j, wv, wv, wv);
		size_t nn = numeric_of(g, i, (uint32_t)ts[j].value, nts);
		if (nn) {
			char src[48];
			snprintf(src, sizeof src, "N%zu_%zu", i + 1, j);
			numeric_nodelets(c, &b, nts, nn, flat, src);
		}
	}
	size_t nn = numeric_of(g, i, 0, nts);
	if (nn) {
		char src[32];
		snprintf(src, sizeof src, "N%zu", i + 1);
		numeric_nodelets(c, &b, nts, nn, flat, src);
	}
	free(ts);
	free(nts);
	int any = b.len > 0;
	if (any)
		fputs(b.data, c->fp);
	ms_buf_free(&b);
	return any;
}

static void add_edge(const dot_ctx *c, const ms_cg_edge *e, int src_nodelets)
{
	const ms_callgraph *g = c->g;
	char wv[64], col[8];
	fmt_value(c, wv, sizeof wv, e->weight);
	ms_buf attr = MS_BUF_INIT;
	ms_buf_addf(&attr, "label=\" %s%s\"", wv, e->is_inline ? "\\n (inline)" : "");
	if (g->total != 0) {
		int64_t w = abs64(e->weight * 100 / g->total);
		int weight = 1 + (int)(w < 100 ? w : 100);
		if (weight > 1)
			ms_buf_addf(&attr, " weight=%d", weight);
		int64_t pw = abs64(e->weight * 5 / g->total);
		int width = 1 + (int)(pw < 5 ? pw : 5);
		if (width > 1)
			ms_buf_addf(&attr, " penwidth=%d", width);
		dot_color(col, (double)e->weight / (double)abs64(g->total), 0);
		ms_buf_addf(&attr, " color=\"%s\"", col);
	}
	ms_buf tip = MS_BUF_INIT;
	ms_buf_addch(&tip, '"');
	add_escaped(&tip, ms_cg_node_name(g, &g->nodes[e->src]));
	ms_buf_addstr(&tip, e->residual ? " ... " : " -> ");
	add_escaped(&tip, ms_cg_node_name(g, &g->nodes[e->dst]));
	ms_buf_addf(&tip, " (%s)\"", wv);
	ms_buf_addf(&attr, " tooltip=%s labeltooltip=%s", tip.data, tip.data);
	if (e->residual)
		ms_buf_addstr(&attr, " style=\"dotted\"");
	if (src_nodelets)
		ms_buf_addstr(&attr, " minlen=2");
	fprintf(c->fp, "N%u -> N%u [%s]\n", e->src + 1, e->dst + 1, attr.data);
	ms_buf_free(&attr);
	ms_buf_free(&tip);
}

/* pprof's reportLabels with full headers: the profile's labels, active
 * filters, what is shown and dropped, and the pointer to the docs. */
static char **legend_labels(const ms_callgraph *g, size_t si, const char *const *filters, size_t *nout)
{
	const ms_profile *p = g->p;
	char *mem = NULL;
	size_t memlen = 0;
	FILE *m = open_memstream(&mem, &memlen);
	if (!m) {
		/* only out of memory: ms_x* allocation failures end the same way */
		ms_xmalloc(SIZE_MAX);
		return NULL;
	}
	ms_render_profile_labels(m, p, si, g->total, g->out_unit);
	if (filters && filters[0]) {
		fprintf(m, "Active filters:\n");
		for (size_t i = 0; filters[i]; i++) {
			/* pprof cuts a long filter at 80 bytes and adds "…" */
			if (strlen(filters[i]) > 80)
				fprintf(m, "   %.80s\xe2\x80\xa6\n", filters[i]);
			else
				fprintf(m, "   %s\n", filters[i]);
		}
	}
	dot_ctx c = { NULL, g, g->unit, g->out_unit };
	char a[64], b[64], pc[32];
	int64_t flat_sum = 0;
	for (size_t i = 0; i < g->nnodes; i++)
		flat_sum += g->nodes[i].flat;
	fprintf(m, "Showing nodes accounting for %s, %s of %s total\n", fmt_value(&c, a, sizeof a, flat_sum),
		trimmed_percent(pc, sizeof pc, flat_sum, g->total), fmt_value(&c, b, sizeof b, g->total));
	if (g->total != 0) {
		if (g->dropped_nodes > 0)
			fprintf(m, "Dropped %zu node%s (cum <= %s)\n", g->dropped_nodes, g->dropped_nodes > 1 ? "s" : "",
				fmt_value(&c, a, sizeof a, g->node_cutoff_label));
		if (g->dropped_edges > 0)
			fprintf(m, "Dropped %zu edge%s (freq <= %s)\n", g->dropped_edges, g->dropped_edges > 1 ? "s" : "",
				fmt_value(&c, a, sizeof a, g->edge_cutoff_label));
		if (g->nnodes > 0 && g->nnodes < g->orig_count)
			fprintf(m, "Showing top %zu nodes out of %zu\n", g->nnodes, g->orig_count);
	}
	fclose(m);
	size_t n = 0, cap = 8;
	char **lines = ms_xcalloc(cap, sizeof *lines);
	for (char *s = mem; s && *s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		if (n + 2 > cap) {
			cap *= 2;
			lines = ms_xreallocarray(lines, cap, sizeof *lines);
		}
		lines[n++] = ms_xstrdup(s);
		if (!nl)
			break;
		s = nl + 1;
	}
	lines[n++] = ms_xstrdup("\nSee https://git.io/JfYMW for how to read the graph");
	free(mem);
	*nout = n;
	return lines;
}

void ms_render_dot(FILE *fp, const ms_callgraph *g, size_t si, const char *const *filters)
{
	const ms_profile *p = g->p;
	const char *title = "";
	if (p->nmappings) {
		const char *file = ms_profile_string(p, p->mappings[0].filename);
		if (*file)
			title = base_name(file);
	}
	fprintf(fp, "digraph \"%s\" {\n", *title ? title : "unnamed");
	fprintf(fp, "node [style=filled fillcolor=\"#f8f8f8\"]\n");
	size_t nl;
	char **labels = legend_labels(g, si, filters, &nl);
	ms_buf b = MS_BUF_INIT;
	ms_buf_addstr(&b, "subgraph cluster_L { \"");
	add_escaped(&b, labels[0]);
	ms_buf_addstr(&b, "\" [shape=box fontsize=16 label=\"");
	for (size_t i = 0; i < nl; i++) {
		if (i)
			ms_buf_addstr(&b, "\\l");
		add_escaped(&b, labels[i]);
		free(labels[i]);
	}
	free(labels);
	ms_buf_addstr(&b, "\\l\"");
	if (*title)
		ms_buf_addf(&b, " tooltip=\"%s\"", title);
	ms_buf_addstr(&b, "] }\n");
	fputs(b.data, fp);
	ms_buf_free(&b);
	if (g->nnodes > 0) {
		dot_ctx c = { fp, g, g->unit, g->out_unit };
		double max_flat = (double)abs64(g->nodes[0].flat);
		for (size_t i = 0; i < g->nnodes; i++)
			if ((double)abs64(g->nodes[i].flat) > max_flat)
				max_flat = (double)abs64(g->nodes[i].flat);
		bool *has_out = ms_xcalloc(g->nnodes, sizeof *has_out);
		int *nodelets = ms_xcalloc(g->nnodes, sizeof *nodelets);
		for (size_t k = 0; k < g->nedges; k++)
			has_out[g->edges[k].src] = true;
		for (size_t i = 0; i < g->nnodes; i++) {
			add_node(&c, i, max_flat);
			nodelets[i] = add_nodelets(&c, i, has_out[i]);
		}
		for (size_t k = 0; k < g->nedges; k++)
			add_edge(&c, &g->edges[k], nodelets[g->edges[k].src]);
		free(has_out);
		free(nodelets);
	}
	fprintf(fp, "}\n");
}

int ms_render_graph_json(FILE *fp, const ms_callgraph *g, size_t si)
{
	const ms_profile *p = g->p;
	json_t *o = json_object();
	json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type", ms_json_str(ms_profile_string(p, p->types[si].type)),
		"unit", ms_json_str(ms_profile_string(p, p->types[si].unit))));
	json_object_set_new(o, "total", json_integer(g->total));
	json_object_set_new(o, "dropped_nodes", json_integer((json_int_t)g->dropped_nodes));
	json_object_set_new(o, "dropped_edges", json_integer((json_int_t)g->dropped_edges));
	json_t *nodes = json_array();
	for (size_t i = 0; i < g->nnodes; i++) {
		const ms_cg_node *n = &g->nodes[i];
		json_t *jn = json_pack("{s:I, s:o, s:I, s:I}", "id", (json_int_t)(i + 1), "name",
			ms_json_str(ms_cg_node_name(g, n)), "flat", (json_int_t)n->flat, "cum", (json_int_t)n->cum);
		json_t *tags = json_array();
		for (size_t k = 0; k < g->ntags; k++) {
			const ms_cg_tag *t = &g->tags[k];
			if (t->node != i)
				continue;
			json_t *jt = json_pack("{s:o, s:I, s:I}", "name", ms_json_str(ms_strtab_get(&g->strs, t->name)), "flat",
				(json_int_t)t->flat, "cum", (json_int_t)t->cum);
			if (t->numeric) {
				json_object_set_new(jt, "value", json_integer(t->value));
				json_object_set_new(jt, "unit", ms_json_str(ms_strtab_get(&g->strs, t->unit)));
			}
			if (t->group && t->numeric)
				json_object_set_new(jt, "labels", ms_json_str(ms_strtab_get(&g->strs, t->group)));
			json_array_append_new(tags, jt);
		}
		json_object_set_new(jn, "tags", tags);
		json_array_append_new(nodes, jn);
	}
	json_object_set_new(o, "nodes", nodes);
	json_t *edges = json_array();
	for (size_t k = 0; k < g->nedges; k++) {
		const ms_cg_edge *e = &g->edges[k];
		json_array_append_new(edges, json_pack("{s:I, s:I, s:I, s:b, s:b}", "from", (json_int_t)e->src + 1, "to",
			(json_int_t)e->dst + 1, "weight", (json_int_t)e->weight, "residual", e->residual, "inline",
			e->is_inline));
	}
	json_object_set_new(o, "edges", edges);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}

/* The value of attribute name (" width=") inside the tag [tag, end): its
 * span between the quotes in *v, *vn; 0 when absent. */
static int attr_span(const char *tag, const char *end, const char *name, const char **v, size_t *vn)
{
	size_t k = strlen(name);
	for (const char *p = tag; p + k < end; p++) {
		if (memcmp(p, name, k) != 0 || p[k] != '"')
			continue;
		const char *q = memchr(p + k + 1, '"', (size_t)(end - (p + k + 1)));
		if (!q)
			return 0;
		*v = p + k + 1;
		*vn = (size_t)(q - *v);
		return 1;
	}
	return 0;
}

int ms_svg_write_panzoom(FILE *fp, const char *svg, size_t n)
{
	const char *end = svg + n, *root = memmem(svg, n, "<svg ", 5), *close = NULL;
	for (const char *p = end - (n >= 6 ? 6 : n); p >= svg && !close; p--)
		if (memcmp(p, "</svg>", 6) == 0)
			close = p;
	const char *tag_end = root ? memchr(root, '>', (size_t)(end - root)) : NULL;
	const char *w = NULL, *h = NULL;
	size_t wn = 0, hn = 0;
	if (!tag_end || !close || close < tag_end || !attr_span(root, tag_end, " width=", &w, &wn) ||
		!attr_span(root, tag_end, " height=", &h, &hn))
		return fwrite(svg, 1, n, fp) == n ? 0 : -1;
	/* the two values in file order, each replaced by 100% */
	const char *a = w < h ? w : h, *b = w < h ? h : w;
	size_t an = w < h ? wn : hn, bn = w < h ? hn : wn;
	fwrite(svg, 1, (size_t)(a - svg), fp);
	fputs("100%", fp);
	fwrite(a + an, 1, (size_t)(b - (a + an)), fp);
	fputs("100%", fp);
	fwrite(b + bn, 1, (size_t)(close - (b + bn)), fp);
	fputs("<script type=\"text/ecmascript\"><![CDATA[\n", fp);
	fputs(GRAPH_SVG_JS, fp);
	fputs("]]></script>\n", fp);
	fwrite(close, 1, (size_t)(end - close), fp);
	return ferror(fp) ? -1 : 0;
}

#ifdef HAVE_GRAPHVIZ
int ms_have_graphviz(void) { return 1; }

int ms_render_svg_from_dot(FILE *fp, const char *dot, size_t len, ms_err *err)
{
	(void)len;
	GVC_t *gvc = gvContext();
	if (!gvc)
		return ms_seterr(err, "graphviz: cannot create a context");
	Agraph_t *gr = agmemread(dot);
	if (!gr) {
		gvFreeContext(gvc);
		return ms_seterr(err, "graphviz: cannot read the DOT graph");
	}
	int rc = 0;
	char *out = NULL;
	size_t outlen = 0;
	if (gvLayout(gvc, gr, "dot") != 0) {
		rc = ms_seterr(err, "graphviz: dot layout failed");
	} else {
		unsigned int ulen = 0;
		if (gvRenderData(gvc, gr, "svg", &out, &ulen) != 0 || !out)
			rc = ms_seterr(err, "graphviz: SVG rendering failed");
		else {
			outlen = ulen;
			if (ms_svg_write_panzoom(fp, out, outlen) < 0)
				rc = -2; /* the caller names the file and errno */
		}
		if (out)
			gvFreeRenderData(out);
		gvFreeLayout(gvc, gr);
	}
	agclose(gr);
	gvFreeContext(gvc);
	return rc;
}
#else
int ms_have_graphviz(void) { return 0; }

int ms_render_svg_from_dot(FILE *fp, const char *dot, size_t len, ms_err *err)
{
	(void)fp, (void)dot, (void)len;
	return ms_seterr(err, "--svg needs Graphviz: this memscope was built without libgvc "
			      "(install libgraphviz-dev and re-run configure), use --dot");
}
#endif
