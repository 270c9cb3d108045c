/* combine.c — pprof's merging of several inputs (API in combine.h).
 *
 * What `go tool pprof A B` does (internal/driver/fetch.go combineProfiles,
 * profile/merge.go, internal/measurement ScaleProfiles), and so this file:
 *   1. ScaleProfiles: the profiles must have as many sample types; the i-th
 *      types must have the same name (up to a trailing 's') and units of one
 *      family (bytes, kB, ...; ns, us, ...), and so must the period types.
 *      Values are converted to the finest unit:  v' = round(v × f_from / f_to).
 *   2. Merge refuses profiles whose sample types or period types then differ
 *      in name or unit.
 *   3. Headers: time = earliest (a zero time yields to the next), duration =
 *      sum, period = largest, comments deduplicated in order, the first
 *      non-empty default sample type.
 *   4. Compaction: a sample's key is its locations' keys (mapping by build
 *      id or file, rounded size and offset; address relative to the
 *      mapping's start; each line's function (name, system name, file,
 *      start line) and line; the folded flag) and its labels; samples with
 *      equal keys become one, values summed, in order of first appearance;
 *      samples whose values are all zero are dropped.
 * -base is step 1-4 with the base scaled by −1 first, so equal stacks
 * cancel and vanish.
 */
#include "config.h"
#include "profile/combine.h"
#include "profile/merge.h"
#include "util/pairmap.h"
#include "util/stackset.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- units (measurement.go's unit tables) ------------------------------- */

typedef struct unit_alias {
	const char *alias;
	int family;
	double factor;
} unit_alias;

static const unit_alias units[] = {
	{ "b", 1, 1 }, { "byte", 1, 1 }, { "kb", 1, 1024.0 }, { "kbyte", 1, 1024.0 }, { "kilobyte", 1, 1024.0 },
	{ "mb", 1, 1048576.0 }, { "mbyte", 1, 1048576.0 }, { "megabyte", 1, 1048576.0 },
	{ "gb", 1, 1073741824.0 }, { "gbyte", 1, 1073741824.0 }, { "gigabyte", 1, 1073741824.0 },
	{ "tb", 1, 1099511627776.0 }, { "tbyte", 1, 1099511627776.0 }, { "terabyte", 1, 1099511627776.0 },
	{ "pb", 1, 1125899906842624.0 }, { "pbyte", 1, 1125899906842624.0 }, { "petabyte", 1, 1125899906842624.0 },
	{ "ns", 2, 1 }, { "nanosecond", 2, 1 }, { "us", 2, 1e3 }, { "\xce\xbcs", 2, 1e3 }, { "microsecond", 2, 1e3 },
	{ "ms", 2, 1e6 }, { "millisecond", 2, 1e6 }, { "s", 2, 1e9 }, { "sec", 2, 1e9 }, { "second", 2, 1e9 },
	{ "hour", 2, 3.6e12 }, { "hr", 2, 3.6e12 },
};

/* measurement's sniffUnit: lower case, a trailing 's' dropped past 2 chars. */
static const unit_alias *sniff_unit(const char *unit)
{
	char u[32];
	size_t n = strlen(unit);
	if (n >= sizeof u)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		u[i] = (char)tolower((unsigned char)unit[i]);
	if (n > 2 && u[n - 1] == 's')
		u[n - 1] = '\0';
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(units[i].alias, u) == 0)
			return &units[i];
	return NULL;
}

static bool same_name(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na && a[na - 1] == 's')
		na--;
	if (nb && b[nb - 1] == 's')
		nb--;
	return na == nb && memcmp(a, b, na) == 0;
}

/* ScaleProfiles' compatibleValueTypes, then Merge's exact equality once the
 * units are made common: 1 = equal, 2 = equal after a unit change, 0 = no. */
static int compatible(const char *ta, const char *ua, const char *tb, const char *ub)
{
	if (!same_name(ta, tb) || strcmp(ta, tb) != 0)
		return 0;
	if (strcmp(ua, ub) == 0)
		return 1;
	const unit_alias *a = sniff_unit(ua), *b = sniff_unit(ub);
	return a && b && a->family == b->family ? 2 : 0;
}

static void type_list(char *out, size_t n, const ms_profile *p)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t t = 0; t < p->ntypes && k + 1 < n; t++) {
		int w = snprintf(out + k, n - k, "%s%s/%s", t ? " " : "", ms_profile_string(p, p->types[t].type),
			ms_profile_string(p, p->types[t].unit));
		if (w < 0)
			break;
		k += (size_t)w;
	}
}

/* Multiplies sample type t of p by r (math.Round like Go). */
static void scale_type(ms_profile *p, size_t t, double r)
{
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t *v = &p->values[i * p->ntypes + t];
		*v = (int64_t)llround((double)*v * r);
	}
}

/* Converts whichever of (a's, b's) type t has the coarser unit to the finer. */
static void common_unit(ms_profile *a, ms_profile *b, size_t t)
{
	const char *ua = ms_profile_string(a, a->types[t].unit), *ub = ms_profile_string(b, b->types[t].unit);
	if (strcmp(ua, ub) == 0)
		return;
	const unit_alias *fa = sniff_unit(ua), *fb = sniff_unit(ub);
	if (fb->factor < fa->factor) {
		scale_type(a, t, fa->factor / fb->factor);
		a->types[t].unit = ms_profile_str(a, ub);
	} else {
		scale_type(b, t, fb->factor / fa->factor);
		b->types[t].unit = ms_profile_str(b, ua);
	}
}

int ms_profile_combine(ms_profile *dst, ms_profile *src, double scale, ms_err *err)
{
	char a[512], b[512];
	bool need_units = false;
	if (dst->ntypes != src->ntypes)
		goto types;
	for (size_t t = 0; t < dst->ntypes; t++) {
		int c = compatible(ms_profile_string(dst, dst->types[t].type), ms_profile_string(dst, dst->types[t].unit),
			ms_profile_string(src, src->types[t].type), ms_profile_string(src, src->types[t].unit));
		if (!c)
			goto types;
		need_units |= c == 2;
	}
	const char *pt_a = ms_profile_string(dst, dst->period_type.type);
	const char *pt_b = ms_profile_string(src, src->period_type.type);
	const char *pu_a = ms_profile_string(dst, dst->period_type.unit);
	const char *pu_b = ms_profile_string(src, src->period_type.unit);
	int pc = compatible(pt_a, pu_a, pt_b, pu_b);
	if (!pc)
		return ms_seterr(err, "cannot merge: period types %s/%s and %s/%s differ", pt_a, pu_a, pt_b, pu_b);
	if (pc == 2) {
		/* the period follows its unit, like the values */
		const unit_alias *fa = sniff_unit(pu_a), *fb = sniff_unit(pu_b);
		if (fb->factor < fa->factor) {
			dst->period = (int64_t)((double)dst->period * fa->factor / fb->factor);
			dst->period_type.unit = ms_profile_str(dst, pu_b);
		} else {
			src->period = (int64_t)((double)src->period * fb->factor / fa->factor);
			src->period_type.unit = ms_profile_str(src, pu_a);
		}
	}
	if (need_units)
		for (size_t t = 0; t < dst->ntypes; t++)
			common_unit(dst, src, t);
	if (scale != 1)
		for (size_t t = 0; t < src->ntypes; t++)
			scale_type(src, t, scale);

	/* headers */
	if (dst->time_nanos == 0 || src->time_nanos < dst->time_nanos)
		dst->time_nanos = src->time_nanos;
	dst->duration_nanos += src->duration_nanos;
	if (dst->period == 0 || dst->period < src->period)
		dst->period = src->period;
	for (size_t i = 0; i < src->ncomments; i++) {
		uint32_t c = ms_profile_str(dst, ms_profile_string(src, src->comments[i]));
		bool seen = false;
		for (size_t k = 0; k < dst->ncomments && !seen; k++)
			seen = dst->comments[k] == c;
		if (!seen) {
			dst->comments = ms_xreallocarray(dst->comments, dst->ncomments + 1, sizeof *dst->comments);
			dst->comments[dst->ncomments++] = c;
		}
	}
	if (dst->default_type == 0 && src->default_type != 0)
		dst->default_type = ms_profile_str(dst, ms_profile_string(src, src->default_type));
	return ms_profile_merge(dst, src, 1.0, err);
types:
	type_list(a, sizeof a, dst);
	type_list(b, sizeof b, src);
	return ms_seterr(err, "cannot merge: sample types %s and %s differ", a, b);
}

/* ---- compaction ---------------------------------------------------------- */

static uint32_t lo32(int64_t v) { return (uint32_t)((uint64_t)v & 0xffffffffu); }
static uint32_t hi32(int64_t v) { return (uint32_t)((uint64_t)v >> 32); }

/* Record i's canonical index: the first record whose key equals its key
 * (first[] maps the set's keys to those records). */
static uint32_t canon_of(ms_stackset *set, uint32_t *first, const uint32_t *key, size_t n, size_t i)
{
	int added = 0;
	size_t k = ms_stackset_intern(set, key, n, &added);
	if (added)
		first[k] = (uint32_t)i;
	return first[k];
}

static uint32_t *canon_functions(const ms_profile *p)
{
	ms_stackset set = MS_STACKSET_INIT;
	uint32_t *first = ms_xcalloc(p->nfunctions ? p->nfunctions : 1, sizeof *first);
	uint32_t *canon = ms_xcalloc(p->nfunctions ? p->nfunctions : 1, sizeof *canon);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ms_function *f = &p->functions[i];
		uint32_t key[5] = { f->name, f->system_name, f->filename, lo32(f->start_line), hi32(f->start_line) };
		canon[i] = canon_of(&set, first, key, 5, i);
	}
	free(first);
	ms_stackset_free(&set);
	return canon;
}

static uint32_t *canon_mappings(const ms_profile *p)
{
	ms_stackset set = MS_STACKSET_INIT;
	uint32_t *first = ms_xcalloc(p->nmappings ? p->nmappings : 1, sizeof *first);
	uint32_t *canon = ms_xcalloc(p->nmappings ? p->nmappings : 1, sizeof *canon);
	for (size_t i = 0; i < p->nmappings; i++) {
		const ms_mapping *m = &p->mappings[i];
		uint64_t size = m->limit - m->start;
		size = size + 0xfff;
		size -= size % 0x1000;
		uint32_t id = m->build_id ? m->build_id : m->filename;
		uint32_t key[5] = { lo32((int64_t)size), hi32((int64_t)size), lo32((int64_t)m->offset),
			hi32((int64_t)m->offset), id };
		canon[i] = canon_of(&set, first, key, 5, i);
	}
	free(first);
	ms_stackset_free(&set);
	return canon;
}

static uint32_t *canon_locations(const ms_profile *p)
{
	uint32_t *fc = canon_functions(p), *mc = canon_mappings(p);
	ms_stackset set = MS_STACKSET_INIT;
	uint32_t *first = ms_xcalloc(p->nlocations ? p->nlocations : 1, sizeof *first);
	uint32_t *canon = ms_xcalloc(p->nlocations ? p->nlocations : 1, sizeof *canon);
	uint32_t *key = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *l = &p->locations[i];
		size_t need = 4 + 3 * (size_t)l->nlines;
		if (need > cap) {
			cap = need;
			key = ms_xreallocarray(key, cap, sizeof *key);
		}
		uint64_t addr = l->address;
		uint32_t m = 0;
		if (l->mapping != MS_NONE) {
			addr -= p->mappings[l->mapping].start;
			m = mc[l->mapping] + 1;
		}
		key[0] = m;
		key[1] = lo32((int64_t)addr);
		key[2] = hi32((int64_t)addr);
		key[3] = l->is_folded;
		for (uint32_t k = 0; k < l->nlines; k++) {
			const ms_line *ln = &p->lines[l->line_off + k];
			key[4 + 3 * k] = fc[ln->function];
			key[5 + 3 * k] = lo32(ln->line);
			key[6 + 3 * k] = hi32(ln->line);
		}
		canon[i] = canon_of(&set, first, key, need, i);
	}
	free(key);
	free(first);
	free(fc);
	free(mc);
	ms_stackset_free(&set);
	return canon;
}

static int cmp_label(const void *a, const void *b)
{
	const ms_label *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Labels in a canonical order (by key id; values of one key keep theirs). */
static void sort_labels(ms_label *l, size_t n)
{
	/* insertion sort: stable, and label lists are short */
	for (size_t i = 1; i < n; i++) {
		ms_label v = l[i];
		size_t j = i;
		while (j > 0 && cmp_label(&l[j - 1], &v) > 0) {
			l[j] = l[j - 1];
			j--;
		}
		l[j] = v;
	}
}

static uint64_t sample_hash(const ms_profile *p, size_t i)
{
	const ms_sample *s = &p->samples[i];
	uint64_t h = s->depth ? ms_hash_bytes(p->stack + s->stack_off, s->depth * sizeof *p->stack) : 0;
	for (uint32_t k = 0; k < s->nlabels; k++) {
		const ms_label *l = &p->labels[s->label_off + k];
		uint32_t v[5] = { l->key, l->str, lo32(l->num), hi32(l->num), l->num_unit };
		h = h * 31 + ms_hash_bytes(v, sizeof v);
	}
	return h;
}

static bool sample_equal(const ms_profile *p, size_t i, size_t j)
{
	const ms_sample *a = &p->samples[i], *b = &p->samples[j];
	if (a->depth != b->depth || a->nlabels != b->nlabels)
		return false;
	if (a->depth && memcmp(p->stack + a->stack_off, p->stack + b->stack_off, a->depth * sizeof *p->stack))
		return false;
	for (uint32_t k = 0; k < a->nlabels; k++) {
		const ms_label *x = &p->labels[a->label_off + k], *y = &p->labels[b->label_off + k];
		if (x->key != y->key || x->str != y->str || x->num != y->num || x->num_unit != y->num_unit)
			return false;
	}
	return true;
}

static bool all_zero(const int64_t *v, size_t n)
{
	for (size_t t = 0; t < n; t++)
		if (v[t])
			return false;
	return true;
}

void ms_profile_compact(ms_profile *p)
{
	if (p->ntypes == 0 || p->nsamples == 0) {
		p->nsamples = 0; /* no values: every sample is a zero sample */
		return;
	}
	uint32_t *lc = canon_locations(p);
	size_t nt = p->ntypes, nslots = 16;
	while (nslots < 2 * p->nsamples)
		nslots *= 2;
	uint32_t *slots = ms_xcalloc(nslots, sizeof *slots); /* output sample + 1 */
	uint64_t *hashes = ms_xcalloc(p->nsamples, sizeof *hashes); /* per output sample */
	size_t out = 0, sout = 0, lout = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		ms_sample s = p->samples[i];
		if (all_zero(p->values + i * nt, nt))
			continue;
		/* the sample moves to slot `out` (never past where it was), its
		 * stack and labels to the ends of the compacted arrays */
		for (uint32_t k = 0; k < s.depth; k++)
			p->stack[sout + k] = lc[p->stack[s.stack_off + k]];
		if (s.nlabels) {
			memmove(p->labels + lout, p->labels + s.label_off, s.nlabels * sizeof *p->labels);
			sort_labels(p->labels + lout, s.nlabels);
		}
		p->samples[out] = (ms_sample){ sout, s.depth, s.nlabels, lout };
		if (out != i)
			memmove(p->values + out * nt, p->values + i * nt, nt * sizeof *p->values);
		uint64_t h = sample_hash(p, out);
		size_t slot = (size_t)ms_mix64(h) & (nslots - 1);
		for (; slots[slot]; slot = (slot + 1) & (nslots - 1))
			if (hashes[slots[slot] - 1] == h && sample_equal(p, slots[slot] - 1, out))
				break;
		if (slots[slot]) {
			int64_t *dst = p->values + (size_t)(slots[slot] - 1) * nt;
			for (size_t t = 0; t < nt; t++)
				dst[t] += p->values[out * nt + t];
			continue;
		}
		slots[slot] = (uint32_t)out + 1;
		hashes[out] = h;
		sout += s.depth;
		lout += s.nlabels;
		out++;
	}
	/* merged samples that summed to zero go too (pprof merges again) */
	size_t keep = 0;
	for (size_t i = 0; i < out; i++) {
		if (all_zero(p->values + i * nt, nt))
			continue;
		if (keep != i) {
			p->samples[keep] = p->samples[i];
			memmove(p->values + keep * nt, p->values + i * nt, nt * sizeof *p->values);
		}
		keep++;
	}
	p->nsamples = keep;
	p->nstack = sout;
	p->nlabels = lout;
	free(slots);
	free(hashes);
	free(lc);
}
