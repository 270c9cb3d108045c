/* frag.h — rendering a fragmentation report: text, JSON, and an SVG chart
 * of each size class's span bytes split into live, rounding, free slots
 * and tail. */
#ifndef MS_RENDER_FRAG_H
#define MS_RENDER_FRAG_H

#include <stdio.h>

#include "analysis/frag.h"

/* name: the input's name for the header line. */
void ms_render_frag_text(FILE *fp, const ms_frag_report *r, const char *name);
int ms_render_frag_json(FILE *fp, const ms_frag_report *r, const char *name);
void ms_render_frag_svg(FILE *fp, const ms_frag_report *r, const char *name);

#endif
