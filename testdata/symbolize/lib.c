/* lib.c — the shared library (libsym.so) of the symbolizer's test program
 * prog.c: calls back into the program from a function inlined into the
 * exported lib_outer, so the recorded address lies in inlined library code. */
volatile int lib_sink;

static inline __attribute__((always_inline)) void lib_inner(void (*cb)(void))
{
	cb(); /* @lib-inner-call */
	lib_sink++;
}

void lib_outer(void (*cb)(void))
{
	lib_inner(cb); /* @lib-outer-call */
	lib_sink++;
}
