/* strtab.c — string interning with an open-addressing hash table. */
#include "util/strtab.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

uint64_t ms_hash_bytes(const void *p, size_t n)
{
	/* 64-bit FNV-1a over 8-byte words, then a final mix (fast, good enough
	 * for symbol names and stacks). */
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		b += 8;
		n -= 8;
	}
	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void ms_strtab_init(ms_strtab *t)
{
	memset(t, 0, sizeof *t);
	t->nslots = 64;
	t->slots = ms_xcalloc(t->nslots, sizeof *t->slots);
	ms_strtab_intern(t, "", 0);
}

void ms_strtab_free(ms_strtab *t)
{
	free(t->str);
	free(t->len);
	free(t->slots);
	ms_arena_free(&t->arena);
	memset(t, 0, sizeof *t);
}

static void rehash(ms_strtab *t)
{
	uint32_t n = t->nslots * 2;
	uint32_t *slots = ms_xcalloc(n, sizeof *slots);
	for (uint32_t id = 0; id < t->n; id++) {
		uint64_t h = ms_hash_bytes(t->str[id], t->len[id]);
		uint32_t i = (uint32_t)h & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

uint32_t ms_strtab_find(const ms_strtab *t, const char *s, size_t n)
{
	uint64_t h = ms_hash_bytes(s, n);
	for (uint32_t i = (uint32_t)h & (t->nslots - 1);; i = (i + 1) & (t->nslots - 1)) {
		uint32_t id = t->slots[i];
		if (!id)
			return UINT32_MAX;
		id--;
		if (t->len[id] == n && memcmp(t->str[id], s, n) == 0)
			return id;
	}
}

uint32_t ms_strtab_intern(ms_strtab *t, const char *s, size_t n)
{
	uint64_t h = ms_hash_bytes(s, n);
	uint32_t i = (uint32_t)h & (t->nslots - 1);
	for (;; i = (i + 1) & (t->nslots - 1)) {
		uint32_t id = t->slots[i];
		if (!id)
			break;
		id--;
		if (t->len[id] == n && memcmp(t->str[id], s, n) == 0)
			return id;
	}
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1; /* unreachable for real input: bounded by file size */
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->str = ms_xreallocarray(t->str, t->cap, sizeof *t->str);
		t->len = ms_xreallocarray(t->len, t->cap, sizeof *t->len);
	}
	uint32_t id = t->n++;
	t->str[id] = ms_arena_strndup(&t->arena, s, n);
	t->len[id] = (uint32_t)n;
	t->slots[i] = id + 1;
	if ((uint64_t)t->n * 4 > (uint64_t)t->nslots * 3)
		rehash(t);
	return id;
}
