/* gcworkload.c — a steady workload for the pacer experiments
 * (tools/experiments/gogc.sh): a live set of LIVE_MB in 256-byte linked
 * nodes (scanned), then TOTAL_MB of allocation of 16–2048-byte objects,
 * each kept for a while in a ring of 4096 slots (through ms_store), the
 * ring entry replaced at random so lifetimes vary.
 *
 *   cc -O2 gcworkload.c -lmsrt;  MSRT_GOGC=50 MSRT_GCTRACE=t.txt ./a.out 32 2048
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <msrt.h>

typedef struct node {
	struct node *next;
	uint64_t pad[31];
} node;

static void **ring;

int main(int argc, char **argv)
{
	long live_mb = argc > 1 ? atol(argv[1]) : 32, total_mb = argc > 2 ? atol(argv[2]) : 2048;
	ms_init();
	node *head = NULL;
	for (long i = 0; i < live_mb * 4096; i++) {
		node *n = ms_alloc(sizeof *n, MS_SCAN);
		ms_store((void **)&n->next, head);
		head = n;
	}
	ring = ms_alloc(4096 * sizeof(void *), MS_SCAN);
	uint64_t rng = 88172645463325252ull, done = 0, total = (uint64_t)total_mb << 20;
	while (done < total) {
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		size_t n = 16 + rng % 2032;
		void *p = ms_alloc(n, (rng >> 20) % 4 ? MS_NOSCAN : MS_SCAN);
		ms_store(&ring[(rng >> 32) % 4096], p);
		done += n;
	}
	long count = 0;
	for (node *n = head; n; n = n->next)
		count++;
	printf("live nodes %ld\n", count);
	return count != live_mb * 4096;
}
