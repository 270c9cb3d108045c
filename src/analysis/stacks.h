/* stacks.h — collapsed stacks: a profile's samples folded into distinct
 * stacks of frame names (root first) with one or two values, the model
 * behind folded output, flame graphs and differential flame graphs.
 *
 * Glossary
 *   name id   index into s->names (frame names; ';' and control bytes in a
 *             name are replaced so every name is safe in a folded line)
 *   stack     name ids, root first (folded order)
 *   column    one value per stack: a plain collapse has one; a
 *             differential one has two, base (column 0) and new (column 1),
 *             written "stack base new" as difffolded.pl does
 *   tree      the stacks merged into a prefix tree (node = frame at a path),
 *             what a flame graph draws: node width = its total, children
 *             left to right in name order, the parent's self value last.
 *             Built from the stacks sorted frame by frame: the stacks
 *             through a node are then a contiguous range, so with prefix
 *             sums its total is known before it is created, and pruned
 *             subtrees are never built.
 */
#ifndef MS_STACKS_H
#define MS_STACKS_H

#include <stdint.h>
#include <stdio.h>

#include "profile/frames.h"
#include "profile/profile.h"
#include "util/stackset.h"
#include "util/strtab.h"

typedef struct ms_stacks {
	ms_strtab names;
	size_t ncols;     /* 1 or 2 */
	ms_stackset set;  /* the distinct stacks (name ids, root first) */
	int64_t *values;  /* set.n * ncols */
	size_t values_cap; /* stacks */
	int64_t sum[2];   /* Σ values per column, kept to refuse overflow */
} ms_stacks;

void ms_stacks_init(ms_stacks *s, size_t ncols);
void ms_stacks_free(ms_stacks *s);

/* Interns a frame name (sanitised) and returns its id. */
uint32_t ms_stacks_name(ms_stacks *s, const char *name, size_t n);

/* Adds v to column col of the stack (name ids, root first). Returns -1 with
 * err set when the sum overflows 64 bits. */
int ms_stacks_add(ms_stacks *s, const uint32_t *frames, size_t depth, size_t col, int64_t v, ms_err *err);

/* Adds every sample of p: its value of sample type `type` goes to column
 * col; frames are named at granularity g (pprof's names, inlined frames
 * expanded). Samples with value 0 are skipped; a negative value is an error
 * (folded stacks and flame graphs need non-negative weights). */
int ms_stacks_add_profile(ms_stacks *s, const ms_profile *p, size_t type, ms_granularity g, size_t col,
	ms_err *err);

/* A differential table: base's sample type bi in column 0, new's type ni
 * in column 1 (difffolded.pl's join), base scaled to new's total first when
 * normalize. The two types must have one unit; errors name the file
 * (base_name, new_name) they are about. s must be initialised with 2
 * columns. */
int ms_stacks_add_diff(ms_stacks *s, const ms_profile *base, size_t bi, const char *base_name, const ms_profile *np,
	size_t ni, const char *new_name, ms_granularity g, int normalize, ms_err *err);

/* Σ column col. */
int64_t ms_stacks_total(const ms_stacks *s, size_t col);

/* Multiplies column col by num/den, rounding each stack to nearest (for
 * --normalize: base scaled to the new total). */
void ms_stacks_scale(ms_stacks *s, size_t col, int64_t num, int64_t den);

/* Writes "frame;frame;... v" (or "... base new") lines sorted by stack
 * text in byte order, as stackcollapse-perf.pl does; stacks whose columns
 * are all 0 are left out. Returns -1 on a write error. */
int ms_stacks_write_folded(const ms_stacks *s, FILE *fp);

/* The stacks with a nonzero value, in the folded output's order (their
 * joined text, byte order): *out gets the indexes (free them), the count is
 * returned. */
size_t ms_stacks_sorted(const ms_stacks *s, uint32_t **out);

/* ---- prefix tree --------------------------------------------------------- */
typedef struct ms_flame_node {
	uint32_t name;        /* name id; the root's is MS_NONE */
	uint32_t parent;      /* MS_NONE for the root */
	uint32_t first_child; /* MS_NONE when none; siblings in name order */
	uint32_t next_sibling;
	uint32_t depth;       /* root 0 */
	int64_t x;            /* left edge, in units of the width column (the
	                       * last): the parent's plus its earlier siblings' */
	int64_t total[2];     /* inclusive value per column */
	int64_t self[2];      /* value of stacks ending here */
} ms_flame_node;

typedef struct ms_flame_tree {
	const ms_stacks *stacks; /* names */
	ms_flame_node *nodes;    /* nodes[0] is the root ("all") */
	size_t nnodes;
	size_t ncols;
	uint32_t max_depth;
} ms_flame_tree;

/* Builds the tree. With minwidth > 0 only nodes whose total in the width
 * column (the last) times scale reaches minwidth are kept, with their
 * ancestors (flame graph pruning without building the whole tree);
 * minwidth <= 0 keeps every node. */
void ms_flame_tree_build(ms_flame_tree *t, const ms_stacks *s, double scale, double minwidth);
void ms_flame_tree_free(ms_flame_tree *t);

static inline const char *ms_flame_node_name(const ms_flame_tree *t, const ms_flame_node *n)
{
	return n->name == MS_NONE ? "all" : t->stacks->names.str[n->name];
}

#endif
