/* flame.c — `memscope flame`: collapse a profile (pprof, perf script,
 * folded stacks, the runtime's trace) into folded stacks, an interactive
 * SVG flame graph, or a differential one against a base profile. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/stacks.h"
#include "cmd/cmds.h"
#include "profile/demangle.h"
#include "profile/folded.h"
#include "profile/frames.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/flame_json.h"
#include "render/flame_svg.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const flame_usage[] = {
	"memscope flame [options] FILE                 folded stacks on stdout (or -o FILE)",
	"memscope flame --svg OUT.svg [options] FILE   interactive SVG flame graph",
	"memscope flame --diff BASE [options] NEW      differential: 'stack base new' lines or SVG",
	"memscope flame --svg OUT.svg trace.out        a Go execution trace: off-CPU (--trace-profile wait)",
	NULL,
};

/* Loads path, printing the reader's warnings; NULL after printing the error. */
static ms_profile *load(const char *path, const ms_load_opts *lo)
{
	ms_err err;
	ms_profile *p = ms_cmd_load(path, lo, &err);
	if (!p)
		ms_report(&err);
	return p;
}

/* Resolves --sample-index on p; prints the error. */
static int sample_type(const ms_profile *p, const char *path, const char *arg)
{
	ms_err err;
	int si = ms_profile_sample_index(p, arg, &err);
	if (si < 0) {
		ms_err_prefix(&err, path);
		ms_report(&err);
	}
	return si;
}

static int write_folded(const ms_stacks *s, const char *path)
{
	ms_err err;
	ms_outfile of;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	if (ms_stacks_write_folded(s, of.fp) < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

static int write_json(const ms_stacks *s, const char *path, const ms_flame_svg_opts *so)
{
	ms_err err;
	ms_outfile of;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	if (ms_flame_json_write(of.fp, s, so->type, so->unit) < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

static int write_svg(const ms_stacks *s, const char *path, const ms_flame_svg_opts *so)
{
	ms_err err;
	ms_outfile of;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	long n = ms_flame_svg_write(of.fp, s, so);
	if (n < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

int cmd_flame(int argc, char **argv)
{
	const char *output = NULL, *svg = NULL, *base_path = NULL, *sample_index = NULL;
	const char *granularity = "functions", *input_format = "auto", *palette = "auto";
	const char *title = NULL, *subtitle = NULL, *demangle = NULL;
	int pid = 0, tid = 0, kernel = 0, icicle = 0, normalize = 0, inuse = 0, json = 0;
	ms_gotrace_cli gt = { 0 };
	double width = 1200, minwidth = 0.1;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 'o', "output", &output, "FILE", "write folded stacks to FILE ('-': stdout)" },
		{ MS_OPT_STRING, 0, "svg", &svg, "FILE", "write an interactive SVG flame graph to FILE" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "the stacks as JSON instead of folded lines (stdout, or -o FILE)" },
		{ MS_OPT_STRING, 0, "diff", &base_path, "BASE",
			"differential against BASE: folded 'stack base new', SVG red = grew, blue = shrank" },
		{ MS_OPT_FLAG, 0, "normalize", &normalize, NULL, "with --diff: scale BASE to the new total first" },
		{ MS_OPT_STRING, 0, "sample-index", &sample_index, "NAME|N",
			"sample type to draw (default: default_sample_type, else the last)" },
		{ MS_OPT_STRING, 0, "granularity", &granularity, "G",
			"frame names: functions (default), filefunctions, files, lines or addresses" },
		{ MS_OPT_STRING, 0, "input-format", &input_format, "FMT",
			"auto (default), pprof, perf, folded, trace, gotrace or heapdump" },
		{ MS_OPT_STRING, 0, "demangle", &demangle, "MODE",
			"C++/Rust names: simplified (pprof's default), templates, full (c++filt) or none" },
		MS_GOTRACE_OPTIONS(gt),
		{ MS_OPT_FLAG, 0, "pid", &pid, NULL, "perf script: one root frame per process (comm-pid)" },
		{ MS_OPT_FLAG, 0, "tid", &tid, NULL, "perf script: one root frame per thread (comm-pid/tid)" },
		{ MS_OPT_FLAG, 0, "kernel", &kernel, NULL, "perf script: mark kernel frames with _[k]" },
		{ MS_OPT_FLAG, 0, "inuse", &inuse, NULL,
			"runtime trace: what was still live at the end (default: allocated bytes)" },
		{ MS_OPT_STRING, 0, "title", &title, "TEXT", "SVG title" },
		{ MS_OPT_STRING, 0, "subtitle", &subtitle, "TEXT", "SVG subtitle (default: sample type and total)" },
		{ MS_OPT_DOUBLE, 0, "width", &width, "PX", "SVG width in pixels (default 1200)" },
		{ MS_OPT_DOUBLE, 0, "minwidth", &minwidth, "PX", "leave out frames narrower than PX (default 0.1)" },
		{ MS_OPT_FLAG, 0, "icicle", &icicle, NULL, "SVG with the root at the top" },
		{ MS_OPT_STRING, 0, "palette", &palette, "P",
			"SVG colours: auto (default: mem for memory units), hot (CPU) or mem" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, flame_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1)
		return ms_usage_error(opts, flame_usage, "flame takes exactly one input file");
	ms_load_opts lo = { .perf_pid = pid, .perf_tid = tid, .perf_kernel = kernel, .trace_inuse = inuse,
		.symbolize_trace = 1 };
	if (ms_input_format_parse(input_format, &lo.format) < 0)
		return ms_usage_error(opts, flame_usage, "unknown input format '%s'", input_format);
	ms_demangle_mode dm = MS_DEMANGLE_SIMPLIFIED;
	if (demangle && ms_demangle_mode_parse(demangle, &dm) < 0)
		return ms_usage_error(opts, flame_usage, "unknown --demangle '%s' (simplified, templates, full, none)",
			demangle);
	lo.demangle = (int)dm;
	lo.demangle_force = demangle != NULL;
	ms_err gerr;
	if (ms_gotrace_cli_apply(&gt, &lo, &gerr) < 0)
		return ms_usage_error(opts, flame_usage, "%s", gerr.msg);
	ms_granularity gran;
	if (ms_granularity_parse(granularity, &gran) < 0)
		return ms_usage_error(opts, flame_usage, "unknown granularity '%s'", granularity);
	ms_flame_svg_opts so;
	ms_flame_svg_opts_init(&so);
	if (ms_flame_palette_parse(palette, &so.palette) < 0)
		return ms_usage_error(opts, flame_usage, "unknown palette '%s' (auto, hot or mem)", palette);
	if (!(width >= 100 && width <= 1e6))
		return ms_usage_error(opts, flame_usage, "--width must be between 100 and 1000000 pixels");
	if (!(minwidth >= 0 && minwidth <= width))
		return ms_usage_error(opts, flame_usage, "--minwidth must be between 0 and the width");
	if (normalize && !base_path)
		return ms_usage_error(opts, flame_usage, "--normalize needs --diff BASE");
	if (base_path && strcmp(base_path, "-") == 0 && strcmp(argv[0], "-") == 0)
		return ms_usage_error(opts, flame_usage, "BASE and NEW cannot both be standard input");
	if (output && svg && strcmp(output, "-") == 0 && strcmp(svg, "-") == 0)
		return ms_usage_error(opts, flame_usage, "-o and --svg cannot both write to standard output");
	const char *new_path = argv[0];
	/* names in messages: "<stdin>" for "-" */
	const char *new_name = strcmp(new_path, "-") ? new_path : "<stdin>";
	const char *base_name = base_path && strcmp(base_path, "-") == 0 ? "<stdin>" : base_path;

	int rc = MS_EXIT_INPUT;
	ms_profile *p = NULL, *base = NULL;
	ms_stacks s;
	ms_stacks_init(&s, 1);
	ms_err err;
	if (!(p = load(new_path, &lo)))
		goto out;
	if (base_path && !(base = load(base_path, &lo)))
		goto out;

	if (base) {
		if (ms_folded_is_differential(p) || ms_folded_is_differential(base)) {
			rc = ms_error("--diff needs two plain profiles, not a differential folded file");
			goto out;
		}
		int ti = sample_type(p, new_name, sample_index), bi = sample_type(base, base_name, sample_index);
		if (ti < 0 || bi < 0)
			goto out;
		ms_stacks_free(&s);
		ms_stacks_init(&s, 2);
		if (ms_stacks_add_diff(&s, base, (size_t)bi, base_name, p, (size_t)ti, new_name, gran, normalize, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
		so.type = ms_profile_string(p, p->types[ti].type);
		so.unit = ms_profile_string(p, p->types[ti].unit);
	} else if (ms_folded_is_differential(p) && !sample_index) {
		/* a two-count folded file: draw it as the difference it holds */
		ms_stacks_free(&s);
		ms_stacks_init(&s, 2);
		if (ms_stacks_add_profile(&s, p, 0, gran, 0, &err) < 0 || ms_stacks_add_profile(&s, p, 1, gran, 1, &err) < 0) {
			ms_err_prefix(&err, new_name);
			rc = ms_report(&err);
			goto out;
		}
		so.type = "samples";
		so.unit = "count";
	} else {
		int ti = sample_type(p, new_name, sample_index);
		if (ti < 0)
			goto out;
		if (ms_stacks_add_profile(&s, p, (size_t)ti, gran, 0, &err) < 0) {
			ms_err_prefix(&err, new_name);
			rc = ms_report(&err);
			goto out;
		}
		so.type = ms_profile_string(p, p->types[ti].type);
		so.unit = ms_profile_string(p, p->types[ti].unit);
	}

	so.title = title;
	so.subtitle = subtitle;
	so.width = width;
	so.minwidth = minwidth;
	so.icicle = icicle;
	rc = MS_EXIT_OK;
	if (svg)
		rc = write_svg(&s, svg, &so);
	if (rc == MS_EXIT_OK && (output || !svg || json))
		rc = json ? write_json(&s, output ? output : "-", &so) : write_folded(&s, output ? output : "-");
out:
	ms_stacks_free(&s);
	ms_profile_free(p);
	ms_profile_free(base);
	return rc;
}
