/* watch.h — a growing series of heap snapshots for `memscope watch`: taken
 * from a live Go server's heap endpoint (with gc=1, so each shows the heap
 * now rather than at the last collection) and kept on disk, or picked up
 * as `memscope run --interval` writes them into its directory. The series
 * is what `memscope leaks` analyses (analysis/leaks.h, ms_leak_series). */
#ifndef MS_WATCH_H
#define MS_WATCH_H

#include <stddef.h>

#include "profile/fetch.h"
#include "profile/load.h"
#include "profile/profile.h"
#include "rt/msrt_outnames.h"

typedef struct ms_watch {
	/* a URL source: fetched with fo (gc=1 set), saved in out_dir */
	char *url, *shown, *out_dir;
	ms_fetch_opts fo;
	/* a run directory: one process's heap.PROG.PID.SEQ.pb.gz, in SEQ order */
	char *run_dir;
	int pid;
	char prog[MSRT_OUT_PROG_MAX + 1];
	unsigned next_seq;
	int ended; /* the process is gone and its last snapshot was taken */
	struct ms_symbolizer *sym; /* the running process's snapshots hold addresses */
	/* the snapshots' files so far, in the order taken (the profiles go to
	 * the caller: a leak series keeps what it needs of them) */
	char **names;
	size_t n, cap;
} ms_watch;

/* A URL source. out_dir is created (if missing) with the first snapshot;
 * the snapshots are out_dir/heap.SEQ.pb.gz, SEQ from the first unused
 * number. */
int ms_watch_init_url(ms_watch *w, const char *url, const ms_fetch_opts *fo, const char *out_dir, ms_err *err);
/* A `memscope run --interval` directory: the process with the most heap
 * snapshots the first time any is there (for several processes, the
 * snapshots are per process). While the process runs its snapshots hold
 * bare addresses (`memscope run` symbolizes them when it ends): each is
 * symbolized as it is read, with one symbolizer for the series. */
int ms_watch_init_dir(ms_watch *w, const char *dir, ms_err *err);

/* Takes the next snapshot: 1 when one was added (*out is its profile, the
 * caller's to free; w->names[w->n - 1] is its file), 0 when a run
 * directory has none new yet (w->ended set when its process no longer
 * runs: no more will come), -1 with err. */
int ms_watch_next(ms_watch *w, const ms_load_opts *lo, ms_profile **out, ms_err *err);

void ms_watch_free(ms_watch *w);

#endif
