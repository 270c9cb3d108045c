/* merge.c — profile merging with value scaling. Records of src are copied
 * (not deduplicated): reports name frames by their strings, so equal
 * functions from two profiles meet in the same report row anyway. */
#include "config.h"
#include "profile/merge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t ms_profile_match_types(const ms_profile *dst, const ms_profile *src, int *map)
{
	size_t matched = 0;
	for (size_t t = 0; t < src->ntypes; t++) {
		map[t] = -1;
		const char *name = ms_profile_string(src, src->types[t].type);
		for (size_t d = 0; d < dst->ntypes; d++)
			if (strcmp(name, ms_profile_string(dst, dst->types[d].type)) == 0) {
				map[t] = (int)d;
				matched++;
				break;
			}
	}
	return matched;
}

static uint32_t restr(ms_profile *dst, const ms_profile *src, uint32_t id)
{
	return ms_profile_strn(dst, src->strings.str[id], src->strings.len[id]);
}

int ms_profile_merge(ms_profile *dst, const ms_profile *src, double scale, ms_err *err)
{
	int *map = ms_xcalloc(src->ntypes ? src->ntypes : 1, sizeof *map);
	if (ms_profile_match_types(dst, src, map) == 0) {
		free(map);
		return ms_seterr(err, "the profiles have no sample type in common");
	}
	uint32_t fbase = (uint32_t)dst->nfunctions, mbase = (uint32_t)dst->nmappings;
	uint32_t lbase = (uint32_t)dst->nlocations;
	for (size_t i = 0; i < src->nmappings; i++) {
		ms_mapping m = src->mappings[i];
		m.id = 0;
		m.filename = restr(dst, src, m.filename);
		m.build_id = restr(dst, src, m.build_id);
		ms_profile_add_mapping(dst, &m);
	}
	for (size_t i = 0; i < src->nfunctions; i++) {
		ms_function f = src->functions[i];
		f.id = 0;
		f.name = restr(dst, src, f.name);
		f.system_name = restr(dst, src, f.system_name);
		f.filename = restr(dst, src, f.filename);
		ms_profile_add_function(dst, &f);
	}
	ms_line *lines = NULL;
	size_t lines_cap = 0;
	for (size_t i = 0; i < src->nlocations; i++) {
		ms_location l = src->locations[i];
		if (l.nlines > lines_cap) {
			lines_cap = l.nlines;
			lines = ms_xreallocarray(lines, lines_cap, sizeof *lines);
		}
		for (uint32_t k = 0; k < l.nlines; k++) {
			lines[k] = src->lines[l.line_off + k];
			lines[k].function += fbase;
		}
		l.id = 0;
		if (l.mapping != MS_NONE)
			l.mapping += mbase;
		ms_profile_add_location(dst, &l, lines, l.nlines);
	}
	free(lines);
	/* ids of dst's own records may collide with the copies' positions:
	 * give every record a fresh id by position. */
	for (size_t i = 0; i < dst->nlocations; i++)
		dst->locations[i].id = i + 1;
	for (size_t i = 0; i < dst->nfunctions; i++)
		dst->functions[i].id = i + 1;
	for (size_t i = 0; i < dst->nmappings; i++)
		dst->mappings[i].id = i + 1;

	int64_t *values = ms_xcalloc(dst->ntypes, sizeof *values);
	uint32_t *stack = NULL;
	size_t stack_cap = 0;
	ms_label *labels = NULL;
	size_t labels_cap = 0;
	for (size_t i = 0; i < src->nsamples; i++) {
		const ms_sample *s = &src->samples[i];
		memset(values, 0, dst->ntypes * sizeof *values);
		for (size_t t = 0; t < src->ntypes; t++)
			if (map[t] >= 0)
				values[map[t]] = (int64_t)llround((double)src->values[i * src->ntypes + t] * scale);
		if (s->depth > stack_cap) {
			stack_cap = s->depth;
			stack = ms_xreallocarray(stack, stack_cap, sizeof *stack);
		}
		for (uint32_t k = 0; k < s->depth; k++)
			stack[k] = src->stack[s->stack_off + k] + lbase;
		if (s->nlabels > labels_cap) {
			labels_cap = s->nlabels;
			labels = ms_xreallocarray(labels, labels_cap, sizeof *labels);
		}
		for (uint32_t k = 0; k < s->nlabels; k++) {
			ms_label lb = src->labels[s->label_off + k];
			lb.key = restr(dst, src, lb.key);
			lb.str = restr(dst, src, lb.str);
			lb.num_unit = restr(dst, src, lb.num_unit);
			labels[k] = lb;
		}
		ms_profile_add_sample(dst, stack, s->depth, values, labels, s->nlabels);
	}
	free(values);
	free(stack);
	free(labels);
	free(map);
	return 0;
}

ms_profile *ms_profile_copy(const ms_profile *src)
{
	ms_profile *p = ms_profile_new();
	for (size_t t = 0; t < src->ntypes; t++)
		ms_profile_add_type(p, ms_profile_string(src, src->types[t].type),
			ms_profile_string(src, src->types[t].unit));
	p->period_type.type = ms_profile_str(p, ms_profile_string(src, src->period_type.type));
	p->period_type.unit = ms_profile_str(p, ms_profile_string(src, src->period_type.unit));
	p->period = src->period;
	p->time_nanos = src->time_nanos;
	p->duration_nanos = src->duration_nanos;
	p->default_type = ms_profile_str(p, ms_profile_string(src, src->default_type));
	p->comments = ms_xcalloc(src->ncomments ? src->ncomments : 1, sizeof *p->comments);
	for (size_t i = 0; i < src->ncomments; i++)
		p->comments[i] = ms_profile_str(p, ms_profile_string(src, src->comments[i]));
	p->ncomments = src->ncomments;
	if (ms_profile_merge(p, src, 1.0, NULL) < 0 && src->ntypes) {
		ms_profile_free(p);
		return NULL;
	}
	return p;
}

void ms_profile_scale_to(ms_profile *p, const ms_profile *base)
{
	int *map = ms_xcalloc(base->ntypes ? base->ntypes : 1, sizeof *map);
	ms_profile_match_types(p, base, map);
	double *ratio = ms_xcalloc(p->ntypes, sizeof *ratio);
	for (size_t t = 0; t < p->ntypes; t++)
		ratio[t] = 1;
	for (size_t t = 0; t < base->ntypes; t++) {
		if (map[t] < 0)
			continue;
		int64_t src = ms_profile_total(p, (size_t)map[t]);
		ratio[map[t]] = src ? (double)ms_profile_total(base, t) / (double)src : 0.0;
	}
	for (size_t i = 0; i < p->nsamples; i++)
		for (size_t t = 0; t < p->ntypes; t++)
			if (ratio[t] != 1)
				p->values[i * p->ntypes + t] = (int64_t)llround((double)p->values[i * p->ntypes + t] * ratio[t]);
	free(ratio);
	free(map);
}
