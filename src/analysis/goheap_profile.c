/* goheap_profile.c — a Go heap dump into the rest of memscope:
 *   ms_goheap_profile   the folded dominator tree as a profile, so convert,
 *                       flame, top, diff and info read dumps: one sample per
 *                       tree node with its own objects, sample types
 *                       retained_space/bytes and retained_objects/count,
 *                       stack = the node's chain (root first in the flame
 *                       graph, leaf first in the model): "main.Cache",
 *                       "obj[48]", "obj[112] ×1000" (a run of one label
 *                       folded into one frame with its object count). A
 *                       frame's cumulative value is what it retains.
 *   ms_goheap_diff_roots  retained bytes by root between two dumps (diff).
 *   ms_goheap_fragdump  objects per size class and the memstats record as
 *                       the fragmentation report's input (analysis/frag.h),
 *                       like a Go MemStats snapshot (no per-span data).
 */
#include "config.h"
#include "analysis/goheap.h"
#include "profile/msrt_dump.h"
#include "profile/profile.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Go's size classes (runtime/sizeclasses.go, unchanged from Go 1.12 to
 * 1.23): object size and pages per span. */
static const uint16_t go_class_size[] = { 0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208,
	224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408,
	1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
	9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768 };
static const uint8_t go_class_pages[] = { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7,
	2, 9, 7, 5, 8, 3, 10, 7, 4 };
#define GO_NCLASSES (sizeof go_class_size / sizeof go_class_size[0])

ms_profile *ms_goheap_profile(const ms_goheap *h, const ms_godump *d)
{
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "retained_space", "bytes");
	ms_profile_add_type(p, "retained_objects", "count");
	p->default_type = ms_profile_str(p, "retained_space");
	char buf[600];
	snprintf(buf, sizeof buf, "Go heap dump (%s): %llu objects, %llu bytes; reachable %llu objects, %llu bytes",
		ms_godump_str(d, d->go_version), (unsigned long long)h->objects, (unsigned long long)h->bytes,
		(unsigned long long)h->reachable_objects, (unsigned long long)h->reachable_bytes);
	p->comments = ms_xcalloc(3, sizeof *p->comments);
	p->comments[p->ncomments++] = ms_profile_str(p, buf);
	snprintf(buf, sizeof buf, "%zu goroutines, %zu roots; values: the dominator tree's retained sizes",
		d->ngoroutines, h->nroots);
	p->comments[p->ncomments++] = ms_profile_str(p, buf);
	/* one location per tree node */
	uint32_t *loc = ms_xmalloc((h->ntree ? h->ntree : 1) * sizeof *loc);
	uint32_t empty = ms_profile_str(p, "");
	for (size_t i = 0; i < h->ntree; i++) {
		const ms_gh_node *n = &h->tree[i];
		if (n->self_objects > 1)
			snprintf(buf, sizeof buf, "%s ×%llu", ms_gh_name(h, n->label), (unsigned long long)n->self_objects);
		else
			snprintf(buf, sizeof buf, "%s", ms_gh_name(h, n->label));
		uint32_t f = ms_profile_intern_function(p, ms_profile_str(p, buf), empty);
		loc[i] = ms_profile_intern_frame(p, f, 0);
	}
	size_t cap = 64;
	uint32_t *stack = ms_xmalloc(cap * sizeof *stack);
	for (size_t i = 1; i < h->ntree; i++) {
		const ms_gh_node *n = &h->tree[i];
		if (!n->self_objects)
			continue;
		size_t depth = 0;
		for (size_t x = i; x != 0; x = h->tree[x].parent) { /* leaf first; node 0 (all roots) left out */
			MS_GROW(stack, depth, cap, 1);
			stack[depth++] = loc[x];
		}
		int64_t v[2] = { (int64_t)n->self_bytes, (int64_t)n->self_objects };
		ms_profile_add_sample(p, stack, depth, v, NULL, 0);
	}
	free(stack);
	free(loc);
	ms_profile_assign_ids(p);
	return p;
}

void ms_goheap_fragdump(const ms_goheap *h, const ms_godump *d, ms_heapdump *out)
{
	memset(out, 0, sizeof *out);
	out->source = MS_HD_GO_MEMSTATS;
	out->page_size = 8192;
	const uint64_t *m = d->memstats;
	out->heap_sys = m[MS_GD_MS_HEAP_SYS];
	out->heap_inuse = m[MS_GD_MS_HEAP_INUSE];
	out->heap_idle = m[MS_GD_MS_HEAP_IDLE];
	out->heap_released = m[MS_GD_MS_HEAP_RELEASED] <= out->heap_idle ? m[MS_GD_MS_HEAP_RELEASED] : out->heap_idle;
	out->heap_alloc = m[MS_GD_MS_HEAP_ALLOC];
	out->heap_objects = m[MS_GD_MS_HEAP_OBJECTS];
	out->metadata_sys = m[MS_GD_MS_SYS] > out->heap_sys ? m[MS_GD_MS_SYS] - out->heap_sys : 0;
	if (!d->has_memstats) { /* no memstats record: the objects themselves */
		out->heap_alloc = out->heap_inuse = out->heap_sys = h->bytes;
		out->heap_objects = h->objects;
	}
	out->classes = ms_xcalloc(h->nclasses ? h->nclasses : 1, sizeof *out->classes);
	for (size_t i = 0; i < h->nclasses; i++) {
		const ms_gh_group *g = &h->classes[i];
		if (g->size == 0) {
			out->large_objects += g->objects;
			out->large_bytes += g->bytes;
			continue;
		}
		ms_hd_class *c = &out->classes[out->nclasses++];
		c->size = g->size;
		c->objects_live = g->objects;
		c->mallocs = g->objects;
		for (unsigned k = 1; k < GO_NCLASSES; k++)
			if (go_class_size[k] == g->size) {
				c->cls = k;
				c->span_pages = go_class_pages[k];
			}
	}
}

static int cmp_rootdiff(const void *a, const void *b)
{
	const ms_gh_rootdiff *x = a, *y = b;
	uint64_t dx = x->new_bytes > x->base_bytes ? x->new_bytes - x->base_bytes : x->base_bytes - x->new_bytes;
	uint64_t dy = y->new_bytes > y->base_bytes ? y->new_bytes - y->base_bytes : y->base_bytes - y->new_bytes;
	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->name, y->name);
}

ms_gh_rootdiff *ms_goheap_diff_roots(const ms_goheap *base, const ms_goheap *cur, size_t *n)
{
	ms_gh_rootdiff *rows = ms_xcalloc(base->nroots + cur->nroots + 1, sizeof *rows);
	size_t k = 0;
	for (size_t i = 0; i < cur->nroots; i++) {
		const ms_gh_root *r = &cur->roots[i];
		rows[k++] = (ms_gh_rootdiff){ .name = ms_gh_name(cur, r->name), .kind = r->kind,
			.new_bytes = r->retained_bytes, .new_objects = r->retained_objects };
	}
	size_t ncur = k;
	for (size_t i = 0; i < base->nroots; i++) {
		const ms_gh_root *r = &base->roots[i];
		const char *name = ms_gh_name(base, r->name);
		uint32_t id = ms_strtab_find(&cur->names, name, strlen(name));
		ms_gh_rootdiff *row = NULL;
		for (size_t j = 0; id != UINT32_MAX && j < ncur; j++)
			if (cur->roots[j].name == id)
				row = &rows[j];
		if (!row) {
			row = &rows[k++];
			*row = (ms_gh_rootdiff){ .name = name, .kind = r->kind };
		}
		row->base_bytes = r->retained_bytes;
		row->base_objects = r->retained_objects;
	}
	qsort(rows, k, sizeof *rows, cmp_rootdiff);
	*n = k;
	return rows;
}
