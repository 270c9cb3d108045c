/* pprof_read.c — the pprof decoder.
 *
 * A serialized Profile is a sequence of top-level fields. Samples usually
 * come first but refer to locations, and everything refers to the string
 * table that comes last, so decoding takes two passes over the buffer:
 *   pass 1  strings (interned, so duplicates share an id), sample types,
 *           mappings, locations and functions (via protobuf-c, arena-backed),
 *           scalars; samples are only counted;
 *   link    ids -> dense indexes (a direct table when ids are dense, as Go
 *           writes them), string indexes -> interned ids, all validated;
 *   pass 2  samples, decoded by hand straight into the model's flat arrays.
 * Packed and unpacked encodings of every repeated scalar are accepted and
 * unknown fields are skipped. */
#include "config.h"
#include "profile/pprof.h"
#include "util/arena.h"
#include "util/io.h"
#include "util/pairmap.h"

#include <stdlib.h>
#include <string.h>

#include "profile.pb-c.h"

/* ---- wire format ----------------------------------------------------------- */

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

typedef struct wire {
	const uint8_t *base; /* start of the whole buffer, for offsets */
	const uint8_t *p, *end;
} wire;

static inline int read_varint(wire *w, uint64_t *out)
{
	const uint8_t *p = w->p;
	if (p < w->end && *p < 0x80) {
		*out = *p;
		w->p = p + 1;
		return 0;
	}
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (p >= w->end)
			return -1;
		uint8_t b = *p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*out = v;
			w->p = p;
			return 0;
		}
	}
	return -1;
}

/* Reads a field key; returns 1 on a field, 0 at end, -1 on corrupt input. */
static inline int read_key(wire *w, uint32_t *field, uint32_t *wt)
{
	uint64_t key;
	if (w->p >= w->end)
		return 0;
	if (read_varint(w, &key) < 0 || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
		return -1;
	*field = (uint32_t)(key >> 3);
	*wt = (uint32_t)(key & 7);
	return 1;
}

/* Skips a field's payload (or returns its bytes for WT_LEN). */
static int skip_field(wire *w, uint32_t wt, const uint8_t **data, size_t *len)
{
	uint64_t v;
	switch (wt) {
	case WT_VARINT:
		return read_varint(w, &v);
	case WT_I64:
		if (w->end - w->p < 8)
			return -1;
		w->p += 8;
		return 0;
	case WT_I32:
		if (w->end - w->p < 4)
			return -1;
		w->p += 4;
		return 0;
	case WT_LEN:
		if (read_varint(w, &v) < 0 || v > (uint64_t)(w->end - w->p))
			return -1;
		if (data)
			*data = w->p, *len = (size_t)v;
		w->p += v;
		return 0;
	default:
		return -1;
	}
}

static size_t offset_of(const wire *w, const uint8_t *p) { return (size_t)(p - w->base); }

/* ---- arena allocator for protobuf-c ------------------------------------------ */

static void *arena_pb_alloc(void *data, size_t size) { return ms_arena_alloc(data, size); }
static void arena_pb_free(void *data, void *ptr) { (void)data, (void)ptr; }

/* ---- decoder state ------------------------------------------------------------ */

typedef struct idmap {
	uint32_t *direct; /* id -> index+1 when ids are dense */
	uint64_t ndirect;
	ms_pairmap hashed;
} idmap;

typedef struct decoder {
	wire w;
	ms_profile *p;
	ms_err *err;
	ms_arena arena;
	ProtobufCAllocator alloc;

	uint32_t *str;   /* string table index -> interned id */
	size_t nstr, str_cap;

	/* pass-1 records, linked after the string table is known */
	Perftools__Profiles__Location **locs;
	size_t nlocs, locs_cap;
	Perftools__Profiles__Function **funcs;
	size_t nfuncs, funcs_cap;
	Perftools__Profiles__Mapping **maps;
	size_t nmaps, maps_cap;
	Perftools__Profiles__ValueType **types;
	size_t ntypes, types_cap;
	Perftools__Profiles__ValueType *period_type;
	int64_t *comments;
	size_t ncomments, comments_cap;
	int64_t drop_frames, keep_frames, default_type, doc_url;
	size_t nsamples;
	size_t sample_bytes;

	idmap loc_ids, func_ids, map_ids;
} decoder;

static int fail(decoder *d, const uint8_t *at, const char *what)
{
	return ms_seterr(d->err, "byte %zu: %s", offset_of(&d->w, at), what);
}

static void idmap_build(idmap *m, const uint64_t *ids, size_t n)
{
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (ids[i] > max)
			max = ids[i];
	memset(m, 0, sizeof *m);
	if (max <= (uint64_t)n * 4 + 1024) {
		m->ndirect = max + 1;
		m->direct = ms_xcalloc((size_t)m->ndirect, sizeof *m->direct);
	} else {
		ms_pairmap_init(&m->hashed, n);
	}
}

/* Records id -> index; returns -1 if the id is already taken. */
static int idmap_put(idmap *m, uint64_t id, uint32_t index)
{
	if (m->direct) {
		if (m->direct[id])
			return -1;
		m->direct[id] = index + 1;
		return 0;
	}
	return ms_pairmap_put(&m->hashed, id, 0, index) == index ? 0 : -1;
}

static inline uint32_t idmap_get(const idmap *m, uint64_t id)
{
	if (m->direct)
		return id < m->ndirect && m->direct[id] ? m->direct[id] - 1 : MS_NONE;
	return ms_pairmap_get(&m->hashed, id, 0);
}

static void idmap_free(idmap *m)
{
	free(m->direct);
	ms_pairmap_free(&m->hashed);
}

/* String table index -> interned id, validated. */
static int str_ref(decoder *d, int64_t idx, uint32_t *out, const char *what, size_t which)
{
	if (idx < 0 || (uint64_t)idx >= d->nstr)
		return ms_seterr(d->err, "%s %zu: string index %lld out of range (string table has %zu entries)", what,
			which, (long long)idx, d->nstr);
	*out = d->str[idx];
	return 0;
}

/* ---- pass 1 --------------------------------------------------------------------- */

#define UNPACK(type, fn, arr, n, cap)                                                          \
	do {                                                                                   \
		type *m_ = fn(&d->alloc, len, data);                                           \
		if (!m_)                                                                       \
			return fail(d, field_at, "malformed " #arr " message");                 \
		MS_PUSH(d->arr, d->n, d->cap, m_);                                                \
	} while (0)

static int read_int64_field(decoder *d, uint32_t wt, const uint8_t *at, int64_t *out)
{
	uint64_t v;
	if (wt != WT_VARINT || read_varint(&d->w, &v) < 0)
		return fail(d, at, "malformed integer field");
	*out = (int64_t)v;
	return 0;
}

static int pass1(decoder *d)
{
	wire *w = &d->w;
	uint32_t field, wt;
	int r;
	for (;;) {
		const uint8_t *field_at = w->p;
		r = read_key(w, &field, &wt);
		if (r == 0)
			break;
		if (r < 0)
			return fail(d, field_at, "corrupt protobuf field key (not a pprof profile?)");
		const uint8_t *data = NULL;
		size_t len = 0;
		switch (field) {
		case 2: /* sample: counted now, decoded in pass 2 */
			if (wt != WT_LEN || skip_field(w, wt, &data, &len) < 0)
				return fail(d, field_at, "malformed sample");
			d->nsamples++;
			d->sample_bytes += len;
			continue;
		case 6: /* string_table */
			if (wt != WT_LEN || skip_field(w, wt, &data, &len) < 0)
				return fail(d, field_at, "malformed string table entry");
			if (d->nstr == 0 && len != 0)
				return fail(d, field_at, "string table entry 0 is not empty");
			MS_PUSH(d->str, d->nstr, d->str_cap, ms_profile_strn(d->p, (const char *)data, len));
			continue;
		case 1: case 3: case 4: case 5: case 11:
			if (wt != WT_LEN || skip_field(w, wt, &data, &len) < 0)
				return fail(d, field_at, "malformed message field");
			if (field == 1)
				UNPACK(Perftools__Profiles__ValueType, perftools__profiles__value_type__unpack, types,
					ntypes, types_cap);
			else if (field == 3)
				UNPACK(Perftools__Profiles__Mapping, perftools__profiles__mapping__unpack, maps, nmaps,
					maps_cap);
			else if (field == 4)
				UNPACK(Perftools__Profiles__Location, perftools__profiles__location__unpack, locs, nlocs,
					locs_cap);
			else if (field == 5)
				UNPACK(Perftools__Profiles__Function, perftools__profiles__function__unpack, funcs,
					nfuncs, funcs_cap);
			else {
				d->period_type = perftools__profiles__value_type__unpack(&d->alloc, len, data);
				if (!d->period_type)
					return fail(d, field_at, "malformed period_type");
			}
			continue;
		case 7:
			if (read_int64_field(d, wt, field_at, &d->drop_frames) < 0)
				return -1;
			continue;
		case 8:
			if (read_int64_field(d, wt, field_at, &d->keep_frames) < 0)
				return -1;
			continue;
		case 9:
			if (read_int64_field(d, wt, field_at, &d->p->time_nanos) < 0)
				return -1;
			continue;
		case 10:
			if (read_int64_field(d, wt, field_at, &d->p->duration_nanos) < 0)
				return -1;
			continue;
		case 12:
			if (read_int64_field(d, wt, field_at, &d->p->period) < 0)
				return -1;
			continue;
		case 13: /* comment: repeated int64, packed or not */
			if (wt == WT_VARINT) {
				int64_t v;
				if (read_int64_field(d, wt, field_at, &v) < 0)
					return -1;
				MS_PUSH(d->comments, d->ncomments, d->comments_cap, v);
			} else if (wt == WT_LEN) {
				if (skip_field(w, wt, &data, &len) < 0)
					return fail(d, field_at, "malformed comment list");
				wire sub = { w->base, data, data + len };
				while (sub.p < sub.end) {
					uint64_t v;
					if (read_varint(&sub, &v) < 0)
						return fail(d, sub.p, "malformed comment list");
					MS_PUSH(d->comments, d->ncomments, d->comments_cap, (int64_t)v);
				}
			} else
				return fail(d, field_at, "malformed comment field");
			continue;
		case 14:
			if (read_int64_field(d, wt, field_at, &d->default_type) < 0)
				return -1;
			continue;
		case 15:
			if (read_int64_field(d, wt, field_at, &d->doc_url) < 0)
				return -1;
			continue;
		default:
			if (skip_field(w, wt, NULL, NULL) < 0)
				return fail(d, field_at, "corrupt unknown field");
			continue;
		}
	}
	return 0;
}

/* ---- link: ids and strings ----------------------------------------------------- */

static int link_records(decoder *d)
{
	ms_profile *p = d->p;
	if (d->nstr == 0)
		MS_PUSH(d->str, d->nstr, d->str_cap, 0); /* an absent table still has "" */

	for (size_t i = 0; i < d->ntypes; i++) {
		uint32_t t = 0, u = 0;
		if (str_ref(d, d->types[i]->type, &t, "sample type", i) < 0 ||
			str_ref(d, d->types[i]->unit, &u, "sample type", i) < 0)
			return -1;
		p->types = ms_xreallocarray(p->types, p->ntypes + 1, sizeof *p->types);
		p->types[p->ntypes++] = (ms_value_type){ t, u };
	}
	if (d->period_type && (str_ref(d, d->period_type->type, &p->period_type.type, "period type", 0) < 0 ||
		str_ref(d, d->period_type->unit, &p->period_type.unit, "period type", 0) < 0))
		return -1;
	if (str_ref(d, d->drop_frames, &p->drop_frames, "drop_frames", 0) < 0 ||
		str_ref(d, d->keep_frames, &p->keep_frames, "keep_frames", 0) < 0 ||
		str_ref(d, d->default_type, &p->default_type, "default_sample_type", 0) < 0 ||
		str_ref(d, d->doc_url, &p->doc_url, "doc_url", 0) < 0)
		return -1;
	p->comments = ms_xcalloc(d->ncomments, sizeof *p->comments);
	for (size_t i = 0; i < d->ncomments; i++)
		if (str_ref(d, d->comments[i], &p->comments[i], "comment", i) < 0)
			return -1;
	p->ncomments = d->ncomments;

	/* mappings */
	uint64_t *ids = ms_xcalloc(d->nmaps + d->nfuncs + d->nlocs + 1, sizeof *ids);
	for (size_t i = 0; i < d->nmaps; i++)
		ids[i] = d->maps[i]->id;
	idmap_build(&d->map_ids, ids, d->nmaps);
	p->mappings = ms_xcalloc(d->nmaps, sizeof *p->mappings);
	p->mappings_cap = d->nmaps;
	for (size_t i = 0; i < d->nmaps; i++) {
		const Perftools__Profiles__Mapping *m = d->maps[i];
		ms_mapping *o = &p->mappings[i];
		if (m->id == 0) {
			free(ids);
			return ms_seterr(d->err, "mapping %zu has id 0", i);
		}
		if (idmap_put(&d->map_ids, m->id, (uint32_t)i) < 0) {
			free(ids);
			return ms_seterr(d->err, "duplicate mapping id %llu", (unsigned long long)m->id);
		}
		o->id = m->id;
		o->start = m->memory_start;
		o->limit = m->memory_limit;
		o->offset = m->file_offset;
		if (str_ref(d, m->filename, &o->filename, "mapping", i) < 0 ||
			str_ref(d, m->build_id, &o->build_id, "mapping", i) < 0) {
			free(ids);
			return -1;
		}
		o->has_functions = m->has_functions;
		o->has_filenames = m->has_filenames;
		o->has_line_numbers = m->has_line_numbers;
		o->has_inline_frames = m->has_inline_frames;
	}
	p->nmappings = d->nmaps;

	/* functions */
	for (size_t i = 0; i < d->nfuncs; i++)
		ids[i] = d->funcs[i]->id;
	idmap_build(&d->func_ids, ids, d->nfuncs);
	p->functions = ms_xcalloc(d->nfuncs, sizeof *p->functions);
	p->functions_cap = d->nfuncs;
	for (size_t i = 0; i < d->nfuncs; i++) {
		const Perftools__Profiles__Function *f = d->funcs[i];
		ms_function *o = &p->functions[i];
		if (f->id == 0 || idmap_put(&d->func_ids, f->id, (uint32_t)i) < 0) {
			free(ids);
			return ms_seterr(d->err, "function %zu: %s id %llu", i, f->id ? "duplicate" : "invalid",
				(unsigned long long)f->id);
		}
		o->id = f->id;
		o->start_line = f->start_line;
		if (str_ref(d, f->name, &o->name, "function", i) < 0 ||
			str_ref(d, f->system_name, &o->system_name, "function", i) < 0 ||
			str_ref(d, f->filename, &o->filename, "function", i) < 0) {
			free(ids);
			return -1;
		}
	}
	p->nfunctions = d->nfuncs;

	/* locations */
	size_t nlines = 0;
	for (size_t i = 0; i < d->nlocs; i++) {
		ids[i] = d->locs[i]->id;
		nlines += d->locs[i]->n_line;
	}
	idmap_build(&d->loc_ids, ids, d->nlocs);
	free(ids);
	p->locations = ms_xcalloc(d->nlocs, sizeof *p->locations);
	p->locations_cap = d->nlocs;
	p->lines = ms_xcalloc(nlines, sizeof *p->lines);
	p->lines_cap = nlines;
	for (size_t i = 0; i < d->nlocs; i++) {
		const Perftools__Profiles__Location *l = d->locs[i];
		ms_location *o = &p->locations[i];
		if (l->id == 0 || idmap_put(&d->loc_ids, l->id, (uint32_t)i) < 0)
			return ms_seterr(d->err, "location %zu: %s id %llu", i, l->id ? "duplicate" : "invalid",
				(unsigned long long)l->id);
		o->id = l->id;
		o->address = l->address;
		o->is_folded = l->is_folded;
		o->mapping = MS_NONE;
		if (l->mapping_id) {
			o->mapping = idmap_get(&d->map_ids, l->mapping_id);
			if (o->mapping == MS_NONE)
				return ms_seterr(d->err, "location id %llu refers to mapping id %llu, which does not exist",
					(unsigned long long)l->id, (unsigned long long)l->mapping_id);
		}
		o->line_off = p->nlines;
		o->nlines = (uint32_t)l->n_line;
		for (size_t k = 0; k < l->n_line; k++) {
			const Perftools__Profiles__Line *ln = l->line[k];
			uint32_t f = idmap_get(&d->func_ids, ln->function_id);
			if (f == MS_NONE)
				return ms_seterr(d->err, "location id %llu refers to function id %llu, which does not exist",
					(unsigned long long)l->id, (unsigned long long)ln->function_id);
			p->lines[p->nlines++] = (ms_line){ f, ln->line, ln->column };
		}
	}
	p->nlocations = d->nlocs;
	return 0;
}

/* ---- pass 2: samples ------------------------------------------------------------- */

/* Decodes a repeated scalar field occurrence (packed or single) through fn. */
#define FOR_EACH_SCALAR(sw, wt, at, v, body)                                                 \
	do {                                                                                 \
		if ((wt) == WT_VARINT) {                                                     \
			if (read_varint((sw), &(v)) < 0)                                     \
				return fail(d, (at), "malformed sample");                     \
			body;                                                                \
		} else if ((wt) == WT_LEN) {                                                 \
			const uint8_t *pd_;                                                  \
			size_t pl_;                                                          \
			if (skip_field((sw), WT_LEN, &pd_, &pl_) < 0)                         \
				return fail(d, (at), "malformed sample");                     \
			wire pk_ = { (sw)->base, pd_, pd_ + pl_ };                           \
			while (pk_.p < pk_.end) {                                            \
				if (read_varint(&pk_, &(v)) < 0)                             \
					return fail(d, pk_.p, "malformed packed list in sample"); \
				body;                                                        \
			}                                                                    \
		} else                                                                       \
			return fail(d, (at), "malformed sample field");                      \
	} while (0)

static int decode_sample(decoder *d, const uint8_t *data, size_t len, size_t index)
{
	ms_profile *p = d->p;
	wire sw = { d->w.base, data, data + len };
	uint32_t field, wt;
	size_t nvalues = 0;
	size_t stack_start = p->nstack;
	size_t label_start = p->nlabels;
	int64_t *values = p->values + index * p->ntypes;
	int r;
	for (;;) {
		const uint8_t *at = sw.p;
		r = read_key(&sw, &field, &wt);
		if (r == 0)
			break;
		if (r < 0)
			return fail(d, at, "corrupt field key in sample");
		uint64_t v;
		if (field == 1) {
			FOR_EACH_SCALAR(&sw, wt, at, v, {
				uint32_t li = idmap_get(&d->loc_ids, v);
				if (li == MS_NONE)
					return ms_seterr(d->err, "byte %zu: sample %zu refers to location id %llu, which does not exist",
						offset_of(&d->w, at), index, (unsigned long long)v);
				if (p->nstack == p->stack_cap) {
					p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 1024;
					p->stack = ms_xreallocarray(p->stack, p->stack_cap, sizeof *p->stack);
				}
				p->stack[p->nstack++] = li;
			});
		} else if (field == 2) {
			FOR_EACH_SCALAR(&sw, wt, at, v, {
				if (nvalues == p->ntypes)
					return ms_seterr(d->err, "byte %zu: sample %zu has more values than the %zu sample types",
						offset_of(&d->w, at), index, p->ntypes);
				values[nvalues++] = (int64_t)v;
			});
		} else if (field == 3) {
			const uint8_t *ld;
			size_t ll;
			if (wt != WT_LEN || skip_field(&sw, wt, &ld, &ll) < 0)
				return fail(d, at, "malformed label");
			Perftools__Profiles__Label *lab = perftools__profiles__label__unpack(&d->alloc, ll, ld);
			if (!lab)
				return fail(d, at, "malformed label");
			ms_label o = { 0, 0, lab->num, 0 };
			if (str_ref(d, lab->key, &o.key, "label of sample", index) < 0 ||
				str_ref(d, lab->str, &o.str, "label of sample", index) < 0 ||
				str_ref(d, lab->num_unit, &o.num_unit, "label of sample", index) < 0)
				return -1;
			if (p->nlabels == p->labels_cap) {
				p->labels_cap = p->labels_cap ? p->labels_cap * 2 : 256;
				p->labels = ms_xreallocarray(p->labels, p->labels_cap, sizeof *p->labels);
			}
			p->labels[p->nlabels++] = o;
		} else if (skip_field(&sw, wt, NULL, NULL) < 0) {
			return fail(d, at, "corrupt unknown field in sample");
		}
	}
	if (nvalues != p->ntypes)
		return ms_seterr(d->err, "byte %zu: sample %zu has %zu values but the profile has %zu sample types",
			offset_of(&d->w, data), index, nvalues, p->ntypes);
	ms_sample *s = &p->samples[index];
	s->stack_off = stack_start;
	s->depth = (uint32_t)(p->nstack - stack_start);
	s->label_off = label_start;
	s->nlabels = (uint32_t)(p->nlabels - label_start);
	return 0;
}

static int pass2(decoder *d)
{
	ms_profile *p = d->p;
	p->samples_cap = d->nsamples ? d->nsamples : 1;
	p->samples = ms_xcalloc(p->samples_cap, sizeof *p->samples);
	p->values = ms_xcalloc(p->samples_cap * (p->ntypes ? p->ntypes : 1), sizeof *p->values);
	/* Each location id takes at least one byte: bounded by the input. */
	p->stack_cap = d->sample_bytes / 2 + 16;
	p->stack = ms_xcalloc(p->stack_cap, sizeof *p->stack);

	wire w = { d->w.base, d->w.base, d->w.end };
	uint32_t field, wt;
	size_t index = 0;
	while (read_key(&w, &field, &wt) > 0) {
		const uint8_t *data = NULL;
		size_t len = 0;
		skip_field(&w, wt, &data, &len); /* validated in pass 1 */
		if (field == 2) {
			d->w.p = w.p;
			if (decode_sample(d, data, len, index) < 0)
				return -1;
			index++;
		}
	}
	p->nsamples = index;
	return 0;
}

/* ---- entry points ---------------------------------------------------------------- */

static void decoder_free(decoder *d)
{
	free(d->str);
	free(d->locs);
	free(d->funcs);
	free(d->maps);
	free(d->types);
	free(d->comments);
	idmap_free(&d->loc_ids);
	idmap_free(&d->func_ids);
	idmap_free(&d->map_ids);
	ms_arena_free(&d->arena);
}

ms_profile *ms_pprof_parse(const uint8_t *data, size_t n, ms_err *err)
{
	decoder d;
	memset(&d, 0, sizeof d);
	d.w = (wire){ data, data, data + n };
	d.err = err;
	d.p = ms_profile_new();
	d.alloc.alloc = arena_pb_alloc;
	d.alloc.free = arena_pb_free;
	d.alloc.allocator_data = &d.arena;

	if (n == 0) {
		ms_seterr(err, "empty file");
		goto fail;
	}
	if (pass1(&d) < 0 || link_records(&d) < 0)
		goto fail;
	if (d.p->ntypes == 0) {
		ms_seterr(err, "not a pprof profile: no sample types");
		goto fail;
	}
	if (pass2(&d) < 0)
		goto fail;
	decoder_free(&d);
	return d.p;
fail:
	decoder_free(&d);
	ms_profile_free(d.p);
	return NULL;
}

ms_profile *ms_pprof_parse_any(const uint8_t *data, size_t n, ms_err *err)
{
	if (!ms_is_gzip(data, n))
		return ms_pprof_parse(data, n, err);
	ms_buf raw = MS_BUF_INIT;
	if (ms_gunzip(data, n, &raw, err) < 0) {
		ms_buf_free(&raw);
		return NULL;
	}
	ms_profile *p = ms_pprof_parse((const uint8_t *)raw.data, raw.len, err);
	ms_buf_free(&raw);
	return p;
}

/* The wire type profile.proto gives field f of Profile, -1 if none:
 * sample_type, sample, mapping, location, function, string_table (1-6),
 * period_type (11) and doc_url (15) are length-delimited; drop_frames,
 * keep_frames, time_nanos, duration_nanos, period, default_sample_type
 * (7-10, 12, 14) varints; comment (13) varints, packed or not. */
static int profile_field_wt(uint32_t f, uint32_t wt)
{
	if ((f >= 1 && f <= 6) || f == 11 || f == 15)
		return wt == WT_LEN;
	if ((f >= 7 && f <= 10) || f == 12 || f == 14)
		return wt == WT_VARINT;
	if (f == 13)
		return wt == WT_VARINT || wt == WT_LEN;
	return 0;
}

static int sniff(const uint8_t *data, size_t n, int prefix);

int ms_pprof_sniff(const uint8_t *data, size_t n) { return sniff(data, n, 0); }
int ms_pprof_sniff_prefix(const uint8_t *data, size_t n) { return sniff(data, n, 1); }

/* prefix: data is the start of a longer input, so a field that runs past
 * its end is no reason to refuse. */
static int sniff(const uint8_t *data, size_t n, int prefix)
{
	/* A Profile is a sequence of its own fields, each with the wire type
	 * the schema gives it (Go writes sample_type first). The first few
	 * must parse: text (folded stacks whose first line is malformed, Go
	 * source) fails here instead of being read as a broken profile. */
	wire w = { data, data, data + n };
	for (int i = 0; i < 8 && w.p < w.end; i++) {
		uint32_t field, wt;
		if (read_key(&w, &field, &wt) <= 0 || !profile_field_wt(field, wt))
			return 0;
		const uint8_t *d;
		size_t len;
		if (skip_field(&w, wt, &d, &len) < 0)
			return prefix; /* may be cut by the prefix's end */
	}
	return 1;
}
