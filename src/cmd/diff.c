/* diff.c — `memscope diff`: what grew between baseline profile(s) and a new
 * one, by function (or line/file), with CI gates (--fail-on) that exit 1
 * when they trip. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/diff.h"
#include "util/opts.h"

static const char *const diff_usage[] = {
	"memscope diff [options] BASE NEW",
	"memscope diff [options] --base B1 [--base B2 ...] NEW",
	NULL,
};

#define MAX_GATE_TYPES 8

int cmd_diff(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	ms_strlist bases = { 0 }, fail_on = { 0 };
	const char *format = "text";
	int normalize = 0;
	long contributors = 5;
	ro.node_count = -1;
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_LIST, 0, "base", &bases, "FILE", "a baseline profile (repeat: their mean is the baseline)" },
		{ MS_OPT_FLAG, 0, "normalize", &normalize, NULL, "scale each baseline to the new profile's total first" },
		{ MS_OPT_STRING, 0, "format", &format, "F", "text (default), json, markdown or github" },
		{ MS_OPT_LIST, 0, "fail-on", &fail_on, "EXPR",
			"gate: exit 1 if it trips (TYPE[@REGEX]:+P% | +SIZE | +Ksigma)" },
		{ MS_OPT_INT, 0, "contributors", &contributors, "N", "rows listed under a tripped gate (default 5)" },
		MS_OPT_END_MARK,
	};
	int rc = MS_EXIT_INPUT;
	ms_profile *np = NULL, **bp = NULL;
	ms_gate *gates = NULL;
	ms_diff diffs[MAX_GATE_TYPES];
	size_t ndiffs = 0;
	const char **base_names = NULL;
	size_t nbase = 0;
	ms_err err;

	int n = ms_parse_opts(argc, argv, opts, diff_usage);
	if (n == MS_OPTS_HELP)
		return MS_EXIT_OK;
	if (n < 0)
		goto out;
	if (bases.n == 0 && n == 2) {
		base_names = ms_xcalloc(1, sizeof *base_names);
		base_names[nbase++] = argv[0];
		argv[0] = argv[1];
	} else if (bases.n > 0 && n == 1) {
		base_names = ms_xcalloc(bases.n, sizeof *base_names);
		for (size_t i = 0; i < bases.n; i++)
			base_names[nbase++] = bases.items[i];
	} else {
		rc = ms_usage_error(opts, diff_usage, "diff takes BASE NEW, or --base B... NEW");
		goto out;
	}
	ms_diff_format fmt;
	if (ms_diff_format_parse(format, &fmt) < 0) {
		rc = ms_usage_error(opts, diff_usage, "unknown format '%s' (text, json, markdown, github)", format);
		goto out;
	}
	if (contributors < 0 || contributors > 16) {
		rc = ms_usage_error(opts, diff_usage, "--contributors must be between 0 and 16");
		goto out;
	}
	gates = ms_xcalloc(fail_on.n ? fail_on.n : 1, sizeof *gates);
	for (size_t i = 0; i < fail_on.n; i++)
		if (ms_gate_parse(&gates[i], fail_on.items[i], &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}

	long node_count = ro.node_count;
	ro.node_count = 0;
	ms_diff_opts dopt;
	memset(&dopt, 0, sizeof dopt);
	if (ms_report_opts_resolve(&ro, &dopt.graph, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	dopt.sample_type = ro.sample_index;
	dopt.normalize = normalize != 0;
	dopt.cum = ro.cum != 0;
	ms_load_opts lo = { .format = ro.input_format };
	np = ms_cmd_load(argv[0], &lo, &err);
	if (!np) {
		rc = ms_report(&err);
		goto out;
	}
	bp = ms_xcalloc(nbase, sizeof *bp);
	for (size_t i = 0; i < nbase; i++)
		if (!(bp[i] = ms_cmd_load(base_names[i], &lo, &err))) {
			rc = ms_report(&err);
			goto out;
		}
	if (ms_diff_build(&diffs[0], np, (const ms_profile *const *)bp, nbase, &dopt, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	ndiffs = 1;

	/* Each gate is evaluated on the diff of its own sample type. */
	int tripped = 0;
	for (size_t i = 0; i < fail_on.n; i++) {
		ms_diff *d = NULL;
		for (size_t k = 0; k < ndiffs; k++)
			if (strcmp(diffs[k].type, gates[i].type) == 0)
				d = &diffs[k];
		if (!d) {
			if (ndiffs == MAX_GATE_TYPES) {
				rc = ms_error("too many different sample types in gates");
				goto out;
			}
			ms_diff_opts o2 = dopt;
			o2.sample_type = gates[i].type;
			if (ms_diff_build(&diffs[ndiffs], np, (const ms_profile *const *)bp, nbase, &o2, &err) < 0) {
				ms_err_prefix(&err, "gate");
				rc = ms_report(&err);
				goto out;
			}
			d = &diffs[ndiffs++];
		}
		if (ms_gate_eval(&gates[i], d, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
		tripped |= gates[i].tripped;
	}
	size_t max_rows = node_count >= 0 ? (size_t)node_count : fmt == MS_DIFF_JSON ? 0 : 20;
	ms_diff_view v = { &diffs[0], argv[0], base_names, max_rows, gates, fail_on.n, (size_t)contributors };
	ms_render_diff(stdout, &v, fmt);
	if (fflush(stdout) != 0) {
		rc = ms_error("write error on standard output");
		goto out;
	}
	rc = tripped ? MS_EXIT_TRIPPED : MS_EXIT_OK;
out:
	for (size_t i = 0; i < ndiffs; i++)
		ms_diff_free(&diffs[i]);
	for (size_t i = 0; gates && i < fail_on.n; i++)
		ms_gate_free(&gates[i]);
	free(gates);
	for (size_t i = 0; bp && i < nbase; i++)
		ms_profile_free(bp[i]);
	free(bp);
	ms_profile_free(np);
	free(base_names);
	ms_strlist_free(&bases);
	ms_strlist_free(&fail_on);
	return rc;
}
