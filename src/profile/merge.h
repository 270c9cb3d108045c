/* merge.h — appending one profile's samples to another (pprof's merge),
 * with values scaled: the basis of -diff_base (scale −1), --normalize and
 * the mean of several baselines (scale −1/N). */
#ifndef MS_MERGE_H
#define MS_MERGE_H

#include <stdbool.h>

#include "profile/profile.h"

/* Maps src's sample type t to dst's index with the same type name, or -1.
 * Returns the number of types that matched. */
size_t ms_profile_match_types(const ms_profile *dst, const ms_profile *src, int *map);

/* Appends every sample of src to dst, with its locations, functions and
 * mappings copied, values matched to dst's sample types by name and
 * multiplied by num/den (rounded to nearest). Types of dst that src lacks
 * get 0. Fails if no sample type matches. */
int ms_profile_merge(ms_profile *dst, const ms_profile *src, double scale, ms_err *err);

/* pprof's Normalize: multiplies each of p's sample types by
 * base_total / p_total (rounded like Go's math.Round), so p's totals become
 * base's. Types missing from base are left alone. */
void ms_profile_scale_to(ms_profile *p, const ms_profile *base);

/* A deep copy (via merge into an empty profile with src's types). */
ms_profile *ms_profile_copy(const ms_profile *src);

#endif
