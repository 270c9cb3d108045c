/* fit.c — least-squares line fit. */
#include "util/fit.h"

double ms_linear_fit(const double *x, const double *y, size_t n, double *intercept, double *r2)
{
	double sx = 0, sy = 0;
	*r2 = 0;
	if (intercept)
		*intercept = n ? y[0] : 0;
	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
	}
	double mx = sx / (double)n, my = sy / (double)n;
	double sxx = 0, sxy = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = x[i] - mx, dy = y[i] - my;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	if (sxx <= 0)
		return 0;
	double b = sxy / sxx;
	if (intercept)
		*intercept = my - b * mx;
	/* R² = 1 − SSres/SStot; with SSres = syy − b·sxy for least squares. */
	*r2 = syy > 0 ? (b * sxy) / syy : 0;
	if (*r2 < 0)
		*r2 = 0;
	if (*r2 > 1)
		*r2 = 1;
	return b;
}
