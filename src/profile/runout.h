/* runout.h — what `memscope run` (the runtime, src/rt/) leaves in its
 * profile directory, as processes: discovery, in-place symbolizing, and
 * the facts the runtime writes into its profiles' comments (which process;
 * peak heap and temporary allocations). File names: src/rt/msrt_outnames.h.
 */
#ifndef MS_RUNOUT_H
#define MS_RUNOUT_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "rt/msrt_outnames.h"
#include "util/buf.h"
#include "util/diag.h"

/* One process image: (pid, program). A process that exec'd is two. */
typedef struct ms_run_proc {
	int pid;
	char prog[MSRT_OUT_PROG_MAX + 1];
	unsigned nsnapshots;  /* heap.PROG.PID.*.pb.gz */
	unsigned last_seq;    /* the highest SEQ (the exit snapshot if it exited) */
	char *last_heap;      /* its path, or NULL */
	char *last_heapdump;  /* heapdump.PROG.PID.<last_seq>.json, or NULL */
	char *leaks;          /* leaks.PROG.PID.pb.gz, or NULL */
	char *trace;          /* trace.PROG.PID.out, or NULL */
} ms_run_proc;

typedef struct ms_run_dir {
	char *dir;
	ms_run_proc *procs; /* by pid, then program */
	size_t n, cap;
	size_t nfiles;      /* files of the runtime's scheme */
} ms_run_dir;

/* Lists dir's runtime outputs by process. -1 with err when dir cannot be read. */
int ms_run_dir_scan(ms_run_dir *rd, const char *dir, ms_err *err);
void ms_run_dir_free(ms_run_dir *rd);

/* Symbolizes every heap snapshot and leak report in place (pprof, so the
 * format is kept; traces are symbolized when they are read), with one
 * symbolizer for the directory. Problems that leave a file unsymbolized
 * (and each distinct note about a binary) are appended to notes, one line
 * each. Returns the number of files rewritten. */
size_t ms_run_dir_symbolize(const ms_run_dir *rd, ms_buf *notes);

/* The process a runtime profile came from: its "memscope-run: pid=N
 * program=P" comment, else its file name (path may be NULL). 0 when known. */
int ms_run_profile_who(const ms_profile *p, const char *path, int *pid, char prog[MSRT_OUT_PROG_MAX + 1]);

/* A series (snapshots over time) must come from one process: -1 with err
 * naming the first two that differ, 0 otherwise (also when a profile does
 * not say which process it is from). */
int ms_run_profiles_one_process(ms_profile *const *ps, const char *const *names, size_t n, ms_err *err);

/* The runtime's whole-heap figures (src/rt/mpeak.c), from the comment
 * "memscope-run: peak_heap=B peak_ns=T allocations=N temporary=N in_use=B".
 * 0 when present. */
typedef struct ms_run_usage {
	int64_t peak_heap, in_use; /* bytes */
	uint64_t peak_ns;          /* when the peak was reached, ns since start */
	uint64_t allocations, temporary;
} ms_run_usage;
int ms_run_profile_usage(const ms_profile *p, ms_run_usage *u);

#endif
