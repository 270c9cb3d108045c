/* tags.c — pprof's tag filters and -tags report over the model's labels
 * (rules in tags.h; pprof's code: internal/driver/driver_focus.go
 * compileTagFilter and parseTagFilterRange, profile/filter.go
 * FilterSamplesByTag and FilterTagsByName, internal/report/report.go
 * printTags). */
#include "config.h"
#include "analysis/tags.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/pairmap.h"
#include "util/regex.h"
#include "util/units.h"

enum { LABEL_NONE, LABEL_STR, LABEL_NUM };

/* pprof's decoding: a string label has a string index, a numeric one a
 * number or a unit; a label with neither is dropped. */
static int label_kind(const ms_label *l)
{
	if (l->str != 0)
		return LABEL_STR;
	return l->num != 0 || l->num_unit != 0 ? LABEL_NUM : LABEL_NONE;
}

static const ms_label *sample_labels(const ms_profile *p, size_t i)
{
	return p->labels ? p->labels + p->samples[i].label_off : NULL;
}

const char **ms_label_units(const ms_profile *p)
{
	uint32_t ns = p->strings.n;
	const char **units = ms_xcalloc(ns ? ns : 1, sizeof *units);
	bool *seen = ms_xcalloc(ns ? ns : 1, sizeof *seen);
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_label *l = sample_labels(p, i);
		for (uint32_t k = 0; k < p->samples[i].nlabels; k++) {
			if (label_kind(&l[k]) != LABEL_NUM)
				continue;
			seen[l[k].key] = true;
			if (l[k].num_unit != 0 && !units[l[k].key])
				units[l[k].key] = ms_profile_string(p, l[k].num_unit);
		}
	}
	for (uint32_t s = 0; s < ns; s++) {
		if (!seen[s] || units[s])
			continue;
		const char *key = ms_profile_string(p, s);
		units[s] = strcmp(key, "alignment") == 0 || strcmp(key, "request") == 0 ? "bytes" : key;
	}
	free(seen);
	return units;
}

/* ---- filters ------------------------------------------------------------ */

/* One match of pprof's tagFilterRangeRx, ([+-]?[[:digit:]]+)([[:alpha:]]+)?
 * (ASCII classes, as Go's). */
typedef struct range_match {
	const char *at;
	size_t len;
	size_t numlen; /* sign and digits */
} range_match;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* FindAllStringSubmatch(s, max): leftmost matches, left to right. */
static size_t find_ranges(const char *s, range_match *m, size_t max)
{
	size_t n = 0;
	const char *p = s;
	while (n < max && *p) {
		while (*p && !is_digit(*p) && !((*p == '+' || *p == '-') && is_digit(p[1])))
			p++;
		if (!*p)
			break;
		const char *q = p + (*p == '+' || *p == '-');
		while (is_digit(*q))
			q++;
		m[n].at = p;
		m[n].numlen = (size_t)(q - p);
		while (is_alpha(*q))
			q++;
		m[n].len = (size_t)(q - p);
		n++;
		p = q;
	}
	return n;
}

enum { R_EQ, R_GE, R_LE, R_BETWEEN };

typedef struct num_filter {
	int kind;
	double lo, hi;    /* bounds, in unit */
	const char *unit; /* the first bound's unit, canonical */
	char *unit_buf;   /* owns unit when it is not one of pprof's names */
} num_filter;

/* Parses one bound: its value scaled to (and the canonical name of) its own
 * unit, pprof's measurement.Scale(v, u, u); with to != NULL, scaled to to. */
static int parse_bound(const range_match *m, const char *to, double *out, const char **unit, char **buf,
	const char *opt, ms_err *err)
{
	char num[32];
	if (m->numlen >= sizeof num)
		return ms_seterr(err, "--%s: number '%.*s' out of range", opt, (int)m->numlen, m->at);
	memcpy(num, m->at, m->numlen);
	num[m->numlen] = '\0';
	errno = 0;
	long long v = strtoll(num, NULL, 10);
	if (errno)
		return ms_seterr(err, "--%s: number '%s' out of range", opt, num);
	size_t ulen = m->len - m->numlen;
	char *u = ms_xcalloc(ulen + 1, 1);
	memcpy(u, m->at + m->numlen, ulen);
	*out = ms_scale((double)v, u, to ? to : u, unit);
	if (*unit == u) /* an unknown unit stays as written: keep the copy */
		*buf = u;
	else
		free(u);
	return 0;
}

/* pprof's parseTagFilterRange: 1 and *f filled when value is a range, 0
 * when it is not (a regex list then), -1 on an out-of-range number. */
static int parse_range(const char *value, num_filter *f, const char *opt, ms_err *err)
{
	range_match m[2];
	size_t n = find_ranges(value, m, 2);
	if (n == 0)
		return 0;
	memset(f, 0, sizeof *f);
	size_t vlen = strlen(value);
	if (n == 1) {
		const range_match *r = &m[0];
		if (vlen == r->len && r->at == value)
			f->kind = R_EQ;
		else if (vlen == r->len + 1 && r->at == value && value[vlen - 1] == ':')
			f->kind = R_GE;
		else if (vlen == r->len + 1 && value[0] == ':' && r->at == value + 1)
			f->kind = R_LE;
		else
			return 0;
		if (parse_bound(r, NULL, &f->lo, &f->unit, &f->unit_buf, opt, err) < 0)
			return -1;
		f->hi = f->lo;
		return 1;
	}
	/* "A:B" exactly */
	if (m[0].at != value || value[m[0].len] != ':' || m[1].at != value + m[0].len + 1 ||
		vlen != m[0].len + 1 + m[1].len)
		return 0;
	if (parse_bound(&m[0], NULL, &f->lo, &f->unit, &f->unit_buf, opt, err) < 0)
		return -1;
	const char *unit2;
	char *buf2 = NULL;
	if (parse_bound(&m[1], f->unit, &f->hi, &unit2, &buf2, opt, err) < 0) {
		free(f->unit_buf);
		return -1;
	}
	bool same = strcmp(unit2, f->unit) == 0;
	free(buf2);
	if (!same) {
		free(f->unit_buf);
		return 0;
	}
	f->kind = R_BETWEEN;
	return 1;
}

static bool num_matches(const num_filter *f, int64_t v, const char *unit)
{
	const char *su;
	double sv = ms_scale((double)v, unit, f->unit, &su);
	if (strcmp(su, f->unit) != 0)
		return false;
	switch (f->kind) {
	case R_EQ:
		return sv == f->lo;
	case R_GE:
		return sv >= f->lo;
	case R_LE:
		return sv <= f->lo;
	default:
		return sv >= f->lo && sv <= f->hi;
	}
}

typedef struct tag_filter {
	bool keyed;
	uint32_t key;      /* string id of KEY, MS_NONE when no label has it */
	bool base_key;     /* KEY is pprof::base */
	bool numeric;
	num_filter num;
	regex_t *rx;
	size_t nrx;
	ms_pairmap cache;  /* keyless regexes: (rx, key << 32 | str) -> 1 + match */
	const char **units;
	char *buf;         /* "key:value" */
	size_t bufsize;
} tag_filter;

static void tag_filter_free(tag_filter *f)
{
	for (size_t i = 0; i < f->nrx; i++)
		regfree(&f->rx[i]);
	free(f->rx);
	free(f->num.unit_buf);
	free(f->buf);
	ms_pairmap_free(&f->cache);
}

static int tag_filter_compile(tag_filter *f, const ms_profile *p, const char *opt, const char *value,
	const char **units, ms_err *err)
{
	memset(f, 0, sizeof *f);
	ms_pairmap_init(&f->cache, 16);
	f->units = units;
	const char *eq = strchr(value, '=');
	if (eq) {
		f->keyed = true;
		f->key = ms_strtab_find(&p->strings, value, (size_t)(eq - value));
		if (f->key == UINT32_MAX)
			f->key = MS_NONE;
		f->base_key = (size_t)(eq - value) == 11 && strncmp(value, "pprof::base", 11) == 0;
		value = eq + 1;
	}
	int r = parse_range(value, &f->num, opt, err);
	if (r < 0)
		return -1;
	if (r > 0) {
		f->numeric = true;
		return 0;
	}
	/* strings.Split(value, ","): every piece, empty ones too, is a regex */
	size_t n = 1;
	for (const char *c = value; *c; c++)
		n += *c == ',';
	f->rx = ms_xcalloc(n, sizeof *f->rx);
	const char *s = value;
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(s, ",");
		char *pat = ms_xcalloc(len + 1, 1);
		memcpy(pat, s, len);
		int rc = ms_regex_compile(&f->rx[i], pat, opt, err);
		free(pat);
		if (rc < 0)
			return -1;
		f->nrx++;
		s += len + (s[len] == ',');
	}
	return 0;
}

static bool rx_matches(const regex_t *re, const char *s) { return regexec(re, s, 0, NULL, 0) == 0; }

/* Regex ri against "key:value" of a string label, cached per pair. */
static bool keyless_matches(tag_filter *f, const ms_profile *p, size_t ri, uint32_t key, uint32_t str)
{
	uint64_t pair = (uint64_t)key << 32 | str;
	uint32_t c = ms_pairmap_get(&f->cache, ri, pair);
	if (c != UINT32_MAX)
		return c == 1;
	const char *k = ms_profile_string(p, key), *v = ms_profile_string(p, str);
	size_t need = strlen(k) + strlen(v) + 2;
	if (need > f->bufsize) {
		free(f->buf);
		f->buf = ms_xcalloc(need, 1);
		f->bufsize = need;
	}
	snprintf(f->buf, need, "%s:%s", k, v);
	bool m = rx_matches(&f->rx[ri], f->buf);
	ms_pairmap_put(&f->cache, ri, pair, m ? 1 : 0);
	return m;
}

/* A string value of KEY against the regexes (any one), cached per value. */
static bool keyed_matches(tag_filter *f, const ms_profile *p, uint32_t str)
{
	uint32_t c = ms_pairmap_get(&f->cache, UINT64_MAX, str);
	if (c != UINT32_MAX)
		return c == 1;
	bool m = false;
	for (size_t ri = 0; ri < f->nrx && !m; ri++)
		m = rx_matches(&f->rx[ri], ms_profile_string(p, str));
	ms_pairmap_put(&f->cache, UINT64_MAX, str, m ? 1 : 0);
	return m;
}

static bool tag_filter_match(tag_filter *f, const ms_profile *p, size_t i, bool is_base)
{
	const ms_label *l = sample_labels(p, i);
	uint32_t nl = p->samples[i].nlabels;
	if (f->numeric) {
		for (uint32_t k = 0; k < nl; k++)
			if (label_kind(&l[k]) == LABEL_NUM && (!f->keyed || l[k].key == f->key) &&
				num_matches(&f->num, l[k].num, f->units[l[k].key]))
				return true;
		return false;
	}
	if (f->keyed) {
		if (f->base_key && is_base)
			for (size_t ri = 0; ri < f->nrx; ri++)
				if (rx_matches(&f->rx[ri], "true"))
					return true;
		for (uint32_t k = 0; k < nl; k++)
			if (label_kind(&l[k]) == LABEL_STR && l[k].key == f->key && keyed_matches(f, p, l[k].str))
				return true;
		return false;
	}
	for (size_t ri = 0; ri < f->nrx; ri++) {
		bool any = is_base && rx_matches(&f->rx[ri], "pprof::base:true");
		for (uint32_t k = 0; k < nl && !any; k++)
			any = label_kind(&l[k]) == LABEL_STR && keyless_matches(f, p, ri, l[k].key, l[k].str);
		if (!any)
			return false;
	}
	return true;
}

bool ms_tag_filter_is_range(const char *value)
{
	const char *eq = strchr(value, '=');
	num_filter f;
	ms_err err;
	int r = parse_range(eq ? eq + 1 : value, &f, "tagfocus", &err);
	if (r > 0)
		free(f.unit_buf);
	return r > 0;
}

int ms_tag_filter_check(const char *option, const char *value, ms_err *err)
{
	if (!value || !*value)
		return 0;
	const char *eq = strchr(value, '=');
	const char *v = eq ? eq + 1 : value;
	num_filter f;
	int r = parse_range(v, &f, option, err);
	if (r != 0) {
		if (r > 0)
			free(f.unit_buf);
		return r < 0 ? -1 : 0;
	}
	for (const char *s = v;;) {
		size_t len = strcspn(s, ",");
		char *pat = ms_xcalloc(len + 1, 1);
		memcpy(pat, s, len);
		regex_t re;
		int rc = ms_regex_compile(&re, pat, option, err);
		free(pat);
		if (rc < 0)
			return -1;
		regfree(&re);
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

int ms_tag_select(const ms_profile *p, const char *tagfocus, const char *tagignore, const bool *is_base,
	uint8_t *skip, ms_err *err)
{
	bool hf = tagfocus && *tagfocus, hi = tagignore && *tagignore;
	if (!hf && !hi)
		return 0;
	const char **units = ms_label_units(p);
	tag_filter focus, ignore;
	memset(&focus, 0, sizeof focus);
	memset(&ignore, 0, sizeof ignore);
	int rc = -1;
	if ((hf && tag_filter_compile(&focus, p, "tagfocus", tagfocus, units, err) < 0) ||
		(hi && tag_filter_compile(&ignore, p, "tagignore", tagignore, units, err) < 0))
		goto out;
	for (size_t i = 0; i < p->nsamples; i++) {
		bool base = is_base && is_base[i];
		if ((hf && !tag_filter_match(&focus, p, i, base)) || (hi && tag_filter_match(&ignore, p, i, base)))
			skip[i] = 1;
	}
	rc = 0;
out:
	tag_filter_free(&focus);
	tag_filter_free(&ignore);
	free(units);
	return rc;
}

/* ---- tagshow / taghide -------------------------------------------------- */

int ms_profile_hide_labels(ms_profile *p, const char *tagshow, const char *taghide, ms_err *err)
{
	bool hs = tagshow && *tagshow, hh = taghide && *taghide;
	if (!hs && !hh)
		return 0;
	regex_t show, hide;
	if (hs && ms_regex_compile(&show, tagshow, "tagshow", err) < 0)
		return -1;
	if (hh && ms_regex_compile(&hide, taghide, "taghide", err) < 0) {
		if (hs)
			regfree(&show);
		return -1;
	}
	/* per key: 0 unknown, 1 kept, 2 removed */
	uint8_t *verdict = ms_xcalloc(p->strings.n ? p->strings.n : 1, 1);
	ms_label *out = ms_xcalloc(p->nlabels ? p->nlabels : 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		ms_sample *s = &p->samples[i];
		const ms_label *l = sample_labels(p, i);
		uint64_t off = n;
		for (uint32_t k = 0; k < s->nlabels; k++) {
			uint8_t *v = &verdict[l[k].key];
			if (!*v) {
				const char *name = ms_profile_string(p, l[k].key);
				bool remove = (hs && !rx_matches(&show, name)) || (hh && rx_matches(&hide, name));
				*v = remove ? 2 : 1;
			}
			if (*v == 1 && n < p->nlabels)
				out[n++] = l[k];
		}
		s->label_off = off;
		s->nlabels = (uint32_t)(n - off);
	}
	free(p->labels);
	p->labels = out;
	p->nlabels = n;
	p->labels_cap = p->nlabels ? p->nlabels : 1;
	free(verdict);
	if (hs)
		regfree(&show);
	if (hh)
		regfree(&hide);
	return 0;
}

/* ---- the -tags report --------------------------------------------------- */

static int cmp_values(const void *a, const void *b)
{
	const ms_tag_value *x = a, *y = b;
	int64_t fx = x->value < 0 ? -x->value : x->value, fy = y->value < 0 ? -y->value : y->value;
	if (fx != fy)
		return fx > fy ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_keys(const void *a, const void *b)
{
	const ms_tag_key *x = a, *y = b;
	return strcmp(x->name, y->name);
}

void ms_tags_build(ms_tags *t, const ms_profile *p, size_t type, const uint8_t *skip)
{
	memset(t, 0, sizeof *t);
	ms_strtab_init(&t->names);
	const char **units = ms_label_units(p);
	/* (key, value name) -> index into sums; keys[] by first appearance */
	ms_pairmap index;
	ms_pairmap_init(&index, 64);
	int64_t *sums = NULL;
	uint32_t *pkey = NULL, *pval = NULL;
	size_t npairs = 0, cap = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		if (skip && skip[i])
			continue;
		const int64_t *vals = ms_sample_values(p, i);
		bool zero = true;
		for (size_t k = 0; k < p->ntypes && zero; k++)
			zero = vals[k] == 0;
		if (zero)
			continue; /* pprof's Merge drops samples whose values are all 0 */
		const ms_label *l = sample_labels(p, i);
		for (uint32_t k = 0; k < p->samples[i].nlabels; k++) {
			int kind = label_kind(&l[k]);
			if (kind == LABEL_NONE)
				continue;
			char num[64];
			const char *name = kind == LABEL_STR ? ms_profile_string(p, l[k].str)
				: ms_format_value_as(num, sizeof num, l[k].num, units[l[k].key], "minimum");
			uint32_t vid = ms_strtab_intern0(&t->names, name);
			uint32_t at = ms_pairmap_put(&index, l[k].key, vid, (uint32_t)npairs);
			if (at == npairs) {
				if (npairs == cap) {
					cap = cap ? cap * 2 : 64;
					sums = ms_xreallocarray(sums, cap, sizeof *sums);
					pkey = ms_xreallocarray(pkey, cap, sizeof *pkey);
					pval = ms_xreallocarray(pval, cap, sizeof *pval);
				}
				sums[npairs] = 0;
				pkey[npairs] = l[k].key;
				pval[npairs] = vid;
				npairs++;
			}
			sums[at] += vals[type];
		}
	}
	/* group the pairs by key */
	uint32_t *keyslot = ms_xcalloc(p->strings.n ? p->strings.n : 1, sizeof *keyslot); /* key -> 1 + slot */
	size_t *count = ms_xcalloc(npairs ? npairs : 1, sizeof *count);
	for (size_t j = 0; j < npairs; j++) {
		if (!keyslot[pkey[j]]) {
			keyslot[pkey[j]] = (uint32_t)++t->nkeys;
		}
		count[keyslot[pkey[j]] - 1]++;
	}
	t->keys = ms_xcalloc(t->nkeys ? t->nkeys : 1, sizeof *t->keys);
	t->values = ms_xcalloc(npairs ? npairs : 1, sizeof *t->values);
	size_t off = 0;
	for (uint32_t s = 0; s < p->strings.n; s++)
		if (keyslot[s]) {
			ms_tag_key *key = &t->keys[keyslot[s] - 1];
			key->name = ms_profile_string(p, s);
			key->values = t->values + off;
			off += count[keyslot[s] - 1];
		}
	for (size_t j = 0; j < npairs; j++) {
		ms_tag_key *key = &t->keys[keyslot[pkey[j]] - 1];
		key->values[key->nvalues].name = ms_strtab_get(&t->names, pval[j]);
		key->values[key->nvalues].value = sums[j];
		key->nvalues++;
		key->total += sums[j];
	}
	for (size_t k = 0; k < t->nkeys; k++)
		qsort(t->keys[k].values, t->keys[k].nvalues, sizeof *t->keys[k].values, cmp_values);
	qsort(t->keys, t->nkeys, sizeof *t->keys, cmp_keys);
	free(keyslot);
	free(count);
	free(sums);
	free(pkey);
	free(pval);
	ms_pairmap_free(&index);
	free(units);
}

void ms_tags_free(ms_tags *t)
{
	free(t->keys);
	free(t->values);
	ms_strtab_free(&t->names);
	memset(t, 0, sizeof *t);
}
