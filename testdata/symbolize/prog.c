/* prog.c — test program for memscope's symbolizer (tests/check_symbolize.c
 * compiles it with -g -O2 in several ways: PIE, non-PIE, DWARF 4, stripped
 * with separate debug files). It records return addresses at known places,
 * including inside functions inlined two levels deep and inside a shared
 * library (libsym.so, lib.c), and prints them as pprof-style addresses
 * (return address - 1) with the /proc/self/maps lines of the files that
 * hold them. Lines the test looks for carry an "@name" marker comment. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void lib_outer(void (*cb)(void)); /* lib.c */

static void *sites[8];
static int nsites;
volatile int ms_sink;

__attribute__((noinline)) void record(void)
{
	sites[nsites++] = __builtin_return_address(0);
	ms_sink++;
}

static inline __attribute__((always_inline)) void inner(int x)
{
	if (x > 0)
		record(); /* @inner-call */
	ms_sink += x;
}

static inline __attribute__((always_inline)) void middle(int x)
{
	inner(x + 1); /* @middle-call */
	ms_sink++;
}

__attribute__((noinline)) void outer(int x)
{
	middle(x * 2); /* @outer-call */
	sites[nsites++] = __builtin_return_address(0);
	ms_sink++;
}

__attribute__((noinline)) static int plain_static(int x)
{
	record(); /* @plain-call */
	return x + ms_sink;
}

static void print_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, " /"))
			printf("map %s", line);
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	(void)argv;
	outer(argc); /* @main-call */
	lib_outer(record);
	ms_sink += plain_static(argc);
	static const char *const names[] = { "inner", "main", "lib", "plain" };
	for (int i = 0; i < nsites; i++)
		printf("site %s %#lx\n", names[i], (unsigned long)((uintptr_t)sites[i] - 1));
	print_maps();
	return 0;
}
