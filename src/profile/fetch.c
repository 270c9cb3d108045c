/* fetch.c — a Go pprof endpoint's URL into bytes, and those bytes saved
 * for offline runs (see fetch.h). The bytes go through the ordinary format
 * detection afterwards (load.c), so an endpoint that answers with HTML or
 * a text error page is refused by the same messages as a file. */
#include "config.h"
#include "profile/fetch.h"
#include "profile/gotrace.h"
#include "util/http.h"
#include "util/io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Where the path part of url starts (after scheme://authority). */
static const char *path_of(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	return p + strcspn(p, "/?#");
}

/* 1 when the query of url has the parameter name ("seconds" matches
 * "?seconds=5" and "&seconds=5", not "xseconds=5"). */
static int has_param(const char *url, const char *name)
{
	const char *q = strchr(path_of(url), '?');
	size_t k = strlen(name);
	while (q) {
		q++;
		if (strncmp(q, name, k) == 0 && (q[k] == '=' || q[k] == '&' || q[k] == '\0' || q[k] == '#'))
			return 1;
		q = strchr(q, '&');
	}
	return 0;
}

char *ms_fetch_url(const char *url, const ms_fetch_opts *o, ms_err *err)
{
	if (o && o->seconds > 0 && has_param(url, "seconds"))
		return ms_seterr(err, "--seconds and the URL's own seconds= are both given"), NULL;
	ms_buf b = MS_BUF_INIT;
	const char *path = path_of(url);
	const char *frag = strchr(path, '#');
	size_t len = frag ? (size_t)(frag - url) : strlen(url);
	ms_buf_add(&b, url, (size_t)(path - url));
	if (*path != '/' || (path[1] == '\0' || path[1] == '?' || path[1] == '#')) {
		/* no path: the heap profile, memscope's usual subject */
		ms_buf_addstr(&b, "/debug/pprof/heap");
		if (*path == '/')
			path++;
	}
	ms_buf_add(&b, path, len - (size_t)(path - url));
	int q = strchr(b.data, '?') != NULL;
	if (o && o->seconds > 0) {
		ms_buf_addf(&b, "%cseconds=%ld", q ? '&' : '?', o->seconds);
		q = 1;
	}
	if (o && o->gc && !has_param(b.data, "gc"))
		ms_buf_addf(&b, "%cgc=1", q ? '&' : '?');
	return ms_buf_detach(&b, NULL);
}

/* $MEMSCOPE_HTTP_HEADER: one "Name: value" header, or several on lines of
 * their own. Appended to hs (pointers into a copy kept in *keep). */
static void env_headers(const char ***hs, size_t *n, size_t *cap, char **keep)
{
	const char *e = getenv("MEMSCOPE_HTTP_HEADER");
	*keep = NULL;
	if (!e || !*e)
		return;
	*keep = ms_xstrdup(e);
	for (char *line = *keep, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t k = strlen(line);
		if (k && line[k - 1] == '\r')
			line[k - 1] = '\0';
		if (*line)
			MS_PUSH(*hs, *n, *cap, line);
	}
}

/* A header must be "Name: value" on one line. The message never shows the
 * value (it is usually a credential). */
static int check_header(const char *h, const char *from, ms_err *err)
{
	const char *colon = strchr(h, ':');
	if (!colon || colon == h || strpbrk(h, "\r\n"))
		return ms_seterr(err, "%s: a header must be 'Name: value' on one line (its value is not shown)", from);
	for (const char *p = h; p < colon; p++)
		if (*p <= ' ' || *p >= 127)
			return ms_seterr(err, "%s: a header name has no spaces or control characters (value not shown)",
				from);
	return 0;
}

int ms_fetch(const char *url, const ms_fetch_opts *o, ms_buf *body, ms_err *err)
{
	static const ms_fetch_opts none = { 0 };
	if (!o)
		o = &none;
	char *shown = ms_url_redact(url);
	const char **hs = NULL;
	size_t n = 0, cap = 0;
	char *envcopy = NULL;
	int rc = -1;
	char *req = ms_fetch_url(url, o, err);
	if (!req)
		goto out;
	env_headers(&hs, &n, &cap, &envcopy);
	for (size_t i = 0; i < n; i++)
		if (check_header(hs[i], "MEMSCOPE_HTTP_HEADER", err) < 0)
			goto out;
	for (size_t i = 0; i < o->nheaders; i++) {
		if (check_header(o->headers[i], "--header", err) < 0)
			goto out;
		MS_PUSH(hs, n, cap, o->headers[i]);
	}
	ms_http_opts ho = { o->timeout > 0 ? o->timeout : 60.0 + (double)(o->seconds > 0 ? o->seconds : 0),
		hs, n, ms_inflate_limit(), o->cacert, o->cancel };
	rc = ms_http_get(req, &ho, body, err);
out:
	if (rc < 0)
		ms_err_prefix(err, shown);
	free(req);
	free(hs);
	free(envcopy);
	free(shown);
	return rc;
}

/* s[0..n) with every character other than [A-Za-z0-9._-] as '_'. */
static void sanitize(ms_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			 c == '-' || c == '_';
		ms_buf_addch(b, ok ? c : '_');
	}
}

char *ms_fetch_default_dir(const char *url)
{
	ms_buf b = MS_BUF_INIT;
	const char *e;
	if ((e = getenv("MEMSCOPE_SAVE_DIR")) && *e)
		ms_buf_addstr(&b, e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e == '/')
		ms_buf_addf(&b, "%s/memscope", e);
	else if ((e = getenv("HOME")) && *e)
		ms_buf_addf(&b, "%s/.cache/memscope", e);
	else
		return NULL;
	/* the host and port, without credentials */
	const char *a = strstr(url, "://");
	a = a ? a + 3 : url;
	size_t alen = strcspn(a, "/?#");
	const char *at = memchr(a, '@', alen);
	if (at) {
		alen -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	ms_buf_addch(&b, '/');
	sanitize(&b, a, alen);
	return ms_buf_detach(&b, NULL);
}

int ms_mkdir_p(const char *dir, ms_err *err)
{
	char *d = ms_xstrdup(dir);
	int rc = 0;
	for (char *p = d + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(d, 0777) < 0 && errno != EEXIST) {
			rc = ms_seterr(err, "cannot create '%s': %s", d, strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (rc == 0 && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = ms_seterr(err, "cannot create '%s': not a directory", dir);
	free(d);
	return rc;
}

int ms_fetch_save(const char *url, const char *dir, const void *data, size_t n, char **saved, ms_err *err)
{
	*saved = NULL;
	if (ms_mkdir_p(dir, err) < 0)
		return -1;
	/* KIND: the endpoint's last path element ("heap", "profile", ...) */
	const char *path = path_of(url);
	size_t plen = strcspn(path, "?#");
	while (plen && path[plen - 1] == '/')
		plen--;
	const char *kind = path;
	for (size_t i = 0; i < plen; i++)
		if (path[i] == '/')
			kind = path + i + 1;
	size_t klen = (size_t)(path + plen - kind);
	const char *ext = ms_is_gzip(data, n) ? "pb.gz" : ms_gotrace_sniff(data, n, NULL) ? "trace" : "pb";
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime_r(&now, &tm));
	ms_buf name = MS_BUF_INIT;
	struct stat st;
	for (unsigned i = 0;; i++) {
		ms_buf_reset(&name);
		ms_buf_addf(&name, "%s/", dir);
		if (klen)
			sanitize(&name, kind, klen);
		else
			ms_buf_addstr(&name, "heap");
		ms_buf_addf(&name, ".%s", stamp);
		if (i)
			ms_buf_addf(&name, ".%u", i);
		ms_buf_addf(&name, ".%s", ext);
		if (lstat(name.data, &st) < 0 && errno == ENOENT)
			break;
	}
	if (ms_write_file(name.data, data, n, err) < 0) {
		ms_buf_free(&name);
		return -1;
	}
	*saved = ms_buf_detach(&name, NULL);
	return 0;
}
