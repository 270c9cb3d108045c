/* traces.h — the samples one by one, as pprof -traces lists them: each
 * sample that survives --focus/--ignore, with its frames at the report's
 * granularity (leaf first, --hide/--show frames removed; a sample left with
 * none is skipped) and its value. Run ms_profile_compact first so equal
 * stacks are one sample, as pprof's merge makes them.
 *
 * An iterator, so a 400k-sample profile needs no second copy of its stacks. */
#ifndef MS_TRACES_H
#define MS_TRACES_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/graph.h"

typedef struct ms_traces {
	const ms_profile *p;
	ms_frame_map frames;
	size_t sample_index;
	int64_t total;       /* Σ|value| over all samples (pprof's rpt.total) */
	const char **units;  /* per string id of a numeric label key: its unit (ms_label_units) */
	uint8_t *hidden, *skip;
	size_t next;
	/* the current trace */
	size_t sample;
	int64_t value;
	uint32_t *stack;     /* frame ids, leaf first */
	bool *inline_call;   /* per frame: an inlined call (not its location's outermost frame) */
	size_t depth, cap;
} ms_traces;

int ms_traces_open(ms_traces *t, const ms_profile *p, const ms_graph_opts *o, ms_err *err);
/* Moves to the next trace; false at the end. */
bool ms_traces_next(ms_traces *t);
void ms_traces_close(ms_traces *t);

/* The unit pprof prints a numeric label key in: the first unit a sample
 * gives for it, else "bytes" for alignment/request, else the key itself. */
const char *ms_traces_num_unit(const ms_traces *t, uint32_t key);

#endif
