/* profile.h — memscope's one profile model.
 *
 * Every reader (pprof, perf script, folded stacks, the runtime's trace)
 * produces an ms_profile and every command consumes one. The model mirrors
 * pprof's (sample types, samples with stacks and values, locations with
 * inlined lines, functions, mappings, interned strings) but stores
 * references as dense 0-based indexes instead of ids, and keeps samples'
 * stacks and values in flat arrays so a 400k-sample profile is a few large
 * allocations rather than millions of small ones.
 *
 * Glossary
 *   string id   index into p->strings (0 is "")
 *   location    a program counter: mapping, address, and its lines; lines[0]
 *               is the innermost inlined function, the last the caller
 *   stack       a sample's location indexes, leaf first (as in pprof)
 *   value       one int64 per sample type; sample i's values are
 *               p->values[i * p->ntypes .. + p->ntypes)
 */
#ifndef MS_PROFILE_H
#define MS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/strtab.h"

#define MS_NONE UINT32_MAX /* "no index" */

typedef struct ms_value_type {
	uint32_t type; /* string id, e.g. "inuse_space" */
	uint32_t unit; /* string id, e.g. "bytes" */
} ms_value_type;

typedef struct ms_line {
	uint32_t function; /* index into functions */
	int64_t line;
	int64_t column;
} ms_line;

typedef struct ms_location {
	uint64_t id;       /* pprof id (kept for writing and for --granularity addresses) */
	uint32_t mapping;  /* index into mappings, MS_NONE when unknown */
	uint32_t nlines;
	uint64_t line_off; /* first line in p->lines */
	uint64_t address;
	bool is_folded;
} ms_location;

typedef struct ms_function {
	uint64_t id;
	uint32_t name;        /* string ids */
	uint32_t system_name;
	uint32_t filename;
	int64_t start_line;
} ms_function;

typedef struct ms_mapping {
	uint64_t id;
	uint64_t start, limit, offset;
	uint32_t filename, build_id; /* string ids */
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
} ms_mapping;

typedef struct ms_label {
	uint32_t key;      /* string id */
	uint32_t str;      /* string id, 0 for numeric labels */
	int64_t num;
	uint32_t num_unit; /* string id */
} ms_label;

typedef struct ms_sample {
	uint64_t stack_off; /* first location index in p->stack */
	uint32_t depth;     /* number of locations, leaf first */
	uint32_t nlabels;
	uint64_t label_off; /* first label in p->labels */
} ms_sample;

typedef struct ms_profile {
	ms_strtab strings;

	ms_value_type *types;
	size_t ntypes;

	ms_sample *samples;
	size_t nsamples, samples_cap;
	int64_t *values; /* nsamples * ntypes */
	uint32_t *stack; /* location indexes of all samples */
	size_t nstack, stack_cap;
	ms_label *labels;
	size_t nlabels, labels_cap;

	ms_location *locations;
	size_t nlocations, locations_cap;
	ms_line *lines;
	size_t nlines, lines_cap;
	ms_function *functions;
	size_t nfunctions, functions_cap;
	ms_mapping *mappings;
	size_t nmappings, mappings_cap;

	ms_value_type period_type; /* {0,0} when absent */
	int64_t period;
	int64_t time_nanos;
	int64_t duration_nanos;
	uint32_t default_type; /* string id of a type name, 0 when unset */
	uint32_t drop_frames, keep_frames, doc_url; /* string ids */
	uint32_t *comments;    /* string ids */
	size_t ncomments;

	/* Builder indexes (lazily created by the ms_profile_intern_* calls). */
	struct ms_profile_index *index;
} ms_profile;

/* ---- lifecycle ---------------------------------------------------------- */
ms_profile *ms_profile_new(void);
void ms_profile_free(ms_profile *p);

/* ---- building (used by readers) ----------------------------------------- */
uint32_t ms_profile_str(ms_profile *p, const char *s);            /* intern */
uint32_t ms_profile_strn(ms_profile *p, const char *s, size_t n);
static inline const char *ms_profile_string(const ms_profile *p, uint32_t id)
{
	return p->strings.str[id];
}
size_t ms_profile_add_type(ms_profile *p, const char *type, const char *unit);

/* Appends records; return the new index. */
uint32_t ms_profile_add_function(ms_profile *p, const ms_function *f);
uint32_t ms_profile_add_mapping(ms_profile *p, const ms_mapping *m);
uint32_t ms_profile_add_location(ms_profile *p, const ms_location *loc, const ms_line *lines, size_t nlines);

/* Get-or-create helpers for readers of symbolic stacks (folded, perf):
 * one function per (name, filename), one location per (function, line). */
uint32_t ms_profile_intern_function(ms_profile *p, uint32_t name, uint32_t filename);
uint32_t ms_profile_intern_frame(ms_profile *p, uint32_t function, int64_t line);

/* Appends a sample. stack is leaf first; values has p->ntypes entries. */
void ms_profile_add_sample(ms_profile *p, const uint32_t *stack, size_t depth, const int64_t *values,
	const ms_label *labels, size_t nlabels);

/* Assigns pprof ids 1..N to locations/functions/mappings that have id 0. */
void ms_profile_assign_ids(ms_profile *p);

/* ---- reading ------------------------------------------------------------ */
static inline const int64_t *ms_sample_values(const ms_profile *p, size_t i)
{
	return p->values + i * p->ntypes;
}
static inline const uint32_t *ms_sample_stack(const ms_profile *p, size_t i)
{
	return p->stack + p->samples[i].stack_off;
}

/* Resolves a --sample-index argument (a type name or a number; NULL for
 * pprof's default rule: default_sample_type when it names a type, else the
 * last type). Returns the index or -1 with err set. */
int ms_profile_sample_index(const ms_profile *p, const char *arg, ms_err *err);

/* Sum of a sample type's values over all samples. */
int64_t ms_profile_total(const ms_profile *p, size_t type_index);

/* Checks every internal reference; readers call it last. */
int ms_profile_validate(const ms_profile *p, ms_err *err);

#endif
