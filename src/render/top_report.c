/* top_report.c (API in top.h) — text and JSON rendering of a report graph, matching pprof -top. */
#include "config.h"
#include "render/top.h"
#include "render/json.h"
#include "util/units.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static const char *trim(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* Go's time layout "Jan 2, 2006 at 3:04pm (MST)" in local time. */
static void go_time(char *out, size_t n, int64_t nanos)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		snprintf(out, n, "?");
		return;
	}
	int h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	snprintf(out, n, "%s %d, %d at %d:%02d%s (%s)", months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, h12,
		tm.tm_min, tm.tm_hour < 12 ? "am" : "pm", tm.tm_zone ? tm.tm_zone : "UTC");
}

void ms_render_profile_labels(FILE *fp, const ms_profile *p, size_t sample_index, int64_t total, const char *out_unit)
{
	if (p->nmappings) {
		const char *file = ms_profile_string(p, p->mappings[0].filename);
		const char *bid = ms_profile_string(p, p->mappings[0].build_id);
		if (*file)
			fprintf(fp, "File: %s\n", base_name(file));
		if (*bid)
			fprintf(fp, "Build ID: %s\n", bid);
	}
	for (size_t i = 0; i < p->ncomments; i++) {
		const char *c = ms_profile_string(p, p->comments[i]);
		if (c[0] != '#')
			fprintf(fp, "%s\n", c);
	}
	fprintf(fp, "Type: %s\n", ms_profile_string(p, p->types[sample_index].type));
	if (p->time_nanos) {
		char t[96];
		go_time(t, sizeof t, p->time_nanos);
		fprintf(fp, "Time: %s\n", t);
	}
	if (p->duration_nanos) {
		char d[64], tot[64], pct[32] = "";
		const char *unit = ms_profile_string(p, p->types[sample_index].unit);
		ms_format_value(d, sizeof d, p->duration_nanos, "nanoseconds");
		ms_format_value_as(tot, sizeof tot, total, unit, out_unit ? out_unit : "auto");
		if (strcmp(unit, "nanoseconds") == 0 && total != 0) {
			char pc[16];
			snprintf(pct, sizeof pct, "(%s)", ms_format_percent(pc, sizeof pc, total, p->duration_nanos));
		}
		fprintf(fp, "Duration: %s, Total samples = %s %s\n", d, tot, pct);
	}
}

const char *ms_top_output_unit(const ms_top_view *v)
{
	const ms_graph *g = v->g;
	const char *unit = ms_profile_string(v->p, v->p->types[v->o->sample_index].unit);
	int64_t min = 0;
	for (size_t i = 0; i < g->nnodes; i++) {
		int64_t m = g->nodes[i].flat < 0 ? -g->nodes[i].flat : g->nodes[i].flat;
		if (m == 0)
			m = g->nodes[i].cum < 0 ? -g->nodes[i].cum : g->nodes[i].cum;
		if (m > 0 && (min == 0 || m < min))
			min = m;
	}
	if (g->nnodes == 0)
		return "auto"; /* pprof keeps its "minimum" default: auto-scaled */
	return ms_select_output_unit(min, g->total, unit);
}

void ms_render_top_text(FILE *fp, const ms_top_view *v)
{
	ms_render_top_text_col(fp, v, NULL);
}

int ms_render_top_json_col(FILE *fp, const ms_top_view *v, const char *const *col)
{
	json_t *o = ms_top_json(v);
	json_t *rows = json_object_get(o, "rows");
	for (size_t i = 0; col && i < json_array_size(rows); i++) /* rows are g->nodes[0..) in order */
		json_object_set_new(json_array_get(rows, i), "escape", ms_json_str(col[v->g->nodes[i].frame]));
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}

void ms_render_top_text_col(FILE *fp, const ms_top_view *v, const char *const *col)
{
	const ms_graph *g = v->g;
	const char *unit = ms_profile_string(v->p, v->p->types[v->o->sample_index].unit);
	const char *out = ms_top_output_unit(v);
	char a[64], b[64], c[32], d[32], e[32];

	ms_render_report_labels(fp, v, out);
	fprintf(fp, "%10s %5s%% %5s%% %10s %5s%%%s\n", "flat", "flat", "sum", "cum", "cum", col ? "  escape" : "");
	int64_t sum = 0;
	size_t rows = v->max_rows && v->max_rows < g->nnodes ? v->max_rows : g->nnodes;
	for (size_t i = 0; i < rows; i++) {
		const ms_graph_node *n = &g->nodes[i];
		sum += n->flat;
		char w[16] = "";
		if (col)
			snprintf(w, sizeof w, "%-7s  ", col[n->frame]);
		fprintf(fp, "%10s %s %s %10s %s  %s%s%s\n", ms_format_value_as(a, sizeof a, n->flat, unit, out),
			ms_format_percent(c, sizeof c, n->flat, g->total), ms_format_percent(d, sizeof d, sum, g->total),
			ms_format_value_as(b, sizeof b, n->cum, unit, out), ms_format_percent(e, sizeof e, n->cum, g->total),
			w, ms_graph_node_name(g, n), n->partial_in ? " (partial-inline)" : n->inline_in ? " (inline)" : "");
	}
}

void ms_render_report_labels(FILE *fp, const ms_top_view *v, const char *out)
{
	const ms_graph *g = v->g;
	const char *unit = ms_profile_string(v->p, v->p->types[v->o->sample_index].unit);
	char a[64], b[64], c[32];

	ms_render_profile_labels(fp, v->p, v->o->sample_index, g->total, out);
	if (v->filters && v->filters[0]) {
		fprintf(fp, "Active filters:\n");
		for (size_t i = 0; v->filters[i]; i++)
			fprintf(fp, "   %s\n", v->filters[i]);
	}
	fprintf(fp, "Showing nodes accounting for %s, %s of %s total\n",
		ms_format_value_as(a, sizeof a, g->flat_sum, unit, out),
		trim(ms_format_percent(c, sizeof c, g->flat_sum, g->total)),
		ms_format_value_as(b, sizeof b, g->total, unit, out));
	if (g->total != 0) {
		if (g->dropped_nodes > 0)
			fprintf(fp, "Dropped %zu node%s (cum <= %s)\n", g->dropped_nodes, g->dropped_nodes > 1 ? "s" : "",
				ms_format_value_as(a, sizeof a, g->drop_cutoff, unit, out));
		if (g->nnodes > 0 && g->nnodes < g->orig_count)
			fprintf(fp, "Showing top %zu nodes out of %zu\n", g->nnodes, g->orig_count);
	}
}

json_t *ms_top_json(const ms_top_view *v)
{
	const ms_profile *p = v->p;
	const ms_graph *g = v->g;
	size_t si = v->o->sample_index;
	json_t *o = json_object();
	json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type", ms_json_str(ms_profile_string(p, p->types[si].type)),
		"unit", ms_json_str(ms_profile_string(p, p->types[si].unit))));
	json_object_set_new(o, "total", json_integer(g->total));
	json_object_set_new(o, "shown", json_integer(g->flat_sum));
	json_object_set_new(o, "dropped_nodes", json_integer((json_int_t)g->dropped_nodes));
	json_t *rows = json_array();
	size_t nrows = v->max_rows && v->max_rows < g->nnodes ? v->max_rows : g->nnodes;
	for (size_t i = 0; i < nrows; i++) {
		const ms_graph_node *n = &g->nodes[i];
		json_t *r = json_pack("{s:o, s:I, s:I}", "name", ms_json_str(ms_graph_node_name(g, n)), "flat", (json_int_t)n->flat,
			"cum", (json_int_t)n->cum);
		if (n->inline_in || n->partial_in)
			json_object_set_new(r, "inline", ms_json_str(n->partial_in ? "partial" : "inline"));
		json_array_append_new(rows, r);
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

int ms_render_top_json(FILE *fp, const ms_top_view *v)
{
	json_t *o = ms_top_json(v);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
