/* json_model.h — the profile model as JSON (`memscope convert x.json`),
 * streamed so a large profile needs no JSON tree in memory. The schema is
 * documented in man/parts/12-convert.man. */
#ifndef MS_JSON_MODEL_H
#define MS_JSON_MODEL_H

#include <stdio.h>

#include "profile/profile.h"

/* Writes s as a JSON string literal (with quotes); invalid UTF-8 bytes
 * become U+FFFD. */
void ms_json_write_string(FILE *fp, const char *s);
int ms_render_model_json(FILE *fp, const ms_profile *p);

#endif
