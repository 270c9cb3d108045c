/* traces.c — pprof -traces' walk over the samples (API in traces.h).
 *
 * pprof (report.printTraces) expands each location into its lines, inner
 * first; a line is an inlined call unless it is the location's last
 * (outermost) one once --hide/--show have removed lines. Samples dropped by
 * --focus/--ignore, and those left without a frame, are not listed. */
#include "config.h"
#include "analysis/tags.h"
#include "analysis/traces.h"

#include <stdlib.h>
#include <string.h>

int ms_traces_open(ms_traces *t, const ms_profile *p, const ms_graph_opts *o, ms_err *err)
{
	memset(t, 0, sizeof *t);
	if (o->sample_index >= p->ntypes)
		return ms_seterr(err, "sample index %zu out of range", o->sample_index);
	t->p = p;
	t->sample_index = o->sample_index;
	ms_frame_map_build(&t->frames, p, o->granularity);
	ms_graph_filtered sel;
	if (ms_graph_filter(p, &t->frames, o, &sel, err) < 0) {
		ms_frame_map_free(&t->frames);
		return -1;
	}
	t->skip = sel.skip;
	t->hidden = sel.hidden; /* NULL when no frame is hidden */
	for (size_t i = 0; i < p->nsamples; i++) {
		int64_t v = p->values[i * p->ntypes + o->sample_index];
		t->total += v < 0 ? -v : v;
	}
	/* numeric label units: pprof's NumLabelUnits (analysis/tags.c) */
	t->units = ms_label_units(p);
	return 0;
}

const char *ms_traces_num_unit(const ms_traces *t, uint32_t key)
{
	return t->units[key] ? t->units[key] : ms_profile_string(t->p, key);
}

bool ms_traces_next(ms_traces *t)
{
	const ms_profile *p = t->p;
	const ms_frame_map *fm = &t->frames;
	for (; t->next < p->nsamples; t->next++) {
		size_t i = t->next;
		if (t->skip[i])
			continue;
		const ms_sample *s = &p->samples[i];
		if (!s->depth)
			continue;
		const uint32_t *stack = p->stack + s->stack_off;
		t->depth = 0;
		for (uint32_t d = 0; d < s->depth; d++) {
			uint64_t lo = fm->off[stack[d]], hi = fm->off[stack[d] + 1];
			/* the outermost line left in the location */
			uint64_t outer = hi;
			for (uint64_t k = hi; k-- > lo;)
				if (!t->hidden || !t->hidden[fm->frames[k]]) {
					outer = k;
					break;
				}
			for (uint64_t k = lo; k < hi; k++) {
				uint32_t f = fm->frames[k];
				if (t->hidden && t->hidden[f])
					continue;
				if (t->depth == t->cap) {
					t->cap = t->cap ? 2 * t->cap : 64;
					t->stack = ms_xreallocarray(t->stack, t->cap, sizeof *t->stack);
					t->inline_call = ms_xreallocarray(t->inline_call, t->cap, sizeof *t->inline_call);
				}
				t->stack[t->depth] = f;
				t->inline_call[t->depth] = k != outer;
				t->depth++;
			}
		}
		if (!t->depth)
			continue;
		t->sample = i;
		t->value = p->values[i * p->ntypes + t->sample_index];
		t->next++;
		return true;
	}
	return false;
}

void ms_traces_close(ms_traces *t)
{
	ms_frame_map_free(&t->frames);
	free(t->units);
	free(t->hidden);
	free(t->skip);
	free(t->stack);
	free(t->inline_call);
	memset(t, 0, sizeof *t);
}
