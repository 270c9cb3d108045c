/* fetch.h — live profile sources: a Go pprof endpoint's URL
 * (http://host:6060/debug/pprof/heap, allocs, profile?seconds=N,
 * trace?seconds=N, goroutine, mutex, block) fetched into bytes that the
 * ordinary format detection then reads (load.c), and the body saved so a
 * run can be repeated offline. */
#ifndef MS_FETCH_H
#define MS_FETCH_H

#include <signal.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"

typedef struct ms_fetch_opts {
	long seconds;               /* > 0: the request asks for seconds=N */
	double timeout;             /* whole request, seconds; 0: 60 + seconds */
	const char *const *headers; /* "Name: value", besides $MEMSCOPE_HTTP_HEADER */
	size_t nheaders;
	const char *save_dir;       /* NULL: ms_fetch_default_dir; "": not saved */
	const char *cacert;         /* https: trust these CAs (PEM) instead of the system's */
	int gc;                     /* ask for gc=1 (a heap profile of the heap now) */
	const volatile sig_atomic_t *cancel; /* optional, see ms_http_opts */
} ms_fetch_opts;

/* The URL to request: url with /debug/pprof/heap when it has no path, and
 * seconds=N / gc=1 added to its query as o asks (ms_xmalloc'd). NULL with
 * err when --seconds and the URL's own seconds= are both given. */
char *ms_fetch_url(const char *url, const ms_fetch_opts *o, ms_err *err);

/* Fetches url's body (as ms_fetch_url makes it) into body. On error, err
 * is "URL: cause" with the URL's credentials removed (headers never appear). */
int ms_fetch(const char *url, const ms_fetch_opts *o, ms_buf *body, ms_err *err);

/* Where fetched profiles go when no --save is given: $MEMSCOPE_SAVE_DIR,
 * else $XDG_CACHE_HOME/memscope, else $HOME/.cache/memscope; then one
 * folder per host, "HOST_PORT" (ms_xmalloc'd; NULL when there is no
 * HOME). */
char *ms_fetch_default_dir(const char *url);

/* Saves data (a fetched body) in dir (created if missing) as
 * "KIND.YYYYMMDD-HHMMSS[.N].EXT", KIND the endpoint's last path element and
 * EXT pb.gz, pb or trace from the content; written to a temp file and
 * renamed (never a partial file). The path is returned in *saved. */
int ms_fetch_save(const char *url, const char *dir, const void *data, size_t n, char **saved, ms_err *err);

/* Creates dir and its missing parents (mode 0777 less the umask). */
int ms_mkdir_p(const char *dir, ms_err *err);

#endif
