/* pprof_write.c — the pprof encoder: the model is turned into protobuf-c
 * messages (all carved from one arena) and packed, then gzip-compressed.
 * Strings keep their interned ids, so the string table is the model's. */
#include "config.h"
#include "profile/pprof.h"
#include "util/arena.h"
#include "util/io.h"

#include <string.h>

#include "profile.pb-c.h"

#define NEW_ARRAY(a, n, type) ((type *)ms_arena_alloc((a), ((n) ? (n) : 1) * sizeof(type)))

static uint64_t mapping_id(const ms_profile *p, uint32_t m)
{
	return m == MS_NONE ? 0 : (p->mappings[m].id ? p->mappings[m].id : m + 1);
}
static uint64_t function_id(const ms_profile *p, uint32_t f)
{
	return p->functions[f].id ? p->functions[f].id : f + 1;
}
static uint64_t location_id(const ms_profile *p, uint32_t l)
{
	return p->locations[l].id ? p->locations[l].id : l + 1;
}

int ms_pprof_encode(const ms_profile *p, ms_buf *out, ms_err *err)
{
	ms_arena a = MS_ARENA_INIT;
	Perftools__Profiles__Profile pr = PERFTOOLS__PROFILES__PROFILE__INIT;

	pr.n_sample_type = p->ntypes;
	pr.sample_type = NEW_ARRAY(&a, p->ntypes, Perftools__Profiles__ValueType *);
	Perftools__Profiles__ValueType *vts = NEW_ARRAY(&a, p->ntypes, Perftools__Profiles__ValueType);
	for (size_t i = 0; i < p->ntypes; i++) {
		perftools__profiles__value_type__init(&vts[i]);
		vts[i].type = p->types[i].type;
		vts[i].unit = p->types[i].unit;
		pr.sample_type[i] = &vts[i];
	}

	pr.n_sample = p->nsamples;
	pr.sample = NEW_ARRAY(&a, p->nsamples, Perftools__Profiles__Sample *);
	Perftools__Profiles__Sample *ss = NEW_ARRAY(&a, p->nsamples, Perftools__Profiles__Sample);
	uint64_t *locids = NEW_ARRAY(&a, p->nstack, uint64_t);
	Perftools__Profiles__Label *labs = NEW_ARRAY(&a, p->nlabels, Perftools__Profiles__Label);
	Perftools__Profiles__Label **labps = NEW_ARRAY(&a, p->nlabels, Perftools__Profiles__Label *);
	for (size_t k = 0; k < p->nstack; k++)
		locids[k] = location_id(p, p->stack[k]);
	for (size_t k = 0; k < p->nlabels; k++) {
		perftools__profiles__label__init(&labs[k]);
		labs[k].key = p->labels[k].key;
		labs[k].str = p->labels[k].str;
		labs[k].num = p->labels[k].num;
		labs[k].num_unit = p->labels[k].num_unit;
		labps[k] = &labs[k];
	}
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		perftools__profiles__sample__init(&ss[i]);
		ss[i].n_location_id = s->depth;
		ss[i].location_id = locids + s->stack_off;
		ss[i].n_value = p->ntypes;
		ss[i].value = p->values + i * p->ntypes;
		ss[i].n_label = s->nlabels;
		ss[i].label = labps + s->label_off;
		pr.sample[i] = &ss[i];
	}

	pr.n_mapping = p->nmappings;
	pr.mapping = NEW_ARRAY(&a, p->nmappings, Perftools__Profiles__Mapping *);
	Perftools__Profiles__Mapping *ms = NEW_ARRAY(&a, p->nmappings, Perftools__Profiles__Mapping);
	for (size_t i = 0; i < p->nmappings; i++) {
		const ms_mapping *m = &p->mappings[i];
		perftools__profiles__mapping__init(&ms[i]);
		ms[i].id = mapping_id(p, (uint32_t)i);
		ms[i].memory_start = m->start;
		ms[i].memory_limit = m->limit;
		ms[i].file_offset = m->offset;
		ms[i].filename = m->filename;
		ms[i].build_id = m->build_id;
		ms[i].has_functions = m->has_functions;
		ms[i].has_filenames = m->has_filenames;
		ms[i].has_line_numbers = m->has_line_numbers;
		ms[i].has_inline_frames = m->has_inline_frames;
		pr.mapping[i] = &ms[i];
	}

	pr.n_location = p->nlocations;
	pr.location = NEW_ARRAY(&a, p->nlocations, Perftools__Profiles__Location *);
	Perftools__Profiles__Location *ls = NEW_ARRAY(&a, p->nlocations, Perftools__Profiles__Location);
	Perftools__Profiles__Line *lns = NEW_ARRAY(&a, p->nlines, Perftools__Profiles__Line);
	Perftools__Profiles__Line **lnps = NEW_ARRAY(&a, p->nlines, Perftools__Profiles__Line *);
	for (size_t k = 0; k < p->nlines; k++) {
		perftools__profiles__line__init(&lns[k]);
		lns[k].function_id = function_id(p, p->lines[k].function);
		lns[k].line = p->lines[k].line;
		lns[k].column = p->lines[k].column;
		lnps[k] = &lns[k];
	}
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *l = &p->locations[i];
		perftools__profiles__location__init(&ls[i]);
		ls[i].id = location_id(p, (uint32_t)i);
		ls[i].mapping_id = mapping_id(p, l->mapping);
		ls[i].address = l->address;
		ls[i].is_folded = l->is_folded;
		ls[i].n_line = l->nlines;
		ls[i].line = lnps + l->line_off;
		pr.location[i] = &ls[i];
	}

	pr.n_function = p->nfunctions;
	pr.function = NEW_ARRAY(&a, p->nfunctions, Perftools__Profiles__Function *);
	Perftools__Profiles__Function *fs = NEW_ARRAY(&a, p->nfunctions, Perftools__Profiles__Function);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ms_function *f = &p->functions[i];
		perftools__profiles__function__init(&fs[i]);
		fs[i].id = function_id(p, (uint32_t)i);
		fs[i].name = f->name;
		fs[i].system_name = f->system_name;
		fs[i].filename = f->filename;
		fs[i].start_line = f->start_line;
		pr.function[i] = &fs[i];
	}

	pr.n_string_table = p->strings.n;
	pr.string_table = (char **)p->strings.str;
	pr.drop_frames = p->drop_frames;
	pr.keep_frames = p->keep_frames;
	pr.time_nanos = p->time_nanos;
	pr.duration_nanos = p->duration_nanos;
	Perftools__Profiles__ValueType pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	if (p->period_type.type || p->period_type.unit) {
		pt.type = p->period_type.type;
		pt.unit = p->period_type.unit;
		pr.period_type = &pt;
	}
	pr.period = p->period;
	int64_t *comments = NEW_ARRAY(&a, p->ncomments, int64_t);
	for (size_t i = 0; i < p->ncomments; i++)
		comments[i] = p->comments[i];
	pr.n_comment = p->ncomments;
	pr.comment = comments;
	pr.default_sample_type = p->default_type;
	pr.doc_url = p->doc_url;

	size_t size = perftools__profiles__profile__get_packed_size(&pr);
	ms_buf_grow(out, size);
	size_t wrote = perftools__profiles__profile__pack(&pr, (uint8_t *)out->data + out->len);
	out->len += wrote;
	out->data[out->len] = '\0';
	ms_arena_free(&a);
	if (wrote != size)
		return ms_seterr(err, "internal error: protobuf size mismatch");
	return 0;
}

int ms_pprof_write_file(const ms_profile *p, const char *path, int raw_pb, ms_err *err)
{
	ms_buf raw = MS_BUF_INIT, gz = MS_BUF_INIT;
	int rc = -1;
	if (ms_pprof_encode(p, &raw, err) == 0) {
		if (raw_pb)
			rc = ms_write_file(path, raw.data, raw.len, err);
		else if (ms_gzip(raw.data, raw.len, 1, &gz, err) == 0) /* BestSpeed, as Go writes profiles */
			rc = ms_write_file(path, gz.data, gz.len, err);
	}
	ms_buf_free(&raw);
	ms_buf_free(&gz);
	return rc;
}
