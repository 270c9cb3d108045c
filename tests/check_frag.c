/* check_frag.c — unit tests of the heap dump reader and the fragmentation
 * diagnosis: the per-class formulas on hand-computed numbers, each
 * finding's threshold from both sides, version 1 and Go MemStats input,
 * and the reader's messages for malformed dumps. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/frag.h"
#include "profile/msrt_dump.h"

#define MiB (1024 * 1024ull)

/* A version-2 dump with one class (given as its JSON object), free runs
 * and totals; sizes in bytes. */
static char *dump_json(const char *classes, const char *runs, unsigned long long sys, unsigned long long inuse,
	unsigned long long idle, unsigned long long released, unsigned long long alloc, unsigned long long rss)
{
	char *s = NULL;
	int n = asprintf(&s,
		"{\"format\": \"msrt-heapdump\", \"version\": 2, \"pid\": 7, \"time_ns\": 1, \"page_size\": 8192,"
		" \"totals\": {\"heap_sys\": %llu, \"heap_inuse\": %llu, \"heap_idle\": %llu, \"heap_released\": %llu,"
		" \"heap_alloc\": %llu, \"heap_objects\": 1, \"metadata_sys\": 0, \"rss\": %llu},"
		" \"scavenger\": {\"enabled\": true, \"delay_ms\": 2000, \"retain_percent\": 50},"
		" \"class_sizes\": [0, 8, 16, 32, 48, 64, 80, 96, 112],"
		" \"size_classes\": [%s], \"large\": {\"objects\": 0, \"bytes\": 0, \"requested\": 0},"
		" \"free_runs\": [%s], \"free_runs_total\": 0}",
		sys, inuse, idle, released, alloc, rss, classes, runs);
	ck_assert_int_gt(n, 0);
	return s;
}

static int parse(ms_heapdump *d, const char *json, ms_err *err)
{
	return ms_heapdump_parse(d, "t.json", json, strlen(json), err);
}

static void analyze(ms_frag_report *r, ms_heapdump *d, char *json)
{
	ms_err err;
	ck_assert_msg(parse(d, json, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(ms_frag_analyze(r, d, &err), 0);
	free(json);
}

static const ms_frag_finding *finding(const ms_frag_report *r, const char *kind)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].kind, kind) == 0)
			return &r->findings[i];
	return NULL;
}

static double field(const ms_frag_finding *f, const char *key)
{
	for (int i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return f->fields[i].value;
	ck_abort_msg("no field %s", key);
	return 0;
}

static char *class_json(unsigned cls, unsigned size, unsigned long long spans, unsigned long long live,
	const char *hist, long long requested)
{
	char *s = NULL, req[96] = "";
	if (requested >= 0)
		snprintf(req, sizeof req, ", \"requested_live\": %lld, \"requested_sampled\": 5", requested);
	unsigned long long slots = spans * (8192 / size);
	int n = asprintf(&s,
		"{\"class\": %u, \"size\": %u, \"span_pages\": 1, \"spans\": %llu, \"objects_live\": %llu,"
		" \"objects_cached\": 0, \"objects_free\": %llu, \"bytes_live\": 0, \"bytes_spans\": 0,"
		" \"mallocs\": %llu, \"frees\": 0%s%s%s}",
		cls, size, spans, live, slots - live, live, hist ? ", \"span_occupancy\": " : "", hist ? hist : "", req);
	ck_assert_int_gt(n, 0);
	return s;
}

/* ---- formulas --------------------------------------------------------------- */
START_TEST(test_class_formulas)
{
	/* 112-byte class: 73 slots per 8 KiB span, tail 8192 − 73·112 = 16 */
	char *c = class_json(8, 112, 100, 365, "[90, 5, 5, 0, 0, 0, 0, 0, 0, 0]", 365 * 100);
	ms_heapdump d;
	ms_frag_report r;
	analyze(&r, &d, dump_json(c, "", 100 * 8192, 100 * 8192, 0, 0, 365 * 112, 0));
	free(c);
	ck_assert_uint_eq(r.nclasses, 1);
	const ms_frag_class *k = &r.classes[0];
	ck_assert_uint_eq(k->slots, 7300);
	ck_assert_double_eq_tol(k->occupancy, 0.05, 1e-12);
	ck_assert_uint_eq(k->free_slot_bytes, (7300 - 365) * 112);
	ck_assert_uint_eq(k->tail_bytes, 100 * 16);
	ck_assert_uint_eq(k->rounding, 365 * 12);
	ck_assert_uint_eq(k->sparse_spans, 100);
	ck_assert(r.totals.has_requested);
	ck_assert_uint_eq(r.totals.requested_bytes, 36500);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- sparse_spans: ≥ 8 spans, ≥ 1 MiB free, occupancy < 50%, ≥ half sparse */
START_TEST(test_sparse_threshold)
{
	/* 8-byte class, 1024 slots per span: 8 spans hold 8192 slots = 64 KiB;
	 * use 144 spans: 147456 slots; 16384 live → free 131072·8 = 1 MiB */
	struct {
		unsigned long long spans, live;
		const char *hist;
		bool fires;
	} cases[] = {
		{ 144, 16384, "[72, 0, 0, 0, 0, 0, 0, 0, 0, 72]", true },   /* exactly 1 MiB, exactly half */
		{ 144, 16385, "[72, 0, 0, 0, 0, 0, 0, 0, 0, 72]", false },  /* 8 B under 1 MiB free */
		{ 144, 16384, "[71, 0, 0, 1, 0, 0, 0, 0, 0, 72]", false },  /* one sparse span short of half */
		{ 144, 16384, "[0, 0, 72, 0, 0, 0, 0, 0, 0, 72]", true },   /* 20–30% counts as sparse */
		{ 144, 16384, "[0, 0, 0, 72, 0, 0, 0, 0, 0, 72]", false },  /* 30% does not */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *c = class_json(1, 8, cases[i].spans, cases[i].live, cases[i].hist, -1);
		ms_heapdump d;
		ms_frag_report r;
		analyze(&r, &d, dump_json(c, "", 200 * MiB, 144 * 8192, 0, 0, cases[i].live * 8, 0));
		free(c);
		const ms_frag_finding *f = finding(&r, "sparse_spans");
		ck_assert_msg((f != NULL) == cases[i].fires, "case %zu", i);
		if (f) {
			ck_assert_double_eq(field(f, "size_class_bytes"), 8);
			ck_assert_double_eq(field(f, "spans"), 144);
			ck_assert_double_eq_tol(field(f, "occupancy"), 16384.0 / 147456, 1e-12);
			ck_assert_int_eq(f->severity, MS_SEV_CRITICAL); /* 1 MiB ≥ 25% of the 1.125 MiB in use */
		}
		ms_frag_report_free(&r);
		ms_heapdump_free(&d);
	}
}
END_TEST

START_TEST(test_sparse_v1_occupancy)
{
	/* without a histogram: occupancy < 30% */
	char *c1 = class_json(1, 8, 1440, 442367, NULL, -1); /* just under 30% of 1474560 slots */
	char *c2 = class_json(1, 8, 1440, 442368, NULL, -1); /* exactly 30% */
	ms_heapdump d;
	ms_frag_report r;
	analyze(&r, &d, dump_json(c1, "", 200 * MiB, 1440 * 8192, 0, 0, 0, 0));
	ck_assert_ptr_nonnull(finding(&r, "sparse_spans"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	analyze(&r, &d, dump_json(c2, "", 200 * MiB, 1440 * 8192, 0, 0, 0, 0));
	ck_assert_ptr_null(finding(&r, "sparse_spans"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	free(c1);
	free(c2);
}
END_TEST

/* ---- rounding_waste: ≥ 1 MiB and ≥ 20% of the class's live bytes ---------- */
START_TEST(test_rounding_threshold)
{
	/* 80-byte class; 65536 objects averaging 64 B: 16·65536 = 1 MiB, 20% */
	ms_heapdump d;
	ms_frag_report r;
	char *c = class_json(6, 80, 643, 65536, NULL, 64ll * 65536);
	analyze(&r, &d, dump_json(c, "", 200 * MiB, 643 * 8192, 0, 0, 80 * 65536, 0));
	free(c);
	const ms_frag_finding *f = finding(&r, "rounding_waste");
	ck_assert_ptr_nonnull(f);
	ck_assert_double_eq(field(f, "rounding_bytes"), 1048576);
	ck_assert_double_eq(field(f, "suggested_size"), 64);
	ck_assert_double_eq(field(f, "average_request"), 64);
	ck_assert_ptr_nonnull(strstr(f->hint, "to 64 B (the next class down) to save 1MB"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* one byte more requested: under 1 MiB of rounding */
	c = class_json(6, 80, 643, 65536, NULL, 64ll * 65536 + 1);
	analyze(&r, &d, dump_json(c, "", 200 * MiB, 643 * 8192, 0, 0, 80 * 65536, 0));
	free(c);
	ck_assert_ptr_null(finding(&r, "rounding_waste"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* 19.99%: plenty of bytes but too small a share */
	c = class_json(6, 80, 6426, 655360, NULL, 655360ll * 80 - 655360ll * 16 + 1000);
	analyze(&r, &d, dump_json(c, "", 200 * MiB, 6426 * 8192, 0, 0, 80 * 655360, 0));
	free(c);
	ck_assert_ptr_null(finding(&r, "rounding_waste"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- idle_not_released: ≥ 4 MiB and ≥ 10% of heap_sys ---------------------- */
START_TEST(test_idle_threshold)
{
	ms_heapdump d;
	ms_frag_report r;
	/* heap_sys 40 MiB: 36 MiB in use, 4 MiB idle, none released → fires */
	analyze(&r, &d, dump_json("", "", 40 * MiB, 36 * MiB, 4 * MiB, 0, 0, 0));
	const ms_frag_finding *f = finding(&r, "idle_not_released");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, MS_SEV_WARN);
	ck_assert_double_eq(field(f, "idle_unreleased_bytes"), 4 * MiB);
	ck_assert_ptr_nonnull(strstr(f->hint, "MSRT_SCAVENGE_DELAY"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* 41 MiB heap: 4 MiB is under 10% */
	analyze(&r, &d, dump_json("", "", 41 * MiB, 37 * MiB, 4 * MiB, 0, 0, 0));
	ck_assert_ptr_null(finding(&r, "idle_not_released"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* released pages do not count */
	analyze(&r, &d, dump_json("", "", 40 * MiB, 20 * MiB, 20 * MiB, 17 * MiB, 0, 0));
	ck_assert_ptr_null(finding(&r, "idle_not_released"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* more kept free than in use: critical */
	analyze(&r, &d, dump_json("", "", 40 * MiB, 10 * MiB, 30 * MiB, 0, 0, 0));
	ck_assert_int_eq(finding(&r, "idle_not_released")->severity, MS_SEV_CRITICAL);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- page_heap_fragmented: ≥ 4 MiB free, ≥ 16 runs, ≥ 50% in runs < 16 pages */
static char *runs_json(int nsmall, int small_pages, int big_pages)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);
	int page = 0;
	for (int i = 0; i < nsmall; i++, page += small_pages + 1)
		fprintf(fp, "%s{\"page\": %d, \"pages\": %d, \"released_pages\": 0}", i ? ", " : "", page, small_pages);
	if (big_pages)
		fprintf(fp, "%s{\"page\": %d, \"pages\": %d, \"released_pages\": %d}", nsmall ? ", " : "", page, big_pages,
			big_pages);
	fclose(fp);
	return s;
}

START_TEST(test_runs_threshold)
{
	ms_heapdump d;
	ms_frag_report r;
	/* 32 runs of 15 pages (480) + one of 32: 512 pages = 4 MiB, 94% small */
	char *runs = runs_json(32, 15, 32);
	analyze(&r, &d, dump_json("", runs, 64 * MiB, 60 * MiB, 4 * MiB, 256 * 1024, 0, 0));
	free(runs);
	const ms_frag_finding *f = finding(&r, "page_heap_fragmented");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(r.pages.largest_run, 32);
	ck_assert_uint_eq(r.pages.small_run_pages, 480);
	ck_assert_double_eq(field(f, "free_runs"), 33);
	ck_assert_int_eq(f->severity, MS_SEV_WARN);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* runs of 16 pages are not small */
	runs = runs_json(32, 16, 0);
	analyze(&r, &d, dump_json("", runs, 64 * MiB, 60 * MiB, 4 * MiB, 0, 0, 0));
	free(runs);
	ck_assert_ptr_null(finding(&r, "page_heap_fragmented"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* half the pages in one big run: 256 small + 256 in one run → exactly 50%: fires */
	runs = runs_json(32, 8, 256);
	analyze(&r, &d, dump_json("", runs, 64 * MiB, 60 * MiB, 4 * MiB, 0, 0, 0));
	free(runs);
	ck_assert_ptr_nonnull(finding(&r, "page_heap_fragmented"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* 257 pages in the big run: fewer than half small */
	runs = runs_json(32, 8, 257);
	analyze(&r, &d, dump_json("", runs, 64 * MiB, 60 * MiB, 4 * MiB + 8192, 0, 0, 0));
	free(runs);
	ck_assert_ptr_null(finding(&r, "page_heap_fragmented"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- rss_vs_live: RSS ≥ 2 × live and ≥ 16 MiB above it ---------------------- */
START_TEST(test_rss_threshold)
{
	ms_heapdump d;
	ms_frag_report r;
	/* live 16 MiB (no class has requested sizes, so heap_alloc counts),
	 * RSS 32 MiB: 2×, 16 MiB excess → fires */
	analyze(&r, &d, dump_json("", "", 20 * MiB, 20 * MiB, 0, 0, 16 * MiB, 32 * MiB));
	const ms_frag_finding *f = finding(&r, "rss_vs_live");
	ck_assert_ptr_nonnull(f);
	ck_assert_double_eq(field(f, "ratio"), 2.0);
	ck_assert_int_eq(f->severity, MS_SEV_WARN);
	/* heap resident 20 MiB, metadata 0: 12 MiB outside the heap is the largest part */
	ck_assert_ptr_nonnull(strstr(f->hint, "outside the heap"));
	ck_assert_uint_eq(r.totals.outside_heap, 12 * MiB);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	analyze(&r, &d, dump_json("", "", 20 * MiB, 20 * MiB, 0, 0, 16 * MiB, 32 * MiB - 1));
	ck_assert_ptr_null(finding(&r, "rss_vs_live"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
	/* 4×: critical */
	analyze(&r, &d, dump_json("", "", 20 * MiB, 20 * MiB, 0, 0, 8 * MiB, 32 * MiB));
	ck_assert_int_eq(finding(&r, "rss_vs_live")->severity, MS_SEV_CRITICAL);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- findings order: severity, specific before the RSS summary, bytes ------ */
START_TEST(test_order)
{
	ms_heapdump d;
	ms_frag_report r;
	/* idle 30 MiB kept (critical), RSS 8× live (critical, summary last) */
	analyze(&r, &d, dump_json("", "", 40 * MiB, 10 * MiB, 30 * MiB, 0, 5 * MiB, 42 * MiB));
	ck_assert_uint_eq(r.nfindings, 2);
	ck_assert_str_eq(r.findings[0].kind, "idle_not_released");
	ck_assert_str_eq(r.findings[1].kind, "rss_vs_live");
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

/* ---- inputs ------------------------------------------------------------------ */
START_TEST(test_go_memstats_expvar)
{
	const char *js = "{\"cmdline\": [\"x\"], \"memstats\": {\"Alloc\": 1, \"Sys\": 100000000, \"HeapAlloc\": 4000000,"
			 " \"HeapSys\": 90000000, \"HeapIdle\": 40000000, \"HeapInuse\": 50000000, \"HeapReleased\": 1000000,"
			 " \"HeapObjects\": 3, \"BySize\": [{\"Size\": 0, \"Mallocs\": 0, \"Frees\": 0},"
			 " {\"Size\": 8, \"Mallocs\": 10, \"Frees\": 4}, {\"Size\": 16, \"Mallocs\": 0, \"Frees\": 0}]}}";
	ms_heapdump d;
	ms_err err;
	ck_assert_msg(parse(&d, js, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(d.source, MS_HD_GO_MEMSTATS);
	ck_assert_uint_eq(d.nclasses, 1);
	ck_assert_uint_eq(d.classes[0].objects_live, 6);
	ck_assert_uint_eq(d.metadata_sys, 10000000);
	ms_frag_report r;
	ck_assert_int_eq(ms_frag_analyze(&r, &d, &err), 0);
	ck_assert_ptr_nonnull(finding(&r, "idle_not_released"));
	ck_assert_ptr_nonnull(finding(&r, "span_waste"));
	ck_assert_ptr_null(finding(&r, "rss_vs_live"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

START_TEST(test_huge_values_saturate)
{
	/* 2^53 spans of 2^20 pages of an object of 2^32 bytes: no wrap, no crash */
	const char *js = "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 1073741824,"
			 " \"totals\": {\"heap_sys\": 9007199254740992, \"heap_inuse\": 9007199254740992, \"heap_idle\": 0,"
			 " \"heap_released\": 0, \"heap_alloc\": 0, \"rss\": 9007199254740992},"
			 " \"size_classes\": [{\"class\": 1, \"size\": 4294967296, \"span_pages\": 1048576,"
			 " \"spans\": 9007199254740992, \"objects_live\": 9007199254740992, \"objects_free\": 0,"
			 " \"requested_live\": 9007199254740992, \"span_occupancy\": [9007199254740992, 9007199254740992, 9007199254740992, 0, 0, 0, 0, 0, 0, 0]}],"
			 " \"free_runs\": []}";
	ms_heapdump d;
	ms_err err;
	ck_assert_msg(parse(&d, js, &err) == 0, "%s", err.msg);
	ms_frag_report r;
	ck_assert_int_eq(ms_frag_analyze(&r, &d, &err), 0);
	ck_assert_uint_eq(r.classes[0].span_bytes, UINT64_MAX);
	ck_assert_uint_eq(r.classes[0].live_bytes, UINT64_MAX);
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

START_TEST(test_reader_errors)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "", "'t.json': empty input, expected a heap dump (JSON)" },
		{ "  [1]", "'t.json': byte 2: not a heap dump (expected a JSON object)" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 9}", "'t.json': heap dump version 9 is not supported (1 to 2)" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 1, \"page_size\": 1000}", "'t.json': page_size: 1000 is not a page size" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 1, \"page_size\": 8192, \"totals\": 3}", "'t.json': totals: expected an object" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 1, \"version\": 2}", "'t.json': line 1 column 51: duplicate object key near '\"version\"'" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": \"2\"}", "'t.json': version: expected an integer" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 1.5}", "'t.json': version: expected an integer" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 8192, \"totals\": {\"heap_sys\": 1,"
		  " \"heap_inuse\": 1, \"heap_idle\": 1, \"heap_released\": 2, \"heap_alloc\": 0}}",
			"'t.json': totals: heap_released 2 exceeds heap_idle 1" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 8192, \"totals\": {\"heap_sys\": 0,"
		  " \"heap_inuse\": 0, \"heap_idle\": 0, \"heap_released\": 0, \"heap_alloc\": 0}, \"size_classes\": [{\"class\": 1,"
		  " \"size\": 0, \"span_pages\": 1, \"spans\": 0, \"objects_live\": 0, \"objects_free\": 0}]}",
			"'t.json': size_classes[0].size: 0 is not an object size" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 8192, \"totals\": {\"heap_sys\": 0,"
		  " \"heap_inuse\": 0, \"heap_idle\": 0, \"heap_released\": 0, \"heap_alloc\": 0}, \"size_classes\": [{\"class\": 1,"
		  " \"size\": 16384, \"span_pages\": 1, \"spans\": 0, \"objects_live\": 0, \"objects_free\": 0}]}",
			"'t.json': size_classes[0].span_pages: 1 pages cannot hold a 16384-byte object" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 8192, \"totals\": {\"heap_sys\": 0,"
		  " \"heap_inuse\": 0, \"heap_idle\": 0, \"heap_released\": 0, \"heap_alloc\": 0}, \"size_classes\": [{\"class\": 1,"
		  " \"size\": 16, \"span_pages\": 1, \"spans\": 0, \"objects_live\": 0, \"objects_free\": 0, \"span_occupancy\": [1]}]}",
			"'t.json': size_classes[0].span_occupancy: expected an array of 10 counts" },
		{ "{\"format\": \"msrt-heapdump\", \"version\": 2, \"page_size\": 8192, \"totals\": {\"heap_sys\": 0,"
		  " \"heap_inuse\": 0, \"heap_idle\": 0, \"heap_released\": 0, \"heap_alloc\": 0}, \"size_classes\": []}",
			"'t.json': free_runs: missing (not a complete heap dump?)" },
		{ "{\"HeapAlloc\": 1}", "'t.json': not a heap dump (no \"format\": \"msrt-heapdump\", and no Go MemStats fields)" },
		{ "{\"HeapAlloc\": 1, \"BySize\": []}", "'t.json': HeapSys: missing (not a complete heap dump?)" },
		{ "MSRTRACE\x01", "'t.json': this is a libmsrt trace, not a heap dump (write one with memscope run --heap-dump)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ms_heapdump d;
		ms_err err;
		ck_assert_int_eq(parse(&d, cases[i].json, &err), -1);
		ck_assert_str_eq(err.msg, cases[i].msg);
	}
}
END_TEST

START_TEST(test_v1_committed_dump)
{
	char path[4096];
	const char *top = getenv("srcdir");
	snprintf(path, sizeof path, "%s/testdata/frag/sparse-v1.json", top ? top : ".");
	ms_heapdump d;
	ms_err err;
	ck_assert_msg(ms_heapdump_read(&d, path, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(d.version, 1);
	ck_assert(!d.has_rss);
	ms_frag_report r;
	ck_assert_int_eq(ms_frag_analyze(&r, &d, &err), 0);
	ck_assert(!r.totals.has_requested);
	const ms_frag_finding *f = finding(&r, "sparse_spans");
	ck_assert_ptr_nonnull(f);
	ck_assert_double_eq(field(f, "size_class_bytes"), 112);
	ck_assert_ptr_null(finding(&r, "rounding_waste"));
	ms_frag_report_free(&r);
	ms_heapdump_free(&d);
}
END_TEST

static Suite *frag_suite(void)
{
	Suite *s = suite_create("frag");
	TCase *t = tcase_create("formulas");
	tcase_add_test(t, test_class_formulas);
	tcase_add_test(t, test_order);
	suite_add_tcase(s, t);
	t = tcase_create("thresholds");
	tcase_add_test(t, test_sparse_threshold);
	tcase_add_test(t, test_sparse_v1_occupancy);
	tcase_add_test(t, test_rounding_threshold);
	tcase_add_test(t, test_idle_threshold);
	tcase_add_test(t, test_runs_threshold);
	tcase_add_test(t, test_rss_threshold);
	suite_add_tcase(s, t);
	t = tcase_create("inputs");
	tcase_add_test(t, test_go_memstats_expvar);
	tcase_add_test(t, test_huge_values_saturate);
	tcase_add_test(t, test_reader_errors);
	tcase_add_test(t, test_v1_committed_dump);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(frag_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
