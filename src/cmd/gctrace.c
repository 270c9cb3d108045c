/* gctrace.c — `memscope gctrace`: read Go GC traces (GODEBUG=gctrace=1
 * output, files, gzip or "-") or the collector's records of a libmsrt
 * runtime trace (trace.out), analyse them and print a summary with
 * findings (text, --json or --csv; --cycles adds a per-cycle table),
 * optionally an SVG timeline. Several logs are compared side by side. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmds.h"
#include "gctrace/gctrace.h"
#include "render/gctrace_render.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const gctrace_usage[] = {
	"memscope gctrace [--json | --csv | --cycles] [--svg FILE] [-o FILE] [--strict] [--fail-on SEVERITY] LOG...",
	"GODEBUG=gctrace=1 ./app 2>&1 | memscope gctrace [OPTIONS] -",
	"memscope gctrace [OPTIONS] trace.out      (a runtime trace, MSRT_TRACE)",
	"memscope gctrace [--mmu] [OPTIONS] trace.out (a Go execution trace, runtime/trace)",
	NULL,
};

/* Prints a log's warnings (and, with --strict, its skipped lines). Returns
 * the number of lines --strict objects to. */
static uint64_t report_warnings(const ms_gctrace_log *log, int strict)
{
	for (size_t i = 0; i < log->nwarnings; i++) {
		const ms_gctrace_warning *w = &log->warnings[i];
		if (w->line)
			ms_warn("%s:%llu: %s", log->name, (unsigned long long)w->line, w->msg);
		else
			ms_warn("%s: %s", log->name, w->msg);
	}
	if (log->warnings_total > log->nwarnings)
		ms_warn("%s: %llu more warnings", log->name,
			(unsigned long long)(log->warnings_total - log->nwarnings));
	if (!strict)
		return 0;
	for (size_t i = 0; i < log->nforeign_at; i++)
		ms_warn("%s:%llu: not a Go runtime line", log->name, (unsigned long long)log->foreign_at[i]);
	if (log->foreign_lines > log->nforeign_at)
		ms_warn("%s: %llu more lines that are not Go runtime lines", log->name,
			(unsigned long long)(log->foreign_lines - log->nforeign_at));
	return log->foreign_lines + log->bad_lines;
}

static int write_output(const char *path, int json, int csv, int cycles, ms_gctrace_log **logs,
	const ms_gctrace_report *reps, size_t n)
{
	ms_outfile of;
	ms_err err;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	int rc = json ? ms_gctrace_render_json(of.fp, logs, reps, n, cycles)
		   : csv ? ms_gctrace_render_csv(of.fp, logs, n)
			 : ms_gctrace_render_text(of.fp, logs, reps, n);
	if (rc == 0 && cycles && !json)
		rc = ms_gctrace_render_cycles(of.fp, logs, n);
	if (rc < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

static int write_svg(const char *path, ms_gctrace_log **logs, const ms_gctrace_report *reps, size_t n)
{
	ms_outfile of;
	ms_err err;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	if (ms_gctrace_render_svg(of.fp, logs, reps, n) < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

int cmd_gctrace(int argc, char **argv)
{
	int json = 0, csv = 0, strict = 0, cycles = 0, mmu = 0;
	const char *svg = NULL, *output = "-", *fail_on = NULL;
	const ms_option opts[] = {
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON (summary and findings; with --cycles, every cycle)" },
		{ MS_OPT_FLAG, 0, "csv", &csv, NULL, "print one CSV row per cycle" },
		{ MS_OPT_FLAG, 0, "cycles", &cycles, NULL,
			"every cycle: a table after the text report (a runtime trace's with trigger, cons/mark, "
			"assist ratio, STW windows), or the \"cycles\" list with --json" },
		{ MS_OPT_FLAG, 0, "mmu", &mmu, NULL,
			"a Go execution trace's minimum mutator utilization curve (windows 100 us to the trace's length)" },
		{ MS_OPT_STRING, 0, "svg", &svg, "FILE", "also write an SVG timeline to FILE" },
		{ MS_OPT_STRING, 'o', "output", &output, "FILE", "write the report to FILE instead of stdout" },
		{ MS_OPT_FLAG, 0, "strict", &strict, NULL, "list lines that are not runtime lines; exit 1 if any" },
		{ MS_OPT_STRING, 0, "fail-on", &fail_on, "SEVERITY",
			"exit 1 when a finding is at least info, warn or critical" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, gctrace_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n == 0)
		return ms_usage_error(opts, gctrace_usage, "gctrace needs at least one log");
	if (json && csv)
		return ms_usage_error(opts, gctrace_usage, "--json and --csv exclude each other");
	if (cycles && csv)
		return ms_usage_error(opts, gctrace_usage, "--cycles and --csv exclude each other (--csv lists every cycle)");
	int fail_sev = -1;
	if (fail_on && (fail_sev = ms_severity_parse(fail_on)) < 0)
		return ms_usage_error(opts, gctrace_usage, "--fail-on takes " MS_SEVERITY_CHOICES ", not '%s'", fail_on);
	int stdin_uses = 0;
	for (int i = 0; i < n; i++)
		stdin_uses += argv[i][0] == '-' && argv[i][1] == 0;
	if (stdin_uses > 1)
		return ms_usage_error(opts, gctrace_usage, "'-' (stdin) can be given once");

	ms_gctrace_log **logs = ms_xcalloc((size_t)n, sizeof *logs);
	ms_gctrace_report *reps = ms_xcalloc((size_t)n, sizeof *reps);
	int rc = MS_EXIT_OK;
	int nread = 0;
	uint64_t objections = 0;
	ms_err err;
	/* the reports need no cycles: they are analysed as they are read
	 * (--cycles, --csv and --svg list or draw them, so they keep them) */
	int keep_cycles = csv || svg || cycles;
	for (int i = 0; i < n; i++) {
		ms_gctrace_acc *acc = ms_gctrace_acc_new(NULL);
		ms_gctrace_read_opts o = { strict, ms_gctrace_acc_sink, acc, !keep_cycles };
		logs[i] = ms_gctrace_read(argv[i], &o, &err);
		if (!logs[i]) {
			ms_gctrace_acc_free(acc);
			rc = ms_report(&err);
			goto out;
		}
		nread++;
		int arc = ms_gctrace_acc_report(acc, logs[i], &reps[i], &err);
		ms_gctrace_acc_free(acc);
		if (arc < 0) {
			rc = ms_report(&err);
			goto out;
		}
		if (mmu && !logs[i]->gotrace) {
			rc = ms_error("--mmu needs a Go execution trace ('%s' is not one)", argv[i]);
			goto out;
		}
		if (mmu)
			ms_gotrace_mmu_curve(logs[i]->gotrace, NULL, 0);
	}
	for (int i = 0; i < n; i++)
		objections += report_warnings(logs[i], strict);
	rc = write_output(output, json, csv, cycles, logs, reps, (size_t)n);
	if (rc == MS_EXIT_OK && svg)
		rc = write_svg(svg, logs, reps, (size_t)n);
	if (rc != MS_EXIT_OK)
		goto out;
	if (strict && objections)
		rc = MS_EXIT_TRIPPED;
	for (int i = 0; i < n; i++)
		if (ms_severity_trips(fail_sev, (int)ms_gctrace_report_worst(&reps[i])))
			rc = MS_EXIT_TRIPPED;
out:
	for (int i = 0; i < nread; i++) {
		ms_gctrace_report_free(&reps[i]);
		ms_gctrace_log_free(logs[i]);
	}
	free(reps);
	free(logs);
	return rc;
}
