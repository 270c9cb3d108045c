/* trace.h — reading libmsrt's event trace (trace.out) into the model. */
#ifndef MS_TRACE_H
#define MS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"

/* True when the bytes start with the trace magic "MSRTRACE". */
int ms_trace_sniff(const uint8_t *data, size_t n);
/* Parses a whole trace; inuse selects inuse_space as the default type
 * (else alloc_space). */
ms_profile *ms_trace_parse(const uint8_t *data, size_t n, int inuse, ms_err *err);

/* ---- records, for other readers of the trace (src/gctrace/trace_gc.c) ---- */
typedef struct ms_trace_header {
	uint64_t version, page_size, wall_ns, mono_ns, pid, rate, nclasses;
} ms_trace_header;

/* Walks a trace record by record. Offsets in errors are from data's start. */
typedef struct ms_trace_iter {
	const uint8_t *base, *p, *end;
	ms_trace_header h;
	int ended; /* the 'E' record was seen */
} ms_trace_iter;

/* Checks the magic and version and reads the header. 0 or -1. */
int ms_trace_iter_open(ms_trace_iter *it, const uint8_t *data, size_t n, ms_err *err);
/* The next record: 1 with its kind and payload, 0 after the 'E' record or
 * at the end of the data, -1 on a bad record. */
int ms_trace_iter_next(ms_trace_iter *it, uint8_t *kind, const uint8_t **payload, size_t *len, ms_err *err);
/* Reads a varint at *p (before end) and advances *p; -1 with
 * "byte N: truncated varint" and the like. */
int ms_trace_get_varint(const ms_trace_iter *it, const uint8_t **p, const uint8_t *end, uint64_t *out, ms_err *err);

#endif
