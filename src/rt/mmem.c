/* mmem.c — libmsrt's own memory: OS mappings, the persistent and
 * fixed-size allocators for metadata, growable buffers and file writing for
 * the background writers. Nothing here may call the host malloc (we *are*
 * malloc when preloaded), so buffers grow with mremap and zlib gets its
 * memory from mmap too.
 *
 * Every mapping made here is registered (msrt_own_ranges), so the leak
 * check can tell the runtime's mappings from the program's own: it scans
 * the latter as roots, the former never (the live-object table alone
 * points at every block).
 */
#include "config.h"

#include <link.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "rt/msrt_internal.h"

static _Atomic uint64_t metadata_bytes;

uint64_t msrt_metadata_sys(void) { return atomic_load_explicit(&metadata_bytes, memory_order_relaxed); }

/* ---- the registry of our mappings ------------------------------------------ */
#define MAX_OWN 4096
static struct {
	uintptr_t lo, hi;
} own[MAX_OWN];
static int nown, own_overflow;
static pthread_mutex_t own_lock = PTHREAD_MUTEX_INITIALIZER;

static void own_add(const void *p, size_t n)
{
	pthread_mutex_lock(&own_lock);
	if (nown < MAX_OWN) {
		own[nown].lo = (uintptr_t)p;
		own[nown].hi = (uintptr_t)p + n;
		nown++;
	} else {
		own_overflow = 1;
	}
	pthread_mutex_unlock(&own_lock);
}

static void own_del(const void *p)
{
	pthread_mutex_lock(&own_lock);
	for (int i = nown; i-- > 0;)
		if (own[i].lo == (uintptr_t)p) {
			own[i] = own[--nown];
			break;
		}
	pthread_mutex_unlock(&own_lock);
}

int msrt_own_ranges(uintptr_t (*out)[2], int max)
{
	pthread_mutex_lock(&own_lock);
	int n = own_overflow || nown > max ? -1 : nown;
	for (int i = 0; i < n; i++) {
		out[i][0] = own[i].lo;
		out[i][1] = own[i].hi;
	}
	pthread_mutex_unlock(&own_lock);
	return n;
}

void msrt_own_atfork(int phase)
{
	if (phase == 0)
		pthread_mutex_lock(&own_lock);
	else if (phase == 1)
		pthread_mutex_unlock(&own_lock);
	else
		pthread_mutex_init(&own_lock, NULL);
}

/* ---- OS mappings ---------------------------------------------------------- */
void *msrt_sys_reserve(size_t n)
{
	void *p = mmap(NULL, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	own_add(p, n);
	return p;
}

int msrt_sys_commit(void *p, size_t n) { return mprotect(p, n, PROT_READ | PROT_WRITE); }

void *msrt_sys_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	own_add(p, n);
	atomic_fetch_add_explicit(&metadata_bytes, n, memory_order_relaxed);
	return p;
}

void msrt_sys_free(void *p, size_t n)
{
	if (p && munmap(p, n) == 0) {
		own_del(p);
		atomic_fetch_sub_explicit(&metadata_bytes, n, memory_order_relaxed);
	}
}

/* ---- persistent allocator: bump pointer in 256 KiB chunks, never freed --- */
static pthread_mutex_t persistent_lock = PTHREAD_MUTEX_INITIALIZER;
static char *persistent_cur;
static size_t persistent_left;

void *msrt_persistent_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n >= 64 * 1024)
		return msrt_sys_alloc((n + 4095) & ~(size_t)4095);
	pthread_mutex_lock(&persistent_lock);
	if (persistent_left < n) {
		size_t chunk = 256 * 1024;
		char *p = msrt_sys_alloc(chunk);
		if (!p) {
			pthread_mutex_unlock(&persistent_lock);
			return NULL;
		}
		persistent_cur = p;
		persistent_left = chunk;
	}
	void *r = persistent_cur;
	persistent_cur += n;
	persistent_left -= n;
	pthread_mutex_unlock(&persistent_lock);
	return r;
}

/* ---- fixalloc ----------------------------------------------------------- */
void *msrt_fix_alloc(msrt_fixalloc *f)
{
	void *p = f->list;
	if (p) {
		f->list = *(void **)p;
		memset(p, 0, f->size);
	} else {
		if (f->chunk_left < f->size) {
			size_t chunk = 64 * 1024;
			f->chunk = msrt_persistent_alloc(chunk);
			if (!f->chunk)
				return NULL;
			f->chunk_left = chunk;
		}
		p = f->chunk;
		f->chunk += f->size;
		f->chunk_left -= f->size;
	}
	f->inuse++;
	return p;
}

void msrt_fix_free(msrt_fixalloc *f, void *p)
{
	*(void **)p = f->list;
	f->list = p;
	f->inuse--;
}

/* ---- buffers ------------------------------------------------------------ */
void msrt_buf_reserve(msrt_buf *b, size_t extra)
{
	/* room for extra bytes and the terminating NUL msrt_buf_add writes */
	if (b->failed || b->len + extra < b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64 * 1024;
	while (cap < b->len + extra + 1)
		cap *= 2;
	void *p;
	if (b->data) {
		p = mremap(b->data, b->cap, cap, MREMAP_MAYMOVE);
		if (p != MAP_FAILED) {
			own_del(b->data);
			own_add(p, cap);
			atomic_fetch_add_explicit(&metadata_bytes, cap - b->cap, memory_order_relaxed);
		} else {
			p = NULL;
		}
	} else {
		p = msrt_sys_alloc(cap);
	}
	if (!p) {
		b->failed = 1;
		return;
	}
	b->data = p;
	b->cap = cap;
}

void msrt_buf_add(msrt_buf *b, const void *p, size_t n)
{
	msrt_buf_reserve(b, n);
	if (b->failed)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void msrt_buf_addf(msrt_buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof tmp)
		n = sizeof tmp - 1;
	msrt_buf_add(b, tmp, (size_t)n);
}

void msrt_buf_free(msrt_buf *b)
{
	msrt_sys_free(b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

int msrt_read_proc_maps(msrt_buf *out)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		msrt_buf_reserve(out, 65536);
		if (out->failed)
			break;
		ssize_t r = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (r <= 0)
			break;
		out->len += (size_t)r;
	}
	close(fd);
	if (out->failed || !out->data)
		return -1;
	out->data[out->len] = 0;
	return 0;
}

/* ---- gzip through zlib with mmap'd memory -------------------------------- */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	size_t n = (size_t)items * size + 16;
	n = (n + 4095) & ~(size_t)4095;
	size_t *p = msrt_sys_alloc(n);
	if (!p)
		return Z_NULL;
	p[0] = n;
	return p + 2;
}

static void z_free(voidpf opaque, voidpf address)
{
	(void)opaque;
	if (!address)
		return;
	size_t *p = (size_t *)address - 2;
	msrt_sys_free(p, p[0]);
}

int msrt_gzip(const void *src, size_t n, msrt_buf *out)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)src;
	zs.avail_in = (uInt)n;
	int rc;
	do {
		msrt_buf_reserve(out, 64 * 1024);
		if (out->failed) {
			deflateEnd(&zs);
			return -1;
		}
		zs.next_out = (Bytef *)out->data + out->len;
		zs.avail_out = (uInt)(out->cap - out->len - 1);
		size_t before = zs.avail_out;
		rc = deflate(&zs, Z_FINISH);
		out->len += before - zs.avail_out;
	} while (rc == Z_OK || rc == Z_BUF_ERROR);
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* ---- files -------------------------------------------------------------- */
int msrt_write_file(const char *path, const void *data, size_t n)
{
	char tmp[4096];
	int len = snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	if (len < 0 || (size_t)len >= sizeof tmp)
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

void msrt_warn(const char *fmt, ...)
{
	char line[512] = "msrt: ";
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line + 6, sizeof line - 8, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = strlen(line);
	line[len++] = '\n';
	ssize_t w = write(2, line, len);
	(void)w;
}

uint64_t msrt_nanotime(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint32_t msrt_coarse_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec;
}

/* ---- loaded objects' writable segments ------------------------------------------ */
struct segment_walk {
	int drop_relro;
	msrt_segment_fn fn;
	void *arg;
};

static int segment_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	const struct segment_walk *w = arg;
	uintptr_t self = (uintptr_t)&msrt_writable_segments, rlo = 0, rhi = 0;
	int runtime = 0, shared = info->dlpi_name && info->dlpi_name[0];
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && self >= lo && self < lo + ph->p_memsz)
			runtime = 1;
		if (ph->p_type == PT_GNU_RELRO && w->drop_relro) {
			rlo = lo;
			rhi = lo + ph->p_memsz;
		}
	}
	if (runtime && shared)
		return 0; /* libmsrt.so */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (rlo <= lo && rhi > lo) /* RELRO at the start (the usual layout) */
			lo = rhi < hi ? rhi : hi;
		else if (rlo > lo && rlo < hi && rhi >= hi) /* or at the end */
			hi = rlo;
		if (lo < hi && w->fn(w->arg, lo, hi, runtime))
			return 1;
	}
	return 0;
}

void msrt_writable_segments(int drop_relro, msrt_segment_fn fn, void *arg)
{
	struct segment_walk w = { drop_relro, fn, arg };
	dl_iterate_phdr(segment_cb, &w);
}
