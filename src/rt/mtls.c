/* mtls.c — where the calling thread's static TLS block lies, for the
 * roots of the collector (mstw.c, at attach) and of the leak check
 * (mleak.c, the main thread at load time).
 *
 * On x86-64 glibc (TLS variant II) a thread's static TLS block ends at its
 * thread descriptor, which starts at the thread pointer (= pthread_self()):
 *     [tp + tcb − static_size, tp + tcb)
 * static_size: _dl_get_tls_static_info (the block, descriptor included);
 * tcb: sizeof(struct pthread), libc's _thread_db_sizeof_pthread (without
 * it: [tp − static_size, tp + 4096)). The range is clipped to the readable
 * mappings around tp in /proc/self/maps, so a scan never reads an
 * unmapped page (the block lives as long as the thread).
 */
#define _GNU_SOURCE 1
#include "config.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

static size_t tls_static_size; /* 0: unknown (not x86-64 glibc) */
static size_t tls_tcb_size;

static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_init(void)
{
#if defined(__x86_64__) && defined(__GLIBC__)
	void (*get_info)(size_t *, size_t *) =
		(void (*)(size_t *, size_t *))dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info");
	const uint32_t *tcb = dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread");
	if (get_info) {
		size_t size = 0, align = 0;
		get_info(&size, &align);
		tls_static_size = size;
	}
	if (tcb && *tcb < tls_static_size)
		tls_tcb_size = *tcb;
#endif
}

/* The run of contiguous readable mappings around address a, from
 * /proc/self/maps (read without stdio: no allocation); 0 if a is in none. */
static int readable_run(uintptr_t a, uintptr_t *run_lo, uintptr_t *run_hi)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[4096];
	size_t have = 0;
	uintptr_t lo = 0, hi = 0;
	int found = 0, done = 0;
	while (!done) {
		ssize_t got = read(fd, buf + have, sizeof buf - 1 - have);
		if (got <= 0)
			break;
		have += (size_t)got;
		buf[have] = 0;
		char *line = buf, *nl;
		while (!done && (nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
			*nl = 0;
			char *end;
			uintptr_t start = (uintptr_t)strtoull(line, &end, 16);
			uintptr_t stop = *end == '-' ? (uintptr_t)strtoull(end + 1, &end, 16) : 0;
			int readable = *end == ' ' && end[1] == 'r';
			if (readable && start == hi && lo) {
				hi = stop; /* continues the run */
			} else if (found) {
				done = 1; /* the run around a ended */
			} else if (readable) {
				lo = start;
				hi = stop;
			} else {
				lo = hi = 0;
			}
			if (!done && lo && a >= lo && a < hi)
				found = 1;
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof buf - 1)
			have = 0; /* a line that long is no mapping line */
	}
	close(fd);
	if (!found)
		return 0;
	*run_lo = lo;
	*run_hi = hi;
	return 1;
}

void msrt_static_tls_bounds(uintptr_t *lo, uintptr_t *hi)
{
	*lo = *hi = 0;
	pthread_once(&tls_once, tls_init);
#if defined(__x86_64__) && defined(__GLIBC__)
	if (!tls_static_size)
		return;
	uintptr_t tp = (uintptr_t)pthread_self(), l, h;
	if (tls_tcb_size) {
		l = tp + tls_tcb_size - tls_static_size;
		h = tp + tls_tcb_size;
	} else {
		l = tp - tls_static_size;
		h = tp + 4096;
	}
	uintptr_t rlo, rhi;
	if (!readable_run(tp, &rlo, &rhi))
		return;
	*lo = l > rlo ? l : rlo;
	*hi = h < rhi ? h : rhi;
#endif
}
