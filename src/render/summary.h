/* summary.h — `memscope info`: a profile's header facts and totals, as text
 * or JSON. */
#ifndef MS_SUMMARY_H
#define MS_SUMMARY_H

#include <stdio.h>

#include "profile/profile.h"

int ms_render_info_text(FILE *fp, const ms_profile *p, const char *name);
int ms_render_info_json(FILE *fp, const ms_profile *p, const char *name);

#endif
