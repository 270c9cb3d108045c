/* mstw.c — attached threads and stopping the world.
 *
 * Mechanism: safepoints at the collector's critical sections, a signal
 * for threads that are not in one, and the stop's work done by whichever
 * participant arrives last — so no stop waits for a thread to be woken
 * up and scheduled after the world is stopped.
 *
 * A crit section (allocation, the write barrier, a batch of marking of
 * at most 8 objects or 4 KiB, see mgc_internal.h) is where a thread
 * touches collector state. Entering and
 * leaving one tests mgc_stw_req; when it is set, the thread goes to a
 * safepoint instead (mgc_safepoint): it saves its registers with
 * getcontext in that frame, publishes the frame's address as the bottom
 * of its stack to scan, marks itself arrived at this stop
 * (CAS t->stop_id: old id → current id) and waits until the stop is done.
 *
 *   stop    the requester (the collector's driver thread, never an
 *           attached one) takes mgc_threads_lock, sets stw_left = number
 *           of threads, stw_id += 1 and mgc_stw_req = 1, issues
 *           membarrier(PRIVATE_EXPEDITED), gives the threads 20 µs to
 *           arrive by themselves, then sends SIGPWR to every thread that
 *           is neither arrived nor in a crit section, and waits for the
 *           release.
 *   handler if the thread is in a crit section it returns (the thread
 *           arrives when it leaves the section); otherwise it arrives
 *           right there, with the interrupted code's general registers
 *           (from the signal's ucontext) as its registers and the
 *           interrupted stack pointer, less the 128-byte red zone, as the
 *           bottom of its stack (x86-64). The signal frame itself is not
 *           scanned: its saved vector registers hold stale words (memset,
 *           memcpy, struct copies) that kept dead objects alive.
 *   work    each arrival decrements stw_left. The one that takes it to
 *           zero — the last mutator to arrive, in its safepoint or its
 *           signal handler; the requester only when no thread is attached
 *           or the last one turned out to be gone — runs the stop's work
 *           (mgc.c: roots and barrier on for STW 1, flush and the phase
 *           flip for STW 2) and then releases the world: mgc_stw_req = 0,
 *           stw_done = id, FUTEX_WAKE if anybody sleeps on stw_done.
 *           Stopped threads spin briefly, then FUTEX_WAIT; the requester
 *           goes straight to FUTEX_WAIT.
 *
 * With one attached thread (the common case) the thread stops itself at
 * its next allocation or barrier — or in the handler — does the work and
 * goes on: no wake-up of another thread lies inside the pause. The pause
 * is measured from the first mutator's arrival (or from the start of the
 * work if none arrived first) to the release; the time from the request
 * to the first arrival is time-to-safepoint (the mutators were running, or
 * the OS had them descheduled) and is recorded separately (mgc_stw_times).
 *
 * What is left inside a pause is the work (tens of µs for STW 1, a few for
 * STW 2) — and any preemption of the thread doing it, which on a loaded
 * machine stops the world for another process's whole time slice (ms).
 * The window has no system call (the signal mask is changed before the
 * arrival and after the release), so only a timer tick or a wake-up can
 * preempt it; and a thread that arrives alone, with nobody waiting for it,
 * calls sched_yield() first, so the work starts on a fresh slice rather
 * than at the end of one (measured: 1 stop in 4,300 over 0.2 ms without,
 * none in 4,200 with, GCBench on 2 loaded cores).
 *
 * Why no signal for a thread in a crit section, and why membarrier: the
 * requester stores mgc_stw_req and then reads each t->in_crit; a thread
 * stores in_crit and then reads mgc_stw_req (Dekker). membarrier() puts a
 * full memory barrier on every running thread of the process between the
 * two, so the mutator's side needs only compiler barriers: if the
 * requester sees in_crit == 1, that thread's later test at the end of the
 * section sees the request; if it sees 0, the thread gets the signal.
 * Safety never depends on this (the world is stopped only when every
 * thread has arrived by itself); liveness does, so without membarrier
 * (old kernels, seccomp) every thread not yet arrived is signalled, and
 * the requester re-signals the stragglers every 2 ms in any case (a
 * pthread_kill that finds the thread gone counts it as arrived).
 *
 * The work is O(threads) for STW 2 and O(threads + stack and global
 * bytes) for STW 1 (why the globals cannot wait for the concurrent mark:
 * mgcmark.c); sweeping is finished before STW 1 and grey objects are
 * drained before STW 2 (a ragged flush), never inside a stop.
 *
 * Locks: the requester holds mgc_threads_lock (and the driver
 * mgc.cycle_lock) for the whole stop. The work takes no lock that a
 * stopped thread could hold: a thread arrives only outside crit sections,
 * possibly inside the runtime's malloc or refill holding the heap lock or
 * gc.lock, so the work never takes those (see mgc_internal.h). Signals
 * are blocked while a thread is at a safepoint (sa_mask in the handler,
 * pthread_sigmask on the crit path), so no program signal handler runs on
 * a thread that is doing the stop's work. Programs that use SIGPWR
 * themselves conflict with the collector, as they do with Boehm GC; an
 * attached thread that keeps SIGPWR blocked and does not allocate holds
 * every stop up until it does.
 *
 * Stack bounds: the main thread's top is glibc's __libc_stack_end;
 * other threads' come from pthread_getattr_np, which on glibc reports the
 * whole block glibc allocated for the thread — its static TLS and thread
 * descriptor sit at the block's top, so the stack scan (from the stopped
 * stack pointer to that top) covers the thread's __thread variables.
 *
 * Static TLS outside the scanned stack: the main thread's __thread
 * variables live in memory the dynamic linker allocated at start-up,
 * nowhere near its stack. Each thread computes its block at attach
 * (msrt_static_tls_bounds, mtls.c) and keeps it only when it is not
 * inside its stack bounds; mgcmark.c scans it with the stack. Dynamic TLS
 * (of libraries loaded with dlopen) comes from malloc and is no root.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt/mgc_internal.h"

#define SIG_SUSPEND SIGPWR
#define RESIGNAL_NS 2000000 /* re-signal threads not arrived after this long */
#define SPIN_NS 20000       /* before the first signals */


__thread msrt_gcthread *msrt_tls_gct __attribute__((tls_model("initial-exec")));
pthread_mutex_t mgc_threads_lock = PTHREAD_MUTEX_INITIALIZER;
msrt_gcthread mgc_threads = { .next = &mgc_threads, .prev = &mgc_threads };
_Atomic int mgc_stw_req;

static _Atomic uint32_t stw_id;    /* the current (or last) stop */
static _Atomic uint32_t stw_done;  /* futex word: the last stop released */
static _Atomic int stw_waiters;    /* threads sleeping on stw_done */
static _Atomic int stw_left;       /* arrivals still expected */
static _Atomic uint64_t stw_first_ns;
static mgc_stw_fn stw_fn;
static void *stw_arg;
static mgc_stw_times stw_times;    /* filled by the thread that does the work */
int mgc_use_membarrier;           /* tests may clear it: signals only */
static msrt_fixalloc thread_alloc = { .size = sizeof(msrt_gcthread) };
static pthread_key_t detach_key;
extern void *__libc_stack_end;

static long futex(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, (uint32_t *)addr, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

/* Waits until stop id is released, spinning first `spin` times (a stopped
 * thread: STW 2's work takes microseconds; but a spinning thread that
 * shares a CPU with the one doing the work delays it, so not for long).
 * timeout_ns 0: no limit; returns 0 when released, -1 on timeout. */
static int wait_done(uint32_t id, int spin, uint64_t timeout_ns)
{
	for (int i = 0; i < spin; i++) {
		if (atomic_load(&stw_done) == id)
			return 0;
		msrt_cpu_relax();
	}
	uint64_t t0 = timeout_ns ? msrt_nanotime() : 0;
	atomic_fetch_add(&stw_waiters, 1);
	int rc = 0;
	for (;;) {
		uint32_t d = atomic_load(&stw_done);
		if (d == id)
			break;
		struct timespec ts, *tsp = NULL;
		if (timeout_ns) {
			uint64_t spent = msrt_nanotime() - t0;
			if (spent >= timeout_ns) {
				rc = -1;
				break;
			}
			ts.tv_sec = (time_t)((timeout_ns - spent) / 1000000000u);
			ts.tv_nsec = (long)((timeout_ns - spent) % 1000000000u);
			tsp = &ts;
		}
		futex(&stw_done, FUTEX_WAIT, d, tsp);
	}
	atomic_fetch_sub(&stw_waiters, 1);
	return rc;
}

/* The last arrival: the stop's work, then the release. */
static void perform(int by_mutator)
{
	uint64_t t0 = msrt_nanotime();
	stw_fn(stw_arg);
	uint64_t t1 = msrt_nanotime();
	uint64_t first = atomic_load(&stw_first_ns);
	stw_times.first_ns = first;
	stw_times.act_ns = t0;
	stw_times.end_ns = t1;
	stw_times.by_mutator = by_mutator;
	atomic_store(&mgc_stw_req, 0);
	atomic_store(&stw_done, atomic_load(&stw_id));
	if (atomic_load(&stw_waiters))
		futex(&stw_done, FUTEX_WAKE, INT_MAX, NULL);
}

static void arrive(int by_mutator)
{
	if (by_mutator) {
		uint64_t zero = 0;
		atomic_compare_exchange_strong(&stw_first_ns, &zero, msrt_nanotime());
	}
	if (atomic_fetch_sub(&stw_left, 1) == 1)
		perform(by_mutator);
}

/* t->in_crit == 0 and a stop may be requested: arrive (once per stop) and
 * wait for its end. The registers saved in uc and every frame above this
 * one are scanned as t's stack while it waits here; uc lives to the end
 * of the function, so its slot is not reused before the scan. */
static __attribute__((noinline)) void safepoint(msrt_gcthread *t, const ucontext_t *interrupted)
{
	ucontext_t uc;
	while (atomic_load(&mgc_stw_req)) {
		uint32_t id = atomic_load(&stw_id);
		uint32_t prev = atomic_load(&t->stop_id);
		if (prev != id) {
			/* alone, and about to do the work: start it on a
			 * fresh time slice (see the header) */
			if (atomic_load(&stw_left) == 1 && !atomic_load(&stw_first_ns))
				sched_yield();
			getcontext(&uc);
			const ucontext_t *regs = interrupted ? interrupted : &uc;
			_Static_assert(sizeof regs->uc_mcontext.gregs <= sizeof t->stopped_regs, "stopped_regs too small");
			memcpy(t->stopped_regs, regs->uc_mcontext.gregs, sizeof regs->uc_mcontext.gregs);
			t->nstopped_regs = sizeof regs->uc_mcontext.gregs / sizeof(uintptr_t);
			t->stopped_sp = (uintptr_t)&uc;
#if defined(__x86_64__)
			if (interrupted)
				t->stopped_sp = (uintptr_t)interrupted->uc_mcontext.gregs[REG_RSP] - 128;
#endif
			if (atomic_compare_exchange_strong(&t->stop_id, &prev, id))
				arrive(1);
		}
		wait_done(id, 256, 0);
	}
}

void mgc_safepoint(msrt_gcthread *t)
{
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	safepoint(t, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void mgc_crit_enter_slow(msrt_gcthread *t)
{
	do {
		t->in_crit = 0;
		atomic_signal_fence(memory_order_seq_cst);
		mgc_safepoint(t);
		t->in_crit = 1;
		atomic_signal_fence(memory_order_seq_cst);
	} while (atomic_load(&mgc_stw_req));
}

static void suspend_handler(int sig, siginfo_t *info, void *ctx)
{
	(void)sig;
	(void)info;
	int saved = errno;
	msrt_gcthread *t = msrt_tls_gct;
	if (t && !t->in_crit && atomic_load(&mgc_stw_req) && atomic_load(&t->stop_id) != atomic_load(&stw_id))
		safepoint(t, ctx); /* sa_mask blocks the other signals */
	errno = saved;
}

static void detach_destructor(void *arg)
{
	if (arg)
		mgc_detach();
}

int mgc_stw_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = suspend_handler;
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	sigdelset(&sa.sa_mask, SIGSEGV);
	sigdelset(&sa.sa_mask, SIGBUS);
	sigdelset(&sa.sa_mask, SIGFPE);
	sigdelset(&sa.sa_mask, SIGILL);
	if (sigaction(SIG_SUSPEND, &sa, NULL) < 0)
		return -1;
	if (pthread_key_create(&detach_key, detach_destructor) != 0)
		return -1;
	mgc_use_membarrier = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
	return 0;
}

static void stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	*lo = 0;
	*hi = 0;
	if ((pid_t)syscall(SYS_gettid) == getpid()) {
		/* main thread: __libc_stack_end is just below argv/envp; the
		 * strings above it hold no GC pointers */
		*hi = (uintptr_t)__libc_stack_end;
		*lo = here - ((uintptr_t)8 << 20);
		return;
	}
	pthread_attr_t attr;
	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		void *addr;
		size_t size;
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			*lo = (uintptr_t)addr;
			*hi = (uintptr_t)addr + size;
		}
		pthread_attr_destroy(&attr);
	}
	if (*hi <= here) { /* unknown: a generous guess upward from here */
		*lo = here - ((uintptr_t)1 << 20);
		*hi = here + 4096;
	}
}

msrt_gcthread *mgc_attach(int automatic)
{
	msrt_gcthread *t = msrt_tls_gct;
	if (t)
		return t;
	pthread_mutex_lock(&mgc_threads_lock);
	pthread_mutex_lock(&msrt_heap.lock);
	t = msrt_fix_alloc(&thread_alloc);
	pthread_mutex_unlock(&msrt_heap.lock);
	if (!t) {
		pthread_mutex_unlock(&mgc_threads_lock);
		return NULL;
	}
	memset(t, 0, sizeof *t);
	t->thread = pthread_self();
	t->tid = (uint32_t)syscall(SYS_gettid);
	t->auto_attached = automatic;
	atomic_store(&t->stop_id, atomic_load(&stw_id)); /* no stop runs: the lock is held */
	stack_bounds(&t->stack_lo, &t->stack_hi);
	msrt_static_tls_bounds(&t->tls_lo, &t->tls_hi);
	if (t->tls_lo >= t->stack_lo && t->tls_hi <= t->stack_hi)
		t->tls_lo = t->tls_hi = 0; /* scanned with the stack */
	t->next = mgc_threads.next;
	t->prev = &mgc_threads;
	mgc_threads.next->prev = t;
	mgc_threads.next = t;
	msrt_tls_gct = t;
	pthread_mutex_unlock(&mgc_threads_lock);
	pthread_setspecific(detach_key, t);
	return t;
}

void mgc_detach(void)
{
	msrt_gcthread *t = msrt_tls_gct;
	if (!t)
		return;
	/* give back the cached spans and the grey objects first */
	mgc_release_cache(t);
	mgc_crit_enter(t);
	mgc_gcw_flush(&t->gcw);
	mgc_crit_exit(t);
	pthread_mutex_lock(&mgc_threads_lock);
	/* the counters of this cycle go to the collector with the thread */
	__atomic_fetch_add(&mgc.assist_ns_cycle, t->assist_ns, __ATOMIC_RELAXED);
	__atomic_fetch_add(&mgc.assist_wait_ns_cycle, t->assist_wait_ns, __ATOMIC_RELAXED);
	t->prev->next = t->next;
	t->next->prev = t->prev;
	msrt_tls_gct = NULL;
	pthread_mutex_unlock(&mgc_threads_lock);
	pthread_setspecific(detach_key, NULL);
	/* black bytes and marked bytes of the cycle are lost to the stats of
	 * this one cycle (the objects themselves are marked) */
	pthread_mutex_lock(&msrt_heap.lock);
	msrt_fix_free(&thread_alloc, t);
	pthread_mutex_unlock(&msrt_heap.lock);
}

/* Signals the threads that have not arrived (all = 0: only those outside
 * a crit section); a thread that no longer exists counts as arrived. */
static int signal_stragglers(uint32_t id, int all)
{
	int n = 0;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next) {
		uint32_t prev = atomic_load(&t->stop_id);
		if (prev == id || (!all && t->in_crit))
			continue;
		if (pthread_kill(t->thread, SIG_SUSPEND) == 0)
			n++;
		else if (atomic_compare_exchange_strong(&t->stop_id, &prev, id))
			arrive(0);
	}
	return n;
}

void mgc_stw(mgc_stw_fn fn, void *arg, mgc_stw_times *tm)
{
	pthread_mutex_lock(&mgc_threads_lock);
	int n = 0;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next)
		n++;
	uint32_t id = atomic_load(&stw_id) + 1;
	stw_fn = fn;
	stw_arg = arg;
	memset(&stw_times, 0, sizeof stw_times);
	atomic_store(&stw_first_ns, 0);
	atomic_store(&stw_left, n ? n : 1);
	uint64_t t_req = msrt_nanotime();
	atomic_store(&stw_id, id);
	atomic_store(&mgc_stw_req, 1);
	if (mgc_use_membarrier && syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
		mgc_use_membarrier = 0;
	int nsig = 0;
	if (n) {
		/* threads busy allocating or storing stop by themselves within
		 * microseconds: the signal (and the EINTR it may cause in a
		 * system call) only goes to the others */
		uint64_t t0 = msrt_nanotime();
		while (atomic_load(&stw_left) > 0 && msrt_nanotime() - t0 < SPIN_NS)
			msrt_cpu_relax();
		nsig = signal_stragglers(id, !mgc_use_membarrier);
	} else {
		arrive(0); /* nobody to stop: the requester does the work */
	}
	while (wait_done(id, 0, RESIGNAL_NS) < 0) /* the requester's wake-up is in no pause */
		nsig += signal_stragglers(id, 1);
	if (tm) {
		*tm = stw_times;
		tm->req_ns = t_req;
		tm->nthreads = n;
		tm->nsignalled = nsig;
	}
	pthread_mutex_unlock(&mgc_threads_lock);
}

uint64_t mgc_stw_pause_ns(const mgc_stw_times *tm)
{
	uint64_t from = tm->first_ns && tm->first_ns < tm->act_ns ? tm->first_ns : tm->act_ns;
	return tm->end_ns > from ? tm->end_ns - from : 0;
}

/* ---- public API ------------------------------------------------------------- */
int ms_thread_attach(void)
{
	msrt_ensure_init();
	return mgc_attach(0) ? 0 : -1;
}

void ms_thread_detach(void)
{
	mgc_detach();
}
