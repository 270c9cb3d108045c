/* allocbench.c — the allocator workload of tools/bench/alloc.sh. Uses the
 * plain malloc API, so LD_PRELOAD picks the allocator under test.
 *
 *   allocbench THREADS OPS_PER_THREAD
 *
 * Each thread keeps a window of 2000 live objects and replaces a random
 * one per step with a new object of a random size (80% 8–256 B, 15%
 * 256 B–4 KiB, 4.5% 4–32 KiB, 0.5% 32 KiB–1 MiB), touching its first and
 * last byte. With more than one thread, one step in four swaps the object
 * through a shared ring instead, so it is freed by another thread
 * (cross-thread frees). One step in 32 reallocs the object it keeps. Prints
 * the elapsed seconds.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW 2000
#define RING 8192

static void *_Atomic ring[RING];
static long ops;
static int nthreads;

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t pick(uint64_t *s)
{
	uint64_t r = next(s);
	unsigned p = (unsigned)(r % 1000);
	r >>= 10;
	if (p < 800)
		return 8 + r % 249;
	if (p < 950)
		return 256 + r % 3841;
	if (p < 995)
		return 4096 + r % 28673;
	return 32768 + r % (1u << 20);
}

static void touch(char *p, size_t n)
{
	p[0] = 1;
	p[n - 1] = 2;
}

static void *worker(void *arg)
{
	uint64_t s = (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ull + 1;
	char *win[WINDOW];
	size_t len[WINDOW];
	for (int i = 0; i < WINDOW; i++) {
		len[i] = pick(&s);
		win[i] = malloc(len[i]);
		touch(win[i], len[i]);
	}
	for (long k = 0; k < ops; k++) {
		unsigned i = (unsigned)(next(&s) % WINDOW);
		unsigned what = (unsigned)(next(&s) % 32);
		if (what == 0) {
			size_t n = pick(&s);
			win[i] = realloc(win[i], n);
			len[i] = n;
			touch(win[i], n);
			continue;
		}
		size_t n = pick(&s);
		char *p = malloc(n);
		touch(p, n);
		if (nthreads > 1 && what < 9) {
			free(win[i]);
			void *old = atomic_exchange(&ring[next(&s) % RING], (void *)p);
			win[i] = malloc(16);
			len[i] = 16;
			touch(win[i], 16);
			free(old);
			continue;
		}
		free(win[i]);
		win[i] = p;
		len[i] = n;
	}
	for (int i = 0; i < WINDOW; i++)
		free(win[i]);
	return NULL;
}

int main(int argc, char **argv)
{
	nthreads = argc > 1 ? atoi(argv[1]) : 1;
	ops = argc > 2 ? atol(argv[2]) : 2000000;
	if (nthreads < 1 || nthreads > 256 || ops < 1) {
		fprintf(stderr, "usage: allocbench THREADS OPS\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pthread_t *t = malloc(sizeof *t * (size_t)nthreads);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < RING; i++)
		free(atomic_exchange(&ring[i], NULL));
	free(t);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.4f\n", (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
