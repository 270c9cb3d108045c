/* pairmap.h — an open-addressing hash map from a pair of uint64 keys to a
 * uint32 value (ids to indexes, (function, line) to a location, ...). */
#ifndef MS_PAIRMAP_H
#define MS_PAIRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ms_pairmap_slot {
	uint64_t a, b;
	uint32_t value; /* UINT32_MAX = empty */
} ms_pairmap_slot;

typedef struct ms_pairmap {
	ms_pairmap_slot *slots;
	size_t nslots; /* power of two */
	size_t n;
} ms_pairmap;

void ms_pairmap_init(ms_pairmap *m, size_t expected);
void ms_pairmap_free(ms_pairmap *m);
/* Returns the value for (a, b) or UINT32_MAX. */
uint32_t ms_pairmap_get(const ms_pairmap *m, uint64_t a, uint64_t b);
/* Inserts (a, b) -> value unless present; returns the value now stored. */
uint32_t ms_pairmap_put(ms_pairmap *m, uint64_t a, uint64_t b, uint32_t value);

static inline uint64_t ms_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

#endif
