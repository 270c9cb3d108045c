/* frag.c — `memscope frag [--json] [--svg FILE] [--fail-on SEVERITY] DUMP`:
 * fragmentation findings from a heap dump of libmsrt (memscope run
 * --heap-dump), a Go MemStats JSON snapshot or a Go heap dump
 * (runtime/debug.WriteHeapDump). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "analysis/frag.h"
#include "analysis/goheap.h"
#include "profile/msrt_dump.h"
#include "cmd/cmds.h"
#include "profile/godump.h"
#include "render/frag.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const frag_usage[] = {
	"memscope frag [--json] [--svg FILE] [--fail-on SEVERITY] DUMP",
	NULL,
};

/* libmsrt's JSON dump, Go MemStats JSON, or a Go heap dump (its objects
 * per size class and its memstats record). */
static int read_dump(ms_heapdump *d, const char *path, ms_err *err)
{
	if (!ms_godump_file_sniff(path))
		return ms_heapdump_read(d, path, err);
	ms_godump gd;
	ms_goheap h;
	ms_goheap_opts o = { 0 };
	if (ms_godump_read(&gd, path, err) < 0)
		return -1;
	int rc = ms_goheap_analyze(&h, &gd, &o, err);
	if (rc == 0) {
		ms_goheap_fragdump(&h, &gd, d);
		ms_goheap_free(&h);
	}
	ms_godump_free(&gd);
	return rc;
}

int cmd_frag(int argc, char **argv)
{
	int json = 0;
	const char *svg = NULL, *fail_on = NULL;
	const ms_option opts[] = {
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON: findings, size_classes, totals, page_heap" },
		{ MS_OPT_STRING, 0, "svg", &svg, "FILE", "also write a per-size-class occupancy chart" },
		{ MS_OPT_STRING, 0, "fail-on", &fail_on, "SEVERITY",
			"exit 1 when a finding is at least this severe (CI)" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, frag_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1)
		return ms_usage_error(opts, frag_usage, n ? "frag takes one heap dump" : "no heap dump given");
	int fail_level = -1;
	if (fail_on && (fail_level = ms_severity_parse(fail_on)) < 0)
		return ms_usage_error(opts, frag_usage, "--fail-on takes " MS_SEVERITY_CHOICES ", not '%s'", fail_on);
	ms_err err;
	ms_heapdump d;
	if (read_dump(&d, argv[0], &err) < 0)
		return ms_report(&err);
	ms_frag_report r;
	int rc = MS_EXIT_OK;
	if (ms_frag_analyze(&r, &d, &err) < 0) {
		rc = ms_report(&err);
		goto out_dump;
	}
	if (svg) {
		ms_outfile of;
		if (ms_outfile_open(&of, svg, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
		ms_render_frag_svg(of.fp, &r, argv[0]);
		if (ms_outfile_commit(&of, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
	}
	if (json)
		ms_render_frag_json(stdout, &r, argv[0]);
	else
		ms_render_frag_text(stdout, &r, argv[0]);
	for (size_t i = 0; i < r.nfindings; i++)
		if (ms_severity_trips(fail_level, (int)r.findings[i].severity))
			rc = MS_EXIT_TRIPPED;
out:
	ms_frag_report_free(&r);
out_dump:
	ms_heapdump_free(&d);
	return rc;
}
