/* report_opts.h — the options every report command shares (top, diff,
 * flame, leaks): sample index, granularity, filters, node count. Declared
 * once so the commands agree on names, help and defaults. */
#ifndef MS_REPORT_OPTS_H
#define MS_REPORT_OPTS_H

#include "analysis/graph.h"
#include "analysis/leaks.h"
#include "profile/fetch.h"
#include "profile/load.h"
#include "util/opts.h"

/* URL sources (profile/fetch.h): how to fetch a Go pprof endpoint. */
typedef struct ms_fetch_cli {
	long seconds;
	double timeout;
	ms_few headers;
	const char *save, *cacert;
	ms_fetch_opts fo; /* filled by ms_gotrace_cli_apply */
} ms_fetch_cli;

#define MS_FETCH_OPTIONS(fc)                                                                                   \
	{ MS_OPT_INT, 0, "seconds", &(fc).seconds, "N",                                                        \
		"URL: ask the endpoint for N seconds (profile, trace; a delta for heap, allocs, mutex, block)" }, \
	{ MS_OPT_DOUBLE, 0, "timeout", &(fc).timeout, "SECS", "URL: give up after SECS (default 60 + --seconds)" }, \
	{ MS_OPT_FEW, 0, "header", &(fc).headers, "'NAME: VALUE'",                                            \
		"URL: an HTTP request header, e.g. authorization (repeatable; also $MEMSCOPE_HTTP_HEADER)" },  \
	{ MS_OPT_STRING, 0, "save", &(fc).save, "DIR",                                                         \
		"URL: save the fetched profile in DIR (default ~/.cache/memscope/HOST_PORT; '' = not saved)" },  \
	{ MS_OPT_STRING, 0, "cacert", &(fc).cacert, "FILE",                                                    \
		"URL: https: trust the CA certificates in FILE (PEM) instead of the system's" }

/* Go execution traces: which profile to make of one, and how; and how to
 * fetch a URL source (the options every command that loads one has). */
typedef struct ms_gotrace_cli {
	const char *kind, *rules, *region, *task;
	const char *binary; /* Go heap dumps: the program that wrote it */
	ms_fetch_cli fetch;
} ms_gotrace_cli;

#define MS_GOTRACE_OPTIONS(gt)                                                                                 \
	{ MS_OPT_STRING, 0, "trace-profile", &(gt).kind, "KIND",                                               \
		"Go execution trace: wait (default), sync, net, syscall, sched or cpu" },                      \
	{ MS_OPT_STRING, 0, "trace-rules", &(gt).rules, "go|fixed",                                            \
		"Go trace intervals as go tool trace counts them (go, default) or fixed (golang/go#74850)" },  \
	{ MS_OPT_STRING, 0, "region", &(gt).region, "NAME", "Go trace: only time inside user regions NAME" },  \
	{ MS_OPT_STRING, 0, "task", &(gt).task, "NAME", "Go trace: only time inside regions of tasks NAME" },  \
	{ MS_OPT_STRING, 0, "binary", &(gt).binary, "PROG",                                                    \
		"Go heap dump: name its globals by PROG's symbols (the program that wrote it)" },              \
	MS_FETCH_OPTIONS((gt).fetch)

/* Checks the values and puts them into lo (lo->fetch points into gt). */
int ms_gotrace_cli_apply(ms_gotrace_cli *gt, ms_load_opts *lo, ms_err *err);

/* The filters a legend can list (pprof's "Active filters:"). */
#define MS_REPORT_MAX_FILTERS 8

typedef struct ms_report_opts {
	const char *sample_index; /* NULL = pprof's default rule */
	const char *granularity;
	const char *focus, *ignore, *hide, *show;
	const char *tagfocus, *tagignore, *tagshow, *taghide;
	const char *input_format_name;
	ms_input_format input_format;
	const char *demangle_name; /* NULL: pprof's simplified, not forced */
	int demangle;              /* ms_demangle_mode */
	long node_count;
	double node_fraction;
	int cum;
	char legend[MS_REPORT_MAX_FILTERS][300];
	ms_gotrace_cli gt;
} ms_report_opts;

#define MS_REPORT_OPTIONS(ro)                                                                                  \
	{ MS_OPT_STRING, 0, "sample-index", &(ro).sample_index, "NAME|N",                                      \
		"sample type to report (default: default_sample_type, else the last)" },                       \
	{ MS_OPT_STRING, 0, "granularity", &(ro).granularity, "G",                                             \
		"functions (default), filefunctions, files, lines or addresses" },                            \
	{ MS_OPT_FLAG, 0, "cum", &(ro).cum, NULL, "sort by cumulative weight" },                              \
	{ MS_OPT_INT, 'n', "nodecount", &(ro).node_count, "N", "show at most N rows" },                       \
	{ MS_OPT_DOUBLE, 0, "nodefraction", &(ro).node_fraction, "F",                                          \
		"drop rows whose cum is below F of the total (default 0.005)" },                               \
	{ MS_OPT_STRING, 0, "focus", &(ro).focus, "RE", "keep only samples with a frame matching RE" },       \
	{ MS_OPT_STRING, 0, "ignore", &(ro).ignore, "RE", "drop samples with a frame matching RE" },          \
	{ MS_OPT_STRING, 0, "hide", &(ro).hide, "RE", "drop frames matching RE from stacks" },                \
	{ MS_OPT_STRING, 0, "show", &(ro).show, "RE", "keep only frames matching RE in stacks" },             \
	{ MS_OPT_STRING, 0, "tagfocus", &(ro).tagfocus, "FILTER",                                              \
		"keep samples with a label matching [KEY=]RE (as key:value) or a range: 4kb, 1mb:, :64b, 1kb:2mb" }, \
	{ MS_OPT_STRING, 0, "tagignore", &(ro).tagignore, "FILTER",                                            \
		"drop samples with a label matching FILTER (as --tagfocus)" },                                 \
	{ MS_OPT_STRING, 0, "tagshow", &(ro).tagshow, "RE", "keep only labels whose key matches RE" },\
	{ MS_OPT_STRING, 0, "taghide", &(ro).taghide, "RE", "drop labels whose key matches RE" },\
	{ MS_OPT_STRING, 0, "input-format", &(ro).input_format_name, "FMT",                                   \
		"auto (default), pprof, perf, folded, trace or gotrace" },                                     \
	{ MS_OPT_STRING, 0, "demangle", &(ro).demangle_name, "MODE",                                          \
		"C++/Rust names: simplified (pprof's default), templates, full (c++filt) or none" },          \
	MS_GOTRACE_OPTIONS((ro).gt)

/* The baselines and gates of diff (and report --html, which shows a diff):
 * bases is an ms_strlist, normalize an int flag, fail_on an ms_strlist of
 * gate expressions, contributors a long (default 5). */
#define MS_GATE_OPTIONS(bases, normalize, fail_on, contributors)                                             \
	{ MS_OPT_LIST, 0, "base", &(bases), "FILE", "a baseline profile (repeat: their mean is the baseline)" }, \
	{ MS_OPT_FLAG, 0, "normalize", &(normalize), NULL,                                                     \
		"scale each baseline to the new profile's total first" },                                      \
	{ MS_OPT_LIST, 0, "fail-on", &(fail_on), "EXPR",                                                      \
		"gate: exit 1 if it trips (TYPE[@REGEX]:+P% | +SIZE | +Ksigma)" },                            \
	{ MS_OPT_INT, 0, "contributors", &(contributors), "N", "rows listed under a tripped gate (default 5)" }
/* pprof -base: BASE's values subtracted from the inputs' (merged, so equal
 * stacks cancel), percentages of the result's total. */
#define MS_BASE_OPTION(var)                                                                                    \
	{ MS_OPT_STRING, 0, "base", &(var), "BASE", "subtract BASE (pprof -base: percentages of the result's total)" }

void ms_report_opts_init(ms_report_opts *ro);
/* Checks the option values and fills a graph options struct (sample_index
 * is resolved later, per profile). */
int ms_report_opts_resolve(ms_report_opts *ro, ms_graph_opts *go, ms_err *err);
/* Fills filters[] (NULL-terminated: MS_REPORT_MAX_FILTERS + 1 entries) with
 * "focus=RE"-style legend lines, in pprof's order. */
void ms_report_opts_legend(ms_report_opts *ro, const char **filters);
void ms_report_opts_free(ms_report_opts *ro);
/* The usual start of a report command: resolves the options into go, loads
 * paths[0..n) as they ask, merged as pprof merges several inputs, BASE
 * subtracted if non-NULL (ms_cmd_load_inputs), and sets go->sample_index.
 * NULL with err set (already naming the file) on error. */
ms_profile *ms_report_opts_load(ms_report_opts *ro, ms_graph_opts *go, char *const *paths, size_t n,
	const char *base, ms_err *err);
/* The load options the report options ask for (format, demangling). */
ms_load_opts ms_report_load_opts(const ms_report_opts *ro);
/* leaks and watch: the leak analysis's options (lo) and the load options
 * (load, pointing into ro) from the report options and --min-growth. */
int ms_report_leak_opts(ms_report_opts *ro, unsigned long long min_growth, ms_leak_opts *lo, ms_load_opts *load,
	ms_err *err);

#endif
