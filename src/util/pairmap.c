/* pairmap.c — linear-probing (uint64, uint64) -> uint32 map. */
#include "util/pairmap.h"
#include "util/diag.h"

#include <stdlib.h>

static size_t slot_of(uint64_t a, uint64_t b, size_t mask)
{
	return (size_t)(ms_mix64(a * 0x9e3779b97f4a7c15ULL ^ ms_mix64(b))) & mask;
}

void ms_pairmap_init(ms_pairmap *m, size_t expected)
{
	size_t n = 16;
	while (n < expected * 2)
		n *= 2;
	m->slots = ms_xreallocarray(NULL, n, sizeof *m->slots);
	for (size_t i = 0; i < n; i++)
		m->slots[i].value = UINT32_MAX;
	m->nslots = n;
	m->n = 0;
}

void ms_pairmap_free(ms_pairmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->nslots = m->n = 0;
}

uint32_t ms_pairmap_get(const ms_pairmap *m, uint64_t a, uint64_t b)
{
	if (!m->nslots)
		return UINT32_MAX;
	size_t mask = m->nslots - 1;
	for (size_t i = slot_of(a, b, mask);; i = (i + 1) & mask) {
		const ms_pairmap_slot *s = &m->slots[i];
		if (s->value == UINT32_MAX)
			return UINT32_MAX;
		if (s->a == a && s->b == b)
			return s->value;
	}
}

static void grow(ms_pairmap *m)
{
	ms_pairmap old = *m;
	ms_pairmap_init(m, old.nslots);
	for (size_t i = 0; i < old.nslots; i++)
		if (old.slots[i].value != UINT32_MAX)
			ms_pairmap_put(m, old.slots[i].a, old.slots[i].b, old.slots[i].value);
	free(old.slots);
}

uint32_t ms_pairmap_put(ms_pairmap *m, uint64_t a, uint64_t b, uint32_t value)
{
	if (!m->nslots)
		ms_pairmap_init(m, 16);
	if ((m->n + 1) * 4 > m->nslots * 3)
		grow(m);
	size_t mask = m->nslots - 1;
	for (size_t i = slot_of(a, b, mask);; i = (i + 1) & mask) {
		ms_pairmap_slot *s = &m->slots[i];
		if (s->value == UINT32_MAX) {
			s->a = a;
			s->b = b;
			s->value = value;
			m->n++;
			return value;
		}
		if (s->a == a && s->b == b)
			return s->value;
	}
}
