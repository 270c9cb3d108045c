/* watch.c — `memscope watch URL --every 30s`: heap snapshots of a live Go
 * server at an interval (gc=1), kept on disk, with the leak analysis of
 * `memscope leaks` redone after each one; or the snapshots a running
 * `memscope run --interval` writes (--dir). Stops after --count snapshots,
 * at the first confirmed suspect with --fail-on-leak (exit 1), or on
 * SIGINT/SIGTERM with the series saved and a final report. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/leaks.h"
#include "analysis/watch.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "render/leaks.h"
#include "util/http.h"
#include "util/opts.h"
#include "util/units.h"

static const char *const watch_usage[] = {
	"memscope watch URL [--every 30s] [--count N] [-o DIR] [--fail-on-leak] [--confirm N]",
	"memscope watch --dir RUNDIR [--every 30s] [--count N] [--fail-on-leak]",
	"  URL: a Go server's heap endpoint (http://HOST:PORT/debug/pprof/heap; fetched with gc=1)",
	"  RUNDIR: the -o directory of a running 'memscope run --interval'",
	NULL,
};

/* The one piece of mutable static state in memscope, by necessity: a
 * signal handler can only reach a static, and only a volatile sig_atomic_t
 * may be written there. The handler sets it; the loop and libcurl's
 * progress callback read it. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

/* "30s", "500ms", "2m", "1h", or a bare number of seconds -> seconds. */
static int parse_interval(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	double scale = strcmp(end, "") == 0 || strcmp(end, "s") == 0 ? 1 : strcmp(end, "ms") == 0 ? 1e-3
		       : strcmp(end, "m") == 0 ? 60 : strcmp(end, "h") == 0 ? 3600 : -1;
	if (scale < 0 || v * scale > 366 * 86400.0)
		return -1;
	*out = v * scale;
	return 0;
}

/* Sleeps until the monotonic time `until` or a signal's stop. */
static void sleep_until(const struct timespec *until)
{
	while (!stop_signal && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, until, NULL) == EINTR)
		;
}

/* One line per snapshot when the output is not a terminal. */
static void progress_line(const ms_leak_report *r, size_t n, const char *name)
{
	char tot[32] = "";
	if (r) {
		ms_format_value(tot, sizeof tot, r->totals[r->n - 1], r->unit);
		printf("snapshot %zu %s: %s %s, %zu suspect%s\n", n, name, r->type, tot, r->nsuspects,
			r->nsuspects == 1 ? "" : "s");
	} else {
		printf("snapshot %zu %s\n", n, name);
	}
	fflush(stdout);
}

int cmd_watch(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	const char *every_s = "30s", *out_dir = NULL, *run_dir = NULL;
	long count = 0, confirm = 4;
	int fail_on_leak = 0, json = 0;
	unsigned long long min_growth = 0;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 0, "every", &every_s, "INTERVAL", "time between snapshots: 30s (default), 500ms, 5m, 1h" },
		{ MS_OPT_INT, 0, "count", &count, "N", "stop after N snapshots (default: until interrupted)" },
		{ MS_OPT_STRING, 'o', "output", &out_dir, "DIR",
			"keep the series in DIR (default ~/.cache/memscope/HOST_PORT/watch-DATE-TIME)" },
		{ MS_OPT_STRING, 0, "dir", &run_dir, "RUNDIR", "read the snapshots 'memscope run --interval' writes to RUNDIR" },
		{ MS_OPT_FLAG, 0, "fail-on-leak", &fail_on_leak, NULL,
			"exit 1 as soon as a suspect is confirmed by --confirm snapshots (CI)" },
		{ MS_OPT_INT, 0, "confirm", &confirm, "N", "snapshots a suspect needs for --fail-on-leak (default 4, at least 3)" },
		{ MS_OPT_SIZE, 0, "min-growth", &min_growth, "SIZE",
			"growth below which a site is no suspect (default max(64KiB, 1% of the last total))" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "no updates on screen: the final report as JSON (as memscope leaks --json)" },
		MS_REPORT_OPTIONS(ro),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, watch_usage);
	if (n < 0)
		return ms_opts_exit(n);
	double every;
	if ((run_dir ? n != 0 : n != 1))
		return ms_usage_error(opts, watch_usage, run_dir ? "--dir takes no URL" : "watch needs one URL (or --dir RUNDIR)");
	if (!run_dir && !ms_is_url(argv[0]))
		return ms_usage_error(opts, watch_usage, "'%s' is not an http:// or https:// URL", argv[0]);
	if (parse_interval(every_s, &every) < 0)
		return ms_usage_error(opts, watch_usage, "--every '%s': a positive interval like 30s, 500ms, 5m or 1h", every_s);
	if (count < 0 || confirm < 3)
		return ms_usage_error(opts, watch_usage, count < 0 ? "--count must not be negative" : "--confirm must be at least 3");
	if (run_dir && out_dir)
		return ms_usage_error(opts, watch_usage, "-o is for a URL source (--dir's snapshots are already on disk)");
	ms_err err;
	ms_leak_opts lo;
	ms_load_opts load;
	if (ms_report_leak_opts(&ro, min_growth, &lo, &load, &err) < 0)
		return ms_report(&err);
	ro.gt.fetch.fo.cancel = &stop_signal; /* a signal also stops a fetch */

	int rc = MS_EXIT_OK;
	ms_watch w;
	char *defdir = NULL;
	if (run_dir) {
		if (ms_watch_init_dir(&w, run_dir, &err) < 0)
			return ms_report(&err);
	} else {
		if (!out_dir) {
			char *host = ms_fetch_default_dir(argv[0]);
			if (!host)
				return ms_error("no HOME: give the series a directory with -o DIR");
			char stamp[32];
			time_t now = time(NULL);
			struct tm tm;
			strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
			size_t k = strlen(host) + 64;
			defdir = ms_xmalloc(k);
			snprintf(defdir, k, "%s/watch-%s", host, stamp);
			free(host);
			out_dir = defdir;
		}
		if (ms_watch_init_url(&w, argv[0], load.fetch, out_dir, &err) < 0) {
			free(defdir);
			return ms_report(&err);
		}
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: the sleep wakes up */
	sigemptyset(&sa.sa_mask);
	struct sigaction old_int, old_term;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	int tty = !json && isatty(STDOUT_FILENO);
	ms_leak_series *series = ms_leak_series_new(&lo);
	ms_leak_report r;
	int have = 0, tripped = 0;
	struct timespec due;
	clock_gettime(CLOCK_MONOTONIC, &due);
	while (!stop_signal && (count == 0 || (long)w.n < count)) {
		ms_profile *snap;
		int got = ms_watch_next(&w, &load, &snap, &err);
		if (got > 0 && ms_leak_series_add(series, snap, w.names[w.n - 1], 1, &err) < 0) {
			rc = ms_report(&err);
			break;
		}
		if (got < 0) {
			if (stop_signal)
				break; /* the fetch was interrupted: stop as asked */
			rc = ms_report(&err);
			break;
		}
		if (got > 0 && w.n == 1 && !run_dir) /* not before: an error is one line */
			fprintf(stderr, "memscope: watching %s every %s; the series goes to %s\n", w.shown, every_s, out_dir);
		if (got > 0 && w.n >= 2) {
			if (have)
				ms_leak_report_free(&r);
			have = 0;
			if (ms_leak_series_report(series, &r, &err) < 0) {
				rc = ms_report(&err);
				break;
			}
			have = 1;
			tripped = fail_on_leak && r.nsuspects && w.n >= (size_t)confirm;
		}
		if (got > 0 && tty && have) {
			printf("\033[H\033[J%s every %s: snapshot %zu in %s\n\n", run_dir ? run_dir : w.shown, every_s,
				w.n, run_dir ? run_dir : out_dir);
			ms_leaks_view v = { &r, NULL, NULL, 0, ro.node_count > 0 ? (size_t)ro.node_count : 0 };
			ms_render_leaks_text(stdout, &v);
			fflush(stdout);
		} else if (got > 0 && !json) {
			progress_line(have ? &r : NULL, w.n, w.names[w.n - 1]);
		}
		if (tripped || (count && (long)w.n >= count))
			break;
		if (w.ended) {
			fprintf(stderr, "memscope: process %d has exited: no more snapshots\n", w.pid);
			break;
		}
		/* the next snapshot is due one interval after this one began */
		long long ns = due.tv_nsec + (long long)((every - (double)(long long)every) * 1e9);
		due.tv_sec += (time_t)every + (time_t)(ns / 1000000000);
		due.tv_nsec = (long)(ns % 1000000000);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > due.tv_sec || (now.tv_sec == due.tv_sec && now.tv_nsec > due.tv_nsec))
			due = now; /* a slow fetch: no burst to catch up */
		sleep_until(&due);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	/* the final report: what the whole series says */
	if (rc == MS_EXIT_OK || stop_signal || w.n >= 2) {
		if (stop_signal)
			fprintf(stderr, "memscope: stopped by signal %d after %zu snapshots\n", (int)stop_signal, w.n);
		if (w.n)
			fprintf(stderr, "memscope: the series (%zu snapshots) is in %s\n", w.n, run_dir ? run_dir : out_dir);
		if (have) {
			ms_leaks_view v = { &r, NULL, NULL, 0, ro.node_count > 0 ? (size_t)ro.node_count : 0 };
			if (json)
				ms_render_leaks_json(stdout, &v);
			else if (!tty || stop_signal)
				ms_render_leaks_text(stdout, &v);
		} else if (!json && rc == MS_EXIT_OK) {
			printf("%zu snapshot%s: a leak analysis needs two or more\n", w.n, w.n == 1 ? "" : "s");
		}
	}
	if (rc == MS_EXIT_OK && tripped)
		rc = MS_EXIT_TRIPPED;
	if (have)
		ms_leak_report_free(&r);
	ms_leak_series_free(series);
	ms_watch_free(&w);
	free(defdir);
	ms_report_opts_free(&ro);
	return rc;
}
