/* varint.h — ULEB128 integers as Go writes them (encoding/binary's
 * Uvarint): 7 bits a byte, low first, at most 10 bytes, the tenth at most 1.
 * One decoder for the Go execution trace readers, the Go heap-dump reader
 * and the runtime-trace reader; each maps the failures to its own message.
 * (pprof_read.c keeps its own: protobuf's varints, shaped for its hot loop.) */
#ifndef MS_VARINT_H
#define MS_VARINT_H

#include <stdint.h>

enum {
	MS_UVARINT_SHORT = 0,     /* the data ends inside the varint */
	MS_UVARINT_OVERFLOW = -1, /* a tenth byte over 1: more than 64 bits */
	MS_UVARINT_LONG = -2,     /* more than 10 bytes */
};

/* Decodes the varint at p (end: one past the data) into *v; returns the
 * bytes it took (> 0) or one of the MS_UVARINT_ failures. */
static inline int ms_uvarint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	if (p < end && *p < 0x80) { /* the common one-byte case */
		*v = *p;
		return 1;
	}
	uint64_t x = 0;
	for (int i = 0; i < 10; i++) {
		if (p + i >= end)
			return MS_UVARINT_SHORT;
		uint8_t b = p[i];
		if (i == 9 && b > 1)
			return MS_UVARINT_OVERFLOW;
		x |= (uint64_t)(b & 0x7f) << (7 * i);
		if (b < 0x80) {
			*v = x;
			return i + 1;
		}
	}
	return MS_UVARINT_LONG;
}

#endif
