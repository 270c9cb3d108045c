/* goheap.c — who keeps a Go heap alive: roots, reachability, dominator tree
 * and retained sizes over a heap dump (profile/godump.h).
 *
 * The graph (n = objects + root groups + 1 nodes):
 *   objects      nodes 0 .. N-1, edges = their pointer fields (the dump
 *                reader resolved interior pointers to the containing object)
 *   root groups  nodes N .. N+G-1, one per named retainer: a global
 *                variable (all pointer slots of one ELF symbol, or one slot
 *                ".bss+0x1a0" without symbols), one goroutine's frames of
 *                one function ("goroutine 18 main.holder (chan receive)"),
 *                its context, defers, panics, each finalizer ("finalizer on
 *                0x..."; it keeps its object and the closure: the object
 *                cannot be freed before the finalizer has run), each queued
 *                finalizer, each other root; edges = the objects its slots
 *                point into
 *   super-root   node N+G, an edge to every root group
 * Reachable = reachable from the super-root; the rest is garbage that the
 * next cycle frees (a dump taken with GC off, or between cycles).
 *
 * Dominators (analysis/dominators.c, semi-NCA): d dominates v when every
 * path super-root -> v passes d. Retained size of v:
 *     retained(v) = size(v) + Σ retained(c) over c with idom(c) = v
 * i.e. the bytes freed if v (or a root's references) went away. Summed in
 * one pass over reverse preorder (idom(c) precedes c). An object reachable
 * from two roots is dominated by the super-root and retained by neither.
 * Root group's retained = its subtree in the dominator tree.
 *
 * Labels: an object is named by its allocation site (the first frame
 * outside runtime.* of its alloc-sample's bucket, with what the runtime
 * frames above it say it is: "main.fill (map buckets)", "fmt.Sprintf
 * (string)") when sampled, else "obj[SIZE]" (its size-class slot size).
 */
#include "config.h"
#include "analysis/goheap.h"
#include "analysis/dominators.h"
#include "util/buf.h"
#include "util/pairmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LARGE_OBJECT 32768 /* Go's maxSmallSize */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *ms_gh_kind_name(ms_gh_kind k)
{
	static const char *const names[] = { "global", "stack", "finalizer", "other" };
	return names[k];
}

const char *ms_gh_goroutine_state(const ms_godump *d, size_t g)
{
	const ms_gd_goroutine *gr = &d->goroutines[g];
	const char *w = ms_godump_str(d, gr->waitreason);
	if (*w)
		return w;
	switch (gr->status) {
	case 1: return "runnable";
	case 2: return "running";
	case 3: return "syscall";
	case 4: return "waiting";
	default: return "unknown";
	}
}

static uint32_t intern(ms_goheap *h, const char *s) { return ms_strtab_intern0(&h->names, s); }

/* ---- root groups ------------------------------------------------------------ */

static uint32_t root_name(ms_goheap *h, const ms_godump *d, const ms_gd_rootptr *r, const ms_goheap_opts *o,
	ms_gh_kind *kind)
{
	char buf[512];
	const char *what = NULL;
	switch ((ms_gd_root_kind)r->kind) {
	case MS_GD_ROOT_DATA:
	case MS_GD_ROOT_BSS: {
		bool bss = r->kind == MS_GD_ROOT_BSS;
		uint64_t base = bss ? d->bss_addr : d->data_addr;
		*kind = MS_GH_GLOBAL;
		const char *sym = o->global_name ? o->global_name(o->global_ctx, base + r->off) : NULL;
		if (sym)
			return intern(h, sym);
		snprintf(buf, sizeof buf, "%s+0x%llx", bss ? ".bss" : ".data", (unsigned long long)r->off);
		return intern(h, buf);
	}
	case MS_GD_ROOT_FRAME:
		what = ms_godump_str(d, r->name);
		break;
	case MS_GD_ROOT_CTXT:
		what = "context";
		break;
	case MS_GD_ROOT_DEFER:
		what = "defer";
		break;
	case MS_GD_ROOT_PANIC:
		what = "panic";
		break;
	case MS_GD_ROOT_FINALIZER:
	case MS_GD_ROOT_QFINALIZER:
		*kind = MS_GH_FINALIZER;
		snprintf(buf, sizeof buf, "%s on 0x%llx", r->kind == MS_GD_ROOT_FINALIZER ? "finalizer" : "queued finalizer",
			(unsigned long long)r->off);
		return intern(h, buf);
	case MS_GD_ROOT_OTHER:
		*kind = MS_GH_OTHER;
		return intern(h, *ms_godump_str(d, r->name) ? ms_godump_str(d, r->name) : "other root");
	}
	*kind = MS_GH_STACK;
	if (r->goroutine == MS_GD_NONE)
		snprintf(buf, sizeof buf, "%s", what);
	else
		snprintf(buf, sizeof buf, "goroutine %llu %s (%s)",
			(unsigned long long)d->goroutines[r->goroutine].goid, what,
			ms_gh_goroutine_state(d, r->goroutine));
	return intern(h, buf);
}

/* ---- labels ---------------------------------------------------------------------- */

typedef struct labeler {
	ms_goheap *h;
	const ms_godump *d;
	uint32_t *bucket_label; /* per bucket */
	uint32_t *small_label;  /* per size <= LARGE_OBJECT: "obj[SIZE]" */
	ms_pairmap by_size;     /* larger sizes */
} labeler;

/* What the runtime frames above the allocation site say the object is:
 * the innermost runtime frame that names a kind. */
static const char *runtime_hint(const ms_godump *d, size_t b)
{
	static const struct {
		const char *func, *hint;
	} hints[] = {
		{ "runtime.makeBucketArray", "map buckets" }, { "runtime.hashGrow", "map buckets" },
		{ "runtime.(*hmap).newoverflow", "map buckets" }, { "runtime.makemap", "map" },
		{ "runtime.makemap_small", "map" }, { "runtime.growslice", "slice" }, { "runtime.makeslice", "slice" },
		{ "runtime.rawstring", "string" }, { "runtime.rawbyteslice", "slice" }, { "runtime.newproc1", "goroutine" },
		{ "runtime.malg", "goroutine" }, { "runtime.makechan", "chan" },
		{ "runtime.slicebytetostring", "string" }, { "runtime.concatstrings", "string" },
	};
	const ms_gd_bucket *bk = &d->buckets[b];
	for (uint32_t i = 0; i < bk->nframes; i++) {
		const char *f = ms_godump_str(d, d->frame_func[bk->frame_off + i]);
		if (strncmp(f, "runtime.", 8) != 0)
			return NULL;
		for (size_t k = 0; k < sizeof hints / sizeof hints[0]; k++)
			if (strcmp(f, hints[k].func) == 0)
				return hints[k].hint;
	}
	return NULL;
}

static uint32_t label_of(labeler *l, uint32_t obj)
{
	const ms_godump *d = l->d;
	if (d->sample && d->sample[obj] != MS_GD_NONE) {
		uint32_t b = d->sample[obj];
		if (l->bucket_label[b] == MS_GD_NONE) {
			uint32_t f = ms_godump_bucket_site(d, b);
			const char *hint = runtime_hint(d, b);
			char buf[512];
			snprintf(buf, sizeof buf, hint ? "%s (%s)" : "%s", f ? ms_godump_str(d, f) : "?", hint);
			l->bucket_label[b] = intern(l->h, buf);
		}
		return l->bucket_label[b];
	}
	uint32_t sz = d->size[obj];
	uint32_t id = sz <= LARGE_OBJECT ? l->small_label[sz] : ms_pairmap_get(&l->by_size, sz, 0);
	if (id == UINT32_MAX) {
		char buf[48];
		snprintf(buf, sizeof buf, "obj[%u]", sz);
		id = intern(l->h, buf);
		if (sz <= LARGE_OBJECT)
			l->small_label[sz] = id;
		else
			ms_pairmap_put(&l->by_size, sz, 0, id);
	}
	return id;
}

/* ---- tables ------------------------------------------------------------------------ */

static int cmp_root(const void *a, const void *b)
{
	const ms_gh_root *x = a, *y = b;
	if (x->retained_bytes != y->retained_bytes)
		return x->retained_bytes < y->retained_bytes ? 1 : -1;
	return x->name < y->name ? -1 : x->name > y->name;
}

static int cmp_group_retained(const void *a, const void *b)
{
	const ms_gh_group *x = a, *y = b;
	if (x->retained_bytes != y->retained_bytes)
		return x->retained_bytes < y->retained_bytes ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->label < y->label ? -1 : x->label > y->label;
}

static int cmp_group_size(const void *a, const void *b)
{
	const ms_gh_group *x = a, *y = b;
	uint64_t xs = x->size ? x->size : UINT64_MAX, ys = y->size ? y->size : UINT64_MAX;
	return xs < ys ? -1 : xs > ys;
}

static int cmp_wait(const void *a, const void *b)
{
	const ms_gh_wait *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->reason < y->reason ? -1 : x->reason > y->reason;
}

/* Finds or adds the group with this key (a label or a size) in a small
 * growable table indexed through a pairmap. */
static ms_gh_group *group_at(ms_gh_group **arr, size_t *n, size_t *cap, ms_pairmap *m, uint64_t key)
{
	uint32_t i = ms_pairmap_put(m, key, 0, (uint32_t)*n);
	if (i == *n) {
		MS_GROW(*arr, *n, *cap, 1);
		memset(&(*arr)[*n], 0, sizeof **arr);
		(*n)++;
	}
	return &(*arr)[i];
}

/* "root → a → b ×3 → c": the dominator chain of preorder number i (an
 * object dominated by no single root starts at "(several roots)"). */
static char *chain_path(const ms_goheap *h, const ms_domtree *t, const uint32_t *lab, size_t i, size_t nobj)
{
	size_t cap = 64, n = 0, top = i;
	uint32_t *chain = ms_xmalloc(cap * sizeof *chain);
	for (size_t x = i; x != 0; x = t->idom[x]) {
		MS_GROW(chain, n, cap, 1);
		chain[n++] = lab[x];
		top = x;
	}
	ms_buf b = MS_BUF_INIT;
	if (t->vertex[top] < nobj)
		ms_buf_addstr(&b, "(several roots)");
	for (size_t j = n; j > 0;) {
		uint32_t l = chain[j - 1];
		size_t run = 0;
		while (j > 0 && chain[j - 1] == l) {
			j--;
			run++;
		}
		if (b.len)
			ms_buf_addstr(&b, " → ");
		ms_buf_addstr(&b, ms_gh_name(h, l));
		if (run > 1)
			ms_buf_addf(&b, " ×%zu", run);
	}
	free(chain);
	if (!b.data)
		ms_buf_addstr(&b, "");
	return ms_buf_detach(&b, NULL);
}

static void drop_edges(void *ctx)
{
	ms_godump *d = ctx;
	free(d->edges);
	free(d->estart);
	d->edges = NULL;
	d->estart = NULL;
}

int ms_goheap_analyze(ms_goheap *h, ms_godump *d, const ms_goheap_opts *o, ms_err *err)
{
	double t0 = now();
	memset(h, 0, sizeof *h);
	ms_strtab_init(&h->names);
	size_t N = d->nobjects;
	/* the address index is not needed past the reader */
	free(d->sorted);
	free(d->pages);
	d->sorted = NULL;
	d->pages = NULL;
	if (!d->estart) /* no objects, or already analysed */
		d->estart = ms_xcalloc(N + 1, sizeof *d->estart);
	if (!d->edges)
		d->edges = ms_xcalloc(1, sizeof *d->edges);

	/* 1. root groups */
	ms_pairmap gmap;
	ms_pairmap_init(&gmap, 64);
	uint32_t *rgroup = ms_xmalloc((d->nroots ? d->nroots : 1) * sizeof *rgroup);
	size_t roots_cap = 0;
	for (size_t i = 0; i < d->nroots; i++) {
		const ms_gd_rootptr *r = &d->roots[i];
		rgroup[i] = MS_GD_NONE;
		if (r->obj == MS_GD_NONE)
			continue;
		ms_gh_kind kind;
		uint32_t name = root_name(h, d, r, o, &kind);
		uint32_t g = ms_pairmap_put(&gmap, name, 0, (uint32_t)h->nroots);
		if (g == h->nroots) {
			MS_GROW(h->roots, h->nroots, roots_cap, 1);
			h->roots[h->nroots++] = (ms_gh_root){ .kind = kind, .name = name,
				.goroutine = kind == MS_GH_STACK ? r->goroutine : MS_GD_NONE };
		}
		rgroup[i] = g;
	}
	ms_pairmap_free(&gmap);
	size_t G = h->nroots;
	if ((uint64_t)N + G + 1 >= UINT32_MAX) {
		free(rgroup);
		return ms_seterr(err, "too many objects and roots");
	}
	/* part 2 of the graph: groups' edges, then the super-root's */
	uint32_t *start2 = ms_xcalloc(G + 2, sizeof *start2);
	for (size_t i = 0; i < d->nroots; i++)
		if (rgroup[i] != MS_GD_NONE)
			start2[rgroup[i] + 1]++;
	for (size_t g = 0; g < G; g++)
		start2[g + 1] += start2[g];
	size_t nre = start2[G];
	uint32_t *edges2 = ms_xmalloc((nre + G + 1) * sizeof *edges2);
	uint32_t *fill = ms_xmalloc((G + 1) * sizeof *fill);
	memcpy(fill, start2, (G + 1) * sizeof *fill);
	for (size_t i = 0; i < d->nroots; i++)
		if (rgroup[i] != MS_GD_NONE)
			edges2[fill[rgroup[i]]++] = d->roots[i].obj;
	free(fill);
	free(rgroup);
	for (size_t g = 0; g < G; g++)
		edges2[nre + g] = (uint32_t)(N + g);
	start2[G + 1] = (uint32_t)(nre + G);
	ms_digraph gr = {
		.n = N + G + 1, .n1 = N, .start1 = d->estart, .edges1 = d->edges, .start2 = start2, .edges2 = edges2,
		.edges_done = drop_edges, .edges_ctx = d,
	};
	double t1 = now();
	h->secs_graph = t1 - t0;

	/* 2. dominators */
	ms_domtree t;
	ms_dominators(&gr, (uint32_t)(N + G), &t);
	free(start2);
	free(edges2);
	double t2 = now();
	h->secs_dominators = t2 - t1;

	/* 3. retained sizes, reverse preorder */
	size_t nr = t.nreach;
	uint64_t *rb = ms_xmalloc(nr * sizeof *rb);
	uint32_t *ro = ms_xmalloc(nr * sizeof *ro);
	for (size_t i = 0; i < nr; i++) {
		uint32_t v = t.vertex[i];
		rb[i] = v < N ? d->size[v] : 0;
		ro[i] = v < N;
	}
	for (size_t i = nr - 1; i >= 1; i--) {
		rb[t.idom[i]] += rb[i];
		ro[t.idom[i]] += ro[i];
	}
	h->objects = N;
	h->bytes = d->heap_bytes;
	h->reachable_objects = ro[0];
	h->reachable_bytes = rb[0];
	for (size_t i = 0; i < nr; i++) {
		uint32_t v = t.vertex[i];
		if (v >= N && v < N + G) {
			h->roots[v - N].retained_bytes = rb[i];
			h->roots[v - N].retained_objects = ro[i];
		}
	}
	h->g_retained_bytes = ms_xcalloc(d->ngoroutines ? d->ngoroutines : 1, sizeof *h->g_retained_bytes);
	h->g_retained_objects = ms_xcalloc(d->ngoroutines ? d->ngoroutines : 1, sizeof *h->g_retained_objects);
	for (size_t g = 0; g < G; g++)
		if (h->roots[g].goroutine != MS_GD_NONE) {
			h->g_retained_bytes[h->roots[g].goroutine] += h->roots[g].retained_bytes;
			h->g_retained_objects[h->roots[g].goroutine] += h->roots[g].retained_objects;
		}

	/* 4. labels per reachable vertex (roots: their names) */
	labeler lb = { .h = h, .d = d };
	lb.bucket_label = ms_xmalloc((d->nbuckets ? d->nbuckets : 1) * sizeof *lb.bucket_label);
	memset(lb.bucket_label, 0xff, d->nbuckets * sizeof *lb.bucket_label);
	ms_pairmap_init(&lb.by_size, 64);
	lb.small_label = ms_xmalloc((LARGE_OBJECT + 1) * sizeof *lb.small_label);
	memset(lb.small_label, 0xff, (LARGE_OBJECT + 1) * sizeof *lb.small_label);
	uint32_t *lab = ms_xmalloc(nr * sizeof *lab);
	lab[0] = intern(h, "all roots");
	for (size_t i = 1; i < nr; i++) {
		uint32_t v = t.vertex[i];
		lab[i] = v < N ? label_of(&lb, v) : h->roots[v - N].name;
	}

	/* 5. by site and by size class, every object (reachable or not) */
	ms_pairmap smap;
	ms_pairmap_init(&smap, 64);
	size_t sites_cap = 0, classes_cap = 0;
	/* class row of each object size (0: the large objects) */
	uint32_t *crow = ms_xmalloc((LARGE_OBJECT + 1) * sizeof *crow);
	memset(crow, 0xff, (LARGE_OBJECT + 1) * sizeof *crow);
#define CLASS_KEY(sz) ((sz) <= LARGE_OBJECT ? (sz) : 0)
	for (size_t v = 0; v < N; v++) {
		uint64_t sz = d->size[v];
		uint32_t *row = &crow[CLASS_KEY(sz)];
		if (*row == UINT32_MAX) {
			MS_GROW(h->classes, h->nclasses, classes_cap, 1);
			memset(&h->classes[h->nclasses], 0, sizeof *h->classes);
			*row = (uint32_t)h->nclasses++;
		}
		ms_gh_group *c = &h->classes[*row];
		c->size = CLASS_KEY(sz);
		c->objects++;
		c->bytes += sz;
		if (d->sample && d->sample[v] != MS_GD_NONE) {
			uint32_t l = label_of(&lb, (uint32_t)v);
			ms_gh_group *s = group_at(&h->sites, &h->nsites, &sites_cap, &smap, l);
			s->label = l;
			s->objects++;
			s->bytes += sz;
		}
	}
	for (size_t i = 1; i < nr; i++) {
		uint32_t v = t.vertex[i];
		if (v >= N)
			continue;
		uint64_t sz = d->size[v];
		uint32_t p = t.vertex[t.idom[i]];
		uint64_t key = CLASS_KEY(sz);
		ms_gh_group *c = &h->classes[crow[key]];
		c->reachable_objects++;
		c->reachable_bytes += sz;
		if (p >= N || CLASS_KEY(d->size[p]) != key) {
			c->retained_bytes += rb[i];
			c->retained_objects += ro[i];
		}
		if (d->sample && d->sample[v] != MS_GD_NONE) {
			ms_gh_group *s = &h->sites[ms_pairmap_get(&smap, lab[i], 0)];
			s->reachable_objects++;
			s->reachable_bytes += sz;
			if (p >= N || lab[t.idom[i]] != lab[i]) {
				s->retained_bytes += rb[i];
				s->retained_objects += ro[i];
			}
		}
	}
#undef CLASS_KEY
	ms_pairmap_free(&smap);
	free(crow);
	for (size_t i = 0; i < h->nclasses; i++) {
		char buf[48];
		if (h->classes[i].size)
			snprintf(buf, sizeof buf, "%llu", (unsigned long long)h->classes[i].size);
		else
			snprintf(buf, sizeof buf, "large");
		h->classes[i].label = intern(h, buf);
	}
	if (h->nclasses > 1)
		qsort(h->classes, h->nclasses, sizeof *h->classes, cmp_group_size);
	if (h->nsites > 1)
		qsort(h->sites, h->nsites, sizeof *h->sites, cmp_group_retained);

	/* 6. top objects: heads of runs (the dominator is not of the same label) */
	size_t want = o->top;
	h->top = ms_xcalloc(want ? want : 1, sizeof *h->top);
	for (size_t i = 1; i < nr && want; i++) {
		uint32_t v = t.vertex[i];
		if (v >= N)
			continue;
		uint32_t p = t.vertex[t.idom[i]];
		if (p < N && lab[t.idom[i]] == lab[i])
			continue;
		if (h->ntop == want && rb[i] <= h->top[want - 1].retained_bytes)
			continue;
		size_t at = h->ntop < want ? h->ntop++ : want - 1;
		while (at > 0 && h->top[at - 1].retained_bytes < rb[i]) {
			h->top[at] = h->top[at - 1];
			at--;
		}
		h->top[at] = (ms_gh_object){ .obj = v, .addr = d->addr[v], .size = d->size[v], .label = lab[i],
			.retained_bytes = rb[i], .retained_objects = ro[i], .path = (char *)(uintptr_t)i };
	}
	for (size_t k = 0; k < h->ntop; k++)
		h->top[k].path = chain_path(h, &t, lab, (size_t)(uintptr_t)h->top[k].path, N);

	/* 7. the folded tree */
	if (o->tree) {
		uint32_t *node = ms_xmalloc(nr * sizeof *node);
		size_t tcap = 0;
		ms_pairmap tmap;
		ms_pairmap_init(&tmap, 1024);
		MS_GROW(h->tree, h->ntree, tcap, 1);
		h->tree[h->ntree++] = (ms_gh_node){ .parent = MS_GD_NONE, .label = lab[0] };
		node[0] = 0;
		for (size_t i = 1; i < nr; i++) {
			uint32_t p = node[t.idom[i]];
			uint32_t v = t.vertex[i];
			uint32_t x;
			if (p != 0 && v < N && h->tree[p].label == lab[i] && t.vertex[t.idom[i]] < N) {
				x = p;
			} else {
				x = ms_pairmap_put(&tmap, p, lab[i], (uint32_t)h->ntree);
				if (x == h->ntree) {
					MS_GROW(h->tree, h->ntree, tcap, 1);
					h->tree[h->ntree++] = (ms_gh_node){ .parent = p, .label = lab[i] };
				}
			}
			node[i] = x;
			if (v < N) {
				h->tree[x].self_bytes += d->size[v];
				h->tree[x].self_objects++;
			}
		}
		ms_pairmap_free(&tmap);
		free(node);
	}

	/* 8. goroutines by wait reason */
	ms_pairmap wmap;
	ms_pairmap_init(&wmap, 16);
	size_t waits_cap = 0;
	for (size_t g = 0; g < d->ngoroutines; g++) {
		uint32_t r = intern(h, ms_gh_goroutine_state(d, g));
		uint32_t i = ms_pairmap_put(&wmap, r, 0, (uint32_t)h->nwaits);
		if (i == h->nwaits) {
			MS_GROW(h->waits, h->nwaits, waits_cap, 1);
			h->waits[h->nwaits++] = (ms_gh_wait){ .reason = r };
		}
		h->waits[i].count++;
	}
	ms_pairmap_free(&wmap);
	if (h->nwaits > 1)
		qsort(h->waits, h->nwaits, sizeof *h->waits, cmp_wait);
	if (h->nroots > 1)
		qsort(h->roots, h->nroots, sizeof *h->roots, cmp_root);

	free(lab);
	free(lb.bucket_label);
	ms_pairmap_free(&lb.by_size);
	free(lb.small_label);
	free(rb);
	free(ro);
	ms_domtree_free(&t);
	h->secs_retained = now() - t2;
	return 0;
}

void ms_goheap_free(ms_goheap *h)
{
	ms_strtab_free(&h->names);
	for (size_t i = 0; i < h->ntop; i++)
		free(h->top[i].path);
	free(h->top);
	free(h->roots);
	free(h->sites);
	free(h->classes);
	free(h->g_retained_bytes);
	free(h->g_retained_objects);
	free(h->waits);
	free(h->tree);
	memset(h, 0, sizeof *h);
}
