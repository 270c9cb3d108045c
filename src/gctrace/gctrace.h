/* gctrace.h — reading and analysing Go GC traces (GODEBUG=gctrace=1).
 *
 * This is the public API of src/gctrace/: `memscope gctrace` uses it, and so
 * can anything else that meets the format (the bundled runtime writes it,
 * `memscope leaks --gctrace` reads it). Libraries never print: warnings are
 * collected in the log, errors go to an ms_err.
 *
 * Glossary
 *   cycle      one `gc N @T s P%: ...` line: a completed GC cycle.
 *   STW pause  the stop-the-world parts of a cycle, wall clock: sweep
 *              termination + mark termination (Go 1.5 also stops the world
 *              to install the write barrier, the third of its five phases).
 *   live heap  `C` in `A->B->C MB`: bytes marked live by this cycle.
 *   goal       `D MB goal`: the heap size the pacer aimed this cycle to end at.
 *   scavenger  the runtime's background returner of free pages to the OS;
 *              it prints `scvg…`/`scav …` lines.
 *   pacer      lines from GODEBUG=gcpacertrace=1, prefixed `pacer:`.
 *   foreign    any other line (program output): counted and skipped.
 *
 * Line formats recognised (anywhere in a line, so timestamps and container
 * log prefixes such as `2024-01-02T03:04:05Z stderr F ` do not matter):
 *   Go 1.5      gc N @Ts P%: a+b+c+d+e ms clock, a+b+c+as/bg/id+g ms cpu,
 *               H0->H1->H2 MB, G MB goal, N P
 *   Go 1.6–1.17 gc N @Ts P%: a+b+c ms clock, a+as/bg/id+c ms cpu,
 *               H0->H1->H2 MB, G MB goal, N P
 *   Go 1.18+    ... G MB goal, S MB stacks, L MB globals, N P
 *   any         trailing ` (forced)`: a user-forced cycle (runtime.GC etc.)
 *   scavenger   scvgK: inuse: a, idle: b, sys: c, released: d, consumed: e (MB)
 *               scvgK: X MB released      (K may be -1; also `scvg:` and
 *               `forced scvg:` in Go 1.13)
 *               scav G X KiB work, Y KiB total, P% util          (1.14–1.18)
 *               scav X KiB work (bg), Y KiB work (eager), Z KiB now, P% util
 *               — either may end ` (forced)`
 *   pacer       pacer: H_m_prev=… h_t=… H_T=… H_a=… H_g=… u_a=… (≤1.17)
 *               pacer: U% CPU (E exp.) for A+B+C B work (W B exp.) in T B ->
 *                 L B (∆goal D, cons/mark X)[controller reset]       (1.18+)
 *               pacer: assist ratio=…, pacer: sweep done at …   (counted)
 *   other       `GC forced` (the runtime's 2-minute periodic GC notice)
 *
 * Runtime traces: ms_gctrace_read also takes an event trace of memscope's
 * own runtime (trace.out, magic "MSRTRACE", plain or gzip) and fills the
 * same cycles from the collector's records, plus log->trace with what the
 * lines cannot show (trace_gc.c, trace_stats.c).
 *
 * Units: times are stored in microseconds (the format prints milliseconds
 * with at most three decimals, so this is exact), heap sizes in MB as
 * printed (MiB, truncated). Values beyond the field types' ranges are not
 * clamped: the line is rejected with an "out of range" warning.
 */
#ifndef MS_GCTRACE_H
#define MS_GCTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/fit.h"
#include "util/severity.h"

/* ---- records ------------------------------------------------------------ */

enum ms_gc_format {
	MS_GC_GO15 = 1, /* five clock phases */
	MS_GC_GO16,     /* Go 1.6–1.17: three phases, ends "G MB goal, N P" */
	MS_GC_GO118,    /* Go 1.18+: "S MB stacks, L MB globals" */
};

/* Indexes into ms_gc_cycle.cpu_us (normalised across formats). */
enum ms_gc_cpu {
	MS_CPU_SWEEP_TERM, /* STW sweep termination (stwprocs × wall) */
	MS_CPU_ASSIST,     /* mutator assists during mark */
	MS_CPU_BG,         /* dedicated + fractional background workers */
	MS_CPU_IDLE,       /* idle-time marking (free CPU) */
	MS_CPU_MARK_TERM,  /* STW mark termination */
	MS_CPU_SCAN,       /* Go 1.5 only: concurrent scan phase */
	MS_CPU_INSTALL_WB, /* Go 1.5 only: STW write-barrier installation */
	MS_CPU_N
};

/* One GC cycle: about 100 bytes, so a log of millions of cycles stays small
 * (the text of a line is ~150 bytes). */
typedef struct ms_gc_cycle {
	uint64_t n;          /* gc N */
	uint64_t line;       /* 1-based line number in the input */
	int64_t at_us;       /* @T: start of the cycle since process start */
	uint32_t sweep_term_us; /* STW sweep termination, wall clock */
	uint32_t mark_us;       /* concurrent mark (and Go 1.5 scan), wall */
	uint32_t mark_term_us;  /* STW mark termination, wall */
	uint32_t install_wb_us; /* Go 1.5 only: STW write-barrier install */
	uint32_t cpu_us[MS_CPU_N];
	uint32_t heap_start_mb; /* A: heap in use when the cycle started */
	uint32_t heap_end_mb;   /* B: heap in use at mark termination */
	uint32_t heap_live_mb;  /* C: marked live */
	uint32_t goal_mb;       /* D: heap goal (0 when absent) */
	uint32_t stacks_mb;     /* Go 1.18+ scannable stacks */
	uint32_t globals_mb;    /* Go 1.18+ scannable globals */
	uint32_t procs;         /* GOMAXPROCS */
	uint8_t cpu_pct;        /* P%: cumulative GC CPU share, as printed */
	uint8_t format;         /* enum ms_gc_format */
	uint8_t forced;         /* " (forced)" */
	uint8_t has_goal;       /* "D MB goal" present */
} ms_gc_cycle;

/* Pause (STW) of a cycle, wall clock, µs. */
static inline uint64_t ms_gc_cycle_pause_us(const ms_gc_cycle *c)
{
	return (uint64_t)c->sweep_term_us + c->mark_term_us + c->install_wb_us;
}

enum ms_scav_kind {
	MS_SCAV_STATS = 1, /* scvgK: inuse: …, released: …, consumed: … (MB) */
	MS_SCAV_RELEASED,  /* scvgK: X MB released */
	MS_SCAV_WORK,      /* scav G X KiB work, Y KiB total, P% util */
	MS_SCAV_BG_EAGER,  /* scav X KiB work (bg), Y KiB work (eager), Z KiB now */
};

typedef struct ms_scav_event {
	uint64_t line;
	uint64_t released_kib; /* returned to the OS by this event */
	uint64_t retained_kib; /* heap released so far (total/now/released) */
	uint64_t inuse_mb, idle_mb, sys_mb, consumed_mb; /* MS_SCAV_STATS */
	uint64_t eager_kib;    /* MS_SCAV_BG_EAGER: part of released_kib */
	int32_t util_pct;      /* -1 when absent */
	uint8_t kind;          /* enum ms_scav_kind */
	uint8_t forced;
} ms_scav_event;

enum ms_pacer_kind {
	MS_PACER_CYCLE = 1, /* end-of-cycle controller summary (either era) */
	MS_PACER_ASSIST,    /* assist ratio=… */
	MS_PACER_SWEEP,     /* sweep done at heap size … */
	MS_PACER_OTHER,
};

typedef struct ms_pacer_event {
	uint64_t line;
	uint64_t after_cycles; /* gc lines seen before it (it precedes its gc line) */
	double util_pct;       /* GC CPU utilisation of the mark (-1 unknown) */
	double trigger_bytes;  /* heap size that triggered the cycle (H_T / "in T B") */
	double live_bytes;     /* heap at mark end (H_a / "-> L B") */
	double goal_bytes;     /* goal (H_g, or L − ∆goal), 0 unknown */
	double cons_mark;      /* 1.18+ cons/mark, 0 unknown */
	uint8_t kind;          /* enum ms_pacer_kind */
	uint8_t reset;         /* "[controller reset]" */
} ms_pacer_event;

/* ---- what a runtime trace adds ---------------------------------------------
 * A trace of memscope's bundled runtime (MSRT_TRACE's trace.out, `memscope
 * run --trace`) holds each cycle unrounded plus what the text lines cannot
 * show: the trigger, every stop-the-world window (mark terminations that
 * found work and restarted marking too), the pacer's cons/mark and assist
 * ratio revisions, the memory-limit goal and the CPU limiter. Times are on
 * the trace's clock (ns since the trace started). */

enum ms_gc_stw_kind {
	MS_STW_SWEEP_TERM = 1,   /* sweep termination (clock a) */
	MS_STW_MARK_RESTART = 2, /* mark termination that found grey objects */
	MS_STW_MARK_TERM = 3,    /* mark termination (with the restarts: clock c) */
};

typedef struct ms_gc_stw {
	uint64_t start_ns, end_ns;
	uint8_t kind; /* enum ms_gc_stw_kind */
} ms_gc_stw;

typedef struct ms_gc_assist_rev {
	uint64_t t_ns, heap_live, scan_done; /* bytes */
	double ratio;                        /* scan bytes owed per allocated byte */
} ms_gc_assist_rev;

typedef struct ms_gc_cycle_trace {
	/* phase changes: sweep termination starts, mark starts, mark ends
	 * (the final termination's stop begins), the world restarts after
	 * it, the sweep ran out of spans (0: not recorded; may precede
	 * term_end_ns: threads restarted first can finish a small sweep
	 * before the collector times the restart) */
	uint64_t start_ns, mark_start_ns, mark_end_ns, term_end_ns, sweep_end_ns;
	uint64_t heap_start, heap_end, heap_live, goal, stacks, globals; /* bytes */
	uint64_t trigger;              /* 0: none (GOGC off, no limit) */
	uint64_t goal_gogc, goal_limit; /* the two goals (0: none); goal is the smaller */
	uint64_t mem_limit;            /* 0: none */
	int32_t gogc;                  /* -1: off */
	uint64_t next_goal, next_trigger; /* chosen at this cycle's end */
	uint64_t scan_work, assist_scan;  /* bytes scanned, by assists */
	uint64_t assist_ns, bg_ns, idle_ns, gc_cpu_ns; /* CPU; gc_cpu_ns cumulative */
	uint64_t stw_dropped, stw_dropped_ns; /* restarts beyond the recorded windows */
	double cons_mark;          /* the value the trigger was computed from */
	double cons_mark_measured; /* this cycle's measurement (has_cons_mark) */
	double utilization;        /* GC CPU share of the mark */
	double limiter_fill;       /* CPU limiter bucket, 0..1 */
	uint8_t has_cons_mark, limiter_on, revs_thinned;
	size_t stw_first, nstw;    /* into ms_gctrace_trace.stw */
	size_t rev_first, nrev;    /* into ms_gctrace_trace.revs */
} ms_gc_cycle_trace;

typedef struct ms_gc_setting {
	uint64_t t_ns, mem_limit, goal, trigger; /* 0: none */
	int32_t gogc;                            /* -1: off */
} ms_gc_setting;

typedef struct ms_gctrace_trace {
	ms_gc_cycle_trace *cycles; /* parallel to the log's cycles */
	size_t cap_cycles;
	ms_gc_stw *stw;
	size_t nstw, cap_stw;
	ms_gc_assist_rev *revs;
	size_t nrev, cap_rev;
	ms_gc_setting *settings;
	size_t nsettings, cap_settings;
	uint64_t records;       /* records in the file, of every kind */
	uint64_t sweep_records; /* 'W' */
	uint64_t pid, wall_ns;  /* from the header */
	int complete;           /* the 'E' record was seen */
} ms_gctrace_trace;

/* ---- one-line parser ---------------------------------------------------- */

enum ms_gctrace_line_kind {
	MS_LINE_FOREIGN = 0, /* not a runtime line */
	MS_LINE_GC,          /* out->cycle filled */
	MS_LINE_SCAV,        /* out->scav filled */
	MS_LINE_PACER,       /* out->pacer filled */
	MS_LINE_GC_FORCED,   /* "GC forced" */
	MS_LINE_BAD,         /* a runtime line that does not parse: out->why */
};

typedef struct ms_gctrace_record {
	union {
		ms_gc_cycle cycle;
		ms_scav_event scav;
		ms_pacer_event pacer;
	} u;
	const char *why; /* MS_LINE_BAD: static text, e.g. "expected ' ms clock'" */
	size_t offset;   /* where in the line the record starts */
	size_t why_offset; /* MS_LINE_BAD: where in the line the problem is */
} ms_gctrace_record;

/* Classifies and parses one line (without its newline; need not be
 * NUL-terminated; any bytes). Never reads outside [line, line+len). The
 * record's line fields are left 0 for the caller to set. */
enum ms_gctrace_line_kind ms_gctrace_parse_line(const char *line, size_t len, ms_gctrace_record *out);
/* The two readers of a gc line starting at line[0] ("gc N @..."), apart:
 * the general one reads every format; the fast one only the Go 1.6-1.17
 * and 1.18+ shapes with short numbers, into the same record (a subset of
 * what the general one accepts). 1 when the line parses. For tests. */
int ms_gctrace_parse_gc_general(const char *line, size_t len, ms_gc_cycle *c);
int ms_gctrace_parse_gc_fast(const char *line, size_t len, ms_gc_cycle *c);

/* ---- a whole log ---------------------------------------------------------- */

typedef struct ms_gctrace_warning {
	uint64_t line; /* 0 = not tied to a line */
	char msg[120];
} ms_gctrace_warning;

#define MS_GCTRACE_MAX_WARNINGS 64  /* kept; more are only counted */
#define MS_GCTRACE_MAX_LINE (1u << 20) /* longer lines are skipped as foreign */

typedef struct ms_gctrace_acc ms_gctrace_acc; /* the analysis, fed cycle by cycle (below) */
struct ms_gctrace_thresholds;

/* A log's cycle sink: called with the cycles in log order as they are read,
 * n at a time (the analysis, ms_gctrace_acc_sink, is one). */
typedef void ms_gctrace_cycle_fn(void *arg, const ms_gc_cycle *c, size_t n);

typedef struct ms_gctrace_log {
	char *name; /* as given: a path or "-" */
	/* the cycles in order; NULL when they are dropped (drop_cycles, for a
	 * reader that only streams them to on_cycle): ncycles still counts them */
	ms_gc_cycle *cycles;
	size_t ncycles, cap_cycles;
	ms_gctrace_cycle_fn *on_cycle; /* NULL, or sees every cycle as it is read */
	void *on_cycle_arg;
	int drop_cycles;
	ms_scav_event *scav;
	size_t nscav, cap_scav;
	ms_pacer_event *pacer;
	size_t npacer, cap_pacer;
	uint64_t lines;         /* lines read */
	uint64_t foreign_lines; /* skipped program output */
	uint64_t bad_lines;     /* runtime-looking lines that did not parse */
	uint64_t gc_forced_notices; /* "GC forced" lines */
	uint64_t bytes;         /* bytes read (decompressed) */
	ms_gctrace_trace *trace; /* read from a runtime trace (else NULL) */
	ms_gctrace_warning *warnings; /* at most MS_GCTRACE_MAX_WARNINGS */
	size_t nwarnings;
	uint64_t warnings_total;
	/* --strict: line numbers of foreign lines (first MS_GCTRACE_MAX_WARNINGS) */
	int keep_foreign;
	uint64_t *foreign_at;
	size_t nforeign_at;
	/* streaming state */
	char *pending; /* a line split across feeds */
	size_t npending, cap_pending;
	int overlong;  /* inside a line longer than MS_GCTRACE_MAX_LINE */
	struct ms_gotrace_gc *gotrace; /* read from a Go execution trace (else NULL) */
	/* a gc line the program's own output cut short ("gc 24 @0.446s 0%: "
	 * then the program's text and a line break), held until the next line
	 * brings the rest (parse.c, stitch_held) */
	char *held;
	size_t nheld;
	uint64_t held_line;
	const char *held_why; /* why it did not parse alone, at column held_col */
	size_t held_col;
	size_t held_fail;     /* where its parse failed, from the start of held */
} ms_gctrace_log;

/* Creates an empty log named name (copied). */
ms_gctrace_log *ms_gctrace_log_new(const char *name);
/* Hands every cycle fed from now on to fn(arg, ...); with drop, cycles are
 * not kept (log->cycles stays NULL, ncycles counts them), so a log of any
 * length costs no memory per cycle. A runtime or Go execution trace keeps
 * its (few) cycles anyway, and hands them over once it is read. */
void ms_gctrace_log_sink(ms_gctrace_log *log, ms_gctrace_cycle_fn *fn, void *arg, int drop);
void ms_gctrace_log_free(ms_gctrace_log *log);
/* Feeds n bytes; lines may be split anywhere across calls. */
void ms_gctrace_log_feed(ms_gctrace_log *log, const char *data, size_t n);
/* Ends the input: parses a last line without a newline (with a warning that
 * it was truncated). */
void ms_gctrace_log_finish(ms_gctrace_log *log);
/* How to read: keep_foreign records foreign line numbers (--strict);
 * on_cycle/arg/drop_cycles as ms_gctrace_log_sink. */
typedef struct ms_gctrace_read_opts {
	int keep_foreign;
	ms_gctrace_cycle_fn *on_cycle;
	void *arg;
	int drop_cycles;
} ms_gctrace_read_opts;

/* Reads a file (gzip transparently, "-" = stdin) into a new log (o NULL:
 * keep everything, no sink). NULL on an I/O error (err names the file). A
 * log with no runtime lines is returned: the caller decides
 * (ms_gctrace_log_empty). */
ms_gctrace_log *ms_gctrace_read(const char *path, const ms_gctrace_read_opts *o, ms_err *err);
/* True when the log holds no gc, scavenger or pacer line. */
int ms_gctrace_log_empty(const ms_gctrace_log *log);
/* Fills an empty log from a whole runtime trace (trace_gc.c): a cycle per
 * 'G' record (line 0), log->trace with the rest. -1 on bad input (err:
 * "'NAME': byte N: what"). Readers use ms_gctrace_read, which detects the
 * trace's magic (also gzipped). */
int ms_gctrace_load_trace(ms_gctrace_log *log, const uint8_t *data, size_t n, ms_err *err);
void ms_gctrace_trace_free(ms_gctrace_trace *tr);

/* ---- analysis ------------------------------------------------------------- */


/* Thresholds of the findings (defaults from ms_gctrace_thresholds_default,
 * documented with each rule in analyze.c and in the man page). */
typedef struct ms_gctrace_thresholds {
	/* live_heap_growth: over the last half of the cycles (≥ min_cycles). */
	size_t growth_min_cycles;     /* 6 */
	double growth_min_r2;         /* 0.7: the rise is steady, not a sawtooth */
	double growth_min_ratio;      /* 0.2: fitted rise ≥ 20% of the window's mean */
	double growth_critical_ratio; /* 1.0: live heap doubled across the window */
	/* frequent_gc */
	double freq_info_ms;  /* median interval ≤ 20 ms (≥ 50 GC/s): info */
	double freq_warn_ms;  /* ≤ 5 ms: warn */
	double cpu_warn_pct;  /* GC CPU ≥ 10%: warn */
	double cpu_crit_pct;  /* ≥ 25%: critical */
	/* long_pause */
	double pause_floor_ms;     /* 1 ms: shorter pauses are never outliers */
	double pause_outlier_x;    /* 10 × median */
	double pause_warn_ms;      /* 10 ms */
	double pause_crit_ms;      /* 100 ms */
	/* assist_heavy: assists' share of mark CPU (assist+bg+idle) */
	double assist_warn_share;  /* 0.25 */
	double assist_crit_share;  /* 0.5 */
	/* goal_overshoot: heap at mark end above goal by ≥ max(mb, pct) */
	double overshoot_min_mb;   /* 2 MB (the format truncates to whole MB) */
	double overshoot_min_pct;  /* 10% */
	double overshoot_warn_frac;/* ≥ 10% of cycles overshoot: warn */
	/* memory_limit_thrash: goal pinned (range ≤ 5%) over ≥ 5 cycles while
	 * the live heap moves (range ≥ 20%) */
	size_t pinned_min_cycles;  /* 5 */
	double pinned_goal_range;  /* 0.05 */
	double pinned_live_range;  /* 0.20 */
	double thrash_live_frac;   /* live ≥ 85% of the goal: thrash */
	/* findings judged over a run need this many cycles (frequent_gc, the
	 * memory-limit regimes) */
	size_t min_cycles;         /* 10 */
} ms_gctrace_thresholds;

void ms_gctrace_thresholds_default(ms_gctrace_thresholds *t);

typedef struct ms_gctrace_finding {
	enum ms_severity severity;
	const char *kind;    /* "live_heap_growth", ... (static) */
	char message[240];   /* one line with the numbers and the cycle range */
	const char *hint;    /* what to do (static) */
	uint64_t first_gc, last_gc; /* evidence: cycle range (gc numbers) */
	double t_first_s, t_last_s; /* same range in seconds */
} ms_gctrace_finding;

typedef struct ms_dist {
	size_t n;
	double mean, p50, p90, p99, min, max;
	size_t max_index; /* index into cycles of the max */
	uint64_t max_gc;  /* its gc number */
} ms_dist;

typedef struct ms_gctrace_stats {
	size_t gc_count, forced_count;
	uint64_t first_gc, last_gc;
	size_t runs;           /* > 1 when gc numbering restarts (several processes) */
	size_t missing_cycles; /* gaps in gc numbering within a run */
	int format;            /* of the last cycle (enum ms_gc_format), 0 none */
	double first_s, last_s, span_s; /* @T of the first and last cycle */
	ms_dist interval_ms;   /* between consecutive starts within a run */
	int gc_cpu_last_pct;   /* P% of the last cycle, -1 none */
	double gc_cpu_computed_pct; /* Σ(stw cpu + assist + bg) / Σ(P × elapsed) */
	ms_dist pause_ms;      /* STW per cycle; max_index names the cycle */
	double pause_total_ms;
	ms_dist mark_ms;       /* concurrent mark wall clock */
	double cpu_assist_ms, cpu_bg_ms, cpu_idle_ms, cpu_stw_ms;
	double assist_share;   /* assist / (assist + bg + idle), 0..1 */
	uint64_t heap_peak_mb; /* max of heap at start / at mark end */
	uint64_t live_first_mb, live_last_mb, live_max_mb, goal_max_mb;
	size_t overshoot_cycles; /* heap at mark end > goal by the threshold */
	double overshoot_max_pct; size_t overshoot_max_index;
	uint64_t overshoot_max_gc; /* that cycle: gc number, heap at mark end, goal */
	uint32_t overshoot_max_heap_end_mb, overshoot_max_goal_mb;
	double live_slope_mb_per_min; /* least squares over the last run */
	double live_r2;
	size_t trend_cycles;   /* cycles live_heap_growth judged (the last half of the last run) */
	size_t trend_min_cycles; /* fewer than this: too few to judge a trend */
	uint32_t procs_first, procs_last; size_t procs_changes;
	size_t scav_events, scav_forced;
	double scav_released_mb; /* Σ released by scavenger lines */
	double scav_retained_mb; /* last total/now/released value, -1 none */
	size_t pacer_lines, pacer_resets;
	double pacer_cons_mark_last; /* 0 none */
} ms_gctrace_stats;

/* What a runtime trace adds (trace_stats.c); sizes exact, times in ms. */
typedef struct ms_gctrace_trace_stats {
	ms_dist trigger_pct;        /* trigger as % of the goal (cycles with a trigger) */
	size_t below_trigger;       /* cycles that started below their trigger (forced) */
	size_t over_goal_cycles;    /* heap at mark end above the goal (exact bytes) */
	double over_goal_max_pct;
	size_t over_goal_max_index; /* index into the log's cycles */
	size_t cons_mark_n;         /* cycles that measured cons/mark */
	double cons_mark_first, cons_mark_last, cons_mark_min, cons_mark_max;
	size_t revisions;           /* assist ratio revisions recorded */
	ms_dist assist_ratio_max;   /* per cycle: its highest assist ratio */
	size_t assist_ratio_max_index;
	size_t stw_windows, stw_restarts, cycles_with_restarts;
	ms_dist stw_window_ms;      /* every window (restarts included) */
	size_t stw_max_index;       /* cycle of the longest window */
	int stw_max_kind;
	double assist_cpu_share;    /* assist / (assist + background + idle) CPU */
	double assist_scan_share;   /* bytes scanned by assists / all scanned */
	ms_dist sweep_ms;           /* mark termination's end to the sweep's end (≥ 0) */
	size_t limit_bound_cycles;  /* the memory-limit goal was the smaller */
	size_t limiter_on_cycles;   /* the CPU limiter was on after the cycle */
	int32_t gogc_last;          /* -1 off */
	uint64_t mem_limit_last;    /* 0 none */
	size_t settings;            /* 'P' records */
} ms_gctrace_trace_stats;

typedef struct ms_gctrace_report {
	ms_gctrace_stats stats;
	ms_gctrace_finding *findings;
	size_t nfindings;
	ms_gctrace_trace_stats *trace; /* for a runtime trace (else NULL) */
} ms_gctrace_report;

/* Distribution of v[0..n) (reordered): mean, nearest-rank p50/p90/p99,
 * min, max (max_index left 0). */
void ms_gctrace_dist(double *v, size_t n, ms_dist *d);
/* The trace's additions for a log read from a runtime trace. */
ms_gctrace_trace_stats *ms_gctrace_trace_analyze(const ms_gctrace_log *log);

/* Computes stats and findings for log's kept cycles (th NULL = defaults).
 * Returns 0 or -1 when the log has no cycles and no scavenger lines, or
 * dropped its cycles (err says so). A log read with its cycles dropped is
 * reported by the accumulator that was its sink (ms_gctrace_acc_report). */
int ms_gctrace_analyze(const ms_gctrace_log *log, const ms_gctrace_thresholds *th,
	ms_gctrace_report *out, ms_err *err);
void ms_gctrace_report_free(ms_gctrace_report *r);

/* The analysis behind ms_gctrace_analyze, fed the cycles in order (in as
 * many calls as needed): a reader streams into one through its sink
 * (ms_gctrace_acc_sink with the accumulator as arg), and
 * ms_gctrace_acc_report then reports log (its scavenger lines, warnings,
 * trace extras) with the cycles the accumulator saw. */
ms_gctrace_acc *ms_gctrace_acc_new(const ms_gctrace_thresholds *th);
void ms_gctrace_acc_add(ms_gctrace_acc *a, const ms_gc_cycle *c, size_t n);
ms_gctrace_cycle_fn ms_gctrace_acc_sink; /* arg: the ms_gctrace_acc */
int ms_gctrace_acc_report(ms_gctrace_acc *a, const ms_gctrace_log *log, ms_gctrace_report *out, ms_err *err);
void ms_gctrace_acc_free(ms_gctrace_acc *a);

/* Highest severity among the findings, -1 when none. */
int ms_gctrace_report_worst(const ms_gctrace_report *r);


const char *ms_gc_format_name(int format);

/* Appends a warning (as the readers do) to log. */
void ms_gctrace_log_warn(ms_gctrace_log *log, uint64_t line, const char *msg);

/* ---- Go execution traces (gotrace_gc.c) -------------------------------------
 * `memscope gctrace trace.out` on runtime/trace's trace.out fills the log's
 * cycles from the trace's GC events (log->cycles, line 0) and keeps what the
 * gctrace lines cannot hold. Times are ns since the trace's first event. */

typedef struct ms_gotrace_cycle {
	int64_t start_ns, end_ns;              /* GC_BEGIN, GC_END */
	int64_t sweep_start_ns, sweep_end_ns;  /* sweep termination STW window */
	int64_t mark_term_start_ns, mark_term_end_ns; /* mark termination STW window, to the restart */
	uint64_t heap_start, heap_end, heap_live, goal; /* bytes */
	int64_t assist_ns, bg_ns, idle_ns;     /* CPU: assists, dedicated+fractional, idle workers */
	int64_t procs;
	size_t stw_first, nstw;                /* into ms_gotrace_gc.stw */
	int heap_live_set;
} ms_gotrace_cycle;

typedef struct ms_gt_pause {
	int64_t start_ns, end_ns; /* STW_BEGIN .. the world's restart (gotrace_gc.c) */
	const char *reason; /* "GC sweep termination", "GC mark termination", "read mem stats", ... */
	int64_t cycle;      /* index into cycles, -1 outside a cycle */
	int64_t traced_end_ns; /* its STW_END (later than end_ns when the restart came first) */
} ms_gt_pause;

typedef struct ms_gt_assist_wait {
	uint64_t goid;
	int64_t blocked_ns; /* Σ time blocked waiting for GC assist credit */
	uint64_t count;
	char *func;         /* where (first non-runtime frame of the first wait) */
} ms_gt_assist_wait;

typedef struct ms_gt_util {
	int64_t t_ns;
	double util; /* mutator utilization from t_ns on */
} ms_gt_util;

typedef struct ms_gt_mmu_point {
	int64_t window_ns;
	double utilization;
} ms_gt_mmu_point;

typedef struct ms_gotrace_gc {
	int version_minor;
	int64_t duration_ns, max_procs;
	uint64_t events, truncated_at;
	ms_gotrace_cycle *cycles; /* parallel to the log's cycles */
	size_t ncycles, cycles_cap;
	ms_gt_pause *stw;         /* every STW window, in order */
	size_t nstw, stw_cap;
	char **reasons;
	size_t nreasons, reasons_cap;
	ms_gt_assist_wait *assist_gs; /* longest blocked first */
	size_t nassist_gs, assist_gs_cap;
	ms_gt_util *util;         /* the mutator utilization function */
	size_t nutil, util_cap;
	/* the one `go tool trace` (Go 1.22, 1.23) computes on a generational
	 * trace, defects included (gotrace_gc.c); empty for older formats */
	ms_gt_util *gotool_util;
	size_t ngotool_util, gotool_util_cap;
	ms_gt_mmu_point *mmu;     /* after ms_gotrace_mmu_curve */
	size_t nmmu;
} ms_gotrace_gc;

/* Fills an empty log from a whole Go execution trace. -1 on bad input (err:
 * "NAME: byte N: what"); a trace cut short loads with a warning. */
int ms_gctrace_load_gotrace(ms_gctrace_log *log, const uint8_t *data, size_t n, ms_err *err);
/* Minimum mutator utilization over windows of window_ns (formula in
 * gotrace_gc.c). */
double ms_gotrace_mmu(const ms_gotrace_gc *g, int64_t window_ns);
/* The same on g->gotool_util: what `go tool trace` (Go 1.22+) shows for a
 * generational trace (0 when there is none). */
double ms_gotrace_mmu_gotool(const ms_gotrace_gc *g, int64_t window_ns);
/* Fills g->mmu for the given windows, or (windows NULL) the default ones:
 * 100 µs · {1, 2, 5} · 10^k below the trace's length, then its length. */
void ms_gotrace_mmu_curve(ms_gotrace_gc *g, const int64_t *windows, size_t n);
void ms_gotrace_gc_free(ms_gotrace_gc *g);

#endif
