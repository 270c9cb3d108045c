/* heapsample.h — Go's unsampling of heap profile records, in one
 * dependency-free header shared by the runtime (src/rt) and the readers.
 *
 * A profiler that samples an allocation of s bytes with probability
 * p(s) = 1 − exp(−s/R) (one sample per R bytes on average, R = the profile
 * rate) estimates the true count and bytes of a bucket with average object
 * size avg = bytes/count as
 *
 *	scale  = 1 / (1 − exp(−avg/R))
 *	count' = count · scale,   bytes' = bytes · scale
 *
 * (Go's runtime/pprof scaleHeapSample). R ≤ 1 means every allocation was
 * recorded: no scaling. Truncation toward zero, as Go's int64 conversion. */
#ifndef MS_HEAPSAMPLE_H
#define MS_HEAPSAMPLE_H

#include <math.h>
#include <stdint.h>

static inline void ms_heap_sample_scale(uint64_t count, uint64_t bytes, uint64_t rate, int64_t *oc, int64_t *ob)
{
	if (count == 0 || bytes == 0) {
		*oc = *ob = 0;
		return;
	}
	if (rate <= 1) {
		*oc = (int64_t)count;
		*ob = (int64_t)bytes;
		return;
	}
	double avg = (double)bytes / (double)count;
	double s = 1.0 / (1.0 - exp(-avg / (double)rate));
	*oc = (int64_t)((double)count * s);
	*ob = (int64_t)((double)bytes * s);
}

/* The factor alone, for callers that accumulate doubles. */
static inline double ms_heap_sample_factor(double avg, uint64_t rate)
{
	return rate <= 1 ? 1.0 : 1.0 / (1.0 - exp(-avg / (double)rate));
}

#endif
