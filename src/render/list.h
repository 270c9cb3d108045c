/* list.h — the `list` report: pprof -list's text (Total, then per routine
 * its header, flat/cum and the annotated source lines) and its JSON form. */
#ifndef MS_LIST_H
#define MS_LIST_H

#include <stdio.h>

#include "analysis/listing.h"

void ms_render_list_text(FILE *fp, const ms_profile *p, size_t sample_index, const ms_listing *l);
int ms_render_list_json(FILE *fp, const ms_profile *p, size_t sample_index, const ms_listing *l);

#endif
