/* stackset.h — a set of distinct stacks (sequences of uint32 ids), each
 * interned once: the folded and perf script readers merge identical sample
 * stacks with it, the flame code merges collapsed stacks.
 *
 * Stack i is ids[off[i] .. off[i] + depth[i]); ids are 0-based in the order
 * stacks were first added, so callers keep per-stack values in a parallel
 * array of their own. An open-addressing table of the stacks' hashes
 * (linear probing, at most half full) finds a stack in one hash of its ids
 * and usually one compare. The table starts small (64 slots), so a tiny
 * input costs little. */
#ifndef MS_STACKSET_H
#define MS_STACKSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct ms_stackset {
	uint32_t *ids;   /* every stack's ids */
	size_t nids, ids_cap;
	uint64_t *off;   /* per stack */
	uint32_t *depth;
	uint64_t *hash;
	size_t n, cap;   /* stacks */
	uint32_t *slots; /* stack index + 1, 0 = empty */
	size_t nslots;
} ms_stackset;

#define MS_STACKSET_INIT { 0 }

/* The index of the stack (added if new; *added says which, if non-NULL). */
size_t ms_stackset_intern(ms_stackset *s, const uint32_t *ids, size_t depth, int *added);

static inline const uint32_t *ms_stackset_get(const ms_stackset *s, size_t i, size_t *depth)
{
	*depth = s->depth[i];
	return s->ids + s->off[i];
}

void ms_stackset_free(ms_stackset *s);

#endif
