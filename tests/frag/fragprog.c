/* fragprog.c — allocation patterns for `memscope frag`, run under
 * `memscope run --heap-dump` (tests/frag/frag.sh; the dumps in
 * testdata/frag/ come from it too). The heap dump is written at exit.
 *
 *   fragprog sparse N SIZE K   N objects of SIZE bytes, then frees all but
 *                              every K-th, in a scattered order: each span
 *                              keeps a few live objects (sparse spans)
 *   fragprog keep N SIZE       N objects of SIZE bytes, all kept
 *   fragprog bigfree N MB MS   keeps a 1 MiB buffer, allocates N buffers
 *                              of MB MiB, touches and frees them, sleeps
 *                              MS milliseconds (the scavenger's window)
 *   fragprog holes N KB [T]    N blocks of KB KiB (large objects), frees
 *                              every other one: free pages in many small
 *                              runs between live blocks; T=0 leaves the
 *                              blocks untouched (no RSS: for huge N)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void **table(size_t n)
{
	void **v = calloc(n, sizeof *v);
	if (!v) {
		fprintf(stderr, "fragprog: out of memory\n");
		exit(1);
	}
	return v;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "fragprog: out of memory\n");
		exit(1);
	}
	memset(p, 0x5a, n < 64 ? n : 64);
	return p;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: fragprog sparse N SIZE K | keep N SIZE | bigfree N MB MS | holes N KB [T]\n");
		return 2;
	}
	const char *mode = argv[1];
	size_t n = strtoul(argv[2], NULL, 10), size = strtoul(argv[3], NULL, 10);
	if (strcmp(mode, "sparse") == 0 && argc == 5) {
		size_t k = strtoul(argv[4], NULL, 10);
		void **v = table(n);
		for (size_t i = 0; i < n; i++)
			v[i] = xmalloc(size);
		/* visit i = (j * 7919) mod n: a permutation when gcd(7919, n) = 1 */
		for (size_t j = 0; j < n; j++) {
			size_t i = (j * 7919) % n;
			if (i % k != 0) {
				free(v[i]);
				v[i] = NULL;
			}
		}
		printf("kept %zu of %zu objects of %zu bytes\n", (n + k - 1) / k, n, size);
	} else if (strcmp(mode, "keep") == 0) {
		void **v = table(n);
		for (size_t i = 0; i < n; i++)
			v[i] = xmalloc(size);
		printf("kept %zu objects of %zu bytes\n", n, size);
	} else if (strcmp(mode, "bigfree") == 0 && argc == 5) {
		char *keep = xmalloc(1 << 20);
		memset(keep, 1, 1 << 20);
		char **v = (char **)table(n);
		for (size_t i = 0; i < n; i++) {
			v[i] = xmalloc(size << 20);
			memset(v[i], 1, size << 20);
		}
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		sleep_ms(strtol(argv[4], NULL, 10));
		printf("freed %zu buffers of %zu MiB\n", n, size);
	} else if (strcmp(mode, "holes") == 0) {
		int touch = argc < 5 || strcmp(argv[4], "0") != 0;
		void **v = table(n);
		for (size_t i = 0; i < n; i++) {
			v[i] = xmalloc(size << 10);
			if (touch)
				memset(v[i], 1, size << 10);
		}
		for (size_t i = 0; i < n; i += 2)
			free(v[i]);
		printf("freed %zu of %zu blocks of %zu KiB\n", n / 2, n, size);
	} else {
		fprintf(stderr, "fragprog: bad mode '%s'\n", mode);
		return 2;
	}
	return 0;
}
