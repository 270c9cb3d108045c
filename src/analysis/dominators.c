/* dominators.c — immediate dominators by semi-NCA (Georgiadis, "Linear-
 * Time Algorithms for Dominators and Related Problems", 2005; the variant
 * LLVM's GenericDomTreeConstruction uses), iterative throughout so a list
 * millions of objects long needs no stack.
 *
 * Terms (numbers are DFS preorder numbers, root = 0):
 *   parent(w)  w's parent in the DFS spanning tree
 *   sdom(w)    semidominator: the smallest v with a path v -> ... -> w whose
 *              inner vertices are all numbered above w
 *   idom(w)    immediate dominator: the last vertex every root -> w path
 *              goes through
 *
 * Steps:
 *   1. DFS from the root: number the vertices in preorder, record parent.
 *      An explicit stack of (vertex, next edge) replaces recursion.
 *   2. Predecessor lists in preorder numbers (a compressed-sparse-row
 *      reverse graph of the reachable part).
 *   3. Semidominators, w = n-1 down to 1:
 *          sdom(w) = min over predecessors v of w of
 *                      v                                   if v < w
 *                      min{ sdom(u) : u on the forest path
 *                           from v up to (not incl.) its root } otherwise
 *      The forest holds the vertices already processed (> w), linked to
 *      their DFS parent; eval(v) answers the min with path compression
 *      (label[x] = the vertex of least sdom on x's compressed path), walking
 *      the path with an explicit stack.
 *   4. Nearest common ancestor step, w = 1 .. n-1 in preorder:
 *          idom(w) = the first ancestor x of parent(w) in the dominator
 *                    tree built so far with x <= sdom(w)
 *      i.e. start at x = parent(w), replace x by idom(x) while x > sdom(w).
 *
 * Cost: O(m log n) with this (simple) compression; in practice linear-ish.
 * Memory at the peak (step 3): vertex, idom, ancestor, semi, label and the
 * eval stack (4 bytes each per reachable vertex) plus the reverse graph;
 * the caller may free the forward graph before it (edges_done).
 */
#include "config.h"
#include "analysis/dominators.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

static inline void succ(const ms_digraph *g, uint32_t v, const uint32_t **b, const uint32_t **e)
{
	if (v < g->n1) {
		*b = g->edges1 + g->start1[v];
		*e = g->edges1 + g->start1[v + 1];
	} else {
		*b = g->edges2 + g->start2[v - g->n1];
		*e = g->edges2 + g->start2[v - g->n1 + 1];
	}
}

void ms_dominators(const ms_digraph *g, uint32_t root, ms_domtree *t)
{
	size_t n = g->n;
	uint32_t *pre = ms_xmalloc((n ? n : 1) * sizeof *pre);
	memset(pre, 0xff, n * sizeof *pre);
	uint32_t *vertex = ms_xmalloc((n ? n : 1) * sizeof *vertex);
	uint32_t *parent = ms_xmalloc((n ? n : 1) * sizeof *parent);

	/* 1. DFS. stack[] holds preorder numbers, cursor[i] the next edge of
	 * vertex i, relative to its first edge. */
	uint32_t *stack = ms_xmalloc((n ? n : 1) * sizeof *stack);
	uint32_t *cursor = ms_xmalloc((n ? n : 1) * sizeof *cursor);
	size_t k = 0, sp = 0;
	pre[root] = 0;
	vertex[0] = root;
	parent[0] = 0;
	cursor[0] = 0;
	stack[sp++] = 0;
	while (sp) {
		uint32_t i = stack[sp - 1];
		const uint32_t *b, *e;
		succ(g, vertex[i], &b, &e);
		const uint32_t *p = b + cursor[i];
		while (p < e && pre[*p] != MS_DOM_NONE)
			p++;
		if (p == e) {
			sp--;
			continue;
		}
		cursor[i] = (uint32_t)(p + 1 - b);
		uint32_t w = *p;
		k++;
		pre[w] = (uint32_t)k;
		vertex[k] = w;
		parent[k] = i;
		cursor[k] = 0;
		stack[sp++] = (uint32_t)k;
	}
	size_t nr = k + 1;
	free(cursor);

	/* 2. predecessors, in preorder numbers: count into rstart[w], make
	 * that the end of w's block (inclusive prefix sums), then fill each
	 * block from its end, which leaves rstart[w] at its start */
	free(stack);
	uint32_t *rstart = ms_xcalloc(nr + 1, sizeof *rstart);
	for (size_t i = 0; i < nr; i++) {
		const uint32_t *b, *e;
		succ(g, vertex[i], &b, &e);
		for (const uint32_t *p = b; p < e; p++)
			rstart[pre[*p]]++;
	}
	for (size_t i = 1; i < nr; i++)
		rstart[i] += rstart[i - 1];
	rstart[nr] = rstart[nr - 1];
	uint32_t *redges = ms_xmalloc((rstart[nr] ? rstart[nr] : 1) * sizeof *redges);
	for (size_t i = 0; i < nr; i++) {
		const uint32_t *b, *e;
		succ(g, vertex[i], &b, &e);
		for (const uint32_t *p = b; p < e; p++)
			redges[--rstart[pre[*p]]] = (uint32_t)i;
	}
	free(pre); /* not needed again: the predecessors are numbered */
	if (g->edges_done)
		g->edges_done(g->edges_ctx);

	/* 3. semidominators. ancestor[] starts as parent and is compressed;
	 * parent[] itself becomes idom[] in step 4. */
	uint32_t *ancestor = ms_xmalloc(nr * sizeof *ancestor);
	uint32_t *semi = ms_xmalloc(nr * sizeof *semi);
	uint32_t *label = ms_xmalloc(nr * sizeof *label);
	stack = ms_xmalloc(nr * sizeof *stack); /* eval's path */
	memcpy(ancestor, parent, nr * sizeof *ancestor);
	for (size_t i = 0; i < nr; i++)
		semi[i] = label[i] = (uint32_t)i;
	for (size_t w = nr - 1; w >= 1; w--) {
		uint32_t s = parent[w];
		for (uint32_t j = rstart[w]; j < rstart[w + 1]; j++) {
			uint32_t v = redges[j], u;
			if (v <= w) { /* not yet in the forest (v == w: a self loop) */
				u = v;
			} else {
				/* eval(v): collect the path up to the forest root's child
				 * (vertices > w are linked; the root of v's tree is the
				 * first ancestor <= w) */
				size_t depth = 0;
				uint32_t x = v;
				while (ancestor[x] > w) {
					stack[depth++] = x;
					x = ancestor[x];
				}
				/* x is the topmost linked vertex: compress top-down */
				while (depth) {
					uint32_t y = stack[--depth];
					uint32_t a = ancestor[y];
					if (a > w) {
						if (semi[label[a]] < semi[label[y]])
							label[y] = label[a];
						ancestor[y] = ancestor[a];
					}
				}
				u = label[v];
			}
			if (semi[u] < s)
				s = semi[u];
		}
		semi[w] = s;
	}
	free(ancestor);
	free(label);
	free(stack);
	free(rstart);
	free(redges);

	/* 4. idom by nearest common ancestor */
	uint32_t *idom = parent;
	idom[0] = 0;
	for (size_t w = 1; w < nr; w++) {
		uint32_t x = idom[w];
		while (x > semi[w])
			x = idom[x];
		idom[w] = x;
	}
	free(semi);
	t->nreach = nr;
	t->vertex = ms_xrealloc(vertex, nr * sizeof *vertex);
	t->idom = ms_xrealloc(idom, nr * sizeof *idom);
}

void ms_domtree_free(ms_domtree *t)
{
	free(t->vertex);
	free(t->idom);
	t->vertex = t->idom = NULL;
	t->nreach = 0;
}
