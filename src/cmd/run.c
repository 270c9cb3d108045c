/* run.c — `memscope run [OPTIONS] -- CMD ARGS...`: runs CMD with libmsrt
 * preloaded (the allocator and sampling heap profiler), passes its exit
 * status through, then says where the profiles are and what was in use
 * at exit. The summary goes to stderr so CMD's stdout stays CMD's.
 * Every process of the tree is followed (the preload and MSRT_* settings
 * are inherited across fork and exec): each writes its own files, named
 * with its program and pid (src/rt/msrt_outnames.h), into one directory
 * per run; afterwards all are symbolized in place (src/profile/runout.c)
 * and the report (src/render/run_report.c; --json for one JSON document)
 * lists every process: peak heap and temporary allocations
 * (src/rt/mpeak.c), in use at exit, its top, its leak check.
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
#include "util/buf.h"
#include "profile/runout.h"
#include "render/run.h"
#include "util/io.h"
#include "symbolize/elfkind.h"
#include "util/opts.h"

#ifndef MS_LIBDIR
#define MS_LIBDIR "/usr/local/lib"
#endif

static const char *const run_usage[] = {
	"memscope run [-o DIR] [--rate BYTES] [--interval BYTES|SECONDS] [--heap-dump] [--trace] [--leak-check] [--error-exitcode N] [--json] -- CMD [ARGS...]",
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

/* After the run: every process's outputs symbolized in place, then the
 * report (render/run.h) on stderr. Returns 1 when a process's leak check
 * found leaked bytes. */
static int summarize(const char *dir, const ms_run_report_opts *ro)
{
	ms_run_dir rd;
	ms_err err;
	if (ms_run_dir_scan(&rd, dir, &err) < 0) {
		ms_report(&err);
		return 0;
	}
	ms_buf notes = MS_BUF_INIT;
	ms_run_dir_symbolize(&rd, &notes);
	print_notes(&notes);
	ms_buf_free(&notes);
	int leaked;
	if (ro->json) {
		/* on stderr after any warnings, and saved as DIR/run.json for
		 * scripts (stderr is shared with the program) */
		char *doc = NULL, path[PATH_MAX + 16];
		size_t len = 0;
		FILE *mem = open_memstream(&doc, &len);
		if (!mem)
			ms_out_of_memory(0);
		leaked = ms_render_run_report(mem, &rd, ro);
		if (fclose(mem) != 0)
			ms_out_of_memory(0);
		fwrite(doc, 1, len, stderr);
		snprintf(path, sizeof path, "%s/run.json", dir);
		ms_outfile of;
		if (ms_outfile_open(&of, path, &err) < 0 ||
			(fwrite(doc, 1, len, of.fp), ms_outfile_commit(&of, &err)) < 0)
			ms_report(&err);
		free(doc);
	} else {
		leaked = ms_render_run_report(stderr, &rd, ro);
	}
	ms_run_dir_free(&rd);
	return leaked;
}

int cmd_run(int argc, char **argv)
{
	const char *outdir = NULL;
	const char *rate = NULL, *interval = NULL;
	int heap_dump = 0, trace = 0, leak_check = 0, json = 0;
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
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "the report as one JSON document on stderr and in DIR/run.json: processes [{pid, program, heap_profile, peak_heap_bytes, totals, top, leak_check, ...}]" },
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
	ms_run_report_opts ro = { leak_check, trace, heap_dump, json };
	if (summarize(absdir, &ro) && error_exitcode)
		rc = (int)error_exitcode;
	return rc;
}
