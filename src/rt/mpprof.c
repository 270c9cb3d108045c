/* mpprof.c — writes the sampled heap as a gzipped pprof profile
 * (profile.proto) without the host malloc, protobuf-c or jansson: a small
 * protobuf encoder into mmap'd buffers, then zlib (mmem.c).
 *
 * The profile is what Go's heap profile is:
 *   sample_type  alloc_objects/count alloc_space/bytes
 *                inuse_objects/count inuse_space/bytes
 *   period_type  space/bytes, period = MSRT_PROFILE_RATE
 *   one sample per bucket, values un-biased (mprof.c's formula), a numeric
 *   label bytes = average requested size; in GC mode all four values are
 *   as of the last cycle the collector published (mprof.c), as Go's
 *   MemProfile reads them from one record; without the collector, now
 *   one location per distinct return address; address = return address − 1
 *   (inside the call instruction, so symbolizers report the call's line)
 *   mappings = the executable mappings of /proc/self/maps, each with its
 *   file offset and the ELF build-id read from the loaded PT_NOTE segments
 * Functions and lines are left to `memscope symbolize`.
 */
#include "config.h"

#include <elf.h>
#include <link.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt/msrt_internal.h"
#include "util/heapsample.h"

/* ---- protobuf encoding ----------------------------------------------------- */
static void put_varint(msrt_buf *b, uint64_t v)
{
	char tmp[10];
	int n = 0;
	do {
		tmp[n++] = (char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
		v >>= 7;
	} while (v);
	msrt_buf_add(b, tmp, (size_t)n);
}

static void put_tag(msrt_buf *b, unsigned field, unsigned wire) { put_varint(b, ((uint64_t)field << 3) | wire); }

static void put_uint(msrt_buf *b, unsigned field, uint64_t v)
{
	if (!v)
		return;
	put_tag(b, field, 0);
	put_varint(b, v);
}

static void put_bytes(msrt_buf *b, unsigned field, const void *p, size_t n)
{
	put_tag(b, field, 2);
	put_varint(b, n);
	msrt_buf_add(b, p, n);
}

/* A message is built in a scratch buffer, then appended length-delimited. */
static void put_msg(msrt_buf *b, unsigned field, msrt_buf *msg)
{
	put_bytes(b, field, msg->data ? msg->data : "", msg->len);
	msg->len = 0;
}

static void put_packed(msrt_buf *b, unsigned field, const uint64_t *v, size_t n, msrt_buf *scratch)
{
	scratch->len = 0;
	for (size_t i = 0; i < n; i++)
		put_varint(scratch, v[i]);
	put_bytes(b, field, scratch->data ? scratch->data : "", scratch->len);
}

/* ---- strings ------------------------------------------------------------- */
#define MAX_STRINGS 1024
typedef struct strtab {
	const char *s[MAX_STRINGS];
	size_t n;
} strtab;

static uint64_t str_id(strtab *t, const char *s)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->s[i], s) == 0)
			return i;
	if (t->n == MAX_STRINGS)
		return 0;
	t->s[t->n] = s;
	return t->n++;
}

/* ---- mappings --------------------------------------------------------------- */
struct objinfo {
	uintptr_t lo[64], hi[64];
	char id[64][41];
	int n;
};

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct objinfo *oi = arg;
	if (oi->n >= 64)
		return 1;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	char id[41] = "";
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD) {
			uintptr_t a = info->dlpi_addr + ph->p_vaddr;
			if (a < lo)
				lo = a;
			if (a + ph->p_memsz > hi)
				hi = a + ph->p_memsz;
		} else if (ph->p_type == PT_NOTE && !id[0]) {
			const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
			const unsigned char *end = p + ph->p_memsz;
			while (p + 12 <= end) {
				uint32_t namesz, descsz, type;
				memcpy(&namesz, p, 4);
				memcpy(&descsz, p + 4, 4);
				memcpy(&type, p + 8, 4);
				const unsigned char *name = p + 12;
				const unsigned char *desc = name + ((namesz + 3) & ~3u);
				if (desc + descsz > end)
					break;
				if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(name, "GNU", 4) == 0 && descsz <= 20) {
					for (uint32_t k = 0; k < descsz; k++)
						snprintf(id + 2 * k, 3, "%02x", desc[k]);
					break;
				}
				p = desc + ((descsz + 3) & ~3u);
			}
		}
	}
	if (hi > lo) {
		oi->lo[oi->n] = lo;
		oi->hi[oi->n] = hi;
		memcpy(oi->id[oi->n], id, sizeof id);
		oi->n++;
	}
	return 0;
}

int msrt_read_mappings(msrt_mapping *out, int max)
{
	msrt_buf maps = { 0 };
	if (msrt_read_proc_maps(&maps) < 0) {
		msrt_buf_free(&maps);
		return 0;
	}
	struct objinfo oi;
	oi.n = 0;
	dl_iterate_phdr(phdr_cb, &oi);
	int n = 0;
	char *line = maps.data;
	while (line && *line && n < max) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		unsigned long start, end, off;
		char perms[8];
		int pos = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s%n", &start, &end, perms, &off, &pos) >= 4 && perms[2] == 'x') {
			const char *path = line + pos;
			while (*path == ' ')
				path++;
			msrt_mapping *m = &out[n++];
			m->start = start;
			m->limit = end;
			m->offset = off;
			snprintf(m->path, sizeof m->path, "%s", path);
			m->build_id[0] = 0;
			for (int i = 0; i < oi.n; i++)
				if (start >= oi.lo[i] && start < oi.hi[i]) {
					memcpy(m->build_id, oi.id[i], sizeof m->build_id);
					break;
				}
		}
		line = nl ? nl + 1 : NULL;
	}
	msrt_buf_free(&maps);
	return n;
}

/* ---- locations: return address → id (open addressing) -------------------- */
typedef struct locmap {
	uintptr_t *pc;
	uint64_t *id;
	size_t cap, n;
	msrt_buf mem;
} locmap;

static uint64_t loc_id(locmap *m, uintptr_t pc)
{
	size_t j = msrt_hash_slot(pc, m->cap);
	while (m->pc[j] && m->pc[j] != pc)
		j = (j + 1) & (m->cap - 1);
	if (!m->pc[j]) {
		m->pc[j] = pc;
		m->id[j] = ++m->n;
	}
	return m->id[j];
}

/* ---- the profile ------------------------------------------------------------ */
struct bucket_copy {
	msrt_bucket *b;
	uint64_t allocs, alloc_bytes, inuse, inuse_bytes;
};

/* Encodes a profile of rows (one sample each: the bucket's stack, values
 * in the order of types, the numeric label bytes = avg_bytes, and the
 * string label label_key = label when label is set). */
static int encode_rows(msrt_buf *pb, const msrt_pp_spec *spec, const msrt_pp_row *rows, size_t nrows)
{
	static msrt_mapping maps[512]; /* only the writer thread (or a caller of ms_write_heap_profile) */
	static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&maps_lock);
	int nmaps = msrt_read_mappings(maps, 512);

	static strtab st;
	st.n = 0;
	str_id(&st, "");
	msrt_buf msg = { 0 }, sub = { 0 }, scratch = { 0 };
	int rc = -1;
	for (int i = 0; i < spec->ntypes; i++) {
		put_uint(&msg, 1, str_id(&st, spec->types[i][0]));
		put_uint(&msg, 2, str_id(&st, spec->types[i][1]));
		put_msg(pb, 1, &msg);
	}
	uint64_t space_key = str_id(&st, "space");
	uint64_t label_key = spec->label_key ? str_id(&st, spec->label_key) : 0;
	/* samples */
	locmap lm = { 0 };
	size_t npcs = 0;
	for (size_t i = 0; i < nrows; i++)
		npcs += rows[i].b->depth;
	lm.cap = 1024;
	while (lm.cap < npcs * 2 + 2)
		lm.cap *= 2;
	msrt_buf_reserve(&lm.mem, lm.cap * (sizeof(uintptr_t) + sizeof(uint64_t)));
	if (lm.mem.failed)
		goto out;
	memset(lm.mem.data, 0, lm.cap * (sizeof(uintptr_t) + sizeof(uint64_t)));
	lm.pc = (uintptr_t *)lm.mem.data;
	lm.id = (uint64_t *)(lm.mem.data + lm.cap * sizeof(uintptr_t));
	uint64_t bytes_key = str_id(&st, "bytes");
	for (size_t i = 0; i < nrows; i++) {
		const msrt_pp_row *r = &rows[i];
		uint64_t ids[MSRT_MAX_DEPTH];
		for (uint32_t k = 0; k < r->b->depth; k++)
			ids[k] = loc_id(&lm, r->b->pcs[k]);
		put_packed(&msg, 1, ids, r->b->depth, &scratch);
		uint64_t uv[MSRT_PP_MAX_TYPES];
		for (int k = 0; k < spec->ntypes; k++)
			uv[k] = (uint64_t)r->v[k];
		put_packed(&msg, 2, uv, (size_t)spec->ntypes, &scratch);
		put_uint(&sub, 1, bytes_key);
		put_uint(&sub, 3, r->avg_bytes);
		put_msg(&msg, 3, &sub);
		if (r->label) {
			put_uint(&sub, 1, label_key);
			put_uint(&sub, 2, str_id(&st, r->label));
			put_msg(&msg, 3, &sub);
		}
		put_msg(pb, 2, &msg);
	}
	/* mappings */
	for (int i = 0; i < nmaps; i++) {
		put_uint(&msg, 1, (uint64_t)i + 1);
		put_uint(&msg, 2, maps[i].start);
		put_uint(&msg, 3, maps[i].limit);
		put_uint(&msg, 4, maps[i].offset);
		put_uint(&msg, 5, str_id(&st, maps[i].path));
		put_uint(&msg, 6, str_id(&st, maps[i].build_id));
		put_msg(pb, 3, &msg);
	}
	/* locations */
	for (size_t j = 0; j < lm.cap; j++) {
		if (!lm.pc[j])
			continue;
		uintptr_t addr = lm.pc[j] - 1;
		uint64_t mapping = 0;
		for (int i = 0; i < nmaps; i++)
			if (addr >= maps[i].start && addr < maps[i].limit) {
				mapping = (uint64_t)i + 1;
				break;
			}
		put_uint(&msg, 1, lm.id[j]);
		put_uint(&msg, 2, mapping);
		put_uint(&msg, 3, addr);
		put_msg(pb, 4, &msg);
	}
	/* strings, time, period, default type */
	uint64_t default_type = spec->default_type >= 0 ? str_id(&st, spec->types[spec->default_type][0]) : 0;
	uint64_t comment_ids[4];
	int ncomments = spec->ncomments < 4 ? spec->ncomments : 4;
	for (int i = 0; i < ncomments; i++)
		comment_ids[i] = str_id(&st, spec->comments[i]);
	for (size_t i = 0; i < st.n; i++)
		put_bytes(pb, 6, st.s[i], strlen(st.s[i]));
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	put_uint(pb, 9, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
	put_uint(&msg, 1, space_key);
	put_uint(&msg, 2, bytes_key);
	put_msg(pb, 11, &msg);
	put_uint(pb, 12, (uint64_t)(spec->period > 0 ? spec->period : 0));
	for (int i = 0; i < ncomments; i++)
		put_uint(pb, 13, comment_ids[i]);
	put_uint(pb, 14, default_type);
	rc = pb->failed ? -1 : 0;
out:
	pthread_mutex_unlock(&maps_lock);
	msrt_buf_free(&lm.mem);
	msrt_buf_free(&msg);
	msrt_buf_free(&sub);
	msrt_buf_free(&scratch);
	return rc;
}

int msrt_write_rows(const char *path, const msrt_pp_spec *spec, const msrt_pp_row *rows, size_t nrows)
{
	msrt_buf pb = { 0 }, gz = { 0 };
	int rc = -1;
	if (encode_rows(&pb, spec, rows, nrows) == 0 && msrt_gzip(pb.data ? pb.data : "", pb.len, &gz) == 0)
		rc = msrt_write_file(path, gz.data, gz.len);
	msrt_buf_free(&pb);
	msrt_buf_free(&gz);
	return rc;
}

/* The heap profile: one row per bucket with sampled allocations, its
 * counts copied under the profiler's lock, then un-biased. */
static const char *const heap_types[4][2] = {
	{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
	{ "inuse_objects", "count" }, { "inuse_space", "bytes" } };

int msrt_write_profile(const char *path)
{
	long rate = atomic_load(&msrt_prof_rate);
	msrt_buf copies = { 0 }, rows = { 0 };
	size_t nb = 0;
	pthread_mutex_lock(&msrt_prof_lock);
	for (msrt_bucket *b = msrt_buckets_all; b; b = b->allnext) {
		msrt_memrec r = msrt_prof_counts(b);
		/* a free published before its allocation (an event that came
		 * late) must not make a count negative */
		struct bucket_copy bc = { b, r.allocs, r.alloc_bytes, r.allocs > r.frees ? r.allocs - r.frees : 0,
			r.alloc_bytes > r.free_bytes ? r.alloc_bytes - r.free_bytes : 0 };
		msrt_buf_add(&copies, &bc, sizeof bc);
		nb++;
	}
	pthread_mutex_unlock(&msrt_prof_lock);
	const struct bucket_copy *bcs = (const struct bucket_copy *)copies.data;
	for (size_t i = 0; i < nb && !copies.failed; i++) {
		const struct bucket_copy *bc = &bcs[i];
		if (!bc->allocs)
			continue;
		msrt_pp_row r = { bc->b, { 0 }, NULL, bc->alloc_bytes / bc->allocs };
		ms_heap_sample_scale(bc->allocs, bc->alloc_bytes, rate < 0 ? 0 : (uint64_t)rate, &r.v[0], &r.v[1]);
		ms_heap_sample_scale(bc->inuse, bc->inuse_bytes, rate < 0 ? 0 : (uint64_t)rate, &r.v[2], &r.v[3]);
		msrt_buf_add(&rows, &r, sizeof r);
	}
	int rc = -1;
	if (!copies.failed && !rows.failed) {
		/* which process, and the whole heap's peak (mpeak.c) */
		char who[128], use[256];
		const char *comments[2] = { who, use };
		char prog[MSRT_OUT_PROG_MAX + 1];
		msrt_prog_name(prog);
		snprintf(who, sizeof who, "memscope-run: pid=%d program=%s", (int)getpid(), prog);
		msrt_pp_spec spec = { heap_types, 4, -1, NULL, rate, comments, msrt_use_comment(use, sizeof use) < 0 ? 1 : 2 };
		rc = msrt_write_rows(path, &spec, (const msrt_pp_row *)rows.data, rows.len / sizeof(msrt_pp_row));
	}
	msrt_buf_free(&copies);
	msrt_buf_free(&rows);
	return rc;
}

int ms_write_heap_profile(const char *path)
{
	msrt_ensure_init();
	int saved = msrt_tls_inprof;
	msrt_tls_inprof = 1;
	int rc = msrt_write_profile(path);
	msrt_tls_inprof = saved;
	return rc;
}
