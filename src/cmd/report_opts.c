/* report_opts.c — shared option handling of the report commands. */
#include "config.h"
#include "cmd/report_opts.h"
#include "analysis/tags.h"
#include "cmd/cmds.h"
#include "profile/demangle.h"
#include "util/regex.h"

#include <stdio.h>
#include <string.h>

#include "profile/gotrace_profile.h"

void ms_report_opts_init(ms_report_opts *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->granularity = "functions";
	ro->node_fraction = 0.005;
	ro->input_format_name = "auto";
}

int ms_report_opts_resolve(ms_report_opts *ro, ms_graph_opts *go, ms_err *err)
{
	ms_graph_opts_init(go);
	if (ms_granularity_parse(ro->granularity, &go->granularity) < 0)
		return ms_seterr(err, "unknown granularity '%s' (functions, filefunctions, files, lines, addresses)",
			ro->granularity);
	if (ms_input_format_parse(ro->input_format_name, &ro->input_format) < 0)
		return ms_seterr(err, "unknown input format '%s' (auto, pprof, perf, folded, trace)",
			ro->input_format_name);
	ms_demangle_mode dm = MS_DEMANGLE_SIMPLIFIED;
	if (ro->demangle_name && ms_demangle_mode_parse(ro->demangle_name, &dm) < 0)
		return ms_seterr(err, "unknown --demangle '%s' (simplified, templates, full, none)", ro->demangle_name);
	ro->demangle = (int)dm;
	if (ro->node_count < 0)
		return ms_seterr(err, "-n must not be negative");
	if (!(ro->node_fraction >= 0 && ro->node_fraction <= 1))
		return ms_seterr(err, "--nodefraction must be between 0 and 1");
	go->focus = ro->focus;
	go->ignore = ro->ignore;
	go->hide = ro->hide;
	go->show = ro->show;
	go->tagfocus = ro->tagfocus;
	go->tagignore = ro->tagignore;
	if (ms_tag_filter_check("tagfocus", ro->tagfocus, err) < 0 ||
		ms_tag_filter_check("tagignore", ro->tagignore, err) < 0)
		return -1;
	/* tagshow/taghide act where labels are shown (tags, traces): checked here */
	const char *tre[2] = { ro->tagshow, ro->taghide }, *twhat[2] = { "tagshow", "taghide" };
	for (int i = 0; i < 2; i++) {
		regex_t re;
		if (tre[i] && *tre[i]) {
			if (ms_regex_compile(&re, tre[i], twhat[i], err) < 0)
				return -1;
			regfree(&re);
		}
	}
	go->node_count = ro->node_count;
	go->node_fraction = ro->node_fraction;
	go->cum_sort = ro->cum != 0;
	return 0;
}

void ms_report_opts_legend(ms_report_opts *ro, const char **filters)
{
	const char *names[MS_REPORT_MAX_FILTERS] = { "focus", "ignore", "hide", "show", "tagfocus", "tagignore",
		"tagshow", "taghide" };
	const char *vals[MS_REPORT_MAX_FILTERS] = { ro->focus, ro->ignore, ro->hide, ro->show, ro->tagfocus,
		ro->tagignore, ro->tagshow, ro->taghide };
	size_t k = 0;
	for (int i = 0; i < MS_REPORT_MAX_FILTERS; i++)
		if (vals[i] && *vals[i]) {
			/* pprof cuts a filter after 80 bytes and adds "…" */
			int n = snprintf(ro->legend[k], sizeof ro->legend[k], "%s=%s", names[i], vals[i]);
			if (n > 80)
				memcpy(ro->legend[k] + 80, "\xe2\x80\xa6", 4);
			filters[k] = ro->legend[k];
			k++;
		}
	filters[k] = NULL;
}

void ms_report_opts_free(ms_report_opts *ro) { (void)ro; }

ms_profile *ms_report_opts_load(ms_report_opts *ro, ms_graph_opts *go, char *const *paths, size_t n,
	const char *base, ms_err *err)
{
	if (ms_report_opts_resolve(ro, go, err) < 0)
		return NULL;
	ms_load_opts lo = ms_report_load_opts(ro);
	if (ms_gotrace_cli_apply(&ro->gt, &lo, err) < 0)
		return NULL;
	ms_profile *p = ms_cmd_load_inputs(paths, n, base, &lo, err);
	if (!p)
		return NULL;
	int si = ms_profile_sample_index(p, ro->sample_index, err);
	if (si < 0) {
		ms_err_prefix(err, paths[0]);
		ms_profile_free(p);
		return NULL;
	}
	go->sample_index = (size_t)si;
	return p;
}

ms_load_opts ms_report_load_opts(const ms_report_opts *ro)
{
	ms_load_opts lo = { .format = ro->input_format, .demangle = ro->demangle,
		.demangle_force = ro->demangle_name != NULL, .symbolize_trace = 1 };
	return lo;
}

int ms_report_leak_opts(ms_report_opts *ro, unsigned long long min_growth, ms_leak_opts *lo, ms_load_opts *load,
	ms_err *err)
{
	if (ms_report_opts_resolve(ro, &lo->graph, err) < 0)
		return -1;
	lo->sample_type = ro->sample_index;
	lo->min_growth = (int64_t)min_growth;
	*load = ms_report_load_opts(ro);
	return ms_gotrace_cli_apply(&ro->gt, load, err);
}

int ms_gotrace_cli_apply(ms_gotrace_cli *gt, ms_load_opts *lo, ms_err *err)
{
	ms_fetch_cli *fc = &gt->fetch;
	if (fc->seconds < 0)
		return ms_seterr(err, "--seconds must not be negative");
	if (fc->timeout < 0 || fc->timeout != fc->timeout)
		return ms_seterr(err, "--timeout must be a positive number of seconds");
	ms_fetch_opts fo = { .seconds = fc->seconds, .timeout = fc->timeout, .headers = fc->headers.items, .nheaders = fc->headers.n,
		.save_dir = fc->save, .cacert = fc->cacert };
	fc->fo = fo;
	lo->fetch = &fc->fo;
	ms_gt_profile_kind k = MS_GTP_WAIT;
	ms_gt_rules rules = MS_GT_RULES_GO;
	if (gt->kind && ms_gt_profile_kind_parse(gt->kind, &k) < 0)
		return ms_seterr(err, "unknown trace profile '%s' (wait, sync, net, syscall, sched, cpu)", gt->kind);
	if (gt->rules && ms_gt_rules_parse(gt->rules, &rules) < 0)
		return ms_seterr(err, "unknown trace rules '%s' (go, fixed)", gt->rules);
	lo->gotrace_kind = (int)k;
	lo->gotrace_rules = (int)rules;
	lo->gotrace_region = gt->region;
	lo->gotrace_task = gt->task;
	lo->godump_binary = gt->binary;
	return 0;
}
