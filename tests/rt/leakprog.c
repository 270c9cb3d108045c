/* leakprog.c — a program with known leaks for the attribution test of
 * `memscope run`: leak_record() leaks N 200-byte records (N from argv[1],
 * default 20000 = 4,000,000 bytes); churn() allocates and frees a lot of
 * mixed-size memory that must not show up as in use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record {
	char data[200];
};

static struct record **kept;
void *volatile leakprog_sink; /* keeps churn's allocations from being optimised away */

__attribute__((noinline)) struct record *leak_record(int i)
{
	struct record *r = malloc(sizeof *r);
	memset(r, i, sizeof *r);
	return r;
}

__attribute__((noinline)) static void churn(int rounds)
{
	for (int i = 0; i < rounds; i++) {
		void *p = malloc((size_t)(i % 5000) + 1);
		memset(p, 1, 1);
		leakprog_sink = p;
		free(p);
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	kept = calloc((size_t)n, sizeof *kept);
	for (int i = 0; i < n; i++) {
		kept[i] = leak_record(i);
		churn(20);
	}
	printf("leaked %d records\n", n);
	return argc > 2 ? atoi(argv[2]) : 0;
}
