/* flame_svg.c — writes a stacks prefix tree as an interactive SVG flame
 * graph, after Brendan Gregg's flamegraph.pl.
 *
 * Geometry (all in px):
 *   scale     = (width - 2·pad) / total(root)       px per unit of value
 *   x(child)  = x(parent) + Σ total(earlier siblings)·scale   (name order)
 *   w(node)   = total(node)·scale; drawn when w >= minwidth and the parent
 *               is drawn (pruning keeps huge profiles light: at most
 *               (width/minwidth) frames per level)
 *   y(depth)  = height - pad_bottom - (depth+1)·frame_height   (flame)
 *             = pad_top + depth·frame_height                   (icicle)
 * Colours are a hash of the name (stable across graphs): "hot" red-yellow
 * for CPU, "mem" green-blue for memory; kernel frames ("_[k]") orange,
 * inlined ones ("_[i]") aqua. A differential graph colours by the change
 * of each frame's self value, d = self_new - self_base, as flamegraph.pl
 * does: red (255, c, c) for growth, blue (c, c, 255) for shrinkage, with
 *   c = 210·(max|d| - |d|) / max|d|
 * so the largest change is the most saturated and no change is white.
 * Widths are always the new values. */
#include "config.h"
#include "render/flame_svg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"
#include "render/xml.h"
#include "util/buf.h"

#include "src/render/flame_svg_js.h" /* FLAME_SVG_JS, generated from flame_svg.js */

enum {
	FONT_SIZE = 12,
	FRAME_HEIGHT = 16,
	PAD = 10,
	PAD_TOP = FONT_SIZE * 5,
	PAD_BOTTOM = FONT_SIZE * 2 + 10,
};
static const double FONT_WIDTH = 0.59; /* average glyph width / font size (Verdana) */
static const char SEARCH_COLOR[] = "rgb(230,0,230)";

int ms_flame_palette_parse(const char *s, ms_flame_palette *out)
{
	if (strcmp(s, "auto") == 0)
		*out = MS_PALETTE_AUTO;
	else if (strcmp(s, "hot") == 0 || strcmp(s, "cpu") == 0)
		*out = MS_PALETTE_HOT;
	else if (strcmp(s, "mem") == 0 || strcmp(s, "memory") == 0)
		*out = MS_PALETTE_MEM;
	else
		return -1;
	return 0;
}

void ms_flame_svg_opts_init(ms_flame_svg_opts *o)
{
	memset(o, 0, sizeof *o);
	o->width = 1200;
	o->minwidth = 0.1;
	o->type = "samples";
	o->unit = "count";
}

/* ---- text ------------------------------------------------------------------- */

static void add_xml_str(ms_buf *b, const char *s) { ms_xml_add(b, s, strlen(s), SIZE_MAX); }

/* The label that fits w px: the name, or its start and "..", or nothing. */
static void add_label(ms_buf *b, const char *name, double w)
{
	double chars = (w - 3) / (FONT_SIZE * FONT_WIDTH);
	if (chars < 3)
		return;
	size_t n = strlen(name), len = ms_xml_char_count(name, n);
	if ((double)len <= chars) {
		ms_xml_add(b, name, n, SIZE_MAX);
	} else {
		ms_xml_add(b, name, n, (size_t)chars - 2);
		ms_buf_addstr(b, "..");
	}
}

/* "1.50MB", or "42 samples" for counts. */
static void add_value(ms_buf *b, int64_t v, const ms_flame_svg_opts *o, int sign)
{
	char num[64];
	ms_format_value(num, sizeof num, v, o->unit);
	if (sign && v > 0)
		ms_buf_addch(b, '+');
	ms_buf_addstr(b, num);
	if (strcmp(o->unit, "count") == 0) {
		ms_buf_addch(b, ' ');
		add_xml_str(b, o->type);
	}
}

static void add_percent(ms_buf *b, int64_t v, int64_t total)
{
	char pct[32];
	ms_format_percent(pct, sizeof pct, v, total);
	const char *p = pct;
	while (*p == ' ')
		p++;
	ms_buf_addstr(b, p);
}

/* ---- colours ----------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void name_colour(char *out, size_t n, const char *name, ms_flame_palette pal)
{
	uint64_t h = ms_hash_bytes(name, strlen(name));
	double v1 = (double)(h & 0xffff) / 65535.0;
	double v2 = (double)((h >> 16) & 0xffff) / 65535.0;
	double v3 = (double)((h >> 32) & 0xffff) / 65535.0;
	int r, g, b;
	if (ends_with(name, "_[k]")) { /* kernel: orange */
		r = 190 + (int)(65 * v1), g = 90 + (int)(65 * v1), b = 0;
	} else if (ends_with(name, "_[i]")) { /* inlined: aqua */
		r = 50 + (int)(60 * v1), g = 200 + (int)(55 * v1), b = 200 + (int)(55 * v1);
	} else if (pal == MS_PALETTE_MEM) {
		r = 0, g = 190 + (int)(50 * v2), b = (int)(210 * v1);
	} else {
		r = 205 + (int)(50 * v3), g = (int)(230 * v1), b = (int)(55 * v2);
	}
	snprintf(out, n, "rgb(%d,%d,%d)", r, g, b);
}

static void delta_colour(char *out, size_t n, int64_t d, int64_t maxd)
{
	int c = maxd > 0 ? (int)(210.0 * (double)(maxd - (d < 0 ? -d : d)) / (double)maxd) : 255;
	if (d > 0)
		snprintf(out, n, "rgb(255,%d,%d)", c, c);
	else if (d < 0)
		snprintf(out, n, "rgb(%d,%d,255)", c, c);
	else
		snprintf(out, n, "rgb(250,250,250)");
}

/* ---- the document ------------------------------------------------------------ */

/* The graph's style rules; an embedded graph scopes each selector to its
 * id, so they leave the rest of the HTML page alone. */
static void styles(ms_buf *b, const ms_flame_svg_opts *o)
{
	char fonts[2][100];
	snprintf(fonts[0], sizeof fonts[0], "text { font-family: Verdana, sans-serif; font-size: %dpx; fill: rgb(0,0,0); }\n",
		FONT_SIZE);
	snprintf(fonts[1], sizeof fonts[1], "#title { text-anchor: middle; font-size: %dpx; }\n", FONT_SIZE + 5);
	const char *const rules[] = {
		fonts[0],
		fonts[1],
		"#subtitle { text-anchor: middle; fill: rgb(80,80,80); }\n",
		"#search, #ignorecase, #unzoom { cursor: pointer; opacity: 0.6; }\n",
		"#search:hover, #ignorecase:hover, #unzoom:hover, #ignorecase.on { opacity: 1; }\n",
		"#frames > g { cursor: pointer; }\n",
		"#frames > g:hover > rect { stroke: rgb(0,0,0); stroke-width: 0.5; }\n",
		"#frames text { pointer-events: none; }\n",
		".hide { display: none; }\n",
		".parent { opacity: 0.5; }\n",
	};
	ms_buf_addstr(b, "<style type=\"text/css\">\n");
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const char *r = rules[i];
		if (!o->embed_id) {
			ms_buf_addstr(b, r);
			continue;
		}
		/* "a, b { ... }" -> "#id a, #id b { ... }" */
		for (const char *sel = r;;) {
			size_t n = strcspn(sel, ",{");
			ms_buf_addf(b, "#%s %.*s", o->embed_id, (int)n, sel);
			if (sel[n] != ',') {
				ms_buf_addstr(b, sel + n);
				break;
			}
			ms_buf_addstr(b, ", ");
			sel += n + 1;
			while (*sel == ' ')
				sel++;
		}
	}
	ms_buf_addstr(b, "</style>\n");
}

static void header(ms_buf *b, const ms_flame_tree *t, const ms_flame_svg_opts *o, double height, int diff)
{
	double w = o->width;
	if (o->embed_id)
		ms_buf_addf(b, "<svg id=\"%s\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
			"xmlns=\"http://www.w3.org/2000/svg\">\n", o->embed_id, w, height, w, height);
	else
		ms_buf_addf(b,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" onload=\"init(evt)\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n",
		w, height, w, height);
	ms_buf_addstr(b, "<!-- Flame graph by memscope flame: frames are root first from the bottom (top for an icicle); "
		"width = value. -->\n");
	ms_buf_addf(b,
		"<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
		"<stop stop-color=\"%s\" offset=\"5%%\"/><stop stop-color=\"%s\" offset=\"95%%\"/>"
		"</linearGradient></defs>\n",
		"#eeeeee", diff ? "#e0e0ee" : o->palette == MS_PALETTE_MEM ? "#e0eee0" : "#eeeeb0");
	styles(b, o);
	ms_buf_addf(b,
		"<script type=\"text/ecmascript\"><![CDATA[\n"
		"var cfg = { width: %.0f, pad: %d, fontsize: %d, fontwidth: %.2f, textdy: %.1f, icicle: %d, "
		"searchcolor: \"%s\", total: %lld };\n",
		o->width, PAD, FONT_SIZE, FONT_WIDTH, FRAME_HEIGHT / 2.0 + FONT_SIZE / 2.0 - 3.5, o->icicle ? 1 : 0,
		SEARCH_COLOR, (long long)t->nodes[0].total[t->ncols - 1]);
	ms_buf_addstr(b, FLAME_SVG_JS);
	ms_buf_addstr(b, "]]></script>\n");
	ms_buf_addf(b, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"url(#background)\"/>\n", w, height);

	const char *title = o->title ? o->title
				     : diff ? (o->icicle ? "Differential Icicle Graph" : "Differential Flame Graph")
				     : o->icicle ? "Icicle Graph" : "Flame Graph";
	ms_buf_addf(b, "<text id=\"title\" x=\"%.1f\" y=\"%d\">", w / 2, FONT_SIZE * 2);
	add_xml_str(b, title);
	ms_buf_addstr(b, "</text>\n");
	ms_buf_addf(b, "<text id=\"subtitle\" x=\"%.1f\" y=\"%d\">", w / 2, FONT_SIZE * 4 - 4);
	if (o->subtitle) {
		add_xml_str(b, o->subtitle);
	} else if (diff) {
		add_xml_str(b, o->type);
		ms_buf_addstr(b, ": base ");
		add_value(b, t->nodes[0].total[0], o, 0);
		ms_buf_addstr(b, ", new ");
		add_value(b, t->nodes[0].total[1], o, 0);
		ms_buf_addstr(b, "; width = new, red = grew, blue = shrank (self)");
	} else {
		add_xml_str(b, o->type);
		ms_buf_addstr(b, ": total ");
		add_value(b, t->nodes[0].total[0], o, 0);
	}
	ms_buf_addstr(b, "</text>\n");
	ms_buf_addf(b, "<text id=\"unzoom\" class=\"hide\" x=\"%d\" y=\"%d\">Reset Zoom</text>\n", PAD, FONT_SIZE * 2);
	ms_buf_addf(b, "<text id=\"search\" x=\"%.0f\" y=\"%d\">Search</text>\n", w - PAD - 110, FONT_SIZE * 2);
	ms_buf_addf(b, "<text id=\"ignorecase\" x=\"%.0f\" y=\"%d\">ic</text>\n", w - PAD - 16, FONT_SIZE * 2);
	ms_buf_addf(b, "<text id=\"details\" x=\"%d\" y=\"%.0f\"> </text>\n", PAD, height - PAD_BOTTOM / 2.0 + 4);
	ms_buf_addf(b, "<text id=\"matched\" x=\"%.0f\" y=\"%.0f\"> </text>\n", w - PAD - 110,
		height - PAD_BOTTOM / 2.0 + 4);
}

long ms_flame_svg_write(FILE *fp, const ms_stacks *s, const ms_flame_svg_opts *opts)
{
	ms_flame_svg_opts o = *opts;
	if (!(o.width >= 2 * PAD + 10))
		o.width = 2 * PAD + 10;
	if (!(o.minwidth >= 0))
		o.minwidth = 0;
	if (!o.type)
		o.type = "samples";
	if (!o.unit)
		o.unit = "count";
	if (o.palette == MS_PALETTE_AUTO)
		o.palette = ms_unit_is_memory(o.unit) ? MS_PALETTE_MEM : MS_PALETTE_HOT;
	int diff = s->ncols == 2;
	size_t wc = s->ncols - 1; /* the column that gives widths */
	int64_t total = s->sum[wc];
	double scale = total > 0 ? (o.width - 2 * PAD) / (double)total : 0;
	ms_flame_tree tree, *t = &tree;
	ms_flame_tree_build(t, s, scale, o.minwidth);
	const ms_flame_node *nodes = t->nodes;

	/* what is drawn: the pruned tree's nodes of non-zero width whose
	 * parent is drawn (parents precede children in node order) */
	size_t n = t->nnodes;
	unsigned char *drawn = ms_xcalloc(n, 1);
	uint32_t depth = 0;
	int64_t maxd = 0;
	for (size_t i = 0; i < n; i++) {
		const ms_flame_node *nd = &nodes[i];
		drawn[i] = nd->total[wc] > 0 && (i == 0 || drawn[nd->parent]);
		if (!drawn[i])
			continue;
		if (nd->depth > depth)
			depth = nd->depth;
		if (diff) {
			int64_t d = nd->self[1] - nd->self[0];
			if (d < 0)
				d = -d;
			if (d > maxd)
				maxd = d;
		}
	}

	double height = (double)(depth + 1) * FRAME_HEIGHT + PAD_TOP + PAD_BOTTOM;
	ms_buf b = MS_BUF_INIT;
	header(&b, t, &o, height, diff);
	ms_buf_addstr(&b, "<g id=\"frames\">\n");
	long count = 0;
	char colour[40];
	for (size_t i = 0; i < n; i++) {
		if (!drawn[i])
			continue;
		const ms_flame_node *nd = &nodes[i];
		const char *name = ms_flame_node_name(t, nd);
		double px = PAD + (double)nd->x * scale, pw = (double)nd->total[wc] * scale;
		double py = o.icicle ? PAD_TOP + (double)nd->depth * FRAME_HEIGHT
				     : height - PAD_BOTTOM - (double)(nd->depth + 1) * FRAME_HEIGHT;
		ms_buf_addstr(&b, "<g><title>");
		add_xml_str(&b, name);
		ms_buf_addch(&b, '\n');
		if (diff) {
			int64_t base = nd->total[0], now = nd->total[1];
			ms_buf_addstr(&b, "new ");
			add_value(&b, now, &o, 0);
			ms_buf_addstr(&b, ", ");
			add_percent(&b, now, total);
			ms_buf_addstr(&b, "; base ");
			add_value(&b, base, &o, 0);
			ms_buf_addstr(&b, "; delta ");
			add_value(&b, now - base, &o, 1);
			if (base > 0)
				ms_buf_addf(&b, ", %+.2f%%", 100.0 * (double)(now - base) / (double)base);
			ms_buf_addstr(&b, "; self delta ");
			add_value(&b, nd->self[1] - nd->self[0], &o, 1);
			delta_colour(colour, sizeof colour, nd->self[1] - nd->self[0], maxd);
		} else {
			add_value(&b, nd->total[0], &o, 0);
			ms_buf_addstr(&b, ", ");
			add_percent(&b, nd->total[0], total);
			if (i == 0)
				snprintf(colour, sizeof colour, "%s",
					o.palette == MS_PALETTE_MEM ? "rgb(120,190,160)" : "rgb(230,150,100)");
			else
				name_colour(colour, sizeof colour, name, o.palette);
		}
		ms_buf_addf(&b, "</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" rx=\"2\" ry=\"2\"/>",
			px, py, pw, FRAME_HEIGHT - 1, colour);
		size_t mark = b.len;
		ms_buf_addf(&b, "<text x=\"%.2f\" y=\"%.1f\">", px + 3, py + FRAME_HEIGHT / 2.0 + FONT_SIZE / 2.0 - 3.5);
		size_t before = b.len;
		add_label(&b, name, pw);
		if (b.len == before)
			b.len = mark, b.data[mark] = '\0'; /* too narrow: no label (the script adds one on zoom) */
		else
			ms_buf_addstr(&b, "</text>");
		ms_buf_addstr(&b, "</g>\n");
		count++;
		if (b.len > (1u << 20)) {
			fwrite(b.data, 1, b.len, fp);
			ms_buf_reset(&b);
		}
	}
	ms_buf_addstr(&b, "</g>\n</svg>\n");
	fwrite(b.data, 1, b.len, fp);
	ms_buf_free(&b);
	free(drawn);
	ms_flame_tree_free(t);
	return ferror(fp) ? -1 : count;
}
