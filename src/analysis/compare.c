/* compare.c (API in diff.h) — per-frame deltas between profiles, and CI gates. */
#include "config.h"
#include "analysis/diff.h"
#include "util/opts.h"
#include "util/strtab.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include "util/regex.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds the graph of one profile for the named type. */
static int side_graph(ms_graph *g, const ms_profile *p, const char *type, const ms_diff_opts *o, const char *what,
	ms_err *err)
{
	ms_graph_opts go = o->graph;
	go.node_fraction = 0;
	go.node_count = 0;
	int si = ms_profile_sample_index(p, type, err);
	if (si < 0)
		return ms_seterr(err, "%s profile has no sample type '%s'", what, type);
	go.sample_index = (size_t)si;
	return ms_graph_build(g, p, &go, err);
}

/* Rows keyed by frame name: the name's id in names (minus the "" at 0) is
 * the row's index, since names are interned in row order. */
typedef struct row_set {
	ms_strtab names;
	ms_diff_row *rows;
	size_t n, cap;
} row_set;

static ms_diff_row *row_of(row_set *rs, const char *name)
{
	uint32_t id = ms_strtab_intern0(&rs->names, name) - 1;
	if (id >= rs->n) {
		if (rs->n == rs->cap) {
			rs->cap *= 2;
			rs->rows = ms_xreallocarray(rs->rows, rs->cap, sizeof *rs->rows);
		}
		memset(&rs->rows[rs->n], 0, sizeof *rs->rows);
		rs->n++;
	}
	return &rs->rows[id];
}

static double node_value(const ms_graph_node *n, bool cum) { return (double)(cum ? n->cum : n->flat); }

static int cmp_rows(const void *a, const void *b)
{
	const ms_diff_row *x = a, *y = b;
	double dx = fabs(x->delta), dy = fabs(y->delta);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->name, y->name);
}

int ms_diff_build(ms_diff *d, const ms_profile *np, const ms_profile *const *bases, size_t nbases,
	const ms_diff_opts *o, ms_err *err)
{
	memset(d, 0, sizeof *d);
	if (nbases == 0)
		return ms_seterr(err, "no baseline profile");
	int si = ms_profile_sample_index(np, o->sample_type, err);
	if (si < 0)
		return -1;
	snprintf(d->type, sizeof d->type, "%s", ms_profile_string(np, np->types[si].type));
	snprintf(d->unit, sizeof d->unit, "%s", ms_profile_string(np, np->types[si].unit));
	for (size_t b = 0; b < nbases; b++) {
		int bi = ms_profile_sample_index(bases[b], d->type, NULL);
		if (bi < 0)
			return ms_seterr(err, "baseline %zu has no sample type '%s': the profiles are of different kinds",
				b + 1, d->type);
		if (strcmp(ms_profile_string(bases[b], bases[b]->types[bi].unit), d->unit) != 0)
			return ms_seterr(err, "sample type '%s' is in '%s' in the new profile but in '%s' in baseline %zu",
				d->type, d->unit, ms_profile_string(bases[b], bases[b]->types[bi].unit), b + 1);
	}

	ms_graph gn;
	if (side_graph(&gn, np, d->type, o, "new", err) < 0)
		return -1;
	d->new_total = ms_profile_total(np, (size_t)si);

	/* rows keyed by name: index in names -> row */
	row_set rs;
	ms_strtab_init(&rs.names);
	rs.cap = gn.nnodes + 16;
	rs.rows = ms_xcalloc(rs.cap, sizeof *rs.rows);
	rs.n = 0;
	for (size_t i = 0; i < gn.nnodes; i++) {
		ms_diff_row *r = row_of(&rs, ms_graph_node_name(&gn, &gn.nodes[i]));
		r->new_value = (int64_t)node_value(&gn.nodes[i], o->cum);
		r->new_cum = (double)gn.nodes[i].cum;
	}
	ms_graph_free(&gn);

	d->nbases = nbases;
	d->base_totals = ms_xcalloc(nbases, sizeof *d->base_totals);
	double sum = 0;
	for (size_t b = 0; b < nbases; b++) {
		int bi = ms_profile_sample_index(bases[b], d->type, NULL);
		d->base_totals[b] = ms_profile_total(bases[b], (size_t)bi);
		double scale = 1.0 / (double)nbases;
		if (o->normalize && d->base_totals[b] != 0)
			scale *= (double)d->new_total / (double)d->base_totals[b];
		ms_graph gb;
		if (side_graph(&gb, bases[b], d->type, o, "baseline", err) < 0) {
			ms_strtab_free(&rs.names);
			free(rs.rows);
			ms_diff_free(d);
			return -1;
		}
		for (size_t i = 0; i < gb.nnodes; i++) {
			ms_diff_row *r = row_of(&rs, ms_graph_node_name(&gb, &gb.nodes[i]));
			r->base += node_value(&gb.nodes[i], o->cum) * scale;
			r->base_cum += (double)gb.nodes[i].cum * scale;
		}
		ms_graph_free(&gb);
		sum += (double)d->base_totals[b] * (o->normalize && d->base_totals[b] ? (double)d->new_total / (double)d->base_totals[b] : 1.0);
	}
	d->normalized = o->normalize;
	d->base_mean = sum / (double)nbases;
	d->base_total = (int64_t)llround(d->base_mean);
	if (nbases > 1) {
		double ss = 0, mean = 0;
		for (size_t b = 0; b < nbases; b++)
			mean += (double)d->base_totals[b];
		mean /= (double)nbases;
		for (size_t b = 0; b < nbases; b++)
			ss += ((double)d->base_totals[b] - mean) * ((double)d->base_totals[b] - mean);
		d->base_stddev = sqrt(ss / (double)(nbases - 1));
	}

	/* keep rows whose reported value changed (pprof drops nodes that cancel) */
	ms_diff_row *rows = rs.rows;
	size_t k = 0;
	for (size_t i = 0; i < rs.n; i++) {
		rows[i].name = NULL;
		rows[i].delta = (double)rows[i].new_value - rows[i].base;
		if (rows[i].delta == 0)
			continue;
		rows[i].name = ms_xstrdup(ms_strtab_get(&rs.names, (uint32_t)i + 1));
		rows[k++] = rows[i];
	}
	ms_strtab_free(&rs.names);
	qsort(rows, k, sizeof *rows, cmp_rows);
	d->rows = rows;
	d->nrows = k;
	return 0;
}

void ms_diff_free(ms_diff *d)
{
	for (size_t i = 0; i < d->nrows; i++)
		free((char *)d->rows[i].name);
	free(d->rows);
	free(d->base_totals);
	memset(d, 0, sizeof *d);
}

/* ---- gates ----------------------------------------------------------------------- */

int ms_gate_parse(ms_gate *g, const char *expr, ms_err *err)
{
	memset(g, 0, sizeof *g);
	snprintf(g->expr, sizeof g->expr, "%s", expr);
	/* the limit follows the last ':' (a site regex may contain ':') */
	const char *colon = strrchr(expr, ':');
	if (!colon || colon == expr)
		return ms_seterr(err, "bad gate '%s': expected TYPE[@REGEX]:+LIMIT, e.g. inuse_space:+5%%", expr);
	const char *at = memchr(expr, '@', (size_t)(colon - expr));
	size_t tlen = (size_t)((at ? at : colon) - expr);
	if (tlen == 0 || tlen >= sizeof g->type)
		return ms_seterr(err, "bad gate '%s': missing sample type", expr);
	memcpy(g->type, expr, tlen);
	g->type[tlen] = '\0';
	for (size_t i = 0; i < tlen; i++)
		if (!isalnum((unsigned char)g->type[i]) && g->type[i] != '_')
			return ms_seterr(err, "bad gate '%s': '%s' is not a sample type name", expr, g->type);
	if (at) {
		size_t rlen = (size_t)(colon - at - 1);
		if (rlen == 0)
			return ms_seterr(err, "bad gate '%s': empty site regex after '@'", expr);
		g->site = ms_xmalloc(rlen + 1);
		memcpy(g->site, at + 1, rlen);
		g->site[rlen] = '\0';
		regex_t re;
		ms_err rerr;
		if (ms_regex_compile(&re, g->site, "site", &rerr) < 0) {
			ms_gate_free(g);
			return ms_seterr(err, "bad gate '%s': invalid site regex (%s)", expr, rerr.msg);
		}
		regfree(&re);
	}
	const char *lim = colon + 1;
	if (*lim == '+')
		lim++;
	char *end;
	errno = 0;
	double v = strtod(lim, &end);
	if (end == lim || errno || !isfinite(v) || v < 0 || *lim == '-') {
		ms_gate_free(g);
		return ms_seterr(err, "bad gate '%s': the limit must be a growth like +5%%, +20MB or +3sigma", expr);
	}
	if (strcmp(end, "%") == 0) {
		g->kind = MS_GATE_PERCENT;
		g->limit = v;
	} else if (strcmp(end, "sigma") == 0) {
		g->kind = MS_GATE_SIGMA;
		g->limit = v;
		if (g->site) {
			ms_gate_free(g);
			return ms_seterr(err, "bad gate '%s': sigma limits apply to totals, not sites", expr);
		}
	} else {
		unsigned long long bytes;
		if (ms_parse_size(lim, &bytes) < 0) {
			ms_gate_free(g);
			return ms_seterr(err, "bad gate '%s': unknown limit unit '%s' (use %%, sigma, B, kB, MB, GB)", expr,
				end);
		}
		g->kind = MS_GATE_ABSOLUTE;
		g->limit = (double)bytes;
	}
	return 0;
}

int ms_gate_eval(ms_gate *g, ms_diff *d, ms_err *err)
{
	g->diff = d;
	double delta = (double)d->new_total - d->base_mean;
	if (g->site) {
		regex_t re;
		if (ms_regex_compile(&re, g->site, "site", err) < 0)
			return -1;
		delta = 0;
		for (size_t i = 0; i < d->nrows; i++)
			if (regexec(&re, d->rows[i].name, 0, NULL, 0) == 0)
				delta += d->rows[i].delta;
		regfree(&re);
	}
	g->observed_delta = delta;
	switch (g->kind) {
	case MS_GATE_PERCENT:
		if (d->base_mean == 0)
			g->observed = delta > 0 ? INFINITY : 0;
		else
			g->observed = delta / fabs(d->base_mean) * 100.0;
		break;
	case MS_GATE_ABSOLUTE:
		g->observed = delta;
		break;
	case MS_GATE_SIGMA:
		if (d->nbases < 2)
			return ms_seterr(err, "gate '%s' needs at least two --base profiles to measure their spread", g->expr);
		g->observed = d->base_stddev > 0 ? delta / d->base_stddev : (delta > 0 ? INFINITY : 0);
		break;
	}
	g->tripped = g->observed > g->limit;
	return 0;
}

void ms_gate_free(ms_gate *g)
{
	free(g->site);
	g->site = NULL;
}

/* ---- a run's gates ------------------------------------------------------------ */

int ms_gateset_parse(ms_gateset *s, const char *const *exprs, size_t n, ms_err *err)
{
	memset(s, 0, sizeof *s);
	s->gates = ms_xcalloc(n ? n : 1, sizeof *s->gates);
	for (; s->n < n; s->n++)
		if (ms_gate_parse(&s->gates[s->n], exprs[s->n], err) < 0)
			return -1;
	return 0;
}

/* The diff of sample type `type`, built on first use. */
static ms_diff *diff_of_type(ms_gateset *s, const char *type, const ms_profile *np, const ms_profile *const *bases,
	size_t nbases, const ms_diff_opts *o, ms_err *err)
{
	for (size_t k = 0; k < s->ndiffs; k++)
		if (strcmp(s->diffs[k].type, type) == 0)
			return &s->diffs[k];
	MS_GROW(s->diffs, s->ndiffs, s->cap, 1);
	ms_diff_opts o2 = *o;
	o2.sample_type = type;
	if (ms_diff_build(&s->diffs[s->ndiffs], np, bases, nbases, &o2, err) < 0) {
		ms_err_prefix(err, "gate");
		return NULL;
	}
	return &s->diffs[s->ndiffs++];
}

int ms_gateset_run(ms_gateset *s, const ms_profile *np, const ms_profile *const *bases, size_t nbases,
	const ms_diff_opts *o, ms_err *err)
{
	MS_GROW(s->diffs, s->ndiffs, s->cap, 1);
	if (ms_diff_build(&s->diffs[0], np, bases, nbases, o, err) < 0)
		return -1;
	s->ndiffs = 1;
	int tripped = 0;
	for (size_t i = 0; i < s->n; i++) {
		ms_diff *d = diff_of_type(s, s->gates[i].type, np, bases, nbases, o, err);
		if (!d || ms_gate_eval(&s->gates[i], d, err) < 0)
			return -1;
		tripped += s->gates[i].tripped;
	}
	return tripped;
}

void ms_gateset_free(ms_gateset *s)
{
	for (size_t i = 0; i < s->ndiffs; i++)
		ms_diff_free(&s->diffs[i]);
	free(s->diffs);
	for (size_t i = 0; i < s->n; i++)
		ms_gate_free(&s->gates[i]);
	free(s->gates);
	memset(s, 0, sizeof *s);
}
