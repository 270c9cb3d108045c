/* msize.c — size classes: the generated table (sizeclasses.h) plus the
 * per-class transfer batch, and the aligned-class lookup used by
 * memalign & co.
 *
 * Batch (objects moved between an mcache and mcentral at once):
 *   batch = clamp(64 KiB / size, 2, 128)
 * so a refill moves at most ~64 KiB and small classes amortise the central
 * lock over up to 128 objects (tcmalloc's num_objects_to_move, rescaled).
 * A thread's list of a class holds at most 2·batch objects.
 */
#include "config.h"

#include "rt/msrt_internal.h"

uint16_t msrt_class_batch[MSRT_NUM_CLASSES];

void msrt_size_init(void)
{
	for (unsigned c = 1; c < MSRT_NUM_CLASSES; c++) {
		uint32_t b = 65536 / msrt_class_to_size[c];
		if (b < 2)
			b = 2;
		if (b > 128)
			b = 128;
		msrt_class_batch[c] = (uint16_t)b;
	}
}

unsigned msrt_size_class_aligned(size_t n, size_t align)
{
	if (n > MSRT_MAX_SMALL_SIZE)
		return 0;
	for (unsigned c = msrt_size_class(n); c < MSRT_NUM_CLASSES; c++)
		if (msrt_class_to_size[c] % align == 0)
			return c;
	return 0;
}
