/* buf.c — growable byte buffer. */
#include "util/buf.h"
#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ms_buf_grow(ms_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap < ((size_t)-1) / 2 ? cap * 2 : need;
	b->data = ms_xrealloc(b->data, cap);
	b->cap = cap;
}

void ms_buf_add(ms_buf *b, const void *p, size_t n)
{
	ms_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void ms_buf_addstr(ms_buf *b, const char *s) { ms_buf_add(b, s, strlen(s)); }

void ms_buf_addch(ms_buf *b, char c)
{
	ms_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void ms_buf_vaddf(ms_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	ms_buf_grow(b, 64);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n < 0) {
		va_end(cp);
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		ms_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	}
	va_end(cp);
	b->len += (size_t)n;
}

void ms_buf_addf(ms_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void ms_buf_reset(ms_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ms_buf_free(ms_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *ms_buf_detach(ms_buf *b, size_t *len)
{
	if (!b->data)
		ms_buf_grow(b, 0), b->data[0] = '\0';
	char *d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
