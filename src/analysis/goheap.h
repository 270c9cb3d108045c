/* goheap.h — what holds the memory in a Go heap dump: the object graph of
 * profile/godump.h, its roots grouped into named retainers, reachability,
 * the dominator tree and retained sizes (analysis/goheap.c explains the
 * rules). */
#ifndef MS_GOHEAP_H
#define MS_GOHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/godump.h"
#include "util/strtab.h"

typedef enum ms_gh_kind {
	MS_GH_GLOBAL,    /* data/bss variables */
	MS_GH_STACK,     /* goroutine frames, contexts, defers, panics */
	MS_GH_FINALIZER, /* objects with finalizers and the finalizer queue */
	MS_GH_OTHER,
} ms_gh_kind;

typedef struct ms_gh_root {
	ms_gh_kind kind;
	uint32_t name;       /* id in h->names */
	uint32_t goroutine;  /* stack roots: index in d->goroutines, else MS_GD_NONE */
	uint64_t retained_bytes, retained_objects;
} ms_gh_root;

typedef struct ms_gh_object {
	uint32_t obj;        /* index in the dump */
	uint64_t addr;
	uint32_t size;
	uint32_t label;      /* id in h->names: allocation site or "obj[SIZE]" */
	uint64_t retained_bytes, retained_objects;
	char *path;          /* "root → label → label ×N → this" */
} ms_gh_object;

/* A row of the by-site or by-size-class tables. retained_bytes counts an
 * object's retained size when its immediate dominator is not of the same
 * site (class), so nested objects of one site are not counted twice. */
typedef struct ms_gh_group {
	uint32_t label;      /* id in h->names */
	uint64_t size;       /* size classes: object size, 0 = large (> 32 KiB) */
	uint64_t objects, bytes, reachable_objects, reachable_bytes;
	uint64_t retained_bytes, retained_objects;
} ms_gh_group;

typedef struct ms_gh_wait {
	uint32_t reason;     /* id in h->names */
	uint64_t count;
} ms_gh_wait;

/* The dominator tree folded by label: node 0 is the super-root, its
 * children the roots, below them objects' labels; an object whose label
 * equals its dominator's node's label joins that node, so a list of 10,000
 * nodes is one node with folded = 10,000. self_* are the objects of the
 * node itself; a node's subtree sums to its retained size. */
typedef struct ms_gh_node {
	uint32_t parent;     /* MS_GD_NONE for node 0 */
	uint32_t label;      /* id in h->names */
	uint64_t self_bytes, self_objects;
} ms_gh_node;

typedef struct ms_goheap_opts {
	size_t top;          /* top objects to list */
	bool tree;           /* build the folded tree */
	/* Names a data/bss address (an ELF symbol); NULL = ".data+0x..." */
	const char *(*global_name)(void *ctx, uint64_t addr);
	void *global_ctx;
} ms_goheap_opts;

typedef struct ms_goheap {
	ms_strtab names;
	uint64_t objects, bytes, reachable_objects, reachable_bytes;
	ms_gh_root *roots;   /* by retained bytes, descending */
	size_t nroots;
	ms_gh_object *top;
	size_t ntop;
	ms_gh_group *sites;  /* by retained bytes, descending; empty without samples */
	size_t nsites;
	ms_gh_group *classes; /* by size; the large objects last */
	size_t nclasses;
	uint64_t *g_retained_bytes, *g_retained_objects; /* per goroutine of the dump */
	ms_gh_wait *waits;   /* goroutines by wait reason, by count descending */
	size_t nwaits;
	ms_gh_node *tree;
	size_t ntree;
	double secs_graph, secs_dominators, secs_retained;
} ms_goheap;

/* Analyses d. Consumes d's edges (freed once the dominator step has read
 * them) and its address index; d's other arrays stay valid. */
int ms_goheap_analyze(ms_goheap *h, ms_godump *d, const ms_goheap_opts *o, ms_err *err);
void ms_goheap_free(ms_goheap *h);

/* goheap_profile.c: the folded dominator tree as a profile (analyse with
 * opts.tree set); the size classes and memstats as `frag`'s input. */
struct ms_profile;
struct ms_heapdump;
struct ms_profile *ms_goheap_profile(const ms_goheap *h, const ms_godump *d);
void ms_goheap_fragdump(const ms_goheap *h, const ms_godump *d, struct ms_heapdump *out);

/* Retained bytes by root between two analyses: rows matched by root name,
 * sorted by |delta| descending (names are ids in the new analysis's or,
 * for roots only in the base, the base's table: see base_only). */
typedef struct ms_gh_rootdiff {
	const char *name;
	ms_gh_kind kind;
	uint64_t base_bytes, new_bytes;
	uint64_t base_objects, new_objects;
} ms_gh_rootdiff;
/* Returns the rows (caller frees the array; names point into a and b). */
ms_gh_rootdiff *ms_goheap_diff_roots(const ms_goheap *base, const ms_goheap *cur, size_t *n);

static inline const char *ms_gh_name(const ms_goheap *h, uint32_t id) { return h->names.str[id]; }
const char *ms_gh_kind_name(ms_gh_kind k);
/* Wait reason of goroutine g as text (its status when the reason is empty). */
const char *ms_gh_goroutine_state(const ms_godump *d, size_t g);

#endif
