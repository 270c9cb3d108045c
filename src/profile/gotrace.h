/* gotrace.h — Go execution traces (runtime/trace's trace.out): the contract
 * between the two format readers and everything built on them.
 *
 * Two unrelated format families share nothing but the 16-byte header
 * ("go 1.N trace", NUL padded):
 *   gotrace_v1.c   the old per-P format: go 1.11 (Go 1.11-1.18), 1.19 (adds
 *                  CPU samples), 1.21 (STW reasons as an enum)
 *   gotrace_v2.c   the generational format: go 1.22, 1.23 (Go 1.23/1.24),
 *                  1.25 (Sync batches), 1.26 (EndOfGeneration)
 * Each reader streams the file (memory bounded by the live state: goroutines,
 * the current generation's tables, never by the trace's length), orders the
 * events the way Go's own parser of that family does, and feeds the results
 * to one sink in that global order (timestamps never decrease; an interval
 * is delivered when it ends). Consumers (gotrace_profile.c:
 * --trace-profile KIND into the profile model; the GC report and MMU; info)
 * implement the sink and never see the formats.
 *
 * Intervals are what `go tool trace -pprof=KIND` sums: a goroutine blocked
 * (sync, net), in a blocking syscall, or runnable (sched), attributed to a
 * stack. Which intervals, and to which stack, is decided by the reader under
 * the rules of the Go release that wrote the trace (MS_GT_RULES_GO), or by
 * the corrected rules (MS_GT_RULES_FIXED, golang/go#74850).
 *
 * Times are nanoseconds since the trace's first event. Frames are leaf first.
 * Strings and frames passed to the sink are valid only during the call.
 */
#ifndef MS_GOTRACE_H
#define MS_GOTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

/* ---- what a reader reports -------------------------------------------- */

typedef enum ms_gt_kind {
	MS_GT_SYNC,    /* blocked on a channel, select, sync.Mutex/Cond/WaitGroup, ... */
	MS_GT_NET,     /* blocked in the network poller */
	MS_GT_SYSCALL, /* in a (blocking) system call */
	MS_GT_SCHED,   /* runnable, waiting for a P */
	MS_GT_NKINDS
} ms_gt_kind;

typedef struct ms_gt_frame {
	uint64_t pc;
	const char *func; /* "" when unknown */
	const char *file;
	int64_t line;
} ms_gt_frame;

typedef struct ms_gt_interval {
	ms_gt_kind kind;
	const char *why;        /* the wait reason as the wait flame graph names
				 * it: "chan receive", "chan send", "select",
				 * "sync.Mutex", "sync.Cond", "network", "syscall",
				 * "runnable", "GC assist wait", "sleep", ... */
	uint64_t goid;
	int64_t start_ns, end_ns;
	const ms_gt_frame *frames; /* the stack the interval is attributed to */
	size_t nframes;
	uint32_t stack_id;         /* 0, or a number that stands for these
				    * frames for the whole read (equal ids,
				    * equal frames): consumers may key on it */
} ms_gt_interval;

typedef struct ms_gt_cpu_sample {
	int64_t ts_ns;
	uint64_t goid; /* 0 when not running a goroutine */
	const ms_gt_frame *frames;
	size_t nframes;
} ms_gt_cpu_sample;

typedef enum ms_gt_gc_what {
	MS_GT_GC_BEGIN,       /* a cycle starts (seq = cycle number) */
	MS_GT_GC_END,
	MS_GT_STW_BEGIN,      /* reason: "GC mark termination", "GC sweep termination", ... */
	MS_GT_STW_END,
	MS_GT_HEAP_ALLOC,     /* value: live heap bytes */
	MS_GT_HEAP_GOAL,      /* value: heap goal bytes (0 = none) */
	MS_GT_ASSIST_BEGIN,   /* goid: the assisting goroutine (value 1: already
			       * assisting when the trace started) */
	MS_GT_ASSIST_END,
	MS_GT_WORKER_BEGIN,   /* proc: the P; reason: "dedicated", "fractional", "idle" */
	MS_GT_WORKER_END,
	MS_GT_SWEEP_BEGIN,
	MS_GT_SWEEP_END,
	MS_GT_PROCS,          /* value: GOMAXPROCS from now on */
	MS_GT_ASSIST_PAUSE,   /* goid, proc: an assisting goroutine stops running
			       * (blocks, is preempted) before its assist ends */
	MS_GT_ASSIST_RESUME,  /* goid, proc: it runs again, still assisting */
	/* Two for reproducing `go tool trace`'s own MMU on Go 1.22+ traces
	 * (internal/trace's MutatorUtilizationV2; generational reader only): */
	MS_GT_GO_EXEC,        /* goid, proc: a goroutine starts (value 1) or stops (0)
			       * executing (running or in a syscall) */
	MS_GT_GC_LABEL,       /* goid, proc, reason: every goroutine label "GC ..."
			       * other than "GC (idle)", repeats included */
} ms_gt_gc_what;

typedef struct ms_gt_gc_event {
	ms_gt_gc_what what;
	int64_t ts_ns;
	uint64_t seq;
	uint64_t goid;
	int64_t proc;
	uint64_t value;
	const char *reason;
} ms_gt_gc_event;

/* The sink: any callback may be NULL. A callback that returns nonzero stops
 * the read (the reader then returns -1 with the sink's error in err). */
typedef struct ms_gt_sink {
	void *ctx;
	int (*interval)(void *ctx, const ms_gt_interval *iv);
	int (*cpu_sample)(void *ctx, const ms_gt_cpu_sample *s);
	int (*gc)(void *ctx, const ms_gt_gc_event *ev);
} ms_gt_sink;

/* ---- reading ------------------------------------------------------------ */

typedef enum ms_gt_rules {
	MS_GT_RULES_GO,    /* equal to `go tool trace -pprof` of the writing release */
	MS_GT_RULES_FIXED, /* intervals ending in a stackless transition end there */
} ms_gt_rules;

typedef struct ms_gt_opts {
	ms_gt_rules rules;
	const char *region; /* only intervals inside a user region of this name */
	const char *task;   /* only intervals inside a user task of this type */
	bool mapped;        /* data is a read-only private file mapping: the
			     * reader may drop the pages of generations it has
			     * finished (madvise), so resident memory follows
			     * the current generation, not the file */
} ms_gt_opts;

/* What the reader learnt on the way (for `memscope info`). */
typedef struct ms_gt_stats {
	int version_minor;      /* N of "go 1.N trace" */
	bool generational;
	int64_t duration_ns;
	uint64_t events, goroutines, gc_cycles, cpu_samples, generations;
	int64_t max_procs;
	uint64_t truncated_at;  /* byte offset of a cut-short tail, 0 if complete */
	uint64_t kind_count[MS_GT_NKINDS];
	int64_t kind_ns[MS_GT_NKINDS];
} ms_gt_stats;

/* 1 when data starts with a Go execution trace header ("go 1.N trace"),
 * whatever N; *minor gets N (0 if not a number). */
int ms_gotrace_sniff(const uint8_t *data, size_t n, int *minor);

/* Reads a whole trace from fd-backed or mapped bytes, feeding sink. Returns
 * 0 (also for a trace cut short: stats->truncated_at then names the offset
 * and a warning is appended to warnings), -1 with "byte N: what" in err for
 * an unknown version or a corrupt body. */
struct ms_buf;
int ms_gotrace_read(const uint8_t *data, size_t n, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err);

/* For a reader given a read-only private file mapping (opts->mapped): drops
 * the resident pages before byte upto. A later read of them faults the
 * file's bytes in again, so this only bounds resident memory, never changes
 * what is read. */
void ms_gotrace_release_pages(const uint8_t *data, size_t upto);

/* The family readers (called by ms_gotrace_read by header). */
int ms_gotrace_v1_read(const uint8_t *data, size_t n, int minor, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err);
int ms_gotrace_v2_read(const uint8_t *data, size_t n, int minor, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err);

#endif
