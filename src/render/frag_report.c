/* frag_report.c (API in frag.h) — text, JSON and SVG output of `memscope frag`. */
#include "config.h"
#include "render/xml.h"
#include "render/json.h"
#include "render/frag.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "util/units.h"

static const char *B(char *out, size_t n, uint64_t v)
{
	return ms_format_value(out, n, v > INT64_MAX ? INT64_MAX : (int64_t)v, "bytes");
}

static const char *source_name(const ms_heapdump *d)
{
	return d->source == MS_HD_GO_MEMSTATS ? "Go MemStats" : "msrt-heapdump";
}

/* ---- text ---------------------------------------------------------------- */
void ms_render_frag_text(FILE *fp, const ms_frag_report *r, const char *name)
{
	const ms_heapdump *d = r->dump;
	const ms_frag_totals *t = &r->totals;
	const ms_frag_pages *p = &r->pages;
	char a[32], b[32], c[32], e[32], g[32];
	fprintf(fp, "Heap dump: %s (%s", name, source_name(d));
	if (d->version)
		fprintf(fp, " v%d", d->version);
	if (d->pid)
		fprintf(fp, ", pid %lld", (long long)d->pid);
	fprintf(fp, ")\n");
	fprintf(fp, "Live %s in %llu objects", B(a, sizeof a, t->live_bytes), (unsigned long long)t->objects);
	if (t->has_requested)
		fprintf(fp, " (%s requested)", B(a, sizeof a, t->requested_bytes));
	fprintf(fp, "; spans in use %s; free pages %s (%s released)", B(b, sizeof b, t->heap_inuse),
		B(c, sizeof c, t->heap_idle), B(e, sizeof e, t->heap_released));
	if (t->has_rss)
		fprintf(fp, "; RSS %s", B(g, sizeof g, t->rss));
	fputc('\n', fp);

	if (!r->nfindings)
		fprintf(fp, "No findings: no size class, page-heap or RSS threshold was crossed.\n");
	else
		fprintf(fp, "Findings:\n");
	for (size_t i = 0; i < r->nfindings; i++) {
		const ms_frag_finding *f = &r->findings[i];
		fprintf(fp, "  %-8s %s: %s\n", ms_frag_severity_name(f->severity), f->kind, f->message);
		fprintf(fp, "  %-8s hint: %s\n", "", f->hint);
	}

	fprintf(fp, "Size classes:\n");
	if (d->source == MS_HD_GO_MEMSTATS) {
		fprintf(fp, "  %5s %8s %10s %10s\n", "class", "size", "live", "bytes");
		for (size_t i = 0; i < r->nclasses; i++) {
			const ms_frag_class *k = &r->classes[i];
			if (!k->live)
				continue;
			fprintf(fp, "  %5u %8s %10llu %10s\n", k->cls, B(a, sizeof a, k->size), (unsigned long long)k->live,
				B(b, sizeof b, k->live_bytes));
		}
	} else {
		fprintf(fp, "  %5s %8s %7s %9s %9s %9s %6s %9s %10s %9s\n", "class", "size", "spans", "slots", "live",
			"occupancy", "<30%", "rounding", "free slots", "tail");
		for (size_t i = 0; i < r->nclasses; i++) {
			const ms_frag_class *k = &r->classes[i];
			char occ[16] = "-", sparse[24] = "-", round[32] = "-";
			if (k->slots)
				snprintf(occ, sizeof occ, "%.2f%%", k->occupancy * 100);
			if (k->has_occupancy)
				snprintf(sparse, sizeof sparse, "%llu", (unsigned long long)k->sparse_spans);
			if (k->has_requested)
				B(round, sizeof round, k->rounding);
			fprintf(fp, "  %5u %8s %7llu %9llu %9llu %9s %6s %9s %10s %9s\n", k->cls, B(a, sizeof a, k->size),
				(unsigned long long)k->spans, (unsigned long long)k->slots, (unsigned long long)k->live, occ,
				sparse, round, B(b, sizeof b, k->free_slot_bytes), B(c, sizeof c, k->tail_bytes));
		}
		fprintf(fp, "  %5s %8s %7s %9s %9s %9s %6s %9s %10s %9s\n", "all", "", "", "", "", "", "",
			t->has_requested ? B(a, sizeof a, t->rounding) : "-", B(b, sizeof b, t->free_slot_bytes),
			B(c, sizeof c, t->tail_bytes));
	}
	if (d->source == MS_HD_GO_MEMSTATS) {
		fprintf(fp, "  large objects (HeapAlloc minus the size classes): %s\n", B(a, sizeof a, t->large_bytes));
	} else if (t->large_objects || t->large_bytes) {
		fprintf(fp, "  large: %llu objects in %s", (unsigned long long)t->large_objects, B(a, sizeof a, t->large_bytes));
		if (t->has_large_requested)
			fprintf(fp, " (%s requested)", B(b, sizeof b, t->large_requested));
		fputc('\n', fp);
	}
	if (p->known) {
		fprintf(fp, "Page heap: %llu free runs", (unsigned long long)p->runs_total);
		if (p->runs_listed < p->runs_total)
			fprintf(fp, " (%llu listed)", (unsigned long long)p->runs_listed);
		fprintf(fp, ", largest %llu pages (%s), %llu pages in runs under %d pages; %llu free pages: %llu released, "
			    "%llu resident (%s)\n",
			(unsigned long long)p->largest_run, B(a, sizeof a, p->largest_run * p->page_size),
			(unsigned long long)p->small_run_pages, MS_FRAG_SMALL_RUN_PAGES, (unsigned long long)p->free_pages,
			(unsigned long long)p->released_pages, (unsigned long long)(p->free_pages - p->released_pages),
			B(b, sizeof b, t->idle_unreleased));
	}
	if (t->has_rss)
		fprintf(fp, "Memory: RSS %s = heap resident %s (spans %s + free pages not released %s) + runtime "
			    "metadata %s + outside the heap %s\n",
			B(a, sizeof a, t->rss), B(b, sizeof b, t->heap_resident), B(c, sizeof c, t->heap_inuse),
			B(e, sizeof e, t->idle_unreleased), B(g, sizeof g, t->metadata),
			B((char[32]){ 0 }, 32, t->outside_heap));
	else if (d->source == MS_HD_GO_MEMSTATS)
		fprintf(fp, "Memory: heap %s (in use %s, idle %s, released %s), other runtime memory %s (no RSS in MemStats)\n",
			B(a, sizeof a, t->heap_sys), B(b, sizeof b, t->heap_inuse), B(c, sizeof c, t->heap_idle),
			B(e, sizeof e, t->heap_released), B(g, sizeof g, t->metadata));
	if (d->source == MS_HD_MSRT && !t->has_requested)
		fprintf(fp, "Note: requested sizes are not in this dump%s, so rounding waste is not measured.\n",
			d->version < 2 ? " (version 1)" : " for enough classes (the profiler sampled too few objects)");
}

/* ---- JSON ------------------------------------------------------------------ */
static json_t *u(uint64_t v) { return json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v)); }

static json_t *finding_json(const ms_frag_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "severity", ms_json_str(ms_frag_severity_name(f->severity)));
	json_object_set_new(o, "kind", ms_json_str(f->kind));
	json_object_set_new(o, "message", ms_json_str(f->message));
	json_object_set_new(o, "hint", ms_json_str(f->hint));
	for (int i = 0; i < f->nfields; i++) {
		const ms_frag_field *x = &f->fields[i];
		json_object_set_new(o, x->key,
			x->integer ? u(x->value <= 0 ? 0 : x->value >= 9.2e18 ? (uint64_t)INT64_MAX : (uint64_t)x->value)
				   : json_real(isfinite(x->value) ? x->value : 0));
	}
	return o;
}

static json_t *class_json(const ms_frag_class *k)
{
	json_t *o = json_object();
	json_object_set_new(o, "class", u(k->cls));
	json_object_set_new(o, "size", u(k->size));
	json_object_set_new(o, "live_objects", u(k->live));
	json_object_set_new(o, "live_bytes", u(k->live_bytes));
	if (k->has_spans) {
		json_object_set_new(o, "span_pages", u(k->span_pages));
		json_object_set_new(o, "spans", u(k->spans));
		json_object_set_new(o, "span_bytes", u(k->span_bytes));
		json_object_set_new(o, "slots", u(k->slots));
		json_object_set_new(o, "cached_objects", u(k->cached));
		json_object_set_new(o, "occupancy", json_real(k->occupancy));
		json_object_set_new(o, "free_slot_bytes", u(k->free_slot_bytes));
		json_object_set_new(o, "tail_bytes", u(k->tail_bytes));
	}
	if (k->has_occupancy) {
		json_t *h = json_array();
		for (int i = 0; i < MS_HD_OCC_BUCKETS; i++)
			json_array_append_new(h, u(k->occupancy_hist[i]));
		json_object_set_new(o, "span_occupancy", h);
		json_object_set_new(o, "sparse_spans", u(k->sparse_spans));
	}
	json_object_set_new(o, "requested_bytes", k->has_requested ? u(k->requested) : json_null());
	json_object_set_new(o, "rounding_bytes", k->has_requested ? u(k->rounding) : json_null());
	return o;
}

int ms_render_frag_json(FILE *fp, const ms_frag_report *r, const char *name)
{
	const ms_heapdump *d = r->dump;
	const ms_frag_totals *t = &r->totals;
	const ms_frag_pages *p = &r->pages;
	json_t *o = json_object();
	json_t *src = json_object();
	json_object_set_new(src, "file", ms_json_str(name));
	json_object_set_new(src, "format", ms_json_str(d->source == MS_HD_GO_MEMSTATS ? "go-memstats" : "msrt-heapdump"));
	json_object_set_new(src, "version", json_integer(d->version));
	if (d->pid)
		json_object_set_new(src, "pid", json_integer(d->pid));
	json_object_set_new(o, "source", src);
	json_t *fs = json_array();
	for (size_t i = 0; i < r->nfindings; i++)
		json_array_append_new(fs, finding_json(&r->findings[i]));
	json_object_set_new(o, "findings", fs);
	json_t *cs = json_array();
	for (size_t i = 0; i < r->nclasses; i++)
		json_array_append_new(cs, class_json(&r->classes[i]));
	json_object_set_new(o, "size_classes", cs);
	json_t *tj = json_object();
	json_object_set_new(tj, "live_bytes", u(t->live_bytes));
	json_object_set_new(tj, "requested_bytes", t->has_requested ? u(t->requested_bytes) : json_null());
	json_object_set_new(tj, "unmeasured_bytes", u(t->unmeasured_bytes));
	json_object_set_new(tj, "objects", u(t->objects));
	json_object_set_new(tj, "heap_sys", u(t->heap_sys));
	json_object_set_new(tj, "heap_inuse", u(t->heap_inuse));
	json_object_set_new(tj, "heap_idle", u(t->heap_idle));
	json_object_set_new(tj, "heap_released", u(t->heap_released));
	json_object_set_new(tj, "idle_unreleased", u(t->idle_unreleased));
	json_object_set_new(tj, "heap_resident", u(t->heap_resident));
	json_object_set_new(tj, "metadata", u(t->metadata));
	json_object_set_new(tj, "rss", t->has_rss ? u(t->rss) : json_null());
	json_object_set_new(tj, "outside_heap", t->has_rss ? u(t->outside_heap) : json_null());
	json_object_set_new(tj, "rounding_bytes", t->has_requested ? u(t->rounding) : json_null());
	json_object_set_new(tj, "free_slot_bytes", u(t->free_slot_bytes));
	json_object_set_new(tj, "tail_bytes", u(t->tail_bytes));
	json_object_set_new(tj, "large_objects", u(t->large_objects));
	json_object_set_new(tj, "large_bytes", u(t->large_bytes));
	json_object_set_new(tj, "large_requested", t->has_large_requested ? u(t->large_requested) : json_null());
	json_object_set_new(o, "totals", tj);
	if (p->known) {
		json_t *pj = json_object();
		json_object_set_new(pj, "page_size", u(p->page_size));
		json_object_set_new(pj, "free_runs", u(p->runs_total));
		json_object_set_new(pj, "free_runs_listed", u(p->runs_listed));
		json_object_set_new(pj, "largest_run_pages", u(p->largest_run));
		json_object_set_new(pj, "small_run_pages", u(p->small_run_pages));
		json_object_set_new(pj, "free_pages", u(p->free_pages));
		json_object_set_new(pj, "released_pages", u(p->released_pages));
		json_object_set_new(o, "page_heap", pj);
	} else {
		json_object_set_new(o, "page_heap", json_null());
	}
	int rc = json_dumpf(o, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}

/* ---- SVG ---------------------------------------------------------------------- */

/* One horizontal bar per size class with spans: its span bytes split into
 * requested (or live) bytes, rounding, free slots and tail, on one scale. */
void ms_render_frag_svg(FILE *fp, const ms_frag_report *r, const char *name)
{
	static const struct {
		const char *label, *color;
	} seg[4] = { { "live (requested)", "#4c9a2a" }, { "rounding", "#e0a526" }, { "free slots", "#d64541" },
		{ "span tail", "#999999" } };
	const int left = 150, width = 640, row = 18, top = 60;
	size_t n = 0;
	uint64_t max = 1;
	for (size_t i = 0; i < r->nclasses; i++)
		if (r->classes[i].has_spans && r->classes[i].spans) {
			n++;
			if (r->classes[i].span_bytes > max)
				max = r->classes[i].span_bytes;
		}
	int height = top + (int)n * row + 40;
	char a[32], b[32];
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
		    "font-size=\"12\">\n",
		left + width + 120, height);
	fprintf(fp, "<title>memscope frag: ");
	ms_xml_write_text(fp, name);
	fprintf(fp, "</title>\n<text x=\"10\" y=\"20\" font-size=\"15\">Span bytes per size class: ");
	ms_xml_write_text(fp, name);
	fprintf(fp, "</text>\n");
	for (int s = 0; s < 4; s++)
		fprintf(fp, "<rect x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"43\">%s</text>\n",
			10 + s * 140, seg[s].color, 26 + s * 140, seg[s].label);
	int y = top;
	for (size_t i = 0; i < r->nclasses; i++) {
		const ms_frag_class *k = &r->classes[i];
		if (!k->has_spans || !k->spans)
			continue;
		uint64_t live = k->has_requested ? k->requested : k->live_bytes;
		uint64_t part[4] = { live, k->has_requested ? k->rounding : 0, k->free_slot_bytes, k->tail_bytes };
		fprintf(fp, "<g><title>class %u (%s): %llu spans, %.1f%% occupied, %s in spans</title>\n", k->cls,
			B(a, sizeof a, k->size), (unsigned long long)k->spans, k->occupancy * 100,
			B(b, sizeof b, k->span_bytes));
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s × %llu</text>\n", left - 6, y + 12,
			B(a, sizeof a, k->size), (unsigned long long)k->spans);
		double x = left;
		for (int s = 0; s < 4; s++) {
			double w = (double)part[s] / (double)max * width;
			if (w <= 0)
				continue;
			fprintf(fp, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>\n",
				x, y, w, row - 4, seg[s].color, seg[s].label, B(a, sizeof a, part[s]));
			x += w;
		}
		fprintf(fp, "<text x=\"%.2f\" y=\"%d\">%.0f%%</text>\n</g>\n", x + 4, y + 12, k->occupancy * 100);
		y += row;
	}
	fprintf(fp, "<text x=\"10\" y=\"%d\" fill=\"#555\">scale: full width = %s</text>\n</svg>\n", y + 24,
		B(a, sizeof a, max));
}
