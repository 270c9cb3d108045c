/* cmd_load.c — the one way commands load a profile: ms_profile_load, then
 * the text readers' warnings (skipped malformed lines of folded stacks or
 * perf script output, ...) printed as "memscope: warning: FILE: ...", so
 * every command says what it skipped (before, only `flame` did and `top`
 * dropped a bad line silently). Libraries never print; commands do, here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmds.h"
#include "util/buf.h"
#include "util/http.h"

ms_profile *ms_cmd_load(const char *path, const ms_load_opts *lo, ms_err *err)
{
	ms_buf warnings = MS_BUF_INIT;
	ms_load_opts o = { 0 };
	if (lo)
		o = *lo;
	o.warnings = &warnings;
	/* a URL: where its profile was saved (pprof says it too); messages
	 * show it without credentials */
	char *saved = NULL, *shown = ms_is_url(path) ? ms_url_redact(path) : NULL;
	if (shown && !o.fetch_saved)
		o.fetch_saved = &saved;
	ms_profile *p = ms_profile_load(path, &o, err);
	if (saved)
		fprintf(stderr, "memscope: fetched %s, saved as %s\n", shown, saved);
	if (p && warnings.len) {
		const char *name = shown ? shown : strcmp(path, "-") ? path : "<stdin>";
		for (char *line = warnings.data, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			ms_warn("%s: %s", name, line);
		}
	}
	ms_buf_free(&warnings);
	free(saved);
	free(shown);
	return p;
}
