/* gotrace_v1.c — the old per-P Go execution trace format: headers "go 1.11
 * trace" (Go 1.11-1.18), "go 1.19 trace" (1.19-1.20: CPU samples) and
 * "go 1.21 trace" (STW reasons as an enum). Feeds the gotrace.h sink with
 * the blocked intervals `go tool trace -pprof=KIND` of those releases sums,
 * CPU samples and GC events.
 *
 * The stages are those of Go's own v1 parser (internal/trace/parser.go and
 * order.go of Go 1.19/1.21), in the same order, with the same rules, so the
 * totals are equal to the tool's to the nanosecond:
 *
 *   1. framing    16-byte header, then events: one byte [narg-1:2 | type:6];
 *                 narg < 4: narg ULEB128 varints; narg == 4: a varint length
 *                 in bytes, then varints filling it. EvString [id, len, bytes]
 *                 and EvStack [id, n, {pc, func, file, line} x n] fill the
 *                 tables (strings resolve after the whole file is read, as Go
 *                 resolves them); EvUserLog is followed by a value string.
 *                 EvBatch [p, ticks] switches the current P; every other
 *                 event is [ts delta, args..., stack id if it has one], its
 *                 ts = previous ts of the batch + delta, P = the batch's P,
 *                 G = the last goroutine started on that P (per-P memory of
 *                 the last G across batches, as parseEvents keeps lastGs).
 *                 CPU samples go to their own batch (ProfileP), ts = the
 *                 signal handler's time, stably sorted on it.
 *   2. order      (order1007) merge the per-P event lists: the frontier is
 *                 the first unmerged event of each list whose goroutine state
 *                 precondition holds (GoStart needs seq == g.seq && runnable,
 *                 GoUnblock/GoSysExit seq == g.seq && waiting, GoCreate g
 *                 dead, GCStart seq == the GC counter, *Local events noseq);
 *                 the lowest timestamp of the frontier (a stable sort, then
 *                 Go's swap-removal) is merged next. Lists are visited in
 *                 ascending P order (Go visits them in map order, which only
 *                 matters between events of equal timestamp).
 *                 Then each non-local GoSysExit takes its real timestamp
 *                 (Args[2], the syscall's exit time; the Local variant keeps
 *                 its emission time, as Go's does: its Args[2] is 0) and
 *                 the stream is stably re-sorted on time.
 *                 ns = (int64)((double)(ticks - min_ticks) * (1e9 / freq))
 *   3. futile     (removeFutile) a wakeup sequence Unblock, Start, Preempt...
 *                 that ends in FutileWakeup + a block is removed entirely.
 *   4. link       (postProcessTrace) a per-goroutine and per-P state machine
 *                 links each event to the one that ends it (Link): a block to
 *                 its unblock, an unblock or create to the next start, a
 *                 start to the event that stops the run, a syscall to its
 *                 exit, a mark assist start to its done, GC start to done.
 *   5. emit       in the stream's order. An interval is [ev, ev.Link] for
 *                   net      GoBlockNet
 *                   sync     GoBlockSend/Recv/Select/Sync/Cond/GC
 *                   syscall  GoSysCall (linked only when it blocked and
 *                            exited: GoSysCall ... GoSysExit)
 *                   sched    GoUnblock, GoCreate (to the next GoStart)
 *                 counted only with a stack (StkID != 0, frames > 0) and a
 *                 duration > 0, and delivered when its end event is reached
 *                 (cmd/trace/pprof.go). Unfinished intervals are dropped.
 *                 MS_GT_RULES_FIXED changes nothing here: golang/go#74850
 *                 is a defect of the generational tool's rules.
 *                 opts->region / opts->task: an interval counts when the
 *                 goroutine Go attributes it to (the start event's G: for
 *                 sched, the unblocking one) is inside a region of that
 *                 name / of a task of that type when it starts, whole (Go's
 *                 web UI, the only user of region filters, sums overlaps).
 *                 GC events follow internal/trace/gc.go's MutatorUtilization:
 *                 a background worker is a goroutine run started with
 *                 GoStartLabel "GC (dedicated|fractional|idle)" up to the
 *                 event that ends that run; a mark assist occupies its P from
 *                 GCMarkAssistStart (or the restart of an assisting goroutine:
 *                 ASSIST_RESUME) to Done (or the end of its run: ASSIST_PAUSE).
 *
 * Streaming. The format has no global order until every P's list is read;
 * Go's parser holds every event (~350 bytes each). This reader holds none:
 *   pass 0  scan: validates every record, the string and stack tables, each
 *           P's batches as byte ranges of the (mapped) file, CPU samples;
 *   pass A  merge (stage 2) with a cursor per P decoding events from the
 *           file; checks time order; keeps the GoSysExit events whose real
 *           timestamp moves them (with their position in the merge);
 *   pass B  the same merge, the moved events merged back by (time,
 *           position) = Go's stable sort; finds the futile wakeup ranges
 *           (only run when the file has FutileWakeup events);
 *   pass C  the same again without them: postProcess's state machine and
 *           the deliveries, each interval at the event that ends it.
 * The merge is deterministic, so the three see one stream. Memory: the
 * strings and stacks, 40 bytes per batch (~64 KB of file each), per
 * goroutine and per P state, 64 bytes per CPU sample and per GoSysExit
 * whose real time differs from its emission time (88 with its position),
 * 24 per futile wakeup: never per event. A file mapping's pages are dropped
 * behind the scan and behind the slowest P cursor of each merge, so its
 * resident part is a window, not the file. Time: three merges (two without
 * futile wakeups), each O(events x Ps).
 *
 * A file cut short (no EvFrequency footer, or a last event that runs past
 * the end) is read up to the batch being written when it was cut: one
 * warning naming that byte, return 0. Anything else inconsistent is an error
 * "byte N: what" (N the event's offset).
 */
#include "config.h"
#include "profile/gotrace.h"
#include "util/varint.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/pairmap.h"

#include <stdlib.h>
#include <string.h>

/* ---- event types (runtime/trace.go of Go 1.11-1.21) ---------------------- */

enum {
	EvNone, EvBatch, EvFrequency, EvStack, EvGomaxprocs, EvProcStart, EvProcStop, EvGCStart,
	EvGCDone, EvSTWStart, EvSTWDone, EvGCSweepStart, EvGCSweepDone, EvGoCreate, EvGoStart,
	EvGoEnd, EvGoStop, EvGoSched, EvGoPreempt, EvGoSleep, EvGoBlock, EvGoUnblock,
	EvGoBlockSend, EvGoBlockRecv, EvGoBlockSelect, EvGoBlockSync, EvGoBlockCond, EvGoBlockNet,
	EvGoSysCall, EvGoSysExit, EvGoSysBlock, EvGoWaiting, EvGoInSyscall, EvHeapAlloc,
	EvHeapGoal, EvTimerGoroutine, EvFutileWakeup, EvString, EvGoStartLocal, EvGoUnblockLocal,
	EvGoSysExitLocal, EvGoStartLabel, EvGoBlockGC, EvGCMarkAssistStart, EvGCMarkAssistDone,
	EvUserTaskCreate, EvUserTaskEnd, EvUserRegion, EvUserLog, EvCPUSample, EvCount
};

/* Number of named arguments, whether a stack id follows, first version. */
static const struct {
	uint8_t nargs, stack;
	uint16_t minver;
} desc[EvCount] = {
	[EvNone] = {0, 0, 9999}, [EvBatch] = {2, 0, 1005}, [EvFrequency] = {1, 0, 1005},
	[EvStack] = {2, 0, 1005}, [EvGomaxprocs] = {1, 1, 1005}, [EvProcStart] = {1, 0, 1005},
	[EvProcStop] = {0, 0, 1005}, [EvGCStart] = {1, 1, 1005}, [EvGCDone] = {0, 0, 1005},
	[EvSTWStart] = {1, 0, 1005}, [EvSTWDone] = {0, 0, 1005}, [EvGCSweepStart] = {0, 1, 1005},
	[EvGCSweepDone] = {2, 0, 1005}, [EvGoCreate] = {2, 1, 1005}, [EvGoStart] = {2, 0, 1005},
	[EvGoEnd] = {0, 0, 1005}, [EvGoStop] = {0, 1, 1005}, [EvGoSched] = {0, 1, 1005},
	[EvGoPreempt] = {0, 1, 1005}, [EvGoSleep] = {0, 1, 1005}, [EvGoBlock] = {0, 1, 1005},
	[EvGoUnblock] = {2, 1, 1005}, [EvGoBlockSend] = {0, 1, 1005}, [EvGoBlockRecv] = {0, 1, 1005},
	[EvGoBlockSelect] = {0, 1, 1005}, [EvGoBlockSync] = {0, 1, 1005}, [EvGoBlockCond] = {0, 1, 1005},
	[EvGoBlockNet] = {0, 1, 1005}, [EvGoSysCall] = {0, 1, 1005}, [EvGoSysExit] = {3, 0, 1005},
	[EvGoSysBlock] = {0, 0, 1005}, [EvGoWaiting] = {1, 0, 1005}, [EvGoInSyscall] = {1, 0, 1005},
	[EvHeapAlloc] = {1, 0, 1005}, [EvHeapGoal] = {1, 0, 1005}, [EvTimerGoroutine] = {1, 0, 1005},
	[EvFutileWakeup] = {0, 0, 1005}, [EvString] = {0, 0, 1007}, [EvGoStartLocal] = {1, 0, 1007},
	[EvGoUnblockLocal] = {1, 1, 1007}, [EvGoSysExitLocal] = {2, 0, 1007},
	[EvGoStartLabel] = {3, 0, 1008}, [EvGoBlockGC] = {0, 1, 1008},
	[EvGCMarkAssistStart] = {0, 1, 1009}, [EvGCMarkAssistDone] = {0, 0, 1009},
	[EvUserTaskCreate] = {3, 1, 1011}, [EvUserTaskEnd] = {1, 1, 1011}, [EvUserRegion] = {3, 1, 1011},
	[EvUserLog] = {2, 1, 1011}, [EvCPUSample] = {3, 1, 1019},
};

/* Go 1.21's runtime/proc.go stwReasonStrings. */
static const char *const stw_reasons_121[] = {
	"unknown", "GC mark termination", "GC sweep termination", "write heap dump",
	"goroutine profile", "goroutine profile cleanup", "all goroutines stack trace",
	"read mem stats", "AllThreadsSyscall", "GOMAXPROCS", "start trace", "stop trace",
	"CountPagesInUse (test)", "ReadMetricsSlow (test)", "ReadMemStatsSlow (test)",
	"PageCachePagesLeaked (test)", "ResetDebugLog (test)",
};

/* Fake Ps of Go's parser. */
#define FAKE_P 1000000
#define TIMER_P (FAKE_P + 1)
#define SYSCALL_P (FAKE_P + 3)
#define GC_P (FAKE_P + 4)
#define PROFILE_P (FAKE_P + 5)

#define NONE UINT32_MAX
#define RELEASE_EVERY (8u << 20) /* bytes read between drops of a mapping's pages */
#define DIRECT_P 256u /* P ids below this index rd.p_direct */
#define GARBAGE (UINT64_MAX - 1) /* order1007's goroutine id of GC starts */

/* ---- state ---------------------------------------------------------------- */

/* One decoded event (transient: never stored, except the few listed in
 * rd.moved and the CPU samples). */
typedef struct gev {
	int64_t ts;      /* ticks, then ns since the first event */
	uint64_t g;
	uint64_t args[3];
	uint64_t stk;
	uint64_t off;    /* byte offset in the file */
	int64_t p;
	uint64_t pos;    /* position in the merged stream (pass A) */
	uint8_t type;
} gev;

typedef struct stack {
	uint64_t off;   /* first frame's varint */
	uint32_t size;
	ms_gt_frame *frames;
} stack;

typedef struct frontier_ev {
	int64_t ts;
	uint32_t batch, gi; /* the event is the batch's head; gi: g's gstate */
	uint64_t g;
	uint64_t init_seq, next_seq;
	int init_st, next_st;
} frontier_ev;

/* A batch of one P: the bytes after its EvBatch header up to the next. */
typedef struct seg {
	uint64_t start, end;
	int64_t ts0;
} seg;

/* Everything one P wrote (Go's batches[p]), read through a cursor. */
typedef struct batch {
	int64_t p;
	seg *segs;
	size_t nsegs, segs_cap;
	/* cursor */
	size_t si;
	uint64_t off;
	int64_t last_ts;
	uint64_t last_g; /* parseEvents' lastGs[p] */
	bool has_head, done, selected;
	gev head;
	bool fe_valid;   /* fe holds head's ordering precondition */
	frontier_ev fe;
} batch;

enum { gDead, gRunnable, gRunning, gWaiting };

/* An event a goroutine's state points at (postProcess's g.ev etc.). */
typedef struct evref {
	int64_t ts;
	uint64_t stk;
	uint8_t type;
	bool valid, in_filter;
} evref;

typedef struct region {
	uint64_t task;
	const char *name;
} region;

typedef struct gstate {
	uint64_t id;
	/* order */
	uint64_t oseq;
	int ostatus;
	int64_t last_sys_block;
	/* removeFutile: the wakeup list since its reset, and the futile
	 * range (final stream indexes) active for this goroutine */
	uint64_t wake_first;
	bool futile, waking;
	uint64_t fut_from, fut_to;
	bool fut_on;
	/* postProcess */
	bool pp_exists; /* in Go's gs map */
	int state;
	evref ev, ev_start, ev_create, ev_assist;
	region *regions;
	size_t nregions, regions_cap;
	/* emit */
	bool assist, bg_mark;
} gstate;

typedef struct pstate {
	int64_t id;
	bool running;
	uint64_t g;
	bool ev_sweep;
} pstate;

typedef struct futile_range {
	uint64_t g, from, to;
} futile_range;

typedef struct rd {
	const uint8_t *data;
	size_t n, off;
	int ver;
	const ms_gt_opts *opts;
	const ms_gt_sink *sink;
	ms_gt_stats *stats;
	ms_err *err;

	ms_arena arena;
	const char **strs;
	size_t nstrs, strs_cap;
	ms_pairmap str_ids; /* string id -> index */
	stack *stacks;
	size_t nstacks, stacks_cap;
	ms_pairmap stack_ids;
	ms_pairmap stack_refs; /* stack ids the events name */

	batch *batches;
	size_t nbatches, batches_cap;
	ms_pairmap batch_ids;
	gev *prof; /* CPU samples (Go's ProfileP batch) */
	size_t nprof, prof_cap, prof_pos;
	int64_t ticks_per_sec;
	ms_pairmap timer_gs; /* goroutine ids of EvTimerGoroutine */
	uint64_t nevents;    /* events in the file (not CPU samples) */
	uint64_t nfutile;    /* EvFutileWakeup events: none, no pass B */
	size_t released;     /* a mapping's pages before this are dropped (this pass) */

	/* pass A: GoSysExit events whose real time moves them */
	gev *moved;          /* by (new ts, position) */
	size_t nmoved, moved_cap;
	uint64_t *moved_pos; /* their positions, ascending */
	uint64_t merged;     /* events merged by pass A */
	int64_t min_ts;
	double ns_per_tick;
	/* pass B */
	futile_range *fut;
	size_t nfut, fut_cap, fut_next;

	gstate *gs;
	size_t ngs, gs_cap;
	ms_pairmap g_ids;    /* goroutine id -> gs index, for ids from DIRECT_G */
	uint32_t *g_direct;  /* the same for ids below DIRECT_G (NONE: none yet) */
	size_t ng_direct;
	pstate *ps;
	size_t nps, ps_cap;
	ms_pairmap p_ids;    /* P id -> ps index (ids from DIRECT_P: Go's fake Ps) */
	uint32_t p_direct[DIRECT_P];

	bool truncated;
	uint64_t truncated_at;
} rd;

/* ---- helpers -------------------------------------------------------------- */

/* 0, 1 when the data ends inside the varint, -1 when it is corrupt (over
 * 64 bits or 10 bytes). */
static inline int get_varint(const uint8_t *data, size_t n, size_t *off, uint64_t *v)
{
	if (*off < n && data[*off] < 0x80) { /* most are one byte: inline */
		*v = data[(*off)++];
		return 0;
	}
	int k = *off < n ? ms_uvarint(data + *off, data + n, v) : MS_UVARINT_SHORT;
	if (k > 0) {
		*off += (size_t)k;
		return 0;
	}
	return k == MS_UVARINT_SHORT ? 1 : -1;
}

static const char *str_of(rd *r, uint64_t id)
{
	uint32_t i = ms_pairmap_get(&r->str_ids, id, 0);
	return i == NONE ? "" : r->strs[i];
}

#define DIRECT_G (1u << 22) /* goroutine ids below this index an array (4 bytes an id) */

/* Goroutine id -> its state, made on first sight. Three merges look a
 * goroutine up for most events: ids (small, dense) index an array. */
static gstate *g_get(rd *r, uint64_t id)
{
	uint32_t i = id < r->ng_direct ? r->g_direct[id] : id < DIRECT_G ? NONE : ms_pairmap_get(&r->g_ids, id, 0);
	if (i == NONE) {
		MS_GROW(r->gs, r->ngs, r->gs_cap, 1);
		i = (uint32_t)r->ngs++;
		memset(&r->gs[i], 0, sizeof r->gs[i]);
		r->gs[i].id = id;
		if (id < DIRECT_G) {
			MS_GROW_FILL(r->g_direct, r->ng_direct, id, 1024, 0xff);
			r->g_direct[id] = i;
		} else
			ms_pairmap_put(&r->g_ids, id, 0, i);
	}
	return &r->gs[i];
}

static pstate *p_get(rd *r, int64_t id)
{
	bool direct = (uint64_t)id < DIRECT_P;
	uint32_t i = direct ? r->p_direct[id] : ms_pairmap_get(&r->p_ids, (uint64_t)id, 0);
	if (i == NONE) {
		MS_GROW(r->ps, r->nps, r->ps_cap, 1);
		i = (uint32_t)r->nps++;
		memset(&r->ps[i], 0, sizeof r->ps[i]);
		r->ps[i].id = id;
		if (direct)
			r->p_direct[id] = i;
		else
			ms_pairmap_put(&r->p_ids, (uint64_t)id, 0, i);
	}
	return &r->ps[i];
}

static batch *batch_get(rd *r, int64_t p)
{
	uint32_t i = ms_pairmap_get(&r->batch_ids, (uint64_t)p, 0);
	if (i == NONE) {
		MS_GROW(r->batches, r->nbatches, r->batches_cap, 1);
		i = (uint32_t)r->nbatches++;
		memset(&r->batches[i], 0, sizeof r->batches[i]);
		r->batches[i].p = p;
		ms_pairmap_put(&r->batch_ids, (uint64_t)p, 0, i);
	}
	return &r->batches[i];
}

/* ---- 1. framing ------------------------------------------------------------ */

/* One record as written: type, arguments (the first 8; an EvStack's frame
 * values are only counted), where it ends. */
typedef struct raw {
	int typ;
	size_t na;
	uint64_t a[8];
	uint64_t stack_count, stack_first;
	size_t next;
} raw;

/* Decodes the record at off. 0, 1 when the data ends inside it, -1 with
 * err set when it is malformed. */
static int raw_decode(rd *r, size_t off0, raw *x)
{
	const uint8_t *d = r->data;
	size_t n = r->n, off = off0 + 1;
	uint8_t b = d[off0];
	int typ = b & 0x3f, narg = (b >> 6) + 1, rc;
	x->typ = typ;
	x->na = 0;
	x->stack_count = 0;
	x->stack_first = 0;
	if (typ == EvNone || typ >= EvCount || desc[typ].minver > r->ver)
		return ms_seterr(r->err, "byte %zu: unknown event type %d", off0, typ);
	if (typ == EvString) {
		uint64_t id, ln;
		if ((rc = get_varint(d, n, &off, &id)) || (rc = get_varint(d, n, &off, &ln)))
			goto bad;
		if (id == 0)
			return ms_seterr(r->err, "byte %zu: string with invalid id 0", off0);
		if (ln == 0 || ln > 1000000)
			return ms_seterr(r->err, "byte %zu: string with invalid length %llu", off0, (unsigned long long)ln);
		if (ln > n - off)
			return 1;
		x->a[0] = id;
		x->a[1] = ln;
		x->na = 2;
		x->stack_first = off; /* the bytes */
		x->next = off + ln;
		return 0;
	}
	if (narg < 4) {
		for (int i = 0; i < narg; i++)
			if ((rc = get_varint(d, n, &off, &x->a[x->na++])))
				goto bad;
	} else {
		uint64_t len;
		if ((rc = get_varint(d, n, &off, &len)))
			goto bad;
		size_t start = off;
		if (len > n - off)
			return 1;
		while (off - start < len) {
			uint64_t v;
			size_t at = off;
			if ((rc = get_varint(d, n, &off, &v)))
				goto bad;
			if (typ == EvStack && x->na == 2) {
				if (x->stack_count++ == 0)
					x->stack_first = at; /* frame values: decoded later */
				continue;
			}
			if (x->na == 8)
				return ms_seterr(r->err, "byte %zu: event %d has too many arguments", off0, typ);
			x->a[x->na++] = v;
		}
		if (off - start != len)
			return ms_seterr(r->err, "byte %zu: event has wrong length: want %llu, got %zu", off0,
				(unsigned long long)len, off - start);
	}
	if (typ == EvUserLog) {
		uint64_t sz;
		if ((rc = get_varint(d, n, &off, &sz)))
			goto bad;
		if (sz > 1000000)
			return ms_seterr(r->err, "byte %zu: log string too large (%llu)", off0, (unsigned long long)sz);
		if (sz > n - off)
			return 1;
		off += sz;
	}
	x->next = off;
	return 0;
bad:
	if (rc > 0)
		return 1;
	return ms_seterr(r->err, "byte %zu: bad varint in event %d", off0, typ);
}

/* The arguments an event must have (Go's argNum for 1.7+ formats). */
static size_t want_args(int typ)
{
	size_t want = desc[typ].nargs + desc[typ].stack;
	if (typ != EvBatch && typ != EvFrequency && typ != EvTimerGoroutine && typ != EvStack)
		want++; /* timestamp */
	return want;
}

/* Fills ev from a timed record (Go's parseEvents); updates the P's last
 * timestamp and goroutine. */
static void make_event(const raw *x, size_t off0, int64_t p, int64_t *last_ts, uint64_t *last_g, gev *e)
{
	memset(e, 0, sizeof *e);
	int typ = x->typ;
	e->type = (uint8_t)typ;
	e->off = off0;
	e->p = p;
	e->g = *last_g;
	e->ts = (int64_t)((uint64_t)*last_ts + x->a[0]); /* wraps as Go's int64 does */
	*last_ts = e->ts;
	for (size_t i = 1; i < x->na; i++) {
		if (i == x->na - 1 && desc[typ].stack)
			e->stk = x->a[i];
		else
			e->args[i - 1] = x->a[i];
	}
	switch (typ) {
	case EvGoStart: case EvGoStartLocal: case EvGoStartLabel:
		*last_g = e->args[0];
		e->g = *last_g;
		break;
	case EvSTWStart: case EvGCStart: case EvGCDone: case EvSTWDone:
		e->g = 0;
		break;
	case EvGoEnd: case EvGoStop: case EvGoSched: case EvGoPreempt: case EvGoSleep:
	case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
	case EvGoBlockSync: case EvGoBlockCond: case EvGoBlockNet: case EvGoSysBlock:
	case EvGoBlockGC:
		*last_g = 0;
		break;
	case EvGoSysExit: case EvGoWaiting: case EvGoInSyscall:
		e->g = e->args[0];
		break;
	case EvCPUSample:
		e->ts = (int64_t)e->args[0];
		e->p = (int64_t)e->args[1];
		e->g = e->args[2];
		e->args[0] = 0;
		break;
	}
}

static void seg_push(batch *b, uint64_t start, int64_t ts0)
{
	MS_GROW(b->segs, b->nsegs, b->segs_cap, 1);
	b->segs[b->nsegs++] = (seg){start, start, ts0};
}

/* Pass 0: validates every record, fills the string and stack tables,
 * splits the file into each P's batches and keeps the CPU samples. A file
 * that ends inside a record loses the batch being read. */
static int scan(rd *r)
{
	int64_t last_ts = 0;
	uint64_t last_g = 0;
	int64_t last_p = 0;
	batch *cur = NULL;
	uint64_t batch_off = 16;
	size_t prof_n = 0;
	size_t off = 16, released = 0;
	uint64_t seen[64] = { 0 }; /* stack ids put in stack_refs lately */
	while (off < r->n) {
		size_t off0 = off;
		raw x;
		int rc = raw_decode(r, off0, &x);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			/* cut short: drop the batch being written */
			r->truncated = true;
			r->truncated_at = batch_off;
			if (cur)
				cur->nsegs--;
			r->nprof = prof_n;
			return 0;
		}
		off = x.next;
		int typ = x.typ;
		if (r->opts && r->opts->mapped && off0 - released >= RELEASE_EVERY)
			ms_gotrace_release_pages(r->data, released = off0);
		if (cur)
			cur->segs[cur->nsegs - 1].end = off;
		if (typ == EvString) {
			if (ms_pairmap_get(&r->str_ids, x.a[0], 0) != NONE)
				return ms_seterr(r->err, "byte %zu: string with duplicate id %llu", off0,
					(unsigned long long)x.a[0]);
			MS_GROW(r->strs, r->nstrs, r->strs_cap, 1);
			r->strs[r->nstrs] = ms_arena_strndup(&r->arena, (const char *)r->data + x.stack_first, x.a[1]);
			ms_pairmap_put(&r->str_ids, x.a[0], 0, (uint32_t)r->nstrs++);
			continue;
		}
		if (typ == EvStack) {
			if (x.na < 2)
				return ms_seterr(r->err, "byte %zu: stack with %zu arguments, want at least 2", off0, x.na);
			uint64_t size = x.a[1];
			if (size > 1000)
				return ms_seterr(r->err, "byte %zu: stack with bad number of frames %llu", off0,
					(unsigned long long)size);
			if (x.stack_count != 4 * size)
				return ms_seterr(r->err, "byte %zu: stack has %llu frame values, want %llu", off0,
					(unsigned long long)x.stack_count, (unsigned long long)(4 * size));
			if (x.a[0] != 0) { /* (Go keeps only size > 0: users check size) */
				uint32_t i = ms_pairmap_get(&r->stack_ids, x.a[0], 0);
				if (i == NONE) {
					MS_GROW(r->stacks, r->nstacks, r->stacks_cap, 1);
					i = (uint32_t)r->nstacks++;
					ms_pairmap_put(&r->stack_ids, x.a[0], 0, i);
				}
				r->stacks[i] = (stack){x.stack_first, (uint32_t)size, NULL};
			}
			continue;
		}
		if (x.na != want_args(typ))
			return ms_seterr(r->err, "byte %zu: event %d has %zu arguments, want %zu", off0, typ, x.na,
				want_args(typ));
		switch (typ) {
		case EvBatch:
			if (cur)
				cur->last_g = last_g;
			last_p = (int64_t)x.a[0];
			cur = batch_get(r, last_p);
			last_g = cur->last_g;
			last_ts = (int64_t)x.a[1];
			batch_off = off0;
			prof_n = r->nprof;
			seg_push(cur, off, last_ts);
			continue;
		case EvFrequency:
			r->ticks_per_sec = (int64_t)x.a[0];
			if (r->ticks_per_sec <= 0)
				return ms_seterr(r->err, "byte %zu: time stamps out of order (frequency %lld)", off0,
					(long long)r->ticks_per_sec);
			continue;
		case EvTimerGoroutine:
			ms_pairmap_put(&r->timer_gs, x.a[0], 0, 1);
			continue;
		}
		if (!cur) { /* events before any batch: Go's lastP 0, ts 0 */
			cur = batch_get(r, 0);
			seg_push(cur, off0, 0);
			cur->segs[cur->nsegs - 1].end = off;
		}
		gev e;
		make_event(&x, off0, last_p, &last_ts, &last_g, &e);
		if (typ == EvSTWStart && r->ver < 1021 && e.args[0] > 1)
			return ms_seterr(r->err, "byte %zu: unknown STW kind %llu", off0, (unsigned long long)e.args[0]);
		if (e.stk && seen[e.stk % 64] != e.stk) { /* (most are repeats: a cache first) */
			seen[e.stk % 64] = e.stk;
			ms_pairmap_put(&r->stack_refs, e.stk, 0, 1);
		}
		if (typ == EvCPUSample) {
			MS_GROW(r->prof, r->nprof, r->prof_cap, 1);
			r->prof[r->nprof++] = e;
		} else {
			r->nevents++;
			r->nfutile += typ == EvFutileWakeup;
		}
	}
	if (r->ticks_per_sec == 0) {
		/* A complete trace ends with the EvFrequency footer. */
		r->truncated = true;
		r->truncated_at = r->n;
	} else {
		/* ... followed by the stack table: a stack an event names that
		 * is not there means the table was cut at a record boundary */
		for (size_t i = 0; i < r->stack_refs.nslots && !r->truncated; i++)
			if (r->stack_refs.slots[i].value != NONE &&
				ms_pairmap_get(&r->stack_ids, r->stack_refs.slots[i].a, 0) == NONE) {
				r->truncated = true;
				r->truncated_at = r->n;
			}
	}
	return 0;
}

/* Decodes every stack's frames (strings are all known now). */
static int decode_stacks(rd *r)
{
	for (size_t i = 0; i < r->nstacks; i++) {
		stack *s = &r->stacks[i];
		s->frames = ms_arena_alloc(&r->arena, s->size * sizeof *s->frames);
		size_t off = s->off;
		for (uint32_t k = 0; k < s->size; k++) {
			uint64_t v[4];
			for (int j = 0; j < 4; j++)
				if (get_varint(r->data, r->n, &off, &v[j]))
					return ms_seterr(r->err, "byte %llu: bad stack frame", (unsigned long long)s->off);
			s->frames[k] = (ms_gt_frame){v[0], str_of(r, v[1]), str_of(r, v[2]), (int64_t)v[3]};
		}
	}
	return 0;
}

static const stack *stack_of(const rd *r, uint64_t id)
{
	if (id == 0)
		return NULL;
	uint32_t i = ms_pairmap_get(&r->stack_ids, id, 0);
	return i == NONE ? NULL : &r->stacks[i];
}

/* A P's next event (its batches in file order; strings, stacks and CPU
 * samples skipped, the samples' deltas still counted as Go counts them).
 * 0 at the end. */
static int cursor_next(rd *r, batch *b, gev *e)
{
	for (;;) {
		if (b->si >= b->nsegs)
			return 0;
		seg *s = &b->segs[b->si];
		if (b->off >= s->end) {
			b->si++;
			if (b->si < b->nsegs) {
				b->off = b->segs[b->si].start;
				b->last_ts = b->segs[b->si].ts0;
			}
			continue;
		}
		raw x;
		size_t off0 = b->off;
		if (raw_decode(r, off0, &x) != 0) { /* (validated by the scan) */
			b->si = b->nsegs;
			return 0;
		}
		b->off = x.next;
		switch (x.typ) {
		case EvString: case EvStack: case EvFrequency: case EvTimerGoroutine: case EvBatch:
			continue;
		}
		make_event(&x, off0, b->p, &b->last_ts, &b->last_g, e);
		if (x.typ == EvCPUSample)
			continue;
		return 1;
	}
}

/* ---- 2. order ---------------------------------------------------------------- */

#define UNORDERED UINT64_MAX
#define NOSEQ UINT64_MAX
#define SEQINC (UINT64_MAX - 1)

static void state_transition(const gev *ev, frontier_ev *f)
{
	switch (ev->type) {
	case EvGoCreate:
		f->g = ev->args[0]; f->init_seq = 0; f->init_st = gDead; f->next_seq = 1; f->next_st = gRunnable;
		break;
	case EvGoWaiting: case EvGoInSyscall:
		f->g = ev->g; f->init_seq = 1; f->init_st = gRunnable; f->next_seq = 2; f->next_st = gWaiting;
		break;
	case EvGoStart: case EvGoStartLabel:
		f->g = ev->g; f->init_seq = ev->args[1]; f->init_st = gRunnable;
		f->next_seq = ev->args[1] + 1; f->next_st = gRunning;
		break;
	case EvGoStartLocal:
		f->g = ev->g; f->init_seq = NOSEQ; f->init_st = gRunnable; f->next_seq = SEQINC; f->next_st = gRunning;
		break;
	case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
	case EvGoBlockSync: case EvGoBlockCond: case EvGoBlockNet: case EvGoSleep:
	case EvGoSysBlock: case EvGoBlockGC:
		f->g = ev->g; f->init_seq = NOSEQ; f->init_st = gRunning; f->next_seq = NOSEQ; f->next_st = gWaiting;
		break;
	case EvGoSched: case EvGoPreempt:
		f->g = ev->g; f->init_seq = NOSEQ; f->init_st = gRunning; f->next_seq = NOSEQ; f->next_st = gRunnable;
		break;
	case EvGoUnblock: case EvGoSysExit:
		f->g = ev->args[0]; f->init_seq = ev->args[1]; f->init_st = gWaiting;
		f->next_seq = ev->args[1] + 1; f->next_st = gRunnable;
		break;
	case EvGoUnblockLocal: case EvGoSysExitLocal:
		f->g = ev->args[0]; f->init_seq = NOSEQ; f->init_st = gWaiting; f->next_seq = SEQINC; f->next_st = gRunnable;
		break;
	case EvGCStart:
		f->g = GARBAGE; f->init_seq = ev->args[0]; f->init_st = gDead;
		f->next_seq = ev->args[0] + 1; f->next_st = gDead;
		break;
	default:
		f->g = UNORDERED;
	}
}

static bool transition_ready(const frontier_ev *f, const gstate *g)
{
	return f->g == UNORDERED ||
		((f->init_seq == NOSEQ || f->init_seq == g->oseq) && f->init_st == g->ostatus);
}

static int cmp_batch_p(const void *a, const void *b)
{
	int64_t x = ((const batch *)a)->p, y = ((const batch *)b)->p;
	return x < y ? -1 : x > y;
}

/* Stable sort of CPU samples by the signal handler's time: they are nearly
 * sorted, so an insertion sort that falls back to a merge sort once it has
 * moved elements more than n + 4096 places (both stable). */
static void sort_prof(gev *a, size_t n)
{
	size_t moves = 0;
	for (size_t i = 1; i < n && moves <= n + 4096; i++) {
		gev x = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1].ts > x.ts && moves <= n + 4096) {
			a[j] = a[j - 1];
			j--;
			moves++;
		}
		a[j] = x;
	}
	if (moves <= n + 4096)
		return;
	gev *tmp = ms_xreallocarray(NULL, n, sizeof *tmp);
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = a[j].ts < a[i].ts ? a[j++] : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
	free(tmp);
}

/* b's head if the frontier can take it (decoded when needed), else NULL. */
static gev *head_of(rd *r, batch *b)
{
	if (b->done || b->selected)
		return NULL;
	if (!b->has_head) {
		if (b->p == PROFILE_P) {
			if (r->prof_pos >= r->nprof) {
				b->done = true;
				return NULL;
			}
			b->head = r->prof[r->prof_pos++];
		} else if (!cursor_next(r, b, &b->head)) {
			b->done = true;
			return NULL;
		}
		b->has_head = true;
		b->fe_valid = false;
	}
	return &b->head;
}

typedef int (*merge_fn)(rd *r, gev *ev, void *ctx);

/* A merge reads each P's batches forward: the pages of a mapping before
 * every unfinished cursor are not read again in this pass. Dropping them
 * bounds resident memory by how far apart the Ps' cursors are in the file,
 * not by its size (the next pass faults them in again). */
static void release_behind(rd *r)
{
	size_t low = r->n;
	for (size_t i = 0; i < r->nbatches; i++) {
		const batch *b = &r->batches[i];
		if (!b->done && b->si < b->nsegs && b->off < low)
			low = b->off;
	}
	if (low >= r->released + RELEASE_EVERY) {
		ms_gotrace_release_pages(r->data, low);
		r->released = low;
	}
}

/* order1007: merges the Ps' event lists into one stream, calling fn for
 * each event in order (pos = its position). The merge is deterministic, so
 * every pass sees the same stream. 0, or -1 (err set) on "no consistent
 * ordering" (a cut-short trace stops there instead) or when fn fails. */
static int merge(rd *r, merge_fn fn, void *ctx)
{
	for (size_t i = 0; i < r->nbatches; i++) {
		batch *b = &r->batches[i];
		b->si = 0;
		b->off = b->nsegs ? b->segs[0].start : 0;
		b->last_ts = b->nsegs ? b->segs[0].ts0 : 0;
		b->last_g = 0;
		b->has_head = b->done = b->selected = false;
	}
	r->prof_pos = 0;
	r->released = 0;
	for (size_t i = 0; i < r->ngs; i++) {
		r->gs[i].oseq = 0;
		r->gs[i].ostatus = gDead;
	}
	/* the frontier: indexes of batches whose head is in it (their fe) */
	uint32_t *fr = ms_xreallocarray(NULL, r->nbatches + 1, sizeof *fr);
	size_t nfr = 0;
	uint64_t pos = 0;
	int rc = 0;
	for (;;) {
		for (size_t i = 0; i < r->nbatches; i++) {
			batch *b = &r->batches[i];
			gev *ev = head_of(r, b);
			if (!ev)
				continue;
			frontier_ev *f = &b->fe;
			if (!b->fe_valid) { /* a head not ready is tried again each round */
				state_transition(ev, f);
				if (f->g != UNORDERED)
					f->gi = (uint32_t)(g_get(r, f->g) - r->gs);
				f->batch = (uint32_t)i;
				f->ts = ev->ts;
				b->fe_valid = true;
			}
			if (f->g != UNORDERED && !transition_ready(f, &r->gs[f->gi]))
				continue;
			fr[nfr++] = (uint32_t)i;
			b->has_head = false; /* (the head stays valid until the batch is read again) */
			b->selected = true;
			switch (ev->type) {
			case EvGoStartLocal: ev->type = EvGoStart; break;
			case EvGoUnblockLocal: ev->type = EvGoUnblock; break;
			case EvGoSysExitLocal: ev->type = EvGoSysExit; break;
			}
		}
		if (nfr == 0) {
			size_t left = 0;
			uint64_t off = 0;
			for (size_t i = 0; i < r->nbatches; i++)
				if (!r->batches[i].done) {
					left++;
					off = r->batches[i].head.off; /* (decoded, not taken) */
				}
			if (left == 0 || r->truncated)
				break;
			rc = ms_seterr(r->err, "byte %llu: no consistent ordering of events possible",
				(unsigned long long)off);
			break;
		}
		/* sort.Sort on a frontier this small is an insertion sort: stable */
		for (size_t i = 1; i < nfr; i++) {
			uint32_t t = fr[i];
			int64_t ts = r->batches[t].fe.ts;
			size_t j = i;
			while (j > 0 && ts < r->batches[fr[j - 1]].fe.ts) {
				fr[j] = fr[j - 1];
				j--;
			}
			fr[j] = t;
		}
		const frontier_ev *f = &r->batches[fr[0]].fe; /* (stays until the batch's next head) */
		fr[0] = fr[nfr - 1];
		nfr--;
		if (f->g != UNORDERED) {
			gstate *g = &r->gs[f->gi];
			uint64_t seq = f->next_seq == NOSEQ ? g->oseq : f->next_seq == SEQINC ? g->oseq + 1 : f->next_seq;
			g->oseq = seq;
			g->ostatus = f->next_st;
		}
		batch *b = &r->batches[f->batch];
		b->selected = false;
		b->head.pos = pos++;
		if (pos % 65536 == 0 && r->opts && r->opts->mapped)
			release_behind(r);
		if ((rc = fn(r, &b->head, ctx)) != 0)
			break;
	}
	free(fr);
	return rc;
}

/* Pass A: the merged stream must be in time order; GoSysExit events take
 * their real timestamp (Args[2], when set: the Local variant's is 0, so it
 * keeps its own, as in Go), and those that move are kept aside. */
typedef struct pass_a {
	int64_t prev_ts;
	bool any;
	int64_t first_ts; /* of the events that stay */
	bool have_first;
} pass_a;

static int on_pass_a(rd *r, gev *ev, void *ctx)
{
	pass_a *a = ctx;
	if (a->any && ev->ts < a->prev_ts)
		return ms_seterr(r->err, "byte %llu: time stamps out of order", (unsigned long long)ev->off);
	a->any = true;
	a->prev_ts = ev->ts;
	r->merged++;
	if (ev->type == EvGoSysBlock || ev->type == EvGoInSyscall) {
		g_get(r, ev->g)->last_sys_block = ev->ts;
	} else if (ev->type == EvGoSysExit && ev->args[2] != 0) {
		int64_t ts = (int64_t)ev->args[2];
		int64_t block = g_get(r, ev->g)->last_sys_block;
		if (block == 0)
			return ms_seterr(r->err, "byte %llu: stray syscall exit", (unsigned long long)ev->off);
		if (ts < block)
			return ms_seterr(r->err, "byte %llu: time stamps out of order (syscall exit before its block)",
				(unsigned long long)ev->off);
		if (ts != ev->ts) {
			MS_GROW(r->moved, r->nmoved, r->moved_cap, 1);
			r->moved[r->nmoved] = *ev;
			r->moved[r->nmoved++].ts = ts;
			return 0;
		}
	}
	if (!a->have_first) {
		a->have_first = true;
		a->first_ts = ev->ts;
	}
	return 0;
}

static int cmp_moved(const void *x, const void *y)
{
	const gev *a = x, *b = y;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* The final stream (Go's sort.Stable by time after the GoSysExit fix, then
 * ticks -> ns): the merge without the moved events, and the moved events
 * merged back by (time, position). Each event gets its final index. */
typedef int (*final_fn)(rd *r, gev *ev, uint64_t idx, void *ctx);

typedef struct final_st {
	final_fn fn;
	void *ctx;
	size_t mi, mp; /* next moved event to deliver; next moved position */
	uint64_t idx;
} final_st;

static int deliver(rd *r, final_st *f, gev *ev)
{
	gev e = *ev;
	double ns = (double)(int64_t)((uint64_t)e.ts - (uint64_t)r->min_ts) * r->ns_per_tick;
	if (!(ns >= 0 && ns < 9.2e18))
		return ms_seterr(r->err, "byte %llu: time stamp out of range", (unsigned long long)e.off);
	e.ts = (int64_t)ns;
	if (e.type == EvGoUnblock && r->timer_gs.n && ms_pairmap_get(&r->timer_gs, e.g, 0) != NONE)
		e.p = TIMER_P;
	if (e.type == EvGoSysExit)
		e.p = SYSCALL_P;
	return f->fn(r, &e, f->idx++, f->ctx);
}

static int on_final(rd *r, gev *ev, void *ctx)
{
	final_st *f = ctx;
	int rc;
	if (f->mp < r->nmoved && r->moved_pos[f->mp] == ev->pos) {
		f->mp++;
		return 0;
	}
	while (f->mi < r->nmoved &&
		(r->moved[f->mi].ts < ev->ts || (r->moved[f->mi].ts == ev->ts && r->moved[f->mi].pos < ev->pos)))
		if ((rc = deliver(r, f, &r->moved[f->mi++])) != 0)
			return rc;
	return deliver(r, f, ev);
}

static int final_stream(rd *r, final_fn fn, void *ctx)
{
	final_st f = {fn, ctx, 0, 0, 0};
	int rc = merge(r, on_final, &f);
	while (rc == 0 && f.mi < r->nmoved)
		rc = deliver(r, &f, &r->moved[f.mi++]);
	return rc;
}

/* ---- 3. futile wakeups (pass B) -------------------------------------------- */

/* A wakeup list (Go's gs[g].wakeup) is an Unblock of g, then g's GoStart,
 * GoPreempt and FutileWakeup events; a block of g ends it, and when a
 * FutileWakeup was in it, the list and the block are removed. Kept as the
 * range of final indexes [first, block] of g. */
static int on_pass_b(rd *r, gev *ev, uint64_t idx, void *ctx)
{
	(void)ctx;
	gstate *g;
	switch (ev->type) {
	case EvGoUnblock:
		g = g_get(r, ev->args[0]);
		g->wake_first = idx;
		g->waking = true;
		break;
	case EvGoStart: case EvGoPreempt: case EvFutileWakeup:
		g = g_get(r, ev->g);
		if (!g->waking) {
			g->wake_first = idx;
			g->waking = true;
		}
		if (ev->type == EvFutileWakeup)
			g->futile = true;
		break;
	case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
	case EvGoBlockSync: case EvGoBlockCond:
		g = g_get(r, ev->g);
		if (g->futile) {
			MS_GROW(r->fut, r->nfut, r->fut_cap, 1);
			r->fut[r->nfut++] = (futile_range){g->id, g->waking ? g->wake_first : idx, idx};
		}
		g->futile = g->waking = false;
		break;
	}
	return 0;
}

static int cmp_fut(const void *x, const void *y)
{
	const futile_range *a = x, *b = y;
	return a->from < b->from ? -1 : a->from > b->from;
}

/* Pass C's test: is the event at idx part of a removed wakeup? */
static bool is_futile(rd *r, const gev *ev, uint64_t idx)
{
	while (r->fut_next < r->nfut && r->fut[r->fut_next].from <= idx) {
		futile_range *f = &r->fut[r->fut_next++];
		gstate *g = g_get(r, f->g);
		g->fut_from = f->from;
		g->fut_to = f->to;
		g->fut_on = true;
	}
	uint64_t gid;
	switch (ev->type) {
	case EvGoUnblock: gid = ev->args[0]; break;
	case EvGoStart: case EvGoPreempt: case EvFutileWakeup:
	case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
	case EvGoBlockSync: case EvGoBlockCond:
		gid = ev->g;
		break;
	default:
		return false;
	}
	if (!r->nfut)
		return false;
	gstate *g = g_get(r, gid);
	return g->fut_on && idx >= g->fut_from && idx <= g->fut_to;
}

/* ---- 4 and 5. links (postProcessTrace) and what they deliver (pass C) ---- */

static bool interval_kind(int type, ms_gt_kind *kind, const char **why)
{
	switch (type) {
	case EvGoBlockNet: *kind = MS_GT_NET; *why = "network"; return true;
	case EvGoBlockSend: *kind = MS_GT_SYNC; *why = "chan send"; return true;
	case EvGoBlockRecv: *kind = MS_GT_SYNC; *why = "chan receive"; return true;
	case EvGoBlockSelect: *kind = MS_GT_SYNC; *why = "select"; return true;
	case EvGoBlockSync: *kind = MS_GT_SYNC; *why = "sync.Mutex"; return true;
	case EvGoBlockCond: *kind = MS_GT_SYNC; *why = "sync.Cond"; return true;
	case EvGoBlockGC: *kind = MS_GT_SYNC; *why = "GC assist wait"; return true;
	case EvGoSysCall: *kind = MS_GT_SYSCALL; *why = "syscall"; return true;
	case EvGoUnblock: case EvGoCreate: *kind = MS_GT_SCHED; *why = "runnable"; return true;
	}
	return false;
}

typedef struct pass_c {
	ms_pairmap tasks;  /* task id -> index into task_name; NONE there once ended */
	const char **task_name;
	bool *task_live;
	size_t ntask, task_cap;
	bool gc_open, stw_open;
	bool stop;         /* a cut-short trace ended inconsistently here */
	int64_t last_ts;
	uint64_t events;
} pass_c;

/* Whether goroutine g is inside a region / task the options ask for. */
static bool in_filter(rd *r, pass_c *c, const gstate *g)
{
	const ms_gt_opts *o = r->opts;
	if (!o || (!o->region && !o->task))
		return true;
	for (size_t k = 0; k < g->nregions; k++) {
		const region *s = &g->regions[k];
		if (o->region && strcmp(s->name, o->region) == 0)
			return true;
		if (o->task && s->task != 0) {
			uint32_t t = ms_pairmap_get(&c->tasks, s->task, 0);
			if (t != NONE && strcmp(c->task_name[t], o->task) == 0)
				return true;
		}
	}
	return false;
}

/* The event ev of goroutine gid (its state points at start) ends: deliver
 * the interval it closes, if Go's rules count it. */
static int close_interval(rd *r, const evref *start, uint64_t gid, const gev *end)
{
	ms_gt_kind kind;
	const char *why;
	if (!start->valid || !interval_kind(start->type, &kind, &why) || !start->in_filter)
		return 0;
	const stack *stk = stack_of(r, start->stk);
	if (!stk || stk->size == 0 || end->ts - start->ts <= 0)
		return 0;
	ms_gt_interval iv = {kind, why, gid, start->ts, end->ts, stk->frames, stk->size,
		(uint32_t)(stk - r->stacks) + 1};
	ms_gt_stats *st = r->stats;
	st->kind_count[kind]++;
	if (__builtin_add_overflow(st->kind_ns[kind], end->ts - start->ts, &st->kind_ns[kind]))
		st->kind_ns[kind] = INT64_MAX;
	if (r->sink->interval && r->sink->interval(r->sink->ctx, &iv))
		return -1;
	return 0;
}

static int emit_gc(rd *r, ms_gt_gc_what what, const gev *ev, uint64_t goid, int64_t proc, uint64_t value,
	uint64_t seq, const char *reason)
{
	if (!r->sink->gc)
		return 0;
	ms_gt_gc_event e = {what, ev->ts, seq, goid, proc, value, reason};
	return r->sink->gc(r->sink->ctx, &e) ? -1 : 0;
}

static const char *worker_kind(const char *label)
{
	if (strcmp(label, "GC (dedicated)") == 0)
		return "dedicated";
	if (strcmp(label, "GC (fractional)") == 0)
		return "fractional";
	if (strcmp(label, "GC (idle)") == 0)
		return "idle";
	return NULL;
}

/* g's run ends at ev (postProcess sets g.evStart.Link = ev): what gc.go's
 * MutatorUtilization does at block[g]. */
static int run_ends(rd *r, gstate *g, const gev *ev)
{
	if (!g->ev_start.valid)
		return 0;
	if (g->assist && emit_gc(r, MS_GT_ASSIST_PAUSE, ev, ev->g, ev->p, 0, 0, NULL))
		return -1;
	if (g->bg_mark) {
		g->bg_mark = false;
		if (emit_gc(r, MS_GT_WORKER_END, ev, ev->g, ev->p, 0, 0, NULL))
			return -1;
	}
	return 0;
}

static evref ref_of(rd *r, pass_c *c, const gev *ev, const gstate *attr)
{
	return (evref){ev->ts, ev->stk, ev->type, true, in_filter(r, c, attr)};
}

/* The GC, CPU and region events (gc.go's order: after postProcess). */
static int deliver_other(rd *r, pass_c *c, const gev *ev)
{
	ms_gt_stats *st = r->stats;
	gstate *g;
	switch (ev->type) {
	case EvGomaxprocs:
		if ((int64_t)ev->args[0] > st->max_procs)
			st->max_procs = (int64_t)ev->args[0];
		return emit_gc(r, MS_GT_PROCS, ev, 0, ev->p, ev->args[0], 0, NULL);
	case EvGCStart:
		st->gc_cycles++;
		return emit_gc(r, MS_GT_GC_BEGIN, ev, 0, -1, 0, ev->args[0], NULL);
	case EvGCDone:
		return emit_gc(r, MS_GT_GC_END, ev, 0, -1, 0, 0, NULL);
	case EvSTWStart: {
		const char *reason;
		if (r->ver < 1021)
			reason = ev->args[0] == 0 ? "GC mark termination" : "GC sweep termination";
		else
			reason = ev->args[0] < sizeof stw_reasons_121 / sizeof *stw_reasons_121
				? stw_reasons_121[ev->args[0]] : "unknown";
		return emit_gc(r, MS_GT_STW_BEGIN, ev, 0, -1, 0, 0, reason);
	}
	case EvSTWDone:
		return emit_gc(r, MS_GT_STW_END, ev, 0, -1, 0, 0, NULL);
	case EvHeapAlloc:
		return emit_gc(r, MS_GT_HEAP_ALLOC, ev, 0, ev->p, ev->args[0], 0, NULL);
	case EvHeapGoal:
		return emit_gc(r, MS_GT_HEAP_GOAL, ev, 0, ev->p, ev->args[0], 0, NULL);
	case EvGCSweepStart:
		return emit_gc(r, MS_GT_SWEEP_BEGIN, ev, ev->g, ev->p, 0, 0, NULL);
	case EvGCSweepDone:
		return emit_gc(r, MS_GT_SWEEP_END, ev, ev->g, ev->p, 0, 0, NULL);
	case EvGCMarkAssistStart:
		g_get(r, ev->g)->assist = true;
		return emit_gc(r, MS_GT_ASSIST_BEGIN, ev, ev->g, ev->p, 0, 0, NULL);
	case EvGCMarkAssistDone:
		g_get(r, ev->g)->assist = false;
		return emit_gc(r, MS_GT_ASSIST_END, ev, ev->g, ev->p, 0, 0, NULL);
	case EvCPUSample: {
		st->cpu_samples++;
		const stack *stk = stack_of(r, ev->stk);
		ms_gt_cpu_sample s = {ev->ts, ev->g, stk ? stk->frames : NULL, stk ? stk->size : 0};
		if (r->sink->cpu_sample && r->sink->cpu_sample(r->sink->ctx, &s))
			return -1;
		return 0;
	}
	case EvGoStartLabel: case EvGoStart:
		g = g_get(r, ev->g);
		if (ev->type == EvGoStartLabel) {
			const char *kindname = worker_kind(str_of(r, ev->args[2]));
			if (kindname) {
				g->bg_mark = true;
				if (emit_gc(r, MS_GT_WORKER_BEGIN, ev, ev->g, ev->p, 0, 0, kindname))
					return -1;
			}
		}
		if (g->assist && emit_gc(r, MS_GT_ASSIST_RESUME, ev, ev->g, ev->p, 0, 0, NULL))
			return -1;
		return 0;
	}
	(void)c;
	return 0;
}

static int on_pass_c(rd *r, gev *ev, uint64_t idx, void *ctx)
{
	pass_c *c = ctx;
	if (c->stop || is_futile(r, ev, idx))
		return 0;
	c->events++;
	c->last_ts = ev->ts;
	size_t gi = (size_t)(g_get(r, ev->g) - r->gs), pi = (size_t)(p_get(r, ev->p) - r->ps);
	/* Go works on copies and stores them back: that matters only where
	 * another goroutine's state is written too (GoCreate, GoUnblock, which
	 * may name the goroutine itself); the others work in place (nothing
	 * they call adds a goroutine, which could move r->gs) */
	bool copy = ev->type == EvGoCreate || ev->type == EvGoUnblock;
	gstate gc;
	gstate *g = &r->gs[gi];
	if (copy) {
		gc = *g;
		g = &gc;
	}
	pstate pc = r->ps[pi];
	pstate *p = &pc;
	int64_t p_id = ev->p;
	const char *name;
	switch (ev->type) {
	case EvGoCreate: name = "GoCreate"; break;
	case EvGoSysCall: name = "GoSysCall"; break;
	case EvGoSysBlock: name = "GoSysBlock"; break;
	case EvGoEnd: case EvGoStop: name = "GoEnd/GoStop"; break;
	case EvGoSched: case EvGoPreempt: name = "GoSched/GoPreempt"; break;
	default: name = "block"; break;
	}
	unsigned long long off = (unsigned long long)ev->off;
#define FAIL(...) do { if (r->truncated) { c->stop = true; return 0; } return ms_seterr(r->err, __VA_ARGS__); } while (0)
#define CHECK_RUNNING(allow0) do { \
		if (g->state != gRunning) \
			FAIL("byte %llu: g %llu is not running while %s", off, (unsigned long long)ev->g, name); \
		if (p->g != ev->g) \
			FAIL("byte %llu: p %lld is not running g %llu while %s", off, (long long)ev->p, \
				(unsigned long long)ev->g, name); \
		if (!(allow0) && ev->g == 0) \
			FAIL("byte %llu: g 0 did %s", off, name); \
	} while (0)
	switch (ev->type) {
	case EvProcStart:
		if (p->running)
			FAIL("byte %llu: p %lld is running before start", off, (long long)ev->p);
		p->running = true;
		break;
	case EvProcStop:
		if (!p->running)
			FAIL("byte %llu: p %lld is not running before stop", off, (long long)ev->p);
		if (p->g != 0)
			FAIL("byte %llu: p %lld is running a goroutine during stop", off, (long long)ev->p);
		p->running = false;
		break;
	case EvGCStart:
		if (c->gc_open)
			FAIL("byte %llu: previous GC is not ended before a new one", off);
		c->gc_open = true;
		p_id = GC_P; /* Go moves the event (and stores p) there */
		break;
	case EvGCDone:
		if (!c->gc_open)
			FAIL("byte %llu: bogus GC end", off);
		c->gc_open = false;
		break;
	case EvSTWStart:
		if (c->stw_open)
			FAIL("byte %llu: previous STW is not ended before a new one", off);
		c->stw_open = true;
		break;
	case EvSTWDone:
		if (!c->stw_open)
			FAIL("byte %llu: bogus STW end", off);
		c->stw_open = false;
		break;
	case EvGCSweepStart:
		if (p->ev_sweep)
			FAIL("byte %llu: previous sweeping is not ended before a new one", off);
		p->ev_sweep = true;
		break;
	case EvGCMarkAssistStart:
		if (g->ev_assist.valid)
			FAIL("byte %llu: previous mark assist is not ended before a new one", off);
		g->ev_assist.valid = true;
		break;
	case EvGCMarkAssistDone:
		g->ev_assist.valid = false;
		break;
	case EvGCSweepDone:
		if (!p->ev_sweep)
			FAIL("byte %llu: bogus sweeping end", off);
		p->ev_sweep = false;
		break;
	case EvGoWaiting: case EvGoInSyscall:
		if (g->state != gRunnable)
			FAIL("byte %llu: g %llu is not runnable before %s", off, (unsigned long long)ev->g,
				ev->type == EvGoWaiting ? "GoWaiting" : "GoInSyscall");
		g->state = gWaiting;
		g->ev = ref_of(r, c, ev, g);
		break;
	case EvGoCreate: {
		CHECK_RUNNING(1);
		/* Go's "ok": the id is in postProcess's map (ours holds every id
		 * the earlier passes saw, hence pp_exists) */
		gstate *ng = g_get(r, ev->args[0]);
		if (ng->pp_exists)
			FAIL("byte %llu: g %llu already exists", off, (unsigned long long)ev->args[0]);
		ng->pp_exists = true;
		ng->state = gRunnable;
		ng->ev = ref_of(r, c, ev, g);
		ng->ev_create = ng->ev;
		ng->ev_start.valid = ng->ev_assist.valid = false;
		break;
	}
	case EvGoStart: case EvGoStartLabel:
		if (g->state != gRunnable)
			FAIL("byte %llu: g %llu is not runnable before start", off, (unsigned long long)ev->g);
		if (p->g != 0)
			FAIL("byte %llu: p %lld is already running g %llu while start g %llu", off, (long long)ev->p,
				(unsigned long long)p->g, (unsigned long long)ev->g);
		g->state = gRunning;
		g->ev_start = ref_of(r, c, ev, g);
		p->g = ev->g;
		g->ev_create.valid = false;
		if (g->ev.valid) {
			if (close_interval(r, &g->ev, g->id, ev))
				return -1;
			g->ev.valid = false;
		}
		break;
	case EvGoEnd: case EvGoStop:
		CHECK_RUNNING(0);
		if (run_ends(r, g, ev))
			return -1;
		g->ev_start.valid = false;
		g->state = gDead;
		p->g = 0;
		if (ev->type == EvGoEnd)
			g->nregions = 0;
		break;
	case EvGoSched: case EvGoPreempt:
		CHECK_RUNNING(0);
		if (run_ends(r, g, ev))
			return -1;
		g->state = gRunnable;
		g->ev_start.valid = false;
		p->g = 0;
		g->ev = ref_of(r, c, ev, g);
		break;
	case EvGoUnblock: {
		if (g->state != gRunning)
			FAIL("byte %llu: g %llu is not running while unpark", off, (unsigned long long)ev->g);
		if (ev->p != TIMER_P && p->g != ev->g)
			FAIL("byte %llu: p %lld is not running g %llu while unpark", off, (long long)ev->p,
				(unsigned long long)ev->g);
		gstate *g1 = g_get(r, ev->args[0]);
		if (g1->state != gWaiting)
			FAIL("byte %llu: g %llu is not waiting before unpark", off, (unsigned long long)ev->args[0]);
		if (g1->ev.valid && close_interval(r, &g1->ev, g1->id, ev))
			return -1;
		g1->state = gRunnable;
		g1->ev = ref_of(r, c, ev, g);
		g1->pp_exists = true;
		break; /* (g unblocking itself: g's copy is stored last, as in Go) */
	}
	case EvGoSysCall:
		CHECK_RUNNING(0);
		g->ev = ref_of(r, c, ev, g);
		break;
	case EvGoSysBlock:
		CHECK_RUNNING(0);
		if (run_ends(r, g, ev))
			return -1;
		g->state = gWaiting;
		g->ev_start.valid = false;
		p->g = 0;
		break;
	case EvGoSysExit:
		if (g->state != gWaiting)
			FAIL("byte %llu: g %llu is not waiting during syscall exit", off, (unsigned long long)ev->g);
		if (g->ev.valid && g->ev.type == EvGoSysCall && close_interval(r, &g->ev, g->id, ev))
			return -1;
		g->state = gRunnable;
		g->ev = ref_of(r, c, ev, g);
		break;
	case EvGoSleep: case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv:
	case EvGoBlockSelect: case EvGoBlockSync: case EvGoBlockCond: case EvGoBlockNet:
	case EvGoBlockGC:
		CHECK_RUNNING(0);
		if (run_ends(r, g, ev))
			return -1;
		g->state = gWaiting;
		g->ev = ref_of(r, c, ev, g);
		g->ev_start.valid = false;
		p->g = 0;
		break;
	case EvUserTaskCreate: {
		uint32_t t = ms_pairmap_get(&c->tasks, ev->args[0], 0);
		if (t != NONE && c->task_live[t])
			FAIL("byte %llu: task id conflicts (id %llu)", off, (unsigned long long)ev->args[0]);
		if (t == NONE) {
			size_t cap = c->task_cap;
			MS_GROW(c->task_name, c->ntask, c->task_cap, 1);
			c->task_cap = cap;
			MS_GROW(c->task_live, c->ntask, c->task_cap, 1);
			t = ms_pairmap_put(&c->tasks, ev->args[0], 0, (uint32_t)c->ntask++);
		}
		c->task_name[t] = str_of(r, ev->args[2]);
		c->task_live[t] = true;
		break;
	}
	case EvUserTaskEnd: {
		uint32_t t = ms_pairmap_get(&c->tasks, ev->args[0], 0);
		if (t != NONE)
			c->task_live[t] = false;
		break;
	}
	case EvUserRegion: {
		uint64_t mode = ev->args[1];
		const char *rname = str_of(r, ev->args[2]);
		if (mode == 0) {
			MS_GROW(g->regions, g->nregions, g->regions_cap, 1);
			g->regions[g->nregions++] = (region){ev->args[0], rname};
		} else if (mode == 1) {
			if (g->nregions > 0) {
				const region *s = &g->regions[g->nregions - 1];
				if (s->task != ev->args[0] || strcmp(s->name, rname) != 0)
					FAIL("byte %llu: misuse of region in goroutine %llu", off, (unsigned long long)ev->g);
				g->nregions--;
			}
		} else {
			FAIL("byte %llu: invalid user region mode %llu", off, (unsigned long long)mode);
		}
		break;
	}
	}
	g->pp_exists = true;
	if (copy)
		r->gs[gi] = gc;
	pstate *pp = p_id == ev->p ? &r->ps[pi] : p_get(r, p_id);
	pc.id = pp->id;
	*pp = pc;
	return deliver_other(r, c, ev);
#undef FAIL
#undef CHECK_RUNNING
}

/* ---- entry ---------------------------------------------------------------------- */

int ms_gotrace_v1_read(const uint8_t *data, size_t n, int minor, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err)
{
	if (minor != 11 && minor != 19 && minor != 21)
		return ms_seterr(err, "byte 0: Go execution trace version 1.%d is not an old-format trace", minor);
	ms_err local;
	if (!err)
		err = &local;
	rd r;
	memset(&r, 0, sizeof r);
	r.data = data;
	r.n = n;
	r.ver = 1000 + minor;
	r.opts = opts;
	r.sink = sink;
	r.stats = stats;
	r.err = err;
	err->msg[0] = 0;
	ms_pairmap_init(&r.str_ids, 256);
	ms_pairmap_init(&r.stack_ids, 256);
	ms_pairmap_init(&r.stack_refs, 256);
	ms_pairmap_init(&r.batch_ids, 16);
	ms_pairmap_init(&r.timer_gs, 4);
	ms_pairmap_init(&r.g_ids, 256);
	ms_pairmap_init(&r.p_ids, 16);
	memset(r.p_direct, 0xff, sizeof r.p_direct);
	stats->version_minor = minor;
	pass_c c;
	memset(&c, 0, sizeof c);
	ms_pairmap_init(&c.tasks, 16);
	int rc = scan(&r);
	if (rc == 0)
		rc = decode_stacks(&r);
	if (rc == 0 && r.nevents == 0 && r.nprof == 0 && !r.truncated)
		rc = ms_seterr(err, "byte %zu: trace is empty", n);
	if (rc == 0) {
		/* pass A: order, time order, the GoSysExit fix */
		if (r.nprof) {
			batch_get(&r, PROFILE_P);
			sort_prof(r.prof, r.nprof);
		}
		if (r.nbatches)
			qsort(r.batches, r.nbatches, sizeof *r.batches, cmp_batch_p);
		pass_a a;
		memset(&a, 0, sizeof a);
		rc = merge(&r, on_pass_a, &a);
		if (rc == 0) {
			if (r.nmoved) {
				r.moved_pos = ms_xreallocarray(NULL, r.nmoved, sizeof *r.moved_pos);
				for (size_t i = 0; i < r.nmoved; i++)
					r.moved_pos[i] = r.moved[i].pos;
				qsort(r.moved_pos, r.nmoved, sizeof *r.moved_pos, cmp_u64);
				qsort(r.moved, r.nmoved, sizeof *r.moved, cmp_moved);
			}
			r.min_ts = a.first_ts;
			if (r.nmoved && (!a.have_first || r.moved[0].ts < r.min_ts))
				r.min_ts = r.moved[0].ts;
			int64_t tps = r.ticks_per_sec ? r.ticks_per_sec : 1000000000 / 64;
			r.ns_per_tick = 1e9 / (double)tps;
		}
	}
	if (rc == 0 && r.nfutile) /* pass B: futile wakeups (none without FutileWakeup events,
				     * which the runtimes of Go 1.19 and 1.21 never write) */
		rc = final_stream(&r, on_pass_b, NULL);
	if (rc == 0 && r.nfut)
		qsort(r.fut, r.nfut, sizeof *r.fut, cmp_fut);
	if (rc == 0) { /* pass C: links, intervals, GC events */
		for (size_t i = 0; i < r.ngs; i++) {
			gstate *g = &r.gs[i];
			g->pp_exists = g->id == 0;
			g->state = g->id == 0 ? gRunning : gDead;
			g->ev.valid = g->ev_start.valid = g->ev_create.valid = g->ev_assist.valid = false;
		}
		g_get(&r, 0)->pp_exists = true;
		g_get(&r, 0)->state = gRunning;
		rc = final_stream(&r, on_pass_c, &c);
		if (rc != 0 && !err->msg[0])
			ms_seterr(err, "trace consumer failed");
	}
	if (rc == 0) {
		uint64_t ngs = 0;
		for (size_t i = 0; i < r.ngs; i++)
			if (r.gs[i].id != 0 && r.gs[i].id < GARBAGE)
				ngs++;
		stats->goroutines = ngs;
		stats->events = c.events;
		stats->duration_ns = c.last_ts;
	}
	if (rc == 0 && r.truncated) {
		stats->truncated_at = r.truncated_at;
		if (warnings)
			ms_buf_addf(warnings, "byte %llu: trace cut short (read up to the last complete batch%s)\n",
				(unsigned long long)r.truncated_at,
				r.ticks_per_sec ? "" : "; no frequency event, times assume 1 tick = 64 ns");
	}
	for (size_t i = 0; i < r.nbatches; i++)
		free(r.batches[i].segs);
	for (size_t i = 0; i < r.ngs; i++)
		free(r.gs[i].regions);
	free(r.batches);
	free(r.gs);
	free(r.g_direct);
	free(r.ps);
	free(r.prof);
	free(r.moved);
	free(r.moved_pos);
	free(r.fut);
	free(r.strs);
	free(r.stacks);
	free(c.task_name);
	free(c.task_live);
	ms_pairmap_free(&c.tasks);
	ms_pairmap_free(&r.str_ids);
	ms_pairmap_free(&r.stack_ids);
	ms_pairmap_free(&r.stack_refs);
	ms_pairmap_free(&r.batch_ids);
	ms_pairmap_free(&r.timer_gs);
	ms_pairmap_free(&r.g_ids);
	ms_pairmap_free(&r.p_ids);
	ms_arena_free(&r.arena);
	return rc;
}
