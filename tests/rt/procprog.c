/* procprog.c — process trees of known construction for tests/rt/procs.sh
 * (`memscope run` follows every process). Every leak is whole 4096-byte
 * blocks from leak_blocks(), so each process's leaked bytes are known:
 *   procprog leak N       leaks N blocks, exits through exit()
 *   procprog fork N M     forks: the child leaks M blocks and exits, the
 *                         parent waits and leaks N
 *   procprog forkexec N   forks; the child execs "procprog leak N"; the
 *                         parent leaks 1 and waits
 *   procprog exec N       execs "procprog leak N" (same pid, new image)
 *   procprog server K     a forking server: K children each take one
 *                         request from a pipe, leak (request) blocks,
 *                         answer and leave by _exit(0), as servers' children do
 *   procprog none         allocates nothing at all
 *   procprog peak         heaptrack's figures, by construction:
 *                         100 × 8192 bytes live together (819200 bytes),
 *                         then 1000 × malloc(64)/free (1000 temporary),
 *                         all freed; then 10 × 16384 live, all freed.
 *                         Peak heap = 819200 + 64 + what the C/C++
 *                         runtimes allocate at start (the test links
 *                         libstdc++: its 72704-byte emergency pool, which
 *                         heaptrack's own C++ library brings in anyway).
 * Sizes are size classes of libmsrt (powers of two up to 32 KiB), so the
 * bytes it counts are the bytes requested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void *volatile sink; /* keeps the compiler from dropping allocations */

static __attribute__((noinline)) void leak_blocks(int n)
{
	for (int i = 0; i < n; i++) {
		char *p = malloc(4096);
		if (!p)
			exit(3);
		memset(p, i, 4096);
		sink = p;
		p = NULL;
	}
	sink = NULL;
}

static void wait_all(void)
{
	int st;
	while (wait(&st) > 0)
		;
}

static void self_exec(const char *self, int n)
{
	char arg[16];
	snprintf(arg, sizeof arg, "%d", n);
	execl(self, self, "leak", arg, (char *)NULL);
	perror("execl");
	_exit(4);
}

static void server(int k)
{
	int req[2], ans[2];
	if (pipe(req) < 0 || pipe(ans) < 0)
		exit(5);
	for (int i = 0; i < k; i++) {
		pid_t pid = fork();
		if (pid < 0)
			exit(5);
		if (pid == 0) {
			char c;
			if (read(req[0], &c, 1) != 1)
				_exit(6);
			leak_blocks(c);
			if (write(ans[1], &c, 1) != 1)
				_exit(6);
			_exit(0);
		}
	}
	for (int i = 0; i < k; i++) {
		char c = 2, r;
		if (write(req[1], &c, 1) != 1 || read(ans[0], &r, 1) != 1)
			exit(6);
	}
	wait_all();
}

static void peak(void)
{
	void *a[100], *b[10];
	for (int i = 0; i < 100; i++) {
		a[i] = malloc(8192);
		memset(a[i], 1, 8192);
	}
	for (int i = 0; i < 1000; i++) {
		void *t = malloc(64);
		memset(t, 0, 64);
		sink = t;
		free(t);
	}
	for (int i = 0; i < 100; i++)
		free(a[i]);
	for (int i = 0; i < 10; i++) {
		b[i] = malloc(16384);
		memset(b[i], 2, 16384);
	}
	for (int i = 0; i < 10; i++)
		free(b[i]);
	sink = NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0, m = argc > 3 ? atoi(argv[3]) : 0;
	if (strcmp(mode, "leak") == 0) {
		leak_blocks(n);
	} else if (strcmp(mode, "fork") == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			leak_blocks(m);
			exit(0);
		}
		wait_all();
		leak_blocks(n);
	} else if (strcmp(mode, "forkexec") == 0) {
		pid_t pid = fork();
		if (pid == 0)
			self_exec(argv[0], n);
		leak_blocks(1);
		wait_all();
	} else if (strcmp(mode, "exec") == 0) {
		self_exec(argv[0], n);
	} else if (strcmp(mode, "server") == 0) {
		server(n);
	} else if (strcmp(mode, "peak") == 0) {
		peak();
	} else if (strcmp(mode, "none") != 0) {
		fprintf(stderr, "usage: procprog leak|fork|forkexec|exec|server|peak|none [N [M]]\n");
		return 2;
	}
	return 0;
}
