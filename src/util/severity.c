/* severity.c — names and spellings of finding severities (severity.h). */
#include "config.h"
#include "util/severity.h"

#include <string.h>

const char *ms_severity_name(enum ms_severity s)
{
	static const char *const names[] = { "info", "warn", "critical" };
	return (unsigned)s < 3 ? names[s] : "?";
}

int ms_severity_parse(const char *s)
{
	static const struct {
		const char *name;
		enum ms_severity sev;
	} spellings[] = {
		{ "info", MS_SEV_INFO }, { "warn", MS_SEV_WARN }, { "warning", MS_SEV_WARN },
		{ "crit", MS_SEV_CRITICAL }, { "critical", MS_SEV_CRITICAL },
	};
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		if (strcmp(s, spellings[i].name) == 0)
			return (int)spellings[i].sev;
	return -1;
}
