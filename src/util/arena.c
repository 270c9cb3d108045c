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

/* Chunk sizes grow with the arena: the first chunk is ARENA_CHUNK_MIN and
 * each new one is as large as everything reserved so far (doubling the
 * total), up to ARENA_CHUNK_MAX. A small input (a fuzzer's, a one-line
 * profile) costs a few KiB instead of a 1 MiB chunk per arena, while a big
 * profile still takes 1 MiB chunks after ~8 of them. A request larger than
 * a quarter of the next chunk gets a chunk of its own. */
#define ARENA_CHUNK_MIN (4u << 10)
#define ARENA_CHUNK_MAX (1u << 20)

void *ms_arena_alloc(ms_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->head->size - a->used < n) {
		size_t normal = a->total < ARENA_CHUNK_MIN ? ARENA_CHUNK_MIN
				: a->total > ARENA_CHUNK_MAX ? ARENA_CHUNK_MAX
							     : a->total;
		int oversized = n > normal / 4;
		size_t size = oversized ? n : normal;
		if (size > SIZE_MAX - sizeof(ms_arena_chunk))
			ms_xmalloc(SIZE_MAX); /* reports out of memory */
		ms_arena_chunk *c = ms_xmalloc(sizeof *c + size);
		c->size = size;
		if (a->head && oversized) {
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
