/* html_report.c (API in html_report.h) — the one-file HTML report.
 *
 * The page is made of the other renderers' output, so it says exactly what
 * the commands say: `info` and `gctrace` text in <pre> blocks, `top` rows
 * as a table (cells formatted as pprof -top prints them, each with its raw
 * value in data-v for sorting), the flame graph as flame --svg draws it
 * (an inline <svg> element whose script is flame_svg.js), the diff's text
 * with its gates and its rows as a second table, the gctrace SVG timeline.
 *
 * Nothing is fetched: the Content-Security-Policy meta tag allows no source
 * at all (default-src 'none') except the page's own inline styles and
 * scripts, and no form may submit anywhere. The page's script and style
 * live in html_report.js and html_report.css, embedded as C strings at
 * build time (src/render/local.mk), as flame_svg.js is.
 */
#include "config.h"
#include "render/html_report.h"

#include <stdlib.h>
#include <string.h>

#include "render/gctrace_render.h"
#include "render/summary.h"
#include "render/xml.h"
#include "util/buf.h"
#include "util/units.h"

#include "src/render/html_report_css.h" /* HTML_REPORT_CSS, generated from html_report.css */
#include "src/render/html_report_js.h"  /* HTML_REPORT_JS, generated from html_report.js */

#define CSP "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " \
	    "form-action 'none'; base-uri 'none'"

/* ---- text ------------------------------------------------------------------ */

static void text(FILE *fp, const char *s, size_t n)
{
	ms_buf b = MS_BUF_INIT;
	ms_xml_add(&b, s, n, SIZE_MAX);
	if (b.len)
		fwrite(b.data, 1, b.len, fp);
	ms_buf_free(&b);
}

static void str(FILE *fp, const char *s) { text(fp, s, strlen(s)); }

static const char *trim(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* A renderer's output captured in memory (open_memstream). */
typedef struct capture {
	FILE *fp;
	char *data;
	size_t len;
} capture;

static int capture_open(capture *c)
{
	c->data = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->data, &c->len);
	return c->fp ? 0 : -1;
}

/* Closes the stream; -1 (and nothing kept) if a write to it failed. */
static int capture_close(capture *c, int rc)
{
	int bad = ferror(c->fp);
	if (fclose(c->fp) != 0 || bad || rc < 0) {
		free(c->data);
		c->data = NULL;
		return -1;
	}
	return 0;
}

/* Writes the captured text as <pre>, or says it is missing. */
static int pre(FILE *fp, capture *c, int rc)
{
	if (capture_close(c, rc) < 0)
		return -1;
	fputs("<pre>", fp);
	text(fp, c->data, c->len);
	fputs("</pre>\n", fp);
	free(c->data);
	return 0;
}

/* Writes captured SVG from its <svg element on (an inline element has no
 * XML prolog). */
static int inline_svg(FILE *fp, capture *c, int rc)
{
	if (capture_close(c, rc) < 0)
		return -1;
	char *s = strstr(c->data ? c->data : "", "<svg");
	if (s)
		fwrite(s, 1, c->len - (size_t)(s - c->data), fp);
	free(c->data);
	return 0;
}

/* ---- sections ---------------------------------------------------------------- */

static int summaries(FILE *fp, const ms_html_report *r)
{
	fputs("<section id=\"ms-summary\"><h2>Summary</h2>\n", fp);
	for (size_t i = 0; i < r->nprofiles; i++) {
		const ms_html_profile *hp = &r->profiles[i];
		capture c;
		if (capture_open(&c) < 0)
			return -1;
		int rc = ms_render_info_text(c.fp, hp->p, hp->name);
		if (rc >= 0 && hp->gotrace)
			rc = ms_render_gotrace_info_text(c.fp, hp->gotrace);
		if (r->nprofiles > 1) {
			fputs("<h3>", fp);
			str(fp, i == 0 ? "base: " : "new: ");
			str(fp, hp->name);
			fputs("</h3>\n", fp);
		}
		if (pre(fp, &c, rc) < 0)
			return -1;
	}
	fputs("</section>\n", fp);
	return 0;
}

/* One table cell: the text as shown, the value it sorts by. */
static void cell(FILE *fp, const char *shown, double v)
{
	fprintf(fp, "<td data-v=\"%.17g\">", v);
	str(fp, trim(shown));
	fputs("</td>", fp);
}

/* A sortable table's opening and header row: cols[i] = { label, "num" or
 * "text" (how html_report.js sorts it), tooltip }. */
static void table_head(FILE *fp, const char *id, const char *const (*cols)[3], size_t n)
{
	fprintf(fp, "<table id=\"%s\" class=\"ms-sortable\"><thead><tr>", id);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "<th data-sort=\"%s\" title=\"", cols[i][1]);
		str(fp, cols[i][2]);
		fputs("\">", fp);
		str(fp, cols[i][0]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
}

static int top_table(FILE *fp, const ms_top_view *v)
{
	const ms_graph *g = v->g;
	/* the text report's header lines (labels, filters, "Showing nodes"),
	 * which end where its column header starts */
	capture c;
	if (capture_open(&c) < 0)
		return -1;
	ms_render_top_text(c.fp, v);
	if (capture_close(&c, 0) < 0)
		return -1;
	char *colhdr = strstr(c.data, "      flat  flat%");
	fputs("<section id=\"ms-top\"><h2>Top</h2>\n<pre>", fp);
	text(fp, c.data, colhdr ? (size_t)(colhdr - c.data) : c.len);
	fputs("</pre>\n", fp);
	free(c.data);

	const char *unit = ms_profile_string(v->p, v->p->types[v->o->sample_index].unit);
	const char *out = ms_top_output_unit(v);
	static const char *const cols[][3] = {
		{ "flat", "num", "the function's own weight" },
		{ "flat%", "num", "flat as a share of the total" },
		{ "sum%", "num", "running sum of flat% in pprof's order" },
		{ "cum", "num", "weight of the function and what it calls" },
		{ "cum%", "num", "cum as a share of the total" },
		{ "name", "text", "function (or file, line, address)" },
	};
	fputs("<p class=\"ms-hint\">Click a column header to sort by it; click again to reverse.</p>\n", fp);
	table_head(fp, "ms-top-table", cols, sizeof cols / sizeof cols[0]);
	char a[64], p[32];
	int64_t sum = 0;
	size_t rows = v->max_rows && v->max_rows < g->nnodes ? v->max_rows : g->nnodes;
	for (size_t i = 0; i < rows; i++) {
		const ms_graph_node *n = &g->nodes[i];
		sum += n->flat;
		fputs("<tr>", fp);
		cell(fp, ms_format_value_as(a, sizeof a, n->flat, unit, out), (double)n->flat);
		cell(fp, ms_format_percent(p, sizeof p, n->flat, g->total), (double)n->flat);
		cell(fp, ms_format_percent(p, sizeof p, sum, g->total), (double)sum);
		cell(fp, ms_format_value_as(a, sizeof a, n->cum, unit, out), (double)n->cum);
		cell(fp, ms_format_percent(p, sizeof p, n->cum, g->total), (double)n->cum);
		fputs("<td>", fp);
		str(fp, ms_graph_node_name(g, n));
		if (n->partial_in || n->inline_in)
			fputs(n->partial_in ? " (partial-inline)" : " (inline)", fp);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table>\n</section>\n", fp);
	return 0;
}

static int flame(FILE *fp, const ms_html_report *r)
{
	ms_flame_svg_opts o = *r->flame;
	o.embed_id = "ms-flame-svg";
	capture c;
	if (capture_open(&c) < 0)
		return -1;
	long n = ms_flame_svg_write(c.fp, r->stacks, &o);
	fputs("<section id=\"ms-flame\"><h2>Flame graph</h2>\n"
	      "<form id=\"ms-flame-form\" class=\"ms-controls\">"
	      "<input id=\"ms-flame-q\" type=\"search\" placeholder=\"regular expression, e.g. ^runtime\\.\" "
	      "aria-label=\"search frames\"> "
	      "<button id=\"ms-flame-go\" type=\"submit\">Search</button> "
	      "<button id=\"ms-flame-clear\" type=\"button\">Clear search</button> "
	      "<button id=\"ms-flame-unzoom\" type=\"button\">Reset zoom</button> "
	      "<output id=\"ms-flame-matched\"></output></form>\n"
	      "<p class=\"ms-hint\">Click a frame to zoom into it; hover for its value.</p>\n"
	      "<div class=\"ms-scroll\">",
		fp);
	if (inline_svg(fp, &c, n < 0 ? -1 : 0) < 0)
		return -1;
	fputs("</div>\n</section>\n", fp);
	return 0;
}

static void signed_cell(FILE *fp, double v, const char *unit)
{
	char a[64];
	size_t k = 0;
	if (v > 0)
		a[k++] = '+';
	ms_format_value_f(a + k, sizeof a - k, v, unit);
	cell(fp, a, v);
}

static int diff(FILE *fp, const ms_html_report *r)
{
	const ms_diff_view *v = r->diff;
	const ms_diff *d = v->d;
	capture c;
	if (capture_open(&c) < 0)
		return -1;
	int rc = ms_render_diff(c.fp, v, MS_DIFF_TEXT);
	fprintf(fp, "<section id=\"ms-diff\"><h2>Diff</h2>\n");
	if (v->ngates)
		fprintf(fp, "<p id=\"ms-gates\" class=\"%s\">%s: %d of %zu gate%s tripped</p>\n",
			r->tripped ? "ms-fail" : "ms-pass", r->tripped ? "FAIL" : "PASS", r->tripped, v->ngates,
			v->ngates == 1 ? "" : "s");
	if (pre(fp, &c, rc) < 0)
		return -1;
	static const char *const cols[][3] = {
		{ "base", "num", "the baseline's value (mean of the baselines)" },
		{ "new", "num", "the new profile's value" },
		{ "delta", "num", "new - base" },
		{ "delta%", "num", "delta as a share of the base total" },
		{ "name", "text", "function (or file, line, address)" },
	};
	table_head(fp, "ms-diff-table", cols, sizeof cols / sizeof cols[0]);
	size_t rows = v->max_rows && v->max_rows < d->nrows ? v->max_rows : d->nrows;
	char a[64];
	for (size_t i = 0; i < rows; i++) {
		const ms_diff_row *row = &d->rows[i];
		fputs("<tr>", fp);
		cell(fp, ms_format_value_f(a, sizeof a, row->base, d->unit), row->base);
		cell(fp, ms_format_value_f(a, sizeof a, (double)row->new_value, d->unit), (double)row->new_value);
		signed_cell(fp, row->delta, d->unit);
		double pct = d->base_mean != 0 ? 100 * row->delta / d->base_mean : 0;
		snprintf(a, sizeof a, "%+.2f%%", pct);
		cell(fp, a, pct);
		fputs("<td>", fp);
		str(fp, row->name);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table>\n</section>\n", fp);
	return 0;
}

static int gc_timeline(FILE *fp, const ms_html_report *r)
{
	fputs("<section id=\"ms-gc\"><h2>GC timeline</h2>\n<div class=\"ms-scroll\">", fp);
	capture c;
	if (capture_open(&c) < 0)
		return -1;
	if (inline_svg(fp, &c, ms_gctrace_render_svg(c.fp, r->logs, r->reps, r->nlogs)) < 0)
		return -1;
	fputs("</div>\n", fp);
	if (capture_open(&c) < 0)
		return -1;
	if (pre(fp, &c, ms_gctrace_render_text(c.fp, r->logs, r->reps, r->nlogs)) < 0)
		return -1;
	fputs("</section>\n", fp);
	return 0;
}

/* ---- the page ------------------------------------------------------------------ */

int ms_html_report_write(FILE *fp, const ms_html_report *r)
{
	const char *title = r->title ? r->title : "memscope report";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP "\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"memscope " PACKAGE_VERSION "\">\n<title>",
		fp);
	str(fp, title);
	fputs("</title>\n<style>\n", fp);
	fputs(HTML_REPORT_CSS, fp);
	fputs("</style>\n</head><body>\n<header><h1>", fp);
	str(fp, title);
	fputs("</h1>\n<p>memscope " PACKAGE_VERSION " report of", fp);
	for (size_t i = 0; i < r->nprofiles; i++) {
		fputs(" <code>", fp);
		str(fp, r->profiles[i].name);
		fputs("</code>", fp);
	}
	for (size_t i = 0; i < r->nlogs; i++) {
		fputs(" <code>", fp);
		str(fp, r->logs[i]->name);
		fputs("</code>", fp);
	}
	fputs("</p>\n<nav>", fp);
	if (r->diff)
		fputs("<a href=\"#ms-diff\">Diff</a> ", fp);
	if (r->nprofiles)
		fputs("<a href=\"#ms-summary\">Summary</a> ", fp);
	if (r->top)
		fputs("<a href=\"#ms-top\">Top</a> ", fp);
	if (r->stacks)
		fputs("<a href=\"#ms-flame\">Flame graph</a> ", fp);
	if (r->nlogs)
		fputs("<a href=\"#ms-gc\">GC timeline</a>", fp);
	fputs("</nav></header>\n<main>\n", fp);
	int rc = 0;
	if (rc == 0 && r->diff)
		rc = diff(fp, r);
	if (rc == 0 && r->nprofiles)
		rc = summaries(fp, r);
	if (rc == 0 && r->top)
		rc = top_table(fp, r->top);
	if (rc == 0 && r->stacks)
		rc = flame(fp, r);
	if (rc == 0 && r->nlogs)
		rc = gc_timeline(fp, r);
	fputs("</main>\n<script>\n", fp);
	fputs(HTML_REPORT_JS, fp);
	fputs("</script>\n</body></html>\n", fp);
	return rc < 0 || ferror(fp) ? -1 : 0;
}
