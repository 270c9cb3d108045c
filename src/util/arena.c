/* arena.c — chunked bump allocator. */
#include "util/arena.h"
#include "util/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ms_arena_chunk {
	ms_arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

#define ARENA_CHUNK (1u << 20)

void *ms_arena_alloc(ms_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->head->size - a->used < n) {
		size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		if (size > SIZE_MAX - sizeof(ms_arena_chunk))
			ms_xmalloc(SIZE_MAX); /* reports out of memory */
		ms_arena_chunk *c = ms_xmalloc(sizeof *c + size);
		c->size = size;
		if (a->head && size != ARENA_CHUNK) {
			/* Oversized block: keep using the current chunk afterwards. */
			c->next = a->head->next;
			a->head->next = c;
			a->total += size;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->total += size;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

char *ms_arena_strndup(ms_arena *a, const char *s, size_t n)
{
	char *d = ms_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void ms_arena_free(ms_arena *a)
{
	ms_arena_chunk *c = a->head;
	while (c) {
		ms_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = a->total = 0;
}
