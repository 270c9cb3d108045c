/* diff.c — `memscope diff`: what grew between baseline profile(s) and a new
 * one, by function (or line/file), with CI gates (--fail-on) that exit 1
 * when they trip. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "analysis/goheap.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/godump.h"
#include "profile/load.h"
#include "render/diff.h"
#include "render/goheap.h"
#include "symbolize/godump_syms.h"
#include "util/opts.h"

static const char *const diff_usage[] = {
	"memscope diff [options] BASE NEW",
	"memscope diff [options] --base B1 [--base B2 ...] NEW",
	NULL,
};

/* Two Go heap dumps: retained bytes by root (globals named by binary's
 * symbols when given). */
static int diff_godumps(const char *base, const char *cur, const char *binary, bool json, size_t top)
{
	ms_err err;
	ms_godump d[2];
	ms_goheap h[2];
	const char *path[2] = { base, cur };
	int ok = 0, rc = MS_EXIT_OK;
	ms_godump_names names;
	if (ms_godump_names_open(&names, binary, &err) < 0)
		return ms_report(&err);
	for (; ok < 2; ok++) {
		ms_goheap_opts o = { 0 };
		if (ms_godump_read(&d[ok], path[ok], &err) < 0)
			break;
		ms_godump_names_bind(&names, &d[ok], &o);
		if (ms_goheap_analyze(&h[ok], &d[ok], &o, &err) < 0) {
			ms_godump_free(&d[ok]);
			break;
		}
	}
	if (ok < 2) {
		rc = ms_report(&err);
	} else {
		size_t n;
		ms_gh_rootdiff *rows = ms_goheap_diff_roots(&h[0], &h[1], &n);
		ms_render_goheap_rootdiff(stdout, rows, n, base, cur, top, json);
		free(rows);
	}
	for (int i = 0; i < ok; i++) {
		ms_goheap_free(&h[i]);
		ms_godump_free(&d[i]);
	}
	ms_godump_names_close(&names);
	return rc;
}

int cmd_diff(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	ms_strlist bases = { 0 }, fail_on = { 0 };
	const char *format = NULL;
	int normalize = 0, json = 0;
	long contributors = 5;
	ro.node_count = -1;
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		MS_GATE_OPTIONS(bases, normalize, fail_on, contributors),
		{ MS_OPT_STRING, 0, "format", &format, "F", "text (default), json, markdown or github" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "the same as --format json (as every command takes --json)" },
		MS_OPT_END_MARK,
	};
	int rc = MS_EXIT_INPUT;
	ms_profile *np = NULL, **bp = NULL;
	ms_gateset gs = { 0 };
	const char **base_names = NULL;
	size_t nbase = 0;
	ms_err err;

	int n = ms_parse_opts(argc, argv, opts, diff_usage);
	if (n < 0) {
		rc = ms_opts_exit(n);
		goto out;
	}
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
	if (json && format && strcmp(format, "json") != 0) {
		rc = ms_usage_error(opts, diff_usage, "--json and --format %s exclude each other", format);
		goto out;
	}
	if (!format)
		format = json ? "json" : "text";
	ms_diff_format fmt;
	if (ms_diff_format_parse(format, &fmt) < 0) {
		rc = ms_usage_error(opts, diff_usage, "unknown format '%s' (text, json, markdown, github)", format);
		goto out;
	}
	if (contributors < 0 || contributors > 16) {
		rc = ms_usage_error(opts, diff_usage, "--contributors must be between 0 and 16");
		goto out;
	}
	if (nbase == 1 && ms_godump_file_sniff(base_names[0]) && ms_godump_file_sniff(argv[0])) {
		rc = diff_godumps(base_names[0], argv[0], ro.gt.binary, fmt == MS_DIFF_JSON,
			ro.node_count > 0 ? (size_t)ro.node_count : 20);
		goto out;
	}
	if (ms_gateset_parse(&gs, fail_on.items, fail_on.n, &err) < 0) {
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
	ms_load_opts lo = ms_report_load_opts(&ro);
	if (ms_gotrace_cli_apply(&ro.gt, &lo, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
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
	int tripped = ms_gateset_run(&gs, np, (const ms_profile *const *)bp, nbase, &dopt, &err);
	if (tripped < 0) {
		rc = ms_report(&err);
		goto out;
	}
	size_t max_rows = node_count >= 0 ? (size_t)node_count : fmt == MS_DIFF_JSON ? 0 : 20;
	ms_diff_view v = { &gs.diffs[0], argv[0], base_names, max_rows, gs.gates, gs.n, (size_t)contributors };
	ms_render_diff(stdout, &v, fmt);
	rc = tripped ? MS_EXIT_TRIPPED : MS_EXIT_OK;
out:
	ms_gateset_free(&gs);
	for (size_t i = 0; bp && i < nbase; i++)
		ms_profile_free(bp[i]);
	free(bp);
	ms_profile_free(np);
	free(base_names);
	ms_strlist_free(&bases);
	ms_strlist_free(&fail_on);
	return rc;
}
