/* growth.c (API in leaks.h) — per-site trends over a heap profile series.
 *
 * Each allocation site's value over the snapshots (in time order) v[0..n)
 * is classified, in this order:
 *   growth = v[n−1] − v[0] < min_growth        small (or oscillating)
 *   n = 2                                       suspect (nothing to judge)
 *   monotonic = #{k: v[k] ≥ v[k−1]}/(n−1) < MONOTONIC_MIN   oscillating
 *   late < PLATEAU_RATIO · early               plateau
 *       early = v[n/2] − v[0], late = v[n−1] − v[n/2]
 *   R² of the least-squares line < R2_MIN       irregular
 *   otherwise                                   suspect (a steady leak)
 */
#include "config.h"
#include "analysis/leaks.h"
#include "util/fit.h"
#include "util/strtab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A leak grows in at least 3 steps of 4: a pool or a GC-shaped sawtooth
 * that shrinks every other snapshot is not one (a real leak grows in every
 * step; the margin absorbs a snapshot taken right after a collection). */
#define MONOTONIC_MIN 0.75
/* A cache that warms up grew less than a fifth as much in the second half
 * of the series as in the first: it is filling to a bound, not leaking. */
#define PLATEAU_RATIO 0.2
/* A steady leak is close to a line (testdata/leaks' real Go leak fits with
 * R² 0.99999); 0.8 leaves room for bursty request mixes. */
#define R2_MIN 0.8

const char *ms_leak_reason_name(ms_leak_reason r)
{
	static const char *const names[] = { "suspect", "plateau", "oscillating", "irregular", "small" };
	return names[r];
}

/* Least-squares slope and R² of v over x. A constant series fits its line
 * perfectly (R² 1); ms_linear_fit reports 0 there, which means "no trend". */
static void fit(const double *x, const int64_t *v, size_t n, double *slope, double *r2)
{
	double *y = ms_xcalloc(n, sizeof *y);
	int constant = 1;
	for (size_t i = 0; i < n; i++) {
		y[i] = (double)v[i];
		constant &= v[i] == v[0];
	}
	*slope = ms_linear_fit(x, y, n, NULL, r2);
	if (constant)
		*r2 = 1;
	free(y);
}

typedef struct order_item {
	size_t index;
	int64_t time;
} order_item;

static int cmp_time(const void *a, const void *b)
{
	const order_item *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_sites(const void *a, const void *b)
{
	const ms_leak_site *x = a, *y = b;
	if ((x->reason == MS_LEAK_SUSPECT) != (y->reason == MS_LEAK_SUSPECT))
		return x->reason == MS_LEAK_SUSPECT ? -1 : 1;
	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The heaviest sample of the type whose leaf frame is `frame`, root last. */
static void site_stack(ms_leak_site *s, const ms_profile *p, const ms_graph *g, size_t si, uint32_t frame)
{
	const ms_frame_map *fm = &g->frames;
	int64_t best = 0;
	size_t best_i = SIZE_MAX;
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *smp = &p->samples[i];
		if (!smp->depth)
			continue;
		uint32_t leaf_loc = p->stack[smp->stack_off];
		if (fm->off[leaf_loc + 1] == fm->off[leaf_loc] || fm->frames[fm->off[leaf_loc]] != frame)
			continue;
		int64_t v = p->values[i * p->ntypes + si];
		if (v > best) {
			best = v;
			best_i = i;
		}
	}
	if (best_i == SIZE_MAX)
		return;
	const ms_sample *smp = &p->samples[best_i];
	size_t depth = 0;
	for (uint32_t d = 0; d < smp->depth; d++) {
		uint32_t loc = p->stack[smp->stack_off + d];
		depth += fm->off[loc + 1] - fm->off[loc];
	}
	s->stack = ms_xcalloc(depth ? depth : 1, sizeof *s->stack);
	for (uint32_t d = 0; d < smp->depth; d++) {
		uint32_t loc = p->stack[smp->stack_off + d];
		for (uint64_t k = fm->off[loc]; k < fm->off[loc + 1]; k++)
			s->stack[s->depth++] = ms_xstrdup(ms_frame_name(fm, fm->frames[k]));
	}
}

/* The series: per snapshot, the (site, flat value) pairs of the sites it
 * has (sparse: what a snapshot holds, not sites x snapshots), its name,
 * time and total; and the last snapshot's graph, for the suspects' stacks.
 * The dense sites x snapshots table exists only while a report is made. */
struct ms_leak_series {
	ms_leak_opts o;
	char type[64], unit[64];
	size_t n, cap;
	const char **names;
	int64_t *times, *totals;
	size_t *off; /* snapshot k's pairs are [off[k], off[k + 1]) */
	uint32_t *ids;
	int64_t *vals;
	size_t nent, cap_ent;
	ms_strtab sites; /* site names; id 0 is "" */
	size_t nsites;
	const ms_profile *last;
	ms_profile *owned_last;
	ms_graph last_graph;
	size_t last_si;
};

ms_leak_series *ms_leak_series_new(const ms_leak_opts *o)
{
	ms_leak_series *s = ms_xcalloc(1, sizeof *s);
	s->o = *o;
	ms_strtab_init(&s->sites);
	s->off = ms_xcalloc(1, sizeof *s->off);
	return s;
}

void ms_leak_series_free(ms_leak_series *s)
{
	if (!s)
		return;
	if (s->last)
		ms_graph_free(&s->last_graph);
	ms_profile_free(s->owned_last);
	ms_strtab_free(&s->sites);
	free(s->names);
	free(s->times);
	free(s->totals);
	free(s->off);
	free(s->ids);
	free(s->vals);
	free(s);
}

int ms_leak_series_add(ms_leak_series *s, ms_profile *p, const char *name, int take, ms_err *err)
{
	if (s->n == 0) {
		int si0 = ms_profile_sample_index(p, s->o.sample_type, err);
		if (si0 < 0) {
			/* err already says what is wrong; name the profile (the
			 * message must not be both source and destination of one
			 * snprintf) */
			ms_err_prefix(err, name);
			goto fail;
		}
		snprintf(s->type, sizeof s->type, "%s", ms_profile_string(p, p->types[si0].type));
		snprintf(s->unit, sizeof s->unit, "%s", ms_profile_string(p, p->types[si0].unit));
	}
	int si = ms_profile_sample_index(p, s->type, NULL);
	if (si < 0 || strcmp(ms_profile_string(p, p->types[si].unit), s->unit) != 0) {
		ms_seterr(err, "%s has no sample type '%s' in %s: all profiles of a series must be of one kind", name,
			s->type, s->unit);
		goto fail;
	}
	ms_graph_opts go = s->o.graph;
	go.sample_index = (size_t)si;
	go.node_fraction = 0;
	go.node_count = 0;
	ms_graph g;
	if (ms_graph_build(&g, p, &go, err) < 0) {
		ms_err_prefix(err, name);
		goto fail;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->names = ms_xreallocarray(s->names, s->cap, sizeof *s->names);
		s->times = ms_xreallocarray(s->times, s->cap, sizeof *s->times);
		s->totals = ms_xreallocarray(s->totals, s->cap, sizeof *s->totals);
		s->off = ms_xreallocarray(s->off, s->cap + 1, sizeof *s->off);
	}
	for (size_t i = 0; i < g.nnodes; i++) {
		if (g.nodes[i].flat == 0)
			continue;
		uint32_t id = ms_strtab_intern0(&s->sites, ms_graph_node_name(&g, &g.nodes[i])) - 1;
		if (id >= s->nsites)
			s->nsites = (size_t)id + 1;
		if (s->nent == s->cap_ent) {
			s->cap_ent = s->cap_ent ? s->cap_ent * 2 : 256;
			s->ids = ms_xreallocarray(s->ids, s->cap_ent, sizeof *s->ids);
			s->vals = ms_xreallocarray(s->vals, s->cap_ent, sizeof *s->vals);
		}
		s->ids[s->nent] = id;
		s->vals[s->nent++] = g.nodes[i].flat;
	}
	s->names[s->n] = name;
	s->times[s->n] = p->time_nanos;
	s->totals[s->n] = ms_profile_total(p, (size_t)si);
	s->off[++s->n] = s->nent;
	if (s->last)
		ms_graph_free(&s->last_graph);
	ms_profile_free(s->owned_last);
	s->last = p;
	s->owned_last = take ? p : NULL;
	s->last_graph = g;
	s->last_si = (size_t)si;
	return 0;
fail:
	if (take)
		ms_profile_free(p);
	return -1;
}

int ms_leak_series_report(const ms_leak_series *s, ms_leak_report *r, ms_err *err)
{
	memset(r, 0, sizeof *r);
	size_t n = s->n;
	if (n < 2)
		return ms_seterr(err, "a leak check needs a series of at least two profiles (got %zu)", n);
	snprintf(r->type, sizeof r->type, "%s", s->type);
	snprintf(r->unit, sizeof r->unit, "%s", s->unit);
	bool timed = true;
	for (size_t k = 0; k < n; k++)
		if (!s->times[k] || (k && s->times[k] <= s->times[k - 1]))
			timed = false;
	r->timed = timed;
	r->n = n;
	r->names = ms_xcalloc(n, sizeof *r->names);
	r->times = ms_xcalloc(n, sizeof *r->times);
	r->totals = ms_xcalloc(n, sizeof *r->totals);
	memcpy(r->names, s->names, n * sizeof *r->names);
	memcpy(r->times, s->times, n * sizeof *r->times);
	memcpy(r->totals, s->totals, n * sizeof *r->totals);
	size_t nsites = s->nsites;
	int64_t *vals = ms_xcalloc(nsites ? nsites * n : 1, sizeof *vals); /* site * n + snapshot */
	for (size_t k = 0; k < n; k++)
		for (size_t e = s->off[k]; e < s->off[k + 1]; e++)
			vals[(size_t)s->ids[e] * n + k] = s->vals[e];

	/* x axes: snapshot index, and minutes since the first when timed */
	double *xi = ms_xcalloc(n, sizeof *xi), *xm = ms_xcalloc(n, sizeof *xm);
	for (size_t k = 0; k < n; k++) {
		xi[k] = (double)k;
		xm[k] = timed ? (double)(r->times[k] - r->times[0]) / 60e9 : 0;
	}
	int64_t total_growth = r->totals[n - 1] - r->totals[0];
	int64_t min_growth = s->o.min_growth;
	if (min_growth <= 0) {
		min_growth = r->totals[n - 1] / 100;
		if (strcmp(r->unit, "bytes") == 0 && min_growth < 65536)
			min_growth = 65536;
		if (min_growth < 1)
			min_growth = 1;
	}
	r->min_growth = min_growth;

	r->sites = ms_xcalloc(nsites ? nsites : 1, sizeof *r->sites);
	for (size_t i = 0; i < nsites; i++) {
		const int64_t *v = vals + i * n;
		int64_t peak = v[0];
		size_t up = 0;
		for (size_t k = 0; k < n; k++)
			peak = v[k] > peak ? v[k] : peak;
		for (size_t k = 1; k < n; k++)
			up += v[k] >= v[k - 1];
		int64_t growth = v[n - 1] - v[0];
		if (growth <= 0 && peak <= v[0])
			continue; /* never grew: not interesting */
		ms_leak_site *site = &r->sites[r->nsites++];
		site->name = ms_xstrdup(ms_strtab_get(&s->sites, (uint32_t)i + 1));
		site->series = ms_xcalloc(n, sizeof *site->series);
		memcpy(site->series, v, n * sizeof *v);
		site->first = v[0];
		site->last = v[n - 1];
		site->peak = peak;
		site->growth = growth;
		fit(xi, v, n, &site->slope_per_snapshot, &site->r2);
		double r2m;
		if (timed && xm[n - 1] > 0)
			fit(xm, v, n, &site->slope_per_minute, &r2m);
		else
			site->slope_per_minute = NAN;
		site->monotonic = (double)up / (double)(n - 1);
		site->share = total_growth > 0 ? (double)growth / (double)total_growth : 0;
		size_t half = n / 2;
		site->early = (double)(v[half] - v[0]);
		site->late = (double)(v[n - 1] - v[half]);
		if (growth < min_growth)
			site->reason = site->monotonic < MONOTONIC_MIN && n > 2 ? MS_LEAK_OSCILLATING : MS_LEAK_SMALL;
		else if (n == 2)
			site->reason = MS_LEAK_SUSPECT;
		else if (site->monotonic < MONOTONIC_MIN)
			site->reason = MS_LEAK_OSCILLATING;
		else if (site->early > 0 && site->late < PLATEAU_RATIO * site->early)
			site->reason = MS_LEAK_PLATEAU;
		else if (site->r2 < R2_MIN)
			site->reason = MS_LEAK_IRREGULAR;
		else
			site->reason = MS_LEAK_SUSPECT;
		if (site->reason == MS_LEAK_SUSPECT) {
			r->nsuspects++;
			uint32_t frame = ms_frame_find(&s->last_graph.frames, site->name);
			if (frame != UINT32_MAX)
				site_stack(site, s->last, &s->last_graph, s->last_si, frame);
		}
	}
	qsort(r->sites, r->nsites, sizeof *r->sites, cmp_sites);
	free(xi);
	free(xm);
	free(vals);
	return 0;
}

int ms_leaks_analyze(ms_leak_report *r, ms_profile *const *profiles, const char *const *names, size_t n,
	const ms_leak_opts *o, ms_err *err)
{
	memset(r, 0, sizeof *r);
	if (n < 2)
		return ms_seterr(err, "a leak check needs a series of at least two profiles (got %zu)", n);
	/* time order when every profile has a time, else the given order */
	order_item *ord = ms_xcalloc(n, sizeof *ord);
	bool timed = true;
	for (size_t i = 0; i < n; i++) {
		ord[i].index = i;
		ord[i].time = profiles[i]->time_nanos;
		if (!ord[i].time)
			timed = false;
	}
	if (timed)
		qsort(ord, n, sizeof *ord, cmp_time);
	ms_leak_series *s = ms_leak_series_new(o);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = ms_leak_series_add(s, profiles[ord[k].index], names[ord[k].index], 0, err);
	if (rc == 0)
		rc = ms_leak_series_report(s, r, err);
	ms_leak_series_free(s);
	free(ord);
	return rc;
}


void ms_leak_report_free(ms_leak_report *r)
{
	for (size_t i = 0; i < r->nsites; i++) {
		free(r->sites[i].name);
		free(r->sites[i].series);
		for (size_t k = 0; k < r->sites[i].depth; k++)
			free(r->sites[i].stack[k]);
		free(r->sites[i].stack);
	}
	free(r->sites);
	free(r->names);
	free(r->times);
	free(r->totals);
	memset(r, 0, sizeof *r);
}
