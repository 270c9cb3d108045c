/* mgc_internal.h — the collector's internal types and cross-file functions:
 * a concurrent tri-color mark & sweep collector for C objects
 * allocated with ms_alloc on the allocator's heap (same page heap, spans
 * and size classes as malloc).
 *
 * Glossary (Go's names where Go has one):
 *   gcspan      the collector's record of a span holding GC objects: the
 *               alloc bits (slot in use), the mark bits (slot reached this
 *               cycle), sweepgen. msrt_span.gcs points to it; malloc spans
 *               have gcs == NULL.
 *   span class  size class × 2 + noscan (class 0 = one large object)
 *   gcthread    an attached thread: its stack bounds, its saved context
 *               while stopped, its allocation cache (one span per span
 *               class), its mark work buffer (gcw) and assist times
 *   gcw         a marker's local buffer of grey objects; full buffers go
 *               to a global list, a marker with an empty buffer takes one
 *   crit        a thread in the collector's critical section (allocation,
 *               barrier, a batch of marking) stops for the world only at
 *               the section's ends (safepoints, mstw.c)
 *   sweepgen    Go's scheme: mheap sweepgen sg grows by 2 at every mark
 *               termination; span.sweepgen == sg−2: needs sweeping,
 *               sg−1: being swept, sg: swept and ready
 *
 * Phases (mgc.c drives them; the gctrace fields are in parentheses):
 *   off        no marking; allocation plain; barrier does nothing
 *   STW 1      stop the world, scan stacks, registers, globals and user
 *              roots, enable the barrier and black allocation (clock a)
 *   mark       concurrent: background worker + assists drain grey objects
 *              (clock b)
 *   STW 2      mark termination: take the threads' buffers; if any grey
 *              object is left, restart and mark on; else flip sweepgen and
 *              turn the barrier off (clock c)
 *   sweep      lazy (allocators sweep what they need) and background
 *
 * Locks: gc.lock (span lists) < mheap. Only threads inside a crit section
 * (or the collector thread, or the work of a stop) take work.lock and
 * roots_lock, so no stopped thread ever holds them; gc.lock and the heap
 * lock are taken outside crit sections only, so a stopped thread may hold
 * them, and neither a crit section nor a stop's work waits on them.
 */
#ifndef MGC_INTERNAL_H
#define MGC_INTERNAL_H

#include <signal.h>
#include <ucontext.h>

#include "rt/msrt_internal.h"

#define MGC_NSPC (MSRT_NUM_CLASSES * 2)
#define MGC_MAX_SLOTS 1024            /* 8-byte class in one 8 KiB page */
#define MGC_BITWORDS (MGC_MAX_SLOTS / 64)
#define MGC_OBLET (128u << 10)        /* large objects are scanned in 128 KiB pieces */

enum { MGC_OFF = 0, MGC_MARK = 1 };

typedef struct msrt_gcspan {
	msrt_span *span;
	uintptr_t base;
	uint32_t elemsize;    /* large: span bytes */
	uint32_t nelems;
	uint32_t divmul;      /* slot = ((p − base) · divmul) >> 32, Go's divMagic */
	uint32_t freeindex;   /* next slot to look at when allocating */
	uint32_t nalloc;      /* slots in use */
	uint32_t fresh_from;  /* slots ≥ this were never handed out and are zero */
	_Atomic uint32_t sweepgen;
	uint16_t spc;
	uint8_t noscan, large;
	uint8_t owned;        /* held by a thread's cache (gc.lock) */
	uint8_t in_avail;     /* on gc.avail[spc] (gc.lock) */
	uint32_t allidx;      /* index in the all-spans table */
	uint32_t counted_cycle; /* cycle whose heap_live counted this span's free slots */
	struct msrt_gcspan *anext, *aprev; /* gc.avail[spc] */
	uint64_t allocbits[MGC_BITWORDS];
	uint64_t markbits[MGC_BITWORDS];  /* atomic or, relaxed reads */
} msrt_gcspan;

/* ---- mark work (mgcmark.c) ------------------------------------------------ */
typedef struct mgc_work {
	uintptr_t p;
	size_t n;
} mgc_work;

#define MGC_WBUF_ENTRIES 255
typedef struct mgc_wbuf {
	struct mgc_wbuf *next;
	size_t n;
	mgc_work e[MGC_WBUF_ENTRIES];
} mgc_wbuf;

typedef struct mgc_gcw {
	mgc_wbuf *cur;
	uint64_t scan_work;     /* bytes scanned this cycle */
	uint64_t marked_bytes;  /* bytes of objects this marker shaded */
} mgc_gcw;

/* ---- threads (mstw.c) ---------------------------------------------------------- */
typedef struct msrt_gcthread {
	struct msrt_gcthread *next, *prev;
	pthread_t thread;
	uint32_t tid;
	uintptr_t stack_lo, stack_hi;
	uintptr_t tls_lo, tls_hi;          /* static TLS outside the stack bounds (0: none) */
	int auto_attached;
	volatile sig_atomic_t in_crit;
	_Atomic uint32_t stop_id;          /* the last stop this thread arrived at (mstw.c) */
	uintptr_t stopped_sp;              /* lowest stack address to scan while stopped */
	uintptr_t stopped_regs[32];        /* its general registers then (mstw.c) */
	uint32_t nstopped_regs;
	msrt_gcspan *cache[MGC_NSPC];
	mgc_gcw gcw;
	uint64_t black_bytes;              /* allocated black this cycle */
	uint64_t assist_ns;                /* CPU time in assists this cycle (mgc_assist) */
	uint64_t assist_wait_ns;           /* wall time waiting for mark work in assists */
	_Atomic uint32_t flush_seen;       /* last mgc.flush_epoch this thread answered */
} msrt_gcthread;

extern MSRT_HIDDEN __thread msrt_gcthread *msrt_tls_gct __attribute__((tls_model("initial-exec")));
extern MSRT_HIDDEN pthread_mutex_t mgc_threads_lock;
extern MSRT_HIDDEN msrt_gcthread mgc_threads; /* sentinel */

MSRT_HIDDEN int mgc_stw_init(void);
MSRT_HIDDEN msrt_gcthread *mgc_attach(int automatic);
MSRT_HIDDEN void mgc_detach(void);

/* Stopping the world (mstw.c): mgc_stw(fn, arg, tm) stops every attached
 * thread at a safepoint and runs fn(arg) on whichever participant arrives
 * last — a mutator, or the caller — then releases them; it returns when
 * the world runs again. fn must not take a lock that a thread outside its
 * crit sections may hold (heap lock, gc.lock, cycle_lock), nor enter a
 * crit section. The caller is not an attached thread (the collector's
 * driver is not) and holds mgc_threads_lock meanwhile. */
typedef void (*mgc_stw_fn)(void *arg);
typedef struct mgc_stw_times {
	uint64_t req_ns;    /* the request */
	uint64_t first_ns;  /* the first mutator stopped (0: none did before the work) */
	uint64_t act_ns;    /* the work began (the last arrival) */
	uint64_t end_ns;    /* the world was released */
	int by_mutator;     /* the work ran on a mutator thread */
	int nthreads, nsignalled;
} mgc_stw_times;
MSRT_HIDDEN void mgc_stw(mgc_stw_fn fn, void *arg, mgc_stw_times *tm);
/* The pause: from the first mutator stopped (or the work's start) to the release. */
MSRT_HIDDEN uint64_t mgc_stw_pause_ns(const mgc_stw_times *tm);
extern MSRT_HIDDEN _Atomic int mgc_stw_req; /* a stop is requested */
extern MSRT_HIDDEN int mgc_use_membarrier;   /* 0: every thread not arrived is signalled */
MSRT_HIDDEN void mgc_safepoint(msrt_gcthread *t);
MSRT_HIDDEN void mgc_crit_enter_slow(msrt_gcthread *t);

/* The crit fast paths need only compiler barriers against the requester
 * (it issues membarrier; see mstw.c). */
static inline void mgc_crit_enter(msrt_gcthread *t)
{
	t->in_crit = 1;
	atomic_signal_fence(memory_order_seq_cst);
	if (msrt_unlikely(atomic_load_explicit(&mgc_stw_req, memory_order_relaxed)))
		mgc_crit_enter_slow(t);
}

static inline void mgc_crit_exit(msrt_gcthread *t)
{
	atomic_signal_fence(memory_order_seq_cst);
	t->in_crit = 0;
	atomic_signal_fence(memory_order_seq_cst);
	if (msrt_unlikely(atomic_load_explicit(&mgc_stw_req, memory_order_relaxed)))
		mgc_safepoint(t);
}

/* ---- the collector's global state (mgc.c) ------------------------------------ */
/* cons/mark is the max over this many cycles (Go 1.21's pacer keeps 4:
 * one noisy cycle must not set the next trigger on its own). */
#define MGC_CONS_MARK_HIST 4
#define MGC_ALL_CHUNK 4096
#define MGC_ALL_CHUNKS 4096

typedef struct mgc_pacer {
	/* settings */
	int gogc;                   /* percent; < 0 = off */
	uint64_t mem_limit;         /* bytes; UINT64_MAX = none */
	/* state after the last mark termination */
	uint64_t heap_marked;       /* bytes marked live */
	uint64_t last_heap_scan;    /* scan work of the last cycle (heap bytes) */
	uint64_t stack_scan, globals_scan;
	double cons_mark;           /* max of the last MGC_CONS_MARK_HIST cycles */
	double cons_mark_hist[MGC_CONS_MARK_HIST];
	uint64_t heap_goal;         /* goal of the next / current cycle */
	uint64_t trigger;           /* heap_live that starts the next cycle */
	int measured;               /* a cycle has measured last_heap_scan */
	/* during mark (set at STW 1; the assist line itself is in mgcpacer.c) */
	double assist_ratio;        /* scan bytes owed per allocated byte, last revision */
	uint64_t mark_start_live;   /* heap_live at the start of mark (Go's triggered) */
	uint64_t cons_from;         /* where cons/mark counts allocation from: the trigger */
	uint64_t mark_goal;         /* the goal this mark is paced for */
	uint64_t mark_expected;     /* expected scan work (Go's scanWorkExpected) */
	double mark_scan_frac;      /* scannable share of heap_live (for Go's heapScan) */
	/* CPU limiter (leaky bucket, ns of CPU time) */
	double limiter_fill, limiter_cap;
	uint64_t limiter_last_ns;
	int limiter_on;
	/* for the trace: the two goals heap_goal is the smaller of
	 * (UINT64_MAX: none), and the last mark termination's measurement */
	uint64_t goal_gogc, goal_limit;
	double cons_mark_now, util_now;
	int cons_mark_measured;
} mgc_pacer;

typedef struct mgc_state {
	pthread_mutex_t lock;            /* span lists */
	msrt_gcspan **all[MGC_ALL_CHUNKS];
	_Atomic size_t nall;
	msrt_gcspan *avail[MGC_NSPC];    /* swept spans with free slots, not owned */
	msrt_fixalloc gcspanalloc;
	_Atomic uint32_t sweepgen;
	_Atomic size_t sweep_next;       /* next index in all[] to sweep */
	_Atomic size_t sweep_end;        /* all[] size when sweeping began */
	_Atomic int sweepers;            /* threads sweeping now */
	_Atomic int phase;
	_Atomic uint32_t flush_epoch;    /* ragged flush request before mark termination */
	_Atomic uint64_t heap_live;      /* bytes in GC objects + free slots of owned spans */
	_Atomic uint64_t span_bytes;     /* pages in GC spans (the GC heap's share of mapped memory) */
	_Atomic uint64_t scan_done;      /* scan work done this cycle, added per marking batch */
	_Atomic uint32_t mark_gen;       /* + 1 at every STW 1 */
	_Atomic int bg_draining;         /* the background worker is in a slice of marking */
	_Atomic uint64_t gc_bytes_freed, gc_objects_freed;
	_Atomic uint64_t gc_bytes_alloc, gc_objects_alloc;  /* cumulative, at refill */
	mgc_pacer pacer;
	int enabled;
	int ncpu;
	int poison;                      /* MSRT_GC_POISON=1: fill freed slots */
	/* cycle driver */
	pthread_t driver;
	pthread_mutex_t cycle_lock;
	pthread_cond_t cycle_cond;       /* driver waits for work, callers for cycles */
	int cycle_wanted, forced_wanted;
	uint64_t cycles_done;            /* = num_gc */
	int driver_running;
	/* stats */
	uint64_t start_ns;
	uint64_t pause_total_ns, pause_max_ns;
	uint64_t gc_cpu_ns;              /* cumulative GC CPU for the P% field */
	uint64_t assist_ns_cycle, assist_wait_ns_cycle; /* of threads detached this cycle */
	int gctrace_fd;
	int scavtrace;
	uint64_t last_scav_total;
	/* user roots */
	struct { uintptr_t lo, hi; } roots[256];
	int nroots;
	pthread_mutex_t roots_lock;
} mgc_state;

extern MSRT_HIDDEN mgc_state mgc;

/* Ragged barrier (Go's forEachP flush before mark termination): when the
 * driver bumps flush_epoch, each thread gives its grey buffer to the
 * global list at its next allocation or barrier, so STW 2 rarely finds
 * work and has to restart. */
MSRT_HIDDEN void mgc_flush_ack(msrt_gcthread *t);
static inline void mgc_poll_flush(msrt_gcthread *t)
{
	if (msrt_unlikely(atomic_load_explicit(&t->flush_seen, memory_order_relaxed) !=
			  atomic_load_explicit(&mgc.flush_epoch, memory_order_relaxed)))
		mgc_flush_ack(t);
}

static inline msrt_gcspan *mgc_all_get(size_t i)
{
	msrt_gcspan **chunk = __atomic_load_n(&mgc.all[i / MGC_ALL_CHUNK], __ATOMIC_ACQUIRE);
	return chunk ? __atomic_load_n(&chunk[i % MGC_ALL_CHUNK], __ATOMIC_ACQUIRE) : NULL;
}
static inline void mgc_all_set(size_t i, msrt_gcspan *s)
{
	__atomic_store_n(&mgc.all[i / MGC_ALL_CHUNK][i % MGC_ALL_CHUNK], s, __ATOMIC_RELEASE);
}

/* mgc.c */
MSRT_HIDDEN uint64_t mgc_thread_cputime(void);
MSRT_HIDDEN void mgc_release_cache(msrt_gcthread *t);

/* mgcmark.c */
MSRT_HIDDEN void mgc_mark_init(void);
MSRT_HIDDEN void mgc_shade(uintptr_t w, mgc_gcw *g);
MSRT_HIDDEN void mgc_scan_range(uintptr_t lo, uintptr_t hi, mgc_gcw *g);
/* Drains up to budget bytes of scan work; returns the work done. With
 * t != NULL each object is scanned inside t's crit section. */
MSRT_HIDDEN uint64_t mgc_drain(mgc_gcw *g, msrt_gcthread *t, uint64_t budget);
MSRT_HIDDEN void mgc_gcw_flush(mgc_gcw *g); /* local buffer → global list */
MSRT_HIDDEN int mgc_work_empty(void);
/* Roots, with the world stopped: stacks/registers, globals, user roots.
 * Returns the bytes of stack and of globals scanned. */
MSRT_HIDDEN void mgc_globals_collect(void);
MSRT_HIDDEN void mgc_mark_roots(mgc_gcw *g, uint64_t *stack_bytes, uint64_t *global_bytes);
/* While marking, before bytes more are counted in heap_live: scan work
 * (or a wait) until the mutators are back on the pacer's line. */
MSRT_HIDDEN void mgc_assist(msrt_gcthread *t, uint64_t bytes);
/* The background worker: wakes the threads waiting in assists — all of
 * them (all = 1: it handed out work, or the mark ended), or only when
 * scan_done reached what the first of them owes. */
MSRT_HIDDEN void mgc_assist_wake(int all);

/* mgcsweep.c */
/* Sweeps s if it needs it (or waits for whoever is sweeping it). */
MSRT_HIDDEN void mgc_ensure_swept(msrt_gcspan *s);
/* Sweeps one span from the sweep queue; 0 when none is left. */
MSRT_HIDDEN int mgc_sweep_one(void);
MSRT_HIDDEN void mgc_finish_sweep(void);
/* gc.lock held: puts a not-owned span where it belongs after a sweep or a
 * release (available list, or back to the page heap when empty). */
MSRT_HIDDEN void mgc_span_place_locked(msrt_gcspan *s);
MSRT_HIDDEN void mgc_avail_remove_locked(msrt_gcspan *s);

/* mgcpacer.c */
MSRT_HIDDEN void mgc_pacer_init(void);
MSRT_HIDDEN void mgc_pacer_start_cycle(uint64_t heap_live, uint64_t stack_scan, uint64_t globals_scan, int forced);
/* revise: the driver, each mark slice; try_revise: a mutator in its crit
 * section, when the line is stale (returns 0 if another revision runs);
 * debt: scan work the mutators owe at (heap_live, scan_done) by the line
 * (> 0: assist), *stale set when the point is past either end of it. */
MSRT_HIDDEN void mgc_pacer_revise(uint64_t heap_live, uint64_t scan_done);
MSRT_HIDDEN int mgc_pacer_try_revise(uint64_t heap_live, uint64_t scan_done);
MSRT_HIDDEN double mgc_pacer_debt(uint64_t heap_live, uint64_t scan_done, int *stale);
typedef struct mgc_mem_snapshot {
	uint64_t mapped;   /* heap_sys − heap_released + metadata */
	uint64_t non_heap; /* mapped − free pages − GC span pages */
} mgc_mem_snapshot;
MSRT_HIDDEN void mgc_pacer_mem_snapshot(mgc_mem_snapshot *m);
/* with the world stopped, at mark termination */
MSRT_HIDDEN void mgc_pacer_end_cycle(uint64_t heap_marked, uint64_t heap_live_at_term, uint64_t scan_work,
	uint64_t stack_scan, uint64_t globals_scan, uint64_t mark_ns, uint64_t bg_ns, uint64_t assist_ns,
	uint64_t assist_wait_ns, const mgc_mem_snapshot *m);
MSRT_HIDDEN void mgc_pacer_commit(void);
MSRT_HIDDEN void mgc_limiter_update(uint64_t gc_cpu_ns, uint64_t wall_ns);
MSRT_HIDDEN void mgc_limit_scavenge(void);

/* mgcevent.c: the collector's records in the event trace (layout in
 * mtrace.c); each does nothing while the trace is off. The driver calls
 * begin (STW 1, before the pacer starts the cycle), stw for each stop,
 * and end with what it printed in the gctrace line; the pacer calls
 * revise. */
enum { MGC_STW_SWEEP_TERM = 1, MGC_STW_MARK_RESTART = 2, MGC_STW_MARK_TERM = 3 };
typedef struct mgc_ev_cycle {
	uint64_t n, at_ns, heap0, heap1, heap2, goal, stacks, globals;
	uint64_t assist_ns, bg_ns, gc_cpu_ns, now_ns, scan_work, assist_scan;
	int forced;
} mgc_ev_cycle;
MSRT_HIDDEN void mgc_ev_cycle_begin(void);
MSRT_HIDDEN void mgc_ev_stw(int kind, uint64_t t0, uint64_t t1);
MSRT_HIDDEN void mgc_ev_revise(uint64_t heap_live, uint64_t scan_done, double assist_ratio);
MSRT_HIDDEN void mgc_ev_cycle_end(const mgc_ev_cycle *c);
MSRT_HIDDEN void mgc_ev_settings(void);
/* The sweep of sweepgen sg ran out of spans: publishes the heap profile
 * as of that cycle's mark termination (again = 1: also when already
 * done, for frees that came late) and writes the 'W' record once. */
MSRT_HIDDEN void mgc_ev_sweep_done(uint32_t sg, int again);


#endif
