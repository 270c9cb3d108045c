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
 * Memory: the format has no global order until every P's list is read, so
 * the whole event stream is held, but as fixed 80-byte records (plus 12 bytes
 * of indexes each) decoded from the mapped file, never a copy of it; strings
 * are interned once, stacks decoded once, per-goroutine and per-P state.
 * Go's parser holds ~300 bytes an event (raw event, Event, pointers).
 *
 * A file cut short (no EvFrequency footer, or a last event that runs past
 * the end) is read up to the batch being written when it was cut: one
 * warning naming that byte, return 0. Anything else inconsistent is an error
 * "byte N: what" (N the event's offset).
 */
#include "config.h"
#include "profile/gotrace.h"
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
#define GARBAGE (UINT64_MAX - 1) /* order1007's goroutine id of GC starts */

/* ---- state ---------------------------------------------------------------- */

typedef struct gev {
	int64_t ts;      /* ticks, then ns since the first event */
	uint64_t g;
	uint64_t args[3];
	uint64_t stk;
	uint64_t off;    /* byte offset in the file */
	int64_t p;
	uint32_t link;   /* position in the ordered stream, NONE */
	uint32_t gi, ti; /* gstate indexes of g and of the goroutine in args[0] */
	uint8_t type;
	uint8_t futile;
} gev;

typedef struct stack {
	uint64_t off;   /* first frame's varint */
	uint32_t size;
	ms_gt_frame *frames;
} stack;

typedef struct batch {
	int64_t p;
	uint32_t *ev; /* event indexes */
	size_t n, cap, pos;
	bool selected;
	uint64_t last_g; /* parseEvents' lastGs[p] */
} batch;

enum { gDead, gRunnable, gRunning, gWaiting };

typedef struct gstate {
	uint64_t id;
	/* order */
	uint64_t oseq;
	int ostatus;
	int64_t last_sys_block;
	/* removeFutile */
	bool futile, in_futile;
	uint32_t *wake;
	size_t nwake, wake_cap;
	/* postProcess (positions in the stream) */
	bool pp_exists; /* in Go's gs map */
	int state;
	uint32_t ev, ev_start, ev_create, ev_assist;
	uint32_t *regions; /* positions of open UserRegion starts */
	size_t nregions, regions_cap;
	/* emit */
	bool assist, bg_mark;
	uint32_t block; /* the event that ends the current run (MMU's block[g]) */
	uint32_t *eregions; /* regions open at emit time (positions) */
	size_t neregions, eregions_cap;
} gstate;

typedef struct pstate {
	int64_t id;
	bool running;
	uint64_t g;
	uint32_t ev_sweep;
} pstate;

typedef struct frontier_ev {
	uint32_t ev, batch, gidx;
	uint64_t g;
	uint64_t init_seq, next_seq;
	int init_st, next_st;
} frontier_ev;

typedef struct heap_ent {
	uint32_t end, start;
} heap_ent;

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

	gev *ev;
	size_t nev, ev_cap;
	batch *batches;
	size_t nbatches, batches_cap;
	ms_pairmap batch_ids;
	int64_t ticks_per_sec;
	ms_pairmap timer_gs; /* goroutine ids of EvTimerGoroutine */

	uint32_t *order;
	size_t norder;

	gstate *gs;
	size_t ngs, gs_cap;
	ms_pairmap g_ids;
	pstate *ps;
	size_t nps, ps_cap;
	ms_pairmap p_ids;

	bool truncated;
	uint64_t truncated_at;
} rd;

/* ---- helpers -------------------------------------------------------------- */

static int rd_varint(rd *r, uint64_t *v)
{
	uint64_t x = 0;
	for (int i = 0; i < 10; i++) {
		if (r->off >= r->n)
			return 1; /* cut short */
		uint8_t b = r->data[r->off++];
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

static const char *str_of(rd *r, uint64_t id)
{
	uint32_t i = ms_pairmap_get(&r->str_ids, id, 0);
	return i == NONE ? "" : r->strs[i];
}

static gstate *g_get(rd *r, uint64_t id)
{
	uint32_t i = ms_pairmap_get(&r->g_ids, id, 0);
	if (i == NONE) {
		MS_GROW(r->gs, r->ngs, r->gs_cap, 1);
		i = (uint32_t)r->ngs++;
		memset(&r->gs[i], 0, sizeof r->gs[i]);
		r->gs[i].id = id;
		r->gs[i].ev = r->gs[i].ev_start = r->gs[i].ev_create = r->gs[i].ev_assist = NONE;
		r->gs[i].block = NONE;
		ms_pairmap_put(&r->g_ids, id, 0, i);
	}
	return &r->gs[i];
}

static pstate *p_get(rd *r, int64_t id)
{
	uint32_t i = ms_pairmap_get(&r->p_ids, (uint64_t)id, 0);
	if (i == NONE) {
		MS_GROW(r->ps, r->nps, r->ps_cap, 1);
		i = (uint32_t)r->nps++;
		memset(&r->ps[i], 0, sizeof r->ps[i]);
		r->ps[i].id = id;
		r->ps[i].ev_sweep = NONE;
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

static void batch_push(batch *b, uint32_t ev)
{
	MS_GROW(b->ev, b->n, b->cap, 1);
	b->ev[b->n++] = ev;
}

/* ---- 1. framing ------------------------------------------------------------ */

/* Marks the trace cut short at the batch being read. */
static void cut(rd *r, uint64_t batch_off, batch *cur, size_t cur_n, size_t prof_n)
{
	r->truncated = true;
	r->truncated_at = batch_off;
	if (cur)
		cur->n = cur_n;
	uint32_t pi = ms_pairmap_get(&r->batch_ids, (uint64_t)PROFILE_P, 0);
	if (pi != NONE)
		r->batches[pi].n = prof_n;
}

static int read_events(rd *r)
{
	int ver = r->ver;
	int64_t last_ts = 0;
	uint64_t last_g = 0;
	int64_t last_p = 0;
	batch *cur = NULL;
	uint64_t batch_off = 16;
	size_t cur_n = 0, prof_n = 0, cur_i = 0;
	r->off = 16;
	/* the goroutines every later stage names besides the events' */
	g_get(r, 0);
	g_get(r, GARBAGE);
	while (r->off < r->n) {
		uint64_t off0 = r->off;
		uint8_t b = r->data[r->off++];
		int typ = b & 0x3f, narg = (b >> 6) + 1;
		if (typ == EvNone || typ >= EvCount || desc[typ].minver > ver)
			return ms_seterr(r->err, "byte %llu: unknown event type %d", (unsigned long long)off0, typ);
		int rc;
		uint64_t a[8];
		size_t na = 0;
		if (typ == EvString) {
			uint64_t id, ln;
			if ((rc = rd_varint(r, &id)) || (rc = rd_varint(r, &ln)))
				goto bad_varint;
			if (id == 0)
				return ms_seterr(r->err, "byte %llu: string with invalid id 0", (unsigned long long)off0);
			if (ln == 0 || ln > 1000000)
				return ms_seterr(r->err, "byte %llu: string with invalid length %llu",
					(unsigned long long)off0, (unsigned long long)ln);
			if (ln > r->n - r->off) {
				rc = 1;
				goto bad_varint;
			}
			if (ms_pairmap_get(&r->str_ids, id, 0) != NONE)
				return ms_seterr(r->err, "byte %llu: string with duplicate id %llu",
					(unsigned long long)off0, (unsigned long long)id);
			MS_GROW(r->strs, r->nstrs, r->strs_cap, 1);
			r->strs[r->nstrs] = ms_arena_strndup(&r->arena, (const char *)r->data + r->off, ln);
			ms_pairmap_put(&r->str_ids, id, 0, (uint32_t)r->nstrs++);
			r->off += ln;
			continue;
		}
		uint64_t stack_first, stack_count = 0;
		if (narg < 4) {
			for (int i = 0; i < narg; i++)
				if ((rc = rd_varint(r, &a[na++])))
					goto bad_varint;
		} else {
			uint64_t len;
			if ((rc = rd_varint(r, &len)))
				goto bad_varint;
			uint64_t start = r->off;
			if (len > r->n - r->off) {
				rc = 1;
				goto bad_varint;
			}
			while (r->off - start < len) {
				uint64_t v;
				if ((rc = rd_varint(r, &v)))
					goto bad_varint;
				if (typ == EvStack && na == 2) {
					stack_count++; /* frame values: decoded later */
					continue;
				}
				if (na == 8)
					return ms_seterr(r->err, "byte %llu: event %d has too many arguments",
						(unsigned long long)off0, typ);
				a[na++] = v;
			}
			if (r->off - start != len)
				return ms_seterr(r->err, "byte %llu: event has wrong length: want %llu, got %llu",
					(unsigned long long)off0, (unsigned long long)len,
					(unsigned long long)(r->off - start));
		}
		if (typ == EvStack) {
			if (na < 2)
				return ms_seterr(r->err, "byte %llu: stack with %zu arguments, want at least 2",
					(unsigned long long)off0, na);
			uint64_t size = a[1];
			if (size > 1000)
				return ms_seterr(r->err, "byte %llu: stack with bad number of frames %llu",
					(unsigned long long)off0, (unsigned long long)size);
			if (stack_count != 4 * size)
				return ms_seterr(r->err, "byte %llu: stack has %llu frame values, want %llu",
					(unsigned long long)off0, (unsigned long long)stack_count,
					(unsigned long long)(4 * size));
			if (a[0] != 0) { /* (Go keeps only size > 0: users check size) */
				/* the frame values start after [length, id, size] */
				uint64_t v;
				size_t save = r->off;
				r->off = off0 + 1;
				rd_varint(r, &v); /* length */
				rd_varint(r, &v); /* id */
				rd_varint(r, &v); /* size */
				stack_first = r->off;
				r->off = save;
				uint32_t i = ms_pairmap_get(&r->stack_ids, a[0], 0);
				if (i == NONE) {
					MS_GROW(r->stacks, r->nstacks, r->stacks_cap, 1);
					i = (uint32_t)r->nstacks++;
					ms_pairmap_put(&r->stack_ids, a[0], 0, i);
				}
				r->stacks[i] = (stack){stack_first, (uint32_t)size, NULL};
			}
			continue;
		}
		if (typ == EvUserLog) {
			uint64_t sz;
			if ((rc = rd_varint(r, &sz)))
				goto bad_varint;
			if (sz > 1000000)
				return ms_seterr(r->err, "byte %llu: log string too large (%llu)",
					(unsigned long long)off0, (unsigned long long)sz);
			if (sz > r->n - r->off) {
				rc = 1;
				goto bad_varint;
			}
			r->off += sz;
		}
		size_t want = desc[typ].nargs + desc[typ].stack;
		if (typ != EvBatch && typ != EvFrequency && typ != EvTimerGoroutine)
			want++; /* timestamp */
		if (na != want)
			return ms_seterr(r->err, "byte %llu: event %d has %zu arguments, want %zu",
				(unsigned long long)off0, typ, na, want);
		switch (typ) {
		case EvBatch:
			if (cur)
				cur->last_g = last_g;
			last_p = (int64_t)a[0];
			cur = batch_get(r, last_p);
			cur_i = (size_t)(cur - r->batches);
			last_g = cur->last_g;
			last_ts = (int64_t)a[1];
			batch_off = off0;
			cur_n = cur->n;
			{
				uint32_t pi = ms_pairmap_get(&r->batch_ids, (uint64_t)PROFILE_P, 0);
				prof_n = pi == NONE ? 0 : r->batches[pi].n;
			}
			continue;
		case EvFrequency:
			r->ticks_per_sec = (int64_t)a[0];
			if (r->ticks_per_sec <= 0)
				return ms_seterr(r->err, "byte %llu: time stamps out of order (frequency %lld)",
					(unsigned long long)off0, (long long)r->ticks_per_sec);
			continue;
		case EvTimerGoroutine:
			ms_pairmap_put(&r->timer_gs, a[0], 0, 1);
			continue;
		}
		if (!cur) {
			cur = batch_get(r, 0); /* events before any batch: Go's lastP 0 */
			cur_i = (size_t)(cur - r->batches);
		}
		if (r->nev >= UINT32_MAX - 1)
			return ms_seterr(r->err, "byte %llu: too many events", (unsigned long long)off0);
		MS_GROW(r->ev, r->nev, r->ev_cap, 1);
		gev *e = &r->ev[r->nev];
		memset(e, 0, sizeof *e);
		e->type = (uint8_t)typ;
		e->off = off0;
		e->p = last_p;
		e->g = last_g;
		e->link = NONE;
		e->ts = (int64_t)((uint64_t)last_ts + a[0]); /* wraps as Go's int64 does */
		last_ts = e->ts;
		for (size_t i = 1; i < na; i++) {
			if (i == na - 1 && desc[typ].stack)
				e->stk = a[i];
			else
				e->args[i - 1] = a[i];
		}
		switch (typ) {
		case EvGoStart: case EvGoStartLocal: case EvGoStartLabel:
			last_g = e->args[0];
			e->g = last_g;
			break;
		case EvSTWStart:
			e->g = 0;
			if (ver < 1021 && e->args[0] > 1)
				return ms_seterr(r->err, "byte %llu: unknown STW kind %llu",
					(unsigned long long)off0, (unsigned long long)e->args[0]);
			break;
		case EvGCStart: case EvGCDone: case EvSTWDone:
			e->g = 0;
			break;
		case EvGoEnd: case EvGoStop: case EvGoSched: case EvGoPreempt: case EvGoSleep:
		case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
		case EvGoBlockSync: case EvGoBlockCond: case EvGoBlockNet: case EvGoSysBlock:
		case EvGoBlockGC:
			last_g = 0;
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
		e->gi = (uint32_t)(g_get(r, e->g) - r->gs);
		switch (typ) { /* args[0] names a goroutine */
		case EvGoCreate: case EvGoUnblock: case EvGoUnblockLocal: case EvGoSysExitLocal:
			e->ti = (uint32_t)(g_get(r, e->args[0]) - r->gs);
			break;
		default:
			e->ti = e->gi;
		}
		if (typ == EvCPUSample) {
			batch_push(batch_get(r, PROFILE_P), (uint32_t)r->nev);
			cur = &r->batches[cur_i]; /* batch_get may have moved the array */
		} else {
			batch_push(cur, (uint32_t)r->nev);
		}
		r->nev++;
		continue;
	bad_varint:
		if (rc > 0) {
			/* the file ends inside this event: cut short */
			cut(r, batch_off, cur, cur_n, prof_n);
			return 0;
		}
		return ms_seterr(r->err, "byte %llu: bad varint in event %d", (unsigned long long)off0, typ);
	}
	if (r->ticks_per_sec == 0) {
		/* A complete trace ends with the EvFrequency footer. */
		r->truncated = true;
		r->truncated_at = r->n;
	} else {
		/* ... followed by the stack table: a stack an event names that
		 * is not there means the table was cut at an event boundary */
		for (size_t i = 0; i < r->nev && !r->truncated; i++)
			if (r->ev[i].stk != 0 && ms_pairmap_get(&r->stack_ids, r->ev[i].stk, 0) == NONE) {
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
		r->off = s->off;
		for (uint32_t k = 0; k < s->size; k++) {
			uint64_t v[4];
			for (int j = 0; j < 4; j++)
				if (rd_varint(r, &v[j]))
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

/* Stable sort of positions by their events' timestamps. The inputs are
 * nearly sorted (GoSysExit events moved back to their real time, CPU
 * samples written a little late), so an insertion sort first; once it has
 * moved elements more than n + 4096 places in all, a merge sort finishes
 * (both are stable: the result is the same). */
static void sort_stable(const gev *ev, uint32_t *a, size_t n)
{
	size_t moves = 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t x = a[i];
		int64_t t = ev[x].ts;
		size_t j = i;
		while (j > 0 && ev[a[j - 1]].ts > t && moves <= n + 4096) {
			a[j] = a[j - 1];
			j--;
			moves++;
		}
		a[j] = x;
		if (moves > n + 4096)
			break;
	}
	if (moves <= n + 4096)
		return;
	uint32_t *tmp = ms_xreallocarray(NULL, n ? n : 1, sizeof *tmp);
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = ev[a[j]].ts < ev[a[i]].ts ? a[j++] : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
	free(tmp);
}

static int order_events(rd *r)
{
	/* CPU samples: stably by the signal handler's time */
	uint32_t pi = ms_pairmap_get(&r->batch_ids, (uint64_t)PROFILE_P, 0);
	if (pi != NONE)
		sort_stable(r->ev, r->batches[pi].ev, r->batches[pi].n);
	if (r->nbatches)
		qsort(r->batches, r->nbatches, sizeof *r->batches, cmp_batch_p);
	size_t pending = 0;
	for (size_t i = 0; i < r->nbatches; i++)
		pending += r->batches[i].n;
	r->order = ms_xreallocarray(NULL, pending ? pending : 1, sizeof *r->order);
	frontier_ev *fr = ms_xreallocarray(NULL, r->nbatches + 1, sizeof *fr);
	uint32_t garbage = ms_pairmap_get(&r->g_ids, GARBAGE, 0);
	size_t nfr = 0;
	int rc = 0;
	for (; pending; pending--) {
		for (size_t i = 0; i < r->nbatches; i++) {
			batch *b = &r->batches[i];
			if (b->selected || b->pos == b->n)
				continue;
			gev *ev = &r->ev[b->ev[b->pos]];
			frontier_ev f;
			state_transition(ev, &f);
			if (f.g != UNORDERED) {
				f.gidx = f.g == GARBAGE ? garbage : f.g == ev->g ? ev->gi : ev->ti;
				if (!transition_ready(&f, &r->gs[f.gidx]))
					continue;
			}
			f.ev = b->ev[b->pos];
			f.batch = (uint32_t)i;
			fr[nfr++] = f;
			b->pos++;
			b->selected = true;
			switch (ev->type) {
			case EvGoStartLocal: ev->type = EvGoStart; break;
			case EvGoUnblockLocal: ev->type = EvGoUnblock; break;
			case EvGoSysExitLocal: ev->type = EvGoSysExit; break;
			}
		}
		if (nfr == 0) {
			if (r->truncated)
				break;
			/* name the first event that cannot be merged */
			uint64_t off = 0;
			for (size_t i = 0; i < r->nbatches; i++)
				if (r->batches[i].pos < r->batches[i].n) {
					off = r->ev[r->batches[i].ev[r->batches[i].pos]].off;
					break;
				}
			rc = ms_seterr(r->err, "byte %llu: no consistent ordering of events possible",
				(unsigned long long)off);
			goto out;
		}
		/* sort.Sort on a frontier this small is an insertion sort: stable */
		for (size_t i = 1; i < nfr; i++) {
			frontier_ev t = fr[i];
			size_t j = i;
			while (j > 0 && r->ev[t.ev].ts < r->ev[fr[j - 1].ev].ts) {
				fr[j] = fr[j - 1];
				j--;
			}
			fr[j] = t;
		}
		frontier_ev f = fr[0];
		fr[0] = fr[nfr - 1];
		nfr--;
		r->order[r->norder++] = f.ev;
		if (f.g != UNORDERED) {
			gstate *g = &r->gs[f.gidx];
			uint64_t seq = f.next_seq == NOSEQ ? g->oseq : f.next_seq == SEQINC ? g->oseq + 1 : f.next_seq;
			g->oseq = seq;
			g->ostatus = f.next_st;
		}
		r->batches[f.batch].selected = false;
	}
	for (size_t i = 1; i < r->norder; i++)
		if (r->ev[r->order[i]].ts < r->ev[r->order[i - 1]].ts) {
			rc = ms_seterr(r->err, "byte %llu: time stamps out of order",
				(unsigned long long)r->ev[r->order[i]].off);
			goto out;
		}
	/* GoSysExit's real timestamp */
	for (size_t i = 0; i < r->norder; i++) {
		gev *ev = &r->ev[r->order[i]];
		if (ev->type == EvGoSysBlock || ev->type == EvGoInSyscall) {
			r->gs[ev->gi].last_sys_block = ev->ts;
		} else if (ev->type == EvGoSysExit) {
			int64_t ts = (int64_t)ev->args[2];
			if (ts == 0)
				continue;
			int64_t block = r->gs[ev->gi].last_sys_block;
			if (block == 0) {
				rc = ms_seterr(r->err, "byte %llu: stray syscall exit", (unsigned long long)ev->off);
				goto out;
			}
			if (ts < block) {
				rc = ms_seterr(r->err, "byte %llu: time stamps out of order (syscall exit before its block)",
					(unsigned long long)ev->off);
				goto out;
			}
			ev->ts = ts;
		}
	}
	sort_stable(r->ev, r->order, r->norder);
	if (r->norder == 0)
		goto out;
	/* ticks -> ns */
	{
		int64_t min_ts = r->ev[r->order[0]].ts;
		int64_t tps = r->ticks_per_sec ? r->ticks_per_sec : 1000000000 / 64;
		double freq = 1e9 / (double)tps;
		for (size_t i = 0; i < r->norder; i++) {
			gev *ev = &r->ev[r->order[i]];
			double ns = (double)(int64_t)((uint64_t)ev->ts - (uint64_t)min_ts) * freq;
			if (!(ns >= 0 && ns < 9.2e18)) {
				rc = ms_seterr(r->err, "byte %llu: time stamp out of range", (unsigned long long)ev->off);
				goto out;
			}
			ev->ts = (int64_t)ns;
			if (ev->type == EvGoUnblock && ms_pairmap_get(&r->timer_gs, ev->g, 0) != NONE)
				ev->p = TIMER_P;
			if (ev->type == EvGoSysExit)
				ev->p = SYSCALL_P;
		}
	}
out:
	free(fr);
	return rc;
}

/* ---- 3. futile wakeups ----------------------------------------------------- */

static void wake_push(gstate *g, uint32_t pos)
{
	MS_GROW(g->wake, g->nwake, g->wake_cap, 1);
	g->wake[g->nwake++] = pos;
}

static void remove_futile(rd *r)
{
	bool any = false;
	for (size_t i = 0; i < r->norder; i++) {
		gev *ev = &r->ev[r->order[i]];
		gstate *g;
		switch (ev->type) {
		case EvGoUnblock:
			g = &r->gs[ev->ti];
			g->nwake = 0;
			g->in_futile = true;
			wake_push(g, (uint32_t)i);
			break;
		case EvGoStart: case EvGoPreempt: case EvFutileWakeup:
			g = &r->gs[ev->gi];
			g->in_futile = true;
			wake_push(g, (uint32_t)i);
			if (ev->type == EvFutileWakeup)
				g->futile = true;
			break;
		case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv: case EvGoBlockSelect:
		case EvGoBlockSync: case EvGoBlockCond:
			g = &r->gs[ev->gi];
			if (g->futile) {
				ev->futile = 1;
				for (size_t k = 0; k < g->nwake; k++)
					r->ev[r->order[g->wake[k]]].futile = 1;
				any = true;
			}
			g->futile = false;
			g->nwake = 0;
			g->in_futile = false;
			break;
		}
	}
	for (size_t i = 0; i < r->ngs; i++) {
		free(r->gs[i].wake);
		r->gs[i].wake = NULL;
		r->gs[i].nwake = r->gs[i].wake_cap = 0;
	}
	if (!any)
		return;
	size_t k = 0;
	for (size_t i = 0; i < r->norder; i++)
		if (!r->ev[r->order[i]].futile)
			r->order[k++] = r->order[i];
	r->norder = k;
}

/* ---- 4. links (postProcessTrace) ---------------------------------------------- */

#define EVAT(pos) (&r->ev[r->order[pos]])

static void region_push(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
	MS_GROW(*a, *n, *cap, 1);
	(*a)[(*n)++] = v;
}

/* Returns 0, or -1 with err set; *stop gets the position of the failing
 * event. */
static int post_process(rd *r, size_t *stop)
{
	uint32_t ev_gc = NONE, ev_stw = NONE;
	ms_pairmap tasks;
	ms_pairmap_init(&tasks, 16);
	uint32_t *task_ev = NULL;
	size_t ntask = 0, task_cap = 0;
	int rc = 0;
	for (size_t g = 0; g < r->ngs; g++) {
		r->gs[g].state = gDead;
		r->gs[g].ev = r->gs[g].ev_start = r->gs[g].ev_create = r->gs[g].ev_assist = NONE;
	}
	g_get(r, 0)->state = gRunning;
	g_get(r, 0)->pp_exists = true;
#define FAIL(...) do { rc = ms_seterr(r->err, __VA_ARGS__); *stop = i; goto out; } while (0)
#define OFF (unsigned long long)ev->off
	for (size_t i = 0; i < r->norder; i++) {
		gev *ev = EVAT(i);
		uint32_t pos = (uint32_t)i;
		size_t gi = ev->gi;
		size_t pidx = p_get(r, ev->p) - r->ps;
		gstate gc = r->gs[gi]; /* Go works on copies and stores them back */
		pstate pc = r->ps[pidx];
		gstate *g = &gc;
		pstate *p = &pc;
		const char *name = "event";
		switch (ev->type) {
		case EvGoCreate: name = "GoCreate"; break;
		case EvGoSysCall: name = "GoSysCall"; break;
		case EvGoSysBlock: name = "GoSysBlock"; break;
		case EvGoEnd: case EvGoStop: name = "GoEnd/GoStop"; break;
		case EvGoSched: case EvGoPreempt: name = "GoSched/GoPreempt"; break;
		default: name = "block"; break;
		}
#define CHECK_RUNNING(allow0) do { \
		if (g->state != gRunning) \
			FAIL("byte %llu: g %llu is not running while %s", OFF, (unsigned long long)ev->g, name); \
		if (p->g != ev->g) \
			FAIL("byte %llu: p %lld is not running g %llu while %s", OFF, (long long)ev->p, \
				(unsigned long long)ev->g, name); \
		if (!(allow0) && ev->g == 0) \
			FAIL("byte %llu: g 0 did %s", OFF, name); \
	} while (0)
		switch (ev->type) {
		case EvProcStart:
			if (p->running)
				FAIL("byte %llu: p %lld is running before start", OFF, (long long)ev->p);
			p->running = true;
			break;
		case EvProcStop:
			if (!p->running)
				FAIL("byte %llu: p %lld is not running before stop", OFF, (long long)ev->p);
			if (p->g != 0)
				FAIL("byte %llu: p %lld is running a goroutine during stop", OFF, (long long)ev->p);
			p->running = false;
			break;
		case EvGCStart:
			if (ev_gc != NONE)
				FAIL("byte %llu: previous GC is not ended before a new one", OFF);
			ev_gc = pos;
			ev->p = GC_P;
			break;
		case EvGCDone:
			if (ev_gc == NONE)
				FAIL("byte %llu: bogus GC end", OFF);
			EVAT(ev_gc)->link = pos;
			ev_gc = NONE;
			break;
		case EvSTWStart:
			if (ev_stw != NONE)
				FAIL("byte %llu: previous STW is not ended before a new one", OFF);
			ev_stw = pos;
			break;
		case EvSTWDone:
			if (ev_stw == NONE)
				FAIL("byte %llu: bogus STW end", OFF);
			EVAT(ev_stw)->link = pos;
			ev_stw = NONE;
			break;
		case EvGCSweepStart:
			if (p->ev_sweep != NONE)
				FAIL("byte %llu: previous sweeping is not ended before a new one", OFF);
			p->ev_sweep = pos;
			break;
		case EvGCMarkAssistStart:
			if (g->ev_assist != NONE)
				FAIL("byte %llu: previous mark assist is not ended before a new one", OFF);
			g->ev_assist = pos;
			break;
		case EvGCMarkAssistDone:
			if (g->ev_assist != NONE) {
				EVAT(g->ev_assist)->link = pos;
				g->ev_assist = NONE;
			}
			break;
		case EvGCSweepDone:
			if (p->ev_sweep == NONE)
				FAIL("byte %llu: bogus sweeping end", OFF);
			EVAT(p->ev_sweep)->link = pos;
			p->ev_sweep = NONE;
			break;
		case EvGoWaiting: case EvGoInSyscall:
			if (g->state != gRunnable)
				FAIL("byte %llu: g %llu is not runnable before %s", OFF, (unsigned long long)ev->g,
					ev->type == EvGoWaiting ? "GoWaiting" : "GoInSyscall");
			g->state = gWaiting;
			g->ev = pos;
			break;
		case EvGoCreate: {
			CHECK_RUNNING(1);
			/* Go's "ok": the id is in postProcess's map (ours holds
			 * every id the file names, hence pp_exists) */
			if (r->gs[ev->ti].pp_exists)
				FAIL("byte %llu: g %llu already exists", OFF, (unsigned long long)ev->args[0]);
			gstate *ng = &r->gs[ev->ti];
			ng->pp_exists = true;
			ng->state = gRunnable;
			ng->ev = pos;
			ng->ev_create = pos;
			ng->ev_start = NONE;
			ng->ev_assist = NONE;
			break;
		}
		case EvGoStart: case EvGoStartLabel:
			if (g->state != gRunnable)
				FAIL("byte %llu: g %llu is not runnable before start", OFF, (unsigned long long)ev->g);
			if (p->g != 0)
				FAIL("byte %llu: p %lld is already running g %llu while start g %llu", OFF,
					(long long)ev->p, (unsigned long long)p->g, (unsigned long long)ev->g);
			g->state = gRunning;
			g->ev_start = pos;
			p->g = ev->g;
			if (g->ev_create != NONE) {
				ev->stk = EVAT(g->ev_create)->args[1];
				g->ev_create = NONE;
			}
			if (g->ev != NONE) {
				EVAT(g->ev)->link = pos;
				g->ev = NONE;
			}
			break;
		case EvGoEnd: case EvGoStop:
			CHECK_RUNNING(0);
			EVAT(g->ev_start)->link = pos;
			g->ev_start = NONE;
			g->state = gDead;
			p->g = 0;
			if (ev->type == EvGoEnd) {
				for (size_t k = 0; k < g->nregions; k++)
					EVAT(g->regions[k])->link = pos;
				g->nregions = 0;
			}
			break;
		case EvGoSched: case EvGoPreempt:
			CHECK_RUNNING(0);
			g->state = gRunnable;
			EVAT(g->ev_start)->link = pos;
			g->ev_start = NONE;
			p->g = 0;
			g->ev = pos;
			break;
		case EvGoUnblock: {
			if (g->state != gRunning)
				FAIL("byte %llu: g %llu is not running while unpark", OFF, (unsigned long long)ev->g);
			if (ev->p != TIMER_P && p->g != ev->g)
				FAIL("byte %llu: p %lld is not running g %llu while unpark", OFF, (long long)ev->p,
					(unsigned long long)ev->g);
			gstate *g1 = &r->gs[ev->ti];
			if (g1->state != gWaiting)
				FAIL("byte %llu: g %llu is not waiting before unpark", OFF, (unsigned long long)ev->args[0]);
			if (g1->ev != NONE && EVAT(g1->ev)->type == EvGoBlockNet && ev->p != TIMER_P)
				ev->p = FAKE_P + 2; /* NetpollP */
			if (g1->ev != NONE)
				EVAT(g1->ev)->link = pos;
			g1->state = gRunnable;
			g1->ev = pos;
			g1->pp_exists = true;
			break; /* (g unblocking itself: g's copy is stored last, as in Go) */
		}
		case EvGoSysCall:
			CHECK_RUNNING(0);
			g->ev = pos;
			break;
		case EvGoSysBlock:
			CHECK_RUNNING(0);
			g->state = gWaiting;
			EVAT(g->ev_start)->link = pos;
			g->ev_start = NONE;
			p->g = 0;
			break;
		case EvGoSysExit:
			if (g->state != gWaiting)
				FAIL("byte %llu: g %llu is not waiting during syscall exit", OFF, (unsigned long long)ev->g);
			if (g->ev != NONE && EVAT(g->ev)->type == EvGoSysCall)
				EVAT(g->ev)->link = pos;
			g->state = gRunnable;
			g->ev = pos;
			break;
		case EvGoSleep: case EvGoBlock: case EvGoBlockSend: case EvGoBlockRecv:
		case EvGoBlockSelect: case EvGoBlockSync: case EvGoBlockCond: case EvGoBlockNet:
		case EvGoBlockGC:
			CHECK_RUNNING(0);
			g->state = gWaiting;
			g->ev = pos;
			EVAT(g->ev_start)->link = pos;
			g->ev_start = NONE;
			p->g = 0;
			break;
		case EvUserTaskCreate: {
			/* tasks: id -> index into task_ev (NONE there once ended:
			 * Go deletes it from its map) */
			uint32_t t = ms_pairmap_get(&tasks, ev->args[0], 0);
			if (t != NONE && task_ev[t] != NONE)
				FAIL("byte %llu: task id conflicts (id %llu)", OFF, (unsigned long long)ev->args[0]);
			if (t == NONE) {
				MS_GROW(task_ev, ntask, task_cap, 1);
				t = ms_pairmap_put(&tasks, ev->args[0], 0, (uint32_t)ntask++);
			}
			task_ev[t] = pos;
			break;
		}
		case EvUserTaskEnd: {
			uint32_t t = ms_pairmap_get(&tasks, ev->args[0], 0);
			if (t != NONE && task_ev[t] != NONE) {
				EVAT(task_ev[t])->link = pos;
				task_ev[t] = NONE;
			}
			break;
		}
		case EvUserRegion: {
			uint64_t mode = ev->args[1];
			if (mode == 0) {
				region_push(&g->regions, &g->nregions, &g->regions_cap, pos);
			} else if (mode == 1) {
				if (g->nregions > 0) {
					gev *s = EVAT(g->regions[g->nregions - 1]);
					if (s->args[0] != ev->args[0] ||
						strcmp(str_of(r, s->args[2]), str_of(r, ev->args[2])) != 0)
						FAIL("byte %llu: misuse of region in goroutine %llu", OFF,
							(unsigned long long)ev->g);
					s->link = pos;
					g->nregions--;
				}
			} else {
				FAIL("byte %llu: invalid user region mode %llu", OFF, (unsigned long long)mode);
			}
			break;
		}
		}
		gc.pp_exists = true;
		r->gs[gi] = gc;
		/* GCStart moved the event to GCP: Go stores p under that id */
		size_t pj = ev->p == pc.id ? pidx : (size_t)(p_get(r, ev->p) - r->ps);
		pc.id = r->ps[pj].id;
		r->ps[pj] = pc;
	}
out:
	ms_pairmap_free(&tasks);
	free(task_ev);
	return rc;
#undef FAIL
#undef OFF
#undef CHECK_RUNNING
}

/* ---- 5. emit ------------------------------------------------------------------ */

static void heap_push(heap_ent **h, size_t *n, size_t *cap, heap_ent e)
{
	MS_GROW(*h, *n, *cap, 1);
	size_t i = (*n)++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if ((*h)[up].end <= e.end)
			break;
		(*h)[i] = (*h)[up];
		i = up;
	}
	(*h)[i] = e;
}

static heap_ent heap_pop(heap_ent *h, size_t *n)
{
	heap_ent top = h[0], last = h[--*n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].end < h[c].end)
			c++;
		if (last.end <= h[c].end)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = last;
	return top;
}

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

/* Whether goroutine g (Go attributes an interval to its start event's G)
 * is inside a region / task the options ask for. */
static bool in_filter(rd *r, const gstate *g, const ms_pairmap *tasks)
{
	const ms_gt_opts *o = r->opts;
	if (!o || (!o->region && !o->task))
		return true;
	for (size_t k = 0; k < g->neregions; k++) {
		const gev *s = EVAT(g->eregions[k]);
		if (o->region && strcmp(str_of(r, s->args[2]), o->region) == 0)
			return true;
		if (o->task && s->args[0] != 0) {
			/* the task's type name: its UserTaskCreate, seen earlier */
			uint32_t t = ms_pairmap_get(tasks, s->args[0], 0);
			if (t != NONE && strcmp(str_of(r, EVAT(t)->args[2]), o->task) == 0)
				return true;
		}
	}
	return false;
}

static int emit_gc(rd *r, ms_gt_gc_what what, const gev *ev, uint64_t goid, int64_t proc, uint64_t value,
	uint64_t seq, const char *reason)
{
	if (!r->sink->gc)
		return 0;
	ms_gt_gc_event e = {what, ev->ts, seq, goid, proc, value, reason};
	if (r->sink->gc(r->sink->ctx, &e))
		return -1;
	return 0;
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

static int emit(rd *r)
{
	heap_ent *h = NULL;
	size_t nh = 0, hcap = 0;
	int rc = 0;
	const ms_gt_sink *sk = r->sink;
	ms_gt_stats *st = r->stats;
#define SINKFAIL() do { if (!r->err->msg[0]) ms_seterr(r->err, "trace consumer failed"); rc = -1; goto out; } while (0)
	ms_pairmap tasks; /* task id -> position of its UserTaskCreate */
	ms_pairmap_init(&tasks, 16);
	for (size_t i = 0; i < r->ngs; i++) {
		r->gs[i].assist = r->gs[i].bg_mark = false;
		r->gs[i].block = NONE;
	}
	for (size_t i = 0; i < r->norder; i++) {
		gev *ev = EVAT(i);
		/* intervals that end here */
		while (nh && h[0].end == i) {
			heap_ent e = heap_pop(h, &nh);
			gev *s = EVAT(e.start);
			ms_gt_interval iv;
			interval_kind(s->type, &iv.kind, &iv.why);
			const stack *stk = stack_of(r, s->stk);
			iv.goid = s->type == EvGoUnblock ? s->args[0] : s->type == EvGoCreate ? s->args[0] : s->g;
			iv.start_ns = s->ts;
			iv.end_ns = ev->ts;
			iv.frames = stk->frames;
			iv.nframes = stk->size;
			st->kind_count[iv.kind]++;
			if (__builtin_add_overflow(st->kind_ns[iv.kind], iv.end_ns - iv.start_ns, &st->kind_ns[iv.kind]))
				st->kind_ns[iv.kind] = INT64_MAX;
			if (sk->interval && sk->interval(sk->ctx, &iv))
				SINKFAIL();
		}
		ms_gt_kind kind;
		const char *why;
		if (interval_kind(ev->type, &kind, &why) && ev->link != NONE) {
			const stack *stk = stack_of(r, ev->stk);
			if (stk && stk->size > 0 && EVAT(ev->link)->ts - ev->ts > 0 &&
				in_filter(r, (&r->gs[ev->gi]), &tasks))
				heap_push(&h, &nh, &hcap, (heap_ent){ev->link, (uint32_t)i});
		}
		gstate *g;
		switch (ev->type) {
		case EvGomaxprocs:
			if ((int64_t)ev->args[0] > st->max_procs)
				st->max_procs = (int64_t)ev->args[0];
			if (emit_gc(r, MS_GT_PROCS, ev, 0, ev->p, ev->args[0], 0, NULL))
				SINKFAIL();
			break;
		case EvGCStart:
			st->gc_cycles++;
			if (emit_gc(r, MS_GT_GC_BEGIN, ev, 0, -1, 0, ev->args[0], NULL))
				SINKFAIL();
			break;
		case EvGCDone:
			if (emit_gc(r, MS_GT_GC_END, ev, 0, -1, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvSTWStart: {
			const char *reason;
			if (r->ver < 1021)
				reason = ev->args[0] == 0 ? "GC mark termination" : "GC sweep termination";
			else
				reason = ev->args[0] < sizeof stw_reasons_121 / sizeof *stw_reasons_121
					? stw_reasons_121[ev->args[0]] : "unknown";
			if (emit_gc(r, MS_GT_STW_BEGIN, ev, 0, -1, 0, 0, reason))
				SINKFAIL();
			break;
		}
		case EvSTWDone:
			if (emit_gc(r, MS_GT_STW_END, ev, 0, -1, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvHeapAlloc:
			if (emit_gc(r, MS_GT_HEAP_ALLOC, ev, 0, ev->p, ev->args[0], 0, NULL))
				SINKFAIL();
			break;
		case EvHeapGoal:
			if (emit_gc(r, MS_GT_HEAP_GOAL, ev, 0, ev->p, ev->args[0], 0, NULL))
				SINKFAIL();
			break;
		case EvGCSweepStart:
			if (emit_gc(r, MS_GT_SWEEP_BEGIN, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvGCSweepDone:
			if (emit_gc(r, MS_GT_SWEEP_END, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvGCMarkAssistStart:
			(&r->gs[ev->gi])->assist = true;
			if (emit_gc(r, MS_GT_ASSIST_BEGIN, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvGCMarkAssistDone:
			(&r->gs[ev->gi])->assist = false;
			if (emit_gc(r, MS_GT_ASSIST_END, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			break;
		case EvCPUSample: {
			st->cpu_samples++;
			const stack *stk = stack_of(r, ev->stk);
			ms_gt_cpu_sample s = {ev->ts, ev->g, stk ? stk->frames : NULL, stk ? stk->size : 0};
			if (sk->cpu_sample && sk->cpu_sample(sk->ctx, &s))
				SINKFAIL();
			break;
		}
		case EvUserTaskCreate:
			ms_pairmap_put(&tasks, ev->args[0], 0, (uint32_t)i);
			break;
		case EvUserRegion:
			g = (&r->gs[ev->gi]);
			if (ev->args[1] == 0)
				region_push(&g->eregions, &g->neregions, &g->eregions_cap, (uint32_t)i);
			else if (g->neregions)
				g->neregions--;
			break;
		case EvGoStartLabel: case EvGoStart: {
			g = (&r->gs[ev->gi]);
			if (ev->type == EvGoStartLabel) {
				const char *kindname = worker_kind(str_of(r, ev->args[2]));
				if (kindname) {
					g->bg_mark = true;
					if (emit_gc(r, MS_GT_WORKER_BEGIN, ev, ev->g, ev->p, 0, 0, kindname))
						SINKFAIL();
				}
			}
			if (g->assist && emit_gc(r, MS_GT_ASSIST_RESUME, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			g->block = ev->link;
			break;
		}
		default:
			g = (&r->gs[ev->gi]);
			if (g->block != i)
				break;
			if (g->assist && emit_gc(r, MS_GT_ASSIST_PAUSE, ev, ev->g, ev->p, 0, 0, NULL))
				SINKFAIL();
			if (g->bg_mark) {
				g->bg_mark = false;
				if (emit_gc(r, MS_GT_WORKER_END, ev, ev->g, ev->p, 0, 0, NULL))
					SINKFAIL();
			}
			g->block = NONE;
			if (ev->type == EvGoEnd)
				g->neregions = 0;
			break;
		}
		if (ev->type == EvGoEnd)
			(&r->gs[ev->gi])->neregions = 0;
	}
out:
	free(h);
	ms_pairmap_free(&tasks);
	return rc;
#undef SINKFAIL
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
	ms_pairmap_init(&r.batch_ids, 16);
	ms_pairmap_init(&r.timer_gs, 4);
	ms_pairmap_init(&r.g_ids, 256);
	ms_pairmap_init(&r.p_ids, 16);
	stats->version_minor = minor;
	int rc = read_events(&r);
	if (rc == 0)
		rc = decode_stacks(&r);
	if (rc == 0 && r.nev == 0 && !r.truncated)
		rc = ms_seterr(err, "byte %zu: trace is empty", n);
	if (rc == 0)
		rc = order_events(&r);
	if (rc == 0) {
		remove_futile(&r);
		size_t stop = 0;
		rc = post_process(&r, &stop);
		if (rc != 0 && r.truncated) {
			/* a cut trace may end inconsistently: keep what came before */
			r.norder = stop;
			err->msg[0] = 0;
			rc = 0;
		}
	}
	if (rc == 0) {
		uint64_t ngs = 0;
		for (size_t i = 0; i < r.ngs; i++)
			if (r.gs[i].id != 0 && r.gs[i].id < GARBAGE)
				ngs++;
		stats->goroutines = ngs;
		stats->events = r.norder;
		stats->duration_ns = r.norder ? r.ev[r.order[r.norder - 1]].ts : 0;
		rc = emit(&r);
	}
	if (rc == 0 && r.truncated) {
		stats->truncated_at = r.truncated_at;
		if (warnings)
			ms_buf_addf(warnings, "byte %llu: trace cut short (read up to the last complete batch%s)\n",
				(unsigned long long)r.truncated_at,
				r.ticks_per_sec ? "" : "; no frequency event, times assume 1 tick = 64 ns");
	}
	for (size_t i = 0; i < r.nbatches; i++)
		free(r.batches[i].ev);
	for (size_t i = 0; i < r.ngs; i++) {
		free(r.gs[i].wake);
		free(r.gs[i].regions);
		free(r.gs[i].eregions);
	}
	free(r.batches);
	free(r.gs);
	free(r.ps);
	free(r.ev);
	free(r.order);
	free(r.strs);
	free(r.stacks);
	ms_pairmap_free(&r.str_ids);
	ms_pairmap_free(&r.stack_ids);
	ms_pairmap_free(&r.batch_ids);
	ms_pairmap_free(&r.timer_gs);
	ms_pairmap_free(&r.g_ids);
	ms_pairmap_free(&r.p_ids);
	ms_arena_free(&r.arena);
	return rc;
}
