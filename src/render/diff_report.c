/* diff_report.c (API in diff.h) — text, JSON, Markdown and GitHub renderings of a diff. */
#include "config.h"
#include "render/diff.h"
#include "render/json.h"
#include "render/json_model.h"
#include "util/units.h"

#include <jansson.h>
#include <math.h>
#include "util/regex.h"
#include <string.h>

int ms_diff_format_parse(const char *s, ms_diff_format *out)
{
	static const char *const names[] = { "text", "json", "markdown", "github" };
	for (size_t i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (ms_diff_format)i;
			return 0;
		}
	return -1;
}

static int64_t rnd(double v) { return (int64_t)llround(v); }

/* "+1.50MB" / "-512kB" / "0" */
static const char *signed_value(char *out, size_t n, double v, const char *unit)
{
	size_t k = 0;
	if (v > 0 && n > 1)
		out[k++] = '+';
	ms_format_value_f(out + k, n - k, v, unit);
	if (k && strcmp(out + 1, "0") == 0)
		memmove(out, out + 1, 2);
	return out;
}

static const char *percent_of(char *out, size_t n, double v, double base)
{
	if (base == 0)
		snprintf(out, n, "%s", v == 0 ? "0%" : "new");
	else
		snprintf(out, n, "%+.2f%%", v / fabs(base) * 100.0);
	return out;
}

static void gate_measure(char *out, size_t n, const ms_gate *g, double v, const char *unit)
{
	if (g->kind == MS_GATE_PERCENT)
		snprintf(out, n, isinf(v) ? "+inf%%" : "%+.2f%%", v);
	else if (g->kind == MS_GATE_SIGMA)
		snprintf(out, n, isinf(v) ? "+inf sigma" : "%+.2f sigma", v);
	else
		signed_value(out, n, v, unit);
}

/* Rows that explain a gate: the largest growths (matching its site). */
static size_t contributors(const ms_gate *g, const ms_diff *d, const ms_diff_row **out, size_t max)
{
	regex_t re;
	int have_re = g->site && ms_regex_compile(&re, g->site, "site", NULL) == 0;
	size_t k = 0;
	/* rows are sorted by |delta|: take positive ones in that order */
	for (size_t i = 0; i < d->nrows && k < max; i++) {
		if (d->rows[i].delta <= 0)
			continue;
		if (have_re && regexec(&re, d->rows[i].name, 0, NULL, 0) != 0)
			continue;
		out[k++] = &d->rows[i];
	}
	if (have_re)
		regfree(&re);
	return k;
}

static void gate_line(FILE *fp, const ms_gate *g, const char *prefix)
{
	const ms_diff *d = g->diff;
	char obs[64], lim[64], dl[64];
	gate_measure(obs, sizeof obs, g, g->observed, d->unit);
	gate_measure(lim, sizeof lim, g, g->limit, d->unit);
	signed_value(dl, sizeof dl, g->observed_delta, d->unit);
	fprintf(fp, "%s%s %s: observed %s", prefix, g->tripped ? "TRIPPED" : "ok     ", g->expr, obs);
	if (g->kind != MS_GATE_ABSOLUTE)
		fprintf(fp, " (%s)", dl);
	fprintf(fp, ", limit %s\n", lim);
}

static void render_text(FILE *fp, const ms_diff_view *v, int github)
{
	const ms_diff *d = v->d;
	char a[64], b[64], c[64], e[64];
	fprintf(fp, "Type: %s\n", d->type);
	if (d->nbases == 1)
		fprintf(fp, "Base: %s (total %s)%s\n", v->base_names[0], ms_format_value(a, sizeof a, d->base_total, d->unit),
			d->normalized ? ", normalized to the new total" : "");
	else
		fprintf(fp, "Base: mean of %zu profiles (total %s, spread ±%s = %.2f%%)%s\n", d->nbases,
			ms_format_value(a, sizeof a, d->base_total, d->unit),
			ms_format_value_f(b, sizeof b, d->base_stddev, d->unit),
			d->base_mean ? d->base_stddev / fabs(d->base_mean) * 100 : 0.0,
			d->normalized ? ", normalized to the new total" : "");
	fprintf(fp, "New:  %s (total %s)\n", v->new_name, ms_format_value(a, sizeof a, d->new_total, d->unit));
	fprintf(fp, "Delta: %s (%s)\n", signed_value(a, sizeof a, (double)d->new_total - d->base_mean, d->unit),
		percent_of(b, sizeof b, (double)d->new_total - d->base_mean, d->base_mean));
	size_t rows = v->max_rows && v->max_rows < d->nrows ? v->max_rows : d->nrows;
	fprintf(fp, "%10s %10s %10s %8s  %s\n", "base", "new", "delta", "delta%", "name");
	for (size_t i = 0; i < rows; i++) {
		const ms_diff_row *r = &d->rows[i];
		fprintf(fp, "%10s %10s %10s %8s  %s\n", ms_format_value_f(a, sizeof a, r->base, d->unit),
			ms_format_value(b, sizeof b, r->new_value, d->unit), signed_value(c, sizeof c, r->delta, d->unit),
			percent_of(e, sizeof e, r->delta, d->base_mean), r->name);
	}
	if (rows < d->nrows)
		fprintf(fp, "(%zu more rows; -n 0 shows all)\n", d->nrows - rows);
	if (!v->ngates)
		return;
	fprintf(fp, "Gates:\n");
	for (size_t i = 0; i < v->ngates; i++) {
		const ms_gate *g = &v->gates[i];
		gate_line(fp, g, "  ");
		if (!g->tripped)
			continue;
		const ms_diff_row *top[16];
		size_t n = contributors(g, g->diff, top, v->contributors < 16 ? v->contributors : 16);
		for (size_t k = 0; k < n; k++)
			fprintf(fp, "      %10s  %s\n", signed_value(a, sizeof a, top[k]->delta, g->diff->unit), top[k]->name);
	}
	if (!github)
		return;
	for (size_t i = 0; i < v->ngates; i++) {
		const ms_gate *g = &v->gates[i];
		if (!g->tripped)
			continue;
		char obs[64], lim[64];
		gate_measure(obs, sizeof obs, g, g->observed, g->diff->unit);
		gate_measure(lim, sizeof lim, g, g->limit, g->diff->unit);
		const ms_diff_row *top[1];
		size_t n = contributors(g, g->diff, top, 1);
		fprintf(fp, "::error title=memscope gate %s::%s grew %s (limit %s)", g->expr, g->type, obs, lim);
		if (n)
			fprintf(fp, "; largest growth: %s %s", top[0]->name,
				signed_value(a, sizeof a, top[0]->delta, g->diff->unit));
		fputc('\n', fp);
	}
}

void ms_md_code(FILE *fp, const char *s)
{
	fputc('`', fp);
	for (; *s; s++)
		fputc(*s == '`' ? '\'' : *s == '|' ? '/' : *s, fp);
	fputc('`', fp);
}

static void render_markdown(FILE *fp, const ms_diff_view *v)
{
	const ms_diff *d = v->d;
	char a[64], b[64], c[64], e[64];
	size_t tripped = 0;
	for (size_t i = 0; i < v->ngates; i++)
		tripped += v->gates[i].tripped;
	fprintf(fp, "### memscope diff: %s %s\n\n", d->type,
		v->ngates ? (tripped ? "— gate tripped" : "— gates passed") : "");
	fprintf(fp, "| | base | new | delta | delta%% |\n|---|---:|---:|---:|---:|\n");
	fprintf(fp, "| **total** | %s | %s | %s | %s |\n", ms_format_value(a, sizeof a, d->base_total, d->unit),
		ms_format_value(b, sizeof b, d->new_total, d->unit),
		signed_value(c, sizeof c, (double)d->new_total - d->base_mean, d->unit),
		percent_of(e, sizeof e, (double)d->new_total - d->base_mean, d->base_mean));
	size_t rows = v->max_rows && v->max_rows < d->nrows ? v->max_rows : d->nrows;
	for (size_t i = 0; i < rows; i++) {
		const ms_diff_row *r = &d->rows[i];
		fputs("| ", fp);
		ms_md_code(fp, r->name);
		fprintf(fp, " | %s | %s | %s | %s |\n", ms_format_value_f(a, sizeof a, r->base, d->unit),
			ms_format_value(b, sizeof b, r->new_value, d->unit), signed_value(c, sizeof c, r->delta, d->unit),
			percent_of(e, sizeof e, r->delta, d->base_mean));
	}
	if (d->nbases > 1)
		fprintf(fp, "\nBaseline: mean of %zu profiles, spread ±%s.\n", d->nbases,
			ms_format_value_f(a, sizeof a, d->base_stddev, d->unit));
	if (v->ngates) {
		fprintf(fp, "\n**Gates**\n\n");
		for (size_t i = 0; i < v->ngates; i++) {
			const ms_gate *g = &v->gates[i];
			char obs[64], lim[64];
			gate_measure(obs, sizeof obs, g, g->observed, g->diff->unit);
			gate_measure(lim, sizeof lim, g, g->limit, g->diff->unit);
			fprintf(fp, "- %s `%s`: observed %s, limit %s\n", g->tripped ? "**TRIPPED**" : "ok", g->expr, obs, lim);
		}
	}
}

static int render_json(FILE *fp, const ms_diff_view *v)
{
	const ms_diff *d = v->d;
	json_t *o = json_object();
	json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type", ms_json_str(d->type), "unit", ms_json_str(d->unit)));
	json_object_set_new(o, "base_total", json_integer(d->base_total));
	json_object_set_new(o, "new_total", json_integer(d->new_total));
	json_object_set_new(o, "delta", json_integer(d->new_total - d->base_total));
	json_object_set_new(o, "delta_percent",
		d->base_mean ? json_real(((double)d->new_total - d->base_mean) / fabs(d->base_mean) * 100) : json_null());
	json_object_set_new(o, "normalized", json_boolean(d->normalized));
	json_t *bases = json_array();
	for (size_t i = 0; i < d->nbases; i++)
		json_array_append_new(bases, json_pack("{s:o, s:I}", "file", ms_json_str(v->base_names[i]), "total",
			(json_int_t)d->base_totals[i]));
	json_object_set_new(o, "bases", bases);
	json_object_set_new(o, "base_stddev", json_real(d->base_stddev));
	json_t *rows = json_array();
	size_t nrows = v->max_rows && v->max_rows < d->nrows ? v->max_rows : d->nrows;
	for (size_t i = 0; i < nrows; i++) {
		const ms_diff_row *r = &d->rows[i];
		int64_t base = rnd(r->base);
		json_array_append_new(rows, json_pack("{s:o, s:I, s:I, s:I}", "name", ms_json_str(r->name), "base", (json_int_t)base,
			"new", (json_int_t)r->new_value, "delta", (json_int_t)(r->new_value - base)));
	}
	json_object_set_new(o, "rows", rows);
	json_t *gates = json_array();
	for (size_t i = 0; i < v->ngates; i++) {
		const ms_gate *g = &v->gates[i];
		static const char *const kinds[] = { "percent", "absolute", "sigma" };
		json_t *jg = json_pack("{s:o, s:b, s:s, s:f, s:f, s:f}", "expr", ms_json_str(g->expr), "tripped", g->tripped, "kind",
			kinds[g->kind], "observed", isinf(g->observed) ? 1e308 : g->observed, "limit", g->limit,
			"observed_delta", g->observed_delta);
		json_object_set_new(jg, "sample_type", ms_json_str(g->type));
		if (g->site)
			json_object_set_new(jg, "site", ms_json_str(g->site));
		json_t *cs = json_array();
		const ms_diff_row *top[16];
		size_t n = g->tripped ? contributors(g, g->diff, top, v->contributors < 16 ? v->contributors : 16) : 0;
		for (size_t k = 0; k < n; k++)
			json_array_append_new(cs, json_pack("{s:o, s:I}", "name", ms_json_str(top[k]->name), "delta",
				(json_int_t)rnd(top[k]->delta)));
		json_object_set_new(jg, "contributors", cs);
		json_array_append_new(gates, jg);
	}
	json_object_set_new(o, "gates", gates);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}

int ms_render_diff(FILE *fp, const ms_diff_view *v, ms_diff_format f)
{
	switch (f) {
	case MS_DIFF_JSON:
		return render_json(fp, v);
	case MS_DIFF_MARKDOWN:
		render_markdown(fp, v);
		return 0;
	case MS_DIFF_GITHUB:
		render_text(fp, v, 1);
		return 0;
	case MS_DIFF_TEXT:
		render_text(fp, v, 0);
		return 0;
	}
	return -1;
}
