/* arena.h — bump allocation in large chunks, freed all at once. Profiles
 * allocate millions of small objects (strings, lines, label sets); an arena
 * turns them into a handful of mallocs. */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stddef.h>

typedef struct ms_arena_chunk ms_arena_chunk;

typedef struct ms_arena {
	ms_arena_chunk *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes reserved in all chunks */
} ms_arena;

#define MS_ARENA_INIT { NULL, 0, 0 }

/* 16-byte aligned; never returns NULL (exits on out of memory). */
void *ms_arena_alloc(ms_arena *a, size_t n);
char *ms_arena_strndup(ms_arena *a, const char *s, size_t n);
void ms_arena_free(ms_arena *a);

#endif
