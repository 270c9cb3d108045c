/* combine.h — several profiles as one, the way pprof merges its inputs
 * (`go tool pprof a.pb.gz b.pb.gz`, -base): profile.Merge's rules for
 * which profiles may be merged and how their headers combine, and its
 * compaction (identical samples summed, all-zero samples dropped). */
#ifndef MS_COMBINE_H
#define MS_COMBINE_H

#include "profile/profile.h"

/* Appends src's samples to dst (src is scaled in place first: units to the
 * finer of the two, then by scale, e.g. -1 for a base). Fails, with dst
 * unchanged, when pprof would refuse: different sample type counts, type
 * names or unit families, or period types. Headers combine like pprof's:
 * earliest time, summed durations, largest period, comments once each,
 * the first default sample type. Call ms_profile_compact after the last. */
int ms_profile_combine(ms_profile *dst, ms_profile *src, double scale, ms_err *err);

/* pprof's Merge of one profile, in place: samples whose locations (by
 * mapping, address, lines and functions, not by id) and labels are equal
 * become one with the values summed, in the order of first appearance;
 * samples whose values are all zero are dropped. */
void ms_profile_compact(ms_profile *p);

#endif
