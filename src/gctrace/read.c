/* read.c — reading a gctrace log from a file or stdin: small inputs
 * through read-only mappings fed to one log; files over PARALLEL_MIN cut
 * into line-aligned chunks parsed on several threads into logs appended in
 * file order; a memscope runtime trace or a Go execution trace (known by
 * its header) goes to its own reader. */
#include "config.h"
#include "gctrace/gctrace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gctrace/log_internal.h"
#include "profile/gotrace.h"
#include "profile/trace.h"
#include "util/io.h"

#define READ_BUF (1u << 20)
#define MAP_MIN (1u << 20)
#define MAP_STEP ((size_t)8 << 20)
#define PARALLEL_MIN ((size_t)32 << 20) /* read files this large on several threads */

/* Feeds bytes [start, end) of fd to log through 8 MiB read-only mappings
 * (MAP_POPULATE sets the page table up in one go instead of a fault per
 * page; a line across two windows is joined by the feed's pending-line
 * logic), falling back to pread if a mapping fails. Returns 0 or -1. */
static int feed_range(int fd, const char *path, ms_gctrace_log *log, size_t start, size_t end, ms_err *err)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t off = start;
	while (off < end) {
		size_t base = off - off % page;
		size_t k = end - base < MAP_STEP ? end - base : MAP_STEP;
		char *map = mmap(NULL, k, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)base);
		if (map == MAP_FAILED)
			break;
		ms_gctrace_log_feed(log, map + (off - base), k - (off - base));
		munmap(map, k);
		off = base + k;
	}
	if (off >= end)
		return 0;
	char *buf = ms_xmalloc(READ_BUF);
	int rc = 0;
	while (off < end) {
		size_t want = end - off < READ_BUF ? end - off : READ_BUF;
		ssize_t got = pread(fd, buf, want, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = ms_seterr(err, "%s: read error: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		ms_gctrace_log_feed(log, buf, (size_t)got);
		off += (size_t)got;
	}
	free(buf);
	return rc;
}

/* ---- parallel reading of a large file ------------------------------------------
 *
 * The file is cut into chunks of about CHUNK bytes, each ending just after a
 * line break (so no line is split), and workers (this thread and up to
 * MAX_WORKERS − 1 more) take the chunks in file order, each parsing its
 * chunk into a chunk log of its own. Chunk logs are appended to the result
 * strictly in file order by whichever worker finishes the chunk that is
 * next: parsing is per line, so the result equals one pass over the file.
 * Appending copies a chunk's records while they are still in cache (or,
 * for an analysing result, feeds them to its analysis and keeps nothing),
 * and the emptied chunk log is reused, so the only fresh memory is the
 * result's. Workers pull chunks rather than take halves, so a worker slowed
 * by other processes on a shared machine just takes fewer; the others wait
 * rather than run more than MAX_AHEAD chunks ahead of it, which bounds the
 * chunk logs held. */
#define CHUNK ((size_t)4 << 20)
#define MAX_WORKERS 4
#define MAX_AHEAD 8 /* chunks taken past the next one to append, at most */

typedef struct chunked {
	int fd;
	const char *path;
	size_t n;            /* file size */
	size_t *bound;       /* chunk c is [bound[c], bound[c + 1]) */
	size_t nchunks;
	int keep_foreign;
	pthread_mutex_t mu;  /* guards everything below */
	pthread_cond_t turn; /* next_append moved, or a worker failed */
	size_t next_chunk;   /* the next chunk to parse */
	size_t next_append;  /* the next chunk to append to out */
	ms_gctrace_log **done; /* parsed chunks waiting for their turn */
	ms_gctrace_log **spare; /* emptied chunk logs for reuse */
	size_t nspare;
	ms_gctrace_log *out;
	int failed;
	ms_err err;          /* the first read error */
} chunked;

/* Chunk boundaries: just after the first line break at or after each
 * multiple of CHUNK (a boundary that would fall inside the previous chunk's
 * last line moves on with it). Reads every byte at most once, so a file
 * without line breaks costs one scan. Returns the number of chunks. */
static size_t chunk_bounds(int fd, size_t n, size_t *bound, size_t max)
{
	char buf[65536];
	size_t k = 0;
	bound[k++] = 0;
	size_t off = CHUNK;
	while (off < n && k < max) {
		ssize_t got = pread(fd, buf, sizeof buf < n - off ? sizeof buf : n - off, (off_t)off);
		if (got <= 0)
			break;
		const char *nl = memchr(buf, '\n', (size_t)got);
		if (!nl) {
			off += (size_t)got;
			continue;
		}
		size_t b = off + (size_t)(nl - buf) + 1;
		if (b >= n)
			break;
		bound[k++] = b;
		off = k * CHUNK > b ? k * CHUNK : b;
	}
	bound[k] = n;
	return k;
}

static void *chunk_worker(void *arg)
{
	chunked *w = arg;
	ms_gctrace_log *mine = NULL;
	pthread_mutex_lock(&w->mu);
	while (!w->failed && w->next_chunk < w->nchunks) {
		if (w->next_chunk - w->next_append >= MAX_AHEAD) {
			pthread_cond_wait(&w->turn, &w->mu);
			continue;
		}
		size_t c = w->next_chunk++;
		if (!mine)
			mine = w->nspare ? w->spare[--w->nspare] : NULL;
		pthread_mutex_unlock(&w->mu);

		if (!mine) {
			mine = ms_gctrace_log_new(w->path);
			mine->keep_foreign = w->keep_foreign;
		}
		ms_err err;
		int rc = feed_range(w->fd, w->path, mine, w->bound[c], w->bound[c + 1], &err);
		if (c + 1 == w->nchunks)
			ms_gctrace_log_finish(mine); /* a last line without a newline */
		else
			ms_gctrace_held_flush(mine); /* not stitched across chunks */

		pthread_mutex_lock(&w->mu);
		if (rc < 0) {
			if (!w->failed)
				w->err = err;
			w->failed = 1;
			pthread_cond_broadcast(&w->turn);
			break;
		}
		w->done[c] = mine;
		mine = NULL;
		while (!w->failed && w->next_append < w->nchunks && w->done[w->next_append]) {
			ms_gctrace_log *b = w->done[w->next_append];
			w->done[w->next_append++] = NULL;
			ms_gctrace_log_append(w->out, b);
			ms_gctrace_log_reset(b);
			w->spare[w->nspare++] = b;
			pthread_cond_broadcast(&w->turn);
		}
	}
	pthread_mutex_unlock(&w->mu);
	ms_gctrace_log_free(mine);
	return NULL;
}

/* Reads the regular file fd (n bytes) into out with the chunk workers.
 * Returns 1, or -1 on a read error (err set). */
static int read_chunked(int fd, const char *path, size_t n, int workers, ms_gctrace_log *out, ms_err *err)
{
	chunked w;
	memset(&w, 0, sizeof w);
	size_t max = n / CHUNK + 1;
	w.fd = fd;
	w.path = path;
	w.n = n;
	w.bound = ms_xcalloc(max + 1, sizeof *w.bound);
	w.nchunks = chunk_bounds(fd, n, w.bound, max);
	w.keep_foreign = out->keep_foreign;
	w.done = ms_xcalloc(w.nchunks, sizeof *w.done);
	w.spare = ms_xcalloc(w.nchunks, sizeof *w.spare);
	w.out = out;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.turn, NULL);
	pthread_t th[MAX_WORKERS];
	int started = 0;
	while (started < workers - 1 && pthread_create(&th[started], NULL, chunk_worker, &w) == 0)
		started++;
	chunk_worker(&w);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.turn);
	for (size_t i = 0; i < w.nchunks; i++)
		ms_gctrace_log_free(w.done[i]);
	for (size_t i = 0; i < w.nspare; i++)
		ms_gctrace_log_free(w.spare[i]);
	free(w.done);
	free(w.spare);
	free(w.bound);
	if (w.failed) {
		*err = w.err;
		return -1;
	}
	return 1;
}

/* Large plain files are mapped and parsed in place; files over
 * PARALLEL_MIN are parsed in chunks on several threads (read_chunked).
 * Anything else — stdin, gzip, small or special files, and every open
 * error, so messages stay the same — goes through ms_reader. Returns 1
 * when the file was read this way, 0 to fall back, -1 on a read error. */
static int read_mapped(const char *path, ms_gctrace_log *log, ms_err *err)
{
	if (strcmp(path, "-") == 0)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO: no hang here */
	if (fd < 0)
		return 0;
	struct stat st;
	unsigned char magic[8];
	int done = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)MAP_MIN &&
	    (uint64_t)st.st_size < SIZE_MAX / 2 && pread(fd, magic, 8, 0) == 8 && !ms_is_gzip(magic, 2) &&
	    !ms_trace_sniff(magic, 8) && memcmp(magic, "go 1.", 5) != 0) {
		size_t n = (size_t)st.st_size;
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		int workers = cpus > MAX_WORKERS ? MAX_WORKERS : cpus < 1 ? 1 : (int)cpus;
		if (n >= PARALLEL_MIN && workers > 1)
			done = read_chunked(fd, path, n, workers, log, err);
		else
			done = feed_range(fd, path, log, 0, n, err) < 0 ? -1 : 1;
	}
	close(fd);
	return done;
}

/* Reads path into log (freed on an I/O error: NULL). */
static ms_gctrace_log *read_into(ms_gctrace_log *log, const char *path, ms_err *err)
{
	int mapped = read_mapped(path, log, err);
	if (mapped < 0) {
		ms_gctrace_log_free(log);
		return NULL;
	}
	if (mapped) {
		ms_gctrace_log_finish(log);
		return log;
	}
	ms_reader *r = ms_reader_open(path, err);
	if (!r) {
		ms_gctrace_log_free(log);
		return NULL;
	}
	/* the first bytes tell a runtime trace (read whole) from text (fed
	 * chunk by chunk) */
	enum { UNKNOWN, TEXT, TRACE, GOTRACE } kind = UNKNOWN;
	ms_buf head = { 0 };
	char *buf = ms_xmalloc(READ_BUF);
	for (;;) {
		long got = ms_reader_read(r, buf, READ_BUF, err);
		if (got < 0) {
			free(buf);
			ms_buf_free(&head);
			ms_reader_close(r);
			ms_gctrace_log_free(log);
			return NULL;
		}
		if (got == 0)
			break;
		if (kind == TEXT) {
			ms_gctrace_log_feed(log, buf, (size_t)got);
			continue;
		}
		ms_buf_add(&head, buf, (size_t)got);
		if (kind == UNKNOWN && head.len >= 8) {
			kind = ms_trace_sniff((const uint8_t *)head.data, head.len) ? TRACE
			       : memcmp(head.data, "go 1.", 5) == 0			 ? GOTRACE /* checked whole below */
											 : TEXT;
			if (kind == TEXT) {
				ms_gctrace_log_feed(log, head.data, head.len);
				ms_buf_free(&head);
			}
		}
	}
	free(buf);
	ms_reader_close(r);
	if (kind == TRACE || (kind == GOTRACE && ms_gotrace_sniff((const uint8_t *)head.data, head.len, NULL))) {
		/* a runtime trace keeps its cycles (few; its extras are computed
		 * from them) even when the caller drops them, and hands them to
		 * the sink once read (or a Go execution trace: gotrace_gc.c) */
		log->drop_cycles = 0;
		int rc = kind == TRACE ? ms_gctrace_load_trace(log, (const uint8_t *)head.data, head.len, err)
				       : ms_gctrace_load_gotrace(log, (const uint8_t *)head.data, head.len, err);
		ms_buf_free(&head);
		if (rc < 0) {
			ms_gctrace_log_free(log);
			return NULL;
		}
		if (log->on_cycle && log->ncycles)
			log->on_cycle(log->on_cycle_arg, log->cycles, log->ncycles);
		return log;
	}
	if (head.len) /* text shorter than the magic */
		ms_gctrace_log_feed(log, head.data, head.len);
	ms_buf_free(&head);
	ms_gctrace_log_finish(log);
	return log;
}

ms_gctrace_log *ms_gctrace_read(const char *path, const ms_gctrace_read_opts *o, ms_err *err)
{
	ms_gctrace_log *log = ms_gctrace_log_new(path);
	if (o) {
		log->keep_foreign = o->keep_foreign;
		ms_gctrace_log_sink(log, o->on_cycle, o->arg, o->drop_cycles);
	}
	return read_into(log, path, err);
}
