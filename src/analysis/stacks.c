/* stacks.c — collapsing a profile into distinct stacks, merging and
 * diffing them, writing folded lines, and building the flame graph's
 * prefix tree.
 *
 * Collapse: each sample's locations (leaf first) expand to frame names
 * (each location innermost inlined frame first, see profile/frames.h); read
 * backwards that is the folded root-first order. A hash of the name-id
 * sequence finds the distinct stack, whose column gets the sample's value:
 *   value[stack][col] = Σ value(sample) over samples with that stack,
 * so every column's total equals the sample type's total exactly.
 * Diff: base samples go to column 0 and new ones to column 1 of the same
 * table, which is difffolded.pl's join of two folded files. */
#include "config.h"
#include "analysis/stacks.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

void ms_stacks_init(ms_stacks *s, size_t ncols)
{
	memset(s, 0, sizeof *s);
	ms_strtab_init(&s->names);
	s->ncols = ncols == 2 ? 2 : 1;
}

void ms_stacks_free(ms_stacks *s)
{
	ms_strtab_free(&s->names);
	ms_stackset_free(&s->set);
	free(s->values);
	memset(s, 0, sizeof *s);
}

uint32_t ms_stacks_name(ms_stacks *s, const char *name, size_t n)
{
	size_t i = 0;
	while (i < n && name[i] != ';' && (unsigned char)name[i] >= 0x20)
		i++;
	if (i == n)
		return ms_strtab_intern(&s->names, name, n);
	ms_buf b = MS_BUF_INIT;
	ms_buf_add(&b, name, n);
	for (; i < n; i++) {
		if (b.data[i] == ';')
			b.data[i] = ':';
		else if ((unsigned char)b.data[i] < 0x20)
			b.data[i] = ' ';
	}
	uint32_t id = ms_strtab_intern(&s->names, b.data, b.len);
	ms_buf_free(&b);
	return id;
}

int ms_stacks_add(ms_stacks *s, const uint32_t *frames, size_t depth, size_t col, int64_t v, ms_err *err)
{
	/* every node of the tree sums a subset of a column (values are >= 0),
	 * so a column total that fits in 64 bits keeps them all in range */
	if (__builtin_add_overflow(s->sum[col], v, &s->sum[col]))
		return ms_seterr(err, "stack values overflow 64 bits");
	int added;
	size_t k = ms_stackset_intern(&s->set, frames, depth, &added);
	if (added) {
		if (k == s->values_cap) {
			s->values_cap = s->values_cap ? s->values_cap * 2 : 64;
			s->values = ms_xreallocarray(s->values, s->values_cap, s->ncols * sizeof *s->values);
		}
		for (size_t c = 0; c < s->ncols; c++)
			s->values[k * s->ncols + c] = 0;
	}
	s->values[k * s->ncols + col] += v;
	return 0;
}

int ms_stacks_add_profile(ms_stacks *s, const ms_profile *p, size_t type, ms_granularity g, size_t col,
	ms_err *err)
{
	if (type >= p->ntypes)
		return ms_seterr(err, "no sample type %zu", type);
	ms_frame_map fm;
	ms_frame_map_build(&fm, p, g);
	uint32_t nf = ms_frame_count(&fm);
	uint32_t *to_name = ms_xmalloc((nf ? nf : 1) * sizeof *to_name);
	for (uint32_t i = 0; i < nf; i++)
		to_name[i] = MS_NONE;
	uint32_t *buf = NULL;
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t v = ms_sample_values(p, i)[type];
		if (v == 0)
			continue;
		if (v < 0) {
			rc = ms_seterr(err, "sample %zu has a negative %s value (%lld): folded stacks need weights >= 0", i,
				ms_profile_string(p, p->types[type].type), (long long)v);
			break;
		}
		const ms_sample *sm = &p->samples[i];
		const uint32_t *st = ms_sample_stack(p, i);
		size_t n = 0;
		for (uint32_t k = 0; k < sm->depth; k++)
			n += fm.off[st[k] + 1] - fm.off[st[k]];
		if (n > cap) {
			cap = n * 2;
			buf = ms_xreallocarray(buf, cap, sizeof *buf);
		}
		/* leaf-first locations, innermost-first frames: reversed = root first */
		size_t j = n;
		for (uint32_t k = 0; k < sm->depth; k++) {
			uint32_t loc = st[k];
			for (uint64_t f = fm.off[loc]; f < fm.off[loc + 1]; f++) {
				uint32_t id = fm.frames[f];
				if (to_name[id] == MS_NONE) {
					const char *name = ms_frame_name(&fm, id);
					to_name[id] = ms_stacks_name(s, name, strlen(name));
				}
				buf[--j] = to_name[id];
			}
		}
		if ((rc = ms_stacks_add(s, buf, n, col, v, err)) < 0)
			break;
	}
	free(buf);
	free(to_name);
	ms_frame_map_free(&fm);
	return rc;
}

int ms_stacks_add_diff(ms_stacks *s, const ms_profile *base, size_t bi, const char *base_name, const ms_profile *np,
	size_t ni, const char *new_name, ms_granularity g, int normalize, ms_err *err)
{
	const char *nu = ms_profile_string(np, np->types[ni].unit), *bu = ms_profile_string(base, base->types[bi].unit);
	if (strcmp(nu, bu) != 0)
		return ms_seterr(err, "cannot compare '%s' in %s with '%s' in %s", ms_profile_string(base, base->types[bi].type),
			bu, ms_profile_string(np, np->types[ni].type), nu);
	if (ms_stacks_add_profile(s, base, bi, g, 0, err) < 0) {
		ms_err_prefix(err, base_name);
		return -1;
	}
	if (ms_stacks_add_profile(s, np, ni, g, 1, err) < 0) {
		ms_err_prefix(err, new_name);
		return -1;
	}
	if (normalize)
		ms_stacks_scale(s, 0, ms_stacks_total(s, 1), ms_stacks_total(s, 0));
	return 0;
}

int64_t ms_stacks_total(const ms_stacks *s, size_t col)
{
	int64_t t = 0;
	for (size_t i = 0; i < s->set.n; i++)
		t += s->values[i * s->ncols + col];
	return t;
}

void ms_stacks_scale(ms_stacks *s, size_t col, int64_t num, int64_t den)
{
	if (den == 0)
		return;
	s->sum[col] = 0;
	for (size_t i = 0; i < s->set.n; i++) {
		int64_t *v = &s->values[i * s->ncols + col];
		*v = (int64_t)((long double)*v * num / den + 0.5L);
		s->sum[col] += *v;
	}
}

/* ---- folded output -------------------------------------------------------- */

/* Compares two stacks as their joined text "a;b;c" compares under memcmp
 * (Perl's cmp), without building the strings. */
static int cmp_joined(const void *pa, const void *pb, void *ctx)
{
	const ms_stacks *s = ctx;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const uint32_t *fa = s->set.ids + s->set.off[a], *fb = s->set.ids + s->set.off[b];
	uint32_t na = s->set.depth[a], nb = s->set.depth[b];
	/* equal ids are equal names: skip the common prefix of frames */
	uint32_t i = 0;
	while (i < na && i < nb && fa[i] == fb[i])
		i++;
	if (i == na || i == nb) /* one stack is a prefix of the other */
		return na == nb ? 0 : na < nb ? -1 : 1;
	uint32_t ia = i, ib = i; /* frame index */
	const char *ca = s->names.str[fa[i]], *cb = s->names.str[fb[i]];
	for (;;) {
		/* next byte of each joined string: name bytes, ';' between frames,
		 * -1 at the end */
		int xa, xb;
		if (ia >= na)
			xa = -1;
		else if (*ca)
			xa = (unsigned char)*ca;
		else
			xa = ia + 1 < na ? ';' : -1;
		if (ib >= nb)
			xb = -1;
		else if (*cb)
			xb = (unsigned char)*cb;
		else
			xb = ib + 1 < nb ? ';' : -1;
		if (xa != xb)
			return xa < xb ? -1 : 1;
		if (xa == -1)
			return 0;
		if (*ca)
			ca++;
		else if (++ia < na)
			ca = s->names.str[fa[ia]];
		if (*cb)
			cb++;
		else if (++ib < nb)
			cb = s->names.str[fb[ib]];
	}
}

size_t ms_stacks_sorted(const ms_stacks *s, uint32_t **out)
{
	uint32_t *order = ms_xmalloc((s->set.n ? s->set.n : 1) * sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < s->set.n; i++) {
		int zero = 1;
		for (size_t c = 0; c < s->ncols; c++)
			zero &= s->values[i * s->ncols + c] == 0;
		if (!zero)
			order[n++] = (uint32_t)i;
	}
	qsort_r(order, n, sizeof *order, cmp_joined, (void *)s);
	*out = order;
	return n;
}

int ms_stacks_write_folded(const ms_stacks *s, FILE *fp)
{
	uint32_t *order;
	size_t n = ms_stacks_sorted(s, &order);
	ms_buf line = MS_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		uint32_t i = order[k];
		ms_buf_reset(&line);
		for (uint32_t f = 0; f < s->set.depth[i]; f++) {
			if (f)
				ms_buf_addch(&line, ';');
			uint32_t id = s->set.ids[s->set.off[i] + f];
			ms_buf_add(&line, s->names.str[id], s->names.len[id]);
		}
		for (size_t c = 0; c < s->ncols; c++)
			ms_buf_addf(&line, " %lld", (long long)s->values[i * s->ncols + c]);
		ms_buf_addch(&line, '\n');
		fwrite(line.data, 1, line.len, fp);
	}
	ms_buf_free(&line);
	free(order);
	return ferror(fp) ? -1 : 0;
}

/* ---- prefix tree ---------------------------------------------------------- */

/* Orders stacks frame by frame by name (strcmp), a prefix first: then the
 * stacks through any node are contiguous and its children appear in name
 * order, so the tree is built in one pass without lookups (flamegraph.pl's
 * "flow"). Equal ids are equal names, so common prefixes compare by id. */
static int cmp_framewise(const void *pa, const void *pb, void *ctx)
{
	const ms_stacks *s = ctx;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const uint32_t *fa = s->set.ids + s->set.off[a], *fb = s->set.ids + s->set.off[b];
	uint32_t na = s->set.depth[a], nb = s->set.depth[b];
	for (uint32_t i = 0; i < na && i < nb; i++)
		if (fa[i] != fb[i])
			return strcmp(s->names.str[fa[i]], s->names.str[fb[i]]) < 0 ? -1 : 1;
	return na == nb ? 0 : na < nb ? -1 : 1;
}

static uint32_t new_node(ms_flame_tree *t, size_t *cap, uint32_t name, uint32_t parent, uint32_t depth)
{
	if (t->nnodes == *cap) {
		*cap *= 2;
		t->nodes = ms_xreallocarray(t->nodes, *cap, sizeof *t->nodes);
	}
	t->nodes[t->nnodes] = (ms_flame_node){ name, parent, MS_NONE, MS_NONE, depth, 0, { 0, 0 }, { 0, 0 } };
	if (depth > t->max_depth)
		t->max_depth = depth;
	return (uint32_t)t->nnodes++;
}

/* A node still to expand: stacks order[lo..hi) all pass through it (they
 * share its d frames). */
typedef struct tree_work {
	uint32_t node, d;
	size_t lo, hi;
} tree_work;

void ms_flame_tree_build(ms_flame_tree *t, const ms_stacks *s, double scale, double minwidth)
{
	memset(t, 0, sizeof *t);
	t->stacks = s;
	t->ncols = s->ncols;
	size_t cap = 1024, nc = s->ncols, wc = nc - 1;
	t->nodes = ms_xmalloc(cap * sizeof *t->nodes);
	new_node(t, &cap, MS_NONE, MS_NONE, 0);

	size_t n = s->set.n;
	uint32_t *order = ms_xmalloc((n ? n : 1) * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, n, sizeof *order, cmp_framewise, (void *)s);
	/* prefix sums in sorted order: the stacks through a node are a range,
	 * so its total is sum[hi] - sum[lo] */
	int64_t *sum = ms_xmalloc((n + 1) * nc * sizeof *sum);
	for (size_t c = 0; c < nc; c++)
		sum[c] = 0;
	for (size_t k = 0; k < n; k++)
		for (size_t c = 0; c < nc; c++)
			sum[(k + 1) * nc + c] = sum[k * nc + c] + s->values[order[k] * nc + c];
	for (size_t c = 0; c < nc; c++)
		t->nodes[0].total[c] = sum[n * nc + c];

	size_t wcap = 64, nw = 0;
	tree_work *work = ms_xmalloc(wcap * sizeof *work);
	work[nw++] = (tree_work){ 0, 0, 0, n };
	while (nw > 0) {
		tree_work w = work[--nw];
		size_t lo = w.lo;
		/* stacks ending here come first (a prefix sorts first): self */
		while (lo < w.hi && s->set.depth[order[lo]] == w.d)
			lo++;
		for (size_t c = 0; c < nc; c++)
			t->nodes[w.node].self[c] = sum[lo * nc + c] - sum[w.lo * nc + c];
		/* children: runs of equal frame d, in name order */
		uint32_t prev = MS_NONE;
		for (size_t i = lo; i < w.hi;) {
			uint32_t id = s->set.ids[s->set.off[order[i]] + w.d];
			size_t j = i + 1;
			while (j < w.hi && s->set.ids[s->set.off[order[j]] + w.d] == id)
				j++;
			int64_t total = sum[j * nc + wc] - sum[i * nc + wc];
			if (minwidth <= 0 || (double)total * scale >= minwidth) {
				uint32_t child = new_node(t, &cap, id, w.node, w.d + 1);
				ms_flame_node *cn = &t->nodes[child];
				for (size_t c = 0; c < nc; c++)
					cn->total[c] = sum[j * nc + c] - sum[i * nc + c];
				/* left edge: the parent's, plus the earlier siblings' widths
				 * (pruned ones included, so nothing shifts) */
				cn->x = t->nodes[w.node].x + (sum[i * nc + wc] - sum[lo * nc + wc]);
				if (prev == MS_NONE)
					t->nodes[w.node].first_child = child;
				else
					t->nodes[prev].next_sibling = child;
				prev = child;
				if (nw == wcap) {
					wcap *= 2;
					work = ms_xreallocarray(work, wcap, sizeof *work);
				}
				work[nw++] = (tree_work){ child, w.d + 1, i, j };
			}
			i = j;
		}
	}
	free(work);
	free(sum);
	free(order);
}

void ms_flame_tree_free(ms_flame_tree *t)
{
	free(t->nodes);
	memset(t, 0, sizeof *t);
}
