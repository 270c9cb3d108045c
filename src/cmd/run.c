/* run.c — `memscope run [OPTIONS] -- CMD ARGS...`: runs CMD with libmsrt
 * preloaded (the allocator and sampling heap profiler), passes its exit
 * status through, then says where the profiles are and what was in use
 * at exit. The summary goes to stderr so CMD's stdout stays CMD's.
 * With --leak-check the runtime records every allocation and checks for
 * unreachable blocks at exit (src/rt/mleak.c); the report is symbolized,
 * printed and saved as leaks.PID.txt next to leaks.PID.pb.gz.
 *
 * The preload library is looked up as: $MEMSCOPE_MSRT; in the build tree,
 * .libs/libmsrt.so next to the memscope binary; installed, in $(libdir).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "cmd/cmds.h"
#include "analysis/graph.h"
#include "analysis/leakcheck.h"
#include "render/leaks.h"
#include "util/io.h"
#include "profile/load.h"
#include "render/top.h"
#include "render/units.h"
#include "util/buf.h"
#include "symbolize/symbolize.h"
#include "profile/pprof.h"
#include "util/opts.h"

#ifndef MS_LIBDIR
#define MS_LIBDIR "/usr/local/lib"
#endif

static const char *const run_usage[] = {
	"memscope run [-o DIR] [--rate BYTES] [--interval BYTES|SECONDS] [--heap-dump] [--trace] [--leak-check] -- CMD [ARGS...]",
	NULL,
};

/* Finds libmsrt.so; returns 0 and fills out, or -1. */
static int find_preload(char *out, size_t n)
{
	const char *env = getenv("MEMSCOPE_MSRT");
	if (env && *env) {
		snprintf(out, n, "%s", env);
		return access(out, R_OK) == 0 ? 0 : -1;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			int w = snprintf(out, n, "%s/.libs/libmsrt.so", exe);
			if (w > 0 && (size_t)w < n && access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, n, "%s/libmsrt.so", MS_LIBDIR);
	return access(out, R_OK) == 0 ? 0 : -1;
}

/* Index of CMD in argv: after "--", or the first word that is neither an
 * option nor an option's value. */
static int split_command(int argc, char **argv, const ms_option *opts)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == 0)
			return i;
		const ms_option *o = NULL;
		if (a[1] == '-') {
			size_t len = strcspn(a + 2, "=");
			for (const ms_option *p = opts; p->kind != MS_OPT_END; p++)
				if (p->long_name && strlen(p->long_name) == len && strncmp(p->long_name, a + 2, len) == 0)
					o = p;
			if (o && o->kind != MS_OPT_FLAG && !strchr(a, '='))
				i++;
		} else {
			for (const ms_option *p = opts; p->kind != MS_OPT_END; p++)
				if (p->short_name == a[1])
					o = p;
			if (o && o->kind != MS_OPT_FLAG && a[2] == 0)
				i++;
		}
	}
	return argc;
}

static int make_dir(const char *dir)
{
	if (mkdir(dir, 0777) == 0 || errno == EEXIST) {
		struct stat st;
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	}
	return -1;
}

/* The last snapshot of process pid: heap.<pid>.<seq>.pb.gz with the
 * highest seq. Returns the count of its snapshots. */
static int find_profiles(const char *dir, int pid, char *last, size_t n, unsigned *last_seq)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int count = 0;
	unsigned best = 0;
	char prefix[64];
	snprintf(prefix, sizeof prefix, "heap.%d.", pid);
	while ((e = readdir(d))) {
		size_t pl = strlen(prefix);
		if (strncmp(e->d_name, prefix, pl) != 0)
			continue;
		char *end;
		unsigned long seq = strtoul(e->d_name + pl, &end, 10);
		if (strcmp(end, ".pb.gz") != 0)
			continue;
		count++;
		if (seq > best) {
			int w = snprintf(last, n, "%s/%s", dir, e->d_name);
			if (w > 0 && (size_t)w < n)
				best = (unsigned)seq;
		}
	}
	closedir(d);
	*last_seq = best;
	return count;
}

/* Symbolizes every profile of process pid in dir in place — heap
 * snapshots heap.PID.N.pb.gz and the leak check's leaks.PID.pb.gz — with
 * one symbolizer, so each binary's debug info is read once. A binary
 * without debug info only costs its names: the notes are printed as
 * warnings. */
static void symbolize_profiles(const char *dir, int pid)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	ms_symbolizer *sym = ms_symbolizer_new(NULL);
	char heap[64], leaks[64], path[4096];
	snprintf(heap, sizeof heap, "heap.%d.", pid);
	snprintf(leaks, sizeof leaks, "leaks.%d.", pid);
	int warned = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if ((strncmp(e->d_name, heap, strlen(heap)) != 0 && strncmp(e->d_name, leaks, strlen(leaks)) != 0) || n < 6 ||
			strcmp(e->d_name + n - 6, ".pb.gz") != 0)
			continue;
		int w = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (w < 0 || (size_t)w >= sizeof path)
			continue;
		ms_err err;
		ms_profile *p = ms_profile_load(path, NULL, &err);
		ms_symbolize_result res;
		memset(&res, 0, sizeof res);
		if (!p)
			ms_report(&err);
		else if (ms_symbolizer_run(sym, p, &res, &err) < 0 || (res.resolved && ms_pprof_write_file(p, path, &err) < 0))
			ms_report(&err);
		if (res.notes && !warned) {
			for (char *line = strtok(res.notes, "\n"); line; line = strtok(NULL, "\n"))
				ms_warn("%s", line);
			warned = 1; /* the same binaries in every snapshot */
		}
		ms_symbolize_result_free(&res);
		ms_profile_free(p);
	}
	closedir(d);
	ms_symbolizer_free(sym);
}

static void print_summary(const char *path, int nprofiles)
{
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	if (!p) {
		ms_report(&err);
		return;
	}
	fprintf(stderr, "memscope: heap profile %s (%d snapshot%s of this process)\n", path, nprofiles,
		nprofiles == 1 ? "" : "s");
	char buf[64];
	for (size_t i = 0; i < p->ntypes; i++) {
		const char *unit = ms_profile_string(p, p->types[i].unit);
		fprintf(stderr, "memscope:   %-14s %s\n", ms_profile_string(p, p->types[i].type),
			ms_format_value(buf, sizeof buf, ms_profile_total(p, i), unit));
	}
	int si = ms_profile_sample_index(p, "inuse_space", NULL);
	ms_graph_opts go;
	ms_graph_opts_init(&go);
	go.granularity = p->nfunctions ? MS_GRAN_FUNCTIONS : MS_GRAN_ADDRESSES;
	ms_graph g;
	if (si >= 0 && p->nsamples && (go.sample_index = (size_t)si, ms_graph_build(&g, p, &go, &err) == 0)) {
		fprintf(stderr, "memscope: top 5 of inuse_space:\n");
		ms_top_view v = { p, &g, &go, 5, NULL };
		ms_render_top_text(stderr, &v);
		ms_graph_free(&g);
	}
	ms_profile_free(p);
}

/* The leak check's report: printed to stderr and saved as leaks.PID.txt. */
static void report_leaks(const char *dir, int pid)
{
	char path[PATH_MAX + 64], txt[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/leaks.%d.pb.gz", dir, pid);
	snprintf(txt, sizeof txt, "%s/leaks.%d.txt", dir, pid);
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	if (!p) {
		if (access(path, F_OK) != 0)
			fprintf(stderr, "memscope: no leak-check report was written (did the program exit through exit()?)\n");
		else
			ms_report(&err);
		return;
	}
	ms_leakcheck lc;
	if (ms_leakcheck_read(&lc, p, path, MS_GRAN_LINES, &err) < 0) {
		ms_report(&err);
		ms_profile_free(p);
		return;
	}
	ms_render_leakcheck_text(stderr, &lc, 0);
	ms_outfile of;
	if (ms_outfile_open(&of, txt, &err) == 0) {
		ms_render_leakcheck_text(of.fp, &lc, 0);
		if (ms_outfile_commit(&of, &err) < 0)
			ms_report(&err);
		else
			fprintf(stderr, "memscope: leak report %s\n", txt);
	} else {
		ms_report(&err);
	}
	ms_leakcheck_free(&lc);
	ms_profile_free(p);
}

int cmd_run(int argc, char **argv)
{
	const char *outdir = "memscope-run";
	const char *rate = NULL, *interval = NULL;
	int heap_dump = 0, trace = 0, leak_check = 0;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 'o', "output", &outdir, "DIR", "directory for profiles (default memscope-run)" },
		{ MS_OPT_STRING, 0, "rate", &rate, "BYTES", "mean bytes between samples (default 512K; 1 = all)" },
		{ MS_OPT_STRING, 0, "interval", &interval, "BYTES|SECONDS",
			"also snapshot every N bytes allocated (64MB) or T seconds (10s)" },
		{ MS_OPT_FLAG, 0, "heap-dump", &heap_dump, NULL, "a heap dump (JSON) with every profile, not only at exit" },
		{ MS_OPT_FLAG, 0, "trace", &trace, NULL, "record the event trace DIR/trace.<pid>.out" },
		{ MS_OPT_FLAG, 0, "leak-check", &leak_check, NULL,
			"record every allocation; at exit report unreachable blocks (DIR/leaks.<pid>.pb.gz, .txt)" },
		MS_OPT_END_MARK,
	};
	int cmd = split_command(argc, argv, opts);
	int n = ms_parse_opts(cmd, argv, opts, run_usage);
	if (n == MS_OPTS_HELP)
		return MS_EXIT_OK;
	if (n < 0)
		return MS_EXIT_INPUT;
	if (n > 0)
		return ms_usage_error(opts, run_usage, "unexpected argument '%s' (put the command after --)", argv[0]);
	if (cmd >= argc)
		return ms_usage_error(opts, run_usage, "no command to run");
	unsigned long long v;
	/* the runtime takes whole numbers with K/M/G units (no fractions) */
	if (rate && (ms_parse_size(rate, &v) < 0 || strchr(rate, '.')))
		return ms_usage_error(opts, run_usage, "bad --rate '%s' (expected bytes, e.g. 512K)", rate);
	if (leak_check && rate && (ms_parse_size(rate, &v) < 0 || v != 1))
		return ms_usage_error(opts, run_usage, "--leak-check records every allocation: it takes no --rate other than 1");
	if (interval) {
		double sec;
		char *end;
		size_t len = strlen(interval);
		int ok = len > 1 && interval[len - 1] == 's' ? (sec = strtod(interval, &end), end == interval + len - 1 && sec > 0)
							     : ms_parse_size(interval, &v) == 0 && !strchr(interval, '.');
		if (!ok)
			return ms_usage_error(opts, run_usage, "bad --interval '%s' (expected 64MB or 10s)", interval);
	}
	char lib[PATH_MAX];
	if (find_preload(lib, sizeof lib) < 0)
		return ms_error("cannot find the runtime library 'libmsrt.so' (set MEMSCOPE_MSRT)");
	if (make_dir(outdir) < 0)
		return ms_error("cannot create '%s': %s", outdir, strerror(errno));
	char absdir[PATH_MAX];
	if (!realpath(outdir, absdir))
		return ms_error("cannot resolve '%s': %s", outdir, strerror(errno));

	if (ms_can_exec(argv[cmd]) < 0) /* exit 2, not the child's 127 */
		return ms_error("cannot run '%s': %s", argv[cmd], strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return ms_error("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		ms_buf pre = MS_BUF_INIT;
		const char *old = getenv("LD_PRELOAD");
		ms_buf_addstr(&pre, lib);
		if (old && *old)
			ms_buf_addf(&pre, ":%s", old);
		setenv("LD_PRELOAD", pre.data, 1);
		setenv("MSRT_PROFILE_DIR", absdir, 1);
		if (rate)
			setenv("MSRT_PROFILE_RATE", rate, 1);
		if (interval)
			setenv("MSRT_PROFILE_INTERVAL", interval, 1);
		if (heap_dump)
			setenv("MSRT_HEAP_DUMP", "1", 1);
		if (leak_check)
			setenv("MSRT_LEAK_CHECK", "quiet", 1);
		if (trace) {
			ms_buf t = MS_BUF_INIT;
			ms_buf_addf(&t, "%s/trace.%%p.out", absdir);
			setenv("MSRT_TRACE", t.data, 1);
		}
		execvp(argv[cmd], argv + cmd);
		fprintf(stderr, "memscope: cannot run '%s': %s\n", argv[cmd], strerror(errno));
		_exit(127);
	}
	/* like time(1): the child gets the terminal's signals, we wait */
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	int rc;
	if (WIFEXITED(status)) {
		rc = WEXITSTATUS(status);
	} else {
		fprintf(stderr, "memscope: '%s' killed by signal %d\n", argv[cmd], WTERMSIG(status));
		rc = 128 + WTERMSIG(status);
	}
	if (rc == 127 && WIFEXITED(status))
		return rc;
	char last[PATH_MAX + 64];
	unsigned seq = 0;
	int nprof = find_profiles(absdir, (int)pid, last, sizeof last, &seq);
	if (nprof == 0)
		fprintf(stderr, "memscope: no heap profile was written to %s\n", absdir);
	else {
		symbolize_profiles(absdir, pid);
		print_summary(last, nprof);
	}
	if (leak_check) {
		if (nprof == 0)
			symbolize_profiles(absdir, pid);
		report_leaks(absdir, (int)pid);
	}
	if (trace)
		fprintf(stderr, "memscope: trace %s/trace.%d.out\n", absdir, (int)pid);
	if (nprof > 0)
		fprintf(stderr, "memscope: heap dump %s/heapdump.%d.%u.json%s\n", absdir, (int)pid, seq,
			heap_dump ? " (and one with every profile)" : "");
	return rc;
}
