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
#include "profile/combine.h"
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

/* Several inputs as pprof merges them (profile/combine.h): each loaded in
 * turn and appended to the first, the base (if any) merged and appended
 * negated, then equal samples summed and zero samples dropped. An error
 * names the file it is about. */
ms_profile *ms_cmd_load_inputs(char *const *paths, size_t n, const char *base, const ms_load_opts *lo, ms_err *err)
{
	ms_profile *p = ms_cmd_load(paths[0], lo, err);
	if (!p)
		return NULL;
	for (size_t i = 1; i < n; i++) {
		ms_profile *q = ms_cmd_load(paths[i], lo, err);
		int rc = q ? ms_profile_combine(p, q, 1.0, err) : -1;
		if (q && rc < 0)
			ms_err_prefix(err, paths[i]);
		ms_profile_free(q);
		if (rc < 0)
			goto fail;
	}
	if (base) {
		ms_profile *b = ms_cmd_load(base, lo, err);
		int rc = b ? ms_profile_combine(p, b, -1.0, err) : -1;
		if (b && rc < 0)
			ms_err_prefix(err, base);
		ms_profile_free(b);
		if (rc < 0)
			goto fail;
	}
	if (n > 1 || base)
		ms_profile_compact(p);
	return p;
fail:
	ms_profile_free(p);
	return NULL;
}
