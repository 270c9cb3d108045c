/* folded.h — reading folded stacks (Brendan Gregg's collapsed format) into
 * the profile model.
 *
 *   main;handle;parse 42          one count: sample type samples/count
 *   main;handle;parse 40 42       two counts (a differential file, as
 *                                 difffolded.pl writes): types base/count
 *                                 and new/count
 *
 * Frames are root first, joined by ';'; the count(s) follow the last blank.
 * Whether a file has one or two counts is decided by its first valid line.
 * Blank lines and lines starting with '#' are ignored; lines without a
 * valid count are skipped and summarised in opts->warnings. Repeated stacks
 * are summed. Each frame name becomes a function and a location. */
#ifndef MS_FOLDED_H
#define MS_FOLDED_H

#include <stddef.h>

#include "profile/load.h"

ms_profile *ms_folded_parse(const char *data, size_t n, const ms_load_opts *opts, ms_err *err);

/* True when the first non-comment line looks like "frames count". */
int ms_folded_sniff(const char *data, size_t n);

/* True when p came from a two-count folded file (types base and new). */
int ms_folded_is_differential(const ms_profile *p);

#endif
