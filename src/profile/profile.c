/* profile.c — building, validating and querying the profile model. */
#include "profile/profile.h"
#include "util/pairmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ms_profile_index {
	ms_pairmap functions; /* (name, filename) -> function index */
	ms_pairmap frames;    /* (function, line) -> location index */
};


ms_profile *ms_profile_new(void)
{
	ms_profile *p = ms_xcalloc(1, sizeof *p);
	ms_strtab_init(&p->strings);
	return p;
}

void ms_profile_free(ms_profile *p)
{
	if (!p)
		return;
	ms_strtab_free(&p->strings);
	free(p->types);
	free(p->samples);
	free(p->values);
	free(p->stack);
	free(p->labels);
	free(p->locations);
	free(p->lines);
	free(p->functions);
	free(p->mappings);
	free(p->comments);
	if (p->index) {
		ms_pairmap_free(&p->index->functions);
		ms_pairmap_free(&p->index->frames);
		free(p->index);
	}
	free(p);
}

uint32_t ms_profile_str(ms_profile *p, const char *s) { return ms_strtab_intern0(&p->strings, s); }

uint32_t ms_profile_strn(ms_profile *p, const char *s, size_t n)
{
	return ms_strtab_intern(&p->strings, s, n);
}

size_t ms_profile_add_type(ms_profile *p, const char *type, const char *unit)
{
	p->types = ms_xreallocarray(p->types, p->ntypes + 1, sizeof *p->types);
	p->types[p->ntypes].type = ms_profile_str(p, type);
	p->types[p->ntypes].unit = ms_profile_str(p, unit);
	return p->ntypes++;
}

uint32_t ms_profile_add_function(ms_profile *p, const ms_function *f)
{
	MS_GROW(p->functions, p->nfunctions, p->functions_cap, 1);
	p->functions[p->nfunctions] = *f;
	return (uint32_t)p->nfunctions++;
}

uint32_t ms_profile_add_mapping(ms_profile *p, const ms_mapping *m)
{
	MS_GROW(p->mappings, p->nmappings, p->mappings_cap, 1);
	p->mappings[p->nmappings] = *m;
	return (uint32_t)p->nmappings++;
}

uint32_t ms_profile_add_location(ms_profile *p, const ms_location *loc, const ms_line *lines, size_t nlines)
{
	MS_GROW(p->locations, p->nlocations, p->locations_cap, 1);
	MS_GROW(p->lines, p->nlines, p->lines_cap, nlines);
	ms_location *l = &p->locations[p->nlocations];
	*l = *loc;
	l->line_off = p->nlines;
	l->nlines = (uint32_t)nlines;
	if (nlines)
		memcpy(p->lines + p->nlines, lines, nlines * sizeof *lines);
	p->nlines += nlines;
	return (uint32_t)p->nlocations++;
}

static struct ms_profile_index *index_of(ms_profile *p)
{
	if (!p->index) {
		p->index = ms_xcalloc(1, sizeof *p->index);
		ms_pairmap_init(&p->index->functions, 1024);
		ms_pairmap_init(&p->index->frames, 1024);
	}
	return p->index;
}

uint32_t ms_profile_intern_function(ms_profile *p, uint32_t name, uint32_t filename)
{
	struct ms_profile_index *ix = index_of(p);
	uint32_t f = ms_pairmap_get(&ix->functions, name, filename);
	if (f != UINT32_MAX)
		return f;
	ms_function fn = { 0, name, name, filename, 0 };
	f = ms_profile_add_function(p, &fn);
	ms_pairmap_put(&ix->functions, name, filename, f);
	return f;
}

uint32_t ms_profile_intern_frame(ms_profile *p, uint32_t function, int64_t line)
{
	struct ms_profile_index *ix = index_of(p);
	uint32_t l = ms_pairmap_get(&ix->frames, function, (uint64_t)line);
	if (l != UINT32_MAX)
		return l;
	ms_location loc = { 0 };
	loc.mapping = MS_NONE;
	ms_line ln = { function, line, 0 };
	l = ms_profile_add_location(p, &loc, &ln, 1);
	ms_pairmap_put(&ix->frames, function, (uint64_t)line, l);
	return l;
}

void ms_profile_add_sample(ms_profile *p, const uint32_t *stack, size_t depth, const int64_t *values,
	const ms_label *labels, size_t nlabels)
{
	if (p->nsamples == p->samples_cap) {
		size_t cap = p->samples_cap ? p->samples_cap * 2 : 64;
		p->samples = ms_xreallocarray(p->samples, cap, sizeof *p->samples);
		p->values = ms_xreallocarray(p->values, cap, (p->ntypes ? p->ntypes : 1) * sizeof *p->values);
		p->samples_cap = cap;
	}
	MS_GROW(p->stack, p->nstack, p->stack_cap, depth);
	MS_GROW(p->labels, p->nlabels, p->labels_cap, nlabels);
	ms_sample *s = &p->samples[p->nsamples];
	s->stack_off = p->nstack;
	s->depth = (uint32_t)depth;
	s->label_off = p->nlabels;
	s->nlabels = (uint32_t)nlabels;
	if (depth)
		memcpy(p->stack + p->nstack, stack, depth * sizeof *stack);
	p->nstack += depth;
	if (nlabels)
		memcpy(p->labels + p->nlabels, labels, nlabels * sizeof *labels);
	p->nlabels += nlabels;
	if (p->ntypes)
		memcpy(p->values + p->nsamples * p->ntypes, values, p->ntypes * sizeof *values);
	p->nsamples++;
}

void ms_profile_assign_ids(ms_profile *p)
{
	for (size_t i = 0; i < p->nlocations; i++)
		if (!p->locations[i].id)
			p->locations[i].id = i + 1;
	for (size_t i = 0; i < p->nfunctions; i++)
		if (!p->functions[i].id)
			p->functions[i].id = i + 1;
	for (size_t i = 0; i < p->nmappings; i++)
		if (!p->mappings[i].id)
			p->mappings[i].id = i + 1;
}

int ms_profile_sample_index(const ms_profile *p, const char *arg, ms_err *err)
{
	if (p->ntypes == 0)
		return ms_seterr(err, "profile has no sample types");
	if (!arg) {
		if (p->default_type)
			for (size_t i = 0; i < p->ntypes; i++)
				if (p->types[i].type == p->default_type)
					return (int)i;
		return (int)p->ntypes - 1;
	}
	char *end;
	errno = 0;
	long n = strtol(arg, &end, 10);
	if (!errno && end != arg && *end == '\0') {
		if (n < 0 || (size_t)n >= p->ntypes)
			return ms_seterr(err, "sample index %ld out of range (profile has %zu sample types)", n, p->ntypes);
		return (int)n;
	}
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(ms_profile_string(p, p->types[i].type), arg) == 0)
			return (int)i;
	/* pprof also accepts the legacy "sample_index=inuse" style names */
	char buf[256] = "";
	for (size_t i = 0; i < p->ntypes; i++) {
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%s%s", i ? ", " : "", ms_profile_string(p, p->types[i].type));
	}
	return ms_seterr(err, "no sample type '%s' (the profile has: %s)", arg, buf);
}

int64_t ms_profile_total(const ms_profile *p, size_t t)
{
	int64_t sum = 0;
	for (size_t i = 0; i < p->nsamples; i++)
		sum += p->values[i * p->ntypes + t];
	return sum;
}

int ms_profile_validate(const ms_profile *p, ms_err *err)
{
	uint32_t nstr = p->strings.n;
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		if (s->stack_off + s->depth > p->nstack)
			return ms_seterr(err, "sample %zu: stack out of range", i);
		for (uint32_t k = 0; k < s->depth; k++)
			if (p->stack[s->stack_off + k] >= p->nlocations)
				return ms_seterr(err, "sample %zu: location index out of range", i);
	}
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *l = &p->locations[i];
		if (l->mapping != MS_NONE && l->mapping >= p->nmappings)
			return ms_seterr(err, "location %zu: mapping out of range", i);
		if (l->line_off + l->nlines > p->nlines)
			return ms_seterr(err, "location %zu: lines out of range", i);
		for (uint32_t k = 0; k < l->nlines; k++)
			if (p->lines[l->line_off + k].function >= p->nfunctions)
				return ms_seterr(err, "location %zu: function out of range", i);
	}
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ms_function *f = &p->functions[i];
		if (f->name >= nstr || f->system_name >= nstr || f->filename >= nstr)
			return ms_seterr(err, "function %zu: string out of range", i);
	}
	for (size_t i = 0; i < p->ntypes; i++)
		if (p->types[i].type >= nstr || p->types[i].unit >= nstr)
			return ms_seterr(err, "sample type %zu: string out of range", i);
	return 0;
}
