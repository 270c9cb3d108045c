/* gctrace_svg.c — the `memscope gctrace --svg` timeline: a self-contained
 * SVG (no scripts, no external fonts), one panel per log:
 *   - top: heap at GC start, live heap after mark, and the heap goal, in MB
 *     over time since process start (or over the cycle index when the log
 *     holds several runs), each series labelled at its right end so no
 *     legend is needed; forced cycles ringed; findings shaded over their
 *     cycle range with their kind written at the top;
 *   - bottom: the STW pause of every cycle as a bar, the longest labelled.
 * Logs with more cycles than twice the plot's pixel width are drawn as the
 * maximum of every value per pixel column (said in the subtitle).
 */
#include "config.h"
#include "render/xml.h"
#include "render/gctrace_render.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum {
	SVG_W = 1000,
	MARGIN_L = 64,
	MARGIN_R = 180, /* room for the direct labels */
	TITLE_H = 56,
	MAIN_H = 260,
	GAP_H = 34,
	PAUSE_H = 80,
	BOTTOM_H = 44,
	PANEL_H = TITLE_H + MAIN_H + GAP_H + PAUSE_H + BOTTOM_H,
	PLOT_W = SVG_W - MARGIN_L - MARGIN_R,
};

#define COLOR_GOAL "#d95f02"
#define COLOR_START "#6baed6"
#define COLOR_LIVE "#08306b"
#define COLOR_PAUSE "#737373"
#define COLOR_FORCED "#7a0177"


/* 1, 2 or 5 × 10^k at or above raw. */
static double nice_step(double raw)
{
	if (!(raw > 0))
		return 1;
	double p = pow(10, floor(log10(raw)));
	double f = raw / p;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* One point of a series after downsampling. */
typedef struct pt {
	double x;
	double start, live, goal, pause;
	int forced;
	size_t idx; /* the cycle it stands for (the last in its column) */
} pt;

typedef struct panel {
	double x0, x1, ymax, pmax;
	int use_index;
	int top; /* y of the panel's top edge */
} panel;

static double px(const panel *p, double x)
{
	double span = p->x1 - p->x0;
	return MARGIN_L + (span > 0 ? (x - p->x0) / span : 0.5) * PLOT_W;
}
static double py(const panel *p, double mb) { return p->top + TITLE_H + MAIN_H - mb / p->ymax * MAIN_H; }
static double pause_base(const panel *p) { return p->top + TITLE_H + MAIN_H + GAP_H + PAUSE_H; }

static double cycle_x(const panel *p, const ms_gc_cycle *c, size_t i)
{
	return p->use_index ? (double)i : (double)c->at_us / 1e6;
}

static void polyline(FILE *fp, const panel *p, const pt *v, size_t n, size_t off, const char *color, double width,
	const char *dash)
{
	fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s%s%s points=\"", color, width,
		dash ? " stroke-dasharray=\"" : "", dash ? dash : "", dash ? "\"" : "");
	for (size_t i = 0; i < n; i++) {
		double y = *(const double *)((const char *)&v[i] + off);
		fprintf(fp, "%s%.1f,%.1f", i ? " " : "", px(p, v[i].x), py(p, y));
	}
	fputs("\"/>\n", fp);
}

typedef struct label {
	double y;
	const char *color;
	char text[64];
} label;

static int cmp_label(const void *a, const void *b)
{
	double x = ((const label *)a)->y, y = ((const label *)b)->y;
	return (x > y) - (x < y);
}

static const char *sev_color(enum ms_severity s)
{
	return s == MS_SEV_CRITICAL ? "#cb181d" : s == MS_SEV_WARN ? "#ec7014" : "#4292c6";
}

static void render_panel(FILE *fp, const ms_gctrace_log *log, const ms_gctrace_report *r, int top)
{
	const ms_gctrace_stats *s = &r->stats;
	const ms_gc_cycle *c = log->cycles;
	size_t n = log->ncycles;
	panel p = { 0, 1, 1, 1, s->runs > 1, top };
	char b1[32], b2[32];

	/* title */
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">", MARGIN_L, top + 20);
	ms_xml_write_text(fp, log->name);
	fputs("</text>\n", fp);
	if (n == 0) {
		fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\">no gc lines (%zu scavenger lines)</text>\n",
			MARGIN_L, top + 40, log->nscav);
		return;
	}
	const ms_gc_cycle *last = &c[n - 1];
	if (p.use_index) {
		p.x0 = 0;
		p.x1 = n > 1 ? (double)(n - 1) : 1;
	} else {
		p.x0 = 0;
		p.x1 = (double)last->at_us / 1e6 +
		       (double)(last->sweep_term_us + (uint64_t)last->mark_us + last->mark_term_us) / 1e6;
		if (p.x1 <= 0)
			p.x1 = 1;
	}

	/* downsample to at most one point per pixel column when dense; a
	 * column that goes back (time running backwards) merges into the last */
	size_t cols = n > 2 * (size_t)PLOT_W ? (size_t)PLOT_W : n;
	pt *v = ms_xcalloc(cols, sizeof *v);
	size_t nv = 0, last_col = 0;
	for (size_t i = 0; i < n; i++) {
		double x = cycle_x(&p, &c[i], i);
		pt cur = { x, c[i].heap_start_mb, c[i].heap_live_mb, c[i].goal_mb,
			(double)ms_gc_cycle_pause_us(&c[i]) / 1000.0, c[i].forced, i };
		size_t col = i;
		if (cols != n) {
			double f = (px(&p, x) - MARGIN_L) / PLOT_W * (double)(cols - 1) + 0.5;
			col = f <= 0 ? 0 : f >= (double)(cols - 1) ? cols - 1 : (size_t)f;
		}
		if (nv > 0 && cols != n && col <= last_col) {
			pt *q = &v[nv - 1];
			q->x = x;
			q->start = fmax(q->start, cur.start);
			q->live = fmax(q->live, cur.live);
			q->goal = fmax(q->goal, cur.goal);
			q->pause = fmax(q->pause, cur.pause);
			q->forced |= cur.forced;
			q->idx = i;
		} else if (nv < cols) {
			v[nv++] = cur;
			last_col = col;
		}
	}
	double ymax = 1, pmax = 0;
	for (size_t i = 0; i < nv; i++) {
		ymax = fmax(ymax, fmax(v[i].start, fmax(v[i].live, v[i].goal)));
		pmax = fmax(pmax, v[i].pause);
	}
	/* keep the top band free for the findings' names */
	double band = r->nfindings ? 8.0 + 13.0 * (double)r->nfindings : 0;
	if (band > MAIN_H / 2)
		band = MAIN_H / 2;
	ymax *= MAIN_H / (MAIN_H - band);
	double ystep = nice_step(ymax / 5);
	p.ymax = ceil(ymax / ystep) * ystep;
	p.pmax = pmax > 0 ? pmax : 1;

	char b3[32], b4[32];
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#444\">%zu GCs (%zu forced) over %s s · GC CPU %s%% · "
		    "STW pause p50 %s ms, max %s ms · peak heap %llu MB%s</text>\n",
		MARGIN_L, top + 38, n, s->forced_count, ms_gctrace_fmt_num(b1, sizeof b1, s->span_s),
		ms_gctrace_fmt_num(b2, sizeof b2, s->gc_cpu_computed_pct), ms_gctrace_fmt_num(b3, sizeof b3, s->pause_ms.p50),
		ms_gctrace_fmt_num(b4, sizeof b4, s->pause_ms.max), (unsigned long long)s->heap_peak_mb,
		cols != n ? " · max per pixel column" : "");

	/* grid and y axis */
	int plot_top = top + TITLE_H, plot_bot = top + TITLE_H + MAIN_H;
	for (double y = 0; y <= p.ymax + ystep / 2; y += ystep) {
		double yy = py(&p, y);
		fprintf(fp, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n", MARGIN_L,
			MARGIN_L + PLOT_W, yy, yy);
		fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%g</text>\n",
			MARGIN_L - 6, yy + 4, y);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">MB</text>\n",
		MARGIN_L - 6, plot_top - 6);
	/* x axis ticks (shared by both plots) */
	double xstep = nice_step((p.x1 - p.x0) / 8);
	for (double x = 0; x <= p.x1 + xstep / 100; x += xstep) {
		double xx = px(&p, x);
		fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#f0f0f0\"/>\n", xx, xx, plot_top,
			plot_bot);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%g</text>\n",
			xx, pause_base(&p) + 14, x);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
		MARGIN_L + PLOT_W / 2, pause_base(&p) + 32,
		p.use_index ? "cycle index (the log holds several runs)" : "time since process start (s)");

	/* findings: shaded ranges, kinds written at the top */
	for (size_t k = 0; k < r->nfindings; k++) {
		const ms_gctrace_finding *f = &r->findings[k];
		double xa, xb;
		if (p.use_index) {
			size_t ia = 0, ib = n - 1;
			for (size_t i = 0; i < n; i++)
				if (c[i].n == f->first_gc) {
					ia = i;
					break;
				}
			for (size_t i = n; i-- > 0;)
				if (c[i].n == f->last_gc) {
					ib = i;
					break;
				}
			xa = px(&p, (double)ia);
			xb = px(&p, (double)ib);
		} else {
			xa = px(&p, f->t_first_s);
			xb = px(&p, f->t_last_s);
		}
		if (xb - xa < 4) {
			xa -= 2;
			xb = xa + 4;
		}
		const char *col = sev_color(f->severity);
		fprintf(fp, "<g><title>");
		ms_xml_write_text(fp, f->message);
		fprintf(fp, "</title>\n<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" "
			    "fill-opacity=\"0.10\" stroke=\"%s\" stroke-opacity=\"0.5\" stroke-dasharray=\"3 3\"/>\n",
			xa, plot_top, xb - xa, MAIN_H, col, col);
		fprintf(fp, "<text x=\"%.1f\" y=\"%zu\" font-size=\"11\" fill=\"%s\">%s: %s</text></g>\n", xa + 4,
			(size_t)plot_top + 14 + 13 * k, col, ms_severity_name(f->severity), f->kind);
	}

	/* series */
	polyline(fp, &p, v, nv, offsetof(pt, goal), COLOR_GOAL, 1.6, "6 4");
	polyline(fp, &p, v, nv, offsetof(pt, start), COLOR_START, 1.4, NULL);
	polyline(fp, &p, v, nv, offsetof(pt, live), COLOR_LIVE, 2.2, NULL);
	for (size_t i = 0; i < nv; i++) {
		const ms_gc_cycle *x = &c[v[i].idx];
		if (nv > 300 && !v[i].forced)
			continue;
		fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\">"
			    "<title>gc %llu @%.3fs: %u-&gt;%u-&gt;%u MB, %u MB goal, pause %.3f ms%s</title></circle>\n",
			px(&p, v[i].x), py(&p, v[i].live), v[i].forced ? "4.5" : "2.5", v[i].forced ? "none" : COLOR_LIVE,
			v[i].forced ? COLOR_FORCED : COLOR_LIVE, (unsigned long long)x->n, (double)x->at_us / 1e6,
			x->heap_start_mb, x->heap_end_mb, x->heap_live_mb, x->goal_mb,
			(double)ms_gc_cycle_pause_us(x) / 1000.0, x->forced ? " (forced)" : "");
	}

	/* direct labels at the right end, pushed apart so they never overlap */
	label lab[4];
	size_t nl = 0;
	const pt *e = &v[nv - 1];
	lab[nl].y = py(&p, e->goal);
	lab[nl].color = COLOR_GOAL;
	snprintf(lab[nl++].text, sizeof lab[0].text, "heap goal %.0f MB", e->goal);
	lab[nl].y = py(&p, e->start);
	lab[nl].color = COLOR_START;
	snprintf(lab[nl++].text, sizeof lab[0].text, "heap at GC start %.0f MB", e->start);
	lab[nl].y = py(&p, e->live);
	lab[nl].color = COLOR_LIVE;
	snprintf(lab[nl++].text, sizeof lab[0].text, "live heap %.0f MB", e->live);
	if (s->forced_count) {
		lab[nl].y = plot_top + 8;
		lab[nl].color = COLOR_FORCED;
		snprintf(lab[nl++].text, sizeof lab[0].text, "o = forced GC");
	}
	qsort(lab, nl, sizeof *lab, cmp_label);
	for (size_t i = 1; i < nl; i++)
		if (lab[i].y < lab[i - 1].y + 13)
			lab[i].y = lab[i - 1].y + 13;
	for (size_t i = 0; i < nl; i++)
		fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">%s</text>\n", MARGIN_L + PLOT_W + 8,
			lab[i].y + 4, lab[i].color, lab[i].text);

	/* pause bars */
	double base = pause_base(&p);
	double bw = fmax(1.0, fmin(8.0, 0.6 * PLOT_W / (double)nv));
	fprintf(fp, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n", MARGIN_L,
		MARGIN_L + PLOT_W, base, base);
	fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">STW pause (ms)</text>\n",
		MARGIN_L + PLOT_W + 8, base - PAUSE_H + 10, COLOR_PAUSE);
	fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">%s</text>\n",
		MARGIN_L - 6, base - PAUSE_H + 4, ms_gctrace_fmt_num(b1, sizeof b1, p.pmax));
	fprintf(fp, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>\n",
		MARGIN_L - 6, base + 4);
	fprintf(fp, "<g fill=\"%s\">\n", COLOR_PAUSE);
	size_t imax = 0;
	for (size_t i = 0; i < nv; i++) {
		if (v[i].pause > v[imax].pause)
			imax = i;
		double h = v[i].pause / p.pmax * PAUSE_H;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n", px(&p, v[i].x) - bw / 2,
			base - h, bw, h);
	}
	fputs("</g>\n", fp);
	const ms_gc_cycle *mx = &c[s->pause_ms.max_index];
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#cb181d\"/>\n",
		px(&p, v[imax].x) - bw / 2, base - PAUSE_H, bw, (double)PAUSE_H);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#cb181d\"%s>max %s ms (gc %llu)</text>\n",
		px(&p, v[imax].x) + (px(&p, v[imax].x) > MARGIN_L + PLOT_W / 2 ? -6 : 6), base - PAUSE_H - 4,
		px(&p, v[imax].x) > MARGIN_L + PLOT_W / 2 ? " text-anchor=\"end\"" : "",
		ms_gctrace_fmt_num(b2, sizeof b2, s->pause_ms.max), (unsigned long long)mx->n);
	free(v);
}

int ms_gctrace_render_svg(FILE *fp, ms_gctrace_log *const *logs, const ms_gctrace_report *reps, size_t n)
{
	int h = (int)n * PANEL_H;
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
		    "<title>memscope gctrace timeline</title>\n"
		    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		SVG_W, h, SVG_W, h);
	for (size_t i = 0; i < n; i++)
		render_panel(fp, logs[i], &reps[i], (int)i * PANEL_H);
	fputs("</svg>\n", fp);
	return ferror(fp) ? -1 : 0;
}
