/* buf.h — a growable byte buffer (the strbuf of memscope). */
#ifndef MS_BUF_H
#define MS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ms_buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
} ms_buf;

#define MS_BUF_INIT { NULL, 0, 0 }

void ms_buf_grow(ms_buf *b, size_t extra);
void ms_buf_add(ms_buf *b, const void *p, size_t n);
void ms_buf_addstr(ms_buf *b, const char *s);
void ms_buf_addch(ms_buf *b, char c);
void ms_buf_addf(ms_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ms_buf_vaddf(ms_buf *b, const char *fmt, va_list ap);
void ms_buf_reset(ms_buf *b);
void ms_buf_free(ms_buf *b);
/* Hands the data to the caller (who frees it) and resets b. */
char *ms_buf_detach(ms_buf *b, size_t *len);

#endif
