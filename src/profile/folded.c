/* folded.c — folded stacks ("a;b;c 42", or "a;b;c 40 42") -> ms_profile.
 *
 * Lines are found with memchr and parsed in place. Frame names are interned
 * in the profile's string table, whose dense ids index a table of
 * locations, so a frame seen before costs one hash lookup. Stacks (leaf
 * first, as the model keeps them) are merged with identical ones through a
 * hash table, so a file listing a stack twice yields one sample with the
 * sum: totals are preserved exactly. */
#include "config.h"
#include "profile/folded.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/stackset.h"
#include "util/strtab.h"

static inline bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

typedef struct fvalues {
	int64_t v[2];
} fvalues;

typedef struct folded_reader {
	ms_profile *p;
	uint32_t *name_loc; /* string id -> location, MS_NONE = not yet */
	size_t name_loc_cap;
	uint32_t *cur;
	size_t ncur, cur_cap;
	ms_stackset stacks;
	fvalues *vals; /* per distinct stack */
	size_t vals_cap;
	int ncols; /* 0 until the first valid line */
	unsigned long long bad, first_bad;
	const char *first_bad_why;
	bool overflow;
	unsigned long long overflow_line;
} folded_reader;


/* Parses the trailing count of s[0..*n): "<blank><digits>" at the end.
 * On success shortens *n to the text before the blank(s). */
static int trailing_count(const char *s, size_t *n, int64_t *out, const char **why)
{
	size_t e = *n, i = e;
	while (i > 0 && is_digit((unsigned char)s[i - 1]))
		i--;
	if (i == e) {
		*why = "no count at the end of the line";
		return -1;
	}
	if (i == 0 || !is_blank((unsigned char)s[i - 1])) {
		*why = i > 0 && (s[i - 1] == '.' || s[i - 1] == '-') ? "the count is not a non-negative integer"
								      : "no count at the end of the line";
		return -1;
	}
	if (e - i > 18) {
		*why = "count out of range";
		return -1;
	}
	int64_t v = 0;
	for (size_t k = i; k < e; k++)
		v = v * 10 + (s[k] - '0');
	while (i > 0 && is_blank((unsigned char)s[i - 1]))
		i--;
	*n = i;
	*out = v;
	return 0;
}

static void bad_line(folded_reader *r, unsigned long long lineno, const char *why)
{
	if (r->bad++ == 0) {
		r->first_bad = lineno;
		r->first_bad_why = why;
	}
}

static uint32_t frame_location(folded_reader *r, const char *name, size_t n)
{
	uint32_t id = ms_profile_strn(r->p, name, n);
	if (id >= r->name_loc_cap) {
		size_t cap = r->name_loc_cap ? r->name_loc_cap * 2 : 1024;
		while (cap <= id)
			cap *= 2;
		r->name_loc = ms_xreallocarray(r->name_loc, cap, sizeof *r->name_loc);
		for (size_t i = r->name_loc_cap; i < cap; i++)
			r->name_loc[i] = MS_NONE;
		r->name_loc_cap = cap;
	}
	if (r->name_loc[id] == MS_NONE) {
		uint32_t fn = ms_profile_intern_function(r->p, id, 0);
		r->name_loc[id] = ms_profile_intern_frame(r->p, fn, 0);
	}
	return r->name_loc[id];
}

static void add_stack(folded_reader *r, const int64_t *v, unsigned long long lineno)
{
	int added;
	size_t k = ms_stackset_intern(&r->stacks, r->cur, r->ncur, &added);
	if (added) {
		MS_GROW(r->vals, k, r->vals_cap, 1);
		r->vals[k] = (fvalues){ { v[0], r->ncols == 2 ? v[1] : 0 } };
		return;
	}
	fvalues *s = &r->vals[k];
	for (int c = 0; c < r->ncols; c++)
		if (__builtin_add_overflow(s->v[c], v[c], &s->v[c]) && !r->overflow) {
			r->overflow = true;
			r->overflow_line = lineno;
		}
}

static void parse_line(folded_reader *r, const char *s, size_t n, unsigned long long lineno)
{
	const char *why;
	int64_t v[2] = { 0, 0 };
	size_t stack_n = n;
	if (memchr(s, '\0', n)) {
		bad_line(r, lineno, "binary data");
		return;
	}
	if (trailing_count(s, &stack_n, &v[1], &why) < 0) {
		bad_line(r, lineno, why);
		return;
	}
	if (r->ncols == 0) {
		/* the first valid line decides: a second count makes the file
		 * differential (base new) */
		size_t m = stack_n;
		int64_t first;
		r->ncols = trailing_count(s, &m, &first, &why) == 0 && m > 0 ? 2 : 1;
	}
	if (r->ncols == 2) {
		if (trailing_count(s, &stack_n, &v[0], &why) < 0) {
			bad_line(r, lineno, "a differential file needs two counts on every line");
			return;
		}
	} else {
		v[0] = v[1];
	}
	if (stack_n == 0) {
		bad_line(r, lineno, "no frames before the count");
		return;
	}
	/* frames root first -> the model's leaf-first order */
	r->ncur = 0;
	const char *f = s, *end = s + stack_n;
	for (;;) {
		const char *semi = memchr(f, ';', (size_t)(end - f));
		const char *fe = semi ? semi : end;
		MS_GROW(r->cur, r->ncur, r->cur_cap, 1);
		r->cur[r->ncur++] = frame_location(r, f, (size_t)(fe - f));
		if (!semi)
			break;
		f = semi + 1;
	}
	for (size_t i = 0, j = r->ncur - 1; i < j; i++, j--) {
		uint32_t t = r->cur[i];
		r->cur[i] = r->cur[j];
		r->cur[j] = t;
	}
	add_stack(r, v, lineno);
}

static void reader_free(folded_reader *r)
{
	free(r->name_loc);
	free(r->cur);
	ms_stackset_free(&r->stacks);
	free(r->vals);
}

ms_profile *ms_folded_parse(const char *data, size_t n, const ms_load_opts *opts, ms_err *err)
{
	folded_reader r;
	memset(&r, 0, sizeof r);
	r.p = ms_profile_new();
	const char *s = data, *end = data + n;
	unsigned long long lineno = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		lineno++;
		size_t len = (size_t)(e - s);
		while (len > 0 && is_blank((unsigned char)s[len - 1]))
			len--;
		if (len > 0 && s[0] != '#')
			parse_line(&r, s, len, lineno);
		s = nl ? nl + 1 : end;
	}

	ms_profile *p = r.p;
	if (r.overflow) {
		ms_seterr(err, "counts overflow 64 bits (at line %llu)", r.overflow_line);
		goto fail;
	}
	if (r.stacks.n == 0) {
		if (r.bad)
			ms_seterr(err, "no stacks: %llu line%s not in folded format (first at line %llu: %s)", r.bad,
				r.bad == 1 ? "" : "s", r.first_bad, r.first_bad_why);
		else
			ms_seterr(err, "no stacks in folded input");
		goto fail;
	}
	if (r.ncols == 2) {
		ms_profile_add_type(p, "base", "count");
		ms_profile_add_type(p, "new", "count");
	} else {
		ms_profile_add_type(p, "samples", "count");
	}
	for (size_t i = 0; i < r.stacks.n; i++) {
		size_t depth;
		const uint32_t *ids = ms_stackset_get(&r.stacks, i, &depth);
		ms_profile_add_sample(p, ids, depth, r.vals[i].v, NULL, 0);
	}
	if (r.bad && opts && opts->warnings)
		ms_buf_addf(opts->warnings, "skipped %llu malformed line%s (first at line %llu: %s)\n", r.bad,
			r.bad == 1 ? "" : "s", r.first_bad, r.first_bad_why);
	reader_free(&r);
	if (ms_profile_validate(p, err) < 0) {
		ms_profile_free(p);
		return NULL;
	}
	return p;
fail:
	reader_free(&r);
	ms_profile_free(p);
	return NULL;
}

int ms_folded_sniff(const char *data, size_t n)
{
	const char *s = data, *end = data + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		size_t len = (size_t)(e - s);
		while (len > 0 && is_blank((unsigned char)s[len - 1]))
			len--;
		if (len > 0 && s[0] != '#') {
			if (is_blank((unsigned char)s[0]))
				return 0;
			for (size_t i = 0; i < len; i++) /* text only: binary has control bytes */
				if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
					return 0;
			/* "STACK COUNT": the count may be out of range or negative
			 * (the reader skips and reports such a line), so only its
			 * shape is checked here: [-+]digits[.digits] after a blank */
			size_t i = len, digits = 0;
			while (i > 0 && (is_digit((unsigned char)s[i - 1]) || s[i - 1] == '.'))
				digits += is_digit((unsigned char)s[--i]) != 0;
			if (i > 0 && (s[i - 1] == '-' || s[i - 1] == '+'))
				i--;
			if (digits == 0 || i == 0 || !is_blank((unsigned char)s[i - 1]))
				return 0;
			while (i > 0 && is_blank((unsigned char)s[i - 1]))
				i--;
			return i > 0;
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}

int ms_folded_is_differential(const ms_profile *p)
{
	return p->ntypes == 2 && strcmp(ms_profile_string(p, p->types[0].type), "base") == 0 &&
	       strcmp(ms_profile_string(p, p->types[1].type), "new") == 0;
}
