/* tags.h — the `tags` report: pprof -tags's text (Go's tabwriter layout,
 * right-aligned columns) and memscope's JSON form of it. */
#ifndef MS_RENDER_TAGS_H
#define MS_RENDER_TAGS_H

#include <stdio.h>

#include "analysis/tags.h"

/* unit: the sample type's unit (values print in pprof's auto-scaled units). */
void ms_render_tags_text(FILE *fp, const ms_tags *t, const char *unit);
int ms_render_tags_json(FILE *fp, const ms_tags *t, const char *type, const char *unit);

#endif
