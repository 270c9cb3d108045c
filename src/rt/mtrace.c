/* mtrace.c — the event trace (MSRT_TRACE=FILE, `memscope run --trace`):
 * a compact binary stream of sampled allocation and free events, stacks
 * and heap statistics, read back by src/profile/trace_read.c.
 *
 * Events are appended to the allocating thread's own buffer (64 KiB,
 * behind a per-thread lock nobody else takes except the flusher), never
 * blocking on I/O: a full buffer is queued and a fresh one mapped. The
 * background thread writes queued and current buffers to the file once a
 * second and at exit.
 *
 * Layout, version 1 (all integers unsigned LEB128 varints):
 *   header   "MSRTRACE" version page_size wall_ns mono_ns pid rate
 *            nclasses size[nclasses] npages[nclasses]
 *   records  kind(1 byte) length payload[length]
 *     'B' batch   tid, then events:
 *         1 stack  id depth pc[depth]          (once per stack, leaf first)
 *         2 alloc  t class bytes addr stack_id (t = ns since mono_ns)
 *         3 free   t class bytes addr stack_id
 *     'S' stats   t heap_sys heap_inuse heap_idle heap_released heap_alloc
 *                 heap_objects mallocs frees
 *     'M' mapping start limit offset path_len path build_id_len build_id
 *     'G' GC cycle, 'W' sweep done, 'P' pacer settings (the collector's
 *         records, below)
 *     'E' end     (written last; a trace without it was cut short)
 * class 0 is a large object; bytes are the requested size; pc values are
 * return addresses. Readers skip records of unknown kinds by length, and
 * reject a version they do not know.
 *
 * The collector's records (src/rt/mgcevent.c) were added to version 1 as
 * new kinds, so readers that predate them skip them and still read the
 * allocation events. f64 is 8 bytes, IEEE 754 binary64, little-endian; t
 * values are ns since mono_ns like the events'. Readers read the fields
 * they know and ignore the rest of a record (later fields may be added at
 * the end).
 *   'G' one per completed cycle, written with its gctrace line:
 *       n flags procs at_ns
 *       heap_start heap_end heap_marked goal trigger stacks globals
 *       assist_ns bg_ns idle_ns gc_cpu_ns now_ns
 *       gogc1 mem_limit goal_gogc goal_limit
 *       scan_work assist_scan next_goal next_trigger
 *       f64 cons_mark  f64 cons_mark_measured  f64 utilization
 *       f64 limiter_fill
 *       stw_dropped stw_dropped_ns
 *       nstw  { kind t_start t_end }[nstw]
 *       nrev  { t heap_live scan_done f64 assist_ratio }[nrev]
 *     flags: 1 forced, 2 CPU limiter on after the cycle, 4 cons/mark
 *     measured this cycle (else cons_mark_measured is 0), 8 the assist
 *     ratio revisions were thinned (every 2nd, 4th... kept; at most 256).
 *     at_ns: start since the collector started (gctrace's @T); now_ns and
 *     gc_cpu_ns (cumulative GC CPU) give gctrace's P% =
 *     trunc(100 · gc_cpu_ns / (now_ns · procs)). heap_* are gctrace's
 *     X, Y, Z in bytes; goal and trigger are the pacer's for this cycle
 *     (trigger 0: none, GOGC off without a limit), goal_gogc and
 *     goal_limit the two goals it took the smaller of (0: none); gogc1 =
 *     GOGC + 1 (0: off); mem_limit 0: none. scan_work: bytes scanned
 *     (assist_scan of them by mutator assists); next_goal/next_trigger:
 *     the pacer's decision for the next cycle; cons_mark: the value the
 *     trigger was computed from; utilization: GC CPU share of the mark;
 *     limiter_fill: the CPU limiter's bucket, 0..1 of its capacity.
 *     STW windows, in order, kind 1 sweep termination, 2 a mark
 *     termination that found grey objects and restarted marking, 3 mark
 *     termination; more than 255 restarts are only counted (stw_dropped,
 *     stw_dropped_ns). gctrace's clock a = window 1, b = from its end to
 *     the start of window 3, c = the kind 2 and 3 windows (+ dropped);
 *     cpu d = a · procs, e = assist_ns, f = bg_ns, g = idle_ns,
 *     h = c · procs. Revisions: the assist ratio (scan bytes owed per
 *     allocated byte) as revised during the mark, with the heap and the
 *     scan work done at that moment.
 *   'W' n t: cycle n's sweep ran out of spans at t (written once).
 *   'P' t gogc1 mem_limit goal trigger: settings changed (ms_init,
 *       ms_set_gogc, ms_set_memory_limit) and the pacer's new goal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt/msrt_internal.h"

#define TRACE_VERSION 1
#define BUF_SIZE (64 * 1024)

typedef struct msrt_tracebuf {
	struct msrt_tracebuf *next;
	uint32_t tid;
	size_t len;
	unsigned char data[BUF_SIZE - 32];
} msrt_tracebuf;

int msrt_trace_on;
static int trace_fd = -1;
static uint32_t trace_gen = 0; /* bumped by every open (a forked child's trace is a new one) */
static uint64_t trace_t0;
static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER; /* queue, orphan buffer, file */
static msrt_tracebuf *queue_head, **queue_tail = &queue_head;
static msrt_tracebuf *orphan;
static pthread_mutex_t orphan_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	do {
		p[n++] = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

static void write_all(const void *p, size_t n)
{
	const char *c = p;
	while (n > 0 && trace_fd >= 0) {
		ssize_t w = write(trace_fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			msrt_warn("trace write failed: %s; trace stopped", strerror(errno));
			close(trace_fd);
			trace_fd = -1;
			return;
		}
		c += w;
		n -= (size_t)w;
	}
}

/* Writes one record; caller holds trace_lock. */
static void write_record(char kind, const void *payload, size_t n)
{
	unsigned char hdr[12];
	hdr[0] = (unsigned char)kind;
	size_t h = 1 + put_varint(hdr + 1, n);
	write_all(hdr, h);
	write_all(payload, n);
}

int msrt_trace_open(void)
{
	char path[4096];
	const char *src = msrt_opts.trace_path;
	size_t o = 0;
	for (const char *s = src; *s && o + 16 + MSRT_OUT_PROG_MAX < sizeof path; s++) {
		if (s[0] == '%' && s[1] == 'p') {
			o += (size_t)snprintf(path + o, sizeof path - o, "%d", (int)getpid());
			s++;
		} else if (s[0] == '%' && s[1] == 'e') { /* the program's name, as in msrt_outnames.h */
			msrt_prog_name(path + o);
			o += strlen(path + o);
			s++;
		} else {
			path[o++] = *s;
		}
	}
	path[o] = 0;
	trace_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (trace_fd < 0) {
		msrt_warn("cannot open trace '%s': %s", path, strerror(errno));
		return -1;
	}
	unsigned char hdr[8 + 10 * (8 + 2 * MSRT_NUM_CLASSES)];
	memcpy(hdr, "MSRTRACE", 8);
	size_t n = 8;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	trace_t0 = msrt_nanotime();
	__atomic_add_fetch(&trace_gen, 1, __ATOMIC_RELAXED);
	n += put_varint(hdr + n, TRACE_VERSION);
	n += put_varint(hdr + n, MSRT_PAGE_SIZE);
	n += put_varint(hdr + n, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
	n += put_varint(hdr + n, trace_t0);
	n += put_varint(hdr + n, (uint64_t)getpid());
	n += put_varint(hdr + n, (uint64_t)atomic_load(&msrt_prof_rate));
	n += put_varint(hdr + n, MSRT_NUM_CLASSES);
	for (unsigned c = 0; c < MSRT_NUM_CLASSES; c++)
		n += put_varint(hdr + n, msrt_class_to_size[c]);
	for (unsigned c = 0; c < MSRT_NUM_CLASSES; c++)
		n += put_varint(hdr + n, msrt_class_to_npages[c]);
	write_all(hdr, n);
	msrt_trace_on = trace_fd >= 0;
	return 0;
}

static int queued; /* set when a full buffer is queued, cleared by a flush */

int msrt_trace_queued(void) { return __atomic_load_n(&queued, __ATOMIC_ACQUIRE); }

/* Room for `need` bytes in the thread's buffer; caller holds its lock. */
static msrt_tracebuf *room(msrt_tracebuf **slot, uint32_t tid, size_t need)
{
	msrt_tracebuf *b = *slot;
	if (b && b->len + need <= sizeof b->data)
		return b;
	if (b) {
		pthread_mutex_lock(&trace_lock);
		*queue_tail = b;
		queue_tail = &b->next;
		pthread_mutex_unlock(&trace_lock);
		__atomic_store_n(&queued, 1, __ATOMIC_RELEASE); /* the background thread has work */
	}
	b = msrt_sys_alloc(sizeof *b);
	*slot = b;
	if (b)
		b->tid = tid;
	return b;
}

static void event(msrt_mcache *c, const uint64_t *v, int n, const msrt_bucket *stack)
{
	pthread_mutex_t *lock = c ? &c->trace_lock : &orphan_lock;
	msrt_tracebuf **slot = c ? &c->trace : &orphan;
	pthread_mutex_lock(lock);
	if (stack) {
		msrt_tracebuf *b = room(slot, c ? c->tid : 0, 32 + 10 * (size_t)stack->depth);
		if (b) {
			b->data[b->len++] = 1;
			b->len += put_varint(b->data + b->len, stack->id);
			b->len += put_varint(b->data + b->len, stack->depth);
			for (uint32_t i = 0; i < stack->depth; i++)
				b->len += put_varint(b->data + b->len, stack->pcs[i]);
		}
	}
	msrt_tracebuf *b = room(slot, c ? c->tid : 0, 10 * (size_t)n);
	if (b)
		for (int i = 0; i < n; i++) {
			if (i == 0)
				b->data[b->len++] = (unsigned char)v[0];
			else
				b->len += put_varint(b->data + b->len, v[i]);
		}
	pthread_mutex_unlock(lock);
}

/* True for the one caller that must write b's stack into this trace: each
 * bucket's stack is written once per trace, by whichever thread first
 * records an event of it (also for buckets a forked child inherited). */
static int claim_stack(msrt_bucket *b)
{
	uint32_t gen = __atomic_load_n(&trace_gen, __ATOMIC_RELAXED);
	uint32_t old = __atomic_load_n(&b->trace_gen, __ATOMIC_RELAXED);
	return old != gen && __atomic_compare_exchange_n(&b->trace_gen, &old, gen, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

void msrt_trace_alloc(msrt_mcache *c, void *p, unsigned cls, size_t size, msrt_bucket *bk)
{
	uint64_t v[6] = { 2, msrt_nanotime() - trace_t0, cls, size, (uintptr_t)p, bk->id };
	event(c, v, 6, claim_stack(bk) ? bk : NULL);
}

void msrt_trace_free(msrt_mcache *c, void *p, unsigned cls, size_t size, msrt_bucket *bk)
{
	uint64_t v[6] = { 3, msrt_nanotime() - trace_t0, cls, size, (uintptr_t)p, bk->id };
	event(c, v, 6, claim_stack(bk) ? bk : NULL);
}

/* ---- records of the collector (mgcevent.c) ------------------------------- */
size_t msrt_trace_put_varint(unsigned char *p, uint64_t v) { return put_varint(p, v); }

uint64_t msrt_trace_clock(uint64_t mono_ns) { return mono_ns > trace_t0 ? mono_ns - trace_t0 : 0; }

void msrt_trace_record(char kind, const unsigned char *payload, size_t n)
{
	pthread_mutex_lock(&trace_lock);
	if (trace_fd >= 0)
		write_record(kind, payload, n);
	pthread_mutex_unlock(&trace_lock);
}

void msrt_trace_stats(void)
{
	if (trace_fd < 0)
		return;
	ms_stats st;
	ms_read_stats(&st);
	uint64_t v[9] = { msrt_nanotime() - trace_t0, st.heap_sys, st.heap_inuse, st.heap_idle, st.heap_released,
		st.heap_alloc, st.heap_objects, st.mallocs, st.frees };
	unsigned char buf[100];
	size_t n = 0;
	for (int i = 0; i < 9; i++)
		n += put_varint(buf + n, v[i]);
	pthread_mutex_lock(&trace_lock);
	write_record('S', buf, n);
	pthread_mutex_unlock(&trace_lock);
}

static void queue_take(msrt_tracebuf **slot, pthread_mutex_t *lock)
{
	pthread_mutex_lock(lock);
	msrt_tracebuf *b = *slot;
	if (b && b->len) {
		*slot = NULL;
		pthread_mutex_lock(&trace_lock);
		*queue_tail = b;
		queue_tail = &b->next;
		pthread_mutex_unlock(&trace_lock);
	}
	pthread_mutex_unlock(lock);
}

void msrt_trace_release_cache(msrt_mcache *c)
{
	if (msrt_trace_on)
		queue_take(&c->trace, &c->trace_lock);
	else if (c->trace) {
		msrt_sys_free(c->trace, sizeof *c->trace);
		c->trace = NULL;
	}
}

/* In a forked child: the trace file and the buffers belong to the parent.
 * Drop the inherited events, re-create the locks (another thread of the
 * parent may have held them), and start a trace of our own when the path
 * names the pid ("%p"); otherwise the child does not trace. */
void msrt_trace_atfork_child(void)
{
	if (trace_fd < 0 && !msrt_trace_on)
		return;
	pthread_mutex_init(&trace_lock, NULL);
	pthread_mutex_init(&orphan_lock, NULL);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next) {
		pthread_mutex_init(&c->trace_lock, NULL);
		if (c->trace)
			c->trace->len = 0;
	}
	if (orphan)
		orphan->len = 0;
	for (msrt_tracebuf *b = queue_head; b;) {
		msrt_tracebuf *next = b->next;
		msrt_sys_free(b, sizeof *b);
		b = next;
	}
	queue_head = NULL;
	queue_tail = &queue_head;
	queued = 0;
	if (trace_fd >= 0)
		close(trace_fd);
	trace_fd = -1;
	msrt_trace_on = 0;
	if (msrt_opts.trace_path && strstr(msrt_opts.trace_path, "%p"))
		msrt_trace_open();
}

void msrt_trace_flush(int final)
{
	if (!msrt_trace_on)
		return;
	pthread_mutex_lock(&msrt_caches_lock);
	for (msrt_mcache *c = msrt_caches.all_next; c != &msrt_caches; c = c->all_next)
		queue_take(&c->trace, &c->trace_lock);
	pthread_mutex_unlock(&msrt_caches_lock);
	queue_take(&orphan, &orphan_lock);
	pthread_mutex_lock(&trace_lock);
	msrt_tracebuf *list = queue_head;
	queue_head = NULL;
	queue_tail = &queue_head;
	__atomic_store_n(&queued, 0, __ATOMIC_RELEASE);
	for (msrt_tracebuf *b = list; b;) {
		msrt_tracebuf *next = b->next;
		unsigned char tid[10];
		size_t tn = put_varint(tid, b->tid);
		unsigned char hdr[16];
		hdr[0] = 'B';
		size_t h = 1 + put_varint(hdr + 1, tn + b->len);
		write_all(hdr, h);
		write_all(tid, tn);
		write_all(b->data, b->len);
		msrt_sys_free(b, sizeof *b);
		b = next;
	}
	if (final && trace_fd >= 0) {
		static msrt_mapping maps[512];
		int n = msrt_read_mappings(maps, 512);
		for (int i = 0; i < n; i++) {
			unsigned char buf[700];
			size_t k = 0;
			size_t pl = strlen(maps[i].path), bl = strlen(maps[i].build_id);
			k += put_varint(buf + k, maps[i].start);
			k += put_varint(buf + k, maps[i].limit);
			k += put_varint(buf + k, maps[i].offset);
			k += put_varint(buf + k, pl);
			memcpy(buf + k, maps[i].path, pl);
			k += pl;
			k += put_varint(buf + k, bl);
			memcpy(buf + k, maps[i].build_id, bl);
			k += bl;
			write_record('M', buf, k);
		}
		write_record('E', "", 0);
		close(trace_fd);
		trace_fd = -1;
		msrt_trace_on = 0;
	}
	pthread_mutex_unlock(&trace_lock);
}
