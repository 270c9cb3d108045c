/* leaks.h — rendering leak suspects as text or JSON. */
#ifndef MS_RENDER_LEAKS_H
#define MS_RENDER_LEAKS_H

#include <stdio.h>

#include "analysis/leaks.h"

void ms_render_leaks_text(FILE *fp, const ms_leak_report *r, size_t max_rows);
int ms_render_leaks_json(FILE *fp, const ms_leak_report *r);

#endif
