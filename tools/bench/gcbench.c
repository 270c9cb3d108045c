/* gcbench.c — a GCBench-style workload (Ellis, Kovac, Boehm; REFERENCE.md
 * §10) for libmsrt's collector and for Boehm GC, from one source:
 *
 *   cc -O2 -DUSE_MSRT  gcbench.c -lmsrt      (ms_alloc / ms_store)
 *   cc -O2 -DUSE_BOEHM gcbench.c -lgc        (GC_MALLOC / plain stores)
 *   ./gcbench [EXTRA_DEPTH]                  (0: the classic sizes)
 *
 * Nodes {left, right, i, j}; a stretch tree of depth 18+E; a long-lived
 * tree of depth 16+E and a 500,000-double pointer-free array kept to the
 * end; then for depth 4, 6, …, 16+E: 2·nodes(18+E)/nodes(d) trees built
 * top-down (populate an existing node) and as many bottom-up.
 *
 * Prints "checksum N" (node count checks) on stdout. The Boehm build also
 * measures each world-stopped interval with GC_set_on_collection_event and
 * prints "boehm pauses: n=… p50=… p99=… max=… ms" on stderr (Boehm has no
 * gctrace); the msrt build's pauses come from MSRT_GCTRACE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(USE_BOEHM)
#include <gc.h>
#define ALLOC(n) GC_MALLOC(n)
#define ALLOC_ATOMIC(n) GC_MALLOC_ATOMIC(n)
#define STORE(slot, v) (*(slot) = (v))
#define INIT() GC_INIT()
#elif defined(USE_MSRT)
#include <msrt.h>
#define ALLOC(n) ms_alloc(n, MS_SCAN)
#define ALLOC_ATOMIC(n) ms_alloc(n, MS_NOSCAN)
#define STORE(slot, v) ms_store((void **)(slot), (v))
#define INIT() ms_init()
#else
#error "define USE_MSRT or USE_BOEHM"
#endif

typedef struct Node {
	struct Node *left, *right;
	long i, j;
} Node;

static int stretch_depth, long_lived_depth, array_size = 500000, min_depth = 4, max_depth;

static long tree_size(int d) { return (1L << (d + 1)) - 1; }
static long num_iters(int d) { return 2 * tree_size(stretch_depth) / tree_size(d); }

static Node *new_node(Node *l, Node *r)
{
	Node *n = ALLOC(sizeof *n);
	if (!n) {
		fprintf(stderr, "gcbench: out of memory\n");
		exit(1);
	}
	STORE(&n->left, l);
	STORE(&n->right, r);
	return n;
}

/* top-down: fill in an existing node's children */
static void populate(int depth, Node *n)
{
	if (depth <= 0)
		return;
	depth--;
	STORE(&n->left, new_node(NULL, NULL));
	STORE(&n->right, new_node(NULL, NULL));
	populate(depth, n->left);
	populate(depth, n->right);
}

/* bottom-up */
static Node *make_tree(int depth)
{
	if (depth <= 0)
		return new_node(NULL, NULL);
	Node *l = make_tree(depth - 1);
	Node *r = make_tree(depth - 1);
	return new_node(l, r);
}

static long count(const Node *n) { return n ? 1 + count(n->left) + count(n->right) : 0; }

static long time_construction(int depth)
{
	long iters = num_iters(depth), check = 0;
	for (long k = 0; k < iters; k++) {
		Node *t = new_node(NULL, NULL);
		populate(depth, t);
		if (k == 0)
			check += count(t);
	}
	for (long k = 0; k < iters; k++) {
		Node *t = make_tree(depth);
		if (k == 0)
			check += count(t);
	}
	return check;
}

#ifdef USE_BOEHM
static struct timespec stop_t0;
static double pauses[100000];
static int npauses;
static void on_event(GC_EventType e)
{
	struct timespec t;
	if (e == GC_EVENT_PRE_STOP_WORLD) {
		clock_gettime(CLOCK_MONOTONIC, &stop_t0);
	} else if (e == GC_EVENT_POST_START_WORLD && npauses < 100000) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		pauses[npauses++] = (t.tv_sec - stop_t0.tv_sec) * 1e3 + (t.tv_nsec - stop_t0.tv_nsec) / 1e6;
	}
}
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}
#endif

int main(int argc, char **argv)
{
	int extra = argc > 1 ? atoi(argv[1]) : 0;
	stretch_depth = 18 + extra;
	long_lived_depth = 16 + extra;
	max_depth = 16 + extra;
	INIT();
#ifdef USE_BOEHM
	GC_set_on_collection_event(on_event);
#endif
	long check = count(make_tree(stretch_depth)); /* stretch */
	Node *long_lived = new_node(NULL, NULL);
	populate(long_lived_depth, long_lived);
	double *array = ALLOC_ATOMIC(sizeof(double) * (size_t)array_size);
	for (int i = 0; i < array_size / 2; i++)
		array[i] = 1.0 / i;
	for (int d = min_depth; d <= max_depth; d += 2)
		check += time_construction(d);
	if (!long_lived || array[1000] != 1.0 / 1000) {
		fprintf(stderr, "gcbench: long-lived data lost\n");
		return 1;
	}
	check += count(long_lived);
	printf("checksum %ld\n", check);
#ifdef USE_BOEHM
	qsort(pauses, (size_t)npauses, sizeof pauses[0], cmp);
	if (npauses)
		fprintf(stderr, "boehm pauses: n=%d p50=%.3f p99=%.3f max=%.3f ms\n", npauses, pauses[npauses / 2],
			pauses[(int)(npauses * 0.99)], pauses[npauses - 1]);
#endif
	return 0;
}
