/* perf_script.h — reading `perf script` text (Linux perf's sample dump with
 * call chains) into the profile model, with the conventions of the
 * reference collapser, stackcollapse-perf.pl: the command name is the root
 * frame, "+0x..." offsets are stripped, unresolved symbols become "[dso]"
 * or "[unknown]", weights are the sample period, only the first event type
 * seen is kept, --pid/--tid split processes/threads, --kernel marks kernel
 * frames "_[k]", and inlined frames ("a->b") are marked "_[i]".
 *
 * Sample types: `samples/count` (one per sample) and, when the headers carry
 * a period, the period sum as `cpu/nanoseconds` for the cpu-clock and
 * task-clock events (whose period is in ns) or `<event>/count` for any other
 * event (cycles, page-faults, ...). The period type is the default, so
 * folded output sums periods exactly as the reference collapser does.
 * Identical stacks are merged into one sample while reading. */
#ifndef MS_PERF_SCRIPT_H
#define MS_PERF_SCRIPT_H

#include <stddef.h>

#include "profile/load.h"

/* Parses perf script text (already decompressed). opts may be NULL. Lines
 * it cannot use are skipped and summarised in opts->warnings; it fails only
 * when no sample remains. */
ms_profile *ms_perf_parse(const char *data, size_t n, const ms_load_opts *opts, ms_err *err);

/* True when the text starts like perf script output (after '#' comments):
 * a sample header line followed by a frame line, or a header ending in
 * "event:". */
int ms_perf_sniff(const char *data, size_t n);
/* 1 when the first lines are perf script sample headers ("comm pid time:
 * period event:") without a single stack frame line: perf script output of
 * a recording made without call stacks (perf record without -g). */
int ms_perf_headers_only(const char *data, size_t n);

#endif
