/* heapdump.c — `memscope heapdump [--binary PROG] [-n N] [--json] DUMP`:
 * what keeps a Go heap alive (runtime/debug.WriteHeapDump output): roots
 * by retained size, the biggest retained objects with their path, retained
 * bytes by allocation site and size class. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analysis/goheap.h"
#include "cmd/cmds.h"
#include "symbolize/godump_syms.h"
#include "profile/godump.h"
#include "render/goheap.h"
#include "util/opts.h"

static const char *const heapdump_usage[] = {
	"memscope heapdump [--binary PROG] [-n N] [--json] DUMP",
	NULL,
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int cmd_heapdump(int argc, char **argv)
{
	int json = 0, timings = 0;
	long top = 10;
	const char *binary = NULL;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 0, "binary", &binary, "PROG",
			"the program that wrote the dump: names global roots by its ELF symbols" },
		{ MS_OPT_INT, 'n', NULL, &top, "N", "rows per table (default 10)" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON (schema in memscope(1))" },
		{ MS_OPT_FLAG, 0, "timings", &timings, NULL, "print the parse/graph/dominators times on stderr" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, heapdump_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1)
		return ms_usage_error(opts, heapdump_usage, n ? "heapdump takes one dump" : "no heap dump given");
	if (top < 0)
		return ms_usage_error(opts, heapdump_usage, "-n must not be negative");
	ms_err err;
	ms_godump_names names;
	if (ms_godump_names_open(&names, binary, &err) < 0)
		return ms_report(&err);
	double t0 = now();
	ms_godump d;
	if (ms_godump_read(&d, argv[0], &err) < 0) {
		ms_godump_names_close(&names);
		return ms_report(&err);
	}
	double t1 = now();
	ms_goheap h;
	ms_goheap_opts go = { .top = (size_t)top };
	ms_godump_names_bind(&names, &d, &go);
	int rc = MS_EXIT_OK;
	if (ms_goheap_analyze(&h, &d, &go, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	double t2 = now();
	if (json)
		ms_render_goheap_json(stdout, &h, &d);
	else
		ms_render_goheap_text(stdout, &h, &d, argv[0], (size_t)top);
	if (timings)
		fprintf(stderr, "memscope: timings: parse %.3f s, graph %.3f s, dominators %.3f s, retained %.3f s, "
				"total %.3f s\n",
			t1 - t0, h.secs_graph, h.secs_dominators, h.secs_retained, t2 - t0);
	if (fflush(stdout) != 0)
		rc = ms_error("write error on standard output");
	ms_goheap_free(&h);
out:
	ms_godump_free(&d);
	ms_godump_names_close(&names);
	return rc;
}
