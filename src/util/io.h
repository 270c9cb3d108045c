/* io.h — reading inputs (files, "-" for stdin, gzip transparently) and
 * writing outputs atomically (temp file + rename, so a failed command never
 * leaves a partial output file behind). */
#ifndef MS_IO_H
#define MS_IO_H

#include <stdio.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"

/* A streaming reader: decompresses gzip input (detected by its magic bytes,
 * concatenated members allowed) and passes anything else through. */
typedef struct ms_reader ms_reader;

ms_reader *ms_reader_open(const char *path, ms_err *err);
/* Opens path for reading without ever blocking in open() (a FIFO nobody
 * writes to reads as empty); a directory is refused, and so is anything but
 * a regular file when regular_only. Returns the fd, or -1 with err set. */
int ms_open_input(const char *path, int regular_only, ms_err *err);
/* Caps the decompressed bytes a gzip input may produce: a read past it fails
 * naming MEMSCOPE_MAX_INFLATE. 0 = no cap (the default of a new reader). */
void ms_reader_set_limit(ms_reader *r, unsigned long long limit);
/* The cap for whole-input reads: MEMSCOPE_MAX_INFLATE (bytes, K/M/G/T
 * suffixes, 0 = none) or MS_INFLATE_LIMIT_DEFAULT. A gzip bomb (1 GB of
 * zeros in 4.7 MB) is refused by format detection on its first 64 KiB;
 * the cap bounds one whose content looks valid. */
#define MS_INFLATE_LIMIT_DEFAULT (4ULL << 30)
unsigned long long ms_inflate_limit(void);
/* Reads until out holds n bytes: 0 when it does, 1 at end of input
 * first, -1 on error. */
int ms_read_prefix(ms_reader *r, ms_buf *out, size_t n, ms_err *err);
/* Appends the rest of the input to out; 0 or -1. */
int ms_read_rest(ms_reader *r, ms_buf *out, ms_err *err);
/* Reads up to n bytes; returns the count, 0 at end of input, -1 on error
 * (err says where: "truncated gzip data at byte N", a read error, ...). */
long ms_reader_read(ms_reader *r, void *dst, size_t n, ms_err *err);
/* Bytes consumed from the underlying file so far (compressed offset). */
unsigned long long ms_reader_offset(const ms_reader *r);
int ms_reader_is_gzip(const ms_reader *r);
void ms_reader_close(ms_reader *r);

/* Reads a whole input into out (decompressed). Errors name the path. */
int ms_read_all(const char *path, ms_buf *out, ms_err *err);

/* True when the first bytes are a gzip header. */
int ms_is_gzip(const void *p, size_t n);

/* Inflates a gzip (or zlib) buffer in memory. */
int ms_gunzip(const void *src, size_t n, ms_buf *out, ms_err *err);
/* Deflates src as a gzip stream (level 1..9, 0 = default) into out. */
int ms_gzip(const void *src, size_t n, int level, ms_buf *out, ms_err *err);

/* An output file written atomically (see io.c: no partial file even on
 * kill -9; mode of the replaced file, else 0666 less the umask). path "-"
 * means stdout. */
typedef struct ms_outfile {
	FILE *fp;
	char *path;
	char *tmp; /* a named temp file's path, else NULL */
	int fd;
	int kind;
} ms_outfile;

int ms_outfile_open(ms_outfile *of, const char *path, ms_err *err);
/* Flushes and renames the temp file into place; on failure removes it. */
int ms_outfile_commit(ms_outfile *of, ms_err *err);
/* Removes the temp file (output abandoned). Safe to call twice. */
void ms_outfile_abort(ms_outfile *of);
/* After a write to of->fp failed: abandons the output and sets err to
 * "cannot write 'PATH': <strerror(errno)>"; returns -1. */
int ms_outfile_fail(ms_outfile *of, ms_err *err);
/* Convenience: writes data as the whole content of path, atomically. */
int ms_write_file(const char *path, const void *data, size_t n, ms_err *err);

/* 0 when prog (a path, or a name searched in PATH as execvp does) is a
 * regular file we may execute; -1 with errno (ENOENT, EACCES) if not. */
int ms_can_exec(const char *prog);

#endif
