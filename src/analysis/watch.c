/* watch.c — the snapshot series of `memscope watch` (see watch.h). */
#include "config.h"
#include "analysis/watch.h"
#include "profile/runout.h"
#include "symbolize/symbolize.h"
#include "util/buf.h"
#include "util/http.h"
#include "util/io.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 || errno != ENOENT;
}

int ms_watch_init_url(ms_watch *w, const char *url, const ms_fetch_opts *fo, const char *out_dir, ms_err *err)
{
	memset(w, 0, sizeof *w);
	if (fo)
		w->fo = *fo;
	w->fo.gc = 1;
	w->fo.save_dir = ""; /* the series is saved here, under its own names */
	char *req = ms_fetch_url(url, &w->fo, err);
	if (!req)
		return -1;
	free(req);
	w->url = ms_xstrdup(url);
	w->shown = ms_url_redact(url);
	w->out_dir = ms_xstrdup(out_dir);
	w->next_seq = 1;
	return 0;
}

int ms_watch_init_dir(ms_watch *w, const char *dir, ms_err *err)
{
	memset(w, 0, sizeof *w);
	ms_run_dir rd;
	if (ms_run_dir_scan(&rd, dir, err) < 0)
		return -1;
	ms_run_dir_free(&rd);
	w->run_dir = ms_xstrdup(dir);
	w->next_seq = 1;
	return 0;
}

static void push(ms_watch *w, char *name)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->names = ms_xreallocarray(w->names, w->cap, sizeof *w->names);
	}
	w->names[w->n++] = name;
}

/* One snapshot from the URL: fetched, read (so an error page is refused
 * like any non-profile), then written atomically as heap.SEQ.pb.gz. */
static int next_url(ms_watch *w, const ms_load_opts *lo, ms_profile **out, ms_err *err)
{
	ms_buf body = MS_BUF_INIT, name = MS_BUF_INIT;
	int rc = -1;
	if (ms_fetch(w->url, &w->fo, &body, err) < 0)
		goto out;
	ms_load_opts o = { 0 };
	if (lo)
		o = *lo;
	o.fetch = NULL;
	o.fetch_saved = NULL;
	ms_profile *p = ms_profile_load_buffer(w->shown, body.data, body.len, &o, err);
	if (!p)
		goto out;
	/* made with the first snapshot: a server that never answers leaves
	 * no empty folder behind */
	if (ms_mkdir_p(w->out_dir, err) < 0) {
		ms_profile_free(p);
		goto out;
	}
	for (;; w->next_seq++) {
		ms_buf_reset(&name);
		ms_buf_addf(&name, "%s/heap.%04u.%s", w->out_dir, w->next_seq, ms_is_gzip(body.data, body.len) ? "pb.gz" : "pb");
		if (!exists(name.data))
			break;
	}
	if (ms_write_file(name.data, body.data, body.len, err) < 0) {
		ms_profile_free(p);
		goto out;
	}
	w->next_seq++;
	push(w, ms_buf_detach(&name, NULL));
	*out = p;
	rc = 1;
out:
	ms_buf_free(&body);
	ms_buf_free(&name);
	return rc;
}

/* The next snapshot of the run directory's process, when it is there. */
static int next_dir(ms_watch *w, const ms_load_opts *lo, ms_profile **out, ms_err *err)
{
	if (!w->pid) {
		ms_run_dir rd;
		if (ms_run_dir_scan(&rd, w->run_dir, err) < 0)
			return -1;
		const ms_run_proc *best = NULL;
		for (size_t i = 0; i < rd.n; i++)
			if (rd.procs[i].nsnapshots && (!best || rd.procs[i].nsnapshots > best->nsnapshots))
				best = &rd.procs[i];
		if (best) {
			w->pid = best->pid;
			memcpy(w->prog, best->prog, sizeof w->prog);
		}
		ms_run_dir_free(&rd);
		if (!w->pid)
			return 0;
	}
	size_t len = strlen(w->run_dir) + MSRT_OUT_PROG_MAX + 64;
	char *path = ms_xmalloc(len);
	/* whether the process is gone is asked before looking for the file:
	 * a snapshot written just before it exited is still taken */
	int gone = kill(w->pid, 0) < 0 && errno == ESRCH;
	msrt_out_name(path, len, w->run_dir, MSRT_OUT_HEAP, w->prog, w->pid, w->next_seq);
	if (!exists(path)) {
		free(path);
		w->ended = gone;
		return 0;
	}
	ms_load_opts o = { 0 };
	if (lo)
		o = *lo;
	o.fetch = NULL;
	o.fetch_saved = NULL;
	ms_profile *p = ms_profile_load(path, &o, err);
	if (!p) {
		free(path);
		return -1;
	}
	/* unresolved binaries only leave addresses: not an error */
	if (!w->sym)
		w->sym = ms_symbolizer_new(NULL);
	ms_symbolize_result res;
	memset(&res, 0, sizeof res);
	ms_err serr;
	ms_symbolizer_run(w->sym, p, &res, &serr);
	ms_symbolize_result_free(&res);
	w->next_seq++;
	push(w, path);
	*out = p;
	return 1;
}

int ms_watch_next(ms_watch *w, const ms_load_opts *lo, ms_profile **out, ms_err *err)
{
	*out = NULL;
	return w->url ? next_url(w, lo, out, err) : next_dir(w, lo, out, err);
}

void ms_watch_free(ms_watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w->url);
	free(w->shown);
	free(w->out_dir);
	free(w->run_dir);
	if (w->sym)
		ms_symbolizer_free(w->sym);
	memset(w, 0, sizeof *w);
}
