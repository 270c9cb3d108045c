/* fit.h — least-squares line fits, shared by the trend analyses (live heap
 * in GC traces, per-site growth in heap profile series). */
#ifndef MS_FIT_H
#define MS_FIT_H

#include <stddef.h>

/* Fits y = a + b·x by least squares; returns the slope b, sets *intercept
 * (when non-NULL) and *r2 = 1 − SSres/SStot (0 when y is constant or the fit
 * is undefined, clamped to [0, 1]). */
double ms_linear_fit(const double *x, const double *y, size_t n, double *intercept, double *r2);

#endif
