/* check_godump.c — unit tests of the Go heap dump reader (profile/godump.c),
 * the dominator algorithm (analysis/dominators.c) and retained sizes
 * (analysis/goheap.c): dominators of small graphs checked against their
 * definition by brute force (remove a node, see what becomes unreachable),
 * a 100,000-deep chain, hand-built dumps with known retention, and every
 * kind of bad input (truncation at every byte, wrong header, pointer offset
 * beyond its object, overlapping objects, unknown tag). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/dominators.h"
#include "analysis/goheap.h"
#include "profile/godump.h"
#include "util/buf.h"

/* ---- dominators ------------------------------------------------------------- */

/* Builds a one-part digraph from an edge list. */
typedef struct egraph {
	ms_digraph g;
	uint32_t *start, *edges;
} egraph;

static void egraph_make(egraph *e, size_t n, const uint32_t (*ed)[2], size_t ne)
{
	e->start = calloc(n + 1, sizeof *e->start);
	e->edges = malloc((ne ? ne : 1) * sizeof *e->edges);
	for (size_t i = 0; i < ne; i++)
		e->start[ed[i][0] + 1]++;
	for (size_t i = 0; i < n; i++)
		e->start[i + 1] += e->start[i];
	uint32_t *fill = malloc((n + 1) * sizeof *fill);
	memcpy(fill, e->start, (n + 1) * sizeof *fill);
	for (size_t i = 0; i < ne; i++)
		e->edges[fill[ed[i][0]]++] = ed[i][1];
	free(fill);
	e->g = (ms_digraph){ .n = n, .n1 = n, .start1 = e->start, .edges1 = e->edges };
}

static void egraph_free(egraph *e)
{
	free(e->start);
	free(e->edges);
}

/* Reachable set from root avoiding node `cut` (MS_DOM_NONE: none). */
static void reach(const egraph *e, uint32_t root, uint32_t cut, char *seen)
{
	size_t n = e->g.n;
	memset(seen, 0, n);
	if (root == cut)
		return;
	uint32_t *st = malloc(n * sizeof *st);
	size_t sp = 0;
	st[sp++] = root;
	seen[root] = 1;
	while (sp) {
		uint32_t v = st[--sp];
		for (uint32_t j = e->start[v]; j < e->start[v + 1]; j++) {
			uint32_t w = e->edges[j];
			if (w != cut && !seen[w]) {
				seen[w] = 1;
				st[sp++] = w;
			}
		}
	}
	free(st);
}

/* Checks t against the definition: d dominates v iff v is unreachable
 * once d is removed; idom(v) is the dominator of v that every other strict
 * dominator of v dominates (the one with the most dominators). */
static void check_against_definition(const egraph *e, uint32_t root, const ms_domtree *t)
{
	size_t n = e->g.n;
	char *all = malloc(n), *cut = malloc(n);
	char *dom = calloc(n * n, 1); /* dom[d * n + v] */
	reach(e, root, MS_DOM_NONE, all);
	size_t nreach = 0;
	for (size_t v = 0; v < n; v++)
		nreach += all[v];
	ck_assert_uint_eq(t->nreach, nreach);
	for (size_t d = 0; d < n; d++) {
		if (!all[d])
			continue;
		reach(e, root, (uint32_t)d, cut);
		for (size_t v = 0; v < n; v++)
			if (all[v] && !cut[v])
				dom[d * n + v] = 1;
	}
	for (size_t i = 1; i < t->nreach; i++) {
		uint32_t v = t->vertex[i], id = t->vertex[t->idom[i]];
		ck_assert_uint_lt(t->idom[i], i);
		ck_assert_msg(dom[id * n + v] && id != v, "idom(%u) = %u does not dominate it", v, id);
		/* every strict dominator of v dominates id */
		for (size_t d = 0; d < n; d++)
			if (d != v && dom[d * n + v])
				ck_assert_msg(dom[d * n + id], "%zu dominates %u but not its idom %u", d, v, id);
	}
	free(all);
	free(cut);
	free(dom);
}

/* The flow graph of Lengauer & Tarjan's paper (fig. 1): R=0 A=1 B=2 C=3
 * D=4 E=5 F=6 G=7 H=8 I=9 J=10 K=11 L=12. Known idoms: I, K, C, B, A, D,
 * E, H -> R; F, G -> C; J -> G; L -> D. */
START_TEST(test_lengauer_tarjan_example)
{
	static const uint32_t ed[][2] = {
		{ 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 4 }, { 2, 1 }, { 2, 4 }, { 2, 5 }, { 3, 6 }, { 3, 7 }, { 4, 12 },
		{ 5, 8 }, { 6, 9 }, { 7, 9 }, { 7, 10 }, { 8, 5 }, { 8, 11 }, { 9, 11 }, { 10, 9 }, { 11, 9 },
		{ 11, 0 }, { 12, 8 },
	};
	static const uint32_t want[13] = { 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 7, 0, 4 };
	egraph e;
	egraph_make(&e, 13, ed, sizeof ed / sizeof ed[0]);
	ms_domtree t;
	ms_dominators(&e.g, 0, &t);
	ck_assert_uint_eq(t.nreach, 13);
	for (size_t i = 1; i < t.nreach; i++)
		ck_assert_uint_eq(t.vertex[t.idom[i]], want[t.vertex[i]]);
	check_against_definition(&e, 0, &t);
	ms_domtree_free(&t);
	egraph_free(&e);
}
END_TEST

/* Pseudo-random graphs, checked against the definition. */
START_TEST(test_random_graphs)
{
	uint64_t x = 88172645463325252ull;
	for (int round = 0; round < 200; round++) {
		size_t n = 2 + round % 40, ne = n * (1 + round % 4);
		uint32_t(*ed)[2] = malloc(ne * sizeof *ed);
		for (size_t i = 0; i < ne; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			ed[i][0] = (uint32_t)(x % n);
			ed[i][1] = (uint32_t)((x >> 32) % n);
		}
		egraph e;
		egraph_make(&e, n, (const uint32_t(*)[2])ed, ne);
		ms_domtree t;
		ms_dominators(&e.g, 0, &t);
		check_against_definition(&e, 0, &t);
		ms_domtree_free(&t);
		egraph_free(&e);
		free(ed);
	}
}
END_TEST

/* A 100,000-deep chain with a back edge to every node from the end: no
 * recursion, each idom is its predecessor. Then a chain with a shortcut
 * from the root to every node: every idom is the root. */
START_TEST(test_deep_chain)
{
	size_t n = 100000;
	uint32_t(*ed)[2] = malloc(2 * n * sizeof *ed);
	size_t ne = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		ed[ne][0] = (uint32_t)i, ed[ne][1] = (uint32_t)(i + 1), ne++;
		ed[ne][0] = (uint32_t)(n - 1), ed[ne][1] = (uint32_t)i, ne++;
	}
	egraph e;
	egraph_make(&e, n, (const uint32_t(*)[2])ed, ne);
	ms_domtree t;
	ms_dominators(&e.g, 0, &t);
	ck_assert_uint_eq(t.nreach, n);
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_eq(t.vertex[t.idom[i]], t.vertex[i] - 1);
	ms_domtree_free(&t);
	egraph_free(&e);
	ne = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		ed[ne][0] = (uint32_t)i, ed[ne][1] = (uint32_t)(i + 1), ne++;
		ed[ne][0] = 0, ed[ne][1] = (uint32_t)(i + 1), ne++;
	}
	egraph_make(&e, n, (const uint32_t(*)[2])ed, ne);
	ms_dominators(&e.g, 0, &t);
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_eq(t.vertex[t.idom[i]], 0);
	ms_domtree_free(&t);
	egraph_free(&e);
	free(ed);
}
END_TEST

/* ---- hand-built dumps ----------------------------------------------------------- */

static void uv(ms_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		ms_buf_addch(b, (char)(v | 0x80));
		v >>= 7;
	}
	ms_buf_addch(b, (char)v);
}

static void str(ms_buf *b, const char *s)
{
	uv(b, strlen(s));
	ms_buf_add(b, s, strlen(s));
}

static void params(ms_buf *b)
{
	ms_buf_add(b, "go1.7 heap dump\n", 16);
	uv(b, 6), uv(b, 0), uv(b, 8), uv(b, 0xc000000000), uv(b, 0xc004000000);
	str(b, "amd64"), str(b, "go1.99"), uv(b, 2);
}

/* An object of size bytes at addr whose words at offs[] hold ptrs[]. */
static void object(ms_buf *b, uint64_t addr, uint64_t size, const uint64_t *offs, const uint64_t *ptrs, size_t n)
{
	uv(b, 1), uv(b, addr), uv(b, size);
	uint8_t *mem = calloc(size ? size : 1, 1);
	for (size_t i = 0; i < n; i++)
		if (offs[i] + 8 <= size)
			memcpy(mem + offs[i], &ptrs[i], 8);
	ms_buf_add(b, mem, size);
	free(mem);
	for (size_t i = 0; i < n; i++)
		uv(b, 1), uv(b, offs[i]);
	uv(b, 0);
}

/* A bss segment at 0x500000 of nslots words, slot i holding ptrs[i]. */
static void bss(ms_buf *b, const uint64_t *ptrs, size_t nslots)
{
	uv(b, 13), uv(b, 0x500000), uv(b, nslots * 8);
	ms_buf_add(b, ptrs, nslots * 8);
	for (size_t i = 0; i < nslots; i++)
		uv(b, 1), uv(b, i * 8);
	uv(b, 0);
}

#define A(i) (0xc000000000ull + (i) * 0x20ull)

/* bss slot 0 -> list 0 -> 1 -> 2 (32 B each, pointers into the middle);
 * bss slot 1 -> 3 -> 4 and slot 2 -> 4 (4 shared: retained by neither);
 * 5 is garbage pointing at 0. */
static void good_dump(ms_buf *b)
{
	params(b);
	uint64_t o0[] = { 0 }, p0[] = { A(1) + 8 };
	uint64_t o1[] = { 8 }, p1[] = { A(2) + 31 };
	uint64_t o3[] = { 16 }, p3[] = { A(4) };
	uint64_t o5[] = { 0, 8 }, p5[] = { A(0), 0x1234 };
	object(b, A(0), 32, o0, p0, 1);
	object(b, A(1), 32, o1, p1, 1);
	object(b, A(2), 32, NULL, NULL, 0);
	object(b, A(3), 32, o3, p3, 1);
	object(b, A(4), 32, NULL, NULL, 0);
	object(b, A(5), 32, o5, p5, 2);
	uint64_t slots[] = { A(0), A(3), A(4) + 4 };
	bss(b, slots, 3);
	uv(b, 0);
}

static const ms_gh_root *root_named(const ms_goheap *h, const char *name)
{
	for (size_t i = 0; i < h->nroots; i++)
		if (strcmp(ms_gh_name(h, h->roots[i].name), name) == 0)
			return &h->roots[i];
	return NULL;
}

START_TEST(test_known_retention)
{
	ms_buf b = MS_BUF_INIT;
	good_dump(&b);
	ms_godump d;
	ms_err err;
	ck_assert_msg(ms_godump_parse(&d, "t", b.data, b.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(d.nobjects, 6);
	ck_assert_uint_eq(d.nedges, 4); /* 0->1, 1->2, 3->4, 5->0; 0x1234 dropped */
	ck_assert_uint_eq(ms_godump_find(&d, A(2) + 31), 2);
	ck_assert_uint_eq(ms_godump_find(&d, A(6)), MS_GD_NONE);
	ms_goheap h;
	ms_goheap_opts o = { .top = 3 };
	ck_assert_int_eq(ms_goheap_analyze(&h, &d, &o, &err), 0);
	ck_assert_uint_eq(h.objects, 6);
	ck_assert_uint_eq(h.bytes, 192);
	ck_assert_uint_eq(h.reachable_objects, 5);
	ck_assert_uint_eq(h.reachable_bytes, 160);
	const ms_gh_root *r = root_named(&h, ".bss+0x0");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->retained_bytes, 96);
	ck_assert_uint_eq(r->retained_objects, 3);
	r = root_named(&h, ".bss+0x8");
	ck_assert_uint_eq(r->retained_bytes, 32); /* 4 is shared with slot 2 */
	r = root_named(&h, ".bss+0x10");
	ck_assert_uint_eq(r->retained_bytes, 0);
	ck_assert_str_eq(ms_gh_name(&h, h.roots[0].name), ".bss+0x0");
	ck_assert_uint_eq(h.ntop, 3);
	ck_assert_uint_eq(h.top[0].addr, A(0));
	ck_assert_str_eq(h.top[0].path, ".bss+0x0 → obj[32]");
	ms_goheap_free(&h);
	ms_godump_free(&d);
	ms_buf_free(&b);
}
END_TEST

/* Lookup paths: a 3-page object (pointers into its later pages find it
 * through the page's cover), a span with free slots (the guess overshoots,
 * then a search), and a page with two runs (searched). */
START_TEST(test_lookup_paths)
{
	ms_buf b = MS_BUF_INIT;
	params(&b);
	uint64_t big = 0xc000010000ull;
	object(&b, big, 0x6000, NULL, NULL, 0);
	/* page 0: slots 0, 1, 5, 6 of 32 bytes (2-4 free) */
	object(&b, A(0), 32, NULL, NULL, 0);
	object(&b, A(1), 32, NULL, NULL, 0);
	object(&b, A(5), 32, NULL, NULL, 0);
	object(&b, A(6), 32, NULL, NULL, 0);
	/* page 1: two runs */
	uint64_t p1 = 0xc000002000ull;
	object(&b, p1 + 0x100, 64, NULL, NULL, 0);
	object(&b, 0xc000008000ull, 32, NULL, NULL, 0); /* breaks the run */
	object(&b, p1, 64, NULL, NULL, 0);
	uv(&b, 0);
	ms_godump d;
	ms_err err;
	ck_assert_msg(ms_godump_parse(&d, "t", b.data, b.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(ms_godump_find(&d, big + 0x5fff), 0);
	ck_assert_uint_eq(ms_godump_find(&d, big + 0x2000), 0);
	ck_assert_uint_eq(ms_godump_find(&d, big + 0x6000), MS_GD_NONE);
	ck_assert_uint_eq(ms_godump_find(&d, A(6) + 3), 4);
	ck_assert_uint_eq(ms_godump_find(&d, A(5)), 3);
	ck_assert_uint_eq(ms_godump_find(&d, A(3)), MS_GD_NONE);
	ck_assert_uint_eq(ms_godump_find(&d, A(1) + 31), 2);
	ck_assert_uint_eq(ms_godump_find(&d, 0xc000008001ull), 6);
	ck_assert_ptr_nonnull(d.pages);
	ck_assert_uint_eq(d.pages[0].count, 4);             /* page 0: one run, the guess path */
	ck_assert_uint_eq(d.pages[1].count, MS_GD_NONE);    /* page 1: two runs, searched */
	ck_assert_uint_eq(ms_godump_find(&d, p1 + 63), 7);
	ck_assert_uint_eq(ms_godump_find(&d, p1 + 64), MS_GD_NONE);
	ck_assert_uint_eq(ms_godump_find(&d, p1 + 0x13f), 5);
	ms_godump_free(&d);
	ms_buf_free(&b);
}
END_TEST

/* Go 1.22+ dumps the heap-bitmap slots of a small pointerful span (the
 * last 8192/64 bytes: slots 252..255 of 32-byte objects) as objects
 * without pointer fields: dropped. A noscan span's objects there stay. */
START_TEST(test_bitmap_slots)
{
	ms_buf b = MS_BUF_INIT;
	params(&b); /* "go1.99" */
	uint64_t page = 0xc000002000ull, noscan = 0xc000004000ull;
	uint64_t off[] = { 0 }, nil[] = { 0 };
	object(&b, page, 32, off, nil, 1);
	object(&b, page + 32, 32, off, nil, 1);
	for (int slot = 252; slot < 256; slot++)
		object(&b, page + 32 * (uint64_t)slot, 32, NULL, NULL, 0);
	object(&b, noscan, 32, NULL, NULL, 0);
	object(&b, noscan + 32 * 253, 32, NULL, NULL, 0);
	uv(&b, 0);
	ms_godump d;
	ms_err err;
	ck_assert_msg(ms_godump_parse(&d, "t", b.data, b.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(d.nobjects, 4);
	ck_assert_uint_eq(d.nbitmap_slots, 4);
	ck_assert_uint_eq(d.heap_bytes, 4 * 32);
	ck_assert_uint_eq(ms_godump_find(&d, page + 32 * 253), MS_GD_NONE);
	ck_assert_uint_eq(d.addr[ms_godump_find(&d, noscan + 32 * 253 + 1)], noscan + 32 * 253);
	ms_godump_free(&d);
	ms_buf_free(&b);
}
END_TEST

/* ---- bad input ------------------------------------------------------------------------ */

static void expect_error(const ms_buf *b, const char *want)
{
	ms_godump d;
	ms_err err;
	ck_assert_int_eq(ms_godump_parse(&d, "t", b->data, b->len, &err), -1);
	ck_assert_msg(strstr(err.msg, want) != NULL, "error '%s' lacks '%s'", err.msg, want);
	ck_assert_msg(strstr(err.msg, "byte ") != NULL, "error '%s' has no byte offset", err.msg);
}

START_TEST(test_truncated_everywhere)
{
	ms_buf b = MS_BUF_INIT;
	good_dump(&b);
	for (size_t n = 0; n < b.len; n++) {
		ms_godump d;
		ms_err err;
		ck_assert_msg(ms_godump_parse(&d, "t", b.data, n, &err) == -1, "prefix of %zu bytes accepted", n);
		ck_assert_msg(strstr(err.msg, "byte ") != NULL, "%s", err.msg);
	}
	ms_buf_free(&b);
}
END_TEST

START_TEST(test_bad_inputs)
{
	ms_buf b = MS_BUF_INIT;
	ms_buf_add(&b, "go1.6 heap dump\n", 16);
	uv(&b, 0);
	expect_error(&b, "byte 0: not a Go heap dump");

	ms_buf_reset(&b);
	params(&b);
	uint64_t off[] = { 32 }, ptr[] = { 0 };
	object(&b, A(0), 32, off, ptr, 1);
	uv(&b, 0);
	expect_error(&b, "pointer offset 32 beyond the object's 32 bytes");

	ms_buf_reset(&b);
	params(&b);
	object(&b, A(0), 32, NULL, NULL, 0);
	object(&b, A(0) + 16, 32, NULL, NULL, 0);
	uv(&b, 0);
	expect_error(&b, "overlaps the object at 0xc000000000");

	ms_buf_reset(&b);
	params(&b);
	object(&b, A(4), 32, NULL, NULL, 0);
	object(&b, A(0), 0x90, NULL, NULL, 0); /* another run, covering A(4) */
	uv(&b, 0);
	expect_error(&b, "overlaps");

	/* a stack frame's offset past its end is skipped, not an error */
	ms_buf_reset(&b);
	params(&b);
	uv(&b, 4), uv(&b, 0xc000001000), uv(&b, 0), uv(&b, 7), uv(&b, 0), uv(&b, 4), uv(&b, 0), uv(&b, 0), uv(&b, 0);
	str(&b, ""), uv(&b, 0), uv(&b, 0), uv(&b, 0), uv(&b, 0);
	uv(&b, 5), uv(&b, 0xc000100000), uv(&b, 0), uv(&b, 0), uv(&b, 16);
	ms_buf_add(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	uv(&b, 1), uv(&b, 2), uv(&b, 3), str(&b, "main.f");
	uv(&b, 1), uv(&b, 16), uv(&b, 0);
	uv(&b, 0);
	ms_godump d;
	ms_err err;
	ck_assert_msg(ms_godump_parse(&d, "t", b.data, b.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(d.nskipped_fields, 1);
	ck_assert_uint_eq(d.ngoroutines, 1);
	ms_godump_free(&d);

	ms_buf_reset(&b);
	params(&b);
	uv(&b, 42);
	expect_error(&b, "unknown record tag 42");

	ms_buf_reset(&b);
	params(&b);
	uv(&b, 0);
	uv(&b, 0);
	expect_error(&b, "after the EOF record");
	ms_buf_free(&b);
}
END_TEST

static Suite *godump_suite(void)
{
	Suite *s = suite_create("godump");
	TCase *t = tcase_create("dominators");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_lengauer_tarjan_example);
	tcase_add_test(t, test_random_graphs);
	tcase_add_test(t, test_deep_chain);
	suite_add_tcase(s, t);
	t = tcase_create("dumps");
	tcase_add_test(t, test_known_retention);
	tcase_add_test(t, test_lookup_paths);
	tcase_add_test(t, test_bitmap_slots);
	tcase_add_test(t, test_truncated_everywhere);
	tcase_add_test(t, test_bad_inputs);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(godump_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
