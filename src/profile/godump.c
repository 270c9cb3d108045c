/* godump.c — the streaming reader of Go heap dumps (godump.h).
 *
 * Wire format (runtime/heapdump.go): after the 16-byte header, records of
 * a uvarint tag and fields; an integer is a uvarint, a bool a uvarint 0/1,
 * a string or memory range a uvarint length and that many bytes, a field
 * list (kind, offset) uvarint pairs ended by kind 0 (1 = pointer; the old
 * 2 = iface and 3 = eface have their data word at offset + ptrsize).
 * Go writes: params, itabs/types, objects (span by span, ascending within
 * a span), goroutines each followed by its frames, defers and panics, OS
 * threads, data, bss, finalizers, queued finalizers, memstats, profile
 * buckets, alloc samples, EOF.
 *
 * One pass over the bytes; per object three array slots (address, size,
 * first edge) and one per non-nil pointer field (its raw value). Objects
 * that follow each other in ascending non-overlapping order within one
 * 8 KiB page form a run; at EOF the runs (about one per heap page) are
 * sorted by first address and
 * concatenated into `sorted`, overlaps between runs are rejected, a page
 * table (page -> the run of objects starting in it, and the object covering
 * its start) makes address lookup a division and a probe or two (see
 * ms_godump_find), and
 * the raw pointer values are rewritten in place as object indexes.
 *
 * A mapped file's pages are given back (MADV_DONTNEED) every 64 MiB, so the
 * resident set is the arrays, not the dump.
 */
#include "config.h"
#include "profile/godump.h"
#include "util/varint.h"
#include "util/buf.h"
#include "util/io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER "go1.7 heap dump\n"
#define HEADER_LEN 16
#define PAGE_SHIFT 13 /* Go's runtime page, 8 KiB */
#define RELEASE_STEP ((size_t)16 << 20)

typedef struct run {
	uint64_t first_addr;
	uint32_t first, count;
	size_t off; /* byte offset of its first object record */
} run;

typedef struct sample_ref {
	uint64_t obj, bucket;
} sample_ref;

typedef struct rd {
	const uint8_t *base, *p, *end;
	const uint8_t *released; /* pages before this were given back */
	bool release;
	size_t rec;              /* offset of the current record */
	const char *what;        /* the current record's kind, for messages */
	ms_err *err;
	ms_godump *d;
	uint64_t *raw;           /* raw pointer values, later rewritten as indexes */
	size_t nraw, raw_cap;
	size_t addr_cap, estart_cap;
	run *runs;
	size_t nruns, runs_cap;
	bool prev_obj;
	uint8_t *has_fields;     /* per object: its field list was not empty (bitmap) */
	uint32_t cur_g;          /* goroutine that frames/defers/panics belong to */
	sample_ref *samples;
	size_t nsamples, samples_cap;
	bool arena_filter;
} rd;

static const char *const tag_names[] = {
	"EOF", "object", "other root", "type", "goroutine", "stack frame", "params", "finalizer", "itab",
	"OS thread", "memstats", "queued finalizer", "data segment", "bss segment", "defer", "panic",
	"profile bucket", "alloc sample",
};

/* ---- errors and primitives ------------------------------------------------- */

static int fail_at(rd *r, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_at(rd *r, size_t off, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ms_seterr(r->err, "byte %zu: %s", off, msg);
}

static int truncated(rd *r)
{
	return fail_at(r, (size_t)(r->end - r->base), "truncated %s record (it starts at byte %zu)", r->what, r->rec);
}

static inline int uv(rd *r, uint64_t *out)
{
	int k = ms_uvarint(r->p, r->end, out);
	if (k > 0) {
		r->p += k;
		return 0;
	}
	size_t at = (size_t)(r->p - r->base);
	if (k == MS_UVARINT_SHORT)
		truncated(r);
	else if (k == MS_UVARINT_OVERFLOW)
		fail_at(r, at + 9, "varint overflows 64 bits in %s record", r->what);
	else
		fail_at(r, at + 10, "varint longer than 10 bytes in %s record", r->what);
	return -1;
}

/* A length-prefixed byte range, checked against the input. */
static int bytes(rd *r, const uint8_t **out, uint64_t *len)
{
	if (uv(r, len) < 0)
		return -1;
	if (*len > (uint64_t)(r->end - r->p))
		return truncated(r);
	*out = r->p;
	r->p += *len;
	return 0;
}

static int str(rd *r, uint32_t *id)
{
	const uint8_t *s;
	uint64_t n;
	if (bytes(r, &s, &n) < 0)
		return -1;
	if (n > UINT32_MAX)
		return fail_at(r, r->rec, "string of %llu bytes in %s record", (unsigned long long)n, r->what);
	*id = ms_strtab_intern(&r->d->strings, (const char *)s, (size_t)n);
	return 0;
}

/* Skips k integers. */
static int skip(rd *r, int k)
{
	uint64_t v;
	for (int i = 0; i < k; i++)
		if (uv(r, &v) < 0)
			return -1;
	return 0;
}

static inline uint64_t load_ptr(const ms_godump *d, const uint8_t *p)
{
	uint64_t v = 0;
	if (d->ptrsize == 8) {
		if (d->big_endian)
			for (int i = 0; i < 8; i++)
				v = v << 8 | p[i];
		else
			memcpy(&v, p, 8); /* the machines memscope runs on are little-endian */
	} else {
		if (d->big_endian)
			v = (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
		else
			v = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
	}
	return v;
}

static inline bool maybe_heap(const rd *r, uint64_t v)
{
	return v != 0 && (!r->arena_filter || (v >= r->d->arena_start && v < r->d->arena_end));
}

/* Gives back mapped pages already read (only for a mapped file). */
static void release_read(rd *r)
{
	if (!r->release || (size_t)(r->p - r->released) < RELEASE_STEP)
		return;
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)r->released, hi = ((uintptr_t)r->p - (uintptr_t)(1 << 20)) & ~(uintptr_t)(pg - 1);
	if (hi > lo) {
		(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
		r->released = (const uint8_t *)hi;
	}
}

/* ---- field lists ----------------------------------------------------------- */

/* The next pointer of a field list over `len` bytes of `mem`: 1 with its
 * offset and value, 0 at the list's end, -1 on bad input. what_obj says
 * what the offsets are relative to. An offset past the end is bad input in
 * an object (strict_offsets); in a stack frame or segment, whose field
 * lists the runtime makes conservatively for some frames, it is counted
 * and skipped (value 0). */
static inline int next_field(rd *r, const uint8_t *mem, uint64_t len, const char *what_obj, bool strict_offsets,
	uint64_t *off, uint64_t *value)
{
	unsigned ps = r->d->ptrsize;
	size_t at = (size_t)(r->p - r->base);
	uint64_t kind;
	if (uv(r, &kind) < 0)
		return -1;
	if (kind == 0)
		return 0;
	if (kind > 3) {
		fail_at(r, at, "unknown field kind %llu in %s record", (unsigned long long)kind, r->what);
		return -1;
	}
	if (uv(r, off) < 0)
		return -1;
	if (kind != 1)
		*off += ps; /* iface/eface: the data word */
	if (len < ps || *off > len - ps) {
		if (strict_offsets) {
			fail_at(r, at, "pointer offset %llu beyond the %s's %llu bytes", (unsigned long long)*off,
				what_obj, (unsigned long long)len);
			return -1;
		}
		r->d->nskipped_fields++;
		*value = 0; /* skipped */
		return 1;
	}
	*value = load_ptr(r->d, mem + *off);
	return 1;
}

static int add_root(rd *r, ms_gd_root_kind kind, uint64_t target, uint64_t off, uint32_t g, uint32_t name)
{
	ms_godump *d = r->d;
	if (!maybe_heap(r, target))
		return 0;
	MS_GROW(d->roots, d->nroots, d->roots_cap, 1);
	d->roots[d->nroots++] = (ms_gd_rootptr){
		.target = target, .off = off, .obj = MS_GD_NONE, .goroutine = g, .name = name, .kind = (uint8_t)kind
	};
	return 0;
}

/* Every pointer of a field list becomes a root of this kind. */
static int root_fields(rd *r, const uint8_t *mem, uint64_t len, const char *what_obj, ms_gd_root_kind kind,
	uint32_t g, uint32_t name)
{
	uint64_t off, v;
	int k;
	while ((k = next_field(r, mem, len, what_obj, false, &off, &v)) > 0)
		if (add_root(r, kind, v, off, g, name) < 0)
			return -1;
	return k;
}

/* ---- records ---------------------------------------------------------------- */

static int rec_object(rd *r)
{
	ms_godump *d = r->d;
	uint64_t addr, len;
	const uint8_t *mem;
	if (!d->has_params)
		return fail_at(r, r->rec, "object record before the params record");
	if (uv(r, &addr) < 0 || bytes(r, &mem, &len) < 0)
		return -1;
	if (len == 0 || len > UINT32_MAX || addr + len < addr)
		return fail_at(r, r->rec, "object at 0x%llx has an unsupported size of %llu bytes",
			(unsigned long long)addr, (unsigned long long)len);
	if (d->nobjects >= UINT32_MAX - 1)
		return fail_at(r, r->rec, "more than 2^32 - 2 objects");
	size_t i = d->nobjects;
	if (r->prev_obj && i > 0) {
		uint64_t pa = d->addr[i - 1], pe = pa + d->size[i - 1];
		if (addr >= pa && addr < pe)
			return fail_at(r, r->rec, "object at 0x%llx overlaps the object at 0x%llx (%u bytes)",
				(unsigned long long)addr, (unsigned long long)pa, d->size[i - 1]);
	}
	/* a run never leaves the Go page it started in: a page belongs to one
	 * span, so runs of different spans cannot interleave */
	if (!r->prev_obj || i == 0 || addr < d->addr[i - 1] || addr >> PAGE_SHIFT != d->addr[i - 1] >> PAGE_SHIFT) {
		MS_GROW(r->runs, r->nruns, r->runs_cap, 1);
		r->runs[r->nruns++] = (run){ .first_addr = addr, .first = (uint32_t)i, .count = 0, .off = r->rec };
	}
	r->runs[r->nruns - 1].count++;
	MS_GROW(d->addr, d->nobjects, r->addr_cap, 1);
	if (r->addr_cap > r->estart_cap) {
		d->size = ms_xreallocarray(d->size, r->addr_cap, sizeof *d->size);
		d->estart = ms_xreallocarray(d->estart, r->addr_cap + 1, sizeof *d->estart);
		r->has_fields = ms_xrealloc(r->has_fields, r->addr_cap / 8 + 1);
		memset(r->has_fields + r->estart_cap / 8, 0, r->addr_cap / 8 + 1 - r->estart_cap / 8);
		r->estart_cap = r->addr_cap;
	}
	d->addr[i] = addr;
	d->size[i] = (uint32_t)len;
	d->estart[i] = (uint32_t)r->nraw;
	d->nobjects = i + 1;
	d->heap_bytes += len;

	/* the field list: this loop is most of the reading time */
	uint64_t off, v;
	int k;
	while ((k = next_field(r, mem, len, "object", true, &off, &v)) > 0) {
		r->has_fields[i / 8] |= (uint8_t)(1u << (i % 8));
		if (!maybe_heap(r, v) || v - addr < len)
			continue; /* nil, outside the heap, or into itself */
		MS_GROW(r->raw, r->nraw, r->raw_cap, 1);
		r->raw[r->nraw++] = v;
	}
	if (k < 0)
		return -1;
	if (r->nraw >= UINT32_MAX)
		return fail_at(r, r->rec, "more than 2^32 - 1 pointers");
	return 0;
}

static int rec_goroutine(rd *r)
{
	ms_godump *d = r->d;
	uint64_t v[13];
	uint32_t wait = 0;
	for (int i = 0; i < 8; i++)
		if (uv(r, &v[i]) < 0)
			return -1;
	if (str(r, &wait) < 0)
		return -1;
	for (int i = 8; i < 12; i++)
		if (uv(r, &v[i]) < 0)
			return -1;
	if (d->ngoroutines >= UINT32_MAX - 1)
		return fail_at(r, r->rec, "too many goroutines");
	MS_GROW(d->goroutines, d->ngoroutines, d->goroutines_cap, 1);
	/* g, sp, goid, gopc, status, system, background, waitsince; ctxt, m, defer, panic */
	d->goroutines[d->ngoroutines] = (ms_gd_goroutine){
		.g = v[0], .goid = v[2], .gopc = v[3], .status = v[4], .system = v[5] != 0, .waitsince = v[7],
		.waitreason = wait,
	};
	r->cur_g = (uint32_t)d->ngoroutines++;
	return add_root(r, MS_GD_ROOT_CTXT, v[8], 0, r->cur_g, 0);
}

static int rec_frame(rd *r)
{
	ms_godump *d = r->d;
	uint64_t sp, depth, childsp, len, entry, pc, contpc;
	const uint8_t *mem;
	uint32_t name;
	if (uv(r, &sp) < 0 || uv(r, &depth) < 0 || uv(r, &childsp) < 0 || bytes(r, &mem, &len) < 0 ||
		uv(r, &entry) < 0 || uv(r, &pc) < 0 || uv(r, &contpc) < 0 || str(r, &name) < 0)
		return -1;
	if (r->cur_g == MS_GD_NONE)
		return fail_at(r, r->rec, "stack frame record before any goroutine record");
	ms_gd_goroutine *g = &d->goroutines[r->cur_g];
	if (g->nframes == 0)
		g->top = name;
	if (g->user == 0 && strncmp(ms_godump_str(d, name), "runtime.", 8) != 0)
		g->user = name;
	g->nframes++;
	d->nstackframes++;
	return root_fields(r, mem, len, "stack frame", MS_GD_ROOT_FRAME, r->cur_g, name);
}

/* The goroutine a defer or panic names (usually the current one). */
static uint32_t goroutine_of(rd *r, uint64_t gp)
{
	ms_godump *d = r->d;
	if (r->cur_g != MS_GD_NONE && d->goroutines[r->cur_g].g == gp)
		return r->cur_g;
	for (size_t i = 0; i < d->ngoroutines; i++)
		if (d->goroutines[i].g == gp)
			return (uint32_t)i;
	return MS_GD_NONE;
}

static int rec_segment(rd *r, bool bss)
{
	ms_godump *d = r->d;
	uint64_t addr, len;
	const uint8_t *mem;
	if (!d->has_params)
		return fail_at(r, r->rec, "%s record before the params record", r->what);
	if (uv(r, &addr) < 0 || bytes(r, &mem, &len) < 0)
		return -1;
	if (bss) {
		d->bss_addr = addr;
		d->bss_len = len;
	} else {
		d->data_addr = addr;
		d->data_len = len;
	}
	return root_fields(r, mem, len, bss ? "bss segment" : "data segment", bss ? MS_GD_ROOT_BSS : MS_GD_ROOT_DATA,
		MS_GD_NONE, 0);
}

static int rec_memprof(rd *r)
{
	ms_godump *d = r->d;
	uint64_t id, size, nstk;
	if (uv(r, &id) < 0 || uv(r, &size) < 0 || uv(r, &nstk) < 0)
		return -1;
	/* each frame takes at least 3 bytes */
	if (nstk > (uint64_t)(r->end - r->p) / 3)
		return truncated(r);
	if (d->nframes + nstk >= UINT32_MAX || d->nbuckets >= UINT32_MAX - 1)
		return fail_at(r, r->rec, "too many profile frames");
	MS_GROW(d->buckets, d->nbuckets, d->buckets_cap, 1);
	ms_gd_bucket *b = &d->buckets[d->nbuckets];
	*b = (ms_gd_bucket){ .id = id, .size = size, .frame_off = (uint32_t)d->nframes, .nframes = (uint32_t)nstk };
	for (uint64_t i = 0; i < nstk; i++) {
		if (d->nframes + 1 > d->frames_cap) {
			size_t c = d->frames_cap ? d->frames_cap * 2 : 256;
			d->frame_func = ms_xreallocarray(d->frame_func, c, sizeof *d->frame_func);
			d->frame_file = ms_xreallocarray(d->frame_file, c, sizeof *d->frame_file);
			d->frame_line = ms_xreallocarray(d->frame_line, c, sizeof *d->frame_line);
			d->frames_cap = c;
		}
		size_t k = d->nframes;
		if (str(r, &d->frame_func[k]) < 0 || str(r, &d->frame_file[k]) < 0 || uv(r, &d->frame_line[k]) < 0)
			return -1;
		d->nframes++;
	}
	if (uv(r, &b->allocs) < 0 || uv(r, &b->frees) < 0)
		return -1;
	d->nbuckets++;
	return 0;
}

static int rec_params(rd *r)
{
	ms_godump *d = r->d;
	uint64_t be, ps, ncpu;
	if (uv(r, &be) < 0 || uv(r, &ps) < 0 || uv(r, &d->arena_start) < 0 || uv(r, &d->arena_end) < 0 ||
		str(r, &d->goarch) < 0 || str(r, &d->go_version) < 0 || uv(r, &ncpu) < 0)
		return -1;
	if (ps != 4 && ps != 8)
		return fail_at(r, r->rec, "pointer size %llu (expected 4 or 8)", (unsigned long long)ps);
	if (d->has_params)
		return fail_at(r, r->rec, "a second params record");
	d->has_params = true;
	d->big_endian = be != 0;
	d->ptrsize = (unsigned)ps;
	d->ncpu = ncpu;
	r->arena_filter = d->arena_end > d->arena_start;
	return 0;
}

static int record(rd *r, uint64_t tag)
{
	ms_godump *d = r->d;
	uint64_t v[6];
	uint32_t s;
	switch (tag) {
	case MS_GD_TAG_OBJECT:
		return rec_object(r);
	case MS_GD_TAG_OTHERROOT:
		if (str(r, &s) < 0 || uv(r, &v[0]) < 0)
			return -1;
		return add_root(r, MS_GD_ROOT_OTHER, v[0], 0, MS_GD_NONE, s);
	case MS_GD_TAG_TYPE:
		d->ntypes++;
		return skip(r, 2) < 0 || str(r, &s) < 0 ? -1 : skip(r, 1);
	case MS_GD_TAG_GOROUTINE:
		return rec_goroutine(r);
	case MS_GD_TAG_STACKFRAME:
		return rec_frame(r);
	case MS_GD_TAG_PARAMS:
		return rec_params(r);
	case MS_GD_TAG_FINALIZER:
	case MS_GD_TAG_QFINALIZER: {
		/* obj, fn (the closure), fn.fn, fint, ot */
		for (int i = 0; i < 5; i++)
			if (uv(r, &v[i]) < 0)
				return -1;
		ms_gd_root_kind k = tag == MS_GD_TAG_FINALIZER ? MS_GD_ROOT_FINALIZER : MS_GD_ROOT_QFINALIZER;
		*(tag == MS_GD_TAG_FINALIZER ? &d->nfinalizers : &d->nqfinalizers) += 1;
		if (add_root(r, k, v[0], v[0], MS_GD_NONE, 0) < 0)
			return -1;
		return add_root(r, k, v[1], v[0], MS_GD_NONE, 0);
	}
	case MS_GD_TAG_ITAB:
		d->nitabs++;
		return skip(r, 2);
	case MS_GD_TAG_OSTHREAD:
		d->nthreads++;
		return skip(r, 3);
	case MS_GD_TAG_MEMSTATS:
		for (int i = 0; i < MS_GD_NMEMSTATS; i++)
			if (uv(r, &d->memstats[i]) < 0)
				return -1;
		for (int i = 0; i < 256; i++)
			if (uv(r, &d->pause_ns[i]) < 0)
				return -1;
		if (uv(r, &d->numgc) < 0)
			return -1;
		d->has_memstats = true;
		return 0;
	case MS_GD_TAG_DATA:
	case MS_GD_TAG_BSS:
		return rec_segment(r, tag == MS_GD_TAG_BSS);
	case MS_GD_TAG_DEFER: {
		/* d, gp, sp, pc, fn, fn.fn, link */
		for (int i = 0; i < 5; i++)
			if (uv(r, &v[i]) < 0)
				return -1;
		if (skip(r, 2) < 0)
			return -1;
		uint32_t g = goroutine_of(r, v[1]);
		if (add_root(r, MS_GD_ROOT_DEFER, v[0], 0, g, 0) < 0)
			return -1;
		return add_root(r, MS_GD_ROOT_DEFER, v[4], 0, g, 0);
	}
	case MS_GD_TAG_PANIC: {
		/* p, gp, eface type, eface data, 0, link */
		for (int i = 0; i < 6; i++)
			if (uv(r, &v[i]) < 0)
				return -1;
		uint32_t g = goroutine_of(r, v[1]);
		if (add_root(r, MS_GD_ROOT_PANIC, v[0], 0, g, 0) < 0)
			return -1;
		return add_root(r, MS_GD_ROOT_PANIC, v[3], 0, g, 0);
	}
	case MS_GD_TAG_MEMPROF:
		return rec_memprof(r);
	case MS_GD_TAG_ALLOCSAMPLE:
		if (uv(r, &v[0]) < 0 || uv(r, &v[1]) < 0)
			return -1;
		MS_GROW(r->samples, r->nsamples, r->samples_cap, 1);
		r->samples[r->nsamples++] = (sample_ref){ v[0], v[1] };
		return 0;
	default:
		return fail_at(r, r->rec, "unknown record tag %llu", (unsigned long long)tag);
	}
}

/* ---- Go 1.22+: the heap bitmap's slots ------------------------------------ */

/* From Go 1.22 (allocation headers) a span of small pointerful objects
 * (size <= ptrsize * ptrbits = 512, one page) keeps its heap bitmap in its
 * last page/64 bytes and has fewer slots, nelems = (8192 - 8192/ptrsize/8) / size, but
 * dumpobjs still walks 8192/size slots and dumps the slots past nelems as
 * objects (they are not free in the allocation bits). Such a "object" has
 * no pointer fields while the span's real objects all have some (a span
 * holds one type class: all pointerful or none); the memstats record does
 * not count them. They are dropped here. */
static bool bitmap_in_span(const ms_godump *d)
{
	const char *v = ms_godump_str(d, d->go_version);
	unsigned major, minor;
	return sscanf(v, "go%u.%u", &major, &minor) == 2 && (major > 1 || minor >= 22);
}

static void drop_bitmap_slots(rd *r)
{
	ms_godump *d = r->d;
	if (!d->nobjects || !bitmap_in_span(d))
		return;
	uint64_t usable = 8192 - 8192 / d->ptrsize / 8;
	uint64_t small = (uint64_t)d->ptrsize * d->ptrsize * 8; /* minSizeForMallocHeader */
	size_t removed = 0;
	for (size_t j = 0; j < r->nruns; j++) { /* runs are in dump order */
		run *ru = &r->runs[j];
		uint32_t first = ru->first, count = ru->count;
		bool any = false;
		for (uint32_t i = first; i < first + count && !any; i++)
			any = (r->has_fields[i / 8] >> (i % 8)) & 1;
		ru->first = (uint32_t)(first - removed);
		for (uint32_t i = first; i < first + count; i++) {
			uint64_t a = d->addr[i], sz = d->size[i];
			bool fields = (r->has_fields[i / 8] >> (i % 8)) & 1;
			if (any && !fields && sz <= small && (a & 8191) / sz >= usable / sz) {
				removed++;
				ru->count--;
				d->heap_bytes -= sz;
				continue;
			}
			size_t o = i - removed;
			d->addr[o] = a;
			d->size[o] = (uint32_t)sz;
			d->estart[o] = d->estart[i];
		}
	}
	d->nobjects -= removed;
	d->nbitmap_slots = removed;
	/* runs left empty */
	size_t k = 0;
	for (size_t j = 0; j < r->nruns; j++)
		if (r->runs[j].count)
			r->runs[k++] = r->runs[j];
	r->nruns = k;
}

/* ---- the address index ------------------------------------------------------ */

static int cmp_run(const void *a, const void *b)
{
	const run *x = a, *y = b;
	return x->first_addr < y->first_addr ? -1 : x->first_addr > y->first_addr;
}

static inline uint64_t end_of(const ms_godump *d, uint32_t i) { return d->addr[i] + d->size[i]; }

static int build_index(rd *r)
{
	ms_godump *d = r->d;
	size_t n = d->nobjects;
	if (n == 0)
		return 0;
	qsort(r->runs, r->nruns, sizeof *r->runs, cmp_run);
	d->sorted = ms_xmalloc(n * sizeof *d->sorted);
	size_t k = 0;
	for (size_t j = 0; j < r->nruns; j++) {
		const run *ru = &r->runs[j];
		if (k > 0 && end_of(d, d->sorted[k - 1]) > ru->first_addr) {
			uint32_t prev = d->sorted[k - 1];
			return fail_at(r, ru->off, "object at 0x%llx overlaps the object at 0x%llx (%u bytes)",
				(unsigned long long)ru->first_addr, (unsigned long long)d->addr[prev], d->size[prev]);
		}
		for (uint32_t i = 0; i < ru->count; i++)
			d->sorted[k++] = ru->first + i;
	}
	uint64_t lo = d->addr[d->sorted[0]] & ~(((uint64_t)1 << PAGE_SHIFT) - 1);
	uint64_t hi = end_of(d, d->sorted[n - 1]);
	uint64_t np = ((hi - lo) >> PAGE_SHIFT) + 1;
	if (np > 2 * (uint64_t)n + 4096)
		return 0; /* too sparse for a page table: binary search */
	d->page_base = lo;
	d->npages = (size_t)np;
	d->pages = ms_xmalloc(d->npages * sizeof *d->pages);
	for (size_t p = 0; p < d->npages; p++)
		d->pages[p] = (ms_gd_page){ MS_GD_NONE, 0, MS_GD_NONE };
	/* objects starting in each page: one run (a second run starting in the
	 * same page makes the page "mixed": count = MS_GD_NONE, searched) */
	for (size_t j = 0; j < r->nruns; j++) {
		ms_gd_page *pg = &d->pages[(r->runs[j].first_addr - lo) >> PAGE_SHIFT];
		if (pg->first == MS_GD_NONE) {
			pg->first = r->runs[j].first;
			pg->count = r->runs[j].count;
		} else {
			pg->count = MS_GD_NONE;
		}
	}
	/* the object covering each page's start from an earlier page */
	for (size_t k = 0; k < n; k++) {
		uint32_t i = d->sorted[k];
		uint64_t p0 = ((d->addr[i] - lo) >> PAGE_SHIFT) + 1, p1 = (end_of(d, i) - 1 - lo) >> PAGE_SHIFT;
		for (uint64_t p = p0; p <= p1 && p < d->npages; p++)
			d->pages[p].cover = i;
	}
	return 0;
}

/* Last k in sorted [lo, hi) with addr <= a, then whether it contains a. */
static uint32_t search_sorted(const ms_godump *d, uint64_t a)
{
	size_t lo = 0, hi = d->nobjects;
	if (hi == 0 || d->addr[d->sorted[0]] > a)
		return MS_GD_NONE;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->addr[d->sorted[mid]] <= a)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t i = d->sorted[lo];
	return a - d->addr[i] < d->size[i] ? i : MS_GD_NONE;
}

/* With the page table: the objects starting in a's page are first ..
 * first + count - 1 in dump order, ascending; the j-th of them starts at
 * or after first's address + j * first's size (free slots only push them
 * up), so the one holding a is at most j = (a - addr[first]) / size[first]
 * away: in a full span that guess is the answer, else a binary search
 * below it. */
uint32_t ms_godump_find(const ms_godump *d, uint64_t a)
{
	if (!d->pages)
		return d->sorted ? search_sorted(d, a) : MS_GD_NONE;
	if (a < d->page_base)
		return MS_GD_NONE;
	uint64_t p = (a - d->page_base) >> PAGE_SHIFT;
	if (p >= d->npages)
		return MS_GD_NONE;
	const ms_gd_page *pg = &d->pages[p];
	if (pg->count == MS_GD_NONE)
		return search_sorted(d, a);
	if (pg->first != MS_GD_NONE && a >= d->addr[pg->first]) {
		uint32_t f = pg->first;
		uint64_t j = (a - d->addr[f]) / d->size[f];
		if (j >= pg->count)
			j = pg->count - 1;
		if (d->addr[f + j] > a) {
			size_t lo = 0, hi = (size_t)j; /* addr[f + lo] <= a < addr[f + hi] */
			while (hi - lo > 1) {
				size_t mid = lo + (hi - lo) / 2;
				if (d->addr[f + mid] <= a)
					lo = mid;
				else
					hi = mid;
			}
			j = lo;
		}
		uint32_t i = f + (uint32_t)j;
		return a - d->addr[i] < d->size[i] ? i : MS_GD_NONE;
	}
	uint32_t c = pg->cover;
	return c != MS_GD_NONE && a - d->addr[c] < d->size[c] ? c : MS_GD_NONE;
}

static int cmp_bucket(const void *a, const void *b)
{
	const ms_gd_bucket *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Raw pointer values -> object indexes, in place; roots and samples. */
static void resolve(rd *r)
{
	ms_godump *d = r->d;
	uint32_t *out = (uint32_t *)(void *)r->raw; /* index j*4 <= i*8: never ahead of the reader */
	size_t j = 0;
	for (size_t i = 0; i < d->nobjects; i++) {
		size_t from = d->estart[i], to = i + 1 < d->nobjects ? d->estart[i + 1] : r->nraw;
		d->estart[i] = (uint32_t)j;
		for (size_t e = from; e < to; e++) {
			uint32_t t = ms_godump_find(d, r->raw[e]);
			if (t != MS_GD_NONE && t != i) {
				memcpy(&out[j], &t, sizeof t);
				j++;
			}
		}
	}
	if (d->estart)
		d->estart[d->nobjects] = (uint32_t)j;
	d->nedges = j;
	d->edges = ms_xrealloc(r->raw, (j ? j : 1) * sizeof *d->edges); /* never NULL */
	r->raw = NULL;
	for (size_t i = 0; i < d->nroots; i++)
		d->roots[i].obj = ms_godump_find(d, d->roots[i].target);
	/* buckets by id; then each sample's object gets its bucket */
	if (r->nsamples && d->nobjects) {
		if (d->nbuckets > 1)
			qsort(d->buckets, d->nbuckets, sizeof *d->buckets, cmp_bucket);
		d->sample = ms_xmalloc(d->nobjects * sizeof *d->sample);
		memset(d->sample, 0xff, d->nobjects * sizeof *d->sample);
		for (size_t i = 0; i < r->nsamples; i++) {
			uint32_t o = ms_godump_find(d, r->samples[i].obj);
			size_t lo = 0, hi = d->nbuckets;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (d->buckets[mid].id < r->samples[i].bucket)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (o != MS_GD_NONE && lo < d->nbuckets && d->buckets[lo].id == r->samples[i].bucket)
				d->sample[o] = (uint32_t)lo;
		}
		d->nsamples = r->nsamples;
	}
}

uint32_t ms_godump_bucket_site(const ms_godump *d, size_t b)
{
	const ms_gd_bucket *bk = &d->buckets[b];
	for (uint32_t i = 0; i < bk->nframes; i++) {
		uint32_t f = d->frame_func[bk->frame_off + i];
		if (strncmp(ms_godump_str(d, f), "runtime.", 8) != 0)
			return f;
	}
	return bk->nframes ? d->frame_func[bk->frame_off] : 0;
}

/* ---- entry points ------------------------------------------------------------- */

bool ms_godump_sniff(const void *data, size_t n)
{
	return n >= HEADER_LEN && memcmp(data, HEADER, HEADER_LEN) == 0;
}

bool ms_godump_file_sniff(const char *path)
{
	ms_err err;
	unsigned char hdr[HEADER_LEN];
	if (strcmp(path, "-") == 0)
		return false; /* stdin cannot be read twice */
	ms_reader *r = ms_reader_open(path, &err);
	if (!r)
		return false;
	long n = ms_reader_read(r, hdr, sizeof hdr, &err);
	ms_reader_close(r);
	return n == HEADER_LEN && ms_godump_sniff(hdr, (size_t)n);
}

static int parse(ms_godump *d, const void *data, size_t n, bool release, ms_err *err)
{
	memset(d, 0, sizeof *d);
	ms_strtab_init(&d->strings);
	rd r = { .base = data, .p = data, .end = (const uint8_t *)data + n, .released = data, .release = release,
		.err = err, .d = d, .cur_g = MS_GD_NONE, .what = "header" };
	int rc = -1;
	if (!ms_godump_sniff(data, n)) {
		ms_seterr(err, "byte 0: not a Go heap dump (expected the header \"go1.7 heap dump\\n\")");
		goto out;
	}
	r.p += HEADER_LEN;
	for (;;) {
		uint64_t tag;
		r.rec = (size_t)(r.p - r.base);
		if (r.p >= r.end) {
			ms_seterr(err, "byte %zu: truncated dump (no EOF record)", r.rec);
			goto out;
		}
		r.what = "record";
		if (uv(&r, &tag) < 0)
			goto out;
		if (tag == MS_GD_TAG_EOF)
			break;
		if (tag < sizeof tag_names / sizeof tag_names[0])
			r.what = tag_names[tag];
		if (record(&r, tag) < 0)
			goto out;
		r.prev_obj = tag == MS_GD_TAG_OBJECT;
		release_read(&r);
	}
	if (r.p != r.end) {
		ms_seterr(err, "byte %zu: %zu bytes after the EOF record", (size_t)(r.p - r.base), (size_t)(r.end - r.p));
		goto out;
	}
	drop_bitmap_slots(&r);
	if (build_index(&r) < 0)
		goto out;
	resolve(&r);
	rc = 0;
out:
	free(r.raw);
	free(r.has_fields);
	free(r.runs);
	free(r.samples);
	if (rc < 0)
		ms_godump_free(d);
	return rc;
}

int ms_godump_parse(ms_godump *d, const char *name, const void *data, size_t n, ms_err *err)
{
	if (parse(d, data, n, false, err) < 0) {
		if (name)
			ms_err_prefix(err, name);
		return -1;
	}
	return 0;
}

int ms_godump_read(ms_godump *d, const char *path, ms_err *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		size_t n = (size_t)st.st_size;
		void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (m != MAP_FAILED) {
			(void)madvise(m, n, MADV_SEQUENTIAL);
			int rc = 0;
			if (!ms_is_gzip(m, n)) {
				rc = parse(d, m, n, true, err);
				if (rc < 0)
					ms_err_prefix(err, path);
				munmap(m, n);
				return rc;
			}
			munmap(m, n);
		}
	} else if (fd >= 0) {
		close(fd);
	}
	/* stdin, gzip, or not mappable: the whole input in memory */
	ms_buf b = MS_BUF_INIT;
	if (ms_read_all(path, &b, err) < 0) {
		ms_buf_free(&b);
		return -1;
	}
	int rc = ms_godump_parse(d, strcmp(path, "-") ? path : "<stdin>", b.data, b.len, err);
	ms_buf_free(&b);
	return rc;
}

void ms_godump_free(ms_godump *d)
{
	ms_strtab_free(&d->strings);
	free(d->addr);
	free(d->size);
	free(d->estart);
	free(d->edges);
	free(d->sample);
	free(d->roots);
	free(d->goroutines);
	free(d->buckets);
	free(d->frame_func);
	free(d->frame_file);
	free(d->frame_line);
	free(d->sorted);
	free(d->pages);
	memset(d, 0, sizeof *d);
}
