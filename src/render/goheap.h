/* goheap.h — rendering the Go heap dump retention report (text, JSON). */
#ifndef MS_RENDER_GOHEAP_H
#define MS_RENDER_GOHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/goheap.h"

/* top: rows of the root and site tables (the top objects were chosen by
 * the analysis). */
void ms_render_goheap_text(FILE *fp, const ms_goheap *h, const ms_godump *d, const char *name, size_t top);
void ms_render_goheap_json(FILE *fp, const ms_goheap *h, const ms_godump *d);

/* memscope diff of two dumps: retained bytes by root. */
void ms_render_goheap_rootdiff(FILE *fp, const ms_gh_rootdiff *rows, size_t n, const char *base, const char *cur,
	size_t top, bool json);

#endif
