/* io.c — input reading with transparent gzip, atomic output files. */
#include "config.h"
#include "util/io.h"

#include <errno.h>
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

ms_reader *ms_reader_open(const char *path, ms_err *err)
{
	ms_reader *r = ms_xcalloc(1, sizeof *r);
	r->name = path;
	if (strcmp(path, "-") == 0) {
		r->fd = 0;
		r->name = "<stdin>";
	} else {
		struct stat st;
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			ms_seterr(err, "cannot open '%s': %s", path, strerror(errno));
			free(r);
			return NULL;
		}
		r->own_fd = 1;
		if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			ms_seterr(err, "cannot read '%s': is a directory", path);
			close(r->fd);
			free(r);
			return NULL;
		}
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

long ms_reader_read(ms_reader *r, void *dst, size_t n, ms_err *err)
{
	if (n == 0)
		return 0;
	if (r->gzip)
		return gz_read(r, dst, n, err);
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

int ms_read_all(const char *path, ms_buf *out, ms_err *err)
{
	ms_reader *r = ms_reader_open(path, err);
	if (!r)
		return -1;
	ms_buf_reset(out);
	for (;;) {
		ms_buf_grow(out, READ_CHUNK);
		size_t room = out->cap - out->len - 1;
		long got = ms_reader_read(r, out->data + out->len, room, err);
		if (got < 0) {
			ms_reader_close(r);
			return -1;
		}
		if (got == 0)
			break;
		out->len += (size_t)got;
		out->data[out->len] = '\0';
	}
	ms_reader_close(r);
	return 0;
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

int ms_outfile_open(ms_outfile *of, const char *path, ms_err *err)
{
	memset(of, 0, sizeof *of);
	if (strcmp(path, "-") == 0) {
		of->fp = stdout;
		return 0;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* a device or FIFO (/dev/null, /dev/stdout, a pipe) is written in
		 * place: renaming a temp file over it would replace the device */
		of->fp = fopen(path, "w");
		if (!of->fp)
			return ms_seterr(err, "cannot write '%s': %s", path, strerror(errno));
		of->path = ms_xstrdup(path);
		return 0;
	}
	size_t n = strlen(path);
	of->path = ms_xstrdup(path);
	of->tmp = ms_xmalloc(n + 16);
	memcpy(of->tmp, path, n);
	memcpy(of->tmp + n, ".tmp.XXXXXX", 12);
	int fd = mkstemp(of->tmp);
	if (fd < 0) {
		ms_seterr(err, "cannot create '%s': %s", path, strerror(errno));
		free(of->tmp);
		free(of->path);
		of->tmp = of->path = NULL;
		return -1;
	}
	fchmod(fd, 0644);
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		ms_seterr(err, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(of->tmp);
		free(of->tmp);
		free(of->path);
		of->tmp = of->path = NULL;
		return -1;
	}
	return 0;
}

int ms_outfile_commit(ms_outfile *of, ms_err *err)
{
	if (!of->tmp) {
		int bad = of->fp && (fflush(of->fp) != 0 || ferror(of->fp));
		int e = errno;
		if (of->path && of->fp && fclose(of->fp) != 0) /* a device, not stdout */
			bad = 1, e = errno;
		of->fp = NULL;
		if (bad) {
			ms_seterr(err, "write error on '%s': %s", of->path ? of->path : "standard output", strerror(e));
			free(of->path);
			of->path = NULL;
			return -1;
		}
		free(of->path);
		of->path = NULL;
		return 0;
	}
	int bad = ferror(of->fp);
	if (fclose(of->fp) != 0)
		bad = 1;
	of->fp = NULL;
	if (bad || rename(of->tmp, of->path) != 0) {
		int e = errno;
		unlink(of->tmp);
		ms_seterr(err, "cannot write '%s': %s", of->path, strerror(e));
		free(of->tmp);
		free(of->path);
		of->tmp = of->path = NULL;
		return -1;
	}
	free(of->tmp);
	free(of->path);
	of->tmp = of->path = NULL;
	return 0;
}

void ms_outfile_abort(ms_outfile *of)
{
	if (of->tmp) {
		if (of->fp)
			fclose(of->fp);
		unlink(of->tmp);
		free(of->tmp);
		free(of->path);
	} else if (of->path) { /* a device written in place */
		if (of->fp)
			fclose(of->fp);
		free(of->path);
	}
	of->fp = NULL;
	of->tmp = of->path = NULL;
}

int ms_write_file(const char *path, const void *data, size_t n, ms_err *err)
{
	ms_outfile of;
	if (ms_outfile_open(&of, path, err) < 0)
		return -1;
	if (n && fwrite(data, 1, n, of.fp) != n) {
		ms_outfile_abort(&of);
		return ms_seterr(err, "cannot write '%s': %s", path, strerror(errno));
	}
	return ms_outfile_commit(&of, err);
}
