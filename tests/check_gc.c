/* check_gc.c — tests of libmsrt's garbage collector (mgc*.c, mstw.c,
 * mbarrier.c) through the ms_* API and the collector's internals (linked
 * with libmsrttest, the runtime without the libc malloc names).
 *
 * Suites: slot arithmetic (Go's divMagic against division for every class
 * and offset), gctrace number format (Go's fmtNSAsMS, exact strings) and
 * line format (strict regex over real cycles), conservative roots (a
 * pointer only on a stack, only in a register, only on the stack of a
 * thread blocked in read(2), only in a __thread variable of the main
 * thread or of another; unreachable objects freed and poisoned),
 * stress (random graphs mutated through ms_store by several threads while
 * cycles run, every reachable object checksummed, freed memory poisoned;
 * once more with the stops' signals-only fallback), pacer (GOGC 50/100/200 cycle counts, GOGC off, the
 * memory limit).
 *
 * Each test runs in its own process (Check's fork mode), so each gets a
 * fresh collector. The collector itself is never instrumented (libmsrt is
 * built without the sanitizers; its scanning is no_sanitize anyway); the
 * tests run under ASan/UBSan too, except the GOGC cycle counts
 * (MS_SANITIZERS=yes): ASan's redzones make the test binary's globals
 * several MiB, and globals are part of the heap goal, so the counts move.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gctrace/gctrace.h"
#include "profile/load.h"
#include "rt/mgc_internal.h"

MSRT_HIDDEN void msrt_gc_fmt_ms(char *out, uint64_t ns);

/* ---- slot arithmetic ------------------------------------------------------------ */
START_TEST(test_divmagic)
{
	for (unsigned c = 1; c < MSRT_NUM_CLASSES; c++) {
		uint32_t size = msrt_class_to_size[c];
		uint32_t divmul = (uint32_t)(0xffffffffu / size + 1);
		uint64_t span = (uint64_t)msrt_class_to_npages[c] * MSRT_PAGE_SIZE;
		uint64_t bad = 0, first_bad = 0; /* every offset, one assertion (fast under ASan) */
		for (uint64_t off = 0; off < span; off++)
			if (((off * divmul) >> 32) != off / size && !bad++)
				first_bad = off;
		ck_assert_msg(bad == 0, "class %u (size %u): %llu offsets wrong, first %llu", c, size,
			(unsigned long long)bad, (unsigned long long)first_bad);
		ck_assert_uint_le(span / size, MGC_MAX_SLOTS);
	}
}
END_TEST

/* ---- gctrace ------------------------------------------------------------------- */
START_TEST(test_fmt_ms)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0" }, { 999, "0" }, { 5000, "0.005" }, { 18000, "0.018" }, { 99999, "0.099" },
		{ 120000, "0.12" }, { 1234567, "1.2" }, { 9999999, "9.9" }, { 10000000, "10" },
		{ 455000000, "455" }, { 73000, "0.073" }, { 210000, "0.21" },
	};
	char buf[32];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		msrt_gc_fmt_ms(buf, cases[i].ns);
		ck_assert_str_eq(buf, cases[i].want);
	}
}
END_TEST

typedef struct node {
	struct node *left, *right;
	uint64_t id, sum;
} node;

static node *tree(int depth)
{
	node *n = ms_alloc(sizeof *n, MS_SCAN);
	ck_assert_ptr_nonnull(n);
	if (depth > 0) {
		ms_store((void **)&n->left, tree(depth - 1));
		ms_store((void **)&n->right, tree(depth - 1));
	}
	n->id = (uint64_t)depth;
	n->sum = n->id * 0x9e3779b97f4a7c15ull;
	return n;
}

static long count(const node *n)
{
	if (!n)
		return 0;
	ck_assert_uint_eq(n->sum, n->id * 0x9e3779b97f4a7c15ull);
	return 1 + count(n->left) + count(n->right);
}

static int skip_sanitizers(void)
{
	const char *v = getenv("MS_SANITIZERS");
	return v && strcmp(v, "yes") == 0;
}

START_TEST(test_gctrace_lines)
{
	char path[] = "/tmp/check_gc_trace.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ms_init(), 0);
	mgc.gctrace_fd = fd;
	mgc.scavtrace = 1;
	node *keep = tree(14);
	for (int i = 0; i < 80; i++)
		ck_assert_int_eq(count(tree(12)), 8191);
	ms_gc();
	ck_assert_int_eq(count(keep), 32767);
	ms_stats st;
	ms_read_stats(&st);
	close(fd);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	regex_t re;
	const char *num = "(0|[0-9]+|0\\.[0-9]{1,3}|[0-9]\\.[0-9])";
	char pat[1024];
	snprintf(pat, sizeof pat,
		"^gc ([0-9]+) @[0-9]+\\.[0-9]{3}s [0-9]+%%: %s\\+%s\\+%s ms clock, %s\\+%s/%s/0\\+%s ms cpu, "
		"[0-9]+->[0-9]+->[0-9]+ MB, [0-9]+ MB goal, [0-9]+ MB stacks, [0-9]+ MB globals, [0-9]+ P( \\(forced\\))?\n$",
		num, num, num, num, num, num, num);
	ck_assert_int_eq(regcomp(&re, pat, REG_EXTENDED), 0);
	regex_t scav;
	ck_assert_int_eq(regcomp(&scav,
				 "^scav [0-9]+ KiB work \\(bg\\), 0 KiB work \\(eager\\), [0-9]+ KiB now, [0-9]+% util\n$",
				 REG_EXTENDED),
		0);
	char line[512];
	unsigned long n = 0, nscav = 0;
	int forced_last = 0;
	while (fgets(line, sizeof line, f)) {
		regmatch_t m[10];
		ms_gctrace_record rec;
		size_t len = strlen(line) - 1;
		if (strncmp(line, "scav ", 5) == 0) {
			ck_assert_msg(regexec(&scav, line, 0, NULL, 0) == 0, "bad scav line: %s", line);
			ck_assert_int_eq(ms_gctrace_parse_line(line, len, &rec), MS_LINE_SCAV);
			ck_assert_int_eq(rec.u.scav.kind, MS_SCAV_BG_EAGER);
			nscav++;
			continue;
		}
		ck_assert_msg(regexec(&re, line, 10, m, 0) == 0, "bad gctrace line: %s", line);
		n++;
		ck_assert_uint_eq(strtoul(line + m[1].rm_so, NULL, 10), n);
		forced_last = strstr(line, "(forced)") != NULL;
		/* memscope's own gctrace parser reads it back as Go 1.18+ */
		ck_assert_int_eq(ms_gctrace_parse_line(line, len, &rec), MS_LINE_GC);
		const ms_gc_cycle *c = &rec.u.cycle;
		ck_assert_uint_eq(c->n, n);
		ck_assert_int_eq(c->format, MS_GC_GO118);
		ck_assert_int_eq(c->forced, forced_last);
		ck_assert_uint_eq(c->procs, (unsigned)mgc.ncpu);
		ck_assert(c->has_goal);
		ck_assert_uint_le(c->heap_live_mb, c->heap_end_mb + 1); /* marked ≤ heap at termination */
		/* d = a·P and h = c·P, as Go computes the STW cpu fields, up to
		 * the printed precision (two significant digits below 10 ms) */
		uint32_t unit = c->sweep_term_us < 1000 ? 10 : c->sweep_term_us < 10000 ? 100 : 1000;
		uint32_t cpu = c->cpu_us[MS_CPU_SWEEP_TERM];
		uint32_t cpu_unit = cpu < 1000 ? 10 : cpu < 10000 ? 100 : 1000; /* d may print coarser than a */
		ck_assert_uint_le(cpu, (c->sweep_term_us + unit) * c->procs);
		ck_assert_uint_ge(cpu + cpu_unit + unit * c->procs, c->sweep_term_us * c->procs);
	}
	regfree(&scav);
	ck_assert_uint_eq(nscav, n); /* MSRT_SCAVTRACE: one scav line per cycle */
	regfree(&re);
	fclose(f);
	unlink(path);
	ck_assert_uint_ge(n, 3); /* 80 × 256 KiB of garbage over a ≥ 4 MiB goal */
	ck_assert_uint_eq(n, st.num_gc);
	ck_assert(forced_last);
	ck_assert_uint_gt(st.pause_total_ns, 0);
	ck_assert_uint_ge(st.pause_total_ns, st.pause_max_ns);
	/* live: the 32767-node tree, 32-byte objects, and a little more */
	ck_assert_uint_ge(st.heap_alloc, 32767u * 32);
	ck_assert_uint_lt(st.heap_alloc, 32767u * 32 + (1u << 20));
}
END_TEST

/* ---- conservative roots ----------------------------------------------------------- */
#define HIDE 0x5a5a5a5a5a5a5a5aull

static int slot_allocated(uintptr_t p)
{
	msrt_span *sp = msrt_span_of((void *)p);
	if (!sp || !sp->gcs)
		return 0;
	msrt_gcspan *s = sp->gcs;
	uint32_t slot = (uint32_t)(((uint64_t)(p - s->base) * s->divmul) >> 32);
	return (s->allocbits[slot / 64] >> (slot % 64)) & 1;
}

static __attribute__((noinline)) uintptr_t make_hidden(void)
{
	uint64_t *o = ms_alloc(64, MS_SCAN);
	for (int i = 0; i < 8; i++)
		o[i] = 1000 + (uint64_t)i;
	return (uintptr_t)o ^ HIDE;
}

static __attribute__((noinline)) void clobber_stack(void)
{
	volatile char junk[16384];
	memset((char *)junk, 0, sizeof junk);
}

/* The object is made by a thread that attaches, allocates and detaches:
 * no register or stack slot of the test's own thread ever holds its
 * address (a callee-saved register of this frame, saved by ms_gc's
 * callees, kept it alive in half of the runs). */
static void *hidden_maker(void *arg)
{
	ck_assert_int_eq(ms_thread_attach(), 0);
	*(uintptr_t *)arg = make_hidden();
	clobber_stack();
	ms_thread_detach();
	return NULL;
}

START_TEST(test_unreachable_freed)
{
	ms_init();
	mgc.poison = 1;
	/* not the arena's first object: its address is also the runtime's
	 * msrt_heap.arena_start and the like */
	void *volatile first = ms_alloc(64, MS_NOSCAN);
	(void)first;
	uintptr_t h = 0;
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, hidden_maker, &h), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	clobber_stack();
	ms_gc();
	ms_gc();
	uint64_t *o = (uint64_t *)(h ^ HIDE);
	ck_assert(!slot_allocated((uintptr_t)o));
	ck_assert_uint_eq(o[3], 0xdeadbeefdeadbeefull); /* poisoned by the sweep */
}
END_TEST

static __attribute__((noinline)) void check_kept(volatile uintptr_t *where)
{
	uint64_t *o = (uint64_t *)*where;
	ck_assert(slot_allocated((uintptr_t)o));
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(o[i], 1000 + (uint64_t)i);
}

START_TEST(test_root_on_stack)
{
	ms_init();
	mgc.poison = 1;
	volatile uintptr_t on_stack = make_hidden() ^ HIDE; /* the only copy */
	clobber_stack();
	ms_gc();
	ms_gc();
	check_kept(&on_stack);
}
END_TEST

/* A thread blocked in read(2) for the whole of the cycles: it stops in
 * its signal handler (and may do a stop's work there), its stack is a
 * root, and the read restarts (SA_RESTART) and returns the byte. */
static int blk_pipe[2];
static _Atomic int blk_ready;
static uintptr_t blk_result;
static ssize_t blk_read;

static void *blocked_thread(void *arg)
{
	(void)arg;
	ms_thread_attach();
	volatile uintptr_t on_stack = make_hidden() ^ HIDE; /* the only copy */
	atomic_store(&blk_ready, 1);
	char c = 0;
	blk_read = read(blk_pipe[0], &c, 1);
	blk_result = c == 'x' ? on_stack : 0;
	ms_thread_detach();
	return NULL;
}

START_TEST(test_root_blocked_thread)
{
	ms_init();
	mgc.poison = 1;
	ck_assert_int_eq(pipe(blk_pipe), 0);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, blocked_thread, NULL), 0);
	while (!atomic_load(&blk_ready))
		usleep(1000);
	usleep(20000); /* in read() by now */
	clobber_stack();
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 2000; k++) /* garbage to reuse freed slots */
			ms_alloc(64, MS_SCAN);
		ms_gc();
	}
	ck_assert_int_eq(write(blk_pipe[1], "x", 1), 1);
	pthread_join(t, NULL);
	ck_assert_int_eq(blk_read, 1);
	volatile uintptr_t r = blk_result;
	check_kept(&r);
	ms_stats st;
	ms_read_stats(&st);
	ck_assert_uint_ge(st.num_gc, 3);
}
END_TEST

/* A pointer kept only in a __thread variable. The main thread's static
 * TLS is in memory the dynamic linker allocated at start-up, not on its
 * stack: before, nothing scanned it, and the object was freed (and
 * poisoned, and reused) under the program's feet. A thread made by
 * pthread_create has its TLS at the top of its stack block, which the
 * stack scan covers. */
static __thread uintptr_t tls_root;

static __attribute__((noinline)) void tls_cycles(void)
{
	clobber_stack();
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 2000; k++) /* garbage to reuse freed slots */
			ms_alloc(64, MS_SCAN);
		ms_gc();
	}
}

START_TEST(test_root_in_tls_main)
{
	ms_init();
	mgc.poison = 1;
	ck_assert_int_eq((pid_t)syscall(SYS_gettid), getpid()); /* the main thread */
#if defined(__x86_64__) && defined(__GLIBC__)
	/* its static TLS is a root of its own, outside the stack */
	uintptr_t a = (uintptr_t)&tls_root;
	msrt_gcthread *me = msrt_tls_gct;
	ck_assert_msg(a >= me->tls_lo && a + sizeof tls_root <= me->tls_hi, "&tls_root %#lx, TLS root [%#lx, %#lx)",
		(unsigned long)a, (unsigned long)me->tls_lo, (unsigned long)me->tls_hi);
	ck_assert(a < me->stack_lo || a >= me->stack_hi);
#endif
	tls_root = make_hidden() ^ HIDE; /* the only copy */
	tls_cycles();
	check_kept(&tls_root);
}
END_TEST

static _Atomic int tls_phase;
static int tls_in_stack;

static void *tls_thread(void *arg)
{
	(void)arg;
	ms_thread_attach();
	/* glibc: the TLS is at the top of the stack block, scanned with it */
	uintptr_t a = (uintptr_t)&tls_root;
	msrt_gcthread *me = msrt_tls_gct;
	tls_in_stack = a >= me->stack_lo && a < me->stack_hi && me->tls_lo == me->tls_hi;
	tls_root = make_hidden() ^ HIDE; /* the only copy */
	clobber_stack();
	atomic_store(&tls_phase, 1);
	while (atomic_load(&tls_phase) != 2) /* stops in its signal handler */
		usleep(1000);
	uintptr_t *r = malloc(sizeof *r); /* checked by the main thread */
	if (r)
		*r = tls_root;
	ms_thread_detach();
	return r;
}

START_TEST(test_root_in_tls_thread)
{
	ms_init();
	mgc.poison = 1;
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, tls_thread, NULL), 0);
	while (!atomic_load(&tls_phase))
		usleep(1000);
	tls_cycles();
	atomic_store(&tls_phase, 2);
	void *r;
	pthread_join(t, &r);
	ck_assert_ptr_nonnull(r);
	volatile uintptr_t v = *(uintptr_t *)r;
	free(r);
	check_kept(&v);
#if defined(__GLIBC__)
	ck_assert(tls_in_stack);
#endif
}
END_TEST

#if defined(__x86_64__)
static _Atomic int reg_phase;
static uintptr_t reg_result;

/* Holds the object's address only in r12 (callee-saved) while spinning;
 * the memory copy is erased before the collections run. */
static void *reg_thread(void *arg)
{
	ms_thread_attach();
	uintptr_t *box = arg;
	uintptr_t out;
	__asm__ volatile(
		"movq (%[box]), %%r12\n\t"
		"movq $0, (%[box])\n\t"
		"movl $1, (%[phase])\n\t"
		"1: pause\n\t"
		"cmpl $2, (%[phase])\n\t"
		"jne 1b\n\t"
		"movq %%r12, %[out]\n\t"
		: [out] "=r"(out)
		: [box] "r"(box), [phase] "r"(&reg_phase)
		: "r12", "memory");
	reg_result = out;
	ms_thread_detach();
	return NULL;
}

START_TEST(test_root_in_register)
{
	ms_init();
	mgc.poison = 1;
	static uintptr_t box; /* a global: erased by the thread before the cycles */
	box = make_hidden() ^ HIDE;
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, reg_thread, &box), 0);
	while (atomic_load(&reg_phase) != 1)
		;
	ck_assert_uint_eq(box, 0);
	clobber_stack();
	ms_gc();
	ms_gc();
	atomic_store(&reg_phase, 2);
	pthread_join(t, NULL);
	volatile uintptr_t r = reg_result;
	check_kept(&r);
}
END_TEST
#endif

/* ---- stress -------------------------------------------------------------------- */
#define NTHREADS 4
#define NROOTS 64
#define FANOUT 4

typedef struct obj {
	struct obj *kids[FANOUT];
	uint64_t id;
	uint64_t payload[3];
	uint64_t check; /* id ^ payload mixes; never written after creation */
} obj;

static uint64_t obj_check(const obj *o)
{
	return (o->id * 0x9e3779b97f4a7c15ull) ^ o->payload[0] ^ (o->payload[1] << 1) ^ (o->payload[2] << 2);
}

static _Atomic int stress_stop;
static _Atomic long stress_verified;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static obj *new_obj(uint64_t *rng)
{
	size_t extra = xorshift(rng) % 4 == 0 ? xorshift(rng) % 600 : 0; /* mixed size classes */
	obj *o = ms_alloc(sizeof *o + extra, MS_SCAN);
	ck_assert_ptr_nonnull(o);
	o->id = xorshift(rng);
	o->payload[0] = xorshift(rng);
	o->payload[1] = xorshift(rng);
	o->payload[2] = xorshift(rng);
	o->check = obj_check(o);
	return o;
}

/* Walks the graph from the roots (bounded), verifying every object. */
static long verify(obj **roots, int n)
{
	obj *stack[4096];
	int sp = 0;
	long seen = 0;
	for (int i = 0; i < n; i++)
		if (roots[i])
			stack[sp++] = roots[i];
	while (sp > 0 && seen < 20000) {
		obj *o = stack[--sp];
		seen++;
		ck_assert_msg(o->check == obj_check(o), "object %p corrupted (id %llx)", (void *)o,
			(unsigned long long)o->id);
		for (int k = 0; k < FANOUT; k++) {
			obj *c = __atomic_load_n(&o->kids[k], __ATOMIC_RELAXED);
			ck_assert_msg((uintptr_t)c != 0xdeadbeefdeadbeefull, "pointer to a freed object");
			if (c && sp < 4096)
				stack[sp++] = c;
		}
	}
	return seen;
}

static void *stress_thread(void *arg)
{
	uint64_t rng = (uint64_t)(uintptr_t)arg * 0x2545f4914f6cdd1dull + 1;
	/* roots in a GC object reachable only from this thread's stack */
	obj **roots = ms_alloc(NROOTS * sizeof *roots, MS_SCAN);
	ck_assert_ptr_nonnull(roots);
	for (long iter = 0; !atomic_load(&stress_stop); iter++) {
		int r = (int)(xorshift(&rng) % NROOTS);
		switch (xorshift(&rng) % 8) {
		case 0: case 1: case 2: /* new object under a root or a child */
			if (roots[r] && xorshift(&rng) % 2)
				ms_store((void **)&roots[r]->kids[xorshift(&rng) % FANOUT], new_obj(&rng));
			else
				ms_store((void **)&roots[r], new_obj(&rng));
			break;
		case 3: case 4: { /* move an edge: the only path to a subgraph may change */
			obj *a = roots[r], *b = roots[xorshift(&rng) % NROOTS];
			if (a && b) {
				int k = (int)(xorshift(&rng) % FANOUT);
				obj *moved = __atomic_load_n(&a->kids[k], __ATOMIC_RELAXED);
				ms_store((void **)&a->kids[k], NULL);
				ms_store((void **)&b->kids[xorshift(&rng) % FANOUT], moved);
			}
			break;
		}
		case 5: /* drop */
			ms_store((void **)&roots[r], NULL);
			break;
		case 6: /* garbage */
			ms_alloc(xorshift(&rng) % 2000, xorshift(&rng) % 2 ? MS_NOSCAN : MS_SCAN);
			break;
		case 7:
			if (iter % 64 == 0)
				atomic_fetch_add(&stress_verified, verify(roots, NROOTS));
			break;
		}
	}
	atomic_fetch_add(&stress_verified, verify(roots, NROOTS));
	return NULL;
}

static void run_stress(void)
{
	mgc.poison = 1;
	ms_set_gogc(20); /* many cycles */
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, stress_thread, (void *)(i + 1)), 0);
	for (int i = 0; i < 10; i++) {
		usleep(100000);
		ms_gc();
	}
	atomic_store(&stress_stop, 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	ms_stats st;
	ms_read_stats(&st);
	ck_assert_uint_ge(st.num_gc, 10);
	ck_assert_int_gt(atomic_load(&stress_verified), 1000);
}

START_TEST(test_stress_graph)
{
	ck_assert_int_eq(ms_init(), 0);
	run_stress();
}
END_TEST

/* The same with the stops' fallback: no membarrier, so every thread that
 * has not reached a safepoint gets the signal, in a crit section or not. */
START_TEST(test_stress_graph_signals)
{
	ck_assert_int_eq(ms_init(), 0);
	mgc_use_membarrier = 0;
	run_stress();
}
END_TEST

/* ---- heap profile ------------------------------------------------------------- */
static int64_t total_of(const ms_profile *p, const char *type)
{
	int i = ms_profile_sample_index(p, type, NULL);
	ck_assert_int_ge(i, 0);
	return ms_profile_total(p, (size_t)i);
}

START_TEST(test_profile_gc_objects)
{
	ms_init();
	ms_set_profile_rate(1);
	static void **keep;
	keep = ms_alloc(300 * sizeof(void *), MS_SCAN); /* 2400 bytes, sampled too */
	for (int i = 0; i < 300; i++) {
		void *o = ms_alloc(1000, MS_NOSCAN);
		if (i % 3 == 0)
			ms_store(&keep[i], o); /* 100 kept, 200 garbage */
	}
	ms_gc();
	ms_gc();
	char path[] = "/tmp/msrt-gcprof-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	ck_assert_int_eq(ms_write_heap_profile(path), 0);
	ms_err err;
	ms_profile *p = ms_profile_load(path, NULL, &err);
	ck_assert_msg(p != NULL, "%s", err.msg);
	/* rate 1: exact; the sweeper recorded the 200 garbage objects' frees */
	ck_assert_int_eq(total_of(p, "alloc_space"), 300 * 1000 + 2400);
	ck_assert_int_eq(total_of(p, "alloc_objects"), 301);
	ck_assert_int_eq(total_of(p, "inuse_space"), 100 * 1000 + 2400);
	ck_assert_int_eq(total_of(p, "inuse_objects"), 101);
	ms_profile_free(p);
	unlink(path);
}
END_TEST

/* ---- pacer ------------------------------------------------------------------------ */
static uint64_t churn(int gogc, long megabytes)
{
	ms_set_gogc(gogc);
	ms_gc();
	ms_stats a, b;
	ms_read_stats(&a);
	for (long i = 0; i < megabytes * 1024; i++)
		ms_alloc(1024, MS_NOSCAN);
	ms_read_stats(&b);
	return b.num_gc - a.num_gc;
}

START_TEST(test_gogc_cycles)
{
	if (skip_sanitizers())
		return;
	ms_init();
	/* 16 MiB live (a root array of 1 KiB noscan blocks) */
	static void **keep;
	keep = ms_alloc(16384 * sizeof(void *), MS_SCAN);
	for (int i = 0; i < 16384; i++)
		ms_store(&keep[i], ms_alloc(1024, MS_NOSCAN));
	uint64_t c100 = churn(100, 512), c50 = churn(50, 512), c200 = churn(200, 512);
	/* cycles ≈ allocation / (trigger − marked) = 512 MiB / (f · 17 MiB ·
	 * GOGC/100) with the trigger at f ∈ [0.7, 0.95] of the runway (17 MiB:
	 * the live blocks, the root array, the test program's globals): GOGC
	 * 100 → 32–43 cycles, a few less when a cycle runs past its goal */
	ck_assert_msg(c50 * 10 >= c100 * 14 && c50 * 10 <= c100 * 26, "GOGC 50: %llu cycles, 100: %llu",
		(unsigned long long)c50, (unsigned long long)c100);
	ck_assert_msg(c100 * 10 >= c200 * 14 && c100 * 10 <= c200 * 26, "GOGC 100: %llu cycles, 200: %llu",
		(unsigned long long)c100, (unsigned long long)c200);
	ck_assert_uint_ge(c100, 24);
	ck_assert_uint_le(c100, 48);
	ms_stats st;
	ms_read_stats(&st);
	/* goal after the last cycle at GOGC 200: marked + 2·(marked + ...) */
	ck_assert_uint_ge(st.next_gc, 3 * 16384ull * 1024);
	ck_assert_ptr_nonnull(keep);
}
END_TEST

START_TEST(test_gogc_off_and_limit)
{
	ms_init();
	ck_assert_int_eq(ms_set_gogc(-1), 100);
	ms_stats a, b;
	ms_read_stats(&a);
	for (long i = 0; i < 64 * 1024; i++)
		ms_alloc(1024, MS_NOSCAN);
	ms_read_stats(&b);
	ck_assert_uint_eq(b.num_gc, a.num_gc); /* off: no cycle */
	ck_assert_uint_eq(b.next_gc, UINT64_MAX);
	ms_gc(); /* forced cycles still run */
	ms_read_stats(&a);
	ck_assert_uint_eq(a.num_gc, b.num_gc + 1);
	/* a 48 MiB limit with GOGC off: cycles start near the limit */
	ms_set_memory_limit(48 << 20);
	uint64_t peak = 0;
	for (long i = 0; i < 512 * 1024; i++) {
		ms_alloc(1024, MS_NOSCAN);
		if (i % 4096 == 0) {
			ms_read_stats(&b);
			uint64_t resident = b.heap_sys - b.heap_released;
			if (resident > peak)
				peak = resident;
		}
	}
	ms_read_stats(&b);
	ck_assert_uint_ge(b.num_gc, a.num_gc + 5);
	ck_assert_msg(peak <= (56u << 20), "peak %llu over the 48 MiB limit", (unsigned long long)peak);
	ck_assert_uint_lt(b.next_gc, 48u << 20);
	ck_assert_int_eq(ms_set_memory_limit(-1), 48 << 20);
}
END_TEST

static Suite *gc_suite(void)
{
	Suite *s = suite_create("gc");
	TCase *tc = tcase_create("units");
	tcase_add_test(tc, test_divmagic);
	tcase_add_test(tc, test_fmt_ms);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("trace");
	tcase_add_test(tc, test_gctrace_lines);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	tc = tcase_create("roots");
	tcase_add_test(tc, test_unreachable_freed);
	tcase_add_test(tc, test_root_on_stack);
	tcase_add_test(tc, test_root_blocked_thread);
	tcase_add_test(tc, test_root_in_tls_main);
	tcase_add_test(tc, test_root_in_tls_thread);
#if defined(__x86_64__)
	tcase_add_test(tc, test_root_in_register);
#endif
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("stress");
	tcase_add_test(tc, test_stress_graph);
	tcase_add_test(tc, test_stress_graph_signals);
	tcase_set_timeout(tc, 180);
	suite_add_tcase(s, tc);
	tc = tcase_create("profile");
	tcase_add_test(tc, test_profile_gc_objects);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("pacer");
	tcase_add_test(tc, test_gogc_cycles);
	tcase_add_test(tc, test_gogc_off_and_limit);
	tcase_set_timeout(tc, 180);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gc_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
