/* mbackground.c — the runtime's one background thread: scavenging, profile
 * snapshots, heap dumps and trace flushing. All file writes happen here
 * (or in ms_write_* called by the program itself), never in a signal
 * handler and never on the allocation path.
 *
 * Wake-ups come through a semaphore: the snapshot signal's handler and the
 * "N more bytes allocated" check post it (async-signal-safe); the
 * thread otherwise wakes once a second (scavenger tick) or when the
 * snapshot interval in seconds elapses.
 *
 * Snapshots are DIR/heap.PROG.PID.SEQ.pb.gz (the names: msrt_outnames.h),
 * SEQ counting from 1 in each process; the one written at exit is the last
 * and comes with a heap dump heapdump.PROG.PID.SEQ.json (every snapshot
 * does with MSRT_HEAP_DUMP=1).
 *
 * The thread is started only when there is work for it, never at load
 * time (except for a snapshot interval in seconds, which needs a clock):
 * the first time a span is given back to the page heap (something to
 * scavenge), a byte interval is crossed, the snapshot signal arrived, or
 * a trace buffer filled up. Programs may insist on being single-threaded
 * when they start: chromium's zygote CHECKs it (a crash by SIGTRAP, and
 * the browser aborts with "GPU process isn't usable" or "Did not receive
 * ping from zygote child"), and unshare(CLONE_NEWUSER) fails with EINVAL
 * in a multi-threaded process. Once the program has a second thread of
 * its own, ours is started too. So the snapshot signal to a program that
 * is still single-threaded is served at its next sampled allocation (or
 * at exit). Without a thread, the exit snapshot and the
 * trace's last flush are written by the exiting thread itself (at_exit).
 * A forked child starts its own thread lazily by the same rules.
 */
#define _GNU_SOURCE 1 /* program_invocation_short_name */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

static pthread_mutex_t bg_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_done_cond = PTHREAD_COND_INITIALIZER;
static int bg_running;
static sem_t wake_sem; /* sem_post is async-signal-safe, and needs no fd the program could close or reuse */
static _Atomic int wake_ready;
static _Atomic int snapshot_wanted;
static _Atomic int exit_wanted;
static int exit_done;
static _Atomic uint64_t bytes_since;
static unsigned seq;
static int self_pid; /* this process, as its last fork (or load) saw it */

static void wake(void)
{
	if (atomic_load_explicit(&wake_ready, memory_order_acquire))
		sem_post(&wake_sem);
}

void msrt_bg_wakeup(void) { wake(); }

void ms_request_snapshot(void)
{
	atomic_store(&snapshot_wanted, 1);
	msrt_bg_ensure();
	wake();
}

/* Called for each sampled allocation (outside the profiler's locks): the
 * place where a lazily started thread is started when work is waiting. */
void msrt_bg_note_alloc_bytes(uint64_t bytes)
{
	if (!__atomic_load_n(&bg_running, __ATOMIC_ACQUIRE) &&
		(atomic_load(&snapshot_wanted) || (msrt_trace_on && msrt_trace_queued())))
		msrt_bg_ensure();
	if (!msrt_opts.interval_bytes || !msrt_opts.profile_dir)
		return;
	uint64_t v = atomic_fetch_add(&bytes_since, bytes) + bytes;
	if (v >= msrt_opts.interval_bytes) {
		atomic_store(&bytes_since, 0);
		atomic_store(&snapshot_wanted, 1);
		msrt_bg_ensure();
		wake();
	}
}

void msrt_prog_name(char *out)
{
	msrt_out_prog(out, program_invocation_short_name);
}

int msrt_out_path(char *buf, size_t n, msrt_out_kind kind, unsigned s)
{
	char prog[MSRT_OUT_PROG_MAX + 1];
	msrt_prog_name(prog);
	return msrt_out_name(buf, n, msrt_opts.profile_dir ? msrt_opts.profile_dir : ".", kind, prog, (int)getpid(), s);
}

static void write_snapshot(int final)
{
	if (!msrt_opts.profile_dir)
		return;
	char path[4200];
	seq++;
	msrt_out_path(path, sizeof path, MSRT_OUT_HEAP, seq);
	if (msrt_write_profile(path) < 0)
		msrt_warn("cannot write '%s': %s", path, strerror(errno));
	else if (msrt_opts.verbose)
		msrt_warn("wrote %s", path);
	if (msrt_opts.heap_dump || final) {
		msrt_out_path(path, sizeof path, MSRT_OUT_HEAPDUMP, seq);
		if (msrt_write_dump(path) < 0)
			msrt_warn("cannot write '%s': %s", path, strerror(errno));
	}
}

static void *bg_main(void *arg)
{
	(void)arg;
	msrt_tls_inprof = 1; /* the runtime's own allocations are not sampled */
	uint64_t last_snap = msrt_nanotime();
	uint64_t last_stats = 0;
	for (;;) {
		int timeout = 1000;
		if (msrt_opts.interval_seconds > 0 && msrt_opts.profile_dir) {
			uint64_t due = last_snap + (uint64_t)(msrt_opts.interval_seconds * 1e9);
			uint64_t now = msrt_nanotime();
			int ms = due > now ? (int)((due - now) / 1000000) + 1 : 0;
			if (ms < timeout)
				timeout = ms;
		}
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += timeout / 1000;
		until.tv_nsec += (long)(timeout % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (sem_clockwait(&wake_sem, CLOCK_MONOTONIC, &until) == 0)
			while (sem_trywait(&wake_sem) == 0)
				;
		uint64_t now = msrt_nanotime();
		if (msrt_opts.interval_seconds > 0 && now - last_snap >= (uint64_t)(msrt_opts.interval_seconds * 1e9))
			atomic_store(&snapshot_wanted, 1);
		if (atomic_exchange(&snapshot_wanted, 0)) {
			write_snapshot(0);
			last_snap = msrt_nanotime();
		}
		if (msrt_trace_on) {
			if (now - last_stats >= 1000000000ull) {
				msrt_trace_stats();
				last_stats = now;
			}
			msrt_trace_flush(0);
		}
		if (msrt_opts.scavenge) {
			uint32_t delay = (uint32_t)(msrt_opts.scavenge_delay + 0.999);
			msrt_scavenge(delay, 0);
		}
		if (atomic_load(&exit_wanted)) {
			write_snapshot(1);
			if (msrt_trace_on) {
				msrt_trace_stats();
				msrt_trace_flush(1);
			}
			pthread_mutex_lock(&bg_lock);
			exit_done = 1;
			bg_running = 0;
			pthread_cond_broadcast(&bg_done_cond);
			pthread_mutex_unlock(&bg_lock);
			return NULL;
		}
	}
}

void msrt_bg_ensure(void)
{
	if (__atomic_load_n(&bg_running, __ATOMIC_ACQUIRE) || msrt_tls_inprof || !msrt_inited)
		return;
	if (!msrt_opts.scavenge && !msrt_opts.profile_dir && !msrt_trace_on)
		return;
	pthread_mutex_lock(&bg_lock);
	if (bg_running || exit_done) {
		pthread_mutex_unlock(&bg_lock);
		return;
	}
	if (!atomic_load(&wake_ready)) {
		sem_init(&wake_sem, 0, 0);
		atomic_store_explicit(&wake_ready, 1, memory_order_release);
	}
	bg_running = 1;
	pthread_mutex_unlock(&bg_lock);
	/* pthread_create allocates (stack cache, TLS): guard against sampling
	 * and re-entry, block signals so the new thread never runs the
	 * program's handlers. */
	msrt_tls_inprof = 1;
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&t, &attr, bg_main, NULL);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	msrt_tls_inprof = 0;
	if (rc != 0) {
		pthread_mutex_lock(&bg_lock);
		bg_running = 0;
		pthread_mutex_unlock(&bg_lock);
	}
}

static void on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	atomic_store(&snapshot_wanted, 1);
	wake();
	errno = saved;
}

/* At exit: ask the thread for the final snapshot and wait (bounded); with
 * no thread running, write it here. */
static void at_exit(void)
{
	if (!msrt_opts.profile_dir && !msrt_trace_on)
		return;
	pthread_mutex_lock(&bg_lock);
	int inline_write = !bg_running && !exit_done;
	if (inline_write)
		exit_done = 1; /* no thread from now on */
	pthread_mutex_unlock(&bg_lock);
	if (inline_write) {
		int saved = msrt_tls_inprof;
		msrt_tls_inprof = 1; /* the runtime's own allocations are not sampled */
		write_snapshot(1);
		if (msrt_trace_on) {
			msrt_trace_stats();
			msrt_trace_flush(1);
		}
		msrt_tls_inprof = saved;
		return;
	}
	atomic_store(&exit_wanted, 1);
	wake();
	pthread_mutex_lock(&bg_lock);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	while (bg_running && !exit_done)
		if (pthread_cond_timedwait(&bg_done_cond, &bg_lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&bg_lock);
}

void msrt_bg_start_at_init(void)
{
	self_pid = (int)getpid();
	if (msrt_opts.trace_path)
		msrt_trace_open();
	if (!msrt_opts.profile_dir && !msrt_trace_on)
		return;
	atexit(at_exit);
	if (msrt_opts.profile_dir && msrt_opts.profile_signal) {
		struct sigaction old;
		if (sigaction(msrt_opts.profile_signal, NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
			struct sigaction sa;
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = on_signal;
			sa.sa_flags = SA_RESTART;
			sigemptyset(&sa.sa_mask);
			sigaction(msrt_opts.profile_signal, &sa, NULL);
		}
	}
	if (msrt_opts.interval_seconds > 0 && msrt_opts.profile_dir)
		msrt_bg_ensure(); /* the one case that needs a clock from the start */
}

/* _exit and _Exit (malloc.c interposes them): the exit snapshot of a
 * process that skips atexit handlers — python's os._exit in
 * multiprocessing workers, forked servers' children, chromium's zygote
 * children. Only in a process whose fork this runtime saw (self_pid): a
 * vfork child or a raw clone() child shares or copied the parent's state
 * without the atfork handlers, and must do nothing. The leak check
 * (MSRT_LEAK_CHECK) runs here too. */
void msrt_bg_quick_exit(void)
{
	if (!msrt_inited || msrt_tls_inprof || (int)getpid() != self_pid)
		return;
	if (msrt_opts.profile_dir || msrt_trace_on)
		at_exit();
	msrt_leak_check_quick_exit(); /* after the snapshot, as the atexit order has it */
}

void msrt_bg_atfork_child(void)
{
	self_pid = (int)getpid();
	/* the semaphore may have been mid-operation in another thread */
	if (atomic_load(&wake_ready))
		sem_init(&wake_sem, 0, 0);
	pthread_mutex_init(&bg_lock, NULL);
	pthread_cond_init(&bg_done_cond, NULL);
	bg_running = 0;
	exit_done = 0;
	atomic_store(&exit_wanted, 0);
	seq = 0;
}

/* Load-time start (constructor): init, then the thread if configured. */
__attribute__((constructor)) static void msrt_ctor(void)
{
	msrt_ensure_init();
	msrt_leak_check_at_init(); /* registered first: runs after the final snapshot */
	msrt_bg_start_at_init();
}
