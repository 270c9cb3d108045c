/* diff.h — "what grew?": per-frame base, new and delta between a new
 * profile and one or more baselines, and CI gates on the result.
 *
 * Rows are computed per profile with the report graph (so frame naming,
 * granularity and filters are top's) and joined by frame name. Because flat
 * and cum are sums over samples, delta = new − base per row is exactly what
 * pprof's merged -diff_base graph shows for that row. With several
 * baselines the base value is their mean and the spread of the base totals
 * (sample standard deviation) is kept for noise-aware gates.
 *
 * Gates (one --fail-on EXPR each), all on growth — a gate trips when the
 * observed growth is above its limit:
 *   TYPE:+P%          total growth relative to the base total, in percent
 *   TYPE:+N[unit]     total growth in the type's unit (B/kB/KB/KiB/MB/MiB/GB
 *                     for bytes, powers of 1024 as pprof prints them)
 *   TYPE:+Ksigma      total growth above K × the spread of the baselines
 *   TYPE@REGEX:+LIMIT the same on the summed flat delta of the rows whose
 *                     name matches REGEX (POSIX ERE) */
#ifndef MS_DIFF_H
#define MS_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/graph.h"

typedef struct ms_diff_row {
	const char *name; /* owned by the diff */
	double base;      /* mean over baselines of the row's value (flat, or cum with --cum) */
	int64_t new_value;
	double delta;     /* new − base */
	double base_cum, new_cum;
} ms_diff_row;

typedef struct ms_diff_side {
	int64_t total;      /* Σ values of the selected type */
} ms_diff_side;

typedef struct ms_diff {
	char type[64], unit[64];
	int64_t new_total;
	int64_t base_total;   /* mean of the baselines' totals, rounded */
	double base_mean;     /* unrounded */
	double base_stddev;   /* sample standard deviation over baselines (0 for one) */
	size_t nbases;
	int64_t *base_totals; /* each baseline's total */
	ms_diff_row *rows;    /* sorted by |delta| (ties: name) */
	size_t nrows;
	bool normalized;
} ms_diff;

typedef struct ms_diff_opts {
	ms_graph_opts graph; /* granularity, filters (sample_index set per profile) */
	const char *sample_type; /* NULL = new profile's default rule */
	bool normalize;      /* scale each baseline to the new total first */
	bool cum;            /* rows by cumulative instead of flat weight */
} ms_diff_opts;

/* Computes the diff of new against bases[0..nbases). Sample types are
 * matched by name; a type missing on either side is an error. */
int ms_diff_build(ms_diff *d, const ms_profile *new_profile, const ms_profile *const *bases, size_t nbases,
	const ms_diff_opts *o, ms_err *err);
void ms_diff_free(ms_diff *d);

/* ---- gates ----------------------------------------------------------------------- */

typedef enum ms_gate_kind { MS_GATE_PERCENT, MS_GATE_ABSOLUTE, MS_GATE_SIGMA } ms_gate_kind;

typedef struct ms_gate {
	char expr[256];
	char type[64];
	char *site;   /* regex or NULL for the total */
	ms_gate_kind kind;
	double limit; /* percent, units of the type, or sigmas */
	/* results */
	bool tripped;
	double observed;       /* in the gate's own measure (%, units, sigmas) */
	double observed_delta; /* growth in the type's unit */
	ms_diff *diff;         /* the diff the gate was evaluated on (borrowed) */
} ms_gate;

/* Parses "inuse_space:+5%", "inuse_space:+20MB", "alloc_objects:+10%",
 * "inuse_space@^main\\.:+1MB", "inuse_space:+3sigma". */
int ms_gate_parse(ms_gate *g, const char *expr, ms_err *err);
/* Evaluates g on d (whose type must be g's). */
int ms_gate_eval(ms_gate *g, ms_diff *d, ms_err *err);
void ms_gate_free(ms_gate *g);

/* The gates of one `diff` run and the diffs they are evaluated on: diffs[0]
 * is the report's (the options' sample type); a gate on another sample type
 * gets a diff of its own, built once per type. */
typedef struct ms_gateset {
	ms_gate *gates;
	size_t n;
	ms_diff *diffs;
	size_t ndiffs, cap;
} ms_gateset;

/* Parses one gate per expression; -1 with err on the first bad one. */
int ms_gateset_parse(ms_gateset *s, const char *const *exprs, size_t n, ms_err *err);
/* Builds diffs[0] and the gates' diffs, evaluates every gate. Returns the
 * number of gates that tripped, or -1 with err. */
int ms_gateset_run(ms_gateset *s, const ms_profile *new_profile, const ms_profile *const *bases, size_t nbases,
	const ms_diff_opts *o, ms_err *err);
void ms_gateset_free(ms_gateset *s);

#endif
