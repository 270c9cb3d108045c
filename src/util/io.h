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

/* An output file written atomically. path "-" means stdout. */
typedef struct ms_outfile {
	FILE *fp;
	char *path;
	char *tmp; /* NULL for stdout */
} ms_outfile;

int ms_outfile_open(ms_outfile *of, const char *path, ms_err *err);
/* Flushes and renames the temp file into place; on failure removes it. */
int ms_outfile_commit(ms_outfile *of, ms_err *err);
/* Removes the temp file (output abandoned). Safe to call twice. */
void ms_outfile_abort(ms_outfile *of);
/* Convenience: writes data as the whole content of path, atomically. */
int ms_write_file(const char *path, const void *data, size_t n, ms_err *err);

#endif
