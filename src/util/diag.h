/* diag.h — error values and messages shared by every memscope library.
 *
 * Libraries never print: they fill an ms_err with one line saying what is
 * wrong (and where: file, offset or line) and return -1. Commands print it
 * with ms_report() as "memscope: <message>" and exit with MS_EXIT_INPUT.
 */
#ifndef MS_DIAG_H
#define MS_DIAG_H

#include <stddef.h>

enum ms_exit {
	MS_EXIT_OK = 0,      /* success */
	MS_EXIT_TRIPPED = 1, /* a gate or check tripped */
	MS_EXIT_INPUT = 2,   /* usage or input error */
};

typedef struct ms_err {
	char msg[512];
} ms_err;

/* Formats the message into err (if non-NULL) and returns -1. */
int ms_seterr(ms_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes the message already in err with "prefix: " (e.g. a file name). */
void ms_err_prefix(ms_err *err, const char *prefix);

/* Prints "memscope: <msg>" to stderr; returns MS_EXIT_INPUT. */
int ms_report(const ms_err *err);

/* printf-style "memscope: ..." to stderr; ms_error returns MS_EXIT_INPUT. */
int ms_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ms_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Checked allocation: on failure print "out of memory" and exit(2). Used
 * where a NULL cannot be handled more usefully; sizes that come from input
 * must be bounded by the input's length before they reach these. */
void *ms_xmalloc(size_t n);
/* What they do on failure (n: the size asked for, 0 when unknown). */
_Noreturn void ms_out_of_memory(size_t n);
void *ms_xcalloc(size_t n, size_t size);
void *ms_xrealloc(void *p, size_t n);
void *ms_xreallocarray(void *p, size_t n, size_t size);
char *ms_xstrdup(const char *s);

/* Makes room for `extra` more elements in a growable array (doubling from
 * 64), exiting on out of memory like ms_xrealloc. */
#define MS_GROW(arr, n, cap, extra)                                                     \
	do {                                                                            \
		if ((n) + (extra) > (cap)) {                                            \
			size_t c_ = (cap) ? (cap) * 2 : 64;                             \
			while (c_ < (n) + (extra))                                      \
				c_ *= 2;                                                \
			(arr) = ms_xreallocarray((arr), c_, sizeof *(arr));             \
			(cap) = c_;                                                     \
		}                                                                       \
	} while (0)

/* Appends v to a growable array (MS_GROW, then arr[n++] = v). */
#define MS_PUSH(arr, n, cap, v)                 \
	do {                                    \
		MS_GROW((arr), (n), (cap), 1);  \
		(arr)[(n)++] = (v);             \
	} while (0)

/* Makes arr[index] exist (capacity doubling from first), the new elements
 * zeroed: for arrays indexed by a value from the input. */
#define MS_GROW_ZERO(arr, cap, index, first) MS_GROW_FILL(arr, cap, index, first, 0)
/* The same with every new byte set to fill (0xff: uint32 id tables whose
 * empty entries are UINT32_MAX). */
#define MS_GROW_FILL(arr, cap, index, first, fill)                                      \
	do {                                                                            \
		if ((index) >= (cap)) {                                                 \
			size_t c_ = (cap) ? (cap) : (first);                            \
			while (c_ <= (index))                                           \
				c_ *= 2;                                                \
			(arr) = ms_xreallocarray((arr), c_, sizeof *(arr));             \
			memset((arr) + (cap), (fill), (c_ - (cap)) * sizeof *(arr));    \
			(cap) = c_;                                                     \
		}                                                                       \
	} while (0)

#endif
