/* mpagealloc.c — the page allocator: which 8 KiB pages of the arena are
 * free, and the address-ordered first fit over them (Go's mpagealloc.go,
 * simplified).
 *
 * Index:
 *   free_bits  one bit per page, 1 = free; scav_bits 1 = free and released
 *   sum[0]     one summary per chunk of 512 pages (4 MiB)
 *   sum[k]     one summary per 64 nodes of level k-1, up to one root
 * A summary is (start, max, end): free pages at the start of the node's
 * range, the longest free run in it, free pages at its end. A parent is
 * combined from its children c_0..c_63, each of S pages:
 *   start = c_0.start, plus S + c_1.start ... while the children are all free
 *   end   = the same from the right
 *   max   = max over i of ( c_i.max, carry_i + c_i.start )
 *           where carry_{i+1} = c_i is all free ? carry_i + S : c_i.end
 * Ranges that are not committed yet read as "in use" (all-zero summary),
 * so the tree needs no bound checks.
 *
 * First fit for n pages walks from the root: at each level, scan the
 * children left to right carrying the free pages that end the previous
 * child; if carry + child.start >= n the run starts carry pages before the
 * child; else if child.max >= n descend into it; else update the carry.
 * That finds the lowest address with n free pages in O(levels · 64).
 */
#include "config.h"

#include <string.h>

#include "rt/msrt_internal.h"

static inline size_t level_pages(int level)
{
	size_t s = MSRT_PAGES_PER_CHUNK;
	for (int i = 0; i < level; i++)
		s *= MSRT_SUM_FANOUT;
	return s;
}

int msrt_pages_init(msrt_pagealloc *pa, size_t maxpages)
{
	memset(pa, 0, sizeof *pa);
	size_t nchunks = (maxpages + MSRT_PAGES_PER_CHUNK - 1) / MSRT_PAGES_PER_CHUNK;
	maxpages = nchunks * MSRT_PAGES_PER_CHUNK;
	pa->maxpages = maxpages;
	size_t words = maxpages / 64;
	pa->free_bits = msrt_sys_reserve(words * 8);
	pa->scav_bits = msrt_sys_reserve(words * 8);
	pa->freed_at = msrt_sys_reserve(nchunks * 4 + 8);
	if (!pa->free_bits || !pa->scav_bits || !pa->freed_at || msrt_sys_commit(pa->free_bits, words * 8) ||
		msrt_sys_commit(pa->scav_bits, words * 8) || msrt_sys_commit(pa->freed_at, nchunks * 4 + 8))
		return -1;
	size_t n = nchunks;
	int level = 0;
	for (;;) {
		pa->sum[level] = msrt_sys_reserve(n * sizeof(msrt_sum));
		if (!pa->sum[level] || msrt_sys_commit(pa->sum[level], n * sizeof(msrt_sum)))
			return -1;
		level++;
		if (n == 1 || level == MSRT_SUM_LEVELS)
			break;
		n = (n + MSRT_SUM_FANOUT - 1) / MSRT_SUM_FANOUT;
	}
	if (n != 1)
		return -1; /* more pages than the levels can index */
	pa->nlevels = level;
	return 0;
}

/* ---- summaries ------------------------------------------------------------ */
/* Next run of free pages in [pos, end): returns its first page and sets
 * *run_end, or returns end when there is none. Word at a time. */
static size_t next_run(const uint64_t *bits, size_t pos, size_t end, size_t *run_end)
{
	size_t w = pos / 64;
	uint64_t x = bits[w] & (~0ull << (pos % 64));
	while (!x) {
		if (++w * 64 >= end)
			return end;
		x = bits[w];
	}
	size_t start = w * 64 + (size_t)__builtin_ctzll(x);
	if (start >= end)
		return end;
	uint64_t y = ~bits[w] & (~0ull << (start % 64));
	while (!y) {
		if (++w * 64 >= end) {
			*run_end = end;
			return start;
		}
		y = ~bits[w];
	}
	size_t stop = w * 64 + (size_t)__builtin_ctzll(y);
	*run_end = stop < end ? stop : end;
	return start;
}

/* Longest run of ones in x if it is longer than floor, else 0. After
 * y = x & x<<1 & ... & x<<(L-1) (built by doubling), bit i of y is set
 * where a run of at least L ones ends, and a run of R ≥ L ones in x is a
 * run of R - L + 1 in y; each step of the last loop shortens every run of
 * y by one. */
static inline uint32_t longest_ones_over(uint64_t x, uint32_t floor)
{
	uint32_t want = floor + 1, have = 1;
	if (want > 64)
		return 0;
	while (have < want && x) {
		uint32_t t = have < want - have ? have : want - have;
		x &= x << t;
		have += t;
	}
	if (!x)
		return 0;
	uint32_t n = want - 1;
	while (x) {
		x &= x << 1;
		n++;
	}
	return n;
}

/* A chunk's (start, max, end) from its 8 bitmap words, word at a time: a
 * word of all ones extends the current run; otherwise its low ones end the
 * run, its high ones start the next, and its inside is searched only for
 * runs longer than the best so far. */
static msrt_sum chunk_summary(const msrt_pagealloc *pa, size_t chunk)
{
	const uint64_t *w = pa->free_bits + chunk * (MSRT_PAGES_PER_CHUNK / 64);
	msrt_sum s = { 0, 0, 0 };
	uint32_t run = 0;
	int at_start = 1;
	for (size_t i = 0; i < MSRT_PAGES_PER_CHUNK / 64; i++) {
		uint64_t x = w[i];
		if (x == ~0ull) {
			run += 64;
			continue;
		}
		run += (uint32_t)__builtin_ctzll(~x); /* low ones close the run */
		if (at_start) {
			s.start = run;
			at_start = 0;
		}
		if (run > s.max)
			s.max = run;
		uint32_t inside = longest_ones_over(x, s.max);
		if (inside > s.max)
			s.max = inside;
		run = x >> 63 ? (uint32_t)__builtin_clzll(~x) : 0; /* high ones open the next */
	}
	if (at_start)
		s.start = run; /* all free */
	if (run > s.max)
		s.max = run;
	s.end = run;
	return s;
}

static msrt_sum combine(const msrt_sum *c, size_t n, size_t child_pages)
{
	msrt_sum s = { 0, 0, 0 };
	uint32_t carry = 0;
	int prefix = 1;
	for (size_t i = 0; i < n; i++) {
		if (prefix) {
			s.start += c[i].start;
			if (c[i].start != child_pages)
				prefix = 0;
		}
		uint32_t run = carry + c[i].start;
		if (run > s.max)
			s.max = run;
		if (c[i].max > s.max)
			s.max = c[i].max;
		carry = c[i].start == child_pages ? carry + (uint32_t)child_pages : c[i].end;
	}
	s.end = carry;
	return s;
}

/* Recomputes the summaries of chunks [c0, c1] and their ancestors. */
static inline int sum_eq(const msrt_sum *a, const msrt_sum *b)
{
	return a->start == b->start && a->max == b->max && a->end == b->end;
}

/* Recomputes the summaries of chunks [c0, c1] and their ancestors; stops
 * climbing as soon as a level comes out unchanged. */
static void update(msrt_pagealloc *pa, size_t c0, size_t c1)
{
	int changed = 0;
	for (size_t c = c0; c <= c1; c++) {
		msrt_sum s = chunk_summary(pa, c);
		if (!sum_eq(&s, &pa->sum[0][c])) {
			pa->sum[0][c] = s;
			changed = 1;
		}
	}
	size_t nchunks = pa->maxpages / MSRT_PAGES_PER_CHUNK;
	size_t n = nchunks, child_pages = MSRT_PAGES_PER_CHUNK;
	for (int l = 1; l < pa->nlevels && changed; l++) {
		size_t nparent = (n + MSRT_SUM_FANOUT - 1) / MSRT_SUM_FANOUT;
		/* children past the committed pages read as all in use: only
		 * the first `live` are combined, and a node cut short ends in use */
		size_t live = (pa->npages + child_pages - 1) / child_pages;
		c0 /= MSRT_SUM_FANOUT;
		c1 /= MSRT_SUM_FANOUT;
		changed = 0;
		for (size_t p = c0; p <= c1; p++) {
			size_t first = p * MSRT_SUM_FANOUT;
			size_t cnt = n - first < MSRT_SUM_FANOUT ? n - first : MSRT_SUM_FANOUT;
			size_t cnt_live = live <= first ? 0 : live - first < cnt ? live - first : cnt;
			msrt_sum s = combine(&pa->sum[l - 1][first], cnt_live, child_pages);
			if (cnt_live < cnt)
				s.end = 0;
			if (!sum_eq(&s, &pa->sum[l][p])) {
				pa->sum[l][p] = s;
				changed = 1;
			}
		}
		n = nparent;
		child_pages *= MSRT_SUM_FANOUT;
	}
}

/* ---- bit ranges ------------------------------------------------------------ */
static void set_range(uint64_t *bits, size_t idx, size_t n, int value)
{
	while (n > 0) {
		size_t w = idx / 64, b = idx % 64;
		size_t take = 64 - b < n ? 64 - b : n;
		uint64_t mask = take == 64 ? ~0ull : ((1ull << take) - 1) << b;
		if (value)
			bits[w] |= mask;
		else
			bits[w] &= ~mask;
		idx += take;
		n -= take;
	}
}

static size_t count_range(const uint64_t *bits, size_t idx, size_t n)
{
	size_t cnt = 0;
	while (n > 0) {
		size_t w = idx / 64, b = idx % 64;
		size_t take = 64 - b < n ? 64 - b : n;
		uint64_t mask = take == 64 ? ~0ull : ((1ull << take) - 1) << b;
		cnt += (size_t)__builtin_popcountll(bits[w] & mask);
		idx += take;
		n -= take;
	}
	return cnt;
}

static inline int bit(const uint64_t *bits, size_t i) { return (bits[i / 64] >> (i % 64)) & 1; }

/* ---- operations -------------------------------------------------------------- */
void msrt_pages_grow(msrt_pagealloc *pa, size_t new_npages)
{
	if (new_npages > pa->maxpages)
		new_npages = pa->maxpages;
	if (new_npages <= pa->npages)
		return;
	size_t old = pa->npages;
	set_range(pa->free_bits, old, new_npages - old, 1);
	set_range(pa->scav_bits, old, new_npages - old, 1);
	pa->nfree += new_npages - old;
	pa->nscav += new_npages - old;
	pa->npages = new_npages;
	update(pa, old / MSRT_PAGES_PER_CHUNK, (new_npages - 1) / MSRT_PAGES_PER_CHUNK);
}

static void take(msrt_pagealloc *pa, size_t idx, size_t npages, size_t *nscav)
{
	size_t s = count_range(pa->scav_bits, idx, npages);
	set_range(pa->free_bits, idx, npages, 0);
	if (s)
		set_range(pa->scav_bits, idx, npages, 0);
	pa->nfree -= npages;
	pa->nscav -= s;
	if (nscav)
		*nscav = s;
	update(pa, idx / MSRT_PAGES_PER_CHUNK, (idx + npages - 1) / MSRT_PAGES_PER_CHUNK);
}

/* First fit inside one chunk (a run that fits lies wholly in it). */
static size_t find_in_chunk(const msrt_pagealloc *pa, size_t chunk, size_t n)
{
	size_t base = chunk * MSRT_PAGES_PER_CHUNK, end = base + MSRT_PAGES_PER_CHUNK;
	size_t pos = base, run_end = 0;
	while (pos < end) {
		size_t start = next_run(pa->free_bits, pos, end, &run_end);
		if (start >= end)
			break;
		if (run_end - start >= n)
			return start;
		pos = run_end;
	}
	return SIZE_MAX;
}

static size_t descend(const msrt_pagealloc *pa, int level, size_t node, size_t n)
{
	if (level == 0)
		return find_in_chunk(pa, node, n);
	size_t child_pages = level_pages(level - 1);
	size_t nchildren_total = (pa->npages + child_pages - 1) / child_pages; /* the rest is in use */
	size_t carry = 0;
	for (size_t j = 0; j < MSRT_SUM_FANOUT; j++) {
		size_t child = node * MSRT_SUM_FANOUT + j;
		if (child >= nchildren_total)
			break;
		const msrt_sum *s = &pa->sum[level - 1][child];
		if (carry + s->start >= n)
			return child * child_pages - carry;
		if (s->max >= n)
			return descend(pa, level - 1, child, n);
		carry = s->start == child_pages ? carry + child_pages : s->end;
	}
	return SIZE_MAX;
}

size_t msrt_pages_alloc(msrt_pagealloc *pa, size_t npages, size_t *nscav)
{
	if (npages == 0 || npages > pa->nfree)
		return SIZE_MAX;
	int top = pa->nlevels - 1;
	if (pa->sum[top][0].max < npages)
		return SIZE_MAX;
	size_t idx = descend(pa, top, 0, npages);
	if (idx == SIZE_MAX)
		return SIZE_MAX;
	take(pa, idx, npages, nscav);
	return idx;
}

int msrt_pages_alloc_at(msrt_pagealloc *pa, size_t idx, size_t npages, size_t *nscav)
{
	if (idx + npages > pa->npages || count_range(pa->free_bits, idx, npages) != npages)
		return -1;
	take(pa, idx, npages, nscav);
	return 0;
}

void msrt_pages_free(msrt_pagealloc *pa, size_t idx, size_t npages, int scavenged)
{
	set_range(pa->free_bits, idx, npages, 1);
	if (scavenged) {
		set_range(pa->scav_bits, idx, npages, 1);
		pa->nscav += npages;
	} else {
		uint32_t now = msrt_coarse_seconds();
		for (size_t c = idx / MSRT_PAGES_PER_CHUNK; c <= (idx + npages - 1) / MSRT_PAGES_PER_CHUNK; c++)
			pa->freed_at[c] = now;
	}
	pa->nfree += npages;
	update(pa, idx / MSRT_PAGES_PER_CHUNK, (idx + npages - 1) / MSRT_PAGES_PER_CHUNK);
}

int msrt_pages_is_free(const msrt_pagealloc *pa, size_t idx)
{
	return idx < pa->npages && bit(pa->free_bits, idx);
}

size_t msrt_pages_find_unscavenged(msrt_pagealloc *pa, size_t *idx, uint32_t before)
{
	size_t i = *idx;
	while (i < pa->npages) {
		size_t chunk = i / MSRT_PAGES_PER_CHUNK;
		if (pa->freed_at[chunk] > before || pa->sum[0][chunk].max == 0) {
			i = (chunk + 1) * MSRT_PAGES_PER_CHUNK;
			continue;
		}
		size_t w = i / 64;
		uint64_t cand = pa->free_bits[w] & ~pa->scav_bits[w] & (~0ull << (i % 64));
		if (!cand) {
			i = (w + 1) * 64;
			continue;
		}
		size_t start = w * 64 + (size_t)__builtin_ctzll(cand);
		size_t end = start;
		size_t chunk_end = (start / MSRT_PAGES_PER_CHUNK + 1) * MSRT_PAGES_PER_CHUNK;
		while (end < chunk_end && end < pa->npages && bit(pa->free_bits, end) && !bit(pa->scav_bits, end))
			end++;
		*idx = start;
		return end - start;
	}
	*idx = i;
	return 0;
}

size_t msrt_pages_find_unscavenged_down(msrt_pagealloc *pa, size_t *end_idx, uint32_t before)
{
	size_t i = *end_idx < pa->npages ? *end_idx : pa->npages; /* search below i */
	while (i > 0) {
		size_t chunk = (i - 1) / MSRT_PAGES_PER_CHUNK;
		if (pa->freed_at[chunk] > before || pa->sum[0][chunk].max == 0) {
			i = chunk * MSRT_PAGES_PER_CHUNK;
			continue;
		}
		size_t w = (i - 1) / 64;
		unsigned top = (unsigned)((i - 1) % 64);
		uint64_t mask = top == 63 ? ~0ull : (1ull << (top + 1)) - 1;
		uint64_t cand = pa->free_bits[w] & ~pa->scav_bits[w] & mask;
		if (!cand) {
			i = w * 64;
			continue;
		}
		size_t end = w * 64 + 64 - (size_t)__builtin_clzll(cand); /* one past the highest */
		size_t start = end - 1;
		size_t chunk_start = (start / MSRT_PAGES_PER_CHUNK) * MSRT_PAGES_PER_CHUNK;
		while (start > chunk_start && bit(pa->free_bits, start - 1) && !bit(pa->scav_bits, start - 1))
			start--;
		*end_idx = start;
		return end - start;
	}
	*end_idx = 0;
	return 0;
}

void msrt_pages_free_runs(const msrt_pagealloc *pa, void (*fn)(void *arg, size_t idx, size_t npages, size_t nscav),
	void *arg)
{
	size_t i = 0;
	while (i < pa->npages) {
		size_t w = i / 64;
		if (i % 64 == 0 && pa->free_bits[w] == 0) {
			i += 64;
			continue;
		}
		if (!bit(pa->free_bits, i)) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < pa->npages && bit(pa->free_bits, i))
			i++;
		fn(arg, start, i - start, count_range(pa->scav_bits, start, i - start));
	}
}
