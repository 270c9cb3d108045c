/* leakcheck.c — a program with known leaks and known still-reachable
 * blocks, for `memscope run --leak-check` (tests/rt/leakcheck.sh) and, built
 * with clang -fsanitize=leak, for LeakSanitizer's verdict on the same code.
 * Every case allocates from its own function with its own sizes, so the
 * report can be checked function by function:
 *   leaked (direct + indirect)         bytes  blocks
 *     leak_direct        dropped          1000    1
 *     leak_list          list of 5 × 48    240    5  (1 direct, 4 indirect)
 *     leak_cycle         2 × 64 cycle      128    2  (1 direct, 1 indirect)
 *     leak_owner_freed   only its freed owner pointed to it   300  1
 *     leak_end_pointer   a global points one past its end     500  1
 *     leaker             dropped by two joined threads    2 × 350  2
 *                        (each keeps a stale copy of its pointer on its
 *                        own stack on purpose; the threads run on stacks
 *                        the program maps and unmaps after the join, so
 *                        no dead stack a conservative scan could read is
 *                        left: glibc caches the stacks it allocates, and a
 *                        stale word there made the block reachable on
 *                        some machines, for memscope, valgrind and LSan)
 *   reachable
 *     kept_bss (2000), kept_data (2100), kept_interior (2200: pointer into
 *     the middle), kept_chain (3 × 2300: global → block → block),
 *     kept_tls (2400: main thread's __thread variable),
 *     kept_by_thread (2500: on the stack of a thread alive at exit),
 *     kept_thread_tls (2600: that thread's __thread variable),
 *     kept_in_mmap (2700: pointed to only from a page the program mapped
 *     itself, as pymalloc's arenas do — reachable for memscope and
 *     valgrind; LeakSanitizer does not scan such memory and calls it a
 *     leak)
 *   freed (not in the report): freed_block
 * The sums: 2868 bytes leaked in 12 blocks.
 * `leakcheck threads N` starts N threads that each keep one 1700-byte
 * block (kept_by_many) only on their stacks and are alive at exit: none of
 * them is a leak, however many threads there are.
 * `leakcheck grow` instead runs 40 rounds of grow_leak (64 KiB dropped:
 * a leak) and grow_kept (32 KiB kept in an array: growth, but reachable),
 * for snapshots that `memscope leaks` can set beside the leak check
 * (5 ms apart, so the background snapshots keep up). */
#include <pthread.h>
#include <sys/mman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))

struct node {
	struct node *next;
	char pad[40];
};

/* roots: external and `used`, so the stores to them are kept */
#define ROOT __attribute__((used))
ROOT void *bss_ptr;
ROOT void *data_ptr = &data_ptr; /* initialised: lives in .data */
ROOT char *interior_ptr;
ROOT void **chain_ptr;
ROOT char *end_ptr;
ROOT __thread void *tls_ptr;
ROOT __thread void *thread_tls_ptr;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int holder_ready;
/* writes through a volatile pointer, so the compiler keeps every block */
static void *volatile sink;

static NOINLINE void *use(void *p, size_t n)
{
	memset(p, 0, n);
	sink = p;
	return p;
}

NOINLINE void leak_direct(void) { use(malloc(1000), 1000); }

NOINLINE void leak_list(void)
{
	struct node *head = NULL;
	for (int i = 0; i < 5; i++) {
		struct node *n = use(malloc(sizeof *n), sizeof *n);
		n->next = head;
		head = n;
	}
	sink = NULL;
}

NOINLINE void leak_cycle(void)
{
	void **a = use(malloc(64), 64), **b = use(malloc(64), 64);
	a[0] = b;
	b[0] = a;
	sink = NULL;
}

NOINLINE void leak_owner_freed(void)
{
	void **owner = use(malloc(256), 256);
	owner[0] = use(malloc(300), 300);
	free(owner);
	sink = NULL;
}

NOINLINE void leak_end_pointer(void) { end_ptr = (char *)use(malloc(500), 500) + 500; }

static void *leaker(void *arg)
{
	(void)arg;
	/* stale copies of the pointer across 4 KiB of this stack, as a thread
	 * that used its stack more would leave them */
	void *volatile stale[512];
	stale[0] = use(malloc(350), 350);
	for (size_t i = 1; i < sizeof stale / sizeof stale[0]; i++)
		stale[i] = stale[0];
	sink = NULL;
	return NULL;
}

#define LEAKER_STACK (256 * 1024)

NOINLINE void leak_in_thread(void)
{
	pthread_t t[2];
	void *stack[2];
	for (int i = 0; i < 2; i++) {
		pthread_attr_t attr;
		stack[i] = mmap(NULL, LEAKER_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (stack[i] == MAP_FAILED || pthread_attr_init(&attr) != 0 ||
			pthread_attr_setstack(&attr, stack[i], LEAKER_STACK) != 0 ||
			pthread_create(&t[i], &attr, leaker, NULL) != 0)
			abort();
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		munmap(stack[i], LEAKER_STACK);
	}
}

NOINLINE void kept_bss(void) { bss_ptr = use(malloc(2000), 2000); }
NOINLINE void kept_data(void) { data_ptr = use(malloc(2100), 2100); }
NOINLINE void kept_interior(void) { interior_ptr = (char *)use(malloc(2200), 2200) + 1100; }

NOINLINE void kept_chain(void)
{
	void **a = use(malloc(2300), 2300), **b = use(malloc(2300), 2300);
	a[0] = b;
	b[0] = use(malloc(2300), 2300);
	chain_ptr = a;
	sink = NULL;
}

NOINLINE void kept_in_mmap(void)
{
	void **page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED)
		page[100] = use(malloc(2700), 2700);
	sink = NULL;
}

NOINLINE void kept_tls(void) { tls_ptr = use(malloc(2400), 2400); }

NOINLINE void *kept_by_thread(void) { return use(malloc(2500), 2500); }
NOINLINE void kept_thread_tls(void) { thread_tls_ptr = use(malloc(2600), 2600); }

static void *holder(void *arg)
{
	(void)arg;
	void *volatile mine = kept_by_thread();
	kept_thread_tls();
	sink = NULL;
	pthread_mutex_lock(&lock);
	holder_ready = 1;
	pthread_cond_broadcast(&cond);
	for (;;) /* alive until the process exits */
		pthread_cond_wait(&cond, &lock);
	return (void *)mine;
}

static NOINLINE void scrub_stack(void);
NOINLINE void *kept_by_many(void) { return use(malloc(1700), 1700); }
static int many_ready;

static void *many_holder(void *arg)
{
	(void)arg;
	void *volatile mine = kept_by_many();
	sink = NULL;
	pthread_mutex_lock(&lock);
	many_ready++;
	pthread_cond_broadcast(&cond);
	for (;;) /* alive until the process exits */
		pthread_cond_wait(&cond, &lock);
	return (void *)mine;
}

static int many_threads(int n)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, &attr, many_holder, NULL) != 0)
			return 1;
	}
	pthread_mutex_lock(&lock);
	while (many_ready < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	scrub_stack();
	return 0;
}

#define GROW_ROUNDS 40
ROOT void **grown;
NOINLINE void grow_leak(void) { use(malloc(65536), 65536); sink = NULL; }
NOINLINE void grow_kept(int i) { grown[i] = use(malloc(32768), 32768); }

/* Clears the stack below main of the cases' stale pointers: the exit-time
 * scan reads the dead frames under exit()'s own (so would LeakSanitizer). */
static NOINLINE void scrub_stack(void)
{
	volatile char scrub[16384];
	memset((char *)scrub, 0, sizeof scrub);
}

NOINLINE void freed_block(void) { free(use(malloc(3000), 3000)); }

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "threads") == 0)
		return many_threads(atoi(argv[2]));
	if (argc > 1 && strcmp(argv[1], "grow") == 0) {
		grown = calloc(GROW_ROUNDS, sizeof *grown);
		for (int i = 0; i < GROW_ROUNDS; i++) {
			grow_leak();
			grow_kept(i);
			/* let the runtime's background thread take its snapshots */
			nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
		}
		sink = NULL;
		scrub_stack();
		return 0;
	}
	leak_direct();
	leak_list();
	leak_cycle();
	leak_owner_freed();
	leak_end_pointer();
	leak_in_thread();
	kept_bss();
	kept_data();
	kept_interior();
	kept_chain();
	kept_tls();
	kept_in_mmap();
	freed_block();
	pthread_t t;
	pthread_create(&t, NULL, holder, NULL);
	pthread_mutex_lock(&lock);
	while (!holder_ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	scrub_stack();
	puts("leakcheck: done");
	return 7;
}
