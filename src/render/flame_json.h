/* flame_json.h — the collapsed stacks of `memscope flame` as JSON (schema in
 * flame_json.c and memscope(1)). */
#ifndef MS_FLAME_JSON_H
#define MS_FLAME_JSON_H

#include <stdio.h>

#include "analysis/stacks.h"

/* type/unit name the sample type (may be NULL). Returns -1 on a write
 * error. */
int ms_flame_json_write(FILE *fp, const ms_stacks *s, const char *type, const char *unit);

#endif
