/* load.h — one entry point that turns any supported input into the model:
 * pprof (gzip or raw), perf script text, folded stacks, the runtime's
 * trace. The format is detected from the content unless given. */
#ifndef MS_LOAD_H
#define MS_LOAD_H

#include "profile/profile.h"
#include "util/buf.h"

typedef enum ms_input_format {
	MS_INPUT_AUTO = 0,
	MS_INPUT_PPROF,
	MS_INPUT_PERF,
	MS_INPUT_FOLDED,
	MS_INPUT_TRACE,
	MS_INPUT_GODUMP, /* a Go heap dump: its dominator tree (analysis/goheap.h) */
	MS_INPUT_GOTRACE, /* Go execution trace (runtime/trace) */
} ms_input_format;

struct ms_gt_stats;
struct ms_fetch_opts;

typedef struct ms_load_opts {
	ms_input_format format;
	/* perf script: split stacks by process / thread, mark kernel frames */
	int perf_pid, perf_tid, perf_kernel;
	/* runtime trace: what the values mean (0 = allocated, 1 = in use at end) */
	int trace_inuse;
	/* runtime trace: symbolize on load from the binaries its mappings
	 * name (a trace keeps bare addresses; `memscope symbolize` never
	 * rewrites it). Notes about binaries go to warnings when given. */
	int symbolize_trace;
	/* Optional, out: the format that was read. */
	ms_input_format *format_out;
	/* Optional, out: text readers that skip malformed parts of an input
	 * (perf script, folded stacks) append one line per kind of problem
	 * here, e.g. "skipped 3 lines without a count (first at line 17)";
	 * commands print each line as a warning. */
	ms_buf *warnings;
	/* C++/Rust names: pprof's simplified form by default (0); with
	 * demangle_force, names are made again from the system names in the
	 * given mode (a --demangle option), as pprof's -symbolize=demangle=. */
	int demangle; /* ms_demangle_mode */
	int demangle_force;
	/* Go execution traces: the profile to build (ms_gt_profile_kind, 0 =
	 * wait), the interval rules (ms_gt_rules), --region/--task filters, and
	 * (optional, out) what the reader learnt, filled when the input was a
	 * Go trace (version_minor != 0). */
	/* Go heap dumps: name the globals that are roots by this program's
	 * symbols (NULL: by segment offset, ".bss+0x40"). */
	const char *godump_binary;
	int gotrace_kind, gotrace_rules;
	const char *gotrace_region, *gotrace_task;
	struct ms_gt_stats *gotrace_stats;
	/* A path that is an http:// or https:// URL is fetched (profile/fetch.h)
	 * with these options (NULL: the defaults), read, and saved; the saved
	 * file's path goes to *fetch_saved when given (free it), NULL when not
	 * saved. A failed save is a warning, not an error. */
	const struct ms_fetch_opts *fetch;
	char **fetch_saved;
} ms_load_opts;

/* Loads path ("-" = stdin, or a URL: see fetch above). Errors are prefixed with the path. */
ms_profile *ms_profile_load(const char *path, const ms_load_opts *opts, ms_err *err);
/* Same, from bytes already in memory (decompressed or gzip). */
ms_profile *ms_profile_load_buffer(const char *name, const void *data, size_t n, const ms_load_opts *opts,
	ms_err *err);

/* "pprof", "perf", "folded", "trace", "gotrace", "heapdump", "auto" -> format; -1 if unknown. */
int ms_input_format_parse(const char *name, ms_input_format *out);
const char *ms_input_format_name(ms_input_format f);

#endif
