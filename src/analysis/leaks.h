/* leaks.h — leak suspects from a time series of heap profiles.
 *
 * For every site (a frame at the chosen granularity; its flat in-use value,
 * i.e. what was allocated there and is still live) we take the series
 * v[0..n) over the snapshots and fit a line by least squares:
 *   slope = Σ(x−x̄)(v−v̄) / Σ(x−x̄)²      (x = snapshot index, or minutes)
 *   R²    = 1 − Σ(v − fit)² / Σ(v − v̄)²
 * A site is a suspect when it grew by at least min_growth and grew steadily:
 *   - monotonic: at least 75% of the steps did not shrink it,
 *   - linear: R² ≥ 0.8,
 *   - still growing: the second half of the series added at least 20% of
 *     what the first half added (a cache that warms up and then plateaus
 *     fails this),
 * with three or more snapshots; with two, any growth above min_growth is a
 * (low-confidence) suspect. Sites that grew but fail a test are reported
 * as not suspected, with the reason. */
#ifndef MS_LEAKS_H
#define MS_LEAKS_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/graph.h"

typedef enum ms_leak_reason {
	MS_LEAK_SUSPECT = 0,
	MS_LEAK_PLATEAU,     /* rose, then flattened: a cache warming up */
	MS_LEAK_OSCILLATING, /* rises and falls */
	MS_LEAK_IRREGULAR,   /* grew, but not along a line */
	MS_LEAK_SMALL,       /* grew less than min_growth */
} ms_leak_reason;

typedef struct ms_leak_site {
	char *name;
	int64_t *series;  /* n values */
	int64_t first, last, growth, peak;
	double slope_per_snapshot;
	double slope_per_minute; /* NaN when times are unknown */
	double r2;
	double monotonic;        /* fraction of non-shrinking steps */
	double share;            /* growth / total growth */
	double early, late;      /* growth in the first / second half */
	ms_leak_reason reason;
	char **stack;            /* heaviest allocating stack in the last snapshot, leaf first */
	size_t depth;
} ms_leak_site;

typedef struct ms_leak_report {
	size_t n;             /* snapshots */
	const char **names;   /* file names, in time order (borrowed) */
	int64_t *times;       /* time_nanos per snapshot (0 = unknown) */
	int64_t *totals;      /* total of the type per snapshot */
	bool timed;           /* all snapshots have distinct increasing times */
	char type[64], unit[64];
	int64_t min_growth;
	ms_leak_site *sites;  /* suspects first (by growth), then the others */
	size_t nsites, nsuspects;
} ms_leak_report;

typedef struct ms_leak_opts {
	ms_graph_opts graph;
	const char *sample_type; /* NULL: the first profile's default */
	int64_t min_growth;      /* 0 = max(64 KiB, 1% of the last total) for bytes, 1% for counts */
} ms_leak_opts;

/* profiles[i] was read from names[i]; they are ordered by time_nanos when
 * every profile has one, else kept in the given order. */
int ms_leaks_analyze(ms_leak_report *r, ms_profile *const *profiles, const char *const *names, size_t n,
	const ms_leak_opts *o, ms_err *err);
void ms_leak_report_free(ms_leak_report *r);

/* A series that grows one snapshot at a time (`memscope watch`): it keeps
 * each snapshot's per-site values (a few bytes per site), not the profile,
 * so a day of snapshots costs what the sites do. Snapshots are added in
 * the order they were taken; name is borrowed (it must outlive the series
 * and its reports). With take, the series owns p (freed when the next one
 * is added, or on failure); without, p must stay valid until then. The
 * report is what ms_leaks_analyze gives for the same snapshots; "timed"
 * when every time is set and increasing. */
typedef struct ms_leak_series ms_leak_series;
ms_leak_series *ms_leak_series_new(const ms_leak_opts *o);
int ms_leak_series_add(ms_leak_series *s, ms_profile *p, const char *name, int take, ms_err *err);
int ms_leak_series_report(const ms_leak_series *s, ms_leak_report *r, ms_err *err);
void ms_leak_series_free(ms_leak_series *s);
const char *ms_leak_reason_name(ms_leak_reason r);

#endif
