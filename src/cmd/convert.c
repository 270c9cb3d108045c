/* convert.c — `memscope convert FILE -o OUT`: re-encode a profile as pprof
 * (.pb.gz / .pb), the model's JSON dump (.json) or folded stacks
 * (.folded). The output format follows OUT's extension unless --to says. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/stacks.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "profile/pprof.h"
#include "render/json_model.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const convert_usage[] = {
	"memscope convert [--to pprof|json|folded] [--sample-index NAME|N] [--input-format FMT] FILE -o OUT",
	NULL,
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cmd_convert(int argc, char **argv)
{
	const char *out = NULL, *to = NULL, *format = "auto", *sample_index = NULL;
	ms_gotrace_cli gt = { 0 };
	const ms_option opts[] = {
		{ MS_OPT_STRING, 'o', "output", &out, "OUT", "output file ('-' = stdout)" },
		{ MS_OPT_STRING, 0, "to", &to, "FMT", "pprof, json or folded (default: from OUT's extension)" },
		{ MS_OPT_STRING, 0, "sample-index", &sample_index, "NAME|N", "folded: the sample type to write" },
		{ MS_OPT_STRING, 0, "input-format", &format, "FMT", "auto, pprof, perf, folded, trace or gotrace" },
		MS_GOTRACE_OPTIONS(gt),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, convert_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1 || !out)
		return ms_usage_error(opts, convert_usage, "convert takes one input file and -o OUT");
	if (!to)
		to = ends_with(out, ".json")                           ? "json"
		     : ends_with(out, ".folded")                       ? "folded"
		     : ends_with(out, ".pb.gz") || ends_with(out, ".pb") ? "pprof"
									 : NULL;
	if (!to || (strcmp(to, "pprof") && strcmp(to, "json") && strcmp(to, "folded")))
		return ms_usage_error(opts, convert_usage, "cannot tell the output format of '%s' (use --to)", out);
	ms_load_opts lo = { .symbolize_trace = 1 };
	if (ms_input_format_parse(format, &lo.format) < 0)
		return ms_usage_error(opts, convert_usage, "unknown input format '%s'", format);

	ms_err err;
	if (ms_gotrace_cli_apply(&gt, &lo, &err) < 0)
		return ms_report(&err);
	ms_profile *p = ms_cmd_load(argv[0], &lo, &err);
	if (!p)
		return ms_report(&err);
	int rc = MS_EXIT_OK;
	if (strcmp(to, "pprof") == 0) {
		if (ms_pprof_write_file(p, out, ends_with(out, ".pb"), &err) < 0)
			rc = ms_report(&err);
	} else {
		/* JSON and folded stacks are text written atomically */
		ms_stacks st;
		int folded = strcmp(to, "folded") == 0, si = 0;
		ms_outfile of;
		if (folded) {
			ms_stacks_init(&st, 1);
			si = ms_profile_sample_index(p, sample_index, &err);
			if (si < 0 || ms_stacks_add_profile(&st, p, (size_t)si, MS_GRAN_FUNCTIONS, 0, &err) < 0) {
				ms_err_prefix(&err, argv[0]);
				rc = ms_report(&err);
				ms_stacks_free(&st);
				goto out;
			}
		}
		if (ms_outfile_open(&of, out, &err) < 0) {
			rc = ms_report(&err);
		} else if (folded ? ms_stacks_write_folded(&st, of.fp) < 0 : ms_render_model_json(of.fp, p) < 0) {
			ms_outfile_fail(&of, &err);
			rc = ms_report(&err);
		} else if (ms_outfile_commit(&of, &err) < 0) {
			rc = ms_report(&err);
		}
		if (folded)
			ms_stacks_free(&st);
	}
out:
	ms_profile_free(p);
	return rc;
}
