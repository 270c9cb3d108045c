/* units.c — pprof-compatible value and percentage formatting. */
#include "util/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_type {
	struct unit units[9];
	size_t n;
	struct unit dflt;
};

static const struct unit_type unit_types[] = {
	{ { { "B", { "b", "byte" }, 1 },
	    { "kB", { "kb", "kbyte", "kilobyte" }, 1024.0 },
	    { "MB", { "mb", "mbyte", "megabyte" }, 1048576.0 },
	    { "GB", { "gb", "gbyte", "gigabyte" }, 1073741824.0 },
	    { "TB", { "tb", "tbyte", "terabyte" }, 1099511627776.0 },
	    { "PB", { "pb", "pbyte", "petabyte" }, 1125899906842624.0 } },
	  6, { "B", { "b" }, 1 } },
	{ { { "ns", { "ns", "nanosecond" }, 1 },
	    { "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	    { "ms", { "ms", "millisecond" }, 1e6 },
	    { "s", { "s", "sec", "second" }, 1e9 },
	    { "hrs", { "hour", "hr" }, 3.6e12 } },
	  5, { "s", { NULL }, 1e9 } },
};

/* pprof's sniffUnit: lower-case, drop a plural "s" from names longer than 2. */
static const struct unit *sniff(const struct unit_type *ut, const char *unit)
{
	char low[32];
	size_t n = strlen(unit);
	if (n >= sizeof low)
		return NULL;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)unit[i]);
	low[n] = '\0';
	if (n > 2 && low[n - 1] == 's')
		low[n - 1] = '\0';
	for (size_t i = 0; i < ut->n; i++)
		for (size_t k = 0; k < 4 && ut->units[i].aliases[k]; k++)
			if (strcmp(low, ut->units[i].aliases[k]) == 0)
				return &ut->units[i];
	return NULL;
}

int ms_unit_is_memory(const char *unit) { return sniff(&unit_types[0], unit) != NULL; }

static int is_auto(const char *to) { return strcmp(to, "auto") == 0 || strcmp(to, "minimum") == 0; }

/* pprof's Scale(value, from, to): to is a unit name, or "auto"/"minimum"
 * for the largest unit the value reaches. */
static double scale_to(double value, const char *from, const char *to, const char **out_unit)
{
	if (value < 0) {
		double v = scale_to(-value, from, to, out_unit);
		return -v;
	}
	for (size_t t = 0; t < sizeof unit_types / sizeof unit_types[0]; t++) {
		const struct unit_type *ut = &unit_types[t];
		const struct unit *fu = sniff(ut, from);
		if (!fu)
			continue;
		double v = value * fu->factor;
		if (is_auto(to)) {
			double f = 0;
			const char *name = NULL;
			for (size_t i = 0; i < ut->n; i++)
				if (ut->units[i].factor >= f && v / ut->units[i].factor >= 1.0) {
					f = ut->units[i].factor;
					name = ut->units[i].name;
				}
			if (f == 0) {
				*out_unit = ut->dflt.name;
				return v / ut->dflt.factor;
			}
			*out_unit = name;
			return v / f;
		}
		const struct unit *tu = sniff(ut, to);
		if (!tu) {
			*out_unit = ut->dflt.name;
			return v / ut->dflt.factor;
		}
		*out_unit = tu->name;
		return v / tu->factor;
	}
	if (is_auto(to) || strcmp(to, "count") == 0 || strcmp(to, "sample") == 0 || strcmp(to, "unit") == 0)
		*out_unit = "";
	else
		*out_unit = to;
	return value;
}

double ms_scale(double value, const char *from, const char *to, const char **out_unit)
{
	return scale_to(value, from, to, out_unit);
}

const char *ms_select_output_unit(int64_t min_value, int64_t max_value, const char *unit)
{
	const char *min_unit, *max_unit, *u;
	if (min_value == 0)
		min_value = max_value;
	scale_to((double)min_value, unit, "minimum", &min_unit);
	scale_to((double)max_value, unit, "minimum", &max_unit);
	u = min_unit;
	if (strcmp(min_unit, max_unit) != 0 && (double)min_value * 100 < (double)max_value)
		scale_to(100.0 * (double)min_value, unit, "minimum", &u);
	return *u ? u : unit;
}

/* pprof's ScaledLabel: the value in to_unit with two decimals, ".00"
 * dropped, 0 for anything that rounds to zero. */
static char *label(char *out, size_t n, double value, const char *unit, const char *to_unit)
{
	const char *u;
	double v = scale_to(value, unit ? unit : "", to_unit, &u);
	char num[64];
	snprintf(num, sizeof num, "%.2f", v);
	size_t len = strlen(num);
	if (len > 3 && strcmp(num + len - 3, ".00") == 0)
		num[len - 3] = '\0';
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0)
		snprintf(out, n, "0");
	else
		snprintf(out, n, "%s%s", num, u);
	return out;
}

char *ms_format_value_as(char *out, size_t n, int64_t value, const char *unit, const char *to_unit)
{
	return label(out, n, (double)value, unit, to_unit);
}

char *ms_format_value_f(char *out, size_t n, double value, const char *unit)
{
	return label(out, n, value, unit, "auto");
}

char *ms_format_bytes_exact(char *out, size_t n, int64_t bytes)
{
	char digits[32], grouped[48];
	uint64_t mag = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)mag);
	size_t k = 0;
	if (bytes < 0)
		grouped[k++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = 0;
	snprintf(out, n, "%s byte%s", grouped, mag == 1 ? "" : "s");
	return out;
}

char *ms_format_value(char *out, size_t n, int64_t value, const char *unit)
{
	return ms_format_value_f(out, n, (double)value, unit);
}

/* Go's %5.2g: two significant digits, shortest of %e/%f styles, no trailing
 * zeros (Go's %g drops them like C's). */
char *ms_format_percent(char *out, size_t n, int64_t value, int64_t total)
{
	double ratio = 0;
	if (total != 0)
		ratio = fabs((double)value / (double)total) * 100;
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(out, n, "  100%%");
	else if (ratio >= 1.0)
		snprintf(out, n, "%5.2f%%", ratio);
	else {
		char g[32];
		snprintf(g, sizeof g, "%.2g", ratio);
		/* Go prints exponents with at least two digits, as C does. */
		snprintf(out, n, "%5s%%", g);
	}
	return out;
}
