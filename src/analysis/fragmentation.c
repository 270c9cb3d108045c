/* fragmentation.c (API in frag.h) — the fragmentation diagnosis (formulas and thresholds in frag.h):
 * per-class accounting, page-heap runs, the RSS breakdown, then one pass
 * per finding kind. Every byte count here comes from a dump whose integers
 * the reader bounded to 2^53; products go through sat_mul so that even
 * absurd (fuzzed) dumps give saturated numbers, not wrapped ones. */
#include "config.h"
#include "analysis/frag.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"
#include "util/buf.h"

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;
	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }
static uint64_t sub0(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }
static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0; }

const char *ms_frag_severity_name(enum ms_severity s)
{
	switch (s) {
	case MS_SEV_CRITICAL:
		return "critical";
	case MS_SEV_WARN:
		return "warning";
	case MS_SEV_INFO:
		break;
	}
	return "info";
}

/* "1.50MB" */
static const char *B(char *out, size_t n, uint64_t v)
{
	return ms_format_value(out, n, v > INT64_MAX ? INT64_MAX : (int64_t)v, "bytes");
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	ms_buf b = MS_BUF_INIT;
	va_list ap;
	va_start(ap, f);
	ms_buf_vaddf(&b, f, ap);
	va_end(ap);
	return ms_buf_detach(&b, NULL);
}

static ms_frag_finding *add_finding(ms_frag_report *r, enum ms_severity sev, const char *kind, uint64_t bytes)
{
	r->findings = ms_xreallocarray(r->findings, r->nfindings + 1, sizeof *r->findings);
	ms_frag_finding *f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof *f);
	f->severity = sev;
	f->kind = kind;
	f->bytes = bytes;
	return f;
}

static void field(ms_frag_finding *f, const char *key, double v, bool integer)
{
	if (f->nfields < MS_FRAG_MAX_FIELDS)
		f->fields[f->nfields++] = (ms_frag_field){ key, v, integer };
}

/* ---- accounting ------------------------------------------------------------- */
static void account_classes(ms_frag_report *r)
{
	const ms_heapdump *d = r->dump;
	ms_frag_totals *t = &r->totals;
	r->nclasses = d->nclasses;
	r->classes = ms_xcalloc(d->nclasses + 1, sizeof *r->classes);
	uint64_t measured = 0; /* live bytes of the classes with requested sizes */
	for (size_t i = 0; i < d->nclasses; i++) {
		const ms_hd_class *h = &d->classes[i];
		ms_frag_class *c = &r->classes[i];
		c->cls = h->cls;
		c->size = h->size;
		c->live = h->objects_live;
		c->cached = h->objects_cached;
		c->live_bytes = sat_mul(h->objects_live, h->size);
		c->has_spans = h->has_spans;
		c->occupancy = NAN;
		if (h->has_spans) {
			uint64_t span = sat_mul(h->span_pages, d->page_size);
			uint64_t per_span = span / h->size; /* the reader made span ≥ size */
			c->span_pages = h->span_pages;
			c->spans = h->spans;
			c->span_bytes = sat_mul(h->spans, span);
			c->slots = sat_mul(h->spans, per_span);
			c->occupancy = c->slots ? (double)c->live / (double)c->slots : 0;
			c->free_slot_bytes = sat_mul(sub0(c->slots, c->live), h->size);
			c->tail_bytes = sat_mul(h->spans, span - per_span * h->size);
			t->free_slot_bytes = sat_add(t->free_slot_bytes, c->free_slot_bytes);
			t->tail_bytes = sat_add(t->tail_bytes, c->tail_bytes);
		}
		if (h->has_occupancy) {
			c->has_occupancy = true;
			memcpy(c->occupancy_hist, h->occupancy, sizeof c->occupancy_hist);
			for (int k = 0; k < MS_FRAG_SPARSE_BUCKETS; k++)
				c->sparse_spans = sat_add(c->sparse_spans, h->occupancy[k]);
		}
		if (h->has_requested) {
			c->has_requested = true;
			c->requested = h->requested_live < c->live_bytes ? h->requested_live : c->live_bytes;
			c->rounding = c->live_bytes - c->requested;
			t->rounding = sat_add(t->rounding, c->rounding);
			measured = sat_add(measured, c->live_bytes);
		}
	}
	t->large_objects = d->large_objects;
	t->large_bytes = d->large_bytes;
	t->has_large_requested = d->has_large_requested;
	uint64_t large_rounding = 0;
	if (d->has_large_requested) {
		t->large_requested = d->large_requested < d->large_bytes ? d->large_requested : d->large_bytes;
		large_rounding = d->large_bytes - t->large_requested;
		measured = sat_add(measured, d->large_bytes);
	}
	/* requested = heap_alloc − rounding. A few unsampled objects
	 * (allocated before the profiler started, or missed at a coarse rate)
	 * do not hide the total: up to 1% of heap_alloc may be unmeasured,
	 * and counts as requested in full (no rounding). */
	t->unmeasured_bytes = sub0(d->heap_alloc, measured);
	t->has_requested = d->source == MS_HD_MSRT && d->version >= 2 &&
			   (double)t->unmeasured_bytes <= MS_FRAG_UNMEASURED_SHARE * (double)d->heap_alloc;
	t->requested_bytes = sub0(d->heap_alloc, sat_add(t->rounding, large_rounding));
}

static void account_pages(ms_frag_report *r)
{
	const ms_heapdump *d = r->dump;
	ms_frag_pages *p = &r->pages;
	p->page_size = d->page_size;
	p->free_pages = d->heap_idle / d->page_size;
	p->released_pages = d->heap_released / d->page_size;
	if (!d->has_runs)
		return;
	p->known = true;
	p->runs_total = d->runs_total;
	p->runs_listed = d->nruns;
	for (size_t i = 0; i < d->nruns; i++) {
		const ms_hd_run *run = &d->runs[i];
		if (run->pages > p->largest_run)
			p->largest_run = run->pages;
		if (run->pages < MS_FRAG_SMALL_RUN_PAGES)
			p->small_run_pages = sat_add(p->small_run_pages, run->pages);
		p->listed_pages = sat_add(p->listed_pages, run->pages);
	}
}

static void account_totals(ms_frag_report *r)
{
	const ms_heapdump *d = r->dump;
	ms_frag_totals *t = &r->totals;
	t->live_bytes = d->heap_alloc;
	t->objects = d->heap_objects;
	t->heap_sys = d->heap_sys;
	t->heap_inuse = d->heap_inuse;
	t->heap_idle = d->heap_idle;
	t->heap_released = d->heap_released;
	t->idle_unreleased = sub0(d->heap_idle, d->heap_released);
	t->heap_resident = sub0(d->heap_sys, d->heap_released);
	t->metadata = d->metadata_sys;
	t->has_rss = d->has_rss;
	t->rss = d->rss;
	if (d->has_rss)
		t->outside_heap = sub0(d->rss, sat_add(t->heap_resident, t->metadata));
}

/* ---- findings ----------------------------------------------------------------- */
static void find_sparse(ms_frag_report *r)
{
	char a[32], b[32];
	for (size_t i = 0; i < r->nclasses; i++) {
		const ms_frag_class *c = &r->classes[i];
		if (!c->has_spans || c->spans < MS_FRAG_SPARSE_MIN_SPANS || c->free_slot_bytes < MS_FRAG_MIN_CLASS_BYTES)
			continue;
		bool sparse = c->has_occupancy
			? c->occupancy < MS_FRAG_SPARSE_MAX_OCCUPANCY &&
				  (double)c->sparse_spans >= MS_FRAG_SPARSE_SPAN_SHARE * (double)c->spans
			: c->occupancy < MS_FRAG_SPARSE_V1_OCCUPANCY;
		if (!sparse)
			continue;
		enum ms_severity sev = (double)c->free_slot_bytes >= MS_FRAG_SPARSE_CRITICAL_SHARE * (double)r->totals.heap_inuse
			? MS_SEV_CRITICAL
			: MS_SEV_WARN;
		ms_frag_finding *f = add_finding(r, sev, "sparse_spans", c->free_slot_bytes);
		uint64_t per_span = c->spans ? c->slots / c->spans : 0;
		ms_buf m = MS_BUF_INIT;
		ms_buf_addf(&m, "size class %llu B: %llu spans (%s) hold %llu live objects in %llu slots (%.1f%% occupancy, "
				"%.1f of %llu per span)",
			(unsigned long long)c->size, (unsigned long long)c->spans, B(a, sizeof a, c->span_bytes),
			(unsigned long long)c->live, (unsigned long long)c->slots, c->occupancy * 100,
			ratio(c->live, c->spans), (unsigned long long)per_span);
		if (c->has_occupancy)
			ms_buf_addf(&m, "; %llu spans are under 30%% used", (unsigned long long)c->sparse_spans);
		ms_buf_addf(&m, "; %s sit in free slots", B(b, sizeof b, c->free_slot_bytes));
		f->message = ms_buf_detach(&m, NULL);
		f->hint = fmt("a span goes back to the page heap only when all its objects are freed, so a few "
			      "long-lived %llu-byte objects scattered among short-lived ones pin whole spans: allocate "
			      "the long-lived ones apart (their own pool or arena, or before the short-lived burst), or "
			      "free objects of one batch together",
			(unsigned long long)c->size);
		field(f, "size_class", c->cls, true);
		field(f, "size_class_bytes", (double)c->size, true);
		field(f, "spans", (double)c->spans, true);
		field(f, "occupancy", c->occupancy, false);
		if (c->has_occupancy)
			field(f, "sparse_spans", (double)c->sparse_spans, true);
		field(f, "live_objects", (double)c->live, true);
		field(f, "slots", (double)c->slots, true);
		field(f, "free_slot_bytes", (double)c->free_slot_bytes, true);
	}
}

/* Largest class size below s in the runtime's table, 0 when none. */
static uint64_t class_below(const ms_heapdump *d, uint64_t s)
{
	uint64_t best = 0;
	for (size_t k = 1; k < d->nclass_sizes; k++)
		if (d->class_sizes[k] < s && d->class_sizes[k] > best)
			best = d->class_sizes[k];
	if (best)
		return best;
	for (size_t i = 0; i < d->nclasses; i++) /* v1: only the classes in use are known */
		if (d->classes[i].size < s && d->classes[i].size > best)
			best = d->classes[i].size;
	return best;
}

static void find_rounding(ms_frag_report *r)
{
	char a[32], b[32], e[32];
	for (size_t i = 0; i < r->nclasses; i++) {
		const ms_frag_class *c = &r->classes[i];
		if (!c->has_requested || !c->live || c->rounding < MS_FRAG_MIN_CLASS_BYTES ||
			(double)c->rounding < MS_FRAG_ROUNDING_SHARE * (double)c->live_bytes)
			continue;
		double avg = (double)c->requested / (double)c->live;
		double share = ratio(c->rounding, c->live_bytes);
		ms_frag_finding *f = add_finding(r, MS_SEV_WARN, "rounding_waste", c->rounding);
		f->message = fmt("size class %llu B: %llu live objects average %.1f B, so %.1f B of every slot "
				 "(%.1f%%, %s in all) is rounding",
			(unsigned long long)c->size, (unsigned long long)c->live, avg, (double)c->size - avg, share * 100,
			B(a, sizeof a, c->rounding));
		uint64_t below = class_below(r->dump, c->size);
		if (below)
			f->hint = fmt("trim these objects by %.0f B to %llu B (the next class down) to save %s, or put "
				      "the %.0f spare bytes per object to use (a field now allocated separately, or "
				      "several objects per allocation)",
				ceil(avg - (double)below), (unsigned long long)below,
				B(b, sizeof b, sat_mul(c->size - below, c->live)), (double)c->size - avg);
		else
			f->hint = fmt("put the %.0f spare bytes per object to use, or allocate several objects at once "
				      "(%s could be saved)",
				(double)c->size - avg, B(e, sizeof e, c->rounding));
		field(f, "size_class", c->cls, true);
		field(f, "size_class_bytes", (double)c->size, true);
		field(f, "live_objects", (double)c->live, true);
		field(f, "average_request", avg, false);
		field(f, "rounding_bytes", (double)c->rounding, true);
		field(f, "rounding_share", share, false);
		if (below)
			field(f, "suggested_size", (double)below, true);
	}
}

static void find_idle(ms_frag_report *r)
{
	const ms_frag_totals *t = &r->totals;
	const ms_heapdump *d = r->dump;
	char a[32], b[32], e[32];
	if (t->idle_unreleased < MS_FRAG_IDLE_MIN_BYTES || (double)t->idle_unreleased < MS_FRAG_IDLE_SHARE * (double)t->heap_sys)
		return;
	enum ms_severity sev = t->idle_unreleased >= t->heap_inuse ? MS_SEV_CRITICAL : MS_SEV_WARN;
	ms_frag_finding *f = add_finding(r, sev, "idle_not_released", t->idle_unreleased);
	f->message = fmt("%s of free pages are kept resident (%.0f%% of the %s heap; %s free in all, %s released "
			 "to the OS)",
		B(a, sizeof a, t->idle_unreleased), ratio(t->idle_unreleased, t->heap_sys) * 100,
		B(b, sizeof b, t->heap_sys), B(e, sizeof e, t->heap_idle), B((char[32]){ 0 }, 32, t->heap_released));
	if (d->source == MS_HD_GO_MEMSTATS)
		f->hint = fmt("Go's scavenger returns them gradually; debug.FreeOSMemory() returns them now, and "
			      "GOMEMLIMIT makes the scavenger work harder");
	else if (d->has_scavenger && !d->scavenger_enabled)
		f->hint = fmt("the scavenger is off (MSRT_SCAVENGE=0): turn it on, or call ms_scavenge_all() after "
			      "freeing large buffers");
	else if (d->has_scavenger)
		f->hint = fmt("free pages go back to the OS %.1f s after they are freed (MSRT_SCAVENGE_DELAY), or at "
			      "once beyond MSRT_SCAVENGE_RETAIN=%llu%% of the heap in use: a dump taken right after a "
			      "big free shows them still resident; lower either setting, or call ms_scavenge_all() "
			      "after freeing large buffers",
			(double)d->scavenger_delay_ms / 1000, (unsigned long long)d->scavenger_retain_percent);
	else
		f->hint = fmt("the scavenger releases free pages after its retention window (MSRT_SCAVENGE_DELAY); "
			      "lower it, or call ms_scavenge_all() after freeing large buffers");
	field(f, "idle_unreleased_bytes", (double)t->idle_unreleased, true);
	field(f, "heap_idle", (double)t->heap_idle, true);
	field(f, "heap_released", (double)t->heap_released, true);
	field(f, "heap_sys", (double)t->heap_sys, true);
}

static void find_runs(ms_frag_report *r)
{
	const ms_frag_pages *p = &r->pages;
	char a[32], b[32], e[32];
	if (!p->known)
		return;
	uint64_t free_bytes = sat_mul(p->free_pages, p->page_size);
	if (free_bytes < MS_FRAG_RUNS_MIN_FREE_BYTES || p->runs_total < MS_FRAG_RUNS_MIN_RUNS || !p->listed_pages ||
		(double)p->small_run_pages < MS_FRAG_SMALL_RUN_SHARE * (double)p->listed_pages)
		return;
	enum ms_severity sev = (double)free_bytes >= MS_FRAG_RUNS_CRITICAL_SHARE * (double)r->totals.heap_sys
		? MS_SEV_CRITICAL
		: MS_SEV_WARN;
	double small_share = ratio(p->small_run_pages, p->listed_pages);
	ms_frag_finding *f = add_finding(r, sev, "page_heap_fragmented", free_bytes);
	f->message = fmt("%s of free pages lie in %llu runs%s; %.0f%% of them in runs under %d pages (%s), the "
			 "largest run is %llu pages (%s)",
		B(a, sizeof a, free_bytes), (unsigned long long)p->runs_total,
		p->runs_listed < p->runs_total ? " (the dump lists the first ones)" : "", small_share * 100,
		MS_FRAG_SMALL_RUN_PAGES, B(b, sizeof b, (uint64_t)MS_FRAG_SMALL_RUN_PAGES * p->page_size),
		(unsigned long long)p->largest_run, B(e, sizeof e, sat_mul(p->largest_run, p->page_size)));
	f->hint = fmt("long-lived spans and large objects sit between the free runs, so a request bigger than %s "
		      "grows the heap although enough pages are free: allocate long-lived data first or together, "
		      "reuse large buffers instead of freeing and reallocating them in varying sizes",
		B(a, sizeof a, sat_mul(p->largest_run, p->page_size)));
	field(f, "free_bytes", (double)free_bytes, true);
	field(f, "free_runs", (double)p->runs_total, true);
	field(f, "largest_run_pages", (double)p->largest_run, true);
	field(f, "small_run_share", small_share, false);
	field(f, "released_pages", (double)p->released_pages, true);
}

static void find_rss(ms_frag_report *r)
{
	const ms_frag_totals *t = &r->totals;
	char a[32], b[32];
	if (!t->has_rss)
		return;
	uint64_t live = t->has_requested ? t->requested_bytes : t->live_bytes;
	uint64_t excess = sub0(t->rss, live);
	double x = live ? (double)t->rss / (double)live : INFINITY;
	if (x < MS_FRAG_RSS_RATIO || excess < MS_FRAG_RSS_MIN_EXCESS)
		return;
	enum ms_severity sev = x >= MS_FRAG_RSS_CRITICAL_RATIO ? MS_SEV_CRITICAL : MS_SEV_WARN;
	ms_frag_finding *f = add_finding(r, sev, "rss_vs_live", excess);
	struct part {
		const char *what;
		uint64_t bytes;
		const char *advice;
	} parts[] = {
		{ "size-class rounding", t->rounding, "see rounding_waste: object sizes just above a class" },
		{ "large-object page rounding", t->has_large_requested ? sub0(t->large_bytes, t->large_requested) : 0,
			"large objects are rounded up to whole 8 KiB pages: sizes just above a page multiple waste most" },
		{ "free slots in spans", t->free_slot_bytes, "see sparse_spans: spans pinned by a few live objects" },
		{ "span tails", t->tail_bytes, "span tails are fixed by the class table" },
		{ "free pages not released", t->idle_unreleased, "see idle_not_released: the scavenger's settings" },
		{ "runtime metadata", t->metadata, "runtime metadata: spans, caches, the profiler's tables" },
		{ "outside the heap", t->outside_heap,
			"outside the heap: code, thread stacks, mmap()s not made by malloc — read /proc/PID/smaps" },
	};
	size_t np = sizeof parts / sizeof parts[0], top = 0;
	if (!t->has_requested)
		parts[0].bytes = parts[1].bytes = 0;
	ms_buf m = MS_BUF_INIT;
	if (live)
		ms_buf_addf(&m, "RSS %s is %.1f× the live heap (%s%s); the %s above it: ", B(a, sizeof a, t->rss), x,
			B(b, sizeof b, live), t->has_requested ? " requested" : "", B((char[32]){ 0 }, 32, excess));
	else
		ms_buf_addf(&m, "RSS %s with no live heap: ", B(a, sizeof a, t->rss));
	int first = 1;
	for (size_t i = 0; i < np; i++) {
		if (parts[i].bytes > parts[top].bytes)
			top = i;
		if (!parts[i].bytes)
			continue;
		ms_buf_addf(&m, "%s%s %s", first ? "" : ", ", B(a, sizeof a, parts[i].bytes), parts[i].what);
		first = 0;
	}
	f->message = ms_buf_detach(&m, NULL);
	f->hint = fmt("the largest part is %s (%.0f%% of the excess): %s", parts[top].what,
		ratio(parts[top].bytes, excess) * 100, parts[top].advice);
	field(f, "rss", (double)t->rss, true);
	field(f, "live_bytes", (double)live, true);
	field(f, "ratio", x, false);
	for (size_t i = 0; i < np; i++)
		if (i == top)
			field(f, "largest_part_bytes", (double)parts[i].bytes, true);
}

static void find_span_waste(ms_frag_report *r)
{
	const ms_frag_totals *t = &r->totals;
	char a[32], b[32], e[32];
	if (r->dump->source != MS_HD_GO_MEMSTATS)
		return;
	uint64_t waste = sub0(t->heap_inuse, t->live_bytes);
	if (waste < MS_FRAG_IDLE_MIN_BYTES || (double)waste < MS_FRAG_SPAN_WASTE_SHARE * (double)t->heap_inuse)
		return;
	ms_frag_finding *f = add_finding(r, MS_SEV_WARN, "span_waste", waste);
	f->message = fmt("%s of the %s in in-use spans hold no live object (HeapInuse − HeapAlloc, %.0f%%; live %s)",
		B(a, sizeof a, waste), B(b, sizeof b, t->heap_inuse), ratio(waste, t->heap_inuse) * 100,
		B(e, sizeof e, t->live_bytes));
	f->hint = fmt("size-class rounding and free slots of partly used spans; MemStats cannot tell which "
		      "class: take a heap profile and look at sizes just above a class, or long-lived objects "
		      "allocated among short-lived ones");
	field(f, "waste_bytes", (double)waste, true);
	field(f, "heap_inuse", (double)t->heap_inuse, true);
	field(f, "heap_alloc", (double)t->live_bytes, true);
}

/* Summary kinds (the RSS breakdown, MemStats' span waste) come after the
 * specific findings of the same severity that explain them. */
static int is_summary(const ms_frag_finding *f)
{
	return strcmp(f->kind, "rss_vs_live") == 0 || strcmp(f->kind, "span_waste") == 0;
}

static int by_severity(const void *pa, const void *pb)
{
	const ms_frag_finding *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (is_summary(a) != is_summary(b))
		return is_summary(a) - is_summary(b);
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	int k = strcmp(a->kind, b->kind);
	if (k)
		return k;
	return strcmp(a->message, b->message);
}

int ms_frag_analyze(ms_frag_report *r, const ms_heapdump *d, ms_err *err)
{
	memset(r, 0, sizeof *r);
	if (!d->page_size)
		return ms_seterr(err, "heap dump without a page size");
	r->dump = d;
	account_classes(r);
	account_pages(r);
	account_totals(r);
	find_sparse(r);
	find_rounding(r);
	find_idle(r);
	find_runs(r);
	find_rss(r);
	find_span_waste(r);
	if (r->nfindings > 1)
		qsort(r->findings, r->nfindings, sizeof *r->findings, by_severity);
	return 0;
}

void ms_frag_report_free(ms_frag_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		free(r->findings[i].message);
		free(r->findings[i].hint);
	}
	free(r->findings);
	free(r->classes);
	memset(r, 0, sizeof *r);
}
