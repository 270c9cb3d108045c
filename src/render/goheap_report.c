/* goheap_report.c (API in goheap.h) — `memscope heapdump` output: the retention report of a Go heap
 * dump (analysis/goheap.h) as text or JSON (schema in memscope(1),
 * HEAPDUMP). */
#include "config.h"
#include "render/goheap.h"
#include "render/json_model.h"
#include "util/units.h"
#include "util/diag.h"

#include <inttypes.h>
#include <stdlib.h>

static const char *mem(char *buf, size_t n, uint64_t v) { return ms_format_value(buf, n, (int64_t)v, "bytes"); }

static const char *share(char *buf, size_t n, uint64_t v, uint64_t total)
{
	return ms_format_percent(buf, n, (int64_t)v, (int64_t)(total ? total : 1));
}

void ms_render_goheap_text(FILE *fp, const ms_goheap *h, const ms_godump *d, const char *name, size_t top)
{
	char a[32], b[32], c[32];
	fprintf(fp, "Go heap dump: %s (%s, %s, %" PRIu64 " CPUs)\n", name, ms_godump_str(d, d->go_version),
		ms_godump_str(d, d->goarch), d->ncpu);
	fprintf(fp, "Objects: %" PRIu64 " (%s); reachable %" PRIu64 " (%s), unreachable %" PRIu64 " (%s)\n",
		h->objects, mem(a, sizeof a, h->bytes), h->reachable_objects, mem(b, sizeof b, h->reachable_bytes),
		h->objects - h->reachable_objects, mem(c, sizeof c, h->bytes - h->reachable_bytes));
	if (d->has_memstats)
		fprintf(fp, "memstats: HeapObjects %" PRIu64 ", HeapAlloc %" PRIu64 " B, HeapInuse %" PRIu64
			" B, HeapSys %" PRIu64 " B, NumGC %" PRIu64 "\n",
			d->memstats[MS_GD_MS_HEAP_OBJECTS], d->memstats[MS_GD_MS_HEAP_ALLOC],
			d->memstats[MS_GD_MS_HEAP_INUSE], d->memstats[MS_GD_MS_HEAP_SYS], d->numgc);
	fprintf(fp, "Goroutines: %zu", d->ngoroutines);
	for (size_t i = 0; i < h->nwaits; i++)
		fprintf(fp, "%s%" PRIu64 " %s", i ? ", " : " (", h->waits[i].count, ms_gh_name(h, h->waits[i].reason));
	fprintf(fp, "%s\n", h->nwaits ? ")" : "");

	fprintf(fp, "\nTop retainers by root:\n  %-9s %10s %10s %7s  %s\n", "kind", "retained", "objects", "share",
		"root");
	for (size_t i = 0; i < h->nroots && i < top; i++) {
		const ms_gh_root *r = &h->roots[i];
		fprintf(fp, "  %-9s %10s %10" PRIu64 " %7s  %s\n", ms_gh_kind_name(r->kind),
			mem(a, sizeof a, r->retained_bytes), r->retained_objects,
			share(b, sizeof b, r->retained_bytes, h->bytes), ms_gh_name(h, r->name));
	}
	if (h->nroots > top)
		fprintf(fp, "  ... %zu more roots\n", h->nroots - top);

	/* goroutines holding the most (their frames, context, defers, panics) */
	size_t ng = 0;
	size_t *gs = ms_xmalloc((d->ngoroutines ? d->ngoroutines : 1) * sizeof *gs);
	for (size_t g = 0; g < d->ngoroutines; g++)
		if (h->g_retained_bytes[g]) {
			size_t at = ng++;
			while (at > 0 && h->g_retained_bytes[gs[at - 1]] < h->g_retained_bytes[g]) {
				gs[at] = gs[at - 1];
				at--;
			}
			gs[at] = g;
		}
	if (ng) {
		fprintf(fp, "\nGoroutines by retained size:\n  %10s %10s %10s  %-24s %s\n", "retained", "objects", "id",
			"state", "function");
		for (size_t i = 0; i < ng && i < top; i++) {
			const ms_gd_goroutine *gr = &d->goroutines[gs[i]];
			fprintf(fp, "  %10s %10" PRIu64 " %10" PRIu64 "  %-24s %s\n", mem(a, sizeof a, h->g_retained_bytes[gs[i]]),
				h->g_retained_objects[gs[i]], gr->goid, ms_gh_goroutine_state(d, gs[i]),
				ms_godump_str(d, gr->user ? gr->user : gr->top));
		}
	}
	free(gs);

	fprintf(fp, "\nTop objects by retained size:\n  %10s %10s %8s  %-14s %s\n", "retained", "objects", "size",
		"address", "path from root");
	for (size_t i = 0; i < h->ntop; i++) {
		const ms_gh_object *o = &h->top[i];
		fprintf(fp, "  %10s %10" PRIu64 " %8u  0x%-12" PRIx64 " %s\n", mem(a, sizeof a, o->retained_bytes),
			o->retained_objects, o->size, o->addr, o->path);
	}

	if (h->nsites) {
		fprintf(fp, "\nRetained by allocation site (%zu sampled objects):\n  %10s %10s %10s  %s\n", d->nsamples,
			"retained", "objects", "bytes", "site");
		for (size_t i = 0; i < h->nsites && i < top; i++) {
			const ms_gh_group *s = &h->sites[i];
			fprintf(fp, "  %10s %10" PRIu64 " %10s  %s\n", mem(a, sizeof a, s->retained_bytes), s->objects,
				mem(b, sizeof b, s->bytes), ms_gh_name(h, s->label));
		}
	}

	fprintf(fp, "\nBy size class:\n  %8s %10s %10s %10s %10s\n", "size", "objects", "bytes", "reachable",
		"retained");
	for (size_t i = 0; i < h->nclasses; i++) {
		const ms_gh_group *s = &h->classes[i];
		fprintf(fp, "  %8s %10" PRIu64 " %10s %10s %10s\n", ms_gh_name(h, s->label), s->objects,
			mem(a, sizeof a, s->bytes), mem(b, sizeof b, s->reachable_bytes),
			mem(c, sizeof c, s->retained_bytes));
	}
}

static void kstr(FILE *fp, const char *key, const char *v)
{
	fprintf(fp, "\"%s\": ", key);
	ms_json_write_string(fp, v);
}

static void group_json(FILE *fp, const ms_goheap *h, const ms_gh_group *s, bool site)
{
	fputs("    {", fp);
	if (site)
		kstr(fp, "site", ms_gh_name(h, s->label));
	else
		fprintf(fp, "\"size\": %" PRIu64, s->size);
	fprintf(fp,
		", \"objects\": %" PRIu64 ", \"bytes\": %" PRIu64 ", \"reachable_objects\": %" PRIu64
		", \"reachable_bytes\": %" PRIu64 ", \"retained_bytes\": %" PRIu64 ", \"retained_objects\": %" PRIu64 "}",
		s->objects, s->bytes, s->reachable_objects, s->reachable_bytes, s->retained_bytes, s->retained_objects);
}

void ms_render_goheap_json(FILE *fp, const ms_goheap *h, const ms_godump *d)
{
	fputs("{\n  ", fp);
	kstr(fp, "go_version", ms_godump_str(d, d->go_version));
	fprintf(fp, ",\n  \"objects\": %" PRIu64 ",\n  \"bytes\": %" PRIu64 ",\n", h->objects, h->bytes);
	fprintf(fp, "  \"reachable\": {\"objects\": %" PRIu64 ", \"bytes\": %" PRIu64 "},\n", h->reachable_objects,
		h->reachable_bytes);
	fprintf(fp, "  \"unreachable\": {\"objects\": %" PRIu64 ", \"bytes\": %" PRIu64 "},\n",
		h->objects - h->reachable_objects, h->bytes - h->reachable_bytes);
	fputs("  \"roots\": [", fp);
	for (size_t i = 0; i < h->nroots; i++) {
		const ms_gh_root *r = &h->roots[i];
		fprintf(fp, "%s\n    {\"kind\": \"%s\", ", i ? "," : "", ms_gh_kind_name(r->kind));
		kstr(fp, "name", ms_gh_name(h, r->name));
		fprintf(fp, ", \"retained_bytes\": %" PRIu64 ", \"retained_objects\": %" PRIu64 "}", r->retained_bytes,
			r->retained_objects);
	}
	fputs(h->nroots ? "\n  ],\n" : "],\n", fp);
	fputs("  \"goroutines\": [", fp);
	for (size_t g = 0; g < d->ngoroutines; g++) {
		const ms_gd_goroutine *gr = &d->goroutines[g];
		fprintf(fp, "%s\n    {\"id\": %" PRIu64 ", ", g ? "," : "", gr->goid);
		kstr(fp, "function", ms_godump_str(d, gr->user ? gr->user : gr->top));
		fputs(", ", fp);
		kstr(fp, "wait_reason", ms_gh_goroutine_state(d, g));
		fprintf(fp, ", \"status\": %" PRIu64 ", \"system\": %s, \"frames\": %u, \"retained_bytes\": %" PRIu64
			", \"retained_objects\": %" PRIu64 "}",
			gr->status, gr->system ? "true" : "false", gr->nframes, h->g_retained_bytes[g],
			h->g_retained_objects[g]);
	}
	fputs(d->ngoroutines ? "\n  ],\n" : "],\n", fp);
	fputs("  \"sites\": [", fp);
	for (size_t i = 0; i < h->nsites; i++) {
		fputs(i ? ",\n" : "\n", fp);
		group_json(fp, h, &h->sites[i], true);
	}
	fputs(h->nsites ? "\n  ],\n" : "],\n", fp);
	fputs("  \"size_classes\": [", fp);
	for (size_t i = 0; i < h->nclasses; i++) {
		fputs(i ? ",\n" : "\n", fp);
		group_json(fp, h, &h->classes[i], false);
	}
	fputs(h->nclasses ? "\n  ]\n}\n" : "]\n}\n", fp);
}

void ms_render_goheap_rootdiff(FILE *fp, const ms_gh_rootdiff *rows, size_t n, const char *base, const char *cur,
	size_t top, bool json)
{
	char a[32], b[32], c[32];
	if (json) {
		fputs("{\n  ", fp);
		kstr(fp, "base", base);
		fputs(",\n  ", fp);
		kstr(fp, "new", cur);
		fputs(",\n  \"roots\": [", fp);
		for (size_t i = 0; i < n; i++) {
			const ms_gh_rootdiff *r = &rows[i];
			fprintf(fp, "%s\n    {\"kind\": \"%s\", ", i ? "," : "", ms_gh_kind_name(r->kind));
			kstr(fp, "name", r->name);
			fprintf(fp, ", \"base_bytes\": %" PRIu64 ", \"new_bytes\": %" PRIu64 ", \"delta_bytes\": %" PRId64
				", \"base_objects\": %" PRIu64 ", \"new_objects\": %" PRIu64 "}",
				r->base_bytes, r->new_bytes, (int64_t)(r->new_bytes - r->base_bytes), r->base_objects,
				r->new_objects);
		}
		fputs(n ? "\n  ]\n}\n" : "]\n}\n", fp);
		return;
	}
	fprintf(fp, "Retained bytes by root (Go heap dumps)\nBase: %s\nNew:  %s\n", base, cur);
	fprintf(fp, "  %-9s %10s %10s %11s  %s\n", "kind", "base", "new", "delta", "root");
	for (size_t i = 0; i < n && i < top; i++) {
		const ms_gh_rootdiff *r = &rows[i];
		int64_t d = (int64_t)(r->new_bytes - r->base_bytes);
		ms_format_value(c + 1, sizeof c - 1, d < 0 ? -d : d, "bytes");
		c[0] = d < 0 ? '-' : '+';
		fprintf(fp, "  %-9s %10s %10s %11s  %s\n", ms_gh_kind_name(r->kind), mem(a, sizeof a, r->base_bytes),
			mem(b, sizeof b, r->new_bytes), c, r->name);
	}
	if (n > top)
		fprintf(fp, "  ... %zu more roots\n", n - top);
}
