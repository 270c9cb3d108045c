/* diag.c — error values, messages to stderr and checked allocation. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ms_seterr(ms_err *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void ms_err_prefix(ms_err *err, const char *prefix)
{
	char tmp[sizeof err->msg];
	if (!err)
		return;
	size_t plen = strlen(prefix);
	if (plen > sizeof tmp - 3)
		plen = sizeof tmp - 3;
	memcpy(tmp, prefix, plen);
	tmp[plen] = ':';
	tmp[plen + 1] = ' ';
	size_t room = sizeof tmp - plen - 3;
	size_t mlen = strnlen(err->msg, room);
	memcpy(tmp + plen + 2, err->msg, mlen);
	tmp[plen + 2 + mlen] = '\0';
	memcpy(err->msg, tmp, sizeof tmp);
}

int ms_report(const ms_err *err)
{
	fprintf(stderr, "memscope: %s\n", err->msg);
	return MS_EXIT_INPUT;
}

int ms_error(const char *fmt, ...)
{
	va_list ap;
	fputs("memscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return MS_EXIT_INPUT;
}

void ms_warn(const char *fmt, ...)
{
	va_list ap;
	fputs("memscope: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ms_out_of_memory(size_t n)
{
	fprintf(stderr, "memscope: out of memory (allocating %zu bytes)\n", n);
	exit(MS_EXIT_INPUT);
}

void *ms_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		ms_out_of_memory(n);
	return p;
}

void *ms_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		ms_out_of_memory(n * size);
	return p;
}

void *ms_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		ms_out_of_memory(n);
	return q;
}

void *ms_xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		ms_out_of_memory(SIZE_MAX);
	return ms_xrealloc(p, n * size);
}

char *ms_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(ms_xmalloc(n), s, n);
}
