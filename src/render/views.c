/* views.c (API in views.h) — pprof's tree, peek and traces reports
 * (report.printTree and report.printTraces of pprof in Go 1.19). */
#include "config.h"
#include "render/views.h"
#include "render/json.h"
#include "util/pairmap.h"
#include "util/units.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool node_matches(const ms_graph *g, const ms_graph_node *n, const regex_t *match)
{
	return !match || regexec(match, ms_graph_node_name(g, n), 0, NULL, 0) == 0;
}

size_t ms_tree_matches(const ms_top_view *v, const regex_t *match)
{
	size_t k = 0;
	for (size_t i = 0; i < v->g->nnodes; i++)
		k += node_matches(v->g, &v->g->nodes[i], match);
	return k;
}

/* One caller or callee line: the weight, its share of the node's cum. */
static void edge_line(FILE *fp, const ms_graph *g, const ms_graph_edge *e, uint32_t other, int64_t cum, const char *unit,
	const char *out)
{
	char w[64], pc[32];
	fprintf(fp, "%50s %s |   %s%s\n", ms_format_value_as(w, sizeof w, e->weight, unit, out),
		ms_format_percent(pc, sizeof pc, e->weight, cum), ms_frame_name(&g->frames, other),
		e->inline_call ? " (inline)" : "");
}

size_t ms_render_tree_text(FILE *fp, const ms_top_view *v, const regex_t *match)
{
	static const char sep[] = "----------------------------------------------------------+-------------";
	const ms_graph *g = v->g;
	const char *unit = ms_profile_string(v->p, v->p->types[v->o->sample_index].unit);
	const char *out = ms_top_output_unit(v);
	char a[64], b[64], c[32], d[32], e[32];

	ms_render_report_labels(fp, v, out);
	fprintf(fp, "%s\n", sep);
	fprintf(fp, "      flat  flat%%   sum%%        cum   cum%%   calls calls%% + context \t \t \n");
	int64_t sum = 0;
	size_t shown = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		const ms_graph_node *n = &g->nodes[i];
		if (!node_matches(g, n, match))
			continue;
		shown++;
		fprintf(fp, "%s\n", sep);
		uint32_t f = n->frame;
		for (uint32_t k = g->in_off[f]; k < g->in_off[f + 1]; k++) {
			const ms_graph_edge *ed = &g->edges[g->in_idx[k]];
			edge_line(fp, g, ed, ed->src, n->cum, unit, out);
		}
		sum += n->flat;
		fprintf(fp, "%10s %s %s %10s %s                | %s\n", ms_format_value_as(a, sizeof a, n->flat, unit, out),
			ms_format_percent(c, sizeof c, n->flat, g->total), ms_format_percent(d, sizeof d, sum, g->total),
			ms_format_value_as(b, sizeof b, n->cum, unit, out), ms_format_percent(e, sizeof e, n->cum, g->total),
			ms_graph_node_name(g, n));
		for (uint32_t k = g->out_off[f]; k < g->out_off[f + 1]; k++) {
			const ms_graph_edge *ed = &g->edges[g->out_idx[k]];
			edge_line(fp, g, ed, ed->dst, n->cum, unit, out);
		}
	}
	if (g->nnodes > 0)
		fprintf(fp, "%s\n", sep);
	return shown;
}

static json_t *edges_json(const ms_graph *g, const uint32_t *off, const uint32_t *idx, uint32_t f, bool callers)
{
	json_t *arr = json_array();
	for (uint32_t k = off[f]; k < off[f + 1]; k++) {
		const ms_graph_edge *e = &g->edges[idx[k]];
		json_t *o = json_pack("{s:o, s:I}", "name", ms_json_str(ms_frame_name(&g->frames, callers ? e->src : e->dst)),
			"weight", (json_int_t)e->weight);
		if (e->inline_call)
			json_object_set_new(o, "inline", json_true());
		json_array_append_new(arr, o);
	}
	return arr;
}

size_t ms_render_tree_json(FILE *fp, const ms_top_view *v, const regex_t *match)
{
	const ms_profile *p = v->p;
	const ms_graph *g = v->g;
	size_t si = v->o->sample_index, shown = 0;
	json_t *o = json_object();
	json_object_set_new(o, "sample_type",
		json_pack("{s:o, s:o}", "type", ms_json_str(ms_profile_string(p, p->types[si].type)), "unit",
			ms_json_str(ms_profile_string(p, p->types[si].unit))));
	json_object_set_new(o, "total", json_integer(g->total));
	json_object_set_new(o, "shown", json_integer(g->flat_sum));
	json_object_set_new(o, "dropped_nodes", json_integer((json_int_t)g->dropped_nodes));
	json_t *nodes = json_array();
	for (size_t i = 0; i < g->nnodes; i++) {
		const ms_graph_node *n = &g->nodes[i];
		if (!node_matches(g, n, match))
			continue;
		shown++;
		json_t *r = json_pack("{s:o, s:I, s:I}", "name", ms_json_str(ms_graph_node_name(g, n)), "flat",
			(json_int_t)n->flat, "cum", (json_int_t)n->cum);
		json_object_set_new(r, "callers", edges_json(g, g->in_off, g->in_idx, n->frame, true));
		json_object_set_new(r, "callees", edges_json(g, g->out_off, g->out_idx, n->frame, false));
		json_array_append_new(nodes, r);
	}
	json_object_set_new(o, "nodes", nodes);
	json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return shown;
}

/* ---- traces -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

typedef struct out_buf {
	FILE *fp;
	size_t n;
	char buf[1 << 16];
} out_buf;

static void out_flush(out_buf *o)
{
	fwrite(o->buf, 1, o->n, o->fp);
	o->n = 0;
}

static void out_put(out_buf *o, const char *s, size_t n)
{
	if (o->n + n > sizeof o->buf) {
		out_flush(o);
		if (n > sizeof o->buf) {
			fwrite(s, 1, n, o->fp);
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

/* Formatted values by (value, unit), direct-mapped: a profile's values and
 * numeric labels repeat (object sizes, counts), and formatting ("%.2f" of a
 * scaled value) was a fifth of traces' time. */
#define FMT_SLOTS 1024
typedef struct fmt_cache {
	int64_t value[FMT_SLOTS];
	const char *unit[FMT_SLOTS]; /* NULL = empty slot */
	char text[FMT_SLOTS][40];
} fmt_cache;

static const char *fmt_value(fmt_cache *c, int64_t v, const char *unit, bool as_auto)
{
	size_t k = (size_t)(ms_mix64((uint64_t)v ^ (uintptr_t)unit) & (FMT_SLOTS - 1));
	if (c->unit[k] != unit || c->value[k] != v) {
		if (as_auto)
			ms_format_value_as(c->text[k], sizeof c->text[k], v, unit, "auto");
		else
			ms_format_value(c->text[k], sizeof c->text[k], v, unit);
		c->unit[k] = unit;
		c->value[k] = v;
	}
	return c->text[k];
}

/* A sample's label lines ("%10s:  v1 v2"), string labels then numeric ones,
 * each group sorted as pprof sorts its formatted lines. Values of one key
 * keep their order. */
static void print_labels(out_buf *ob, fmt_cache *fc, const ms_traces *t, const ms_sample *s, bool numeric)
{
	const ms_profile *p = t->p;
	if (!s->nlabels)
		return;
	const ms_label *l = p->labels + s->label_off;
	if (s->nlabels == 1) { /* the common case (Go heap profiles' "bytes"): no sorting */
		if ((l->str == 0) != numeric)
			return;
		const char *key = ms_profile_string(p, l->key);
		const char *val = numeric ? fmt_value(fc, l->num, ms_traces_num_unit(t, l->key), false)
					  : ms_profile_string(p, l->str);
		size_t kl = strlen(key);
		if (kl < 10)
			out_put(ob, "          ", 10 - kl);
		out_put(ob, key, kl);
		out_put(ob, ":  ", 3);
		out_put(ob, val, strlen(val));
		out_put(ob, "\n", 1);
		return;
	}
	char **lines = ms_xcalloc(s->nlabels ? s->nlabels : 1, sizeof *lines);
	size_t nlines = 0;
	for (uint32_t i = 0; i < s->nlabels; i++) {
		if ((l[i].str == 0) != numeric)
			continue;
		bool first = true; /* the first label of its key builds the line */
		for (uint32_t j = 0; j < i && first; j++)
			if (l[j].key == l[i].key && (l[j].str == 0) == numeric)
				first = false;
		if (!first)
			continue;
		size_t cap = 256, len = 0;
		char *line = ms_xcalloc(cap, 1);
		int n = snprintf(line, cap, "%10s: ", ms_profile_string(p, l[i].key));
		len = n > 0 ? (size_t)n : 0;
		for (uint32_t j = i; j < s->nlabels; j++) {
			if (l[j].key != l[i].key || (l[j].str == 0) != numeric)
				continue;
			const char *val = numeric ? fmt_value(fc, l[j].num, ms_traces_num_unit(t, l[j].key), false)
						  : ms_profile_string(p, l[j].str);
			size_t vl = strlen(val);
			if (len + vl + 3 > cap) {
				cap = 2 * (len + vl + 3);
				line = ms_xrealloc(line, cap);
			}
			line[len++] = ' ';
			memcpy(line + len, val, vl);
			len += vl;
			line[len] = '\0';
		}
		lines[nlines++] = line;
	}
	qsort(lines, nlines, sizeof *lines, cmp_str);
	for (size_t i = 0; i < nlines; i++) {
		out_put(ob, lines[i], strlen(lines[i]));
		out_put(ob, "\n", 1);
		free(lines[i]);
	}
	free(lines);
}

void ms_render_traces_text(FILE *fp, ms_traces *t)
{
	out_buf *ob = ms_xcalloc(1, sizeof *ob);
	fmt_cache *fc = ms_xcalloc(1, sizeof *fc);
	ob->fp = fp;
	static const char sep[] = "-----------+-------------------------------------------------------";
	const ms_profile *p = t->p;
	const char *unit = ms_profile_string(p, p->types[t->sample_index].unit);
	ms_render_profile_labels(fp, p, t->sample_index, t->total, NULL);
	while (ms_traces_next(t)) {
		const ms_sample *s = &p->samples[t->sample];
		out_put(ob, sep, sizeof sep - 1);
		out_put(ob, "\n", 1);
		print_labels(ob, fc, t, s, false);
		print_labels(ob, fc, t, s, true);
		/* "%10s   " and the frames, one a line: most of a big profile's
		 * output, so through the buffer rather than one fprintf each */
		const char *v = fmt_value(fc, t->value, unit, true);
		size_t vl = strlen(v);
		if (vl < 10)
			out_put(ob, "          ", 10 - vl);
		out_put(ob, v, vl);
		out_put(ob, "   ", 3);
		for (size_t i = 0; i < t->depth; i++) {
			uint32_t f = t->stack[i];
			if (i)
				out_put(ob, "             ", 13);
			out_put(ob, ms_frame_name(&t->frames, f), t->frames.names.len[f]);
			if (t->inline_call[i])
				out_put(ob, " (inline)", 9);
			out_put(ob, "\n", 1);
		}
	}
	out_flush(ob);
	fprintf(fp, "%s\n", sep);
	free(ob);
	free(fc);
}

/* Jansson returns NULL only when out of memory: exit as ms_xmalloc does. */
static char *dumped(char *s)
{
	if (!s) {
		fputs("memscope: out of memory (writing JSON)\n", stderr);
		exit(MS_EXIT_INPUT);
	}
	return s;
}

/* Frame f's name as a JSON string (quoted, escaped), made once per frame:
 * a big profile names the same few thousand frames millions of times. */
static const char *json_name(char **cache, const ms_traces *t, uint32_t f)
{
	if (!cache[f]) {
		json_t *s = ms_json_str(ms_frame_name(&t->frames, f));
		cache[f] = dumped(s ? json_dumps(s, JSON_ENCODE_ANY) : NULL);
		json_decref(s);
	}
	return cache[f];
}

int ms_render_traces_json(FILE *fp, ms_traces *t)
{
	const ms_profile *p = t->p;
	size_t si = t->sample_index;
	json_t *st = json_pack("{s:o, s:o}", "type", ms_json_str(ms_profile_string(p, p->types[si].type)), "unit",
		ms_json_str(ms_profile_string(p, p->types[si].unit)));
	fputs("{\n  \"sample_type\": ", fp);
	int rc = json_dumpf(st, fp, JSON_COMPACT);
	json_decref(st);
	fprintf(fp, ",\n  \"total\": %lld,\n  \"traces\": [", (long long)t->total);
	uint32_t nf = ms_frame_count(&t->frames);
	char **names = ms_xcalloc(nf ? nf : 1, sizeof *names);
	out_buf *ob = ms_xcalloc(1, sizeof *ob);
	ob->fp = fp;
	/* one trace at a time, written as it comes: a 400k-sample profile
	 * never becomes one JSON tree */
	for (size_t n = 0; ms_traces_next(t); n++) {
		const ms_sample *s = &p->samples[t->sample];
		char num[32];
		int k = snprintf(num, sizeof num, "%lld", (long long)t->value);
		out_put(ob, n ? ",\n    {\"value\": " : "\n    {\"value\": ", n ? 16 : 15);
		out_put(ob, num, (size_t)k);
		if (s->nlabels) {
			json_t *labels = json_object();
			for (uint32_t i = 0; i < s->nlabels; i++) {
				const ms_label *l = &p->labels[s->label_off + i];
				const char *key = ms_profile_string(p, l->key);
				json_t *arr = json_object_get(labels, key);
				if (!arr) {
					arr = json_array();
					json_object_set_new(labels, key, arr);
				}
				json_array_append_new(arr, l->str ? ms_json_str(ms_profile_string(p, l->str)) : json_integer(l->num));
			}
			char *js = dumped(json_dumps(labels, JSON_COMPACT));
			json_decref(labels);
			out_put(ob, ", \"labels\": ", 12);
			out_put(ob, js, strlen(js));
			free(js);
		}
		out_put(ob, ", \"stack\": [", 12);
		for (size_t i = 0; i < t->depth; i++) {
			const char *name = json_name(names, t, t->stack[i]);
			out_put(ob, i ? ", {\"name\": " : "{\"name\": ", i ? 11 : 9);
			out_put(ob, name, strlen(name));
			if (t->inline_call[i])
				out_put(ob, ", \"inline\": true", 16);
			out_put(ob, "}", 1);
		}
		out_put(ob, "]}", 2);
	}
	out_flush(ob);
	fputs("\n  ]\n}\n", fp);
	for (uint32_t f = 0; f < nf; f++)
		free(names[f]);
	free(names);
	free(ob);
	return rc;
}
