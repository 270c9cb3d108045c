/* analyze.c — statistics and findings over a parsed GC trace.
 *
 * Definitions used throughout (all documented in the man page too):
 *   pause(c)     = sweep termination + mark termination wall clock
 *                  (+ write-barrier install for Go 1.5): the STW time.
 *   percentile p = nearest rank: the ⌈p/100 · n⌉-th smallest value.
 *   interval     = @T(c) − @T(c−1) within one run of the process.
 *   GC CPU %     = Σ (STW cpu + assist + background mark cpu)
 *                  / Σ GOMAXPROCS × elapsed, over [0, end of last cycle] of
 *                  every run: the runtime's own gc_cpu_fraction formula
 *                  (idle marking is free CPU and left out).
 *   assist share = Σ assist / Σ (assist + background + idle) mark cpu.
 *   live trend   = least squares of live heap (MB) over @T (s) of the last
 *                  run: slope b = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², reported per
 *                  minute, R² = 1 − Σ(y−ŷ)² / Σ(y−ȳ)².
 * Each finding's rule sits above the function that raises it.
 */
#include "config.h"
#include "gctrace/gctrace.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ms_gctrace_thresholds_default(ms_gctrace_thresholds *t)
{
	t->growth_min_cycles = 6;
	t->growth_min_r2 = 0.7;
	t->growth_min_ratio = 0.2;
	t->growth_critical_ratio = 1.0;
	t->freq_info_ms = 20;
	t->freq_warn_ms = 5;
	t->cpu_warn_pct = 10;
	t->cpu_crit_pct = 25;
	t->pause_floor_ms = 1;
	t->pause_outlier_x = 10;
	t->pause_warn_ms = 10;
	t->pause_crit_ms = 100;
	t->assist_warn_share = 0.25;
	t->assist_crit_share = 0.5;
	t->overshoot_min_mb = 2;
	t->overshoot_min_pct = 10;
	t->overshoot_warn_frac = 0.1;
	t->pinned_min_cycles = 5;
	t->pinned_goal_range = 0.05;
	t->pinned_live_range = 0.20;
	t->thrash_live_frac = 0.85;
}

const char *ms_severity_name(enum ms_severity s)
{
	static const char *const names[] = { "info", "warn", "critical" };
	return (unsigned)s < 3 ? names[s] : "?";
}

int ms_severity_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, ms_severity_name((enum ms_severity)i)) == 0)
			return i;
	return -1;
}

/* ---- small numerics ---------------------------------------------------------- */


static void swap_d(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Moves the k-th smallest of a[lo..hi] to a[k] (quickselect, median-of-three
 * pivots; falls back to qsort after too many rounds, so it stays O(n log n)
 * on adversarial input). */
static void select_kth(double *a, size_t lo, size_t hi, size_t k)
{
	int rounds = 0;
	while (hi > lo) {
		if (++rounds > 64) {
			qsort(a + lo, hi - lo + 1, sizeof *a, cmp_double);
			return;
		}
		size_t mid = lo + (hi - lo) / 2;
		if (a[mid] < a[lo])
			swap_d(&a[mid], &a[lo]);
		if (a[hi] < a[lo])
			swap_d(&a[hi], &a[lo]);
		if (a[hi] < a[mid])
			swap_d(&a[hi], &a[mid]);
		double pivot = a[mid];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				swap_d(&a[i], &a[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

static size_t rank_index(size_t n, double p)
{
	size_t r = (size_t)ceil(p / 100.0 * (double)n);
	return r == 0 ? 0 : r - 1;
}

/* Fills d from v[0..n) (reordered). max_index is set by the caller. */
static void dist_of(double *v, size_t n, ms_dist *d)
{
	memset(d, 0, sizeof *d);
	d->n = n;
	if (n == 0)
		return;
	double sum = 0, mn = v[0], mx = v[0];
	for (size_t i = 0; i < n; i++) {
		sum += v[i];
		if (v[i] < mn)
			mn = v[i];
		if (v[i] > mx)
			mx = v[i];
	}
	d->mean = sum / (double)n;
	d->min = mn;
	d->max = mx;
	size_t k50 = rank_index(n, 50), k90 = rank_index(n, 90), k99 = rank_index(n, 99);
	select_kth(v, 0, n - 1, k50);
	d->p50 = v[k50];
	if (k90 > k50)
		select_kth(v, k50 + 1, n - 1, k90);
	d->p90 = v[k90];
	if (k99 > k90)
		select_kth(v, k90 + 1, n - 1, k99);
	d->p99 = v[k99];
}

static double us_ms(uint64_t us) { return (double)us / 1000.0; }
static double at_s(const ms_gc_cycle *c) { return (double)c->at_us / 1e6; }

/* ---- exact distributions of microsecond values ----------------------------
 *
 * The pause, mark and interval distributions are built in the one pass over
 * the cycles without a per-cycle column: a log of millions of cycles is
 * memory-bound, and each pass over its ~100-byte records or a column of
 * doubles costs more than the arithmetic. Every value is an integer number
 * of microseconds u, reported as u / 1000.0 ms; that map is monotone, so
 * the k-th smallest reported value is the map of the k-th smallest u, and
 * order statistics can be taken on the integers:
 *   u < USEC_SMALL  counted in small[u] (exact bins, one per microsecond);
 *   u ≥ USEC_SMALL  kept as u / 1000.0 in big[] and selected there.
 * The k-th smallest overall is found by a running sum over small[] and,
 * past its total, the (k − Σsmall)-th smallest of big[]. The mean sums
 * u / 1000.0 in the order of the cycles, exactly as a column would. */
#define USEC_SMALL 65536

typedef struct usec_dist {
	size_t n;
	double sum;        /* Σ u / 1000.0 in input order */
	uint64_t min, max;
	uint32_t *small;   /* USEC_SMALL counters */
	double *big;       /* values ≥ USEC_SMALL, in ms */
	size_t nbig, cap_big;
} usec_dist;

static void usec_init(usec_dist *u)
{
	memset(u, 0, sizeof *u);
	u->small = ms_xcalloc(USEC_SMALL, sizeof *u->small);
}

static void usec_free(usec_dist *u)
{
	free(u->small);
	free(u->big);
}

static inline void usec_add(usec_dist *u, uint64_t v)
{
	u->sum += (double)v / 1000.0;
	if (!u->n || v < u->min)
		u->min = v;
	if (!u->n || v > u->max)
		u->max = v;
	u->n++;
	if (v < USEC_SMALL) {
		u->small[v]++;
		return;
	}
	if (u->nbig == u->cap_big) {
		u->cap_big = u->cap_big ? u->cap_big * 2 : 64;
		u->big = ms_xreallocarray(u->big, u->cap_big, sizeof *u->big);
	}
	u->big[u->nbig++] = (double)v / 1000.0;
}

/* The k-th smallest (0-based) in ms. big[] is reordered: successive calls
 * must ask for non-decreasing k (each selection leaves everything below
 * its rank in front, so the next one searches only the rest). */
static double usec_kth(usec_dist *u, size_t k, size_t *big_lo)
{
	size_t below = u->n - u->nbig;
	if (k < below) {
		size_t seen = 0;
		for (size_t v = 0;; v++) {
			seen += u->small[v];
			if (seen > k)
				return (double)v / 1000.0;
		}
	}
	size_t kb = k - below;
	select_kth(u->big, *big_lo, u->nbig - 1, kb);
	*big_lo = kb;
	return u->big[kb];
}

/* Fills d as dist_of would from the column of the values (max_index is set
 * by the caller). */
static void usec_to_dist(usec_dist *u, ms_dist *d)
{
	memset(d, 0, sizeof *d);
	d->n = u->n;
	if (!u->n)
		return;
	d->mean = u->sum / (double)u->n;
	d->min = (double)u->min / 1000.0;
	d->max = (double)u->max / 1000.0;
	size_t lo = 0;
	d->p50 = usec_kth(u, rank_index(u->n, 50), &lo);
	d->p90 = usec_kth(u, rank_index(u->n, 90), &lo);
	d->p99 = usec_kth(u, rank_index(u->n, 99), &lo);
}

/* How many values v satisfy v / 1000.0 ≥ limit_ms. */
static size_t usec_count_at_least(const usec_dist *u, double limit_ms)
{
	size_t count = 0;
	for (size_t v = 0; v < USEC_SMALL; v++)
		if (u->small[v] && (double)v / 1000.0 >= limit_ms)
			count += u->small[v];
	for (size_t i = 0; i < u->nbig; i++)
		count += u->big[i] >= limit_ms;
	return count;
}

/* memory_limit_thrash's windows, found in the pass over the cycles (the
 * rule sits above find_pinned): the cycles are cut into maximal windows
 * [i0, i0 + len) whose goals stay within pinned_goal_range of their maximum
 * (a window ends at a cycle without a goal or a numbering restart); the
 * longest window that qualifies is kept. */
typedef struct pinned {
	size_t i0, len;
	uint32_t gmin, gmax;   /* goal range of the window */
	size_t close;          /* cycles with live ≥ thrash_live_frac × goal */
	uint32_t lmin, lmax;   /* live heap of each cycle's predecessor */
	size_t best0, bestn;   /* the longest qualifying window so far */
} pinned;

/* The predecessor's live heap is what a GOGC goal would follow. */
static void pinned_live(pinned *p, uint32_t live)
{
	if (live < p->lmin)
		p->lmin = live;
	if (live > p->lmax)
		p->lmax = live;
}

static void pinned_open(pinned *p, const ms_gc_cycle *c, size_t i, const ms_gctrace_thresholds *th)
{
	p->i0 = i;
	p->len = 1;
	p->gmin = p->gmax = c[i].goal_mb;
	p->close = c[i].heap_live_mb >= th->thrash_live_frac * c[i].goal_mb;
	p->lmin = UINT32_MAX;
	p->lmax = 0;
	if (i > 0 && c[i].n > c[i - 1].n)
		pinned_live(p, c[i - 1].heap_live_mb);
}

static void pinned_close(pinned *p, const ms_gc_cycle *c, const ms_gctrace_thresholds *th)
{
	if (!c[p->i0].has_goal || p->gmin <= 16 || p->len <= p->bestn)
		return;
	int moving = p->lmax > 0 && p->lmin <= p->lmax && (double)(p->lmax - p->lmin) >= th->pinned_live_range * p->lmax;
	if (p->len >= th->pinned_min_cycles && (moving || 2 * p->close >= p->len)) {
		p->best0 = p->i0;
		p->bestn = p->len;
	}
}

/* Cycle i (> 0) extends the open window or closes it and opens the next. */
static void pinned_step(pinned *p, const ms_gc_cycle *c, size_t i, const ms_gctrace_thresholds *th)
{
	if (c[i].has_goal && c[i].n > c[i - 1].n) {
		uint32_t lo = c[i].goal_mb < p->gmin ? c[i].goal_mb : p->gmin;
		uint32_t hi = c[i].goal_mb > p->gmax ? c[i].goal_mb : p->gmax;
		if (!((double)(hi - lo) > th->pinned_goal_range * hi)) {
			p->gmin = lo;
			p->gmax = hi;
			p->len++;
			p->close += c[i].heap_live_mb >= th->thrash_live_frac * c[i].goal_mb;
			pinned_live(p, c[i - 1].heap_live_mb);
			return;
		}
	}
	pinned_close(p, c, th);
	pinned_open(p, c, i, th);
}

/* What the findings need besides the stats: the last run's live heap over
 * time (indexed from run0), pause counts, evidence ranges. */
typedef struct cols {
	double *at_s, *live_mb; /* [i - run0] for the cycles of the last run */
	size_t run0; /* index where the last run starts */
	usec_dist pause; /* every cycle's pause (for long_pause) */
	size_t heavy, heavy_first, heavy_last; /* assists > half of the mark */
	size_t over_first, over_last;          /* goal overshoot */
	pinned pin;
} cols;

/* ---- findings ------------------------------------------------------------------ */

typedef struct findings {
	ms_gctrace_finding *v;
	size_t n, cap;
} findings;

static ms_gctrace_finding *add_finding(findings *f, enum ms_severity sev, const char *kind, const char *hint,
	const ms_gc_cycle *first, const ms_gc_cycle *last, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static ms_gctrace_finding *add_finding(findings *f, enum ms_severity sev, const char *kind, const char *hint,
	const ms_gc_cycle *first, const ms_gc_cycle *last, const char *fmt, ...)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->v = ms_xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	ms_gctrace_finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->severity = sev;
	x->kind = kind;
	x->hint = hint;
	if (first && last) {
		x->first_gc = first->n;
		x->last_gc = last->n;
		x->t_first_s = at_s(first);
		x->t_last_s = at_s(last);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof x->message, fmt, ap);
	va_end(ap);
	return x;
}

/* live_heap_growth — the live heap after GC keeps rising (a leak suspect).
 * Looks at the last half of the last run (≥ growth_min_cycles cycles) and
 * fires only when all hold:
 *   1. the least-squares slope of live MB over time is > 0 with R² ≥ 0.7
 *      (a steady rise, not a sawtooth);
 *   2. the fitted rise across the window ≥ 20% of the window's mean live
 *      heap and ≥ 2 MB (the format truncates to whole MB);
 *   3. the window's highest live heap is first reached in its second half
 *      (new highs keep coming: a heap that plateaus fails this test).
 * Critical when the fitted live heap at least doubles (ratio ≥ 1.0) with
 * R² ≥ 0.9; warn otherwise. */
static void find_growth(const ms_gctrace_log *log, const cols *k, const ms_gctrace_thresholds *th, findings *f)
{
	size_t m = log->ncycles - k->run0;
	size_t w0 = k->run0 + m / 2, wn = log->ncycles - w0;
	if (wn < th->growth_min_cycles)
		return;
	const ms_gc_cycle *c = log->cycles;
	const double *y = k->live_mb + (w0 - k->run0), *at = k->at_s + (w0 - k->run0);
	double *x = ms_xmalloc(wn * sizeof *x);
	int use_index = at[0] == at[wn - 1];
	double mean = 0;
	size_t imax = 0;
	for (size_t i = 0; i < wn; i++) {
		x[i] = use_index ? (double)i : at[i];
		mean += y[i];
		if (y[i] > y[imax])
			imax = i;
	}
	mean /= (double)wn;
	double a, r2;
	double b = ms_linear_fit(x, y, wn, &a, &r2);
	double y0 = a + b * x[0], y1 = a + b * x[wn - 1];
	double rise = y1 - y0;
	free(x);
	if (!(b > 0) || r2 < th->growth_min_r2 || rise < th->growth_min_ratio * mean || rise < 2 || imax < wn / 2)
		return;
	int critical = y0 > 0 && rise / y0 >= th->growth_critical_ratio && r2 >= 0.9;
	const ms_gc_cycle *first = &c[w0], *last = &c[log->ncycles - 1];
	char rate[48];
	if (use_index)
		snprintf(rate, sizeof rate, "%+.2f MB/cycle", b);
	else
		snprintf(rate, sizeof rate, "%+.1f MB/min", b * 60);
	add_finding(f, critical ? MS_SEV_CRITICAL : MS_SEV_WARN, "live_heap_growth",
		"possible leak: take heap profiles at the start and end of the range and compare them "
		"(memscope diff) to see which allocation sites keep growing",
		first, last, "live heap after GC rose from %u MB (gc %llu) to %u MB (gc %llu): %s, R² %.2f over %zu cycles",
		first->heap_live_mb, (unsigned long long)first->n, last->heap_live_mb, (unsigned long long)last->n,
		rate, r2, wn);
}

/* frequent_gc — GC runs too often or costs too much CPU.
 *   critical: GC CPU ≥ 25%;  warn: GC CPU ≥ 10%, or a median interval
 *   ≤ 5 ms (≥ 200 GC/s);  info: median interval ≤ 20 ms (≥ 50 GC/s).
 * Interval rules need ≥ 10 cycles. GC CPU is the computed value (else the
 * last printed P%). */
static void find_frequent(const ms_gctrace_log *log, const ms_gctrace_stats *s, const ms_gctrace_thresholds *th,
	findings *f)
{
	double cpu = s->gc_cpu_computed_pct >= 0 ? s->gc_cpu_computed_pct : s->gc_cpu_last_pct;
	int sev = -1;
	if (cpu >= th->cpu_crit_pct)
		sev = MS_SEV_CRITICAL;
	else if (cpu >= th->cpu_warn_pct)
		sev = MS_SEV_WARN;
	else if (s->interval_ms.n + 1 >= 10 && s->interval_ms.p50 <= th->freq_warn_ms)
		sev = MS_SEV_WARN;
	else if (s->interval_ms.n + 1 >= 10 && s->interval_ms.p50 <= th->freq_info_ms)
		sev = MS_SEV_INFO;
	if (sev < 0 || log->ncycles == 0)
		return;
	double p50 = s->interval_ms.p50;
	add_finding(f, (enum ms_severity)sev, "frequent_gc",
		"raise GOGC (or set GOMEMLIMIT and a higher GOGC) or allocate less: the alloc_space view "
		"of a heap profile shows who allocates",
		&log->cycles[0], &log->cycles[log->ncycles - 1],
		"GC every %.3g ms (median, %.0f/s) over gc %llu-%llu using %.1f%% of CPU", p50,
		p50 > 0 ? 1000.0 / p50 : 0.0, (unsigned long long)log->cycles[0].n,
		(unsigned long long)log->cycles[log->ncycles - 1].n, cpu);
}

/* long_pause — stop-the-world outliers. A pause is an outlier when it is
 * ≥ 1 ms and either ≥ 10 × the median pause or ≥ 10 ms. critical when the
 * longest is ≥ 100 ms, warn otherwise. */
static void find_long_pause(const ms_gctrace_log *log, const cols *k, const ms_gctrace_stats *s,
	const ms_gctrace_thresholds *th, findings *f)
{
	size_t count, first = 0, last = log->ncycles - 1;
	double limit = th->pause_outlier_x * s->pause_ms.p50;
	if (limit > th->pause_warn_ms)
		limit = th->pause_warn_ms;
	if (limit < th->pause_floor_ms)
		limit = th->pause_floor_ms;
	if (!(count = usec_count_at_least(&k->pause, limit)))
		return;
	/* the outliers' range: scan in from both ends */
	while (us_ms(ms_gc_cycle_pause_us(&log->cycles[first])) < limit)
		first++;
	while (us_ms(ms_gc_cycle_pause_us(&log->cycles[last])) < limit)
		last--;
	const ms_gc_cycle *mx = &log->cycles[s->pause_ms.max_index];
	add_finding(f, s->pause_ms.max >= th->pause_crit_ms ? MS_SEV_CRITICAL : MS_SEV_WARN, "long_pause",
		"STW pauses are sweep and mark termination: many goroutines, huge stacks or maps, and "
		"non-preemptible loops (before Go 1.14) lengthen them; a CPU-starved host does too",
		&log->cycles[first], &log->cycles[last],
		"%zu stop-the-world pause%s >= %.3g ms (median %.3g ms); longest %.3g ms at gc %llu (@%.3fs)", count,
		count == 1 ? "" : "s", limit, s->pause_ms.p50, s->pause_ms.max, (unsigned long long)mx->n, at_s(mx));
}

/* assist_heavy — mutator assists carry the mark. Share of mark CPU done by
 * assists ≥ 25% warn, ≥ 50% critical (needs ≥ 5 cycles). The evidence
 * range spans the cycles where assists were more than half of the mark. */
static void find_assist(const ms_gctrace_log *log, const cols *k, const ms_gctrace_stats *s,
	const ms_gctrace_thresholds *th, findings *f)
{
	double mark = s->cpu_assist_ms + s->cpu_bg_ms + s->cpu_idle_ms;
	if (log->ncycles < 5 || mark <= 0 || s->assist_share < th->assist_warn_share)
		return;
	size_t first = k->heavy ? k->heavy_first : 0, last = k->heavy ? k->heavy_last : log->ncycles - 1;
	add_finding(f, s->assist_share >= th->assist_crit_share ? MS_SEV_CRITICAL : MS_SEV_WARN, "assist_heavy",
		"allocation outruns background marking, so allocating goroutines pay for GC with latency: "
		"raise GOGC or the memory limit, or smooth allocation bursts",
		&log->cycles[first], &log->cycles[last],
		"mutator assists did %.0f%% of mark CPU (%.3g of %.3g ms) over %zu cycles; most of the mark in %zu of them",
		s->assist_share * 100, s->cpu_assist_ms, mark, log->ncycles, k->heavy);
}

/* goal_overshoot — the heap at mark termination ended above the goal by
 * ≥ max(2 MB, 10% of the goal). info for any such cycle; warn when they are
 * ≥ 10% of the cycles and at least 3. */
static void find_overshoot(const ms_gctrace_log *log, const cols *k, const ms_gctrace_stats *s,
	const ms_gctrace_thresholds *th, findings *f)
{
	if (!s->overshoot_cycles)
		return;
	size_t first = k->over_first, last = k->over_last;
	int warn = s->overshoot_cycles >= 3 && (double)s->overshoot_cycles >= th->overshoot_warn_frac * (double)log->ncycles;
	const ms_gc_cycle *w = &log->cycles[s->overshoot_max_index];
	add_finding(f, warn ? MS_SEV_WARN : MS_SEV_INFO, "goal_overshoot",
		"the heap grew faster than the pacer expected (allocation bursts, a cold start): peak memory "
		"exceeds what GOGC promises; leave headroom or smooth the bursts",
		&log->cycles[first], &log->cycles[last],
		"%zu of %zu cycles ended mark above the heap goal; worst +%.0f%% (%u MB vs %u MB goal) at gc %llu",
		s->overshoot_cycles, log->ncycles, s->overshoot_max_pct, w->heap_end_mb, w->goal_mb,
		(unsigned long long)w->n);
}

/* memory_limit_thrash / memory_limit_bound — the goal is pinned: over ≥ 5
 * consecutive cycles its range is ≤ 5% of its maximum while the range of the
 * live heap that the goals were computed from (the previous cycle's) is
 * ≥ 20% (a GOGC goal follows the live heap; a limit does not) — or the
 * live heap sits within 15% of the goal in at least half of them (GOGC
 * would put the goal ≥ 1 + GOGC/100 times higher) — and the goal is
 * > 16 MB (above GOGC's 4 MB × GOGC/100 floor for GOGC ≤ 400).
 * Pinned with a median live heap ≥ 85% of the goal is thrash: warn, critical
 * when the window's GC CPU is ≥ 25%. Pinned otherwise: info
 * (memory_limit_bound). The longest pinned window is reported. */
static void find_pinned(const ms_gctrace_log *log, const cols *k, const ms_gctrace_thresholds *th, findings *f)
{
	const ms_gc_cycle *c = log->cycles;
	size_t best0 = k->pin.best0, bestn = k->pin.bestn;
	if (!bestn)
		return;
	const ms_gc_cycle *a = &c[best0], *z = &c[best0 + bestn - 1];
	double *frac = ms_xmalloc(bestn * sizeof *frac);
	uint32_t gmin = UINT32_MAX, gmax = 0, lmin = UINT32_MAX, lmax = 0;
	uint64_t cpu = 0;
	for (size_t k = 0; k < bestn; k++) {
		const ms_gc_cycle *x = &a[k];
		frac[k] = x->goal_mb ? (double)x->heap_live_mb / x->goal_mb : 0;
		gmin = x->goal_mb < gmin ? x->goal_mb : gmin;
		gmax = x->goal_mb > gmax ? x->goal_mb : gmax;
		lmin = x->heap_live_mb < lmin ? x->heap_live_mb : lmin;
		lmax = x->heap_live_mb > lmax ? x->heap_live_mb : lmax;
		cpu += (uint64_t)x->cpu_us[MS_CPU_SWEEP_TERM] + x->cpu_us[MS_CPU_ASSIST] + x->cpu_us[MS_CPU_BG] +
		       x->cpu_us[MS_CPU_MARK_TERM];
	}
	ms_dist d;
	dist_of(frac, bestn, &d);
	free(frac);
	/* window GC CPU: its cpu over P × (start of last − start of first + its wall) */
	double wall_us = (double)(z->at_us - a->at_us) + z->sweep_term_us + z->mark_us + z->mark_term_us;
	double cpu_pct = wall_us > 0 && z->procs ? 100.0 * (double)cpu / (wall_us * z->procs) : 0;
	double every_ms = (double)(z->at_us - a->at_us) / 1000.0 / (double)(bestn - 1);
	if (d.p50 >= th->thrash_live_frac) {
		add_finding(f, cpu_pct >= th->cpu_crit_pct ? MS_SEV_CRITICAL : MS_SEV_WARN, "memory_limit_thrash",
			"the live heap is close to the memory limit: the runtime collects back to back (up to its "
			"50% GC CPU cap); raise GOMEMLIMIT, shrink the live heap, or let GOGC take over",
			a, z,
			"heap goal pinned at %u-%u MB over gc %llu-%llu while the live heap is %.0f%% of it (median): "
			"GC every %.3g ms using %.0f%% of CPU",
			gmin, gmax, (unsigned long long)a->n, (unsigned long long)z->n, d.p50 * 100, every_ms, cpu_pct);
	} else {
		add_finding(f, MS_SEV_INFO, "memory_limit_bound",
			"a memory limit (GOMEMLIMIT), not GOGC, sets the goal; fine while the live heap stays well "
			"below it, thrash when it gets close",
			a, z, "heap goal pinned at %u-%u MB over gc %llu-%llu (%zu cycles) while the live heap moved %u-%u MB",
			gmin, gmax, (unsigned long long)a->n, (unsigned long long)z->n, bestn, lmin, lmax);
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const ms_gctrace_finding *x = a, *y = b;
	if (x->severity != y->severity)
		return (int)y->severity - (int)x->severity;
	return strcmp(x->kind, y->kind);
}

/* ---- stats ------------------------------------------------------------------------ */

static void scav_stats(const ms_gctrace_log *log, ms_gctrace_stats *s)
{
	uint64_t released = 0;
	s->scav_events = log->nscav;
	s->scav_retained_mb = -1;
	for (size_t i = 0; i < log->nscav; i++) {
		const ms_scav_event *e = &log->scav[i];
		if (e->forced)
			s->scav_forced++;
		released += e->released_kib;
		if (e->kind != MS_SCAV_RELEASED)
			s->scav_retained_mb = (double)e->retained_kib / 1024.0;
	}
	s->scav_released_mb = (double)released / 1024.0;
	s->pacer_lines = log->npacer;
	for (size_t i = 0; i < log->npacer; i++) {
		if (log->pacer[i].reset)
			s->pacer_resets++;
		if (log->pacer[i].cons_mark != 0)
			s->pacer_cons_mark_last = log->pacer[i].cons_mark;
	}
}

/* Fills everything that depends on cycles, in one pass, and what the
 * findings use (k, freed with cols_free). */
static void cycle_stats(const ms_gctrace_log *log, const ms_gctrace_thresholds *th, ms_gctrace_stats *s, cols *k)
{
	const ms_gc_cycle *c = log->cycles;
	size_t n = log->ncycles;
	memset(k, 0, sizeof *k);
	s->gc_count = n;
	s->gc_cpu_last_pct = -1;
	s->gc_cpu_computed_pct = -1;
	if (!n)
		return;
	/* malloc'd, not calloc'd: only the pages of the last run get touched */
	k->at_s = ms_xmalloc(n * sizeof *k->at_s);
	k->live_mb = ms_xmalloc(n * sizeof *k->live_mb);
	usec_dist gap, mark;
	usec_init(&gap);
	usec_init(&mark);
	usec_init(&k->pause);
	s->first_gc = c[0].n;
	s->last_gc = c[n - 1].n;
	s->format = c[n - 1].format;
	s->first_s = (double)c[0].at_us / 1e6;
	s->last_s = (double)c[n - 1].at_us / 1e6;
	s->gc_cpu_last_pct = c[n - 1].cpu_pct;
	s->procs_first = c[0].procs;
	s->procs_last = c[n - 1].procs;
	s->runs = 1;
	s->live_first_mb = c[0].heap_live_mb;
	s->live_last_mb = c[n - 1].heap_live_mb;

	size_t imax = 0, mmax = 0;
	uint64_t pmax = 0;
	uint32_t mkmax = 0;
	uint64_t assist = 0, bg = 0, idle = 0, stw = 0, busy = 0;
	double avail_us = 0;
	int64_t run_start_at = c[0].at_us;
	for (size_t i = 0; i < n; i++) {
		const ms_gc_cycle *x = &c[i];
		int64_t prev_at = 0;
		if (i > 0 && x->n <= c[i - 1].n) { /* numbering restarted: a new process */
			const ms_gc_cycle *e = &c[i - 1];
			s->span_s += (double)(e->at_us - run_start_at) / 1e6;
			avail_us += (double)e->procs * ((double)e->sweep_term_us + e->mark_us + e->mark_term_us +
							 e->install_wb_us);
			s->runs++;
			k->run0 = i;
			run_start_at = x->at_us;
		} else if (i > 0) {
			prev_at = c[i - 1].at_us;
			if (x->n > c[i - 1].n + 1)
				s->missing_cycles += (size_t)(x->n - c[i - 1].n - 1);
			if (x->at_us >= prev_at)
				usec_add(&gap, (uint64_t)(x->at_us - prev_at));
		}
		if (x->at_us > prev_at)
			avail_us += (double)x->procs * (double)(x->at_us - prev_at);
		const uint32_t *cpu = x->cpu_us;
		uint64_t m = (uint64_t)cpu[MS_CPU_ASSIST] + cpu[MS_CPU_BG] + cpu[MS_CPU_IDLE];
		uint64_t st = (uint64_t)cpu[MS_CPU_SWEEP_TERM] + cpu[MS_CPU_MARK_TERM] + cpu[MS_CPU_INSTALL_WB];
		assist += cpu[MS_CPU_ASSIST];
		bg += cpu[MS_CPU_BG];
		idle += cpu[MS_CPU_IDLE];
		stw += st;
		busy += st + cpu[MS_CPU_ASSIST] + cpu[MS_CPU_BG] + cpu[MS_CPU_SCAN];
		if (m && 2 * (uint64_t)cpu[MS_CPU_ASSIST] > m) {
			if (!k->heavy++)
				k->heavy_first = i;
			k->heavy_last = i;
		}
		if (x->forced)
			s->forced_count++;
		if (i > 0 && x->procs != c[i - 1].procs)
			s->procs_changes++;
		uint32_t peak = x->heap_start_mb > x->heap_end_mb ? x->heap_start_mb : x->heap_end_mb;
		if (peak > s->heap_peak_mb)
			s->heap_peak_mb = peak;
		if (x->heap_live_mb > s->live_max_mb)
			s->live_max_mb = x->heap_live_mb;
		if (x->goal_mb > s->goal_max_mb)
			s->goal_max_mb = x->goal_mb;
		double over = (double)x->heap_end_mb - x->goal_mb;
		if (x->has_goal && over >= th->overshoot_min_mb && over >= x->goal_mb * th->overshoot_min_pct / 100) {
			double pct = x->goal_mb ? 100.0 * over / x->goal_mb : 0;
			if (!s->overshoot_cycles || pct > s->overshoot_max_pct) {
				s->overshoot_max_pct = pct;
				s->overshoot_max_index = i;
			}
			if (!s->overshoot_cycles++)
				k->over_first = i;
			k->over_last = i;
		}
		/* the first cycle with the longest pause / mark (µs → ms is
		 * strictly monotone for these ranges, so comparing µs is the same) */
		uint64_t pause = ms_gc_cycle_pause_us(x);
		usec_add(&k->pause, pause);
		if (pause > pmax) {
			pmax = pause;
			imax = i;
		}
		usec_add(&mark, x->mark_us);
		if (x->mark_us > mkmax) {
			mkmax = x->mark_us;
			mmax = i;
		}
		k->at_s[i - k->run0] = (double)x->at_us / 1e6;
		k->live_mb[i - k->run0] = x->heap_live_mb;
		if (i == 0)
			pinned_open(&k->pin, c, 0, th);
		else
			pinned_step(&k->pin, c, i, th);
	}
	pinned_close(&k->pin, c, th);
	const ms_gc_cycle *e = &c[n - 1];
	s->span_s += (double)(e->at_us - run_start_at) / 1e6;
	avail_us += (double)e->procs * ((double)e->sweep_term_us + e->mark_us + e->mark_term_us + e->install_wb_us);
	if (avail_us > 0)
		s->gc_cpu_computed_pct = 100.0 * (double)busy / avail_us;
	s->cpu_assist_ms = us_ms(assist);
	s->cpu_bg_ms = us_ms(bg);
	s->cpu_idle_ms = us_ms(idle);
	s->cpu_stw_ms = us_ms(stw);
	s->assist_share = assist + bg + idle ? (double)assist / (double)(assist + bg + idle) : 0;

	usec_to_dist(&gap, &s->interval_ms);
	usec_to_dist(&k->pause, &s->pause_ms);
	s->pause_ms.max_index = imax;
	s->pause_total_ms = s->pause_ms.mean * (double)n;
	usec_to_dist(&mark, &s->mark_ms);
	s->mark_ms.max_index = mmax;
	usec_free(&gap);
	usec_free(&mark);

	/* live heap trend over the last run */
	s->live_slope_mb_per_min = ms_linear_fit(k->at_s, k->live_mb, n - k->run0, NULL, &s->live_r2) * 60;
}

static void cols_free(cols *k)
{
	free(k->at_s);
	free(k->live_mb);
	if (k->pause.small)
		usec_free(&k->pause);
}

int ms_gctrace_analyze(const ms_gctrace_log *log, const ms_gctrace_thresholds *th, ms_gctrace_report *out,
	ms_err *err)
{
	ms_gctrace_thresholds def;
	if (!th) {
		ms_gctrace_thresholds_default(&def);
		th = &def;
	}
	memset(out, 0, sizeof *out);
	if (ms_gctrace_log_empty(log))
		return ms_seterr(err, "'%s': no gctrace lines found (%llu lines read)", log->name,
			(unsigned long long)log->lines);
	ms_gctrace_stats *s = &out->stats;
	scav_stats(log, s);
	cols k;
	cycle_stats(log, th, s, &k);
	findings f = { NULL, 0, 0 };
	if (log->ncycles) {
		find_growth(log, &k, th, &f);
		find_frequent(log, s, th, &f);
		find_long_pause(log, &k, s, th, &f);
		find_assist(log, &k, s, th, &f);
		find_overshoot(log, &k, s, th, &f);
		find_pinned(log, &k, th, &f);
	}
	cols_free(&k);
	if (f.n)
		qsort(f.v, f.n, sizeof *f.v, cmp_finding);
	out->findings = f.v;
	out->nfindings = f.n;
	return 0;
}

void ms_gctrace_report_free(ms_gctrace_report *r)
{
	free(r->findings);
	r->findings = NULL;
	r->nfindings = 0;
}

int ms_gctrace_report_worst(const ms_gctrace_report *r)
{
	int worst = -1;
	for (size_t i = 0; i < r->nfindings; i++)
		if ((int)r->findings[i].severity > worst)
			worst = (int)r->findings[i].severity;
	return worst;
}
