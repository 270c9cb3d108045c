/* strtab.h — interned strings: each distinct string gets a dense uint32 id,
 * so names compare by id and a profile's string table has no duplicates.
 * Id 0 is always the empty string, as in pprof. */
#ifndef MS_STRTAB_H
#define MS_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct ms_strtab {
	const char **str; /* id -> NUL-terminated string (in arena) */
	uint32_t *len;    /* id -> length */
	uint32_t n, cap;
	uint32_t *slots;  /* open addressing: id+1, 0 = empty */
	uint32_t nslots;  /* power of two */
	ms_arena arena;
} ms_strtab;

void ms_strtab_init(ms_strtab *t);
void ms_strtab_free(ms_strtab *t);
uint32_t ms_strtab_intern(ms_strtab *t, const char *s, size_t n);
static inline uint32_t ms_strtab_intern0(ms_strtab *t, const char *s);
/* Returns the id or UINT32_MAX when s is not interned. */
uint32_t ms_strtab_find(const ms_strtab *t, const char *s, size_t n);

static inline const char *ms_strtab_get(const ms_strtab *t, uint32_t id) { return t->str[id]; }

#include <string.h>
static inline uint32_t ms_strtab_intern0(ms_strtab *t, const char *s)
{
	return ms_strtab_intern(t, s, strlen(s));
}

/* FNV-1a-style 64-bit hash used by memscope's tables. */
uint64_t ms_hash_bytes(const void *p, size_t n);

#endif
