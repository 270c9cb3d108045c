/* leakcheck.h — the leak-check report of `memscope run --leak-check` (a
 * pprof profile written by the runtime at exit, src/rt/mleak.c) read back
 * as entries: blocks grouped by kind and allocating stack.
 *
 * The profile has the sample types leaked_objects, leaked_space,
 * reachable_objects, reachable_space and a string label kind = direct |
 * indirect | reachable on each sample. Samples whose stacks print the same
 * at the chosen granularity are merged. */
#ifndef MS_LEAKCHECK_H
#define MS_LEAKCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/frames.h"
#include "util/diag.h"

typedef enum ms_lc_kind { MS_LC_DIRECT = 0, MS_LC_INDIRECT, MS_LC_REACHABLE, MS_LC_NKINDS } ms_lc_kind;

typedef struct ms_lc_entry {
	ms_lc_kind kind;
	int64_t objects, bytes;
	char **stack; /* frame names at the granularity, leaf first */
	size_t depth;
} ms_lc_entry;

typedef struct ms_leakcheck {
	const char *file;     /* borrowed */
	ms_lc_entry *entries; /* by kind (direct, indirect, reachable), then bytes, largest first */
	size_t n;
	int64_t objects[MS_LC_NKINDS], bytes[MS_LC_NKINDS];
} ms_leakcheck;

/* Whether p is a leak-check report (it has the leaked_space and
 * reachable_space sample types). */
bool ms_leakcheck_is_report(const ms_profile *p);
int ms_leakcheck_read(ms_leakcheck *lc, const ms_profile *p, const char *file, ms_granularity g, ms_err *err);
void ms_leakcheck_free(ms_leakcheck *lc);
const char *ms_lc_kind_name(ms_lc_kind k);
/* Bytes of direct and indirect leaks whose leaf frame is `site`. */
int64_t ms_leakcheck_site_bytes(const ms_leakcheck *lc, const char *site);

#endif
