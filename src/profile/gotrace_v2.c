/* gotrace_v2.c — the generational Go execution trace format (Go 1.22 and
 * later: headers "go 1.22 trace", "go 1.23 trace" (Go 1.23, 1.24), "go 1.25
 * trace" (Sync batches), "go 1.26 trace" (EndOfGeneration)): a streaming
 * reader that orders events the way Go's internal/trace does and turns them
 * into the intervals, CPU samples and GC events of gotrace.h.
 *
 * File layout
 *   header (16 bytes) then batches:
 *     EventBatch(1)        gen m time size  body[size]
 *     ExperimentalBatch(49) exp gen m time size body[size]   (skipped)
 *   A body starts with a table marker — Strings(4), Stacks(2),
 *   CPUSamples(6), Frequency(8), 1.25+: Sync(...) — or holds one M's events
 *   in time order: type byte, dt (ticks since the previous event, the first
 *   since the batch's time), the type's fixed arguments (all ULEB128).
 *   Batches of generation N all precede those of N+1. String and stack ids
 *   are valid in their own generation only.
 *
 * Streaming. The file is mapped, never copied. One generation is indexed at
 * a time (batch offsets per M, its string/stack tables, its CPU samples),
 * its events ordered and consumed, then its tables are dropped (and, for a
 * file mapping, its pages: ms_gt_opts.mapped). What survives a generation
 * is the live state: goroutines, Ps, Ms, tasks, and the stacks and names
 * that intervals refer to (interned by content: bounded by the program's
 * distinct stacks, not the trace's length). Goroutine ids below 2^22 index
 * a table of 4 bytes an id; larger ones a hash map.
 *
 * A trace cut short: the generation the file ends in is dropped (Go 1.23's
 * tool would try to use its batches; Go 1.22's drops it, as here). 1.25
 * adds Sync batches (Sync, Frequency, ClockSnapshot) in place of the lone
 * Frequency batch; 1.26 may end a generation with an EndOfGeneration byte.
 * The ordering and interval rules of 1.23 are applied to both.
 *
 * Ordering (Go's reader.go / order.go, ported rule for rule). Each M's
 * batches form a cursor; the cursors sit in a min-heap on the time of their
 * next event. Repeatedly: try to advance the earliest cursor's event; an
 * event can advance only if the state it names is ready (GoStart(g, seq)
 * needs g runnable with seq - 1; ProcStart(p, seq) needs p idle with
 * seq - 1; GoUnblock(g, seq) needs g waiting; GCBegin/End need the next GC
 * seq; ...). If it cannot, the heap is sorted and the others are tried in
 * time order. Nothing advancing is a broken trace. CPU samples (sorted by
 * time) are injected before any event later than them. Every generation
 * ends with a Sync event. Emitted times are made strictly increasing:
 *   t_emit = max(t_event, t_previous + 1)
 * Times: ns = (int64)(ticks * (1e9 / ticks_per_second)), per batch base
 *   plus per event delta, each product truncated, as Go does.
 *
 * Intervals (`go tool trace -pprof=KIND`, cmd/trace/pprof.go of Go 1.22 and
 * 1.23, identical rules). Over goroutine state transitions in the order
 * above, per KIND (state S, reasons R):
 *   sync    S = waiting, reason contains "chan", "sync" or "select"
 *   net     S = waiting, reason = "network"
 *   syscall S = syscall
 *   sched   S = runnable
 *   a transition WITH A STACK into S for a reason in R starts tracking the
 *   goroutine (at its time, attributed to its stack); a transition with a
 *   stack to any other state ends it: interval [start, end]. Transitions
 *   without a stack are skipped entirely (GoStart, GoSyscallEnd,
 *   GoSyscallEndBlocked, GoDestroy, GoStatus, a GoUnblock by the
 *   scheduler): an interval goes on past them to the goroutine's next
 *   transition with a stack, or is dropped if none comes (golang/go#74850).
 *   The interval is then clipped to the goroutine's life: its delay is
 *     overlap([start, end], [first time g ran, g's end or trace end])
 *   and it counts (contentions += 1) only when that is > 0. A goroutine that
 *   has not run by the interval's end is taken as never running (no clip).
 *   MS_GT_RULES_FIXED ends an interval at the first transition out of S,
 *   with or without a stack.
 *   --region/--task: the overlap is taken with the goroutine's outermost
 *   matching user regions instead of its life (cmd/trace's region
 *   profiles); a region's task is known when its task began in the trace.
 *
 * GC events: GCBegin/GCEnd (GCActive at the start: a cycle in progress),
 * STWBegin/End with the reason string, HeapAlloc/HeapGoal, mark assists of
 * goroutines, sweeps, GOMAXPROCS (ProcsChange), and mark workers: a
 * goroutine labelled "GC (dedicated|fractional|idle)" works from the label
 * until it stops running (as internal/trace/gc.go's MMU counts them).
 */
#include "config.h"
#include "profile/gotrace.h"
#include "util/varint.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/pairmap.h"
#include "util/strtab.h"

/* ---- event types (internal/trace/event/go122, tracev2) ------------------ */

enum {
	EV_NONE, EV_EVENT_BATCH, EV_STACKS, EV_STACK, EV_STRINGS, EV_STRING, EV_CPU_SAMPLES, EV_CPU_SAMPLE,
	EV_FREQUENCY, EV_PROCS_CHANGE, EV_PROC_START, EV_PROC_STOP, EV_PROC_STEAL, EV_PROC_STATUS, EV_GO_CREATE,
	EV_GO_CREATE_SYSCALL, EV_GO_START, EV_GO_DESTROY, EV_GO_DESTROY_SYSCALL, EV_GO_STOP, EV_GO_BLOCK,
	EV_GO_UNBLOCK, EV_GO_SYSCALL_BEGIN, EV_GO_SYSCALL_END, EV_GO_SYSCALL_END_BLOCKED, EV_GO_STATUS,
	EV_STW_BEGIN, EV_STW_END, EV_GC_ACTIVE, EV_GC_BEGIN, EV_GC_END, EV_GC_SWEEP_ACTIVE, EV_GC_SWEEP_BEGIN,
	EV_GC_SWEEP_END, EV_GC_MARK_ASSIST_ACTIVE, EV_GC_MARK_ASSIST_BEGIN, EV_GC_MARK_ASSIST_END,
	EV_HEAP_ALLOC, EV_HEAP_GOAL, EV_GO_LABEL, EV_USER_TASK_BEGIN, EV_USER_TASK_END, EV_USER_REGION_BEGIN,
	EV_USER_REGION_END, EV_USER_LOG, EV_GO_SWITCH, EV_GO_SWITCH_DESTROY, EV_GO_CREATE_BLOCKED,
	EV_GO_STATUS_STACK, EV_EXPERIMENTAL_BATCH,
	/* 1.25 */
	EV_SYNC, EV_CLOCK_SNAPSHOT,
	/* 1.26 */
	EV_END_OF_GENERATION,
	EV_NTYPES,
	EV_SYNTH_SYNC = 255, /* the reader's own end-of-generation event */
};
#define EV_EXP_FIRST 128 /* experimental events (traceallocfree): 128..136 */
#define EV_EXP_LAST 136

#define MAX_ARGS 5
#define MAX_BATCH (64u << 10)
#define MAX_FRAMES 128
#define MAX_STRING (1u << 10)

typedef struct spec {
	uint8_t nargs;    /* arguments after dt */
	int8_t stack;     /* index (after dt) of the event's own stack, -1 none */
	int8_t stack2;    /* a second stack argument, -1 none */
	int8_t str1, str2;/* string arguments, -1 none */
	int8_t start;     /* the begin type of an end/active event, 0 none */
	uint8_t min_minor;
} spec;

/* Indexes count from the first argument after dt. */
static const spec specs[EV_NTYPES] = {
	[EV_PROCS_CHANGE] = { 2, 1, -1, -1, -1, 0, 22 },
	[EV_PROC_START] = { 2, -1, -1, -1, -1, 0, 22 },
	[EV_PROC_STOP] = { 0, -1, -1, -1, -1, 0, 22 },
	[EV_PROC_STEAL] = { 3, -1, -1, -1, -1, 0, 22 },
	[EV_PROC_STATUS] = { 2, -1, -1, -1, -1, 0, 22 },
	[EV_GO_CREATE] = { 3, 2, 1, -1, -1, 0, 22 },
	[EV_GO_CREATE_SYSCALL] = { 1, -1, -1, -1, -1, 0, 22 },
	[EV_GO_START] = { 2, -1, -1, -1, -1, 0, 22 },
	[EV_GO_DESTROY] = { 0, -1, -1, -1, -1, 0, 22 },
	[EV_GO_DESTROY_SYSCALL] = { 0, -1, -1, -1, -1, 0, 22 },
	[EV_GO_STOP] = { 2, 1, -1, 0, -1, 0, 22 },
	[EV_GO_BLOCK] = { 2, 1, -1, 0, -1, 0, 22 },
	[EV_GO_UNBLOCK] = { 3, 2, -1, -1, -1, 0, 22 },
	[EV_GO_SYSCALL_BEGIN] = { 2, 1, -1, -1, -1, 0, 22 },
	[EV_GO_SYSCALL_END] = { 0, -1, -1, -1, -1, EV_GO_SYSCALL_BEGIN, 22 },
	[EV_GO_SYSCALL_END_BLOCKED] = { 0, -1, -1, -1, -1, EV_GO_SYSCALL_BEGIN, 22 },
	[EV_GO_STATUS] = { 3, -1, -1, -1, -1, 0, 22 },
	[EV_STW_BEGIN] = { 2, 1, -1, 0, -1, 0, 22 },
	[EV_STW_END] = { 0, -1, -1, -1, -1, EV_STW_BEGIN, 22 },
	[EV_GC_ACTIVE] = { 1, -1, -1, -1, -1, EV_GC_BEGIN, 22 },
	[EV_GC_BEGIN] = { 2, 1, -1, -1, -1, 0, 22 },
	[EV_GC_END] = { 1, -1, -1, -1, -1, EV_GC_BEGIN, 22 },
	[EV_GC_SWEEP_ACTIVE] = { 1, -1, -1, -1, -1, EV_GC_SWEEP_BEGIN, 22 },
	[EV_GC_SWEEP_BEGIN] = { 1, 0, -1, -1, -1, 0, 22 },
	[EV_GC_SWEEP_END] = { 2, -1, -1, -1, -1, EV_GC_SWEEP_BEGIN, 22 },
	[EV_GC_MARK_ASSIST_ACTIVE] = { 1, -1, -1, -1, -1, EV_GC_MARK_ASSIST_BEGIN, 22 },
	[EV_GC_MARK_ASSIST_BEGIN] = { 1, 0, -1, -1, -1, 0, 22 },
	[EV_GC_MARK_ASSIST_END] = { 0, -1, -1, -1, -1, EV_GC_MARK_ASSIST_BEGIN, 22 },
	[EV_HEAP_ALLOC] = { 1, -1, -1, -1, -1, 0, 22 },
	[EV_HEAP_GOAL] = { 1, -1, -1, -1, -1, 0, 22 },
	[EV_GO_LABEL] = { 1, -1, -1, 0, -1, 0, 22 },
	[EV_USER_TASK_BEGIN] = { 4, 3, -1, 2, -1, 0, 22 },
	[EV_USER_TASK_END] = { 2, 1, -1, -1, -1, 0, 22 },
	[EV_USER_REGION_BEGIN] = { 3, 2, -1, 1, -1, 0, 22 },
	[EV_USER_REGION_END] = { 3, 2, -1, 1, -1, EV_USER_REGION_BEGIN, 22 },
	[EV_USER_LOG] = { 4, 3, -1, 1, 2, 0, 22 },
	[EV_GO_SWITCH] = { 2, -1, -1, -1, -1, 0, 23 },
	[EV_GO_SWITCH_DESTROY] = { 2, -1, -1, -1, -1, 0, 23 },
	[EV_GO_CREATE_BLOCKED] = { 3, 2, 1, -1, -1, 0, 23 },
	[EV_GO_STATUS_STACK] = { 4, 3, -1, -1, -1, 0, 23 },
	[EV_SYNC] = { 0, -1, -1, -1, -1, 0, 25 },
	[EV_CLOCK_SNAPSHOT] = { 3, -1, -1, -1, -1, 0, 25 },
	[EV_END_OF_GENERATION] = { 0, -1, -1, -1, -1, 0, 26 },
};

/* Which arguments of an event type are table ids (reader.tabrefs). STW_END's
 * string argument is replaced by its begin's interned reason (advance). */
enum { TR_STACK = 1, TR_STACK2 = 2, TR_STR1 = 4, TR_STR2 = 8 };

/* Arguments after dt of the experimental (traceallocfree) events 128..136. */
static const uint8_t exp_nargs[EV_EXP_LAST - EV_EXP_FIRST + 1] = { 3, 3, 1, 2, 2, 1, 2, 2, 1 };

static bool timed_event(int typ, int minor, int *nargs)
{
	if (typ >= EV_EXP_FIRST && typ <= EV_EXP_LAST) {
		*nargs = exp_nargs[typ - EV_EXP_FIRST];
		return minor >= 23;
	}
	if (typ < EV_PROCS_CHANGE || typ >= EV_NTYPES || typ == EV_EXPERIMENTAL_BATCH)
		return false;
	if (specs[typ].min_minor == 0 || minor < specs[typ].min_minor)
		return false;
	if (typ == EV_SYNC || typ == EV_CLOCK_SNAPSHOT || typ == EV_END_OF_GENERATION)
		return false; /* table-like in 1.25+: not in event batches */
	*nargs = specs[typ].nargs;
	return true;
}

/* Go's goroutine states (internal/trace GoState) and the wire statuses. */
enum { GS_UNDET, GS_NOTEXIST, GS_RUNNABLE, GS_RUNNING, GS_WAITING, GS_SYSCALL };
enum { GO_BAD, GO_RUNNABLE, GO_RUNNING, GO_SYSCALL, GO_WAITING }; /* wire */
enum { PROC_BAD, PROC_RUNNING, PROC_IDLE, PROC_SYSCALL, PROC_SYSCALL_ABANDONED };
static const uint8_t wire2state[] = { GS_UNDET, GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING };

#define NO_G INT64_C(-1)
#define NO_P INT64_C(-1)
#define NO_M INT64_C(-1)
#define NO_TASK UINT64_MAX

/* ---- a uint64 -> uint32 hash map with deletion (linear probing) --------- */

typedef struct idmap {
	uint64_t *keys;
	uint32_t *vals; /* UINT32_MAX = empty */
	size_t nslots, n;
} idmap;

static void idmap_free(idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t idmap_slot(const idmap *m, uint64_t k) { return ms_mix64(k) & (m->nslots - 1); }

static uint32_t idmap_get(const idmap *m, uint64_t k)
{
	if (!m->nslots)
		return UINT32_MAX;
	for (size_t i = idmap_slot(m, k);; i = (i + 1) & (m->nslots - 1)) {
		if (m->vals[i] == UINT32_MAX)
			return UINT32_MAX;
		if (m->keys[i] == k)
			return m->vals[i];
	}
}

static void idmap_put(idmap *m, uint64_t k, uint32_t v);

static void idmap_grow(idmap *m)
{
	idmap old = *m;
	m->nslots = old.nslots ? old.nslots * 2 : 64;
	m->keys = ms_xmalloc(m->nslots * sizeof *m->keys);
	m->vals = ms_xmalloc(m->nslots * sizeof *m->vals);
	memset(m->vals, 0xff, m->nslots * sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.nslots; i++)
		if (old.vals[i] != UINT32_MAX)
			idmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static void idmap_put(idmap *m, uint64_t k, uint32_t v)
{
	if ((m->n + 1) * 4 > m->nslots * 3)
		idmap_grow(m);
	size_t i = idmap_slot(m, k);
	while (m->vals[i] != UINT32_MAX && m->keys[i] != k)
		i = (i + 1) & (m->nslots - 1);
	if (m->vals[i] == UINT32_MAX)
		m->n++;
	m->keys[i] = k;
	m->vals[i] = v;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void idmap_del(idmap *m, uint64_t k)
{
	if (!m->nslots)
		return;
	size_t mask = m->nslots - 1, i = idmap_slot(m, k);
	for (;; i = (i + 1) & mask) {
		if (m->vals[i] == UINT32_MAX)
			return;
		if (m->keys[i] == k)
			break;
	}
	m->vals[i] = UINT32_MAX;
	m->n--;
	for (size_t j = (i + 1) & mask; m->vals[j] != UINT32_MAX; j = (j + 1) & mask) {
		size_t h = idmap_slot(m, m->keys[j]);
		/* move j to i when its home h is not cyclically in (i, j] */
		bool in = i <= j ? (h > i && h <= j) : (h > i || h <= j);
		if (!in) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->vals[j] = UINT32_MAX;
			i = j;
		}
	}
}

static void idmap_clear(idmap *m)
{
	if (m->nslots)
		memset(m->vals, 0xff, m->nslots * sizeof *m->vals);
	m->n = 0;
}

/* ---- the reader's state --------------------------------------------------- */

typedef struct batch {
	size_t off;      /* of the body in the file */
	uint32_t len;
	uint32_t next;   /* next batch of the same M, UINT32_MAX none */
	uint64_t time;   /* ticks */
} batch;

typedef struct gev {
	uint8_t typ;
	int64_t time;
	uint64_t args[MAX_ARGS];
	uint64_t extra[2];
	int64_t g, p, m; /* the scheduling context it was emitted in */
	size_t off;      /* file offset (for errors) */
} gev;

typedef struct cursor {
	int64_t m;
	uint32_t mi;     /* its mstate, UINT32_MAX until known */
	uint32_t b;      /* current batch */
	uint32_t pos;    /* offset in its body */
	int64_t last_ts;
	gev ev;
} cursor;

typedef struct rng { uint8_t typ; uint64_t desc; } rng;
#define MAX_RANGES 8

typedef struct tracker {
	bool on;
	int64_t start;
	uint32_t stack; /* interned stack */
	uint32_t why;   /* interned string */
} tracker;

typedef struct region_iv { int64_t start, end; } region_iv;

typedef struct gstate {
	uint64_t id;
	bool in_order;  /* known to the ordering (created, not destroyed) */
	uint8_t status; /* wire status */
	uint64_t seq_gen, seq;
	rng ranges[MAX_RANGES];
	int nranges;
	/* user regions: (task, name) stack */
	uint64_t *reg_task;
	uint32_t *reg_name;
	size_t nreg, reg_cap;
	int match_depth;       /* active regions matching --region/--task */
	int64_t match_start;
	region_iv *mreg;       /* closed matching outermost regions */
	size_t nmreg, mreg_cap;
	/* summary */
	int64_t start_time;    /* first time it ran, 0 none */
	tracker tr[MS_GT_NKINDS];
	bool gc_worker;        /* labelled mark worker, running */
	bool in_assist;
	uint32_t free_next;
} gstate;

typedef struct pstate {
	uint8_t status;
	uint64_t seq_gen, seq;
	rng ranges[MAX_RANGES];
	int nranges;
} pstate;

typedef struct mstate { int64_t g, p; } mstate;

typedef struct cpusample {
	int64_t time;
	uint64_t m, p, g, stack;
} cpusample;

typedef struct gstack { uint32_t frame_off, n; } gstack; /* per generation */
typedef struct gframe { uint64_t pc, func, file, line; } gframe;
typedef struct gstring { uint32_t off, len; } gstring;    /* into gen arena text */

#define DIRECT_G (1u << 22) /* goroutine ids below this index a table (4 B each) */
#define DIRECT_P 1024u
#define REASON_CACHE 16

typedef struct reader {
	const uint8_t *data;
	size_t n;
	int minor;
	const ms_gt_opts *opts;
	const ms_gt_sink *sink;
	ms_gt_stats *st;
	ms_err *err;
	bool failed;

	/* current generation */
	uint64_t gen;
	double freq;                     /* ns per tick */
	uint64_t int_freq, int_limit;    /* freq when whole, and ticks below which ticks * freq < 2^53 */
	batch *batches;
	size_t nbatches, batches_cap;
	cursor *curs;
	size_t ncurs, curs_cap;
	cursor **heap;
	size_t nheap;
	idmap mcurs;                     /* m -> cursor index */
	idmap strings_ix, stacks_ix;     /* id -> index */
	uint32_t *str_dense, *stk_dense; /* the same as arrays when ids are dense */
	size_t str_ndense, stk_ndense;
	uint32_t *str_dense_buf, *stk_dense_buf;
	size_t str_dense_cap, stk_dense_cap;
	uint64_t str_maxid, stk_maxid;
	uint32_t *stk_intern;            /* stack index -> interned stack, UINT32_MAX not yet */
	uint32_t *stk_why;               /* stack index -> interned "sync" wait reason */
	size_t stk_cache_cap;
	gstring *strs;
	size_t nstrs, strs_cap;
	ms_buf strtext;                  /* NUL-terminated strings of the generation */
	gstack *stks;
	size_t nstks, stks_cap;
	gframe *frames;
	size_t nframes, frames_cap;
	cpusample *samples;
	size_t nsamples, samples_cap, next_sample;

	/* ordering state (lives across generations) */
	uint64_t initial_gen;
	idmap gix, pix, mix, tasks;
	uint32_t *gdirect;               /* goid -> gs index for goids < DIRECT_G */
	size_t ngdirect;
	uint32_t pdirect[DIRECT_P];      /* pid -> ps index, UINT32_MAX none */
	gstate *gs;
	size_t ngs, gs_cap;
	uint32_t gfree;
	pstate *ps;
	size_t nps, ps_cap;
	mstate *ms;
	size_t nms, ms_cap;
	uint64_t *task_names;            /* task index -> interned name */
	size_t ntasks, tasks_cap;
	uint32_t task_free;
	uint64_t gc_seq;
	int gc_state;                    /* 0 undetermined, 1 not running, 2 running */
	gev *queue[4];                   /* what an advance emits, in order: the
					  * cursor's own event (in place) and
					  * synthesized ones (in synth) */
	gev synth[4];
	int nq;

	/* consumers */
	int64_t last_ts, t0;
	bool have_t0;
	uint64_t goroutines;
	ms_strtab names;                 /* strings that outlive a generation */
	uint32_t *istk;                  /* interned stacks: frame offset, count */
	size_t nistk, istk_cap;
	ms_gt_frame *iframes;
	size_t niframes, iframes_cap;
	ms_pairmap istk_ix;              /* (hash, n) -> interned stack */
	int64_t last_mid;                /* one-entry caches of m_get and g_find */
	uint32_t last_mi;
	uint64_t last_gid;
	uint32_t last_gi;
	ms_gt_frame fbuf[MAX_FRAMES];
	uint32_t region_name, task_name; /* filter names interned, UINT32_MAX none */
	uint32_t why_fixed[MS_GT_NKINDS];
	int8_t nargs[256];               /* timed event type -> arguments after dt, -1 invalid */
	uint8_t tabrefs[256];            /* event type -> table ids among its arguments
					  * (TR_ bits): most events have none */
	const char *reason_ptr[REASON_CACHE];
	bool reason_sync[REASON_CACHE];
} reader;

static int fail(reader *r, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *r, size_t off, const char *fmt, ...)
{
	if (r->failed)
		return -1;
	r->failed = true;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ms_seterr(r->err, "byte %zu: %s", off, msg);
}

/* util/varint.h's decoder: bytes read, 0 on a cut-short or corrupt varint. */
static inline size_t uvarint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	int k = ms_uvarint(p, end, v);
	return k > 0 ? (size_t)k : 0;
}

/* ticks -> ns as Go: Time(float64(t) * float64(freq)), guarded against
 * out-of-range products (undefined in C). */
static int64_t to_ns(const reader *r, uint64_t ticks)
{
	/* a whole number of ns a tick (Linux: 64) and a product below 2^53,
	 * where the double product is exact: the same value, in integers */
	if (ticks < r->int_limit)
		return (int64_t)(ticks * r->int_freq);
	double v = (double)ticks * r->freq;
	if (!(v < 9.2e18))
		return INT64_MAX / 4;
	return (int64_t)v;
}

/* ---- generation tables ---------------------------------------------------- */

/* id -> index in the generation's string / stack table, UINT32_MAX none */
static uint32_t str_index(const reader *r, uint64_t id)
{
	if (r->str_dense)
		return id < r->str_ndense ? r->str_dense[id] : UINT32_MAX;
	return idmap_get(&r->strings_ix, id);
}

static uint32_t stk_index(const reader *r, uint64_t id)
{
	if (r->stk_dense)
		return id < r->stk_ndense ? r->stk_dense[id] : UINT32_MAX;
	return idmap_get(&r->stacks_ix, id);
}

static const char *gen_string(const reader *r, uint64_t id, bool *ok)
{
	*ok = true;
	if (id == 0)
		return "";
	uint32_t i = str_index(r, id);
	if (i == UINT32_MAX) {
		*ok = false;
		return "";
	}
	return r->strtext.data + r->strs[i].off;
}

static bool gen_stack_ok(const reader *r, uint64_t id)
{
	return id == 0 || stk_index(r, id) != UINT32_MAX;
}

static uint32_t intern_stack_slow(reader *r, uint32_t si);

/* Interns a generation's stack by content (pcs, func, file, line) into the
 * reader-lifetime table; 0 = no stack. Cached per generation. */
static uint32_t intern_stack(reader *r, uint64_t id)
{
	if (id == 0)
		return 0;
	uint32_t si = stk_index(r, id);
	if (si == UINT32_MAX)
		return 0;
	if (r->stk_intern[si] != UINT32_MAX)
		return r->stk_intern[si];
	uint32_t got = intern_stack_slow(r, si);
	r->stk_intern[si] = got;
	return got;
}

static uint32_t intern_stack_slow(reader *r, uint32_t si)
{
	const gstack *s = &r->stks[si];
	uint64_t h = 1469598103934665603ULL;
	for (uint32_t i = 0; i < s->n; i++)
		h = ms_mix64(h ^ r->frames[s->frame_off + i].pc) + i;
	uint32_t cand = ms_pairmap_get(&r->istk_ix, h, s->n);
	if (cand != UINT32_MAX) {
		/* confirm (a hash collision falls back to a new entry keyed by +1) */
		const ms_gt_frame *f = r->iframes + r->istk[2 * cand];
		bool same = r->istk[2 * cand + 1] == s->n;
		for (uint32_t i = 0; same && i < s->n; i++)
			same = f[i].pc == r->frames[s->frame_off + i].pc;
		if (same)
			return cand;
		h++;
		cand = ms_pairmap_get(&r->istk_ix, h, s->n);
		if (cand != UINT32_MAX)
			return cand;
	}
	MS_GROW(r->istk, r->nistk * 2, r->istk_cap, 2);
	MS_GROW(r->iframes, r->niframes, r->iframes_cap, s->n);
	uint32_t idx = (uint32_t)r->nistk++;
	r->istk[2 * idx] = (uint32_t)r->niframes;
	r->istk[2 * idx + 1] = s->n;
	for (uint32_t i = 0; i < s->n; i++) {
		const gframe *g = &r->frames[s->frame_off + i];
		bool ok;
		const char *fn = gen_string(r, g->func, &ok);
		const char *file = gen_string(r, g->file, &ok);
		ms_gt_frame *f = &r->iframes[r->niframes++];
		f->pc = g->pc;
		/* strtab pointers are stable (arena) */
		f->func = ms_strtab_get(&r->names, ms_strtab_intern0(&r->names, fn));
		f->file = ms_strtab_get(&r->names, ms_strtab_intern0(&r->names, file));
		f->line = (int64_t)g->line;
	}
	ms_pairmap_put(&r->istk_ix, h, s->n, idx);
	return idx;
}

/* Frames of a generation's stack, for immediate delivery. */
static size_t gen_frames(reader *r, uint64_t id, const ms_gt_frame **out)
{
	*out = r->fbuf;
	uint32_t si = id ? stk_index(r, id) : UINT32_MAX;
	if (si == UINT32_MAX)
		return 0;
	const gstack *s = &r->stks[si];
	for (uint32_t i = 0; i < s->n; i++) {
		const gframe *g = &r->frames[s->frame_off + i];
		bool ok;
		r->fbuf[i].pc = g->pc;
		r->fbuf[i].func = gen_string(r, g->func, &ok);
		r->fbuf[i].file = gen_string(r, g->file, &ok);
		r->fbuf[i].line = (int64_t)g->line;
	}
	return s->n;
}

static void gen_reset(reader *r)
{
	r->nbatches = r->ncurs = r->nheap = 0;
	r->nstrs = r->nstks = r->nframes = r->nsamples = r->next_sample = 0;
	ms_buf_reset(&r->strtext);
	memset(r->reason_ptr, 0, sizeof r->reason_ptr);
	idmap_clear(&r->mcurs);
	idmap_clear(&r->strings_ix);
	idmap_clear(&r->stacks_ix);
	r->str_dense = r->stk_dense = NULL; /* their buffers stay allocated */
	r->str_ndense = r->stk_ndense = 0;
	r->str_maxid = r->stk_maxid = 0;
	r->freq = 0;
	r->int_freq = r->int_limit = 0;
}

/* The head of a string or stack table entry: its type byte, id and count.
 * Returns the position after it, NULL after fail(). */
static const uint8_t *table_entry(reader *r, const uint8_t *p, const uint8_t *end, int typ, const char *what,
	uint64_t *id, uint64_t *count)
{
	size_t at = (size_t)(p - r->data);
	if (*p != typ) {
		fail(r, at, "expected a %s table entry, found event type %u", what, *p);
		return NULL;
	}
	p++;
	size_t k1 = uvarint(p, end, id), k2 = k1 ? uvarint(p + k1, end, count) : 0;
	if (!k2) {
		fail(r, at, "bad varint in a %s table entry", what);
		return NULL;
	}
	return p + k1 + k2;
}

static int add_strings(reader *r, size_t off, const uint8_t *p, const uint8_t *end)
{
	p++; /* EvStrings */
	while (p < end) {
		size_t at = (size_t)(p - r->data);
		uint64_t id, len;
		if (!(p = table_entry(r, p, end, EV_STRING, "string", &id, &len)))
			return -1;
		if (len > MAX_STRING)
			return fail(r, at, "string %" PRIu64 " is %" PRIu64 " bytes (at most %u)", id, len, MAX_STRING);
		if ((uint64_t)(end - p) < len)
			return fail(r, at, "string %" PRIu64 " runs past its batch", id);
		if (id == 0 || idmap_get(&r->strings_ix, id) != UINT32_MAX)
			return fail(r, at, "string id %" PRIu64 " defined twice (or 0)", id);
		MS_GROW(r->strs, r->nstrs, r->strs_cap, 1);
		r->strs[r->nstrs].off = (uint32_t)r->strtext.len;
		r->strs[r->nstrs].len = (uint32_t)len;
		ms_buf_add(&r->strtext, p, (size_t)len);
		ms_buf_addch(&r->strtext, 0);
		idmap_put(&r->strings_ix, id, (uint32_t)r->nstrs++);
		if (id > r->str_maxid)
			r->str_maxid = id;
		p += len;
	}
	(void)off;
	return 0;
}

static int add_stacks(reader *r, const uint8_t *p, const uint8_t *end)
{
	p++; /* EvStacks */
	while (p < end) {
		size_t at = (size_t)(p - r->data), k;
		uint64_t id, nf;
		if (!(p = table_entry(r, p, end, EV_STACK, "stack", &id, &nf)))
			return -1;
		if (nf > MAX_FRAMES)
			return fail(r, at, "stack %" PRIu64 " has %" PRIu64 " frames (at most %d)", id, nf, MAX_FRAMES);
		if (id == 0 || idmap_get(&r->stacks_ix, id) != UINT32_MAX)
			return fail(r, at, "stack id %" PRIu64 " defined twice (or 0)", id);
		MS_GROW(r->frames, r->nframes, r->frames_cap, nf);
		uint32_t foff = (uint32_t)r->nframes;
		for (uint64_t i = 0; i < nf; i++) {
			uint64_t v[4];
			for (int j = 0; j < 4; j++) {
				if (!(k = uvarint(p, end, &v[j])))
					return fail(r, at, "bad varint in frame %" PRIu64 " of stack %" PRIu64, i + 1, id);
				p += k;
			}
			gframe *f = &r->frames[r->nframes++];
			f->pc = v[0], f->func = v[1], f->file = v[2], f->line = v[3];
		}
		MS_GROW(r->stks, r->nstks, r->stks_cap, 1);
		r->stks[r->nstks].frame_off = foff;
		r->stks[r->nstks].n = (uint32_t)nf;
		idmap_put(&r->stacks_ix, id, (uint32_t)r->nstks++);
		if (id > r->stk_maxid)
			r->stk_maxid = id;
	}
	return 0;
}

static int add_cpu_samples(reader *r, const uint8_t *p, const uint8_t *end)
{
	p++;
	while (p < end) {
		size_t at = (size_t)(p - r->data);
		if (*p != EV_CPU_SAMPLE)
			return fail(r, at, "expected a CPU sample, found event type %u", *p);
		p++;
		uint64_t v[5];
		for (int j = 0; j < 5; j++) {
			size_t k = uvarint(p, end, &v[j]);
			if (!k)
				return fail(r, at, "bad varint in a CPU sample");
			p += k;
		}
		MS_GROW(r->samples, r->nsamples, r->samples_cap, 1);
		cpusample *s = &r->samples[r->nsamples++];
		s->time = (int64_t)v[0]; /* ticks until the frequency is known */
		s->m = v[1], s->p = v[2], s->g = v[3], s->stack = v[4];
	}
	return 0;
}

static int cmp_sample(const void *a, const void *b)
{
	const cpusample *x = a, *y = b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Reads one batch header at *pos. Returns 1 with the batch, 0 at a clean
 * end of file, 2 when the file ends inside the batch (cut short; hdr_ok
 * when its generation is known), -1 on a corrupt header. */
typedef struct bhdr { bool exp, hdr_ok; uint64_t gen, m, time; size_t body, len; } bhdr;

static int read_batch_header(reader *r, size_t pos, bhdr *h)
{
	const uint8_t *p = r->data + pos, *end = r->data + r->n;
	if (p >= end)
		return 0;
	if (*p != EV_EVENT_BATCH && *p != EV_EXPERIMENTAL_BATCH)
		return fail(r, pos, "expected a batch, found event type %u", *p);
	h->exp = *p == EV_EXPERIMENTAL_BATCH;
	p++;
	if (h->exp) {
		if (p >= end)
			return 2;
		p++;
	}
	uint64_t v[4];
	for (int j = 0; j < 4; j++) {
		size_t k = uvarint(p, end, &v[j]);
		if (!k) {
			/* a varint cut by the end of the file, or a corrupt one */
			if (end - p < 10) {
				const uint8_t *q = p;
				while (q < end && (*q & 0x80))
					q++;
				if (q == end)
					return 2;
			}
			return fail(r, (size_t)(p - r->data), "bad varint in a batch header");
		}
		p += k;
	}
	h->gen = v[0], h->m = v[1], h->time = v[2];
	h->hdr_ok = true;
	if (v[3] > MAX_BATCH)
		return fail(r, pos, "batch of %" PRIu64 " bytes (at most %u)", v[3], MAX_BATCH);
	h->body = (size_t)(p - r->data);
	h->len = (size_t)v[3];
	if (r->n - h->body < h->len)
		return 2;
	return 1;
}

/* ---- scheduling-context checks (order.go validateCtx) --------------------- */

enum { MUST_NOT = 0, MAY = 1, MUST = 2 };

static int ctx_fail(reader *r, const gev *ev, int64_t m, int64_t p, int64_t g, int tm, int pm, int gm)
	__attribute__((cold, noinline));
static int ctx_fail(reader *r, const gev *ev, int64_t m, int64_t p, int64_t g, int tm, int pm, int gm)
{
	const char *what = NULL;
	if (tm == MUST && m == NO_M)
		what = "a thread";
	else if (pm == MUST && p == NO_P)
		what = "a proc";
	else if (pm == MUST_NOT && p != NO_P)
		what = "no proc";
	else if (gm == MUST && g == NO_G)
		what = "a goroutine";
	else if (gm == MUST_NOT && g != NO_G)
		what = "no goroutine";
	if (what)
		return fail(r, ev->off, "event type %u expected %s in its context", ev->typ, what);
	return 0;
}

/* Inlined: with the requirements constant, the common case is a few
 * compares (it runs for most events). */
static inline __attribute__((always_inline)) int check_ctx(reader *r, const gev *ev, int64_t m, int64_t p,
	int64_t g, int tm, int pm, int gm)
{
	if ((tm == MUST && m == NO_M) || (pm == MUST && p == NO_P) || (pm == MUST_NOT && p != NO_P) ||
		(gm == MUST && g == NO_G) || (gm == MUST_NOT && g != NO_G))
		return ctx_fail(r, ev, m, p, g, tm, pm, gm);
	return 0;
}
#define USER_GO_REQS MUST, MUST, MUST /* event.UserGoReqs */

/* ---- state records -------------------------------------------------------- */

static inline __attribute__((always_inline)) gstate *g_find(reader *r, uint64_t id)
{
	if (r->last_gi != UINT32_MAX && r->last_gid == id)
		return &r->gs[r->last_gi];
	uint32_t i = id < DIRECT_G ? (id < r->ngdirect ? r->gdirect[id] : UINT32_MAX) : idmap_get(&r->gix, id);
	if (i == UINT32_MAX)
		return NULL;
	r->last_gid = id, r->last_gi = i;
	return &r->gs[i];
}

static gstate *g_new(reader *r, uint64_t id)
{
	uint32_t i;
	if (r->gfree != UINT32_MAX) {
		i = r->gfree;
		r->gfree = r->gs[i].free_next;
	} else {
		MS_GROW(r->gs, r->ngs, r->gs_cap, 1);
		i = (uint32_t)r->ngs++;
		memset(&r->gs[i], 0, sizeof r->gs[i]);
	}
	gstate *g = &r->gs[i];
	uint64_t *rt = g->reg_task;
	uint32_t *rn = g->reg_name;
	region_iv *mr = g->mreg;
	size_t rc = g->reg_cap, mc = g->mreg_cap;
	memset(g, 0, sizeof *g);
	g->reg_task = rt, g->reg_name = rn, g->mreg = mr, g->reg_cap = rc, g->mreg_cap = mc;
	g->id = id;
	if (id < DIRECT_G) {
		MS_GROW_FILL(r->gdirect, r->ngdirect, id, 1024, 0xff);
		r->gdirect[id] = i;
	} else
		idmap_put(&r->gix, id, i);
	r->goroutines++;
	return g;
}

static void g_del(reader *r, gstate *g)
{
	uint32_t i = (uint32_t)(g - r->gs);
	if (g->id < DIRECT_G)
		r->gdirect[g->id] = UINT32_MAX;
	else
		idmap_del(&r->gix, g->id);
	if (r->last_gi == i)
		r->last_gi = UINT32_MAX;
	g->free_next = r->gfree;
	r->gfree = i;
}

static pstate *p_find(reader *r, int64_t id)
{
	uint32_t i = (uint64_t)id < DIRECT_P ? r->pdirect[id] : idmap_get(&r->pix, (uint64_t)id);
	return i == UINT32_MAX ? NULL : &r->ps[i];
}

static pstate *p_new(reader *r, int64_t id)
{
	MS_GROW(r->ps, r->nps, r->ps_cap, 1);
	pstate *p = &r->ps[r->nps];
	memset(p, 0, sizeof *p);
	if ((uint64_t)id < DIRECT_P)
		r->pdirect[id] = (uint32_t)r->nps++;
	else
		idmap_put(&r->pix, (uint64_t)id, (uint32_t)r->nps++);
	return p;
}

static mstate *m_get(reader *r, int64_t id, bool create)
{
	if (r->last_mi != UINT32_MAX && r->last_mid == id)
		return &r->ms[r->last_mi];
	uint32_t i = idmap_get(&r->mix, (uint64_t)id);
	if (i != UINT32_MAX) {
		r->last_mid = id, r->last_mi = i;
		return &r->ms[i];
	}
	if (!create)
		return NULL;
	MS_GROW(r->ms, r->nms, r->ms_cap, 1);
	mstate *m = &r->ms[r->nms];
	m->g = NO_G, m->p = NO_P;
	idmap_put(&r->mix, (uint64_t)id, (uint32_t)r->nms++);
	return m;
}

static bool seq_succeeds(uint64_t gen, uint64_t seq, uint64_t sgen, uint64_t sseq)
{
	return gen == sgen && seq == sseq + 1;
}

static int range_begin(reader *r, const gev *ev, rng *rs, int *n, uint8_t typ, uint64_t desc)
{
	for (int i = 0; i < *n; i++)
		if (rs[i].typ == typ && rs[i].desc == desc)
			return fail(r, ev->off, "range of event type %u begins twice", typ);
	if (*n == MAX_RANGES)
		return fail(r, ev->off, "too many ranges in flight");
	rs[(*n)++] = (rng){ typ, desc };
	return 0;
}

static int range_active(reader *r, const gev *ev, rng *rs, int *n, uint8_t typ, bool initial)
{
	bool has = false;
	for (int i = 0; i < *n; i++)
		has |= rs[i].typ == typ && rs[i].desc == 0;
	if (initial) {
		if (has)
			return fail(r, ev->off, "active range of event type %u already in flight", typ);
		if (*n == MAX_RANGES)
			return fail(r, ev->off, "too many ranges in flight");
		rs[(*n)++] = (rng){ typ, 0 };
	} else if (!has)
		return fail(r, ev->off, "active range of event type %u was never begun", typ);
	return 0;
}

static int range_end(reader *r, const gev *ev, rng *rs, int *n, uint8_t start, uint64_t *desc)
{
	for (int i = 0; i < *n; i++)
		if (rs[i].typ == start) {
			*desc = rs[i].desc;
			rs[i] = rs[*n - 1];
			(*n)--;
			return 0;
		}
	return fail(r, ev->off, "range of event type %u ends without a begin", ev->typ);
}

/* ---- ordering (order.go Advance) ------------------------------------------ */

#define REG_MATCH 0x80000000u
static bool region_matches(reader *r, uint64_t task, uint32_t name);

/* Queues ev (not copied: consumed before its cursor moves on). */
static void push(reader *r, gev *ev, int64_t m, int64_t p, int64_t g)
{
	ev->m = m, ev->p = p, ev->g = g;
	r->queue[r->nq++] = ev;
}

static void push_synth(reader *r, const gev *ev, uint8_t typ, int64_t m, int64_t p, int64_t g, uint64_t a0,
	uint64_t a1)
{
	gev *e = &r->synth[r->nq];
	memset(e, 0, sizeof *e);
	e->typ = typ;
	e->time = ev->time;
	e->off = ev->off;
	e->args[0] = a0, e->args[1] = a1;
	push(r, e, m, p, g);
}

/* Returns 1 advanced, 0 not ready, -1 error. */
static int advance(reader *r, gev *ev, int64_t mid, uint32_t *mi)
{
	uint64_t gen = r->gen;
	if (r->initial_gen == 0)
		r->initial_gen = gen;
	bool initial = gen == r->initial_gen;
	mstate *ms = NULL;
	int64_t cm = mid, cp = NO_P, cg = NO_G; /* curCtx */
	if (mid != NO_M) {
		if (*mi == UINT32_MAX)
			*mi = (uint32_t)(m_get(r, mid, true) - r->ms);
		ms = &r->ms[*mi];
		cp = ms->p, cg = ms->g;
	}
	int64_t np = cp, ng = cg; /* newCtx */
	const uint64_t *a = ev->args;
	gstate *gs;
	pstate *ps;

	switch (ev->typ) {
	case EV_PROC_STATUS: {
		int64_t pid = (int64_t)a[0];
		uint64_t status = a[1];
		if (status > PROC_SYSCALL_ABANDONED)
			return fail(r, ev->off, "invalid status %" PRIu64 " for proc %" PRId64, status, pid);
		bool old_running = status == PROC_RUNNING || status == PROC_SYSCALL;
		if ((ps = p_find(r, pid))) {
			if (status == PROC_SYSCALL_ABANDONED && ps->status == PROC_SYSCALL) {
				old_running = true;
				ev->args[1] = PROC_SYSCALL;
			} else if (status == PROC_SYSCALL_ABANDONED && ps->status == PROC_SYSCALL_ABANDONED) {
				old_running = false;
				ev->args[1] = PROC_SYSCALL_ABANDONED;
			} else if (ps->status != status)
				return fail(r, ev->off, "inconsistent status for proc %" PRId64, pid);
			ps->seq_gen = gen, ps->seq = 0;
		} else {
			ps = p_new(r, pid);
			ps->status = (uint8_t)status, ps->seq_gen = gen, ps->seq = 0;
			old_running = false;
		}
		if (status == PROC_RUNNING || status == PROC_SYSCALL)
			np = pid;
		if (status == PROC_SYSCALL_ABANDONED && old_running) {
			bool found = false;
			for (size_t i = 0; i < r->nms; i++)
				if (r->ms[i].p == pid) {
					found = true;
					cp = pid, cg = r->ms[i].g;
				}
			if (!found)
				return fail(r, ev->off, "no thread holds proc %" PRId64 " that is about to be stolen", pid);
		}
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_PROC_START: {
		int64_t pid = (int64_t)a[0];
		ps = p_find(r, pid);
		if (!ps || ps->status != PROC_IDLE || !seq_succeeds(gen, a[1], ps->seq_gen, ps->seq) || cp != NO_P)
			return 0;
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST_NOT, MAY) < 0)
			return -1;
		ps->status = PROC_RUNNING, ps->seq_gen = gen, ps->seq = a[1];
		np = pid;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_PROC_STOP:
		if (!(ps = p_find(r, cp)))
			return fail(r, ev->off, "ProcStop for a proc that does not exist");
		if (ps->status != PROC_RUNNING && ps->status != PROC_SYSCALL)
			return fail(r, ev->off, "ProcStop for a proc that is not running");
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MAY) < 0)
			return -1;
		ps->status = PROC_IDLE;
		np = NO_P;
		push(r, ev, cm, cp, cg);
		break;
	case EV_PROC_STEAL: {
		int64_t pid = (int64_t)a[0];
		ps = p_find(r, pid);
		if (!ps || (ps->status != PROC_SYSCALL && ps->status != PROC_SYSCALL_ABANDONED) ||
			!seq_succeeds(gen, a[1], ps->seq_gen, ps->seq))
			return 0;
		if (check_ctx(r, ev, cm, cp, cg, MUST, MAY, MAY) < 0)
			return -1;
		uint8_t old = ps->status;
		ev->extra[0] = old;
		ps->status = PROC_IDLE, ps->seq_gen = gen, ps->seq = a[1];
		if (old == PROC_SYSCALL_ABANDONED) {
			push(r, ev, cm, cp, cg);
			break;
		}
		int64_t victim = (int64_t)a[2];
		if (victim == cm) {
			if (cp != pid)
				return fail(r, ev->off, "self-steal of proc %" PRId64 " by a thread holding another", pid);
			np = NO_P;
			push(r, ev, cm, cp, cg);
			break;
		}
		mstate *vm = m_get(r, victim, false);
		if (!vm)
			return fail(r, ev->off, "proc stolen from thread %" PRId64 " that does not exist", victim);
		if (vm->p != pid)
			return fail(r, ev->off, "proc %" PRId64 " stolen from a thread that does not hold it", pid);
		vm->p = NO_P;
		if (mid != NO_M) /* vm may have moved */
			ms = m_get(r, mid, true);
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_GO_STATUS:
	case EV_GO_STATUS_STACK: {
		uint64_t gid = a[0];
		int64_t gm = (int64_t)a[1];
		uint64_t status = a[2];
		if (status > GO_WAITING || status == GO_BAD)
			return fail(r, ev->off, "invalid status %" PRIu64 " for goroutine %" PRIu64, status, gid);
		uint8_t old = wire2state[status];
		if ((gs = g_find(r, gid)) && gs->in_order) {
			if (gs->status != status)
				return fail(r, ev->off, "inconsistent status for goroutine %" PRIu64, gid);
			gs->seq_gen = gen, gs->seq = 0;
		} else if (initial) {
			if (!gs)
				gs = g_new(r, gid);
			gs->in_order = true;
			gs->status = (uint8_t)status, gs->seq_gen = gen, gs->seq = 0;
			old = GS_UNDET;
		} else
			return fail(r, ev->off, "status of goroutine %" PRIu64 " that is new after the first generation",
				gid);
		ev->extra[0] = old;
		if (status == GO_RUNNING)
			ng = (int64_t)gid;
		else if (status == GO_SYSCALL) {
			if (gm == NO_M)
				return fail(r, ev->off, "goroutine %" PRIu64 " in a syscall without a thread", gid);
			if (gm == cm) {
				if (!initial && cg != (int64_t)gid)
					return fail(r, ev->off, "inconsistent thread for syscalling goroutine %" PRIu64, gid);
				ng = (int64_t)gid;
			} else {
				mstate *om = m_get(r, gm, false);
				if (om) {
					if (om->g != (int64_t)gid)
						return fail(r, ev->off, "inconsistent thread for syscalling goroutine %" PRIu64,
							gid);
					cg = om->g;
				} else {
					om = m_get(r, gm, true);
					om->g = (int64_t)gid, om->p = NO_P;
					if (mid != NO_M)
						ms = m_get(r, mid, true);
				}
				cm = gm;
			}
		}
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_GO_CREATE:
	case EV_GO_CREATE_BLOCKED: {
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MAY) < 0)
			return -1;
		gstate *cur = cg != NO_G ? g_find(r, (uint64_t)cg) : NULL;
		if (cur && cur->in_order && cur->status != GO_RUNNING)
			return fail(r, ev->off, "GoCreate by a goroutine that is not running");
		gs = g_find(r, a[0]);
		if (gs && gs->in_order)
			return fail(r, ev->off, "goroutine %" PRIu64 " created twice", a[0]);
		if (!gs)
			gs = g_new(r, a[0]);
		gs->in_order = true;
		gs->status = ev->typ == EV_GO_CREATE_BLOCKED ? GO_WAITING : GO_RUNNABLE;
		gs->seq_gen = gen, gs->seq = 0;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_GO_DESTROY:
	case EV_GO_STOP:
	case EV_GO_BLOCK:
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "event type %u for goroutine %" PRId64 " that does not exist", ev->typ, cg);
		if (gs->status != GO_RUNNING)
			return fail(r, ev->off, "event type %u for a goroutine that is not running", ev->typ);
		if (ev->typ == EV_GO_DESTROY)
			gs->in_order = false;
		else
			gs->status = ev->typ == EV_GO_STOP ? GO_RUNNABLE : GO_WAITING;
		ng = NO_G;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_START:
		gs = g_find(r, a[0]);
		if (!gs || !gs->in_order || gs->status != GO_RUNNABLE || !seq_succeeds(gen, a[1], gs->seq_gen, gs->seq))
			return 0;
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MUST_NOT) < 0)
			return -1;
		gs->status = GO_RUNNING, gs->seq_gen = gen, gs->seq = a[1];
		ng = (int64_t)a[0];
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_UNBLOCK:
		gs = g_find(r, a[0]);
		if (!gs || !gs->in_order || gs->status != GO_WAITING || !seq_succeeds(gen, a[1], gs->seq_gen, gs->seq))
			return 0;
		gs->status = GO_RUNNABLE, gs->seq_gen = gen, gs->seq = a[1];
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_SWITCH:
	case EV_GO_SWITCH_DESTROY: {
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		gstate *cur = g_find(r, (uint64_t)cg);
		if (!cur || !cur->in_order)
			return fail(r, ev->off, "GoSwitch for goroutine %" PRId64 " that does not exist", cg);
		if (cur->status != GO_RUNNING)
			return fail(r, ev->off, "GoSwitch for a goroutine that is not running");
		gs = g_find(r, a[0]);
		if (!gs || !gs->in_order || gs->status != GO_WAITING || !seq_succeeds(gen, a[1], gs->seq_gen, gs->seq))
			return 0;
		push(r, ev, cm, cp, cg);
		if (ev->typ == EV_GO_SWITCH) {
			cur->status = GO_WAITING;
			push_synth(r, ev, EV_GO_BLOCK, cm, cp, cg, 0, 0);
		} else {
			cur->in_order = false;
			push_synth(r, ev, EV_GO_DESTROY, cm, cp, cg, 0, 0);
		}
		gs->status = GO_RUNNING, gs->seq_gen = gen, gs->seq = a[1];
		ng = (int64_t)a[0];
		push_synth(r, ev, EV_GO_START, cm, cp, NO_G, a[0], a[1]);
		break;
	}
	case EV_GO_SYSCALL_BEGIN:
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "GoSyscallBegin for goroutine %" PRId64 " that does not exist", cg);
		if (gs->status != GO_RUNNING)
			return fail(r, ev->off, "GoSyscallBegin for a goroutine that is not running");
		gs->status = GO_SYSCALL;
		if (!(ps = p_find(r, cp)))
			return fail(r, ev->off, "GoSyscallBegin on an unknown proc %" PRId64, cp);
		ps->status = PROC_SYSCALL;
		if (!seq_succeeds(gen, a[0], ps->seq_gen, ps->seq))
			return fail(r, ev->off, "GoSyscallBegin out of sequence for proc %" PRId64, cp);
		ps->seq_gen = gen, ps->seq = a[0];
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_SYSCALL_END:
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "GoSyscallEnd for goroutine %" PRId64 " that does not exist", cg);
		if (gs->status != GO_SYSCALL)
			return fail(r, ev->off, "GoSyscallEnd for a goroutine that is not in a syscall");
		gs->status = GO_RUNNING;
		if (!(ps = p_find(r, cp)))
			return fail(r, ev->off, "GoSyscallEnd on an unknown proc %" PRId64, cp);
		if (ps->status != PROC_SYSCALL)
			return fail(r, ev->off, "GoSyscallEnd on proc %" PRId64 " that is not in a syscall", cp);
		ps->status = PROC_RUNNING;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_SYSCALL_END_BLOCKED:
		if (cp != NO_P) {
			if (!(ps = p_find(r, cp)))
				return fail(r, ev->off, "GoSyscallEndBlocked on an unknown proc %" PRId64, cp);
			if (ps->status == PROC_SYSCALL)
				return 0;
		}
		if (check_ctx(r, ev, cm, cp, cg, MUST, MAY, MUST) < 0)
			return -1;
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "GoSyscallEndBlocked for goroutine %" PRId64 " that does not exist", cg);
		if (gs->status != GO_SYSCALL)
			return fail(r, ev->off, "GoSyscallEndBlocked for a goroutine that is not in a syscall");
		ng = NO_G;
		gs->status = GO_RUNNABLE;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_CREATE_SYSCALL:
		if (check_ctx(r, ev, cm, cp, cg, MUST, MAY, MUST_NOT) < 0)
			return -1;
		gs = g_find(r, a[0]);
		if (gs && gs->in_order)
			return fail(r, ev->off, "goroutine %" PRIu64 " created twice", a[0]);
		if (!gs)
			gs = g_new(r, a[0]);
		gs->in_order = true, gs->status = GO_SYSCALL, gs->seq_gen = gen, gs->seq = 0;
		ng = (int64_t)a[0];
		push(r, ev, cm, cp, cg);
		break;
	case EV_GO_DESTROY_SYSCALL:
		if (check_ctx(r, ev, cm, cp, cg, MUST, MAY, MUST) < 0)
			return -1;
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "GoDestroySyscall for goroutine %" PRId64 " that does not exist", cg);
		if (gs->status != GO_SYSCALL)
			return fail(r, ev->off, "GoDestroySyscall for a goroutine that is not in a syscall");
		gs->in_order = false;
		ng = NO_G;
		if (cp != NO_P) {
			if (!(ps = p_find(r, cp)))
				return fail(r, ev->off, "GoDestroySyscall on an unknown proc %" PRId64, cp);
			if (ps->status != PROC_SYSCALL)
				return fail(r, ev->off, "GoDestroySyscall on proc %" PRId64 " not in a syscall", cp);
			ps->status = PROC_SYSCALL_ABANDONED;
			np = NO_P;
			push_synth(r, ev, EV_PROC_STEAL, cm, cp, cg, (uint64_t)cp, 0);
			r->queue[r->nq - 1]->extra[0] = PROC_SYSCALL;
		}
		push(r, ev, cm, cp, cg);
		break;
	case EV_USER_TASK_BEGIN: {
		if (idmap_get(&r->tasks, a[0]) != UINT32_MAX)
			return fail(r, ev->off, "task id %" PRIu64 " begins twice", a[0]);
		bool ok;
		const char *name = gen_string(r, a[2], &ok);
		if (!ok)
			return fail(r, ev->off, "string id %" PRIu64 " out of range", a[2]);
		uint32_t ti;
		if (r->task_free != UINT32_MAX) {
			ti = r->task_free;
			r->task_free = (uint32_t)r->task_names[ti];
		} else {
			MS_GROW(r->task_names, r->ntasks, r->tasks_cap, 1);
			ti = (uint32_t)r->ntasks++;
		}
		r->task_names[ti] = ms_strtab_intern0(&r->names, name);
		idmap_put(&r->tasks, a[0], ti);
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_USER_TASK_END: {
		uint32_t ti = idmap_get(&r->tasks, a[0]);
		if (ti != UINT32_MAX) {
			idmap_del(&r->tasks, a[0]);
			r->task_names[ti] = r->task_free;
			r->task_free = ti;
		}
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_USER_REGION_BEGIN:
	case EV_USER_REGION_END: {
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		bool ok;
		const char *name = gen_string(r, a[1], &ok);
		if (!ok)
			return fail(r, ev->off, "string id %" PRIu64 " out of range", a[1]);
		gs = g_find(r, (uint64_t)cg);
		if (!gs || !gs->in_order)
			return fail(r, ev->off, "user region on goroutine %" PRId64 " of unknown state", cg);
		uint32_t nid = ms_strtab_intern0(&r->names, name);
		if (ev->typ == EV_USER_REGION_BEGIN) {
			/* the name's top bit: the region matches --region/--task */
			uint32_t match = region_matches(r, a[0], nid) ? REG_MATCH : 0;
			MS_GROW(gs->reg_task, gs->nreg, gs->reg_cap, 1);
			gs->reg_name = ms_xreallocarray(gs->reg_name, gs->reg_cap, sizeof *gs->reg_name);
			gs->reg_task[gs->nreg] = a[0];
			gs->reg_name[gs->nreg++] = nid | match;
		} else if (gs->nreg) {
			if (gs->reg_task[gs->nreg - 1] != a[0] || (gs->reg_name[gs->nreg - 1] & ~REG_MATCH) != nid)
				return fail(r, ev->off, "user region '%s' ends out of order on goroutine %" PRId64, name,
					cg);
			/* the consumer pops it */
		}
		ev->extra[0] = nid;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_GC_ACTIVE:
		if (initial) {
			if (r->gc_state != 0)
				return fail(r, ev->off, "GCActive is not the first GC event of the first generation");
			r->gc_seq = a[0], r->gc_state = 2;
			push(r, ev, cm, cp, cg);
			break;
		}
		if (a[0] != r->gc_seq + 1)
			return 0;
		if (r->gc_state != 2)
			return fail(r, ev->off, "GCActive while no GC is running");
		r->gc_seq = a[0];
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_BEGIN:
		if (r->gc_state == 0) {
			r->gc_seq = a[0], r->gc_state = 2;
			push(r, ev, cm, cp, cg);
			break;
		}
		if (a[0] != r->gc_seq + 1)
			return 0;
		if (r->gc_state == 2)
			return fail(r, ev->off, "GCBegin while a GC is running");
		r->gc_seq = a[0], r->gc_state = 2;
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_END:
		if (a[0] != r->gc_seq + 1)
			return 0;
		if (r->gc_state != 2)
			return fail(r, ev->off, "GCEnd while no GC is running");
		r->gc_seq = a[0], r->gc_state = 1;
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_PROCS_CHANGE:
	case EV_GO_LABEL:
	case EV_USER_LOG:
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_HEAP_ALLOC:
	case EV_HEAP_GOAL:
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MAY) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_SWEEP_BEGIN:
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MAY) < 0)
			return -1;
		if (!(ps = p_find(r, cp)))
			return fail(r, ev->off, "sweep on an unknown proc %" PRId64, cp);
		if (range_begin(r, ev, ps->ranges, &ps->nranges, EV_GC_SWEEP_BEGIN, 0) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_SWEEP_ACTIVE:
		if (!(ps = p_find(r, (int64_t)a[0])))
			return fail(r, ev->off, "GCSweepActive for an unknown proc %" PRIu64, a[0]);
		if (range_active(r, ev, ps->ranges, &ps->nranges, EV_GC_SWEEP_BEGIN, initial) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_SWEEP_END: {
		if (check_ctx(r, ev, cm, cp, cg, MUST, MUST, MAY) < 0)
			return -1;
		uint64_t d;
		if (!(ps = p_find(r, cp)))
			return fail(r, ev->off, "sweep on an unknown proc %" PRId64, cp);
		if (range_end(r, ev, ps->ranges, &ps->nranges, EV_GC_SWEEP_BEGIN, &d) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	}
	case EV_STW_BEGIN:
	case EV_GC_MARK_ASSIST_BEGIN:
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		if (!(gs = g_find(r, (uint64_t)cg)) || !gs->in_order)
			return fail(r, ev->off, "event type %u on goroutine %" PRId64 " of unknown state", ev->typ, cg);
		uint64_t desc = 0;
		if (ev->typ == EV_STW_BEGIN) {
			/* the reason outlives the generation: keep it interned */
			bool ok;
			const char *why = gen_string(r, a[0], &ok);
			if (!ok)
				return fail(r, ev->off, "string id %" PRIu64 " out of range", a[0]);
			desc = ms_strtab_intern0(&r->names, why);
		}
		if (range_begin(r, ev, gs->ranges, &gs->nranges, ev->typ, desc) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_GC_MARK_ASSIST_ACTIVE:
		if (!(gs = g_find(r, a[0])) || !gs->in_order)
			return fail(r, ev->off, "GCMarkAssistActive for unknown goroutine %" PRIu64, a[0]);
		if (range_active(r, ev, gs->ranges, &gs->nranges, EV_GC_MARK_ASSIST_BEGIN, initial) < 0)
			return -1;
		push(r, ev, cm, cp, cg);
		break;
	case EV_STW_END:
	case EV_GC_MARK_ASSIST_END: {
		if (check_ctx(r, ev, cm, cp, cg, USER_GO_REQS) < 0)
			return -1;
		if (!(gs = g_find(r, (uint64_t)cg)) || !gs->in_order)
			return fail(r, ev->off, "event type %u on goroutine %" PRId64 " of unknown state", ev->typ, cg);
		uint64_t d;
		if (range_end(r, ev, gs->ranges, &gs->nranges, (uint8_t)specs[ev->typ].start, &d) < 0)
			return -1;
		if (ev->typ == EV_STW_END)
			ev->args[0] = d;
		push(r, ev, cm, cp, cg);
		break;
	}
	default:
		if (ev->typ >= EV_EXP_FIRST && ev->typ <= EV_EXP_LAST) {
			if (check_ctx(r, ev, cm, cp, cg, MUST, MAY, MAY) < 0)
				return -1;
			push(r, ev, cm, cp, cg);
			break;
		}
		return fail(r, ev->off, "event type %u cannot be ordered", ev->typ);
	}
	if (ms) {
		ms = &r->ms[*mi]; /* r->ms may have moved */
		ms->p = np, ms->g = ng;
	}
	return 1;
}

/* ---- consumers ------------------------------------------------------------ */

/* The wait flame graph's root frame for a blocking reason. The runtime's
 * "sync" covers every semaphore wait; the stack's innermost sync.(*T)
 * method tells which type (Mutex, RWMutex, WaitGroup, ...). */
static const char *why_name(reader *r, const char *reason, uint64_t stack, char *buf, size_t n)
{
	if (strcmp(reason, "sync.(*Cond).Wait") == 0)
		return "sync.Cond";
	if (strcmp(reason, "sync") != 0)
		return reason;
	const ms_gt_frame *f;
	size_t nf = gen_frames(r, stack, &f);
	for (size_t i = 0; i < nf && i < 4; i++)
		if (strncmp(f[i].func, "sync.(*", 7) == 0) {
			const char *e = strchr(f[i].func + 7, ')');
			if (e) {
				snprintf(buf, n, "sync.%.*s", (int)(e - (f[i].func + 7)), f[i].func + 7);
				return buf;
			}
		}
	return "sync";
}

static bool kind_reason(reader *r, int k, const char *reason)
{
	switch (k) {
	case MS_GT_SYNC: {
		/* a few distinct reasons per generation: cache by address (the
		 * cache is cleared with the generation's strings) */
		size_t h = ((uintptr_t)reason >> 3) % REASON_CACHE;
		if (r->reason_ptr[h] != reason) {
			r->reason_ptr[h] = reason;
			r->reason_sync[h] = strstr(reason, "chan") || strstr(reason, "sync") || strstr(reason, "select");
		}
		return r->reason_sync[h];
	}
	case MS_GT_NET:
		return strcmp(reason, "network") == 0;
	default:
		return true;
	}
}

static const uint8_t kind_state[MS_GT_NKINDS] = { GS_WAITING, GS_WAITING, GS_SYSCALL, GS_RUNNABLE };

static int64_t overlap(int64_t s1, int64_t e1, int64_t s2, int64_t e2)
{
	if (e1 < s2 || e2 < s1)
		return 0;
	return (e1 < e2 ? e1 : e2) - (s1 > s2 ? s1 : s2);
}

/* (out of line, as tracker_start: the transitions that do neither stay
 * small) */
static int emit_interval(reader *r, gstate *g, int k, int64_t end) __attribute__((noinline));
static int emit_interval(reader *r, gstate *g, int k, int64_t end)
{
	tracker *t = &g->tr[k];
	t->on = false;
	int64_t d;
	if (r->region_name != UINT32_MAX || r->task_name != UINT32_MAX) {
		d = 0;
		for (size_t i = 0; i < g->nmreg; i++) {
			int64_t o = overlap(g->mreg[i].start, g->mreg[i].end, t->start, end);
			if (o > 0)
				d += o;
		}
		if (g->match_depth > 0) {
			int64_t o = overlap(g->match_start, INT64_MAX, t->start, end);
			if (o > 0)
				d += o;
		}
		/* drop closed regions no open interval can reach */
		int64_t low = INT64_MAX;
		for (int j = 0; j < MS_GT_NKINDS; j++)
			if (g->tr[j].on && g->tr[j].start < low)
				low = g->tr[j].start;
		size_t n = 0;
		for (size_t i = 0; i < g->nmreg; i++)
			if (g->mreg[i].end >= low)
				g->mreg[n++] = g->mreg[i];
		g->nmreg = n;
	} else {
		/* clip to [first run, ...): the goroutine's end is never before
		 * a transition of its own */
		int64_t gs = g->start_time;
		d = overlap(gs, INT64_MAX, t->start, end);
	}
	if (d <= 0)
		return 0;
	r->st->kind_count[k]++;
	r->st->kind_ns[k] += d;
	if (!r->sink->interval)
		return 0;
	ms_gt_interval iv = { 0 };
	iv.kind = (ms_gt_kind)k;
	iv.why = ms_strtab_get(&r->names, t->why);
	iv.goid = g->id;
	iv.end_ns = end - r->t0;
	iv.start_ns = iv.end_ns - d;
	iv.frames = r->iframes + (t->stack ? r->istk[2 * t->stack] : 0);
	iv.nframes = t->stack ? r->istk[2 * t->stack + 1] : 0;
	iv.stack_id = t->stack;
	if (r->sink->interval(r->sink->ctx, &iv)) {
		r->failed = true;
		return -1;
	}
	return 0;
}

static int gc_emit(reader *r, ms_gt_gc_what what, const gev *ev, uint64_t seq, uint64_t goid, int64_t proc,
	uint64_t value, const char *reason)
{
	if (!r->sink->gc)
		return 0;
	ms_gt_gc_event e = { what, ev->time - r->t0, seq, goid, proc, value, reason };
	if (r->sink->gc(r->sink->ctx, &e)) {
		r->failed = true;
		return -1;
	}
	return 0;
}

/* The interned root-frame name of an interval of kind k (cached per
 * generation's stack for sync waits, the common case). */
static uint32_t why_id(reader *r, int k, const char *reason, uint64_t stack)
{
	if (k != MS_GT_SYNC) {
		if (r->why_fixed[k] == 0)
			r->why_fixed[k] = ms_strtab_intern0(&r->names, k == MS_GT_NET ? "network"
				: k == MS_GT_SYSCALL ? "syscall" : "runnable");
		return r->why_fixed[k];
	}
	uint32_t si = stk_index(r, stack);
	bool cache = strcmp(reason, "sync") == 0 && si != UINT32_MAX;
	if (cache && r->stk_why[si] != UINT32_MAX)
		return r->stk_why[si];
	char buf[128];
	uint32_t id = ms_strtab_intern0(&r->names, why_name(r, reason, stack, buf, sizeof buf));
	if (cache)
		r->stk_why[si] = id;
	return id;
}

static void tracker_start(reader *r, tracker *t, int k, const gev *ev, const char *reason, uint64_t stack)
	__attribute__((noinline));
static void tracker_start(reader *r, tracker *t, int k, const gev *ev, const char *reason, uint64_t stack)
{
	t->on = true;
	t->start = ev->time;
	t->stack = intern_stack(r, stack);
	t->why = why_id(r, k, reason, stack);
}

/* The trackers at a transition into state nw (with a stack, or under the
 * fixed rules). */
static int trackers(reader *r, gstate *g, const gev *ev, uint8_t nw, const char *reason, uint64_t stack)
	__attribute__((noinline));
static int trackers(reader *r, gstate *g, const gev *ev, uint8_t nw, const char *reason, uint64_t stack)
{
	for (int k = 0; k < MS_GT_NKINDS; k++) {
		tracker *t = &g->tr[k];
		if (!t->on) {
			if (stack && nw == kind_state[k] && (k >= MS_GT_SYSCALL || kind_reason(r, k, reason)))
				tracker_start(r, t, k, ev, reason, stack);
			continue;
		}
		if (nw == kind_state[k])
			continue;
		if (emit_interval(r, g, k, ev->time) < 0)
			return -1;
	}
	return 0;
}

/* A goroutine state transition: summary (first run) and the trackers. */
static int transition(reader *r, const gev *ev, uint64_t gid, uint8_t old, uint8_t nw, const char *reason,
	uint64_t stack)
{
	gstate *g = g_find(r, gid);
	if (!g)
		return 0; /* cannot happen after a successful advance */
	if (old != nw && nw == GS_RUNNING && g->start_time == 0)
		g->start_time = ev->time;
	/* a transition without a stack neither starts nor (Go's rules) ends
	 * an interval: most of them skip the trackers */
	if ((stack || r->opts->rules == MS_GT_RULES_FIXED) && trackers(r, g, ev, nw, reason, stack) < 0)
		return -1;
	/* mark workers stop working when they stop running */
	if (g->gc_worker && old == GS_RUNNING && nw != GS_RUNNING) {
		g->gc_worker = false;
		if (gc_emit(r, MS_GT_WORKER_END, ev, 0, gid, ev->p, 0, NULL) < 0)
			return -1;
	}
	/* an assist is GC time only while its goroutine runs (internal/trace's
	 * MutatorUtilizationV2: an assisting goroutine that blocks stops
	 * counting until it runs again) */
	if (g->in_assist && old != nw) {
		if (old == GS_RUNNING && gc_emit(r, MS_GT_ASSIST_PAUSE, ev, 0, gid, ev->p, 0, NULL) < 0)
			return -1;
		if (nw == GS_RUNNING && gc_emit(r, MS_GT_ASSIST_RESUME, ev, 0, gid, ev->p, 0, NULL) < 0)
			return -1;
	}
	/* GoState.Executing() (internal/trace/resources.go): running or in a syscall */
	bool ex_old = old == GS_RUNNING || old == GS_SYSCALL, ex_new = nw == GS_RUNNING || nw == GS_SYSCALL;
	if (ex_old != ex_new && gc_emit(r, MS_GT_GO_EXEC, ev, 0, gid, ev->p, ex_new, NULL) < 0)
		return -1;
	return 0;
}

/* Marks goroutine goid as assisting (or not) for the transitions above. */
static void set_assist(reader *r, uint64_t goid, bool on)
{
	gstate *g = g_find(r, goid);
	if (g)
		g->in_assist = on;
}

static bool region_matches(reader *r, uint64_t task, uint32_t name)
{
	if (r->region_name != UINT32_MAX && name != r->region_name)
		return false;
	if (r->task_name != UINT32_MAX) {
		uint32_t ti = task ? idmap_get(&r->tasks, task) : UINT32_MAX;
		if (ti == UINT32_MAX || r->task_names[ti] != r->task_name)
			return false;
	}
	return true;
}

static int consume(reader *r, gev *ev)
{
	/* times strictly increase (reader.go) */
	if (ev->time <= r->last_ts)
		ev->time = r->last_ts + 1;
	r->last_ts = ev->time;
	if (!r->have_t0) {
		r->t0 = ev->time;
		r->have_t0 = true;
	}
	if (ev->typ == EV_SYNTH_SYNC)
		return 0;
	/* table ids must exist in this generation (Event.validateTableIDs) */
	uint64_t stk = 0;
	if (r->tabrefs[ev->typ]) {
		const spec *s = &specs[ev->typ];
		uint8_t t = r->tabrefs[ev->typ];
		if (((t & TR_STACK) && !gen_stack_ok(r, ev->args[s->stack])) ||
			((t & TR_STACK2) && !gen_stack_ok(r, ev->args[s->stack2])))
			return fail(r, ev->off, "stack id out of range for this generation (event type %u)", ev->typ);
		bool ok = true;
		if (t & TR_STR1)
			gen_string(r, ev->args[s->str1], &ok);
		if (ok && (t & TR_STR2))
			gen_string(r, ev->args[s->str2], &ok);
		if (!ok)
			return fail(r, ev->off, "string id out of range for this generation (event type %u)", ev->typ);
		if (t & TR_STACK)
			stk = ev->args[s->stack];
	}
	r->st->events++;
	const uint64_t *a = ev->args;
	bool ok;
	switch (ev->typ) {
	case EV_GO_CREATE:
	case EV_GO_CREATE_BLOCKED:
		return transition(r, ev, a[0], GS_NOTEXIST, ev->typ == EV_GO_CREATE ? GS_RUNNABLE : GS_WAITING, "", stk);
	case EV_GO_CREATE_SYSCALL:
		return transition(r, ev, a[0], GS_NOTEXIST, GS_SYSCALL, "", 0);
	case EV_GO_START:
		return transition(r, ev, a[0], GS_RUNNABLE, GS_RUNNING, "", 0);
	case EV_GO_DESTROY:
	case EV_GO_DESTROY_SYSCALL: {
		if (transition(r, ev, (uint64_t)ev->g, ev->typ == EV_GO_DESTROY ? GS_RUNNING : GS_SYSCALL, GS_NOTEXIST, "",
			    0) < 0)
			return -1;
		gstate *g = g_find(r, (uint64_t)ev->g);
		if (g && !g->in_order)
			g_del(r, g);
		return 0;
	}
	case EV_GO_STOP:
		return transition(r, ev, (uint64_t)ev->g, GS_RUNNING, GS_RUNNABLE, gen_string(r, a[0], &ok), stk);
	case EV_GO_BLOCK:
		return transition(r, ev, (uint64_t)ev->g, GS_RUNNING, GS_WAITING, gen_string(r, a[0], &ok), stk);
	case EV_GO_UNBLOCK:
	case EV_GO_SWITCH:
	case EV_GO_SWITCH_DESTROY:
		return transition(r, ev, a[0], GS_WAITING, GS_RUNNABLE, "", stk);
	case EV_GO_SYSCALL_BEGIN:
		return transition(r, ev, (uint64_t)ev->g, GS_RUNNING, GS_SYSCALL, "", stk);
	case EV_GO_SYSCALL_END:
		return transition(r, ev, (uint64_t)ev->g, GS_SYSCALL, GS_RUNNING, "", 0);
	case EV_GO_SYSCALL_END_BLOCKED:
		return transition(r, ev, (uint64_t)ev->g, GS_SYSCALL, GS_RUNNABLE, "", 0);
	case EV_GO_STATUS:
	case EV_GO_STATUS_STACK:
		return transition(r, ev, a[0], (uint8_t)ev->extra[0], wire2state[a[2]], "", stk);
	case EV_PROCS_CHANGE:
		if ((int64_t)a[0] > r->st->max_procs && a[0] < (uint64_t)INT64_MAX)
			r->st->max_procs = (int64_t)a[0];
		return gc_emit(r, MS_GT_PROCS, ev, 0, 0, ev->p, a[0], NULL);
	case EV_GC_BEGIN:
		r->st->gc_cycles++;
		return gc_emit(r, MS_GT_GC_BEGIN, ev, a[0], 0, ev->p, 0, NULL);
	case EV_GC_ACTIVE:
		if (r->gen == r->initial_gen)
			return gc_emit(r, MS_GT_GC_BEGIN, ev, a[0], 0, ev->p, 0, NULL);
		return 0;
	case EV_GC_END:
		return gc_emit(r, MS_GT_GC_END, ev, a[0], 0, ev->p, 0, NULL);
	case EV_STW_BEGIN:
		return gc_emit(r, MS_GT_STW_BEGIN, ev, 0, (uint64_t)ev->g, ev->p, 0, gen_string(r, a[0], &ok));
	case EV_STW_END: /* args[0]: the interned reason of its begin */
		return gc_emit(r, MS_GT_STW_END, ev, 0, (uint64_t)ev->g, ev->p, 0,
			a[0] < r->names.n ? ms_strtab_get(&r->names, (uint32_t)a[0]) : "");
	case EV_HEAP_ALLOC:
		return gc_emit(r, MS_GT_HEAP_ALLOC, ev, 0, 0, ev->p, a[0], NULL);
	case EV_HEAP_GOAL:
		return gc_emit(r, MS_GT_HEAP_GOAL, ev, 0, 0, ev->p, a[0], NULL);
	case EV_GC_MARK_ASSIST_BEGIN:
		set_assist(r, (uint64_t)ev->g, true);
		return gc_emit(r, MS_GT_ASSIST_BEGIN, ev, 0, (uint64_t)ev->g, ev->p, 0, NULL);
	case EV_GC_MARK_ASSIST_ACTIVE:
		if (r->gen == r->initial_gen) {
			set_assist(r, a[0], true);
			return gc_emit(r, MS_GT_ASSIST_BEGIN, ev, 0, a[0], ev->p, 1, NULL); /* value 1: active */
		}
		return 0;
	case EV_GC_MARK_ASSIST_END:
		set_assist(r, (uint64_t)ev->g, false);
		return gc_emit(r, MS_GT_ASSIST_END, ev, 0, (uint64_t)ev->g, ev->p, 0, NULL);
	case EV_GC_SWEEP_BEGIN:
		return gc_emit(r, MS_GT_SWEEP_BEGIN, ev, 0, (uint64_t)ev->g, ev->p, 0, NULL);
	case EV_GC_SWEEP_ACTIVE:
		if (r->gen == r->initial_gen)
			return gc_emit(r, MS_GT_SWEEP_BEGIN, ev, 0, 0, (int64_t)a[0], 0, NULL);
		return 0;
	case EV_GC_SWEEP_END:
		return gc_emit(r, MS_GT_SWEEP_END, ev, 0, (uint64_t)ev->g, ev->p, a[0], NULL);
	case EV_GO_LABEL: {
		const char *l = gen_string(r, a[0], &ok);
		if (strncmp(l, "GC (", 4) != 0 || ev->g == NO_G)
			return 0;
		/* every such label: MutatorUtilizationV2 counts each one (gc.go) */
		if (strcmp(l, "GC (idle)") != 0 && gc_emit(r, MS_GT_GC_LABEL, ev, 0, (uint64_t)ev->g, ev->p, 0, l) < 0)
			return -1;
		gstate *g = g_find(r, (uint64_t)ev->g);
		const char *mode = strcmp(l, "GC (dedicated)") == 0 ? "dedicated"
			: strcmp(l, "GC (fractional)") == 0            ? "fractional"
			: strcmp(l, "GC (idle)") == 0                  ? "idle"
								       : NULL;
		if (!g || !mode || g->gc_worker)
			return 0;
		g->gc_worker = true;
		return gc_emit(r, MS_GT_WORKER_BEGIN, ev, 0, g->id, ev->p, 0, mode);
	}
	case EV_USER_REGION_BEGIN:
	case EV_USER_REGION_END: {
		gstate *g = g_find(r, (uint64_t)ev->g);
		if (!g)
			return 0;
		bool filter = r->region_name != UINT32_MAX || r->task_name != UINT32_MAX;
		if (ev->typ == EV_USER_REGION_BEGIN) {
			if (filter && g->nreg && (g->reg_name[g->nreg - 1] & REG_MATCH) && g->match_depth++ == 0)
				g->match_start = ev->time;
		} else if (g->nreg) {
			g->nreg--;
			if (filter && (g->reg_name[g->nreg] & REG_MATCH) && g->match_depth > 0 &&
				--g->match_depth == 0) {
				MS_GROW(g->mreg, g->nmreg, g->mreg_cap, 1);
				g->mreg[g->nmreg++] = (region_iv){ g->match_start, ev->time };
			}
		}
		return 0;
	}
	default:
		return 0;
	}
}

static int deliver_sample(reader *r, cpusample *s)
{
	gev ev = { 0 };
	ev.time = s->time;
	if (ev.time <= r->last_ts)
		ev.time = r->last_ts + 1;
	r->last_ts = ev.time;
	if (!r->have_t0) {
		r->t0 = ev.time;
		r->have_t0 = true;
	}
	r->st->events++;
	r->st->cpu_samples++;
	if (!r->sink->cpu_sample)
		return 0;
	ms_gt_cpu_sample cs = { 0 };
	cs.ts_ns = ev.time - r->t0;
	cs.goid = s->g;
	cs.nframes = gen_frames(r, s->stack, &cs.frames);
	if (r->sink->cpu_sample(r->sink->ctx, &cs)) {
		r->failed = true;
		return -1;
	}
	return 0;
}

/* ---- cursors and the frontier heap (batchcursor.go) ----------------------- */

/* The varint at p (with end - p >= 2 the first two cases need no bounds
 * check): the position after it, NULL when cut short or corrupt. Events
 * are mostly one- and two-byte varints. */
static inline const uint8_t *event_uvarint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	if (end - p >= 2) {
		if (p[0] < 0x80) {
			*v = p[0];
			return p + 1;
		}
		if (p[1] < 0x80) {
			*v = (uint64_t)(p[0] & 0x7f) | (uint64_t)p[1] << 7;
			return p + 2;
		}
	}
	if (end - p >= 10) { /* room for the longest: ms_uvarint without bounds checks */
		uint64_t x = 0;
		for (int i = 0; i < 9; i++) {
			x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
			if (p[i] < 0x80) {
				*v = x;
				return p + i + 1;
			}
		}
		if (p[9] > 1)
			return NULL;
		*v = x | (uint64_t)p[9] << 63;
		return p + 10;
	}
	int k = ms_uvarint(p, end, v);
	return k > 0 ? p + k : NULL;
}

/* Reads the cursor's next event; 1 read, 0 none left, -1 error. */
static inline __attribute__((always_inline)) int cursor_next(reader *r, cursor *c)
{
	const batch *b;
	for (;;) {
		if (c->b == UINT32_MAX)
			return 0;
		b = &r->batches[c->b];
		if (c->pos < b->len)
			break;
		c->b = b->next;
		c->pos = 0;
		c->last_ts = 0;
	}
	if (c->last_ts == 0)
		c->last_ts = to_ns(r, b->time);
	const uint8_t *base = r->data + b->off, *p = base + c->pos, *end = base + b->len;
	int typ = *p, nargs = r->nargs[typ];
	if (nargs < 0)
		return fail(r, b->off + c->pos, "invalid event type %d", typ);
	uint64_t dt;
	if (!(p = event_uvarint(p + 1, end, &dt)))
		goto bad;
	/* fixed-size stores (a variable-length clearing loop becomes a memset
	 * call that cost 6% of the whole read) */
	uint64_t *a = c->ev.args;
	a[0] = a[1] = a[2] = a[3] = a[4] = 0;
	c->ev.extra[0] = c->ev.extra[1] = 0;
	for (int i = 0; i < nargs; i++)
		if (!(p = event_uvarint(p, end, &a[i])))
			goto bad;
	c->ev.typ = (uint8_t)typ;
	c->ev.off = b->off + c->pos;
	c->ev.time = to_ns(r, dt) + c->last_ts;
	c->last_ts = c->ev.time;
	c->pos = (uint32_t)(p - base);
	return 1;
bad:
	return fail(r, b->off + c->pos, "bad varint in an event of type %d", typ);
}

static void heap_swap(cursor **h, size_t i, size_t j)
{
	cursor *t = h[i];
	h[i] = h[j];
	h[j] = t;
}

static size_t sift_up(cursor **h, size_t i)
{
	while (i > 0 && h[(i - 1) / 2]->ev.time > h[i]->ev.time) {
		heap_swap(h, (i - 1) / 2, i);
		i = (i - 1) / 2;
	}
	return i;
}

static void sift_down(cursor **h, size_t n, size_t i)
{
	for (;;) {
		size_t m = i;
		int64_t mt = i < n ? h[i]->ev.time : INT64_MAX;
		if (2 * i + 1 < n && h[2 * i + 1]->ev.time < mt)
			m = 2 * i + 1, mt = h[m]->ev.time;
		if (2 * i + 2 < n && h[2 * i + 2]->ev.time < mt)
			m = 2 * i + 2;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_remove(reader *r, size_t i)
{
	cursor **h = r->heap;
	while (i > 0) {
		heap_swap(h, (i - 1) / 2, i);
		i = (i - 1) / 2;
	}
	heap_swap(h, 0, r->nheap - 1);
	r->nheap--;
	sift_down(h, r->nheap, 0);
}

static int cmp_cursor(const void *a, const void *b)
{
	const cursor *x = *(cursor *const *)a, *y = *(cursor *const *)b;
	if (x->ev.time != y->ev.time)
		return x->ev.time < y->ev.time ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* Go sorts the frontier with slices.SortFunc: insertion sort up to 12
 * elements (stable), pattern-defeating quicksort beyond. The same here
 * (beyond 12, ties by thread id: a frontier that large is rare, and the
 * order of equal times among threads is not the profile's concern). */
static void heap_sort(reader *r)
{
	cursor **h = r->heap;
	if (r->nheap > 12) {
		qsort(h, r->nheap, sizeof *h, cmp_cursor);
		return;
	}
	for (size_t i = 1; i < r->nheap; i++)
		for (size_t j = i; j > 0 && h[j]->ev.time < h[j - 1]->ev.time; j--)
			heap_swap(h, j, j - 1);
}

static int drain_queue(reader *r);

/* Advances the cursor at heap[i] if its event is ready: the event (and
 * any the advance synthesized) is consumed before the cursor reads its
 * next one over it. */
static int try_advance(reader *r, size_t i)
{
	cursor *c = r->heap[i];
	int ok = advance(r, &c->ev, c->m, &c->mi);
	if (ok <= 0)
		return ok;
	if (drain_queue(r) < 0)
		return -1;
	int more = cursor_next(r, c);
	if (more < 0)
		return -1;
	if (more) {
		/* (the common case: the cursor is still no later than its
		 * children, which is sift_down's own first test) */
		cursor **h = r->heap;
		size_t n = r->nheap, l = 2 * i + 1;
		int64_t t = c->ev.time;
		if (sift_up(h, i) == i && ((l < n && h[l]->ev.time < t) || (l + 1 < n && h[l + 1]->ev.time < t)))
			sift_down(h, n, i);
	} else
		heap_remove(r, i);
	return 1;
}

static int drain_queue(reader *r)
{
	for (int i = 0; i < r->nq; i++)
		if (consume(r, r->queue[i]) < 0)
			return -1;
	r->nq = 0;
	return 0;
}

/* Orders and consumes one indexed generation. */
static int run_generation(reader *r)
{
	for (size_t i = 0; i < r->ncurs; i++) {
		cursor *c = &r->curs[i];
		int ok = cursor_next(r, c);
		if (ok < 0)
			return -1;
		if (!ok)
			continue;
		r->heap[r->nheap++] = c;
		sift_up(r->heap, r->nheap - 1);
	}
	for (;;) {
		if (r->next_sample < r->nsamples &&
			(r->nheap == 0 || r->samples[r->next_sample].time < r->heap[0]->ev.time)) {
			if (deliver_sample(r, &r->samples[r->next_sample++]) < 0)
				return -1;
			continue;
		}
		if (r->nheap == 0)
			break;
		int ok = try_advance(r, 0);
		if (ok < 0)
			return -1;
		if (!ok) {
			heap_sort(r);
			for (size_t i = 1; i < r->nheap && !ok; i++)
				if ((ok = try_advance(r, i)) < 0)
					return -1;
			if (!ok)
				return fail(r, r->heap[0]->ev.off,
					"broken trace: no event can come next (event type %u of thread %" PRId64
					" waits for a state that never comes)",
					r->heap[0]->ev.typ, r->heap[0]->m);
		}
	}
	gev sync = { 0 };
	sync.typ = EV_SYNTH_SYNC;
	sync.time = r->last_ts;
	return consume(r, &sync);
}

/* ---- generations ---------------------------------------------------------- */

/* An id -> index map as an array when the ids are dense enough (Go's
 * dataTable.compactify: at most twice the entries). */
static void make_dense(const idmap *m, uint64_t maxid, uint32_t **buf, size_t *cap, uint32_t **dense, size_t *n)
{
	if (m->n == 0 || maxid > 2 * (uint64_t)m->n + 1024)
		return;
	size_t len = (size_t)maxid + 1;
	if (len > *cap) {
		*buf = ms_xreallocarray(*buf, len, sizeof **buf);
		*cap = len;
	}
	memset(*buf, 0xff, len * sizeof **buf);
	for (size_t i = 0; i < m->nslots; i++)
		if (m->vals[i] != UINT32_MAX)
			(*buf)[m->keys[i]] = m->vals[i];
	*dense = *buf;
	*n = len;
}

/* The frequency batch (up to 1.23: a lone Frequency event) or, from 1.25,
 * the Sync batch: Sync, then Frequency and ClockSnapshot events. */
static int add_sync(reader *r, size_t off, const uint8_t *p, const uint8_t *end)
{
	if (*p == EV_SYNC)
		p++;
	while (p < end) {
		size_t at = (size_t)(p - r->data), k;
		uint64_t v[4];
		int typ = *p++, nv = typ == EV_FREQUENCY ? 1 : typ == EV_CLOCK_SNAPSHOT && r->minor >= 25 ? 4 : 0;
		if (!nv)
			return fail(r, at, "unexpected event type %d in a sync batch", typ);
		for (int j = 0; j < nv; j++) {
			if (!(k = uvarint(p, end, &v[j])))
				return fail(r, at, "bad varint in a sync batch");
			p += k;
		}
		if (typ != EV_FREQUENCY)
			continue;
		if (v[0] == 0)
			return fail(r, at, "frequency 0");
		if (r->freq != 0)
			return fail(r, at, "two frequency events in one generation");
		r->freq = 1.0 / ((double)v[0] / 1e9);
		r->int_freq = r->int_limit = 0;
		if (r->freq >= 1 && r->freq < 1e6 && r->freq == (double)(uint64_t)r->freq) {
			r->int_freq = (uint64_t)r->freq;
			r->int_limit = (UINT64_C(1) << 53) / r->int_freq;
		}
	}
	(void)off;
	return 0;
}

/* Indexes the generation starting at *pos. Returns 1 with *pos after it, 0
 * at the end of the file, 2 when the file ends inside it, -1 on error. */
static int index_generation(reader *r, size_t *pos)
{
	gen_reset(r);
	size_t p = *pos;
	bool any = false;
	for (;;) {
		bhdr h = { 0 };
		if (r->minor >= 26 && p < r->n && r->data[p] == EV_END_OF_GENERATION) {
			/* 1.26: the generation's in-band end */
			if (!any)
				return fail(r, p, "end of generation before any batch");
			p++;
			break;
		}
		int rc = read_batch_header(r, p, &h);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		/* the next generation's first batch cut short: this one is whole
		 * (Go's reader processes it too) and the next call reports it */
		if (rc == 2 && !(any && h.hdr_ok && h.gen == r->gen + 1))
			return 2;
		if (h.gen == 0)
			return fail(r, p, "invalid generation number 0");
		if (!any) {
			r->gen = h.gen;
			any = true;
		} else if (h.gen == r->gen + 1)
			break;
		else if (h.gen != r->gen)
			return fail(r, p, "generation %" PRIu64 " follows generation %" PRIu64, h.gen, r->gen);
		const uint8_t *body = r->data + h.body, *end = body + h.len;
		size_t next = h.body + h.len;
		if (h.exp || h.len == 0) {
			/* experimental data (traceallocfree) is not needed */
		} else if (*body == EV_STRINGS) {
			if (add_strings(r, h.body, body, end) < 0)
				return -1;
		} else if (*body == EV_STACKS) {
			if (add_stacks(r, body, end) < 0)
				return -1;
		} else if (*body == EV_CPU_SAMPLES) {
			if (add_cpu_samples(r, body, end) < 0)
				return -1;
		} else if ((*body == EV_FREQUENCY && r->minor < 25) || (*body == EV_SYNC && r->minor >= 25)) {
			if (add_sync(r, h.body, body, end) < 0)
				return -1;
		} else {
			MS_GROW(r->batches, r->nbatches, r->batches_cap, 1);
			batch *b = &r->batches[r->nbatches];
			b->off = h.body, b->len = (uint32_t)h.len, b->time = h.time, b->next = UINT32_MAX;
			uint32_t ci = idmap_get(&r->mcurs, h.m);
			if (ci == UINT32_MAX) {
				MS_GROW(r->curs, r->ncurs, r->curs_cap, 1);
				ci = (uint32_t)r->ncurs++;
				cursor *c = &r->curs[ci];
				memset(c, 0, sizeof *c);
				c->m = (int64_t)h.m;
				c->mi = UINT32_MAX;
				c->b = (uint32_t)r->nbatches;
				c->last_ts = (int64_t)r->nbatches; /* temp: the M's last batch */
				idmap_put(&r->mcurs, h.m, ci);
			} else {
				r->batches[(size_t)r->curs[ci].last_ts].next = (uint32_t)r->nbatches;
				r->curs[ci].last_ts = (int64_t)r->nbatches;
			}
			r->nbatches++;
		}
		p = next;
	}
	if (!any)
		return 0;
	if (r->freq == 0)
		return fail(r, *pos, "generation %" PRIu64 " has no frequency", r->gen);
	/* every frame's strings exist (validateStackStrings) */
	for (size_t i = 0; i < r->nframes; i++) {
		bool ok1, ok2;
		gen_string(r, r->frames[i].func, &ok1);
		gen_string(r, r->frames[i].file, &ok2);
		if (!ok1 || !ok2)
			return fail(r, *pos, "a stack of generation %" PRIu64 " names a string id out of range", r->gen);
	}
	for (size_t i = 0; i < r->nsamples; i++) {
		r->samples[i].time = to_ns(r, (uint64_t)r->samples[i].time);
		if (!gen_stack_ok(r, r->samples[i].stack))
			return fail(r, *pos, "a CPU sample names a stack id out of range");
	}
	if (r->nsamples)
		qsort(r->samples, r->nsamples, sizeof *r->samples, cmp_sample);
	make_dense(&r->strings_ix, r->str_maxid, &r->str_dense_buf, &r->str_dense_cap, &r->str_dense, &r->str_ndense);
	make_dense(&r->stacks_ix, r->stk_maxid, &r->stk_dense_buf, &r->stk_dense_cap, &r->stk_dense, &r->stk_ndense);
	if (r->nstks > r->stk_cache_cap) {
		r->stk_intern = ms_xreallocarray(r->stk_intern, r->nstks, sizeof *r->stk_intern);
		r->stk_why = ms_xreallocarray(r->stk_why, r->nstks, sizeof *r->stk_why);
		r->stk_cache_cap = r->nstks;
	}
	if (r->nstks) {
		memset(r->stk_intern, 0xff, r->nstks * sizeof *r->stk_intern);
		memset(r->stk_why, 0xff, r->nstks * sizeof *r->stk_why);
	}
	for (size_t i = 0; i < r->ncurs; i++)
		r->curs[i].last_ts = 0;
	r->heap = ms_xreallocarray(r->heap, r->ncurs ? r->ncurs : 1, sizeof *r->heap);
	*pos = p;
	return 1;
}

static void reader_free(reader *r)
{
	free(r->str_dense_buf);
	free(r->stk_dense_buf);
	free(r->stk_intern);
	free(r->stk_why);
	free(r->batches);
	free(r->curs);
	free(r->heap);
	idmap_free(&r->mcurs);
	idmap_free(&r->strings_ix);
	idmap_free(&r->stacks_ix);
	free(r->strs);
	ms_buf_free(&r->strtext);
	free(r->stks);
	free(r->frames);
	free(r->samples);
	idmap_free(&r->gix);
	free(r->gdirect);
	idmap_free(&r->pix);
	idmap_free(&r->mix);
	idmap_free(&r->tasks);
	for (size_t i = 0; i < r->ngs; i++) {
		free(r->gs[i].reg_task);
		free(r->gs[i].reg_name);
		free(r->gs[i].mreg);
	}
	free(r->gs);
	free(r->ps);
	free(r->ms);
	free(r->task_names);
	ms_strtab_free(&r->names);
	free(r->istk);
	free(r->iframes);
	ms_pairmap_free(&r->istk_ix);
}

int ms_gotrace_v2_read(const uint8_t *data, size_t n, int minor, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err)
{
	static const ms_gt_sink nosink = { 0 };
	static const ms_gt_opts noopts = { 0 };
	reader r;
	memset(&r, 0, sizeof r);
	r.data = data, r.n = n, r.minor = minor, r.opts = opts ? opts : &noopts, r.sink = sink ? sink : &nosink;
	r.st = stats, r.err = err;
	r.gfree = r.task_free = r.last_gi = r.last_mi = UINT32_MAX;
	memset(r.pdirect, 0xff, sizeof r.pdirect);
	for (int t = 0; t < 256; t++) {
		int na;
		r.nargs[t] = (int8_t)(timed_event(t, minor, &na) ? na : -1);
		if (t >= EV_NTYPES)
			continue;
		const spec *sp = &specs[t];
		r.tabrefs[t] = (uint8_t)((sp->stack >= 0 ? TR_STACK : 0) | (sp->stack2 >= 0 ? TR_STACK2 : 0) |
			(sp->str1 >= 0 && t != EV_STW_END ? TR_STR1 : 0) | (sp->str2 >= 0 ? TR_STR2 : 0));
	}
	ms_strtab_init(&r.names);
	ms_pairmap_init(&r.istk_ix, 64);
	/* interned stack 0 = no stack */
	MS_GROW(r.istk, 0, r.istk_cap, 2);
	r.istk[0] = r.istk[1] = 0;
	r.nistk = 1;
	r.region_name = opts && opts->region ? ms_strtab_intern0(&r.names, opts->region) : UINT32_MAX;
	r.task_name = opts && opts->task ? ms_strtab_intern0(&r.names, opts->task) : UINT32_MAX;
	int rc = 0;
	size_t pos = 16;
	for (;;) {
		size_t start = pos;
		int k = index_generation(&r, &pos);
		if (k < 0) {
			rc = -1;
			goto out;
		}
		if (k == 0)
			break;
		if (k == 2) {
			if (stats->generations == 0) {
				rc = ms_seterr(err, "byte %zu: the trace ends inside its first generation", r.n);
				goto out;
			}
			stats->truncated_at = start;
			if (warnings)
				ms_buf_addf(warnings,
					"trace cut short: the file ends inside a generation (byte %zu); "
					"read up to the last complete generation, ending at byte %zu\n",
					r.n, start);
			break;
		}
		if (run_generation(&r) < 0) {
			rc = -1;
			goto out;
		}
		stats->generations++;
		if (opts && opts->mapped)
			ms_gotrace_release_pages(data, pos);
	}
	if (stats->generations == 0) {
		rc = ms_seterr(err, "byte 16: the trace holds no generation");
		goto out;
	}
	stats->duration_ns = r.last_ts - r.t0;
	stats->goroutines = r.goroutines;
out:
	reader_free(&r);
	return rc;
}
