/* trace_read.c — reads libmsrt's event trace (trace.out, written by
 * src/rt/mtrace.c; layout version 1 documented there and in memscope(1))
 * into the profile model, as a heap profile like the runtime's own pprof:
 *
 *   sample types  alloc_objects/count alloc_space/bytes
 *                 inuse_objects/count inuse_space/bytes
 *   one sample per stack; values are the sampled events' counts and bytes
 *   un-biased with the header's rate:  v / (1 − exp(−avg / rate))
 *   "in use" = allocated minus freed by the end of the trace
 *   default type: alloc_space, or inuse_space with opts->trace_inuse
 *   locations at return address − 1, mappings from the 'M' records
 *
 * The collector's records (G, W, P) are skipped here; src/gctrace/trace_gc.c
 * reads them through the record iterator below (trace.h).
 *
 * Every varint, length, class and stack id is checked: bad input gives one
 * message with the byte offset. Stack definitions may follow their first
 * use (per-thread buffers are flushed in any order), so stacks are linked
 * after the whole file is read.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile/trace.h"
#include "util/heapsample.h"
#include "util/pairmap.h"
#include "util/varint.h"

#define TRACE_MAGIC "MSRTRACE"
#define MAX_DEPTH 1024

typedef struct rd {
	const uint8_t *base, *p, *end;
	ms_err *err;
} rd;

static int fail(rd *r, const char *what)
{
	return ms_seterr(r->err, "byte %zu: %s", (size_t)(r->p - r->base), what);
}

static int varint(rd *r, const uint8_t *end, uint64_t *out);

int ms_trace_get_varint(const ms_trace_iter *it, const uint8_t **p, const uint8_t *end, uint64_t *out, ms_err *err)
{
	rd r = { it->base, *p, it->end, err };
	int rc = varint(&r, end, out);
	*p = r.p;
	return rc;
}

int ms_trace_iter_open(ms_trace_iter *it, const uint8_t *data, size_t n, ms_err *err)
{
	memset(it, 0, sizeof *it);
	rd r = { data, data, data + n, err };
	if (!ms_trace_sniff(data, n))
		return fail(&r, "not a memscope runtime trace (bad magic)");
	r.p += 8;
	ms_trace_header *h = &it->h;
	if (varint(&r, r.end, &h->version) < 0)
		return -1;
	if (h->version != 1)
		return ms_seterr(err, "byte 8: trace version %llu is not supported (this memscope reads version 1)",
			(unsigned long long)h->version);
	if (varint(&r, r.end, &h->page_size) < 0 || varint(&r, r.end, &h->wall_ns) < 0 ||
		varint(&r, r.end, &h->mono_ns) < 0 || varint(&r, r.end, &h->pid) < 0 || varint(&r, r.end, &h->rate) < 0 ||
		varint(&r, r.end, &h->nclasses) < 0)
		return -1;
	if (h->nclasses == 0 || h->nclasses > 256)
		return fail(&r, "implausible number of size classes");
	uint64_t x;
	for (uint64_t i = 0; i < 2 * h->nclasses; i++)
		if (varint(&r, r.end, &x) < 0)
			return -1;
	it->base = data;
	it->p = r.p;
	it->end = r.end;
	return 0;
}

int ms_trace_iter_next(ms_trace_iter *it, uint8_t *kind, const uint8_t **payload, size_t *len, ms_err *err)
{
	if (it->ended || it->p >= it->end)
		return 0;
	rd r = { it->base, it->p, it->end, err };
	uint8_t k = *r.p++;
	uint64_t n;
	if (varint(&r, r.end, &n) < 0)
		return -1;
	if (n > (uint64_t)(r.end - r.p))
		return fail(&r, "record longer than the file");
	*kind = k;
	*payload = r.p;
	*len = (size_t)n;
	it->p = r.p + n;
	if (k == 'E') {
		it->ended = 1;
		return 0;
	}
	return 1;
}

static int varint(rd *r, const uint8_t *end, uint64_t *out)
{
	int n = ms_uvarint(r->p, end, out);
	if (n > 0) {
		r->p += n;
		return 0;
	}
	return fail(r, n == MS_UVARINT_SHORT ? "truncated varint"
		       : n == MS_UVARINT_OVERFLOW ? "varint over 64 bits"
						  : "varint longer than 10 bytes");
}

typedef struct stackrec {
	uint64_t pc_off; /* into pcs */
	uint32_t depth;
	int defined;
	uint64_t allocs, alloc_bytes, frees, free_bytes;
} stackrec;

typedef struct tstate {
	stackrec *stacks;
	size_t nstacks, cap; /* index = id */
	uint64_t *pcs;
	size_t npcs, pcs_cap;
	uint64_t rate, nclasses, wall_ns, last_t;
} tstate;

static stackrec *stack_at(tstate *t, rd *r, uint64_t id)
{
	/* ids are dense from 1; each definition takes at least 3 bytes */
	if (id == 0 || id > (uint64_t)(r->end - r->base)) {
		fail(r, "stack id out of range");
		return NULL;
	}
	MS_GROW_ZERO(t->stacks, t->cap, id, 64);
	if (id >= t->nstacks)
		t->nstacks = id + 1;
	return &t->stacks[id];
}

static int read_batch(tstate *t, rd *r, const uint8_t *end)
{
	uint64_t tid;
	if (varint(r, end, &tid) < 0)
		return -1;
	while (r->p < end) {
		uint8_t kind = *r->p++;
		uint64_t v[5];
		if (kind == 1) {
			uint64_t id, depth;
			if (varint(r, end, &id) < 0 || varint(r, end, &depth) < 0)
				return -1;
			if (depth > MAX_DEPTH)
				return fail(r, "stack deeper than 1024 frames");
			stackrec *s = stack_at(t, r, id);
			if (!s)
				return -1;
			if (s->defined)
				return fail(r, "stack defined twice");
			if (t->npcs + depth > t->pcs_cap) {
				t->pcs_cap = (t->npcs + depth) * 2 + 64;
				t->pcs = ms_xreallocarray(t->pcs, t->pcs_cap, sizeof *t->pcs);
			}
			s->pc_off = t->npcs;
			s->depth = (uint32_t)depth;
			s->defined = 1;
			for (uint64_t i = 0; i < depth; i++)
				if (varint(r, end, &t->pcs[t->npcs++]) < 0)
					return -1;
		} else if (kind == 2 || kind == 3) {
			for (int i = 0; i < 5; i++)
				if (varint(r, end, &v[i]) < 0)
					return -1;
			if (v[1] >= t->nclasses)
				return fail(r, "size class out of range");
			stackrec *s = stack_at(t, r, v[4]);
			if (!s)
				return -1;
			if (kind == 2) {
				s->allocs++;
				s->alloc_bytes += v[2];
			} else {
				s->frees++;
				s->free_bytes += v[2];
			}
			if (v[0] > t->last_t)
				t->last_t = v[0];
		} else {
			r->p--;
			return fail(r, "unknown event kind in batch");
		}
	}
	return 0;
}

static int read_mapping(ms_profile *p, rd *r, const uint8_t *end)
{
	uint64_t start, limit, offset, len;
	if (varint(r, end, &start) < 0 || varint(r, end, &limit) < 0 || varint(r, end, &offset) < 0)
		return -1;
	const char *strs[2];
	size_t lens[2];
	for (int i = 0; i < 2; i++) {
		if (varint(r, end, &len) < 0)
			return -1;
		if (len > (uint64_t)(end - r->p))
			return fail(r, "string longer than its record");
		strs[i] = (const char *)r->p;
		lens[i] = (size_t)len;
		r->p += len;
	}
	if (limit < start)
		return fail(r, "mapping ends before it starts");
	ms_mapping m;
	memset(&m, 0, sizeof m);
	m.start = start;
	m.limit = limit;
	m.offset = offset;
	m.filename = ms_profile_strn(p, strs[0], lens[0]);
	m.build_id = ms_profile_strn(p, strs[1], lens[1]);
	ms_profile_add_mapping(p, &m);
	return 0;
}

int ms_trace_sniff(const uint8_t *data, size_t n)
{
	return n >= 8 && memcmp(data, TRACE_MAGIC, 8) == 0;
}

ms_profile *ms_trace_parse(const uint8_t *data, size_t n, int inuse, ms_err *err)
{
	rd r = { data, data, data + n, err };
	tstate t;
	memset(&t, 0, sizeof t);
	ms_profile *p = ms_profile_new();
	ms_pairmap locs;
	ms_pairmap_init(&locs, 64);
	ms_trace_iter it;
	if (ms_trace_iter_open(&it, data, n, err) < 0)
		goto bad;
	t.wall_ns = it.h.wall_ns;
	t.rate = it.h.rate;
	t.nclasses = it.h.nclasses;
	for (;;) {
		uint8_t kind;
		const uint8_t *payload;
		size_t len;
		int got = ms_trace_iter_next(&it, &kind, &payload, &len, err);
		if (got < 0)
			goto bad;
		if (got == 0)
			break;
		r.p = payload;
		const uint8_t *end = payload + len;
		if (kind == 'B') {
			if (read_batch(&t, &r, end) < 0)
				goto bad;
		} else if (kind == 'M') {
			if (read_mapping(p, &r, end) < 0)
				goto bad;
			if (r.p != end) {
				fail(&r, "mapping record has trailing bytes");
				goto bad;
			}
		}
		/* 'S', the collector's 'G', 'W', 'P' and unknown kinds are
		 * skipped by length */
	}

	ms_profile_add_type(p, "alloc_objects", "count");
	ms_profile_add_type(p, "alloc_space", "bytes");
	ms_profile_add_type(p, "inuse_objects", "count");
	ms_profile_add_type(p, "inuse_space", "bytes");
	p->default_type = ms_profile_str(p, inuse ? "inuse_space" : "alloc_space");
	p->period_type.type = ms_profile_str(p, "space");
	p->period_type.unit = ms_profile_str(p, "bytes");
	p->period = (int64_t)t.rate;
	p->time_nanos = (int64_t)t.wall_ns;
	p->duration_nanos = (int64_t)t.last_t;
	uint32_t bytes_key = ms_profile_str(p, "bytes");
	uint32_t *stack = NULL;
	size_t stack_cap = 0;
	for (size_t id = 1; id < t.nstacks; id++) {
		stackrec *s = &t.stacks[id];
		if (!s->allocs && !s->frees)
			continue;
		if (!s->defined) {
			ms_seterr(err, "stack id %zu is used but never defined", id);
			free(stack);
			goto bad;
		}
		if (s->depth > stack_cap) {
			stack_cap = s->depth;
			stack = ms_xreallocarray(stack, stack_cap, sizeof *stack);
		}
		for (uint32_t k = 0; k < s->depth; k++) {
			uint64_t pc = t.pcs[s->pc_off + k];
			uint32_t li = ms_pairmap_get(&locs, pc, 0);
			if (li == UINT32_MAX) {
				ms_location loc;
				memset(&loc, 0, sizeof loc);
				loc.address = pc ? pc - 1 : 0;
				loc.mapping = MS_NONE;
				for (size_t m = 0; m < p->nmappings; m++)
					if (loc.address >= p->mappings[m].start && loc.address < p->mappings[m].limit) {
						loc.mapping = (uint32_t)m;
						break;
					}
				li = ms_profile_add_location(p, &loc, NULL, 0);
				ms_pairmap_put(&locs, pc, 0, li);
			}
			stack[k] = li;
		}
		int64_t v[4];
		uint64_t live = s->allocs >= s->frees ? s->allocs - s->frees : 0;
		uint64_t live_bytes = s->alloc_bytes >= s->free_bytes ? s->alloc_bytes - s->free_bytes : 0;
		ms_heap_sample_scale(s->allocs, s->alloc_bytes, t.rate, &v[0], &v[1]);
		ms_heap_sample_scale(live, live_bytes, t.rate, &v[2], &v[3]);
		ms_label lab = { bytes_key, 0, s->allocs ? (int64_t)(s->alloc_bytes / s->allocs) : 0, 0 };
		ms_profile_add_sample(p, stack, s->depth, v, &lab, 1);
	}
	free(stack);
	ms_profile_assign_ids(p);
	if (ms_profile_validate(p, err) < 0)
		goto bad;
	free(t.stacks);
	free(t.pcs);
	ms_pairmap_free(&locs);
	return p;
bad:
	free(t.stacks);
	free(t.pcs);
	ms_pairmap_free(&locs);
	ms_profile_free(p);
	return NULL;
}
