/* trace.h — reading libmsrt's event trace (trace.out) into the model. */
#ifndef MS_TRACE_H
#define MS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"

/* True when the bytes start with the trace magic "MSRTRACE". */
int ms_trace_sniff(const uint8_t *data, size_t n);
/* Parses a whole trace; inuse selects inuse_space as the default type
 * (else alloc_space). */
ms_profile *ms_trace_parse(const uint8_t *data, size_t n, int inuse, ms_err *err);

#endif
