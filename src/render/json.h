/* json.h — JSON strings from input bytes for the Jansson-based writers.
 * Jansson refuses a string that is not valid UTF-8 (json_string returns
 * NULL, json_pack fails), which silently dropped whole rows of `top --json`
 * and `diff --json`. Every writer takes its strings from ms_json_str, which
 * writes each invalid byte as U+FFFD and never drops a value (the same rule
 * as the SVG writers and `convert -o x.json`; see util/utf8.h). */
#ifndef MS_JSON_H
#define MS_JSON_H

#include <jansson.h>

/* A new JSON string of s (NULL gives ""), invalid bytes as U+FFFD; NULL
 * only when out of memory. */
json_t *ms_json_str(const char *s);

#endif
