/* linked.c — a program linked with libmsrt (not preloaded): the libc
 * allocation names must reach the runtime, behave like glibc's (errno,
 * overflow, alignment, realloc), and survive 8 threads freeing each
 * other's blocks while the process forks. Prints one line per check and
 * "N passed, N failed" last. Never built with the sanitizers (it replaces
 * malloc). */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt/msrt.h"

static int pass, fail;
static volatile size_t huge = SIZE_MAX; /* opaque to the compiler's size checks */
static void *volatile sink;

static void check(int ok, const char *what)
{
	if (ok)
		pass++;
	else
		fail++;
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
}

#define RING 2048
static void *_Atomic ring[RING];
static _Atomic int stop;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t pick(uint64_t *s)
{
	uint64_t r = rnd(s);
	if (r % 64 == 0)
		return 32768 + r % (3u << 20); /* up to ~3 MB */
	if (r % 8 == 0)
		return 512 + r % 32256;
	return 1 + r % 512;
}

struct blk {
	size_t n;
	uint32_t tag;
};

static int intact(const struct blk *b)
{
	const unsigned char *d = (const unsigned char *)(b + 1);
	size_t len = b->n - sizeof *b;
	return len == 0 || (d[0] == (unsigned char)b->tag && d[len - 1] == (unsigned char)b->tag &&
				    d[len / 2] == (unsigned char)b->tag);
}

static _Atomic int corrupt;

static void *worker(void *arg)
{
	uint64_t s = (uint64_t)(uintptr_t)arg * 2654435761u + 7;
	for (int i = 0; i < 40000 && !atomic_load(&stop); i++) {
		size_t n = pick(&s) + sizeof(struct blk);
		struct blk *b = (i % 5 == 0) ? calloc(1, n) : malloc(n);
		if (!b) {
			atomic_store(&corrupt, 1);
			break;
		}
		b->n = n;
		b->tag = (uint32_t)rnd(&s);
		memset(b + 1, (unsigned char)b->tag, n - sizeof *b);
		if (i % 7 == 0) { /* realloc chain step */
			size_t m = pick(&s) + sizeof(struct blk);
			struct blk *c = realloc(b, m);
			if (!c || c->n != n) {
				atomic_store(&corrupt, 1);
				break;
			}
			size_t keep = (m < n ? m : n) - sizeof *c;
			unsigned char *d = (unsigned char *)(c + 1);
			if (keep && d[keep - 1] != (unsigned char)c->tag)
				atomic_store(&corrupt, 1);
			c->n = m;
			memset(d, (unsigned char)c->tag, m - sizeof *c);
			b = c;
		}
		struct blk *old = atomic_exchange(&ring[rnd(&s) % RING], (void *)b);
		if (old) {
			if (!intact(old))
				atomic_store(&corrupt, 1);
			free(old);
		}
	}
	return NULL;
}

int main(void)
{
	ms_stats a, b;
	ms_read_stats(&a);
	void *p = malloc(100);
	sink = p;
	ms_read_stats(&b);
	check(b.mallocs >= a.mallocs + 1, "malloc goes to libmsrt"); /* more when the sampler allocates */
	free(p);

	errno = 0;
	check(calloc(huge / 4, 8) == NULL && errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
	errno = 0;
	check(reallocarray(NULL, huge / 2, 4) == NULL && errno == ENOMEM, "reallocarray overflow: NULL, ENOMEM");
	errno = 0;
	check(malloc(huge) == NULL && errno == ENOMEM, "malloc(SIZE_MAX): NULL, ENOMEM");
	void *q = NULL;
	check(posix_memalign(&q, 3, 8) == EINVAL && posix_memalign(&q, 2, 8) == EINVAL,
		"posix_memalign rejects 3 and 2 with EINVAL");
	errno = 0;
	volatile size_t not_pow2 = 24; /* not a constant: clang rejects a literal one at compile time */
	check(aligned_alloc(not_pow2, 48) == NULL && errno == EINVAL, "aligned_alloc(24): EINVAL");
	int ok = 1;
	for (size_t al = 16; al <= (1u << 20); al <<= 1) {
		void *x = memalign(al, 100), *y = aligned_alloc(al, 3 * al), *z = NULL;
		ok &= x && y && posix_memalign(&z, al, 5000) == 0;
		ok &= ((uintptr_t)x % al == 0) && ((uintptr_t)y % al == 0) && ((uintptr_t)z % al == 0);
		free(x);
		free(y);
		free(z);
	}
	check(ok, "memalign, aligned_alloc, posix_memalign honour 16 B .. 1 MiB");
	long pg = sysconf(_SC_PAGESIZE);
	void *v = valloc(10), *pv = pvalloc(10);
	check(v && pv && (uintptr_t)v % (uintptr_t)pg == 0 && (uintptr_t)pv % (uintptr_t)pg == 0 &&
		      malloc_usable_size(pv) >= (size_t)pg,
		"valloc and pvalloc are page-aligned, pvalloc rounds up to a page");
	free(v);
	free(pv);
	char *r = malloc(10);
	strcpy(r, "123456789");
	check(malloc_usable_size(r) >= 10 && (r = realloc(r, 100000)) && strcmp(r, "123456789") == 0,
		"realloc small to large keeps the contents");
	check(realloc(r, 0) == NULL, "realloc(p, 0) frees and returns NULL");
	check(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) is 0");

	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	int forks_ok = 1;
	for (int k = 0; k < 10; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* the child allocates from the heap it inherited mid-flight */
			for (int i = 0; i < 5000; i++) {
				uint64_t s = (uint64_t)i + 1;
				void *x = malloc(pick(&s));
				if (!x)
					_exit(3);
				memset(x, 1, 1);
				free(x);
			}
			_exit(0);
		}
		int st;
		forks_ok &= pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		usleep(2000);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RING; i++) {
		struct blk *x = atomic_exchange(&ring[i], NULL);
		if (x && !intact(x))
			atomic_store(&corrupt, 1);
		free(x);
	}
	check(forks_ok, "fork while 8 threads allocate: children allocate and exit cleanly");
	check(!atomic_load(&corrupt), "8 threads, cross-thread frees, realloc chains: no block corrupted");
	ms_stats c;
	ms_read_stats(&c);
	check(c.heap_objects <= b.heap_objects + 16, "every block given back (heap_objects back to the start)");
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
