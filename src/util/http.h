/* http.h — fetching a URL's body with libcurl, for live profile sources
 * (profile/fetch.h): HTTP and HTTPS with TLS verification on, a total
 * timeout, extra request headers (credentials: never put in a message),
 * a size cap, and cancellation from a signal flag. */
#ifndef MS_HTTP_H
#define MS_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"

typedef struct ms_http_opts {
	double timeout;               /* whole transfer, seconds; <= 0: none */
	const char *const *headers;   /* "Name: value" lines (not echoed anywhere) */
	size_t nheaders;
	unsigned long long max_bytes; /* body cap; 0: none */
	const char *cacert;           /* PEM file of the CAs to trust instead of the system's; NULL: the system's */
	/* optional: the transfer stops (as an error "interrupted") when this
	 * becomes nonzero, e.g. a SIGINT handler's flag */
	const volatile sig_atomic_t *cancel;
} ms_http_opts;

/* 1 when s starts with "http://" or "https://" (case-insensitive). */
int ms_is_url(const char *s);

/* url with any "user:password@" removed, for messages (ms_xmalloc'd). */
char *ms_url_redact(const char *url);

/* GETs url into body (appended). 0 on a 2xx answer; otherwise -1 with err
 * set to one line without the URL (the caller prefixes it): the transfer's
 * cause ("connection refused", "timed out after 2 s", "TLS: certificate
 * ..."), or "HTTP 404 Not Found: <the first line of the body>". */
int ms_http_get(const char *url, const ms_http_opts *o, ms_buf *body, ms_err *err);

#endif
