/* units.h — numbers the way pprof prints them: memory in B/kB/MB/GB (steps
 * of 1024), time in ns/us/ms/s/hrs, two decimals with a trailing ".00"
 * dropped; percentages "%5.2f%%" from 1% up, two significant digits below,
 * "  100%" near 100. */
#ifndef MS_UNITS_H
#define MS_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Writes the scaled label of value (in unit, e.g. "bytes", "nanoseconds",
 * "count") into out, e.g. "1.50MB", "10ms", "42". Returns out. */
char *ms_format_value(char *out, size_t n, int64_t value, const char *unit);
/* Same for a value that is already a double (means, spreads). */
char *ms_format_value_f(char *out, size_t n, double value, const char *unit);
/* Formats value (in unit) converted to to_unit ("MB", "ms", "auto", ...). */
char *ms_format_value_as(char *out, size_t n, int64_t value, const char *unit, const char *to_unit);
/* pprof's selectOutputUnit: one unit for a whole report, chosen from its
 * smallest non-zero value and its total (so small rows keep 2 decimals). */
const char *ms_select_output_unit(int64_t min_value, int64_t max_value, const char *unit);
/* pprof's Percentage(value, total): "  100%", "12.34%", " 0.12%". */
char *ms_format_percent(char *out, size_t n, int64_t value, int64_t total);
/* An exact byte count the way valgrind prints it: "1,650 bytes", "1 byte". */
char *ms_format_bytes_exact(char *out, size_t n, int64_t bytes);
/* pprof's measurement.Scale: value (in unit from) in unit to ("MB", "ms",
 * "auto"/"minimum" for the largest unit it reaches); *out_unit is the
 * canonical name of the unit reached ("" for counts). */
double ms_scale(double value, const char *from, const char *to, const char **out_unit);
/* True when unit is a memory unit (bytes, kilobytes, ...). */
int ms_unit_is_memory(const char *unit);

#endif
