/* mleak.c — the leak check for malloc programs (MSRT_LEAK_CHECK=1,
 * `memscope run --leak-check`): at exit, which blocks that were never
 * freed can no longer be reached?
 *
 * With the check on, the profiler records every allocation (rate 1), so
 * its live-object table (address → stack bucket, requested size) is the
 * whole live heap. At exit — an atexit handler registered at load time,
 * so it runs after the program's own handlers and C++ destructors — the
 * exiting thread marks conservatively, word by word, from the roots:
 *   - the writable PT_LOAD segments (data, bss, relro) of the program and
 *     every loaded library, except the runtime's own;
 *   - its registers (getcontext on entry) and its stack from the frame of
 *     the handler up — not the handler's own frames, whose uninitialised
 *     locals hold stale words from deeper calls made by the program;
 *   - every other thread that allocated: its whole stack block (its
 *     registers cannot be read without stopping it, so the whole block,
 *     stale frames included, stands in for them — this errs towards
 *     "reachable", never towards a false leak); on glibc the block also
 *     holds the thread's static TLS and descriptor;
 *   - the main thread's static TLS and thread descriptor (glibc puts them
 *     in memory of its own at start-up) and its dynamic-TLS vector.
 *   - the program's own anonymous writable mappings — arenas of custom
 *     allocators (Python's pymalloc keeps its dicts there), JIT heaps,
 *     whatever it mmap'ed itself — as valgrind's memcheck does (LeakSanitizer
 *     does not, and reports what only such memory points to as leaked);
 *     minus the runtime's own mappings (mmem.c registers them), the main
 *     stack and thread stacks (recognised by the thread descriptor glibc
 *     puts at their top: live ones are scanned above, cached ones of
 *     exited threads are dead);
 *   - the blocks the dynamic linker allocated (their allocating call is in
 *     ld.so: thread DTVs, dynamic TLS, link maps), which it keeps in places
 *     we do not scan, such as the descriptors of cached thread stacks
 *     (LeakSanitizer's rule too).
 * A word points to a block when it falls inside the block's requested
 * bytes (interior pointers count, as in LeakSanitizer). Marked blocks are
 * scanned in turn.
 *
 * What is left unmarked leaked. It is split like LeakSanitizer's report:
 * a block that no other leaked block points to is a direct leak, the
 * blocks reachable only from direct leaks are indirect (freeing the direct
 * ones would free them). A leaked cycle nobody points into has no such
 * root, so its lowest-address block is made the direct one (LeakSanitizer
 * would call the whole cycle indirect).
 *
 * Memory outside the heap is read through process_vm_readv on our own
 * pid, so a thread stack unmapped under our feet costs a skipped range,
 * not a crash. The result is a pprof profile leaks.PROG.PID.pb.gz (msrt_outnames.h) in the
 * profile directory (or the working directory): sample types
 * leaked_objects/count, leaked_space/bytes (default), reachable_objects/
 * count, reachable_space/bytes, one sample per (stack, kind) with the
 * string label kind = direct | indirect | reachable.
 */
#define _GNU_SOURCE 1
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

enum { UNSEEN = 0, REACHABLE = 1, INDIRECT = 2, DIRECT = 3 };

typedef struct leakcheck {
	msrt_live_obj *objs;
	size_t n, objs_bytes;
	uint32_t *table; /* open addressing: object index + 1, keyed by address */
	size_t cap;
	uint8_t *state;
	uint32_t *incoming; /* pointers from other leaked blocks (saturating) */
	uint32_t *stack;    /* work list: each block is pushed once per pass */
	size_t top;
	uintptr_t lo, hi;   /* committed arena */
	int safe_read;      /* process_vm_readv works */
} leakcheck;

/* Set at load time: the main thread's descriptor and glibc's static TLS
 * size (for the main thread's TLS block, which is not on its stack). */
static uintptr_t main_tp, main_tls_lo, main_tls_hi;
static uintptr_t in_linker; /* an address in ld.so's code */

static inline size_t slot_of(uintptr_t a, size_t cap)
{
	return msrt_hash_slot(a >> 4, cap);
}

static long find_base(const leakcheck *lc, uintptr_t base)
{
	size_t j = slot_of(base, lc->cap);
	for (;;) {
		uint32_t v = lc->table[j];
		if (!v)
			return -1;
		if (lc->objs[v - 1].addr == base)
			return (long)v - 1;
		j = (j + 1) & (lc->cap - 1);
	}
}

/* The live block w points into, or -1. */
static long block_of(const leakcheck *lc, uintptr_t w)
{
	if (w < lc->lo || w >= lc->hi)
		return -1;
	msrt_span *s = msrt_span_of((const void *)w);
	if (!s || s->state != MSRT_SPAN_INUSE || s->gcs || w < s->base)
		return -1;
	uintptr_t base = s->base;
	if (s->sizeclass) {
		size_t slot = (w - s->base) / s->elemsize;
		if (slot >= s->nelems)
			return -1;
		base += slot * s->elemsize;
	}
	long i = find_base(lc, base);
	if (i < 0)
		return -1;
	size_t size = lc->objs[i].size ? lc->objs[i].size : 1;
	return w - base < size ? i : -1;
}

/* What a pointer found while scanning does, per pass. */
enum pass { PASS_MARK, PASS_COUNT, PASS_FLOOD };

static void visit(leakcheck *lc, uintptr_t w, enum pass pass, long self)
{
	long i = block_of(lc, w);
	if (i < 0 || i == self)
		return;
	if (lc->state[i] != UNSEEN)
		return;
	if (pass == PASS_COUNT) {
		if (lc->incoming[i] != UINT32_MAX)
			lc->incoming[i]++;
		return;
	}
	lc->state[i] = pass == PASS_MARK ? REACHABLE : INDIRECT;
	lc->stack[lc->top++] = (uint32_t)i;
}

static void scan_words(leakcheck *lc, const uintptr_t *p, size_t nwords, enum pass pass, long self)
{
	for (size_t k = 0; k < nwords; k++)
		visit(lc, p[k], pass, self);
}

static void scan_block(leakcheck *lc, size_t i, enum pass pass)
{
	const msrt_live_obj *o = &lc->objs[i];
	scan_words(lc, (const uintptr_t *)o->addr, o->size / sizeof(uintptr_t), pass, (long)i);
}

static void drain(leakcheck *lc, enum pass pass)
{
	while (lc->top)
		scan_block(lc, lc->stack[--lc->top], pass);
}

/* One word of our own memory, or -1 when it is not mapped. */
static int read_word(uintptr_t at, uintptr_t *out)
{
	struct iovec local = { out, sizeof *out }, remote = { (void *)at, sizeof *out };
	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)sizeof *out ? 0 : -1;
}

/* Scans [lo, hi) outside the heap. Read through process_vm_readv page by
 * page, so unmapped parts are skipped; trusted ranges (our own stack, the
 * loaded segments) are read directly when that syscall is not allowed. */
static void scan_root(leakcheck *lc, uintptr_t lo, uintptr_t hi, int trusted)
{
	lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
	if (hi <= lo)
		return;
	if (!lc->safe_read) {
		if (trusted)
			scan_words(lc, (const uintptr_t *)lo, (hi - lo) / sizeof(uintptr_t), PASS_MARK, -1);
		return;
	}
	uintptr_t buf[4096 / sizeof(uintptr_t)];
	pid_t pid = getpid();
	while (lo < hi) {
		uintptr_t end = (lo | 4095) + 1;
		if (end > hi || end < lo)
			end = hi;
		struct iovec local = { buf, end - lo }, remote = { (void *)lo, end - lo };
		ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (got > 0)
			scan_words(lc, buf, (size_t)got / sizeof(uintptr_t), PASS_MARK, -1);
		lo = end;
	}
	drain(lc, PASS_MARK);
}

/* ---- roots ------------------------------------------------------------------- */
/* One writable segment as a root. The runtime's own library is none (its
 * state points into the heap: msrt_heap.arena_start is the first block's
 * address; the walker skips it); linked statically, only the heap's own
 * record is skipped. */
static int scan_segment(void *arg, uintptr_t lo, uintptr_t hi, int runtime)
{
	leakcheck *lc = arg;
	uintptr_t slo = (uintptr_t)&msrt_heap, shi = (uintptr_t)(&msrt_heap + 1);
	if (runtime && slo >= lo && shi <= hi) {
		scan_root(lc, lo, slo, 1);
		scan_root(lc, shi, hi, 1);
	} else {
		scan_root(lc, lo, hi, 1);
	}
	return 0;
}

/* The main thread's static TLS and descriptor, and its dynamic-TLS vector
 * when glibc allocated it before our malloc was in place (x86-64: variant
 * II, TLS below the thread pointer, tcbhead_t = { tcb, dtv, self, ... }). */
static void scan_main_tls(leakcheck *lc)
{
#if defined(__x86_64__) && defined(__GLIBC__)
	if (!main_tp || main_tls_lo >= main_tls_hi || !lc->safe_read)
		return;
	scan_root(lc, main_tls_lo, main_tls_hi, 0);
	uintptr_t dtv = 0, len = 0;
	if (read_word(main_tp + sizeof(void *), &dtv) < 0 || !dtv)
		return;
	if (block_of(lc, dtv) >= 0)
		return; /* a heap block: reached through the descriptor */
	/* dtv[-1].counter: the vector's length (16-byte entries) */
	if (read_word(dtv - 16, &len) < 0)
		return;
	if (len > 65536)
		len = 65536;
	scan_root(lc, dtv - 16, dtv + 16 * (len + 1), 0);
#else
	(void)lc;
#endif
}

/* ---- the program's anonymous mappings ------------------------------------------- */

/* A glibc thread stack block: near its top sits the thread descriptor,
 * whose tcbhead_t starts { tcb = itself, dtv, self = itself } (x86-64). */
static int is_thread_stack(uintptr_t lo, uintptr_t hi)
{
#if defined(__x86_64__) && defined(__GLIBC__)
	for (uintptr_t p = (hi - 1024) & ~(uintptr_t)63; p >= lo && p + 16384 > hi; p -= 64) {
		uintptr_t w0, w2;
		if (read_word(p, &w0) == 0 && w0 == p && read_word(p + 16, &w2) == 0 && w2 == p)
			return 1;
	}
#else
	(void)lo;
	(void)hi;
#endif
	return 0;
}

/* Scans [lo, hi) minus the runtime's ranges. */
static void scan_minus(leakcheck *lc, uintptr_t lo, uintptr_t hi, uintptr_t (*ours)[2], int nours)
{
	while (lo < hi) {
		uintptr_t end = hi, skip_to = hi;
		for (int i = 0; i < nours; i++) {
			if (ours[i][1] <= lo || ours[i][0] >= end)
				continue;
			if (ours[i][0] <= lo) { /* lo is inside one of ours: jump past it */
				end = lo;
				skip_to = ours[i][1];
				break;
			}
			end = ours[i][0];
			skip_to = ours[i][1];
		}
		if (end > lo)
			scan_root(lc, lo, end, 0);
		lo = skip_to > lo ? skip_to : hi;
	}
}

static void scan_anon_mappings(leakcheck *lc)
{
	size_t ours_bytes = 4096 * sizeof(uintptr_t[2]);
	uintptr_t (*ours)[2] = msrt_sys_alloc(ours_bytes);
	if (!ours)
		return;
	msrt_buf maps = { 0 };
	/* ours are copied after the buffer has grown: its own mapping is listed */
	int ok = msrt_read_proc_maps(&maps) == 0;
	int nours = msrt_own_ranges(ours, 4096);
	if (nours >= 0 && ok) {
		for (char *line = maps.data; line && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			unsigned long lo, hi, off, inode;
			char perms[8];
			int pos = 0;
			if (sscanf(line, "%lx-%lx %7s %lx %*s %lu%n", &lo, &hi, perms, &off, &inode, &pos) == 5 &&
				perms[0] == 'r' && perms[1] == 'w' && inode == 0) {
				const char *path = line + pos;
				while (*path == ' ')
					path++;
				int anon = !*path || strcmp(path, "[heap]") == 0 || strncmp(path, "[anon:", 6) == 0;
				if (anon && !is_thread_stack(lo, hi))
					scan_minus(lc, lo, hi, ours, nours);
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	msrt_buf_free(&maps);
	msrt_sys_free(ours, ours_bytes);
}

/* The blocks whose allocating call sits in the dynamic linker's code. */
struct linker_walk {
	uintptr_t lo, hi;
};

static int linker_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct linker_walk *lw = arg;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && in_linker >= a && in_linker < a + ph->p_memsz) {
			lw->lo = a;
			lw->hi = a + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

static void mark_linker_blocks(leakcheck *lc)
{
	struct linker_walk lw = { 0, 0 };
	if (!in_linker)
		return;
	dl_iterate_phdr(linker_cb, &lw);
	for (size_t i = 0; i < lc->n; i++) {
		const msrt_bucket *b = lc->objs[i].b;
		if (lc->state[i] == UNSEEN && b->depth && b->pcs[0] >= lw.lo && b->pcs[0] < lw.hi) {
			lc->state[i] = REACHABLE;
			lc->stack[lc->top++] = (uint32_t)i;
		}
	}
	drain(lc, PASS_MARK);
}

/* The exiting thread: the registers as leak_check_at_exit's caller left
 * them, then the stack from that function's own frame up. Our frames are
 * left out on purpose: their uninitialised locals hold whatever deeper
 * calls of the program (the allocator's, for one) left there. */
static void scan_own_stack(leakcheck *lc, const ucontext_t *regs, uintptr_t from, uintptr_t stack_hi)
{
	scan_words(lc, (const uintptr_t *)(const void *)&regs->uc_mcontext.gregs,
		sizeof regs->uc_mcontext.gregs / sizeof(uintptr_t), PASS_MARK, -1);
	drain(lc, PASS_MARK);
	if (stack_hi > from)
		scan_root(lc, from, stack_hi, 1);
}

static void scan_threads(leakcheck *lc, const ucontext_t *regs, uintptr_t from)
{
	typedef struct { uintptr_t lo, hi; } range;
	/* room for every thread cache (counted first; threads starting in
	 * between find the array full and go unscanned, as they would if they
	 * had started a moment later) */
	size_t cap = 16;
	pthread_mutex_lock(&msrt_caches_lock);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next)
		cap++;
	pthread_mutex_unlock(&msrt_caches_lock);
	range *other = msrt_sys_alloc(cap * sizeof *other);
	size_t nother = 0;
	uintptr_t own_hi = 0;
	msrt_mcache *me = msrt_tls_cache;
	pthread_mutex_lock(&msrt_caches_lock);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next) {
		if (c->stack_hi <= 1)
			continue;
		if (c == me)
			own_hi = c->stack_hi;
		else if (other && nother < cap) {
			other[nother].lo = c->stack_lo;
			other[nother].hi = c->stack_hi;
			nother++;
		}
	}
	pthread_mutex_unlock(&msrt_caches_lock);
	if (!other)
		msrt_warn("leak check: out of memory for the thread list; other threads' stacks not scanned");
	if (!own_hi) {
		pthread_attr_t attr;
		void *addr;
		size_t size;
		if (pthread_getattr_np(pthread_self(), &attr) == 0) {
			if (pthread_attr_getstack(&attr, &addr, &size) == 0)
				own_hi = (uintptr_t)addr + size;
			pthread_attr_destroy(&attr);
		}
	}
	scan_own_stack(lc, regs, from, own_hi);
	for (size_t i = 0; i < nother; i++)
		scan_root(lc, other[i].lo, other[i].hi, 0);
	if (other)
		msrt_sys_free(other, cap * sizeof *other);
}

/* ---- the check ------------------------------------------------------------------ */
static int lc_setup(leakcheck *lc)
{
	memset(lc, 0, sizeof *lc);
	lc->objs = msrt_prof_live_objects(&lc->n, &lc->objs_bytes);
	if (lc->n > UINT32_MAX - 1)
		return -1;
	lc->cap = 16;
	while (lc->cap < lc->n * 2)
		lc->cap *= 2;
	lc->table = msrt_sys_alloc(lc->cap * sizeof *lc->table);
	lc->state = msrt_sys_alloc(lc->n + 1);
	lc->incoming = msrt_sys_alloc((lc->n + 1) * sizeof *lc->incoming);
	lc->stack = msrt_sys_alloc(2 * (lc->n + 1) * sizeof *lc->stack); /* sorted leftovers + floods */
	if (!lc->table || !lc->state || !lc->incoming || !lc->stack)
		return -1;
	lc->lo = msrt_heap.arena_start;
	lc->hi = msrt_heap.arena_start + msrt_heap_committed();
	for (size_t i = 0; i < lc->n; i++) {
		msrt_span *s = msrt_span_of((const void *)lc->objs[i].addr);
		if (s && s->gcs) {
			lc->state[i] = REACHABLE; /* a collected object: not ours to judge */
			continue;
		}
		size_t j = slot_of(lc->objs[i].addr, lc->cap);
		while (lc->table[j])
			j = (j + 1) & (lc->cap - 1);
		lc->table[j] = (uint32_t)i + 1;
	}
	uintptr_t probe;
	lc->safe_read = read_word((uintptr_t)&lc, &probe) == 0;
	return 0;
}

static void lc_free(leakcheck *lc)
{
	if (lc->objs)
		msrt_sys_free(lc->objs, lc->objs_bytes);
	if (lc->table)
		msrt_sys_free(lc->table, lc->cap * sizeof *lc->table);
	if (lc->state)
		msrt_sys_free(lc->state, lc->n + 1);
	if (lc->incoming)
		msrt_sys_free(lc->incoming, (lc->n + 1) * sizeof *lc->incoming);
	if (lc->stack)
		msrt_sys_free(lc->stack, 2 * (lc->n + 1) * sizeof *lc->stack);
}

/* Heapsort of block indices by address (no libc qsort: it may malloc). */
static void sift_down(const leakcheck *lc, uint32_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && lc->objs[v[child + 1]].addr > lc->objs[v[child]].addr)
			child++;
		if (lc->objs[v[root]].addr >= lc->objs[v[child]].addr)
			return;
		uint32_t x = v[root];
		v[root] = v[child];
		v[child] = x;
		root = child;
	}
}

static void sort_by_addr(const leakcheck *lc, uint32_t *v, size_t n)
{
	for (size_t k = n / 2; k-- > 0;)
		sift_down(lc, v, k, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t x = v[0];
		v[0] = v[end];
		v[end] = x;
		sift_down(lc, v, 0, end);
	}
}

/* Direct and indirect leaks (see the header): count the pointers each
 * leaked block gets from other leaked blocks; those with none are direct,
 * and everything reachable from them indirect. What remains are cycles
 * (and what hangs off them): in address order, each still unclassified
 * block becomes direct and floods its own. */
static void classify_leaked(leakcheck *lc)
{
	for (size_t i = 0; i < lc->n; i++)
		if (lc->state[i] == UNSEEN)
			scan_block(lc, i, PASS_COUNT);
	for (size_t i = 0; i < lc->n; i++)
		if (lc->state[i] == UNSEEN && !lc->incoming[i]) {
			lc->state[i] = DIRECT;
			lc->stack[lc->top++] = (uint32_t)i;
		}
	drain(lc, PASS_FLOOD);
	/* the work list is empty: reuse it for the leftovers */
	uint32_t *left = lc->stack;
	size_t nleft = 0;
	for (size_t i = 0; i < lc->n; i++)
		if (lc->state[i] == UNSEEN)
			left[nleft++] = (uint32_t)i;
	if (!nleft)
		return;
	sort_by_addr(lc, left, nleft);
	/* floods push onto the list's free end, after the sorted part */
	for (size_t k = 0; k < nleft; k++) {
		uint32_t i = left[k];
		if (lc->state[i] != UNSEEN)
			continue;
		lc->state[i] = DIRECT;
		lc->top = nleft;
		lc->stack[lc->top++] = i;
		while (lc->top > nleft)
			scan_block(lc, lc->stack[--lc->top], PASS_FLOOD);
	}
	lc->top = 0;
}

/* Per (bucket, kind) sums → profile rows. */
static const char *const leak_types[4][2] = {
	{ "leaked_objects", "count" }, { "leaked_space", "bytes" },
	{ "reachable_objects", "count" }, { "reachable_space", "bytes" } };
static const char *const kind_name[4] = { NULL, "reachable", "indirect", "direct" };

struct leak_totals {
	uint64_t objects[4], bytes[4];
	size_t rows;
};

static int write_report(leakcheck *lc, const char *path, struct leak_totals *t)
{
	uint32_t maxid = 0;
	for (size_t i = 0; i < lc->n; i++)
		if (lc->objs[i].b->id > maxid)
			maxid = lc->objs[i].b->id;
	size_t sums_bytes = ((size_t)maxid + 1) * 4 * 2 * sizeof(uint64_t);
	uint64_t (*sums)[4][2] = msrt_sys_alloc(sums_bytes);
	if (!sums)
		return -1;
	for (size_t i = 0; i < lc->n; i++) {
		const msrt_live_obj *o = &lc->objs[i];
		msrt_span *s = msrt_span_of((const void *)o->addr);
		if (s && s->gcs)
			continue;
		int k = lc->state[i];
		sums[o->b->id][k][0]++;
		sums[o->b->id][k][1] += o->size;
		t->objects[k]++;
		t->bytes[k] += o->size;
	}
	msrt_buf rows = { 0 };
	for (size_t i = 0; i < lc->n; i++) {
		const msrt_bucket *b = lc->objs[i].b;
		for (int k = REACHABLE; k <= DIRECT; k++) {
			uint64_t *c = sums[b->id][k];
			if (!c[0])
				continue;
			msrt_pp_row r = { b, { 0 }, kind_name[k], c[1] / c[0] };
			int col = k == REACHABLE ? 2 : 0;
			r.v[col] = (int64_t)c[0];
			r.v[col + 1] = (int64_t)c[1];
			msrt_buf_add(&rows, &r, sizeof r);
			c[0] = 0; /* one row per (bucket, kind) */
		}
	}
	int rc = -1;
	if (!rows.failed) {
		t->rows = rows.len / sizeof(msrt_pp_row);
		char who[128], prog[MSRT_OUT_PROG_MAX + 1];
		const char *comments[1] = { who };
		msrt_prog_name(prog);
		snprintf(who, sizeof who, "memscope-run: pid=%d program=%s", (int)getpid(), prog);
		msrt_pp_spec spec = { leak_types, 4, 1, "kind", 1, comments, 1 };
		rc = msrt_write_rows(path, &spec, (const msrt_pp_row *)rows.data, t->rows);
	}
	msrt_buf_free(&rows);
	msrt_sys_free(sums, sums_bytes);
	return rc;
}

static __attribute__((noinline)) void leak_check_at_exit(void)
{
	ucontext_t regs;
	getcontext(&regs); /* first: the callee-saved registers are still the caller's */
	uintptr_t from = (uintptr_t)__builtin_frame_address(0);
	int saved = msrt_tls_inprof;
	msrt_tls_inprof = 1; /* our own allocations (pthread_getattr_np) are not blocks */
	leakcheck lc;
	char path[4200];
	msrt_out_path(path, sizeof path, MSRT_OUT_LEAKS, 0);
	if (lc_setup(&lc) < 0) {
		msrt_warn("leak check: out of memory");
		lc_free(&lc);
		msrt_tls_inprof = saved;
		return;
	}
	msrt_writable_segments(0, scan_segment, &lc);
	scan_threads(&lc, &regs, from);
	scan_main_tls(&lc);
	scan_anon_mappings(&lc);
	mark_linker_blocks(&lc);
	drain(&lc, PASS_MARK);
	classify_leaked(&lc);
	struct leak_totals t;
	memset(&t, 0, sizeof t);
	if (write_report(&lc, path, &t) < 0)
		msrt_warn("leak check: cannot write '%s'", path);
	else if (msrt_opts.leak_check == 1)
		msrt_warn("leak check: %llu bytes leaked in %llu blocks (%llu direct, %llu indirect); "
			  "%llu bytes in %llu blocks still reachable; report %s",
			(unsigned long long)(t.bytes[DIRECT] + t.bytes[INDIRECT]),
			(unsigned long long)(t.objects[DIRECT] + t.objects[INDIRECT]),
			(unsigned long long)t.objects[DIRECT], (unsigned long long)t.objects[INDIRECT],
			(unsigned long long)t.bytes[REACHABLE], (unsigned long long)t.objects[REACHABLE], path);
	lc_free(&lc);
	msrt_tls_inprof = saved;
}

/* _exit (mbackground.c decides whether this process may): the same check
 * as at exit, as valgrind checks every process of the tree at its end. */
void msrt_leak_check_quick_exit(void)
{
	if (msrt_opts.leak_check)
		leak_check_at_exit();
}

void msrt_leak_check_at_init(void)
{
	if (!msrt_opts.leak_check)
		return;
	main_tp = (uintptr_t)pthread_self();
	msrt_static_tls_bounds(&main_tls_lo, &main_tls_hi);
#if defined(__GLIBC__)
	in_linker = (uintptr_t)dlsym(RTLD_DEFAULT, "_dl_allocate_tls");
#endif
	atexit(leak_check_at_exit);
}
