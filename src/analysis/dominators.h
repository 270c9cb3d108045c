/* dominators.h — immediate dominators of a directed graph (semi-NCA), for
 * the Go heap dump's dominator tree (analysis/goheap.c). The algorithm and
 * its rules are in dominators.c's header. */
#ifndef MS_DOMINATORS_H
#define MS_DOMINATORS_H

#include <stddef.h>
#include <stdint.h>

#define MS_DOM_NONE UINT32_MAX

/* A graph in two compressed-sparse-row parts: nodes [0, n1) have the
 * successors edges1[start1[v] .. start1[v+1]), nodes [n1, n) have
 * edges2[start2[v-n1] .. start2[v-n1+1]). Edge targets are node ids. (The
 * heap graph: objects in part 1 as the dump reader made them, root nodes in
 * part 2, so the objects' edges are never copied.) */
typedef struct ms_digraph {
	size_t n, n1;
	const uint32_t *start1, *edges1;
	const uint32_t *start2, *edges2;
	/* Optional: called once the edges have been read for the last time
	 * (before the semidominator step), so the caller can free them. */
	void (*edges_done)(void *ctx);
	void *edges_ctx;
} ms_digraph;

/* The result, in depth-first preorder from the root:
 *   nreach        nodes reachable from the root (the root is number 0)
 *   vertex[i]     node with preorder number i, i < nreach
 *   idom[i]       preorder number of the immediate dominator of vertex[i]
 *                 (idom[0] = 0); always idom[i] < i
 * so a pass over i = nreach-1 .. 1 visits every node before its dominator
 * (that is how retained sizes are summed). */
typedef struct ms_domtree {
	size_t nreach;
	uint32_t *vertex;
	uint32_t *idom;
} ms_domtree;

/* Computes the tree; n must be < 2^32 - 1 and the edges fewer than 2^32.
 * Memory: 4 arrays of n and one of the reachable edges at the peak, none
 * proportional to depth (no recursion). Exits on out of memory. */
void ms_dominators(const ms_digraph *g, uint32_t root, ms_domtree *t);
void ms_domtree_free(ms_domtree *t);

#endif
