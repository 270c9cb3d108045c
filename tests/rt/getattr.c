/* getattr.c — calls pthread_getattr_np on itself from the main thread and
 * from a second thread, as Rust's runtime does for every thread. glibc
 * holds the thread's lock while that call allocates (the main thread reads
 * /proc/self/maps with fopen; every thread sizes its affinity mask with
 * realloc), so a profiler that itself called pthread_getattr_np inside
 * malloc deadlocked here (tests/cli/rt.t runs it at --rate 1). Prints the
 * two stack sizes' sign and "ok". */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdio.h>

static size_t own_stack(void)
{
	pthread_attr_t attr;
	void *addr = NULL;
	size_t size = 0;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return 0;
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	return size;
}

static void *thread_main(void *arg)
{
	*(size_t *)arg = own_stack();
	return NULL;
}

int main(void)
{
	size_t main_size = own_stack(), thread_size = 0;
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, &thread_size) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	printf("%s %s ok\n", main_size > 0 ? "main" : "no-main", thread_size > 0 ? "thread" : "no-thread");
	return 0;
}
