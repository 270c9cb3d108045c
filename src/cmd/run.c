/* run.c — `memscope run [OPTIONS] -- CMD ARGS...`: runs CMD with libmsrt
 * preloaded (the allocator and sampling heap profiler), passes its exit
 * status through, then says where the profiles are and what was in use
 * at exit. The summary goes to stderr so CMD's stdout stays CMD's.
 * Every process of the tree is followed (the preload and MSRT_* settings
 * are inherited across fork and exec): each writes its own files, named
 * with its program and pid (src/rt/msrt_outnames.h), into one directory
 * per run; afterwards all are symbolized in place (src/profile/runout.c)
 * and the summary lists every process: peak heap and temporary
 * allocations (src/rt/mpeak.c), in use at exit, its top, its leak check.
 * With --leak-check the runtime records every allocation and checks for
 * unreachable blocks at exit (src/rt/mleak.c); each report is printed and
 * saved as leaks.PROG.PID.txt next to leaks.PROG.PID.pb.gz. A static
 * executable is refused: the preload cannot reach it.
 *
 * The preload library is looked up as: $MEMSCOPE_MSRT; in the build tree,
 * .libs/libmsrt.so.0 next to the memscope binary; installed, in $(libdir).
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
#include <unistd.h>

#include "cmd/cmds.h"
#include "analysis/graph.h"
#include "analysis/leakcheck.h"
#include "render/leaks.h"
#include "util/io.h"
#include "profile/load.h"
#include "render/top.h"
#include "util/units.h"
#include "util/buf.h"
#include "profile/pprof.h"
#include "profile/runout.h"
#include "symbolize/elfkind.h"
#include "util/opts.h"

#ifndef MS_LIBDIR
#define MS_LIBDIR "/usr/local/lib"
#endif

static const char *const run_usage[] = {
	"memscope run [-o DIR] [--rate BYTES] [--interval BYTES|SECONDS] [--heap-dump] [--trace] [--leak-check] [--error-exitcode N] -- CMD [ARGS...]",
	NULL,
};

/* Finds the runtime to preload: $MEMSCOPE_MSRT, else libmsrt.so.0 beside
 * the binary (a build tree's .libs/), else the installed one. The SONAME
 * file, not the libmsrt.so development symlink: a distribution ships the
 * symlink only in the -dev package. Returns 0 and fills out, or -1. */
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
			int w = snprintf(out, n, "%s/.libs/libmsrt.so.0", exe);
			if (w > 0 && (size_t)w < n && access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, n, "%s/libmsrt.so.0", MS_LIBDIR);
	return access(out, R_OK) == 0 ? 0 : -1;
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

/* The default output: a new folder per run, memscope-run/PROG-N with the
 * first N that does not exist yet (mkdir is the atomic test). */
static int make_run_dir(const char *prog, char *out, size_t n)
{
	if (make_dir("memscope-run") < 0)
		return -1;
	char name[MSRT_OUT_PROG_MAX + 1];
	const char *slash = strrchr(prog, '/');
	msrt_out_prog(name, slash ? slash + 1 : prog);
	for (unsigned i = 1; i < 100000; i++) {
		snprintf(out, n, "memscope-run/%s-%u", name, i);
		if (mkdir(out, 0777) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* Where execvp would find cmd; 0 and out filled, or -1. */
static int find_program(const char *cmd, char *out, size_t n)
{
	if (strchr(cmd, '/')) {
		snprintf(out, n, "%s", cmd);
		return access(out, X_OK) == 0 ? 0 : -1;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		size_t len = strcspn(p, ":");
		int w = snprintf(out, n, "%.*s%s%s", (int)len, p, len ? "/" : "", cmd);
		struct stat st;
		if (w > 0 && (size_t)w < n && stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		p += len;
		if (!*p)
			return -1;
	}
}

/* A static executable: the preload never loads, so nothing would be
 * written. Says so (and what works for Go) and returns 2; 0 otherwise. */
static int refuse_static(const char *cmd)
{
	char path[PATH_MAX];
	ms_elf_kind k;
	ms_err err;
	if (find_program(cmd, path, sizeof path) < 0 || ms_elf_kind_read(path, &k, &err) < 0 || !k.is_elf ||
		k.has_interp)
		return 0;
	if (k.is_go)
		return ms_error("'%s' is a statically linked Go program: a preloaded library cannot reach a static binary, "
				"and Go does not use malloc; use runtime/pprof (pprof.WriteHeapProfile, or net/http/pprof) "
				"for heap profiles and GODEBUG=gctrace=1 with `memscope gctrace` for the collector",
			cmd);
	return ms_error("'%s' is statically linked (no program interpreter): a preloaded library cannot reach a "
			"static binary; link it dynamically, or link libmsrt into it (-lmsrt) and set MSRT_PROFILE_DIR",
		cmd);
}

static void print_notes(const ms_buf *notes)
{
	for (const char *s = notes->data; s && *s;) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		ms_warn("%.*s", len, s);
		s += len + (nl ? 1 : 0);
	}
}

static int nothing_sampled(const ms_profile *p)
{
	for (size_t t = 0; t < p->ntypes; t++)
		if (ms_profile_total(p, t))
			return 0;
	return 1;
}

/* One process's heap: peak, temporary allocations, in use at exit, top. */
static void print_heap(const ms_run_proc *pr, size_t top_rows)
{
	ms_err err;
	ms_profile *p = ms_profile_load(pr->last_heap, NULL, &err);
	if (!p) {
		ms_report(&err);
		return;
	}
	char a[64], b[64];
	fprintf(stderr, "memscope: %s (pid %d): heap profile %s (%u snapshot%s)\n", pr->prog, pr->pid, pr->last_heap,
		pr->nsnapshots, pr->nsnapshots == 1 ? "" : "s");
	ms_run_usage u;
	if (ms_run_profile_usage(p, &u) == 0) {
		fprintf(stderr, "memscope:   peak heap      %s at %.3fs; at exit %s\n",
			ms_format_value(a, sizeof a, u.peak_heap, "bytes"), (double)u.peak_ns / 1e9,
			ms_format_value(b, sizeof b, u.in_use, "bytes"));
		fprintf(stderr, "memscope:   allocations    %llu, of them temporary %llu (%.1f%%: freed before the "
				"thread's next allocation)\n",
			(unsigned long long)u.allocations, (unsigned long long)u.temporary,
			u.allocations ? 100.0 * (double)u.temporary / (double)u.allocations : 0.0);
	}
	p->ncomments = 0; /* read above; the runtime's notes are not the reader's */
	if (nothing_sampled(p)) {
		fprintf(stderr, "memscope:   nothing was sampled: the program allocated less than the sampling rate "
				"(%s on average); run with --rate 1 to record every allocation\n",
			ms_format_value(a, sizeof a, p->period ? p->period : 512 * 1024, "bytes"));
		ms_profile_free(p);
		return;
	}
	for (size_t i = 0; i < p->ntypes; i++) {
		const char *unit = ms_profile_string(p, p->types[i].unit);
		fprintf(stderr, "memscope:   %-14s %s\n", ms_profile_string(p, p->types[i].type),
			ms_format_value(a, sizeof a, ms_profile_total(p, i), unit));
	}
	int si = ms_profile_sample_index(p, "inuse_space", NULL);
	if (si >= 0 && ms_profile_total(p, (size_t)si) == 0)
		si = ms_profile_sample_index(p, "alloc_space", NULL); /* all freed: where it went through */
	ms_graph_opts go;
	ms_graph_opts_init(&go);
	go.granularity = p->nfunctions ? MS_GRAN_FUNCTIONS : MS_GRAN_ADDRESSES;
	ms_graph g;
	if (si >= 0 && (go.sample_index = (size_t)si, ms_graph_build(&g, p, &go, &err) == 0)) {
		fprintf(stderr, "memscope:   top %zu of %s:\n", top_rows, ms_profile_string(p, p->types[si].type));
		ms_top_view v = { p, &g, &go, top_rows, NULL };
		ms_render_top_text(stderr, &v);
		ms_graph_free(&g);
	}
	ms_profile_free(p);
}

/* One process's leak check: printed to stderr and saved as
 * leaks.PROG.PID.txt. Returns the leaked bytes (direct + indirect), -1
 * without a report. */
static int64_t report_leaks(const char *dir, const ms_run_proc *pr)
{
	char txt[PATH_MAX + 64];
	msrt_out_name(txt, sizeof txt, dir, MSRT_OUT_LEAKS_TXT, pr->prog, pr->pid, 0);
	ms_err err;
	ms_profile *p = ms_profile_load(pr->leaks, NULL, &err);
	if (!p) {
		ms_report(&err);
		return -1;
	}
	ms_leakcheck lc;
	if (ms_leakcheck_read(&lc, p, pr->leaks, MS_GRAN_LINES, &err) < 0) {
		ms_report(&err);
		ms_profile_free(p);
		return -1;
	}
	fprintf(stderr, "memscope: %s (pid %d): leak check\n", pr->prog, pr->pid);
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
	int64_t leaked = lc.bytes[MS_LC_DIRECT] + lc.bytes[MS_LC_INDIRECT];
	ms_leakcheck_free(&lc);
	ms_profile_free(p);
	return leaked;
}

/* After the run: every process's outputs symbolized in place, then a
 * summary per process (its heap, its leak check, its trace). Returns 1 when
 * a process's leak check found leaked bytes. */
static int summarize(const char *dir, int leak_check, int trace, int heap_dump)
{
	ms_run_dir rd;
	ms_err err;
	int leaked = 0;
	if (ms_run_dir_scan(&rd, dir, &err) < 0) {
		ms_report(&err);
		return 0;
	}
	ms_buf notes = MS_BUF_INIT;
	ms_run_dir_symbolize(&rd, &notes);
	print_notes(&notes);
	ms_buf_free(&notes);
	size_t nheap = 0, nleaks = 0;
	for (size_t i = 0; i < rd.n; i++) {
		nheap += rd.procs[i].last_heap != NULL;
		nleaks += rd.procs[i].leaks != NULL;
	}
	if (rd.n > 1)
		fprintf(stderr, "memscope: %zu processes in %s\n", rd.n, dir);
	for (size_t i = 0; i < rd.n; i++) {
		const ms_run_proc *pr = &rd.procs[i];
		if (pr->last_heap)
			print_heap(pr, rd.n > 1 ? 3 : 5);
		else
			fprintf(stderr, "memscope: %s (pid %d): no heap profile (it exec'd, or was killed)\n", pr->prog,
				pr->pid);
		if (leak_check && pr->leaks && report_leaks(dir, pr) > 0)
			leaked = 1;
		if (trace && pr->trace)
			fprintf(stderr, "memscope: %s (pid %d): trace %s\n", pr->prog, pr->pid, pr->trace);
		if (pr->last_heapdump)
			fprintf(stderr, "memscope: %s (pid %d): heap dump %s%s\n", pr->prog, pr->pid, pr->last_heapdump,
				heap_dump ? " (and one with every profile)" : "");
	}
	if (nheap == 0)
		fprintf(stderr, "memscope: no heap profile was written to %s\n", dir);
	if (leak_check && nleaks == 0)
		fprintf(stderr, "memscope: no leak-check report was written (did the program exit through exit()?)\n");
	ms_run_dir_free(&rd);
	return leaked;
}

int cmd_run(int argc, char **argv)
{
	const char *outdir = NULL;
	const char *rate = NULL, *interval = NULL;
	int heap_dump = 0, trace = 0, leak_check = 0;
	long error_exitcode = 0;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 'o', "output", &outdir, "DIR", "directory for the outputs, new or empty (default: a new memscope-run/PROG-N)" },
		{ MS_OPT_STRING, 0, "rate", &rate, "BYTES", "mean bytes between samples (default 512K; 1 = all)" },
		{ MS_OPT_STRING, 0, "interval", &interval, "BYTES|SECONDS",
			"also snapshot every N bytes allocated (64MB) or T seconds (10s)" },
		{ MS_OPT_FLAG, 0, "heap-dump", &heap_dump, NULL, "a heap dump (JSON) with every profile, not only at exit" },
		{ MS_OPT_FLAG, 0, "trace", &trace, NULL, "record the event trace DIR/trace.PROG.PID.out" },
		{ MS_OPT_FLAG, 0, "leak-check", &leak_check, NULL,
			"record every allocation; at exit report unreachable blocks (DIR/leaks.PROG.PID.pb.gz, .txt)" },
		{ MS_OPT_INT, 0, "error-exitcode", &error_exitcode, "N",
			"exit N when the leak check finds leaked bytes (implies --leak-check; valgrind's flag, LeakSanitizer uses 23)" },
		MS_OPT_END_MARK,
	};
	int cmd;
	int n = ms_parse_opts_prefix(argc, argv, opts, run_usage, &cmd);
	if (n < 0)
		return ms_opts_exit(n);
	if (cmd >= argc)
		return ms_usage_error(opts, run_usage, "no command to run");
	if (error_exitcode < 0 || error_exitcode > 255)
		return ms_usage_error(opts, run_usage, "--error-exitcode takes 0 (off) to 255, not %ld", error_exitcode);
	if (error_exitcode)
		leak_check = 1;
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
		return ms_error("cannot find the runtime library 'libmsrt.so.0' (set MEMSCOPE_MSRT)");
	if (refuse_static(argv[cmd]))
		return MS_EXIT_INPUT;
	char rundir[PATH_MAX];
	if (outdir) {
		if (make_dir(outdir) < 0)
			return ms_error("cannot create '%s': %s", outdir, strerror(errno));
		ms_run_dir old;
		ms_err err;
		if (ms_run_dir_scan(&old, outdir, &err) < 0)
			return ms_report(&err);
		size_t nold = old.nfiles;
		ms_run_dir_free(&old);
		if (nold)
			return ms_error("'%s' holds %zu files of another run: give a new or empty directory (runs are "
					"never mixed)",
				outdir, nold);
	} else {
		if (make_run_dir(argv[cmd], rundir, sizeof rundir) < 0)
			return ms_error("cannot create a directory under 'memscope-run': %s", strerror(errno));
		outdir = rundir;
	}
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
			ms_buf_addf(&t, "%s/trace.%%e.%%p.out", absdir); /* msrt_outnames.h */
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
	if (summarize(absdir, leak_check, trace, heap_dump) && error_exitcode)
		rc = (int)error_exitcode;
	return rc;
}
