/* pprof.h — reading and writing pprof profiles (profile.proto, gzip or raw).
 *
 * The reader decodes the bulky repeated part (samples: location ids and
 * values) straight into the model with a small varint reader, and uses
 * protobuf-c (with an arena allocator) for the other messages. Every
 * reference is validated: a profile with a dangling id, an out-of-range
 * string index or a sample with the wrong number of values is rejected with
 * a message naming the byte offset. The writer emits what go tool pprof
 * reads, gzip-compressed. */
#ifndef MS_PPROF_H
#define MS_PPROF_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/buf.h"

/* Parses an uncompressed serialized Profile. */
ms_profile *ms_pprof_parse(const uint8_t *data, size_t n, ms_err *err);
/* Parses a buffer that may be gzip-compressed. */
ms_profile *ms_pprof_parse_any(const uint8_t *data, size_t n, ms_err *err);
/* True when the (decompressed) bytes look like a pprof Profile. */
int ms_pprof_sniff(const uint8_t *data, size_t n);
/* The same on the first bytes of a longer input (a field cut by their end
 * is not held against it). */
int ms_pprof_sniff_prefix(const uint8_t *data, size_t n);

/* Serializes p (uncompressed) into out. */
int ms_pprof_encode(const ms_profile *p, ms_buf *out, ms_err *err);
/* Writes p to path atomically: gzipped (level 1, as Go writes profiles) or,
 * with raw_pb, the bare protobuf (a .pb file). */
int ms_pprof_write_file(const ms_profile *p, const char *path, int raw_pb, ms_err *err);

#endif
