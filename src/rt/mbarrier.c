/* mbarrier.c — the write barrier, ms_store(slot, ptr): every store of a
 * pointer into a GC object goes through it.
 *
 * Go's hybrid barrier (Yuasa deletion + Dijkstra insertion):
 *     shade(*slot); if the current stack is grey: shade(ptr); *slot = ptr
 * Here stacks, registers and globals are all scanned once, at STW 1, and
 * never again, so no stack is ever grey after that. The deletion half
 * alone keeps everything reachable at STW 1 (the snapshot) from being lost
 * when a pointer is overwritten after its target was loaded into a
 * register or onto a stack. The insertion half is still needed, always:
 * a pointer stored into the heap may come from somewhere no root scan
 * covered — a thread attached after STW 1, memory from malloc that is not
 * a registered root, a global written after the globals were scanned — and
 * shading it at the store is the only time the collector sees it. So
 * while marking the barrier shades both the old and the new value.
 * Objects allocated while marking are black (mgc.c), so a store into a
 * fresh object needs no more than that either.
 *
 * The barrier runs in the thread's crit section: the phase cannot change
 * between reading it and storing, and STW 2 never finds a half-done
 * barrier (its shading sits in the thread's gcw, which STW 2 collects).
 */
#include "config.h"

#include "rt/mgc_internal.h"

void ms_store(void **slot, void *ptr)
{
	msrt_gcthread *t = msrt_tls_gct;
	if (msrt_unlikely(!t)) {
		if (ms_init() < 0 || !(t = mgc_attach(1))) {
			__atomic_store_n(slot, ptr, __ATOMIC_RELAXED);
			return;
		}
	}
	mgc_crit_enter(t);
	if (msrt_unlikely(atomic_load_explicit(&mgc.phase, memory_order_relaxed) != MGC_OFF)) {
		void *old = __atomic_load_n(slot, __ATOMIC_RELAXED);
		if (old)
			mgc_shade((uintptr_t)old, &t->gcw);
		if (ptr)
			mgc_shade((uintptr_t)ptr, &t->gcw);
	}
	__atomic_store_n(slot, ptr, __ATOMIC_RELAXED);
	mgc_crit_exit(t);
	mgc_poll_flush(t);
}
