/* io.c — input reading with transparent gzip, atomic output files. */
#include "config.h"
#include "util/io.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define READ_CHUNK (256 * 1024)

struct ms_reader {
	int fd;
	int own_fd;
	const char *name;
	int gzip;       /* 1 when the input is gzip */
	int eof;        /* underlying file exhausted */
	int stream_end; /* current gzip member finished */
	z_stream zs;
	unsigned char *in;
	size_t in_len, in_pos;
	unsigned long long offset;
	unsigned long long produced; /* decompressed bytes handed out */
	unsigned long long limit;    /* cap on produced for gzip input, 0 = none */
};

int ms_is_gzip(const void *p, size_t n)
{
	const unsigned char *b = p;
	return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

static long raw_read(ms_reader *r, void *dst, size_t n, ms_err *err)
{
	for (;;) {
		ssize_t got = read(r->fd, dst, n);
		if (got >= 0) {
			r->offset += (unsigned long long)got;
			return (long)got;
		}
		if (errno != EINTR)
			return ms_seterr(err, "%s: read error: %s", r->name, strerror(errno));
	}
}

/* Makes sure r->in holds unread bytes; returns 0 at end of file. */
static long fill_input(ms_reader *r, ms_err *err)
{
	if (r->in_pos < r->in_len)
		return (long)(r->in_len - r->in_pos);
	if (r->eof)
		return 0;
	long got = raw_read(r, r->in, READ_CHUNK, err);
	if (got < 0)
		return -1;
	if (got == 0)
		r->eof = 1;
	r->in_len = (size_t)got;
	r->in_pos = 0;
	return got;
}

int ms_open_input(const char *path, int regular_only, ms_err *err)
{
	/* O_NONBLOCK: opening a FIFO that no one writes to must not hang (it
	 * then reads as empty); cleared again once the file type is known */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return ms_seterr(err, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		ms_seterr(err, "cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode) || (regular_only && !S_ISREG(st.st_mode))) {
		ms_seterr(err, "cannot read '%s': %s", path, regular_only ? "not a regular file" : "is a directory");
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

ms_reader *ms_reader_open(const char *path, ms_err *err)
{
	ms_reader *r = ms_xcalloc(1, sizeof *r);
	r->name = path;
	if (strcmp(path, "-") == 0) {
		r->fd = 0;
		r->name = "<stdin>";
	} else {
		r->fd = ms_open_input(path, 0, err);
		if (r->fd < 0) {
			free(r);
			return NULL;
		}
		r->own_fd = 1;
	}
	r->in = ms_xmalloc(READ_CHUNK);
	if (fill_input(r, err) < 0) {
		ms_reader_close(r);
		return NULL;
	}
	if (ms_is_gzip(r->in, r->in_len)) {
		r->gzip = 1;
		if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK) {
			ms_seterr(err, "%s: cannot initialise zlib", r->name);
			r->gzip = 0;
			ms_reader_close(r);
			return NULL;
		}
	}
	return r;
}

static long gz_read(ms_reader *r, void *dst, size_t n, ms_err *err)
{
	size_t produced = 0;
	while (produced == 0) {
		if (r->stream_end) {
			/* Another gzip member may follow (concatenated .gz files). */
			long avail = fill_input(r, err);
			if (avail < 0)
				return -1;
			if (avail == 0)
				return 0;
			if (!ms_is_gzip(r->in + r->in_pos, (size_t)avail) && avail >= 2)
				return ms_seterr(err, "%s: trailing garbage after gzip data at byte %llu", r->name,
					r->offset - (unsigned long long)avail);
			inflateReset(&r->zs);
			r->stream_end = 0;
		}
		long avail = fill_input(r, err);
		if (avail < 0)
			return -1;
		if (avail == 0)
			return ms_seterr(err, "%s: truncated gzip data at byte %llu", r->name, r->offset);
		r->zs.next_in = r->in + r->in_pos;
		r->zs.avail_in = (uInt)avail;
		r->zs.next_out = (unsigned char *)dst + produced;
		r->zs.avail_out = (uInt)(n - produced > 0x40000000 ? 0x40000000 : n - produced);
		uInt before_out = r->zs.avail_out;
		int zr = inflate(&r->zs, Z_NO_FLUSH);
		r->in_pos = r->in_len - r->zs.avail_in;
		produced += before_out - r->zs.avail_out;
		if (zr == Z_STREAM_END) {
			r->stream_end = 1;
			if (produced)
				break;
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			return ms_seterr(err, "%s: corrupt gzip data near byte %llu: %s", r->name,
				r->offset - (r->in_len - r->in_pos), r->zs.msg ? r->zs.msg : "inflate failed");
	}
	return (long)produced;
}

void ms_reader_set_limit(ms_reader *r, unsigned long long limit) { r->limit = limit; }

long ms_reader_read(ms_reader *r, void *dst, size_t n, ms_err *err)
{
	if (n == 0)
		return 0;
	if (r->gzip) {
		long got = gz_read(r, dst, n, err);
		if (got > 0 && r->limit && (r->produced += (unsigned long long)got) > r->limit)
			return ms_seterr(err, "%s: decompresses to more than %llu %s (a gzip bomb?); "
				"MEMSCOPE_MAX_INFLATE=SIZE raises the cap", r->name,
				r->limit >= (1ULL << 20) ? r->limit >> 20 : r->limit, r->limit >= (1ULL << 20) ? "MiB" : "bytes");
		return got;
	}
	if (r->in_pos < r->in_len) {
		size_t k = r->in_len - r->in_pos;
		if (k > n)
			k = n;
		memcpy(dst, r->in + r->in_pos, k);
		r->in_pos += k;
		return (long)k;
	}
	if (r->eof)
		return 0;
	return raw_read(r, dst, n, err);
}

unsigned long long ms_reader_offset(const ms_reader *r)
{
	return r->offset - (r->in_len - r->in_pos);
}

int ms_reader_is_gzip(const ms_reader *r) { return r->gzip; }

void ms_reader_close(ms_reader *r)
{
	if (!r)
		return;
	if (r->gzip)
		inflateEnd(&r->zs);
	if (r->own_fd)
		close(r->fd);
	free(r->in);
	free(r);
}

unsigned long long ms_inflate_limit(void)
{
	const char *s = getenv("MEMSCOPE_MAX_INFLATE");
	unsigned long long v = MS_INFLATE_LIMIT_DEFAULT;
	if (s && *s) {
		char *end;
		errno = 0;
		unsigned long long x = strtoull(s, &end, 10);
		unsigned shift = *end == 'k' || *end == 'K' ? 10 : *end == 'm' || *end == 'M' ? 20
			       : *end == 'g' || *end == 'G' ? 30 : *end == 't' || *end == 'T' ? 40 : 0;
		if (shift)
			end++;
		if (*end == 'i' && shift)
			end++;
		if ((*end == 'b' || *end == 'B') && shift)
			end++;
		if (errno == 0 && *end == '\0' && x <= (~0ULL >> shift))
			v = x << shift; /* 0 = no cap */
	}
	return v;
}

int ms_read_prefix(ms_reader *r, ms_buf *out, size_t n, ms_err *err)
{
	while (out->len < n) {
		ms_buf_grow(out, n - out->len);
		long got = ms_reader_read(r, out->data + out->len, n - out->len, err);
		if (got < 0)
			return -1;
		if (got == 0)
			return 1;
		out->len += (size_t)got;
		out->data[out->len] = '\0';
	}
	return 0;
}

int ms_read_rest(ms_reader *r, ms_buf *out, ms_err *err)
{
	for (;;) {
		ms_buf_grow(out, READ_CHUNK);
		size_t room = out->cap - out->len - 1;
		long got = ms_reader_read(r, out->data + out->len, room, err);
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		out->len += (size_t)got;
		out->data[out->len] = '\0';
	}
}

int ms_read_all(const char *path, ms_buf *out, ms_err *err)
{
	ms_reader *r = ms_reader_open(path, err);
	if (!r)
		return -1;
	ms_reader_set_limit(r, ms_inflate_limit());
	ms_buf_reset(out);
	int rc = ms_read_rest(r, out, err);
	ms_reader_close(r);
	return rc;
}

int ms_gunzip(const void *src, size_t n, ms_buf *out, ms_err *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 32 + MAX_WBITS) != Z_OK)
		return ms_seterr(err, "cannot initialise zlib");
	zs.next_in = (unsigned char *)src;
	zs.avail_in = (uInt)n;
	int zr;
	do {
		ms_buf_grow(out, n * 3 + 4096);
		zs.next_out = (unsigned char *)out->data + out->len;
		zs.avail_out = (uInt)(out->cap - out->len - 1);
		uInt before = zs.avail_out;
		zr = inflate(&zs, Z_NO_FLUSH);
		out->len += before - zs.avail_out;
		out->data[out->len] = '\0';
		if (zr != Z_OK && zr != Z_STREAM_END) {
			inflateEnd(&zs);
			return ms_seterr(err, "corrupt gzip data at byte %lu", (unsigned long)(n - zs.avail_in));
		}
		if (zr == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
			inflateEnd(&zs);
			return ms_seterr(err, "truncated gzip data at byte %zu", n);
		}
	} while (zr != Z_STREAM_END);
	inflateEnd(&zs);
	return 0;
}

int ms_gzip(const void *src, size_t n, int level, ms_buf *out, ms_err *err)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, level ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
			Z_DEFAULT_STRATEGY) != Z_OK)
		return ms_seterr(err, "cannot initialise zlib");
	uLong bound = deflateBound(&zs, (uLong)n) + 32;
	ms_buf_grow(out, bound);
	zs.next_in = (unsigned char *)src;
	zs.avail_in = (uInt)n;
	zs.next_out = (unsigned char *)out->data + out->len;
	zs.avail_out = (uInt)bound;
	int zr = deflate(&zs, Z_FINISH);
	if (zr != Z_STREAM_END) {
		deflateEnd(&zs);
		return ms_seterr(err, "gzip compression failed");
	}
	out->len += bound - zs.avail_out;
	out->data[out->len] = '\0';
	deflateEnd(&zs);
	return 0;
}

/* ---- output files -----------------------------------------------------------
 *
 * An output is written to an unnamed file (O_TMPFILE) in the destination's
 * directory; only ms_outfile_commit gives it a name ("OUT.tmp.PID.N", by
 * linkat through /proc/self/fd) and renames it over OUT. So a command that
 * fails, or is stopped at any point by SIGINT, SIGTERM or even kill -9,
 * leaves no partial file and the old OUT intact, without a signal handler.
 * Where the file system has no O_TMPFILE, the data goes to a named temp file
 * "OUT.tmp.PID.XXXXXX" instead: removed on failure, and left behind only by a
 * killed process; the next run that writes OUT removes those whose process
 * is gone (the PID in the name says whose it is). The new file gets the
 * mode of the OUT it replaces, else 0666 less the umask (as any Unix tool).
 * Devices and FIFOs (/dev/null, /dev/stdout, a pipe) are written in place. */

enum { OUT_STDOUT, OUT_DEVICE, OUT_ANON, OUT_NAMED };

/* The directory part of path ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ms_xstrdup(".");
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	char *d = ms_xmalloc(n + 1);
	memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

/* Removes "BASE.tmp.PID.*" files next to path whose process no longer
 * exists (left by a run killed while writing path). */
static void remove_stale_temps(const char *path)
{
	char *dir = dir_of(path);
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			const char *n = e->d_name;
			if (strncmp(n, base, blen) != 0 || strncmp(n + blen, ".tmp.", 5) != 0)
				continue;
			char *end;
			long pid = strtol(n + blen + 5, &end, 10);
			if (end == n + blen + 5 || *end != '.' || pid <= 0 || pid == (long)getpid())
				continue;
			if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
				(void)unlinkat(dirfd(d), n, 0);
		}
		closedir(d);
	}
	free(dir);
}

static void outfile_reset(ms_outfile *of)
{
	free(of->tmp);
	free(of->path);
	of->fp = NULL;
	of->tmp = of->path = NULL;
	of->fd = -1;
}

int ms_outfile_open(ms_outfile *of, const char *path, ms_err *err)
{
	memset(of, 0, sizeof *of);
	of->fd = -1;
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
		of->kind = OUT_STDOUT;
		return 0;
	}
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return ms_seterr(err, "cannot write '%s': %s", path, strerror(EISDIR));
	if (exists && !S_ISREG(st.st_mode)) {
		/* a device or FIFO is written in place: renaming a temp file
		 * over it would replace the device */
		of->fp = fopen(path, "w");
		if (!of->fp)
			return ms_seterr(err, "cannot write '%s': %s", path, strerror(errno));
		of->kind = OUT_DEVICE;
		of->path = ms_xstrdup(path);
		return 0;
	}
	mode_t mode;
	if (exists) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	remove_stale_temps(path);
	of->path = ms_xstrdup(path);
	char *dir = dir_of(path);
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0)
		of->kind = OUT_ANON;
	else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
		ms_seterr(err, "cannot create '%s': %s", path, strerror(errno));
		free(dir);
		outfile_reset(of);
		return -1;
	}
#endif
	free(dir);
	if (fd < 0) {
		size_t n = strlen(path);
		of->tmp = ms_xmalloc(n + 48);
		snprintf(of->tmp, n + 48, "%s.tmp.%ld.XXXXXX", path, (long)getpid());
		fd = mkstemp(of->tmp);
		if (fd < 0) {
			ms_seterr(err, "cannot create '%s': %s", path, strerror(errno));
			outfile_reset(of);
			return -1;
		}
		of->kind = OUT_NAMED;
	}
	(void)fchmod(fd, mode);
	of->fd = fd;
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		ms_seterr(err, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		if (of->tmp)
			unlink(of->tmp);
		outfile_reset(of);
		return -1;
	}
	return 0;
}

/* Gives the unnamed file of an OUT_ANON output the name path, replacing
 * what was there; errno set on failure. */
static int link_anon(ms_outfile *of)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", of->fd);
	size_t n = strlen(of->path);
	char *tmp = ms_xmalloc(n + 48);
	int rc = -1;
	for (unsigned i = 0; i < 100; i++) {
		snprintf(tmp, n + 48, "%s.tmp.%ld.%u", of->path, (long)getpid(), i);
		int linked = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW);
		if (linked != 0 && errno == ENOENT) /* no /proc: needs CAP_DAC_READ_SEARCH */
			linked = linkat(of->fd, "", AT_FDCWD, tmp, AT_EMPTY_PATH);
		if (linked == 0) {
			rc = rename(tmp, of->path);
			if (rc != 0) {
				int e = errno;
				unlink(tmp);
				errno = e;
			}
			break;
		}
		if (errno != EEXIST)
			break;
	}
	free(tmp);
	return rc;
}

int ms_outfile_commit(ms_outfile *of, ms_err *err)
{
	if (of->kind == OUT_STDOUT || of->kind == OUT_DEVICE) {
		errno = 0;
		int bad = of->fp && (fflush(of->fp) != 0 || ferror(of->fp));
		int e = errno ? errno : EIO;
		if (of->kind == OUT_DEVICE && of->fp && fclose(of->fp) != 0 && !bad)
			bad = 1, e = errno;
		if (bad)
			ms_seterr(err, "cannot write '%s': %s", of->path ? of->path : "standard output", strerror(e));
		outfile_reset(of);
		return bad ? -1 : 0;
	}
	errno = 0;
	int bad = fflush(of->fp) != 0 || ferror(of->fp);
	int e = errno ? errno : EIO;
	if (!bad && of->kind == OUT_ANON && link_anon(of) != 0)
		bad = 1, e = errno;
	if (fclose(of->fp) != 0 && !bad)
		bad = 1, e = errno;
	of->fp = NULL;
	if (!bad && of->kind == OUT_NAMED && rename(of->tmp, of->path) != 0)
		bad = 1, e = errno;
	if (bad) {
		if (of->kind == OUT_NAMED)
			unlink(of->tmp);
		ms_seterr(err, "cannot write '%s': %s", of->path, strerror(e));
	}
	outfile_reset(of);
	return bad ? -1 : 0;
}

int ms_outfile_fail(ms_outfile *of, ms_err *err)
{
	int e = errno ? errno : EIO;
	char *path = ms_xstrdup(of->path ? of->path : "standard output");
	ms_outfile_abort(of);
	ms_seterr(err, "cannot write '%s': %s", path, strerror(e));
	free(path);
	return -1;
}

void ms_outfile_abort(ms_outfile *of)
{
	if (of->kind != OUT_STDOUT && of->fp)
		fclose(of->fp);
	if (of->kind == OUT_NAMED && of->tmp)
		unlink(of->tmp);
	outfile_reset(of);
}

int ms_write_file(const char *path, const void *data, size_t n, ms_err *err)
{
	ms_outfile of;
	if (ms_outfile_open(&of, path, err) < 0)
		return -1;
	if (n && fwrite(data, 1, n, of.fp) != n)
		return ms_outfile_fail(&of, err);
	return ms_outfile_commit(&of, err);
}

/* ---- programs ----------------------------------------------------------------- */

/* One candidate path: a regular file we may execute. */
static int exec_ok(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EACCES;
		return -1;
	}
	return access(path, X_OK);
}

int ms_can_exec(const char *prog)
{
	if (!*prog) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(prog, '/'))
		return exec_ok(prog);
	/* execvp's search: each PATH entry ("" = the current directory) */
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	int e = ENOENT;
	ms_buf b = MS_BUF_INIT;
	for (const char *p = path;; p++) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		ms_buf_reset(&b);
		if (n)
			ms_buf_add(&b, p, n);
		else
			ms_buf_addch(&b, '.');
		ms_buf_addf(&b, "/%s", prog);
		if (exec_ok(b.data) == 0) {
			ms_buf_free(&b);
			return 0;
		}
		if (errno == EACCES)
			e = EACCES;
		if (!colon)
			break;
		p = colon;
	}
	ms_buf_free(&b);
	errno = e;
	return -1;
}
