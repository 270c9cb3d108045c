/* escape.c — `memscope escape`: why a Go heap profile's heaviest sites
 * allocate, from the compiler's -m / -m=2 escape-analysis output; with
 * --base, the lines that turned from stack to heap between two builds and
 * the --fail-on new-heap gate. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/escape_join.h"
#include "cmd/cmds.h"
#include "profile/escape.h"
#include "render/escape.h"
#include "util/opts.h"
#include "util/severity.h"

static const char *const escape_usage[] = {
	"memscope escape [--json] [-n N] [--sample-index NAME|N] M2LOG PROFILE",
	"memscope escape --base OLD.m2 [--fail-on new-heap] [--min-bytes SIZE] [--format F] NEW.m2 PROFILE",
	NULL,
};

static void warn_skipped(const ms_esc_log *log, const char *path)
{
	if (log->nbad)
		ms_warn("%s: %zu line%s skipped (not compiler output), the first at line %zu", path, log->nbad,
			log->nbad == 1 ? "" : "s", log->first_bad);
}

int cmd_escape(int argc, char **argv)
{
	int json = 0;
	long rows = -1;
	const char *sample_index = NULL, *base = NULL, *fail_on = NULL, *format = NULL;
	unsigned long long min_bytes = 1;
	const ms_option opts[] = {
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON: per site file, line, function, bytes, objects, decision, reason chain" },
		{ MS_OPT_INT, 'n', "nodecount", &rows, "N", "show at most N sites (default 20; 0 = all)" },
		{ MS_OPT_STRING, 0, "sample-index", &sample_index, "NAME|N", "sample type (default alloc_space when present)" },
		{ MS_OPT_STRING, 0, "base", &base, "OLD.m2", "the escape log of the previous build: report lines that turned to heap" },
		{ MS_OPT_STRING, 0, "fail-on", &fail_on, "new-heap",
			"with --base: exit 1 when a line turned to heap carries --min-bytes (or a severity: info, warn, critical)" },
		{ MS_OPT_SIZE, 0, "min-bytes", &min_bytes, "SIZE", "with --fail-on new-heap: bytes a line must carry (default 1)" },
		{ MS_OPT_STRING, 0, "format", &format, "F", "with --base: text (default), json, markdown or github" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, escape_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 2)
		return ms_usage_error(opts, escape_usage, "escape takes an escape log and a profile");
	if (rows < 0)
		rows = 20;
	int fail_level = -1;
	if (fail_on && !base)
		return ms_usage_error(opts, escape_usage, "--fail-on needs --base");
	if (fail_on && (fail_level = strcmp(fail_on, "new-heap") == 0 ? MS_SEV_CRITICAL : ms_severity_parse(fail_on)) < 0)
		return ms_usage_error(opts, escape_usage, "--fail-on takes new-heap or a severity (%s), not '%s'",
			MS_SEVERITY_CHOICES, fail_on);
	if (json && format && strcmp(format, "json") != 0)
		return ms_usage_error(opts, escape_usage, "--json and --format %s exclude each other", format);
	ms_diff_format fmt = json ? MS_DIFF_JSON : MS_DIFF_TEXT;
	if (format && ms_diff_format_parse(format, &fmt) < 0)
		return ms_usage_error(opts, escape_usage, "unknown format '%s' (text, json, markdown, github)", format);
	if (format && !base && fmt != MS_DIFF_JSON && fmt != MS_DIFF_TEXT)
		return ms_usage_error(opts, escape_usage, "--format %s needs --base", format);

	ms_err err;
	ms_esc_log log, oldl;
	int rc = MS_EXIT_INPUT, have_old = 0;
	ms_profile *p = NULL;
	if (ms_esc_read(&log, argv[0], &err) < 0)
		return ms_report(&err);
	warn_skipped(&log, argv[0]);
	if (base) {
		if (ms_esc_read(&oldl, base, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
		have_old = 1;
		warn_skipped(&oldl, base);
	}
	ms_load_opts lo = { 0 };
	if (!(p = ms_cmd_load(argv[1], &lo, &err))) {
		rc = ms_report(&err);
		goto out;
	}
	int si = ms_profile_sample_index(p, sample_index ? sample_index : "alloc_space", &err);
	if (si < 0 && !sample_index)
		si = ms_profile_sample_index(p, NULL, &err);
	if (si < 0) {
		ms_err_prefix(&err, argv[1]);
		rc = ms_report(&err);
		goto out;
	}
	ms_esc_join j;
	ms_esc_join_build(&j, &log, p, (size_t)si);
	ms_esc_view v = { &log, argv[0], p, &j, (size_t)rows };
	rc = MS_EXIT_OK;
	if (have_old) {
		ms_esc_change *c;
		size_t nc = ms_esc_new_heap(&oldl, &log, &j, min_bytes, &c);
		ms_esc_gate_view g = { &v, base, c, nc, fail_level, min_bytes };
		if (ms_render_escape_gate(stdout, &g, fmt) > 0)
			rc = MS_EXIT_TRIPPED;
		free(c);
	} else if (json) {
		ms_render_escape_json(stdout, &v);
	} else {
		ms_render_escape_text(stdout, &v);
	}
	ms_esc_join_free(&j);
out:
	ms_profile_free(p);
	if (have_old)
		ms_esc_free(&oldl);
	ms_esc_free(&log);
	return rc;
}
