/* http.c — a URL's body with libcurl (see http.h). One easy handle per
 * request; TLS verification is libcurl's default (peer and host name) and
 * is never turned off here. Only http and https are allowed, also across
 * redirects; libcurl does not send a custom Authorization header to
 * another host after a redirect. */
#include "config.h"
#include "util/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ms_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

char *ms_url_redact(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return ms_xstrdup(url);
	p += 3;
	size_t auth_end = strcspn(p, "/?#");
	const char *at = memchr(p, '@', auth_end);
	if (!at)
		return ms_xstrdup(url);
	size_t head = (size_t)(p - url);
	char *out = ms_xmalloc(strlen(url) + 1);
	memcpy(out, url, head);
	strcpy(out + head, at + 1);
	return out;
}

typedef struct fetch {
	ms_buf *body;
	size_t start;                 /* body->len before the transfer */
	unsigned long long max;
	int too_big;
	char status[128];             /* the last "HTTP/x 404 Not Found" line */
	const volatile sig_atomic_t *cancel;
} fetch;

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	fetch *f = arg;
	size_t k = size * n;
	if (f->max && f->body->len - f->start + k > f->max) {
		f->too_big = 1;
		return 0; /* stops the transfer (CURLE_WRITE_ERROR) */
	}
	ms_buf_add(f->body, p, k);
	return k;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	fetch *f = arg;
	size_t k = size * n;
	if (k > 5 && memcmp(p, "HTTP/", 5) == 0) {
		size_t m = k < sizeof f->status - 1 ? k : sizeof f->status - 1;
		memcpy(f->status, p, m);
		while (m && (f->status[m - 1] == '\n' || f->status[m - 1] == '\r'))
			m--;
		f->status[m] = '\0';
	}
	return k;
}

static int on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt, (void)dn, (void)ut, (void)un;
	fetch *f = arg;
	return f->cancel && *f->cancel ? 1 : 0;
}

/* "404 Not Found" from the status line, else the bare code. */
static void status_text(const fetch *f, long code, char *out, size_t n)
{
	const char *sp = strchr(f->status, ' ');
	if (sp && atol(sp + 1) == code)
		snprintf(out, n, "%s", sp + 1);
	else
		snprintf(out, n, "%ld", code);
}

/* The first line of an error body, printable characters only, short. */
static void first_line(const ms_buf *b, size_t start, char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = start; i < b->len && k + 1 < n && k < 160; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c == '\n' || c == '\r')
			break;
		out[k++] = isprint(c) ? (char)c : '?';
	}
	out[k] = '\0';
}

int ms_http_get(const char *url, const ms_http_opts *o, ms_buf *body, ms_err *err)
{
	static const ms_http_opts none = { 0 };
	if (!o)
		o = &none;
	CURL *c = curl_easy_init();
	if (!c)
		return ms_seterr(err, "cannot start libcurl");
	struct curl_slist *hdrs = NULL;
	for (size_t i = 0; i < o->nheaders; i++) {
		struct curl_slist *h = curl_slist_append(hdrs, o->headers[i]);
		if (!h) {
			curl_slist_free_all(hdrs);
			curl_easy_cleanup(c);
			return ms_seterr(err, "out of memory");
		}
		hdrs = h;
	}
	char ebuf[CURL_ERROR_SIZE] = "";
	fetch f = { body, body->len, o->max_bytes, 0, "", o->cancel };
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_USERAGENT, "memscope/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* whatever libcurl can decode */
	if (hdrs)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (o->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	if (o->timeout > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000 + 0.5));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &f);
	if (o->cancel) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &f);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	CURLcode rc = curl_easy_perform(c);
	long code = 0, oserr = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	int ret = -1;
	if (rc == CURLE_OK && code >= 200 && code < 300) {
		ret = 0;
	} else if (rc == CURLE_OK) {
		char st[128], line[170];
		status_text(&f, code, st, sizeof st);
		first_line(body, f.start, line, sizeof line);
		if (line[0])
			ms_seterr(err, "HTTP %s: %s", st, line);
		else
			ms_seterr(err, "HTTP %s", st);
	} else if (f.too_big) {
		ms_seterr(err, "the body is larger than %llu bytes (MEMSCOPE_MAX_INFLATE)", o->max_bytes);
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		ms_seterr(err, "timed out after %g s (--timeout)", o->timeout);
	} else if (rc == CURLE_ABORTED_BY_CALLBACK) {
		ms_seterr(err, "interrupted");
	} else if (rc == CURLE_COULDNT_CONNECT && oserr) {
		char *m = ms_xstrdup(strerror((int)oserr));
		m[0] = (char)tolower((unsigned char)m[0]);
		ms_seterr(err, "%s", m);
		free(m);
	} else {
		const char *m = ebuf[0] ? ebuf : curl_easy_strerror(rc);
		size_t k = strlen(m);
		while (k && (m[k - 1] == '\n' || m[k - 1] == '.'))
			k--;
		ms_seterr(err, "%.*s", (int)k, m);
	}
	if (ret < 0 && body->data) {
		body->len = f.start;
		body->data[f.start] = '\0';
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return ret;
}
