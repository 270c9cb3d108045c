/* summary.h — `memscope info`: a profile's header facts and totals, as text
 * or JSON. */
#ifndef MS_SUMMARY_H
#define MS_SUMMARY_H

#include <stdio.h>

#include "profile/gotrace.h"
#include "profile/profile.h"

int ms_render_info_text(FILE *fp, const ms_profile *p, const char *name);
int ms_render_info_json(FILE *fp, const ms_profile *p, const char *name);
/* Go execution traces: what the reader learnt (text after the profile's
 * info; JSON under "go_trace"). */
int ms_render_gotrace_info_text(FILE *fp, const ms_gt_stats *st);
int ms_render_info_json_gotrace(FILE *fp, const ms_profile *p, const char *name, const ms_gt_stats *st);

#endif
