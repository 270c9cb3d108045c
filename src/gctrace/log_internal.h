/* log_internal.h — what the log (log.c) lends the file reader (read.c):
 * the parallel reader parses chunks into logs of their own and appends
 * them in file order. Not part of the public API (gctrace.h). */
#ifndef MS_GCTRACE_LOG_INTERNAL_H
#define MS_GCTRACE_LOG_INTERNAL_H

#include "gctrace/gctrace.h"

/* Reports a held (possibly cut) gc line as malformed: at the end of a
 * chunk, lines are not stitched across chunks. */
void ms_gctrace_held_flush(ms_gctrace_log *log);
/* Appends b (parsed from the bytes after a's) to a: b's line numbers and
 * cycle counts move past a's; an analysing a takes b's cycles into its
 * analysis instead. */
void ms_gctrace_log_append(ms_gctrace_log *a, ms_gctrace_log *b);
/* Empties a log for reuse, keeping its arrays. */
void ms_gctrace_log_reset(ms_gctrace_log *log);

#endif
