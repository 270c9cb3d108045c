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
 * Each finding's rule sits above the function that raises it. The cycles
 * are taken one at a time, in order (ms_gctrace_acc), so a log that is
 * analysed while it is read need not keep them.
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
	t->min_cycles = 10;
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

void ms_gctrace_dist(double *v, size_t n, ms_dist *d) { dist_of(v, n, d); }

static double us_ms(uint64_t us) { return (double)us / 1000.0; }

/* ---- exact distributions of microsecond values ----------------------------
 *
 * The pause, mark and interval distributions are built as the cycles go by,
 * without a per-cycle column: a log of millions of cycles is memory-bound,
 * and a column of doubles costs more than the arithmetic (and a log read
 * with analysis keeps no cycles to go back to). Every value is an integer number
 * of microseconds u, reported as u / 1000.0 ms; that map is monotone, so
 * the k-th smallest reported value is the map of the k-th smallest u, and
 * order statistics can be taken on the integers:
 *   u < USEC_SMALL  counted in an exact bin, one per microsecond;
 *   u ≥ USEC_SMALL  kept as u / 1000.0 in big[] and selected there.
 * The k-th smallest overall is found by a running sum over the bins and,
 * past its total, the (k − Σbins)-th smallest of big[]. The running sum
 * first walks the blocks' sums (of USEC_BLOCK consecutive bins), then the
 * bins of one block: ≤ 256 + 256 steps instead of up to 65,536. block[]
 * grows to the largest u seen and a block's bins (1 KiB) are allocated when
 * a value first lands in it, so a short log, or a few scattered values,
 * cost little (not 256 KiB of zeroed bins for one 65 ms value). The mean sums
 * u / 1000.0 in the order of the cycles, exactly as a column would. */
#define USEC_SMALL 65536
#define USEC_BLOCK 256

typedef struct usec_dist {
	size_t n;
	double sum;        /* Σ u / 1000.0 in input order */
	uint64_t min, max;
	struct usec_block {
		uint64_t n;     /* Σ bins[0 .. USEC_BLOCK) */
		uint32_t *bins; /* bins[i]: how many u == b·USEC_BLOCK + i; NULL while n == 0 */
	} *block;          /* block[b] */
	size_t nblock;
	double *big;       /* values ≥ USEC_SMALL, in ms */
	size_t nbig, cap_big;
} usec_dist;

static void usec_init(usec_dist *u)
{
	memset(u, 0, sizeof *u); /* the bins grow with the data: a short log costs little */
}

static void usec_free(usec_dist *u)
{
	for (size_t b = 0; b < u->nblock; b++)
		free(u->block[b].bins);
	free(u->block);
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
		size_t b = v / USEC_BLOCK;
		MS_GROW_ZERO(u->block, u->nblock, b, 4);
		struct usec_block *blk = &u->block[b];
		if (!blk->bins)
			blk->bins = ms_xcalloc(USEC_BLOCK, sizeof *blk->bins);
		blk->bins[v % USEC_BLOCK]++;
		blk->n++;
		return;
	}
	MS_GROW(u->big, u->nbig, u->cap_big, 1);
	u->big[u->nbig++] = (double)v / 1000.0;
}

/* The k-th smallest (0-based) in ms. big[] is reordered: successive calls
 * must ask for non-decreasing k (each selection leaves everything below
 * its rank in front, so the next one searches only the rest). */
static double usec_kth(usec_dist *u, size_t k, size_t *big_lo)
{
	size_t below = u->n - u->nbig;
	if (k < below) {
		size_t seen = 0, b = 0;
		while (seen + u->block[b].n <= k)
			seen += u->block[b++].n;
		for (size_t i = 0;; i++) { /* block[b].n > 0: its bins exist */
			seen += u->block[b].bins[i];
			if (seen > k)
				return (double)(b * USEC_BLOCK + i) / 1000.0;
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
	for (size_t b = 0; b < u->nblock; b++) {
		size_t lo = b * USEC_BLOCK, hi = lo + USEC_BLOCK;
		if (!u->block[b].n || (double)(hi - 1) / 1000.0 < limit_ms)
			continue;
		if ((double)lo / 1000.0 >= limit_ms) { /* the map is monotone */
			count += u->block[b].n;
			continue;
		}
		for (size_t v = lo; v < hi; v++)
			if (u->block[b].bins[v - lo] && (double)v / 1000.0 >= limit_ms)
				count += u->block[b].bins[v - lo];
	}
	for (size_t i = 0; i < u->nbig; i++)
		count += u->big[i] >= limit_ms;
	return count;
}

/* A cycle that a finding or a report names, kept as it goes by. */
typedef struct cycle_ref {
	size_t index;
	uint64_t n;
	int64_t at_us;
} cycle_ref;

static cycle_ref ref_of(const ms_gc_cycle *c, size_t index)
{
	cycle_ref r = { index, c->n, c->at_us };
	return r;
}

static double ref_s(const cycle_ref *r) { return (double)r->at_us / 1e6; }

/* ---- memory_limit windows ----------------------------------------------------
 *
 * memory_limit_thrash's rule sits above find_pinned. The cycles are cut
 * into maximal windows [i0, i0 + len) whose goals stay within
 * pinned_goal_range of their maximum (a window also ends at a cycle without
 * a goal or at a numbering restart); each window's figures are kept as it
 * grows, and the longest window that qualifies when it ends is kept. */
typedef struct pin_window {
	size_t i0, len;
	int has_goal0;         /* its first cycle has a goal */
	uint32_t gmin, gmax;   /* goal range */
	size_t close;          /* cycles with live ≥ thrash_live_frac × goal */
	uint32_t lmin, lmax;   /* live heap of each cycle's predecessor (what a GOGC goal follows) */
	uint32_t own_lmin, own_lmax; /* its cycles' own live heap (reported) */
	uint64_t cpu_us;       /* Σ STW + assist + background cpu */
	cycle_ref first;
	cycle_ref last;
	uint32_t last_sweep_term_us, last_mark_us, last_mark_term_us, last_procs;
	double *frac;          /* live / goal of each cycle */
	size_t cap;
} pin_window;

typedef struct pinned {
	pin_window cur, best; /* best.len == 0: none yet */
} pinned;

static uint64_t pin_cpu(const ms_gc_cycle *x)
{
	return (uint64_t)x->cpu_us[MS_CPU_SWEEP_TERM] + x->cpu_us[MS_CPU_ASSIST] + x->cpu_us[MS_CPU_BG] +
	       x->cpu_us[MS_CPU_MARK_TERM];
}

/* Cycle x (index i) joins the open window. */
static void pin_take(pin_window *w, const ms_gc_cycle *x, size_t i)
{
	MS_GROW(w->frac, w->len, w->cap, 1);
	w->frac[w->len++] = x->goal_mb ? (double)x->heap_live_mb / x->goal_mb : 0;
	if (x->heap_live_mb < w->own_lmin)
		w->own_lmin = x->heap_live_mb;
	if (x->heap_live_mb > w->own_lmax)
		w->own_lmax = x->heap_live_mb;
	w->cpu_us += pin_cpu(x);
	w->last = ref_of(x, i);
	w->last_sweep_term_us = x->sweep_term_us;
	w->last_mark_us = x->mark_us;
	w->last_mark_term_us = x->mark_term_us;
	w->last_procs = x->procs;
}

static void pin_prev_live(pin_window *w, uint32_t live)
{
	if (live < w->lmin)
		w->lmin = live;
	if (live > w->lmax)
		w->lmax = live;
}

/* Opens a window at cycle x (index i, predecessor prev or NULL). */
static void pinned_open(pinned *p, const ms_gc_cycle *x, const ms_gc_cycle *prev, size_t i,
	const ms_gctrace_thresholds *th)
{
	pin_window *w = &p->cur;
	w->i0 = i;
	w->len = 0;
	w->has_goal0 = x->has_goal;
	w->gmin = w->gmax = x->goal_mb;
	w->close = x->heap_live_mb >= th->thrash_live_frac * x->goal_mb;
	w->lmin = UINT32_MAX;
	w->lmax = 0;
	w->own_lmin = UINT32_MAX;
	w->own_lmax = 0;
	w->cpu_us = 0;
	w->first = ref_of(x, i);
	if (prev && x->n > prev->n)
		pin_prev_live(w, prev->heap_live_mb);
	pin_take(w, x, i);
}

/* Whether window w qualifies and is longer than the best so far. */
static int pinned_better(const pin_window *w, size_t best_len, const ms_gctrace_thresholds *th)
{
	if (!w->has_goal0 || w->gmin <= 16 || w->len <= best_len)
		return 0;
	int moving = w->lmax > 0 && w->lmin <= w->lmax && (double)(w->lmax - w->lmin) >= th->pinned_live_range * w->lmax;
	return w->len >= th->pinned_min_cycles && (moving || 2 * w->close >= w->len);
}

/* Ends the open window: it becomes the best when it is better. */
static void pinned_close(pinned *p, const ms_gctrace_thresholds *th)
{
	if (pinned_better(&p->cur, p->best.len, th)) {
		pin_window t = p->best; /* swap: the old best's buffer is reused */
		p->best = p->cur;
		p->cur = t;
	}
}

/* Cycle x (index i > 0) extends the open window or ends it and opens the next. */
static void pinned_step(pinned *p, const ms_gc_cycle *x, const ms_gc_cycle *prev, size_t i,
	const ms_gctrace_thresholds *th)
{
	pin_window *w = &p->cur;
	if (x->has_goal && x->n > prev->n) {
		uint32_t lo = x->goal_mb < w->gmin ? x->goal_mb : w->gmin;
		uint32_t hi = x->goal_mb > w->gmax ? x->goal_mb : w->gmax;
		if (!((double)(hi - lo) > th->pinned_goal_range * hi)) {
			w->gmin = lo;
			w->gmax = hi;
			w->close += x->heap_live_mb >= th->thrash_live_frac * x->goal_mb;
			pin_prev_live(w, prev->heap_live_mb);
			pin_take(w, x, i);
			return;
		}
	}
	pinned_close(p, th);
	pinned_open(p, x, prev, i, th);
}

#define NO_GOAL UINT32_MAX

/* ---- the analysis, one cycle at a time ------------------------------------------
 *
 * ms_gctrace_acc takes the cycles in order and keeps what the stats and the
 * findings need: sums, counters and exact distributions, the cycles that
 * findings name, the memory_limit windows, and — the only per-cycle
 * storage — the start time, live heap and number of each cycle of the
 * current run (for the live-heap fit and live_heap_growth's window, which
 * is only known at the end). long_pause's outliers are those ≥ a limit
 * known only at the end (it depends on the median), so the candidates for
 * the first and the last outlier are kept as the cycles go by: the first
 * cycle ≥ L is a new running maximum (pre[], increasing), and the last
 * cycle ≥ L is on the stack of suffix maxima (suf[]: a cycle pops every
 * earlier one that is not longer, so the stack decreases from the bottom;
 * the last cycle ≥ L is the topmost entry ≥ L). */
typedef struct pause_mark {
	uint64_t us;
	cycle_ref at;
} pause_mark;

struct ms_gctrace_acc {
	ms_gctrace_thresholds th;
	ms_gctrace_stats s;
	size_t n;
	ms_gc_cycle first, last;
	uint64_t assist, bg, idle, stw, busy;
	double avail_us;
	int64_t run_start_at;
	size_t run0; /* index where the last run starts */
	usec_dist gap, mark, pause;
	uint64_t pause_max;
	uint32_t mark_max;
	cycle_ref pause_max_at, mark_max_at;
	size_t heavy; /* cycles where assists were more than half of the mark */
	cycle_ref heavy_first, heavy_last, over_first, over_last;
	/* the current run: [i - run0] */
	double *at_s, *live_mb;
	uint64_t *gc_n;
	uint32_t *goal_mb; /* NO_GOAL for a cycle without one */
	size_t cap_run;
	pause_mark *pre, *suf;
	size_t npre, cap_pre, nsuf, cap_suf;
	pinned pin;
};

ms_gctrace_acc *ms_gctrace_acc_new(const ms_gctrace_thresholds *th)
{
	ms_gctrace_acc *a = ms_xcalloc(1, sizeof *a);
	if (th)
		a->th = *th;
	else
		ms_gctrace_thresholds_default(&a->th);
	usec_init(&a->gap);
	usec_init(&a->mark);
	usec_init(&a->pause);
	a->s.gc_cpu_last_pct = -1;
	a->s.gc_cpu_computed_pct = -1;
	return a;
}

void ms_gctrace_acc_free(ms_gctrace_acc *a)
{
	if (!a)
		return;
	usec_free(&a->gap);
	usec_free(&a->mark);
	usec_free(&a->pause);
	free(a->at_s);
	free(a->live_mb);
	free(a->gc_n);
	free(a->goal_mb);
	free(a->pre);
	free(a->suf);
	free(a->pin.cur.frac);
	free(a->pin.best.frac);
	free(a);
}

/* Cycle x, the a->n-th, whose predecessor is prev (NULL for the first). */
static void acc_step(ms_gctrace_acc *a, const ms_gc_cycle *x, const ms_gc_cycle *prev)
{
	const ms_gctrace_thresholds *th = &a->th;
	ms_gctrace_stats *s = &a->s;
	size_t i = a->n;
	int64_t prev_at = 0;
	if (!prev) {
		a->first = *x;
		a->run_start_at = x->at_us;
		s->runs = 1;
	} else if (x->n <= prev->n) { /* numbering restarted: a new process */
		s->span_s += (double)(prev->at_us - a->run_start_at) / 1e6;
		a->avail_us += (double)prev->procs *
			       ((double)prev->sweep_term_us + prev->mark_us + prev->mark_term_us + prev->install_wb_us);
		s->runs++;
		a->run0 = i;
		a->run_start_at = x->at_us;
	} else {
		prev_at = prev->at_us;
		if (x->n > prev->n + 1)
			s->missing_cycles += (size_t)(x->n - prev->n - 1);
		if (x->at_us >= prev_at)
			usec_add(&a->gap, (uint64_t)(x->at_us - prev_at));
	}
	if (x->at_us > prev_at)
		a->avail_us += (double)x->procs * (double)(x->at_us - prev_at);
	const uint32_t *cpu = x->cpu_us;
	uint64_t m = (uint64_t)cpu[MS_CPU_ASSIST] + cpu[MS_CPU_BG] + cpu[MS_CPU_IDLE];
	uint64_t st = (uint64_t)cpu[MS_CPU_SWEEP_TERM] + cpu[MS_CPU_MARK_TERM] + cpu[MS_CPU_INSTALL_WB];
	a->assist += cpu[MS_CPU_ASSIST];
	a->bg += cpu[MS_CPU_BG];
	a->idle += cpu[MS_CPU_IDLE];
	a->stw += st;
	a->busy += st + cpu[MS_CPU_ASSIST] + cpu[MS_CPU_BG] + cpu[MS_CPU_SCAN];
	if (m && 2 * (uint64_t)cpu[MS_CPU_ASSIST] > m) {
		if (!a->heavy++)
			a->heavy_first = ref_of(x, i);
		a->heavy_last = ref_of(x, i);
	}
	if (x->forced)
		s->forced_count++;
	if (prev && x->procs != prev->procs)
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
			s->overshoot_max_gc = x->n;
			s->overshoot_max_heap_end_mb = x->heap_end_mb;
			s->overshoot_max_goal_mb = x->goal_mb;
		}
		if (!s->overshoot_cycles++)
			a->over_first = ref_of(x, i);
		a->over_last = ref_of(x, i);
	}
	/* the first cycle with the longest pause / mark (µs → ms is strictly
	 * monotone for these ranges, so comparing µs is the same) */
	uint64_t pause = ms_gc_cycle_pause_us(x);
	usec_add(&a->pause, pause);
	if (!i || pause > a->pause_max) {
		a->pause_max = pause;
		a->pause_max_at = ref_of(x, i);
	}
	if (!a->npre || pause > a->pre[a->npre - 1].us) {
		MS_GROW(a->pre, a->npre, a->cap_pre, 1);
		a->pre[a->npre++] = (pause_mark){ pause, ref_of(x, i) };
	}
	while (a->nsuf && a->suf[a->nsuf - 1].us <= pause)
		a->nsuf--;
	MS_GROW(a->suf, a->nsuf, a->cap_suf, 1);
	a->suf[a->nsuf++] = (pause_mark){ pause, ref_of(x, i) };
	usec_add(&a->mark, x->mark_us);
	if (!i || x->mark_us > a->mark_max) {
		a->mark_max = x->mark_us;
		a->mark_max_at = ref_of(x, i);
	}
	size_t r = i - a->run0;
	if (r == a->cap_run) {
		a->cap_run = a->cap_run ? a->cap_run * 2 : 1024;
		a->at_s = ms_xreallocarray(a->at_s, a->cap_run, sizeof *a->at_s);
		a->live_mb = ms_xreallocarray(a->live_mb, a->cap_run, sizeof *a->live_mb);
		a->gc_n = ms_xreallocarray(a->gc_n, a->cap_run, sizeof *a->gc_n);
		a->goal_mb = ms_xreallocarray(a->goal_mb, a->cap_run, sizeof *a->goal_mb);
	}
	a->goal_mb[r] = x->has_goal ? x->goal_mb : NO_GOAL;
	a->at_s[r] = (double)x->at_us / 1e6;
	a->live_mb[r] = x->heap_live_mb;
	a->gc_n[r] = x->n;
	if (!prev)
		pinned_open(&a->pin, x, NULL, 0, th);
	else
		pinned_step(&a->pin, x, prev, i, th);
	a->n++;
}

void ms_gctrace_acc_add(ms_gctrace_acc *a, const ms_gc_cycle *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc_step(a, &c[i], i ? &c[i - 1] : a->n ? &a->last : NULL);
	if (n)
		a->last = c[n - 1];
}

/* ---- findings ------------------------------------------------------------------ */

typedef struct findings {
	ms_gctrace_finding *v;
	size_t n, cap;
} findings;

static ms_gctrace_finding *add_finding(findings *f, enum ms_severity sev, const char *kind, const char *hint,
	const cycle_ref *first, const cycle_ref *last, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static ms_gctrace_finding *add_finding(findings *f, enum ms_severity sev, const char *kind, const char *hint,
	const cycle_ref *first, const cycle_ref *last, const char *fmt, ...)
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
		x->t_first_s = ref_s(first);
		x->t_last_s = ref_s(last);
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
static void find_growth(const ms_gctrace_acc *a, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	size_t m = a->n - a->run0;
	size_t w0 = m / 2, wn = m - w0; /* relative to run0 */
	if (wn < th->growth_min_cycles)
		return;
	const double *y = a->live_mb + w0, *at = a->at_s + w0;
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
	double b0, r2;
	double b = ms_linear_fit(x, y, wn, &b0, &r2);
	double y0 = b0 + b * x[0], y1 = b0 + b * x[wn - 1];
	double rise = y1 - y0;
	free(x);
	if (!(b > 0) || r2 < th->growth_min_r2 || rise < th->growth_min_ratio * mean || rise < 2 || imax < wn / 2)
		return;
	int critical = y0 > 0 && rise / y0 >= th->growth_critical_ratio && r2 >= 0.9;
	/* the window's first cycle: its number and start as kept for the run */
	cycle_ref first = { a->run0 + w0, a->gc_n[w0], 0 }, last = ref_of(&a->last, a->n - 1);
	char rate[48];
	if (use_index)
		snprintf(rate, sizeof rate, "%+.2f MB/cycle", b);
	else
		snprintf(rate, sizeof rate, "%+.1f MB/min", b * 60);
	ms_gctrace_finding *g = add_finding(f, critical ? MS_SEV_CRITICAL : MS_SEV_WARN, "live_heap_growth",
		"possible leak: take heap profiles at the start and end of the range and compare them "
		"(memscope diff) to see which allocation sites keep growing",
		&first, &last, "live heap after GC rose from %u MB (gc %llu) to %u MB (gc %llu): %s, R² %.2f over %zu cycles",
		(uint32_t)y[0], (unsigned long long)first.n, a->last.heap_live_mb, (unsigned long long)last.n, rate, r2,
		wn);
	g->t_first_s = at[0];
}

/* frequent_gc — GC runs too often or costs too much CPU.
 *   critical: GC CPU ≥ 25%;  warn: GC CPU ≥ 10%, or a median interval
 *   ≤ 5 ms (≥ 200 GC/s);  info: median interval ≤ 20 ms (≥ 50 GC/s).
 * Needs ≥ min_cycles (10) cycles: a short program's first cycles say
 * nothing about its rate (one cycle has no interval at all). GC CPU is the
 * computed value (else the last printed P%). When a memory limit sets the
 * goal (limit_paced), the hint says so: GOGC does not pace that GC. */
static void find_frequent(const ms_gctrace_acc *a, const ms_gctrace_stats *s, int limit_paced, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
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
	if (sev < 0 || a->n < th->min_cycles)
		return;
	double p50 = s->interval_ms.p50;
	cycle_ref first = ref_of(&a->first, 0), last = ref_of(&a->last, a->n - 1);
	add_finding(f, (enum ms_severity)sev, "frequent_gc",
		limit_paced ? "a memory limit sets the heap goal here, not GOGC: raise GOMEMLIMIT or shrink the live "
			      "heap, or allocate less: the alloc_space view of a heap profile shows who allocates"
			    : "raise GOGC (or set GOMEMLIMIT and a higher GOGC) or allocate less: the alloc_space view "
			      "of a heap profile shows who allocates",
		&first, &last, "GC every %.3g ms (median, %.0f/s) over gc %llu-%llu using %.1f%% of CPU", p50,
		p50 > 0 ? 1000.0 / p50 : 0.0, (unsigned long long)first.n, (unsigned long long)last.n, cpu);
}

/* long_pause — stop-the-world outliers. A pause is an outlier when it is
 * ≥ 1 ms and either ≥ 10 × the median pause or ≥ 10 ms. critical when the
 * longest is ≥ 100 ms, warn otherwise. */
static void find_long_pause(const ms_gctrace_acc *a, const ms_gctrace_stats *s, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	double limit = th->pause_outlier_x * s->pause_ms.p50;
	if (limit > th->pause_warn_ms)
		limit = th->pause_warn_ms;
	if (limit < th->pause_floor_ms)
		limit = th->pause_floor_ms;
	size_t count = usec_count_at_least(&a->pause, limit);
	if (!count)
		return;
	size_t i = 0, j = a->nsuf - 1;
	while (us_ms(a->pre[i].us) < limit)
		i++;
	while (us_ms(a->suf[j].us) < limit)
		j--;
	const cycle_ref *mx = &a->pause_max_at;
	add_finding(f, s->pause_ms.max >= th->pause_crit_ms ? MS_SEV_CRITICAL : MS_SEV_WARN, "long_pause",
		"STW pauses are sweep and mark termination: many goroutines, huge stacks or maps, and "
		"non-preemptible loops (before Go 1.14) lengthen them; a CPU-starved host does too",
		&a->pre[i].at, &a->suf[j].at,
		"%zu stop-the-world pause%s >= %.3g ms (median %.3g ms); longest %.3g ms at gc %llu (@%.3fs)", count,
		count == 1 ? "" : "s", limit, s->pause_ms.p50, s->pause_ms.max, (unsigned long long)mx->n, ref_s(mx));
}

/* assist_heavy — mutator assists carry the mark. Share of mark CPU done by
 * assists ≥ 25% warn, ≥ 50% critical (needs ≥ 5 cycles). The evidence
 * range spans the cycles where assists were more than half of the mark. */
static void find_assist(const ms_gctrace_acc *a, const ms_gctrace_stats *s, int limit_paced, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	double mark = s->cpu_assist_ms + s->cpu_bg_ms + s->cpu_idle_ms;
	if (a->n < 5 || mark <= 0 || s->assist_share < th->assist_warn_share)
		return;
	cycle_ref first = a->heavy ? a->heavy_first : ref_of(&a->first, 0);
	cycle_ref last = a->heavy ? a->heavy_last : ref_of(&a->last, a->n - 1);
	add_finding(f, s->assist_share >= th->assist_crit_share ? MS_SEV_CRITICAL : MS_SEV_WARN, "assist_heavy",
		limit_paced ? "allocation outruns background marking, so allocating goroutines pay for GC with "
			      "latency: raise the memory limit (it sets the goal here, not GOGC) or smooth allocation bursts"
			    : "allocation outruns background marking, so allocating goroutines pay for GC with latency: "
			      "raise GOGC or the memory limit, or smooth allocation bursts",
		&first, &last,
		"mutator assists did %.0f%% of mark CPU (%.3g of %.3g ms) over %zu cycles; most of the mark in %zu of them",
		s->assist_share * 100, s->cpu_assist_ms, mark, a->n, a->heavy);
}

/* goal_overshoot — the heap at mark termination ended above the goal by
 * ≥ max(2 MB, 10% of the goal). info for any such cycle; warn when they are
 * ≥ 10% of the cycles and at least 3. */
static void find_overshoot(const ms_gctrace_acc *a, const ms_gctrace_stats *s, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	if (!s->overshoot_cycles)
		return;
	int warn = s->overshoot_cycles >= 3 && (double)s->overshoot_cycles >= th->overshoot_warn_frac * (double)a->n;
	add_finding(f, warn ? MS_SEV_WARN : MS_SEV_INFO, "goal_overshoot",
		"the heap grew faster than the pacer expected (allocation bursts, a cold start): peak memory "
		"exceeds what GOGC promises; leave headroom or smooth the bursts",
		&a->over_first, &a->over_last,
		"%zu of %zu cycles ended mark above the heap goal; worst +%.0f%% (%u MB vs %u MB goal) at gc %llu",
		s->overshoot_cycles, a->n, s->overshoot_max_pct, s->overshoot_max_heap_end_mb, s->overshoot_max_goal_mb,
		(unsigned long long)s->overshoot_max_gc);
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
static int find_pinned(const ms_gctrace_acc *a, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	/* the last window is still open */
	const pin_window *w = pinned_better(&a->pin.cur, a->pin.best.len, th) ? &a->pin.cur : &a->pin.best;
	size_t bestn = w->len;
	if (!bestn)
		return 0;
	double *frac = ms_xmalloc(bestn * sizeof *frac);
	memcpy(frac, w->frac, bestn * sizeof *frac);
	ms_dist d;
	dist_of(frac, bestn, &d);
	free(frac);
	/* window GC CPU: its cpu over P × (start of last − start of first + its wall) */
	double wall_us = (double)(w->last.at_us - w->first.at_us) + w->last_sweep_term_us + w->last_mark_us +
			 w->last_mark_term_us;
	double cpu_pct = wall_us > 0 && w->last_procs ? 100.0 * (double)w->cpu_us / (wall_us * w->last_procs) : 0;
	double every_ms = (double)(w->last.at_us - w->first.at_us) / 1000.0 / (double)(bestn - 1);
	if (d.p50 >= th->thrash_live_frac) {
		add_finding(f, cpu_pct >= th->cpu_crit_pct ? MS_SEV_CRITICAL : MS_SEV_WARN, "memory_limit_thrash",
			"the live heap is close to the memory limit: the runtime collects back to back (up to its "
			"50% GC CPU cap); raise GOMEMLIMIT, shrink the live heap, or let GOGC take over",
			&w->first, &w->last,
			"heap goal pinned at %u-%u MB over gc %llu-%llu while the live heap is %.0f%% of it (median): "
			"GC every %.3g ms using %.0f%% of CPU",
			w->gmin, w->gmax, (unsigned long long)w->first.n, (unsigned long long)w->last.n, d.p50 * 100,
			every_ms, cpu_pct);
	} else {
		add_finding(f, MS_SEV_INFO, "memory_limit_bound",
			"a memory limit (GOMEMLIMIT), not GOGC, sets the goal; fine while the live heap stays well "
			"below it, thrash when it gets close",
			&w->first, &w->last,
			"heap goal pinned at %u-%u MB over gc %llu-%llu (%zu cycles) while the live heap moved %u-%u MB",
			w->gmin, w->gmax, (unsigned long long)w->first.n, (unsigned long long)w->last.n, bestn, w->own_lmin,
			w->own_lmax);
	}
	return 1;
}

/* memory_limit_exceeded / memory_limit_thrash / memory_limit_bound, judged
 * over the last run: which of GOGC and a memory limit sets the heap goal.
 * Each cycle with a goal and a predecessor in the run gives a pair (P, G):
 * P the live heap after the previous cycle, G this cycle's goal (whole MB).
 *   GOGC sets    G = P + (P + stacks + globals) × GOGC/100  (≥ 4 MB × GOGC/100):
 *                G follows P with one ratio;
 *   a limit sets G = limit − non-heap memory − max(3%, 1 MiB)  whatever P is,
 *                and when P reaches that the runtime keeps G just above P.
 * Over the pairs with P ≥ 4 MB (below, GOGC's 4 MB minimum decides):
 *   k      = median of G / P;
 *   follow = |G − k·P| ≤ max(1.5 MB, 8% of G)   (one GOGC explains the pair,
 *            allowing for whole-MB rounding of both and moving stacks);
 *   hug    = G ≤ 1.05·P + 1 MB   (GOGC < 5, or a limit at or below P);
 *   L      = median G of the pairs that do not hug (the limit's goal).
 * With ≥ min_cycles pairs, when ≥ 25% of the pairs hug, the heap is at the
 * limit and every allocation soon triggers a cycle:
 *   exceeded (critical) when their median P is above L: the live heap
 *     outgrew the goal the limit set before;
 *   thrash otherwise (the live heap plus the runtime's other memory is at
 *     the limit; warn, critical at ≥ 25% GC CPU).
 * Otherwise the limit sets the goal when < 75% of the pairs follow one
 *     GOGC while P moves (P90 − P10 ≥ 2 MB; a still live heap cannot tell a
 *     limit from GOGC); then GOGC is off, or so high that the limit binds
 *     first. thrash (warn, critical at ≥ 25% GC CPU) when the median P/G
 *     ≥ 0.85; bound otherwise (info, warn when GC is frequent: GC CPU ≥
 *     cpu_warn_pct or a median interval ≤ freq_warn_ms).
 * The goal is the limit less non-heap memory, so L is a lower bound of
 * GOMEMLIMIT, not its value. Returns 1 when a finding was raised. */
static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static uint32_t median_u32(uint32_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_u32);
	return v[(n - 1) / 2];
}

static int find_limit(const ms_gctrace_acc *a, const ms_gctrace_stats *s, findings *f)
{
	const ms_gctrace_thresholds *th = &a->th;
	size_t m = a->n - a->run0, n = 0;
	if (m < 2)
		return 0;
	double *ratio = ms_xmalloc(m * sizeof *ratio);
	uint32_t *pv = ms_xmalloc(m * sizeof *pv), *free_g = ms_xmalloc(m * sizeof *free_g),
		 *hug_p = ms_xmalloc(m * sizeof *hug_p);
	for (size_t r = 1; r < m; r++)
		if (a->goal_mb[r] != NO_GOAL && a->live_mb[r - 1] >= 4) {
			ratio[n] = a->goal_mb[r] / a->live_mb[r - 1];
			pv[n++] = (uint32_t)a->live_mb[r - 1];
		}
	int raised = 0;
	if (n < th->min_cycles)
		goto out;
	ms_dist rd;
	dist_of(ratio, n, &rd);
	double k = rd.p50;
	size_t follow = 0, hug = 0, nfree = 0;
	cycle_ref hug_first = { 0 }, hug_last = { 0 }, first = { 0 }, last = { 0 };
	for (size_t r = 1; r < m; r++) {
		if (a->goal_mb[r] == NO_GOAL || a->live_mb[r - 1] < 4)
			continue;
		double P = a->live_mb[r - 1], G = a->goal_mb[r];
		cycle_ref here = { a->run0 + r, a->gc_n[r], (int64_t)(a->at_s[r] * 1e6 + 0.5) };
		if (!first.n)
			first = here;
		last = here;
		if (fabs(G - k * P) <= fmax(1.5, 0.08 * G))
			follow++;
		if (G <= 1.05 * P + 1) {
			if (!hug)
				hug_first = here;
			hug_last = here;
			hug_p[hug++] = (uint32_t)P;
		} else {
			free_g[nfree++] = (uint32_t)G;
		}
	}
	uint32_t L = nfree ? median_u32(free_g, nfree) : 0;
	uint32_t hug_med = hug ? median_u32(hug_p, hug) : 0;
	double cpu = s->gc_cpu_computed_pct >= 0 ? s->gc_cpu_computed_pct : s->gc_cpu_last_pct;
	if (4 * hug >= n) {
		uint32_t pmin = hug_p[0], pmax = hug_p[hug - 1]; /* sorted by median_u32 */
		if (nfree && hug_med > L)
			add_finding(f, MS_SEV_CRITICAL, "memory_limit_exceeded",
				"the program keeps more live than GOMEMLIMIT allows: the runtime collects back to back "
				"(up to its 50% GC CPU cap) and the program slows down; raise GOMEMLIMIT above the live "
				"heap or find what stays live (an inuse_space heap profile)",
				&hug_first, &hug_last,
				"the live heap exceeds the memory limit: it grew to %u MB, past the %u MB goal the "
				"limit set before, and in %zu of %zu cycles the goal stays within 5%% of it; GC every %.3g ms",
				pmax, L, hug, n, s->interval_ms.p50);
		else
			add_finding(f, cpu >= th->cpu_crit_pct ? MS_SEV_CRITICAL : MS_SEV_WARN, "memory_limit_thrash",
				"the live heap and the runtime's other memory are at the memory limit: the runtime "
				"collects back to back (up to its 50% GC CPU cap); raise GOMEMLIMIT, shrink the live "
				"heap, or let GOGC take over",
				&hug_first, &hug_last,
				"the memory limit is reached: in %zu of %zu cycles the goal stays within 5%% of the live "
				"heap (%u-%u MB), so GOGC is off or above the limit (or below 5); GC every %.3g ms using "
				"%.0f%% of CPU",
				hug, n, pmin, pmax, s->interval_ms.p50, cpu);
		raised = 1;
		goto out;
	}
	qsort(pv, n, sizeof *pv, cmp_u32);
	uint32_t p10 = pv[rank_index(n, 10)], p90 = pv[rank_index(n, 90)];
	if (!(4 * follow < 3 * n && p90 - p10 >= 2 && nfree))
		goto out;
	double frac = L ? (double)pv[(n - 1) / 2] / L : 0;
	if (frac >= th->thrash_live_frac) {
		add_finding(f, cpu >= th->cpu_crit_pct ? MS_SEV_CRITICAL : MS_SEV_WARN, "memory_limit_thrash",
			"the live heap is close to the memory limit: the runtime collects back to back (up to its "
			"50% GC CPU cap); raise GOMEMLIMIT, shrink the live heap, or let GOGC take over",
			&first, &last,
			"heap goal set by a memory limit, not GOGC (GOGC off or above it): near %u MB while the live "
			"heap is %.0f%% of it (median) over gc %llu-%llu; GC every %.3g ms using %.0f%% of CPU",
			L, frac * 100, (unsigned long long)first.n, (unsigned long long)last.n, s->interval_ms.p50, cpu);
	} else {
		int frequent = cpu >= th->cpu_warn_pct || s->interval_ms.p50 <= th->freq_warn_ms;
		add_finding(f, frequent ? MS_SEV_WARN : MS_SEV_INFO, "memory_limit_bound",
			"each cycle can free only the goal less the live heap: raise GOMEMLIMIT for fewer cycles (the "
			"goal is the limit less non-heap memory and 3%) or shrink the live heap; raising GOGC "
			"changes nothing while the limit binds",
			&first, &last,
			"heap goal set by a memory limit, not GOGC (GOGC off or above it): near %u MB while the live "
			"heap moved %u-%u MB over gc %llu-%llu, so GOMEMLIMIT >= ~%u MB; GC every %.3g ms, %.0f%% CPU",
			L, p10, p90, (unsigned long long)first.n, (unsigned long long)last.n, L, s->interval_ms.p50, cpu);
	}
	raised = 1;
out:
	free(ratio);
	free(pv);
	free(free_g);
	free(hug_p);
	return raised;
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

/* The stats that depend on cycles, from what a gathered: the running
 * counts kept in a->s, and what is only known at the end. */
static void acc_stats(ms_gctrace_acc *a, ms_gctrace_stats *s)
{
	size_t n = a->n;
	const ms_gc_cycle *first = &a->first, *e = &a->last;
	*s = a->s;
	s->gc_count = n;
	if (!n)
		return;
	s->first_gc = first->n;
	s->last_gc = e->n;
	s->format = e->format;
	s->first_s = (double)first->at_us / 1e6;
	s->last_s = (double)e->at_us / 1e6;
	s->gc_cpu_last_pct = e->cpu_pct;
	s->procs_first = first->procs;
	s->procs_last = e->procs;
	s->live_first_mb = first->heap_live_mb;
	s->live_last_mb = e->heap_live_mb;
	s->span_s += (double)(e->at_us - a->run_start_at) / 1e6;
	double avail_us =
		a->avail_us + (double)e->procs * ((double)e->sweep_term_us + e->mark_us + e->mark_term_us + e->install_wb_us);
	if (avail_us > 0)
		s->gc_cpu_computed_pct = 100.0 * (double)a->busy / avail_us;
	s->cpu_assist_ms = us_ms(a->assist);
	s->cpu_bg_ms = us_ms(a->bg);
	s->cpu_idle_ms = us_ms(a->idle);
	s->cpu_stw_ms = us_ms(a->stw);
	s->assist_share = a->assist + a->bg + a->idle ? (double)a->assist / (double)(a->assist + a->bg + a->idle) : 0;

	usec_to_dist(&a->gap, &s->interval_ms);
	usec_to_dist(&a->pause, &s->pause_ms);
	s->pause_ms.max_index = a->pause_max_at.index;
	s->pause_ms.max_gc = a->pause_max_at.n;
	s->pause_total_ms = s->pause_ms.mean * (double)n;
	usec_to_dist(&a->mark, &s->mark_ms);
	s->mark_ms.max_index = a->mark_max_at.index;
	s->mark_ms.max_gc = a->mark_max_at.n;

	/* live heap trend over the last run; live_heap_growth judges its last half */
	s->trend_cycles = (n - a->run0) - (n - a->run0) / 2;
	s->trend_min_cycles = a->th.growth_min_cycles;
	s->live_slope_mb_per_min = ms_linear_fit(a->at_s, a->live_mb, n - a->run0, NULL, &s->live_r2) * 60;
}

/* The report of what a gathered; scavenger and pacer figures, the name and
 * the line count come from log. */
static int acc_report(ms_gctrace_acc *a, const ms_gctrace_log *log, ms_gctrace_report *out, ms_err *err)
{
	memset(out, 0, sizeof *out);
	if (ms_gctrace_log_empty(log) && log->trace)
		return ms_seterr(err, "'%s': no GC cycles in the runtime trace (%llu records read)", log->name,
			(unsigned long long)log->trace->records);
	if (ms_gctrace_log_empty(log) && log->gotrace)
		return ms_seterr(err, "'%s': no complete GC cycle in the Go execution trace (%llu events read)",
			log->name, (unsigned long long)log->gotrace->events);
	if (ms_gctrace_log_empty(log))
		return ms_seterr(err, "'%s': no gctrace lines found (%llu lines read)", log->name,
			(unsigned long long)log->lines);
	ms_gctrace_stats *s = &out->stats;
	acc_stats(a, s);
	scav_stats(log, s);
	findings f = { NULL, 0, 0 };
	if (a->n) {
		/* the run-level limit rule first; the pinned windows only when it
		 * cannot judge (one regime finding, never two that disagree) */
		int limit_paced = find_limit(a, s, &f) || find_pinned(a, &f);
		find_growth(a, &f);
		find_frequent(a, s, limit_paced, &f);
		find_long_pause(a, s, &f);
		find_assist(a, s, limit_paced, &f);
		find_overshoot(a, s, &f);
	}
	if (f.n)
		qsort(f.v, f.n, sizeof *f.v, cmp_finding);
	out->findings = f.v;
	out->nfindings = f.n;
	if (log->trace)
		out->trace = ms_gctrace_trace_analyze(log);
	return 0;
}

int ms_gctrace_analyze(const ms_gctrace_log *log, const ms_gctrace_thresholds *th, ms_gctrace_report *out,
	ms_err *err)
{
	if (log->drop_cycles && log->ncycles) {
		return ms_seterr(err, "'%s': the cycles were not kept (report through the reader's accumulator)",
			log->name);
	}
	ms_gctrace_acc *a = ms_gctrace_acc_new(th);
	ms_gctrace_acc_add(a, log->cycles, log->ncycles);
	int rc = acc_report(a, log, out, err);
	ms_gctrace_acc_free(a);
	return rc;
}

void ms_gctrace_acc_sink(void *arg, const ms_gc_cycle *c, size_t n)
{
	ms_gctrace_acc_add(arg, c, n);
}

int ms_gctrace_acc_report(ms_gctrace_acc *a, const ms_gctrace_log *log, ms_gctrace_report *out, ms_err *err)
{
	return acc_report(a, log, out, err);
}

void ms_gctrace_report_free(ms_gctrace_report *r)
{
	free(r->trace);
	r->trace = NULL;
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
