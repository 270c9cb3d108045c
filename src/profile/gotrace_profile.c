/* gotrace_profile.c — a Go execution trace's intervals or CPU samples as a
 * profile (see gotrace_profile.h). Samples are merged by stack as they come
 * (a hash of the location indexes -> sample), so the profile's size is the
 * number of distinct stacks, not of intervals. Locations are one per
 * (pc, function), as pprof keeps them; the wait profile's root frames are
 * locations without an address whose function is the reason. */
#include "config.h"
#include "profile/gotrace_profile.h"

#include <stdlib.h>
#include <string.h>

#include "util/pairmap.h"

#define CPU_PERIOD_NS INT64_C(10000000) /* runtime/pprof's 100 Hz */

static const char *const kind_names[] = {
	[MS_GTP_DEFAULT] = "wait", [MS_GTP_SYNC] = "sync", [MS_GTP_NET] = "net", [MS_GTP_SYSCALL] = "syscall",
	[MS_GTP_SCHED] = "sched", [MS_GTP_WAIT] = "wait", [MS_GTP_CPU] = "cpu",
};

int ms_gt_profile_kind_parse(const char *s, ms_gt_profile_kind *out)
{
	for (int k = MS_GTP_SYNC; k <= MS_GTP_CPU; k++)
		if (strcmp(s, kind_names[k]) == 0) {
			*out = (ms_gt_profile_kind)k;
			return 0;
		}
	return -1;
}

const char *ms_gt_profile_kind_name(ms_gt_profile_kind k) { return kind_names[k]; }

int ms_gt_rules_parse(const char *s, ms_gt_rules *out)
{
	if (strcmp(s, "go") == 0)
		*out = MS_GT_RULES_GO;
	else if (strcmp(s, "fixed") == 0)
		*out = MS_GT_RULES_FIXED;
	else
		return -1;
	return 0;
}

typedef struct builder {
	ms_profile *p;
	ms_gt_profile_kind kind;
	ms_pairmap locs;    /* (pc, function) -> location */
	ms_pairmap fast;    /* (pc, address of the reader's interned function
			     * name) -> location, for interval frames */
	ms_pairmap roots;   /* (why string id, 0) -> location */
	ms_pairmap samples; /* (hash, depth) -> sample */
	uint32_t *stk;
	size_t stk_cap;
	/* intervals by the reader's stack id: (id, root name) -> sample, so
	 * that a stack seen before costs one array load, not a walk of its
	 * frames (a large trace has millions of intervals, tens of stacks) */
	struct byid { const char *why; uint32_t sample; } *byid;
	size_t byid_cap;
	ms_pairmap bykey; /* (id, root name address) -> sample: other roots */
} builder;

static uint32_t frame_loc(builder *b, const ms_gt_frame *f)
{
	uint32_t fn = ms_profile_intern_function(b->p, ms_profile_str(b->p, f->func), ms_profile_str(b->p, f->file));
	uint32_t l = ms_pairmap_get(&b->locs, f->pc, fn);
	if (l != UINT32_MAX)
		return l;
	ms_location loc = { 0 };
	loc.mapping = MS_NONE;
	loc.address = f->pc;
	ms_line ln = { fn, f->line, 0 };
	l = ms_profile_add_location(b->p, &loc, &ln, 1);
	ms_pairmap_put(&b->locs, f->pc, fn, l);
	return l;
}

static uint32_t root_loc(builder *b, const char *why)
{
	uint32_t s = ms_profile_str(b->p, why);
	uint32_t l = ms_pairmap_get(&b->roots, s, 0);
	if (l != UINT32_MAX)
		return l;
	l = ms_profile_intern_frame(b->p, ms_profile_intern_function(b->p, s, 0), 0);
	ms_pairmap_put(&b->roots, s, 0, l);
	return l;
}

/* Adds v[0..1] to the sample of this stack (leaf first); returns the
 * sample's index. Interval frames
 * (stable) are looked up by (pc, address of the function name): one lookup
 * instead of interning two strings. The generational reader interns frame
 * names for the whole read, so the address is the name; a reader that
 * reused buffers could only confuse two frames with the same pc, which
 * name the same function. */
static uint32_t add(builder *b, const ms_gt_frame *frames, size_t n, const char *why, int64_t v0, int64_t v1,
	bool stable)
{
	size_t depth = n + (why ? 1 : 0);
	MS_GROW(b->stk, 0, b->stk_cap, depth + 1);
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < n; i++) {
		if (stable) {
			uint64_t key = (uint64_t)(uintptr_t)frames[i].func;
			uint32_t l = ms_pairmap_get(&b->fast, frames[i].pc, key);
			if (l == UINT32_MAX)
				l = ms_pairmap_put(&b->fast, frames[i].pc, key, frame_loc(b, &frames[i]));
			b->stk[i] = l;
		} else
			b->stk[i] = frame_loc(b, &frames[i]);
		h = ms_mix64(h ^ b->stk[i]) + i;
	}
	if (why) {
		b->stk[n] = root_loc(b, why);
		h = ms_mix64(h ^ b->stk[n]) + n;
	}
	for (;; h++) {
		uint32_t s = ms_pairmap_get(&b->samples, h, depth);
		if (s == UINT32_MAX)
			break;
		if (memcmp(ms_sample_stack(b->p, s), b->stk, depth * sizeof *b->stk) == 0) {
			int64_t *v = b->p->values + (size_t)s * 2;
			v[0] += v0;
			v[1] += v1;
			return s;
		}
	}
	int64_t v[2] = { v0, v1 };
	uint32_t s = (uint32_t)b->p->nsamples;
	ms_pairmap_put(&b->samples, h, depth, s);
	ms_profile_add_sample(b->p, b->stk, depth, v, NULL, 0);
	return s;
}

/* add() for an interval whose stack has a reader id: the sample found for
 * (id, root) the first time is remembered. */
static void add_interval(builder *b, const ms_gt_interval *iv, const char *why)
{
	uint32_t id = iv->stack_id;
	int64_t d = iv->end_ns - iv->start_ns;
	if (id == 0) {
		add(b, iv->frames, iv->nframes, why, 1, d, true);
		return;
	}
	if (id < b->byid_cap && b->byid[id].why == why && b->byid[id].sample != UINT32_MAX) {
		int64_t *v = b->p->values + (size_t)b->byid[id].sample * 2;
		v[0] += 1;
		v[1] += d;
		return;
	}
	uint32_t s = ms_pairmap_get(&b->bykey, id, (uint64_t)(uintptr_t)why);
	if (s != UINT32_MAX) {
		int64_t *v = b->p->values + (size_t)s * 2;
		v[0] += 1;
		v[1] += d;
	} else {
		s = add(b, iv->frames, iv->nframes, why, 1, d, true);
		ms_pairmap_put(&b->bykey, id, (uint64_t)(uintptr_t)why, s);
	}
	if (id >= b->byid_cap) {
		size_t cap = b->byid_cap;
		MS_GROW(b->byid, id, b->byid_cap, 1);
		for (size_t i = cap; i < b->byid_cap; i++)
			b->byid[i] = (struct byid){ NULL, UINT32_MAX };
	}
	b->byid[id] = (struct byid){ why, s };
}

static int on_interval(void *ctx, const ms_gt_interval *iv)
{
	builder *b = ctx;
	bool want;
	switch (b->kind) {
	case MS_GTP_SYNC: want = iv->kind == MS_GT_SYNC; break;
	case MS_GTP_NET: want = iv->kind == MS_GT_NET; break;
	case MS_GTP_SYSCALL: want = iv->kind == MS_GT_SYSCALL; break;
	case MS_GTP_SCHED: want = iv->kind == MS_GT_SCHED; break;
	case MS_GTP_CPU: want = false; break;
	default: want = true; break;
	}
	if (want)
		add_interval(b, iv, b->kind == MS_GTP_WAIT ? iv->why : NULL);
	return 0;
}

static int on_cpu(void *ctx, const ms_gt_cpu_sample *s)
{
	builder *b = ctx;
	/* runtime/pprof leaves out the runtime.goexit frame at the root of
	 * goroutine stacks; the trace keeps it */
	size_t n = s->nframes;
	if (n && strcmp(s->frames[n - 1].func, "runtime.goexit") == 0)
		n--;
	if (b->kind == MS_GTP_CPU)
		add(b, s->frames, n, NULL, 1, CPU_PERIOD_NS, false);
	return 0;
}

ms_profile *ms_gotrace_profile(const uint8_t *data, size_t n, ms_gt_profile_kind kind, const ms_gt_opts *opts,
	ms_gt_stats *stats, ms_buf *warnings, ms_err *err)
{
	if (kind == MS_GTP_DEFAULT)
		kind = MS_GTP_WAIT;
	builder b = { 0 };
	b.kind = kind;
	b.p = ms_profile_new();
	ms_pairmap_init(&b.locs, 256);
	ms_pairmap_init(&b.roots, 16);
	ms_pairmap_init(&b.fast, 256);
	ms_pairmap_init(&b.samples, 256);
	ms_pairmap_init(&b.bykey, 256);
	if (kind == MS_GTP_CPU) {
		ms_profile_add_type(b.p, "samples", "count");
		ms_profile_add_type(b.p, "cpu", "nanoseconds");
		b.p->period_type.type = ms_profile_str(b.p, "cpu");
		b.p->period_type.unit = ms_profile_str(b.p, "nanoseconds");
		b.p->period = CPU_PERIOD_NS;
		b.p->default_type = ms_profile_str(b.p, "cpu");
	} else {
		ms_profile_add_type(b.p, "contentions", "count");
		ms_profile_add_type(b.p, "delay", "nanoseconds");
		b.p->default_type = ms_profile_str(b.p, "delay");
	}
	ms_gt_sink sink = { &b, on_interval, on_cpu, NULL };
	ms_gt_stats local;
	ms_gt_opts dflt = { 0 };
	if (!stats)
		stats = &local;
	int rc = ms_gotrace_read(data, n, opts ? opts : &dflt, &sink, stats, warnings, err);
	if (rc == 0) {
		b.p->duration_nanos = stats->duration_ns;
		ms_profile_assign_ids(b.p);
		if (ms_profile_validate(b.p, err) < 0)
			rc = -1;
	}
	ms_pairmap_free(&b.locs);
	ms_pairmap_free(&b.roots);
	ms_pairmap_free(&b.fast);
	ms_pairmap_free(&b.samples);
	ms_pairmap_free(&b.bykey);
	free(b.stk);
	free(b.byid);
	if (rc < 0) {
		ms_profile_free(b.p);
		return NULL;
	}
	return b.p;
}
