/* mstw.c — attached threads and stopping the world.
 *
 * Mechanism: signals with a handshake (Boehm GC's pthread_stop_world.c),
 * plus deferral at the collector's critical sections (Go's "safe points"):
 *
 *   stop   the collector thread takes mgc_threads_lock, sets stw_active,
 *          sends SIGPWR to every attached thread and waits on a semaphore
 *          for one acknowledgement per thread.
 *   handler  if the thread is inside a crit section (allocating, running
 *          the write barrier, scanning one object), it only sets `pending`
 *          and returns; mgc_crit_exit() notices and suspends there.
 *          Otherwise it suspends at once: records its stack pointer (the
 *          handler's frame sits below the signal frame, whose ucontext holds
 *          every register of the interrupted code, so scanning from there
 *          up to the stack top covers stack and registers), posts the
 *          semaphore and sigsuspend()s with everything blocked but SIGXCPU
 *          until stw_active is cleared.
 *   start  clear stw_active, send SIGXCPU to every stopped thread and
 *          return (like Go's startTheWorld, which readies the Ps without
 *          waiting for them to run). Each thread acknowledges again on its
 *          way out of the handler; the next stop first collects those
 *          acknowledgements, so the semaphore never mixes the two kinds
 *          and no thread is still inside the previous handler when the
 *          next SIGPWR is counted.
 *
 * SIGXCPU is blocked from the test of stw_active to sigsuspend (sa_mask
 * in the handler, pthread_sigmask on the deferred path), so a restart
 * that arrives before sigsuspend stays pending and sigsuspend returns at
 * once: no lost wake-up. Both handlers use SA_RESTART. A crit section never
 * blocks on a lock that a suspended thread could hold (see the lock notes
 * in mgc_internal.h), so every thread reaches a stop in bounded time.
 * Programs that use SIGPWR or SIGXCPU themselves conflict with the
 * collector, as they do with Boehm GC.
 *
 * Stack bounds: the main thread's top is glibc's __libc_stack_end rounded
 * up to its mapping; other threads' come from pthread_getattr_np.
 */
#include "config.h"

#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt/mgc_internal.h"

#define SIG_SUSPEND SIGPWR
#define SIG_RESTART SIGXCPU

__thread msrt_gcthread *msrt_tls_gct __attribute__((tls_model("initial-exec")));
pthread_mutex_t mgc_threads_lock = PTHREAD_MUTEX_INITIALIZER;
msrt_gcthread mgc_threads = { .next = &mgc_threads, .prev = &mgc_threads };

static sem_t ack_sem;
static volatile sig_atomic_t stw_active;
static int restart_acks_due; /* mgc_threads_lock */
static int nstopped;         /* threads stopped by the current stop */
static msrt_fixalloc thread_alloc = { .size = sizeof(msrt_gcthread) };
static pthread_key_t detach_key;
extern void *__libc_stack_end;

void mgc_suspend_self(msrt_gcthread *t)
{
	/* SIGXCPU must stay blocked from the stw_active test to sigsuspend, or
	 * a restart arriving in between is lost. Inside the handler sa_mask
	 * already blocks it; on the deferred path (mgc_crit_exit) it does not,
	 * so block it here in both cases. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIG_RESTART);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ucontext_t uc; /* callee-saved registers of this frame land here */
	getcontext(&uc);
	t->stopped_sp = (uintptr_t)&uc;
	__atomic_store_n(&t->suspended, 1, __ATOMIC_RELEASE);
	sem_post(&ack_sem);
	sigset_t mask;
	sigfillset(&mask);
	sigdelset(&mask, SIG_RESTART);
	while (stw_active)
		sigsuspend(&mask);
	__atomic_store_n(&t->suspended, 0, __ATOMIC_RELEASE);
	sem_post(&ack_sem);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void suspend_handler(int sig)
{
	(void)sig;
	int saved = errno;
	msrt_gcthread *t = msrt_tls_gct;
	if (t && stw_active) {
		if (t->in_crit)
			t->pending = 1;
		else
			mgc_suspend_self(t);
	}
	errno = saved;
}

static void restart_handler(int sig)
{
	(void)sig;
}

static void detach_destructor(void *arg)
{
	if (arg)
		mgc_detach();
}

int mgc_stw_init(void)
{
	if (sem_init(&ack_sem, 0, 0) < 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = suspend_handler;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask); /* nothing interrupts the handshake, SIGXCPU stays pending */
	sigdelset(&sa.sa_mask, SIGSEGV);
	sigdelset(&sa.sa_mask, SIGBUS);
	if (sigaction(SIG_SUSPEND, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = restart_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIG_RESTART, &sa, NULL) < 0)
		return -1;
	if (pthread_key_create(&detach_key, detach_destructor) != 0)
		return -1;
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
	stack_bounds(&t->stack_lo, &t->stack_hi);
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

void mgc_stop_world(void)
{
	pthread_mutex_lock(&mgc_threads_lock);
	while (restart_acks_due > 0) {
		if (sem_wait(&ack_sem) == 0)
			restart_acks_due--;
	}
	stw_active = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	msrt_gcthread *self = msrt_tls_gct;
	int n = 0;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next) {
		if (t == self)
			continue;
		if (pthread_kill(t->thread, SIG_SUSPEND) == 0)
			n++;
	}
	nstopped = n;
	while (n > 0) {
		if (sem_wait(&ack_sem) == 0)
			n--;
	}
}

void mgc_start_world(void)
{
	/* Every stopped thread posts exactly one more acknowledgement on its
	 * way out of mgc_suspend_self — also one that saw stw_active clear
	 * before it reached sigsuspend and never needed the signal. So the
	 * count is the number stopped, not the number still flagged
	 * `suspended` (counting those let a fast thread's early post stand in
	 * for a missing suspension at the next stop). */
	stw_active = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	msrt_gcthread *self = msrt_tls_gct;
	for (msrt_gcthread *t = mgc_threads.next; t != &mgc_threads; t = t->next)
		if (t != self)
			pthread_kill(t->thread, SIG_RESTART);
	restart_acks_due = nstopped;
	pthread_mutex_unlock(&mgc_threads_lock);
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
