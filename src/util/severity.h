/* severity.h — the one severity vocabulary of memscope's findings (gctrace,
 * frag, and the readers that come) and the one --fail-on SEVERITY gate.
 *
 * Every command accepts the same spellings: info, warn or warning, crit or
 * critical. A gate at level L trips (exit 1) when any finding has severity
 * >= L. How a report prints a severity is the renderer's business. */
#ifndef MS_SEVERITY_H
#define MS_SEVERITY_H

#include <stddef.h>

enum ms_severity { MS_SEV_INFO = 0, MS_SEV_WARN, MS_SEV_CRITICAL };

/* "info", "warn", "critical" */
const char *ms_severity_name(enum ms_severity s);
/* Any accepted spelling -> level; -1 when unknown. */
int ms_severity_parse(const char *s);
/* What --fail-on accepts, for usage messages. */
#define MS_SEVERITY_CHOICES "info, warn (warning) or critical (crit)"

/* The gate: 1 when a finding of severity sev trips --fail-on at level
 * fail_level (-1 = no gate). */
static inline int ms_severity_trips(int fail_level, int sev)
{
	return fail_level >= 0 && sev >= fail_level;
}

#endif
