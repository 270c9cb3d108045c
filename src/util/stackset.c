/* stackset.c — interning of distinct stacks (stackset.h). */
#include "config.h"
#include "util/stackset.h"

#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/strtab.h"

static void grow_slots(ms_stackset *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 64;
	uint32_t *slots = ms_xcalloc(n, sizeof *slots);
	for (size_t k = 0; k < s->n; k++) {
		size_t i = (size_t)s->hash[k] & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = n;
}

size_t ms_stackset_intern(ms_stackset *s, const uint32_t *ids, size_t depth, int *added)
{
	uint64_t h = ms_hash_bytes(ids, depth * sizeof *ids);
	if ((s->n + 1) * 2 > s->nslots)
		grow_slots(s);
	size_t i = (size_t)h & (s->nslots - 1);
	for (;; i = (i + 1) & (s->nslots - 1)) {
		uint32_t k = s->slots[i];
		if (!k)
			break;
		k--;
		if (s->hash[k] == h && s->depth[k] == depth && memcmp(s->ids + s->off[k], ids, depth * sizeof *ids) == 0) {
			if (added)
				*added = 0;
			return k;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		s->off = ms_xreallocarray(s->off, cap, sizeof *s->off);
		s->depth = ms_xreallocarray(s->depth, cap, sizeof *s->depth);
		s->hash = ms_xreallocarray(s->hash, cap, sizeof *s->hash);
		s->cap = cap;
	}
	MS_GROW(s->ids, s->nids, s->ids_cap, depth);
	size_t k = s->n++;
	if (depth)
		memcpy(s->ids + s->nids, ids, depth * sizeof *ids);
	s->off[k] = s->nids;
	s->depth[k] = (uint32_t)depth;
	s->hash[k] = h;
	s->nids += depth;
	s->slots[i] = (uint32_t)k + 1;
	if (added)
		*added = 1;
	return k;
}

void ms_stackset_free(ms_stackset *s)
{
	free(s->ids);
	free(s->off);
	free(s->depth);
	free(s->hash);
	free(s->slots);
	memset(s, 0, sizeof *s);
}
