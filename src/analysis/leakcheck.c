/* leakcheck.c — reads a leak-check report into entries (leakcheck.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/leakcheck.h"
#include "util/buf.h"
#include "util/strtab.h"

static const char *const kind_names[MS_LC_NKINDS] = { "direct", "indirect", "reachable" };

const char *ms_lc_kind_name(ms_lc_kind k) { return k < MS_LC_NKINDS ? kind_names[k] : "?"; }

static int type_index(const ms_profile *p, const char *name)
{
	for (size_t i = 0; i < p->ntypes; i++)
		if (strcmp(ms_profile_string(p, p->types[i].type), name) == 0)
			return (int)i;
	return -1;
}

bool ms_leakcheck_is_report(const ms_profile *p)
{
	return type_index(p, "leaked_space") >= 0 && type_index(p, "reachable_space") >= 0;
}

/* The sample's kind: its label, else which columns it fills. */
static ms_lc_kind sample_kind(const ms_profile *p, size_t i, int leaked_col)
{
	const ms_sample *s = &p->samples[i];
	for (uint32_t k = 0; k < s->nlabels; k++) {
		const ms_label *l = &p->labels[s->label_off + k];
		if (!l->str || strcmp(ms_profile_string(p, l->key), "kind") != 0)
			continue;
		const char *v = ms_profile_string(p, l->str);
		for (int j = 0; j < MS_LC_NKINDS; j++)
			if (strcmp(v, kind_names[j]) == 0)
				return (ms_lc_kind)j;
	}
	return p->values[i * p->ntypes + (size_t)leaked_col] ? MS_LC_DIRECT : MS_LC_REACHABLE;
}

static int entry_cmp(const void *a, const void *b)
{
	const ms_lc_entry *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	for (size_t k = 0; k < x->depth && k < y->depth; k++) {
		int c = strcmp(x->stack[k], y->stack[k]);
		if (c)
			return c;
	}
	return x->depth < y->depth ? -1 : x->depth > y->depth;
}

int ms_leakcheck_read(ms_leakcheck *lc, const ms_profile *p, const char *file, ms_granularity g, ms_err *err)
{
	memset(lc, 0, sizeof *lc);
	lc->file = file;
	int cols[4] = { type_index(p, "leaked_objects"), type_index(p, "leaked_space"),
		type_index(p, "reachable_objects"), type_index(p, "reachable_space") };
	for (int k = 0; k < 4; k++)
		if (cols[k] < 0)
			return ms_seterr(err, "%s: not a leak-check report (it needs the sample types leaked_objects, "
					      "leaked_space, reachable_objects and reachable_space)", file);
	ms_frame_map fm;
	ms_frame_map_build(&fm, p, g);
	/* key: kind byte, then the frame ids of the stack */
	ms_strtab keys;
	ms_strtab_init(&keys);
	size_t cap = 0;
	ms_buf key = MS_BUF_INIT;
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		ms_lc_kind kind = sample_kind(p, i, cols[1]);
		int base = kind == MS_LC_REACHABLE ? 2 : 0;
		int64_t objects = p->values[i * p->ntypes + (size_t)cols[base]];
		int64_t bytes = p->values[i * p->ntypes + (size_t)cols[base + 1]];
		if (!objects && !bytes)
			continue;
		ms_buf_reset(&key);
		ms_buf_add(&key, (const char[]){ (char)('0' + kind) }, 1);
		size_t depth = 0;
		for (uint32_t d = 0; d < s->depth; d++) {
			uint32_t loc = p->stack[s->stack_off + d];
			for (uint64_t k = fm.off[loc]; k < fm.off[loc + 1]; k++) {
				ms_buf_add(&key, &fm.frames[k], sizeof fm.frames[k]);
				depth++;
			}
		}
		uint32_t id = ms_strtab_intern(&keys, key.data, key.len) - 1; /* id 0 is "" */
		if (id >= lc->n) {
			MS_GROW(lc->entries, lc->n, cap, 1);
			ms_lc_entry *e = &lc->entries[lc->n++];
			memset(e, 0, sizeof *e);
			e->kind = kind;
			e->stack = ms_xcalloc(depth ? depth : 1, sizeof *e->stack);
			for (uint32_t d = 0; d < s->depth; d++) {
				uint32_t loc = p->stack[s->stack_off + d];
				for (uint64_t k = fm.off[loc]; k < fm.off[loc + 1]; k++)
					e->stack[e->depth++] = ms_xstrdup(ms_frame_name(&fm, fm.frames[k]));
			}
		}
		lc->entries[id].objects += objects;
		lc->entries[id].bytes += bytes;
		lc->objects[kind] += objects;
		lc->bytes[kind] += bytes;
	}
	ms_buf_free(&key);
	ms_strtab_free(&keys);
	ms_frame_map_free(&fm);
	if (lc->n)
		qsort(lc->entries, lc->n, sizeof *lc->entries, entry_cmp);
	return 0;
}

int64_t ms_leakcheck_site_bytes(const ms_leakcheck *lc, const char *site)
{
	int64_t sum = 0;
	for (size_t i = 0; i < lc->n; i++) {
		const ms_lc_entry *e = &lc->entries[i];
		if (e->kind != MS_LC_REACHABLE && e->depth && strcmp(e->stack[0], site) == 0)
			sum += e->bytes;
	}
	return sum;
}

void ms_leakcheck_free(ms_leakcheck *lc)
{
	for (size_t i = 0; i < lc->n; i++) {
		for (size_t k = 0; k < lc->entries[i].depth; k++)
			free(lc->entries[i].stack[k]);
		free(lc->entries[i].stack);
	}
	free(lc->entries);
	memset(lc, 0, sizeof *lc);
}
