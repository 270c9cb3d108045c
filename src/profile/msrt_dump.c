/* msrt_dump.c — the reader of libmsrt's heap dumps (and of Go MemStats JSON
 * snapshots) for `memscope frag`. jansson parses; this file checks the
 * shape and ranges of every field it uses, so the analysis can trust them:
 * every integer is 0 ≤ v ≤ 2^53 (JSON's exact range), sizes and page
 * counts are non-zero where they divide, run pages fit in the heap.
 * Unknown fields are ignored (later versions add fields); unknown
 * versions are rejected.
 */
#include "config.h"
#include "profile/msrt_dump.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "profile/load.h"
#include "profile/pprof.h"
#include "util/buf.h"
#include "util/io.h"

#define MAX_EXACT ((uint64_t)1 << 53)
#define MAX_VERSION 2

typedef struct rd {
	const char *name;
	ms_err *err;
} rd;

/* Reads obj[key] as an integer in [0, max]. where is the JSON path of
 * obj for messages ("" at the top, "size_classes[3]"). Returns 1 when
 * found, 0 when absent and optional, -1 on error. */
static int get_u64_max(rd *r, json_t *obj, const char *where, const char *key, bool required, uint64_t *out,
	uint64_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *dot = *where ? "." : "";
	if (!v) {
		if (!required)
			return 0;
		return ms_seterr(r->err, "'%s': %s%s%s: missing (not a complete heap dump?)", r->name, where, dot, key);
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d >= 0 && d <= (double)MAX_EXACT && d == (double)(uint64_t)d) {
			*out = (uint64_t)d;
			return 1;
		}
	}
	if (!json_is_integer(v))
		return ms_seterr(r->err, "'%s': %s%s%s: expected an integer", r->name, where, dot, key);
	json_int_t i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return ms_seterr(r->err, "'%s': %s%s%s: %lld out of range", r->name, where, dot, key, (long long)i);
	*out = (uint64_t)i;
	return 1;
}

static int get_u64(rd *r, json_t *obj, const char *where, const char *key, bool required, uint64_t *out)
{
	return get_u64_max(r, obj, where, key, required, out, MAX_EXACT);
}

static int get_bool(rd *r, json_t *obj, const char *where, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return ms_seterr(r->err, "'%s': %s.%s: expected true or false", r->name, where, key);
	*out = json_is_true(v);
	return 1;
}

static json_t *get_array(rd *r, json_t *obj, const char *key, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			ms_seterr(r->err, "'%s': %s: missing (not a complete heap dump?)", r->name, key);
		return NULL;
	}
	if (!json_is_array(v)) {
		ms_seterr(r->err, "'%s': %s: expected an array", r->name, key);
		return NULL;
	}
	return v;
}

static int read_class(rd *r, ms_heapdump *d, json_t *c, size_t i, ms_hd_class *out)
{
	char where[64];
	snprintf(where, sizeof where, "size_classes[%zu]", i);
	if (!json_is_object(c))
		return ms_seterr(r->err, "'%s': %s: expected an object", r->name, where);
	uint64_t cls;
	if (get_u64(r, c, where, "class", true, &cls) < 0 || get_u64(r, c, where, "size", true, &out->size) < 0 ||
		get_u64(r, c, where, "span_pages", true, &out->span_pages) < 0 ||
		get_u64(r, c, where, "spans", true, &out->spans) < 0 ||
		get_u64(r, c, where, "objects_live", true, &out->objects_live) < 0 ||
		get_u64(r, c, where, "objects_free", true, &out->objects_free) < 0 ||
		get_u64(r, c, where, "objects_cached", false, &out->objects_cached) < 0 ||
		get_u64(r, c, where, "mallocs", false, &out->mallocs) < 0 ||
		get_u64(r, c, where, "frees", false, &out->frees) < 0)
		return -1;
	if (cls == 0 || cls > 255)
		return ms_seterr(r->err, "'%s': %s.class: %llu is not a size class (1 to 255)", r->name, where,
			(unsigned long long)cls);
	out->cls = (unsigned)cls;
	if (out->size == 0 || out->size > ((uint64_t)1 << 32))
		return ms_seterr(r->err, "'%s': %s.size: %llu is not an object size", r->name, where,
			(unsigned long long)out->size);
	if (out->span_pages == 0 || out->span_pages > ((uint64_t)1 << 20) ||
		out->span_pages * d->page_size < out->size)
		return ms_seterr(r->err, "'%s': %s.span_pages: %llu pages cannot hold a %llu-byte object", r->name,
			where, (unsigned long long)out->span_pages, (unsigned long long)out->size);
	out->has_spans = true;
	json_t *occ = json_object_get(c, "span_occupancy");
	if (occ) {
		if (!json_is_array(occ) || json_array_size(occ) != MS_HD_OCC_BUCKETS)
			return ms_seterr(r->err, "'%s': %s.span_occupancy: expected an array of %d counts", r->name,
				where, MS_HD_OCC_BUCKETS);
		uint64_t sum = 0;
		for (size_t k = 0; k < MS_HD_OCC_BUCKETS; k++) {
			json_t *v = json_array_get(occ, k);
			if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > MAX_EXACT)
				return ms_seterr(r->err, "'%s': %s.span_occupancy[%zu]: expected a count", r->name, where, k);
			out->occupancy[k] = (uint64_t)json_integer_value(v);
			sum += out->occupancy[k];
		}
		(void)sum; /* may differ from spans by a span in flight; not an error */
		out->has_occupancy = true;
	}
	int got = get_u64(r, c, where, "requested_live", false, &out->requested_live);
	if (got < 0 || get_u64(r, c, where, "requested_sampled", false, &out->requested_sampled) < 0)
		return -1;
	out->has_requested = got == 1;
	return 0;
}

static int read_msrt(rd *r, ms_heapdump *d, json_t *root)
{
	uint64_t version;
	if (get_u64(r, root, "", "version", true, &version) < 0)
		return -1;
	if (version < 1 || version > MAX_VERSION)
		return ms_seterr(r->err, "'%s': heap dump version %llu is not supported (1 to %d)", r->name,
			(unsigned long long)version, MAX_VERSION);
	d->version = (int)version;
	uint64_t pid = 0;
	if (get_u64(r, root, "", "pid", false, &pid) < 0 || get_u64_max(r, root, "", "time_ns", false, &d->time_ns, INT64_MAX) < 0 ||
		get_u64(r, root, "", "page_size", true, &d->page_size) < 0)
		return -1;
	d->pid = (int64_t)pid;
	if (d->page_size < 512 || d->page_size > ((uint64_t)1 << 30) || (d->page_size & (d->page_size - 1)))
		return ms_seterr(r->err, "'%s': page_size: %llu is not a page size", r->name,
			(unsigned long long)d->page_size);

	json_t *t = json_object_get(root, "totals");
	if (!json_is_object(t))
		return ms_seterr(r->err, "'%s': totals: %s", r->name, t ? "expected an object" : "missing");
	if (get_u64(r, t, "totals", "heap_sys", true, &d->heap_sys) < 0 ||
		get_u64(r, t, "totals", "heap_inuse", true, &d->heap_inuse) < 0 ||
		get_u64(r, t, "totals", "heap_idle", true, &d->heap_idle) < 0 ||
		get_u64(r, t, "totals", "heap_released", true, &d->heap_released) < 0 ||
		get_u64(r, t, "totals", "heap_alloc", true, &d->heap_alloc) < 0 ||
		get_u64(r, t, "totals", "heap_objects", false, &d->heap_objects) < 0 ||
		get_u64(r, t, "totals", "metadata_sys", false, &d->metadata_sys) < 0)
		return -1;
	int got = get_u64(r, t, "totals", "rss", false, &d->rss);
	if (got < 0)
		return -1;
	d->has_rss = got == 1 && d->rss > 0;
	if (d->heap_released > d->heap_idle)
		return ms_seterr(r->err, "'%s': totals: heap_released %llu exceeds heap_idle %llu", r->name,
			(unsigned long long)d->heap_released, (unsigned long long)d->heap_idle);

	json_t *sc = json_object_get(root, "scavenger");
	if (sc) {
		if (!json_is_object(sc))
			return ms_seterr(r->err, "'%s': scavenger: expected an object", r->name);
		d->scavenger_enabled = true;
		if (get_bool(r, sc, "scavenger", "enabled", &d->scavenger_enabled) < 0 ||
			get_u64(r, sc, "scavenger", "delay_ms", false, &d->scavenger_delay_ms) < 0 ||
			get_u64(r, sc, "scavenger", "retain_percent", false, &d->scavenger_retain_percent) < 0)
			return -1;
		d->has_scavenger = true;
	}

	json_t *cs = json_object_get(root, "class_sizes");
	if (cs) {
		if (!json_is_array(cs) || json_array_size(cs) > 256)
			return ms_seterr(r->err, "'%s': class_sizes: expected an array of at most 256 sizes", r->name);
		d->nclass_sizes = json_array_size(cs);
		d->class_sizes = ms_xcalloc(d->nclass_sizes + 1, sizeof *d->class_sizes);
		for (size_t k = 0; k < d->nclass_sizes; k++) {
			json_t *v = json_array_get(cs, k);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
				(uint64_t)json_integer_value(v) > ((uint64_t)1 << 32))
				return ms_seterr(r->err, "'%s': class_sizes[%zu]: expected a size", r->name, k);
			d->class_sizes[k] = (uint64_t)json_integer_value(v);
			if (k > 1 && d->class_sizes[k] <= d->class_sizes[k - 1])
				return ms_seterr(r->err, "'%s': class_sizes[%zu]: sizes must increase", r->name, k);
		}
	}

	json_t *classes = get_array(r, root, "size_classes", true);
	if (!classes)
		return -1;
	d->nclasses = json_array_size(classes);
	d->classes = ms_xcalloc(d->nclasses + 1, sizeof *d->classes);
	for (size_t i = 0; i < d->nclasses; i++)
		if (read_class(r, d, json_array_get(classes, i), i, &d->classes[i]) < 0)
			return -1;

	json_t *large = json_object_get(root, "large");
	if (large) {
		if (!json_is_object(large))
			return ms_seterr(r->err, "'%s': large: expected an object", r->name);
		if (get_u64(r, large, "large", "objects", true, &d->large_objects) < 0 ||
			get_u64(r, large, "large", "bytes", true, &d->large_bytes) < 0)
			return -1;
		got = get_u64(r, large, "large", "requested", false, &d->large_requested);
		if (got < 0)
			return -1;
		d->has_large_requested = got == 1 && d->version >= 2;
	}

	json_t *runs = get_array(r, root, "free_runs", true);
	if (!runs)
		return -1;
	d->has_runs = true;
	d->nruns = json_array_size(runs);
	d->runs = ms_xcalloc(d->nruns + 1, sizeof *d->runs);
	uint64_t heap_pages = d->heap_sys / d->page_size;
	for (size_t i = 0; i < d->nruns; i++) {
		json_t *o = json_array_get(runs, i);
		char where[64];
		snprintf(where, sizeof where, "free_runs[%zu]", i);
		ms_hd_run *run = &d->runs[i];
		if (!json_is_object(o))
			return ms_seterr(r->err, "'%s': %s: expected an object", r->name, where);
		if (get_u64(r, o, where, "page", true, &run->page) < 0 || get_u64(r, o, where, "pages", true, &run->pages) < 0 ||
			get_u64(r, o, where, "released_pages", true, &run->released) < 0)
			return -1;
		if (run->pages == 0 || run->released > run->pages || run->pages > heap_pages ||
			run->page > heap_pages - run->pages)
			return ms_seterr(r->err, "'%s': %s: pages %llu+%llu (%llu released) outside the %llu-page heap",
				r->name, where, (unsigned long long)run->page, (unsigned long long)run->pages,
				(unsigned long long)run->released, (unsigned long long)heap_pages);
	}
	d->runs_total = d->nruns;
	if (get_u64(r, root, "", "free_runs_total", false, &d->runs_total) < 0)
		return -1;
	if (d->runs_total < d->nruns)
		d->runs_total = d->nruns;
	return 0;
}

/* Go's runtime.MemStats as JSON: json.Marshal(&m), or expvar's page with
 * it under "memstats". */
static int read_go(rd *r, ms_heapdump *d, json_t *m)
{
	d->source = MS_HD_GO_MEMSTATS;
	d->page_size = 8192;
	uint64_t sys;
	if (get_u64(r, m, "", "HeapAlloc", true, &d->heap_alloc) < 0 || get_u64(r, m, "", "HeapSys", true, &d->heap_sys) < 0 ||
		get_u64(r, m, "", "HeapIdle", true, &d->heap_idle) < 0 || get_u64(r, m, "", "HeapInuse", true, &d->heap_inuse) < 0 ||
		get_u64(r, m, "", "HeapReleased", true, &d->heap_released) < 0 ||
		get_u64(r, m, "", "HeapObjects", false, &d->heap_objects) < 0 || get_u64(r, m, "", "Sys", true, &sys) < 0)
		return -1;
	if (d->heap_released > d->heap_idle)
		return ms_seterr(r->err, "'%s': HeapReleased %llu exceeds HeapIdle %llu", r->name,
			(unsigned long long)d->heap_released, (unsigned long long)d->heap_idle);
	d->metadata_sys = sys > d->heap_sys ? sys - d->heap_sys : 0;
	json_t *bs = get_array(r, m, "BySize", true);
	if (!bs)
		return -1;
	size_t n = json_array_size(bs);
	d->classes = ms_xcalloc(n + 1, sizeof *d->classes);
	uint64_t small_live_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(bs, i);
		char where[64];
		snprintf(where, sizeof where, "BySize[%zu]", i);
		if (!json_is_object(o))
			return ms_seterr(r->err, "'%s': %s: expected an object", r->name, where);
		ms_hd_class c = { 0 };
		if (get_u64(r, o, where, "Size", true, &c.size) < 0 || get_u64(r, o, where, "Mallocs", true, &c.mallocs) < 0 ||
			get_u64(r, o, where, "Frees", true, &c.frees) < 0)
			return -1;
		if (c.size == 0 || c.mallocs == 0) /* class 0, or never used */
			continue;
		if (c.size > ((uint64_t)1 << 32))
			return ms_seterr(r->err, "'%s': %s.Size: %llu is not an object size", r->name, where,
				(unsigned long long)c.size);
		c.cls = (unsigned)i;
		c.objects_live = c.mallocs > c.frees ? c.mallocs - c.frees : 0;
		small_live_bytes += c.objects_live * c.size;
		d->classes[d->nclasses++] = c;
	}
	d->large_bytes = d->heap_alloc > small_live_bytes ? d->heap_alloc - small_live_bytes : 0;
	return 0;
}

int ms_heapdump_parse(ms_heapdump *d, const char *name, const void *data, size_t n, ms_err *err)
{
	memset(d, 0, sizeof *d);
	rd r = { name, err };
	const unsigned char *p = data;
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	if (i == n)
		return ms_seterr(err, "'%s': empty input, expected a heap dump (JSON)", name);
	if (p[i] != '{') {
		/* say what it is when it is another memscope input */
		if (n >= 8 && memcmp(p, "MSRTRACE", 8) == 0)
			return ms_seterr(err, "'%s': this is a libmsrt trace, not a heap dump (write one with memscope "
					      "run --heap-dump)", name);
		ms_load_opts lo = { .format = MS_INPUT_PPROF };
		ms_err ignored;
		ms_profile *prof = ms_profile_load_buffer(name, data, n, &lo, &ignored);
		if (prof) {
			ms_profile_free(prof);
			return ms_seterr(err, "'%s': this is a pprof profile, not a heap dump (write one with memscope "
					      "run --heap-dump)", name);
		}
		return ms_seterr(err, "'%s': byte %zu: not a heap dump (expected a JSON object)", name, i);
	}
	json_error_t je;
	json_t *root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return ms_seterr(err, "'%s': line %d column %d: %s", name, je.line, je.column, je.text);
	int rc;
	json_t *fmt = json_object_get(root, "format");
	json_t *go = json_object_get(root, "memstats");
	if (json_is_string(fmt)) {
		if (strcmp(json_string_value(fmt), "msrt-heapdump") != 0)
			rc = ms_seterr(err, "'%s': format '%s' is not a heap dump (expected 'msrt-heapdump')", name,
				json_string_value(fmt));
		else
			rc = read_msrt(&r, d, root);
	} else if (json_object_get(root, "HeapAlloc") && json_object_get(root, "BySize")) {
		rc = read_go(&r, d, root);
	} else if (json_is_object(go) && json_object_get(go, "HeapAlloc")) {
		rc = read_go(&r, d, go);
	} else {
		rc = ms_seterr(err, "'%s': not a heap dump (no \"format\": \"msrt-heapdump\", and no Go MemStats fields)",
			name);
	}
	json_decref(root);
	if (rc < 0)
		ms_heapdump_free(d);
	return rc;
}

int ms_heapdump_read(ms_heapdump *d, const char *path, ms_err *err)
{
	ms_buf b = MS_BUF_INIT;
	memset(d, 0, sizeof *d);
	ms_reader *r = ms_reader_open(path, err);
	if (!r)
		return -1;
	ms_reader_set_limit(r, ms_inflate_limit());
	/* A dump is a JSON object: an input whose first 64 KiB are binary
	 * from the first line on (a control byte before the first newline)
	 * and not a pprof profile (named in the message) is refused without
	 * reading the rest (a 2 GB file of zeros took 2 GB before). */
	int rc = ms_read_prefix(r, &b, 64 * 1024, err);
	size_t i = 0;
	while (rc == 0 && i < b.len && b.data[i] != '\n' && ((unsigned char)b.data[i] >= 0x20 || b.data[i] == '\t' ||
							   b.data[i] == '\r'))
		i++;
	if (rc == 0 && i < b.len && b.data[i] != '\n' && !ms_pprof_sniff_prefix((const uint8_t *)b.data, b.len))
		rc = 1; /* the prefix is enough for the message */
	else if (rc == 0)
		rc = ms_read_rest(r, &b, err);
	ms_reader_close(r);
	if (rc >= 0)
		rc = ms_heapdump_parse(d, path, b.data ? b.data : "", b.len, err);
	ms_buf_free(&b);
	return rc;
}

void ms_heapdump_free(ms_heapdump *d)
{
	free(d->classes);
	free(d->runs);
	free(d->class_sizes);
	memset(d, 0, sizeof *d);
}
