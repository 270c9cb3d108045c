/* load.c — format detection and dispatch to the readers. */
#include "config.h"
#include "profile/load.h"
#include "analysis/goheap.h"
#include "profile/demangle.h"
#include "profile/fetch.h"
#include "profile/folded.h"
#include "profile/godump.h"
#include "profile/gotrace.h"
#include "profile/gotrace_profile.h"
#include "profile/perf_script.h"
#include "profile/pprof.h"
#include "profile/trace.h"
#include "symbolize/godump_syms.h"
#include "symbolize/symbolize.h"
#include "util/http.h"
#include "util/io.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const format_names[] = {
	[MS_INPUT_AUTO] = "auto",
	[MS_INPUT_PPROF] = "pprof",
	[MS_INPUT_PERF] = "perf",
	[MS_INPUT_FOLDED] = "folded",
	[MS_INPUT_TRACE] = "trace",
	[MS_INPUT_GODUMP] = "heapdump",
	[MS_INPUT_GOTRACE] = "gotrace",
};

int ms_input_format_parse(const char *name, ms_input_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (ms_input_format)i;
			return 0;
		}
	return -1;
}

const char *ms_input_format_name(ms_input_format f) { return format_names[f]; }

/* A Go heap dump's dominator tree as a profile (from memory, or from a
 * file when path is set: mapped, its pages given back as they are read);
 * its globals named by binary's symbols when binary is set. */
static ms_profile *godump_profile(const char *path, const uint8_t *data, size_t n, const char *binary, ms_err *err)
{
	ms_godump_names names;
	if (ms_godump_names_open(&names, binary, err) < 0)
		return NULL;
	ms_godump d;
	ms_goheap h;
	if ((path ? ms_godump_read(&d, path, err) : ms_godump_parse(&d, NULL, data, n, err)) < 0) {
		ms_godump_names_close(&names);
		return NULL;
	}
	ms_goheap_opts o = { .tree = true };
	ms_godump_names_bind(&names, &d, &o);
	ms_profile *p = NULL;
	if (ms_goheap_analyze(&h, &d, &o, err) == 0) {
		p = ms_goheap_profile(&h, &d);
		ms_goheap_free(&h);
	}
	ms_godump_free(&d);
	ms_godump_names_close(&names);
	return p;
}

/* A runtime trace's locations are addresses in the binaries its 'M'
 * records name, on the machine that ran it: symbolized like the heap
 * profiles `memscope run` writes. */
static int symbolize(ms_profile *p, ms_buf *warnings, ms_err *err)
{
	ms_symbolize_result res;
	if (ms_symbolize_profile(p, NULL, &res, err) < 0)
		return -1;
	if (warnings && res.notes)
		ms_buf_addf(warnings, "%s%s", res.notes, res.notes[strlen(res.notes) - 1] == '\n' ? "" : "\n");
	ms_symbolize_result_free(&res);
	return 0;
}

static int is_text(const uint8_t *data, size_t n);

static ms_input_format detect(const uint8_t *data, size_t n)
{
	if (ms_trace_sniff(data, n)) /* an 8-byte magic */
		return MS_INPUT_TRACE;
	if (ms_godump_sniff(data, n)) /* "go1.7 heap dump\n" */
		return MS_INPUT_GODUMP;
	if (ms_gotrace_sniff(data, n, NULL)) /* "go 1.N trace" */
		return MS_INPUT_GOTRACE;
	/* the text formats first: their sniffers need whole lines of a known
	 * shape, while almost any first byte can start a protobuf field */
	if (ms_perf_sniff((const char *)data, n))
		return MS_INPUT_PERF;
	if (ms_folded_sniff((const char *)data, n))
		return MS_INPUT_FOLDED;
	/* text that no text reader takes is no protobuf either (a protobuf's
	 * lengths and tags put control bytes in its first bytes): the
	 * unrecognised-input message says what it is */
	if (is_text(data, n))
		return MS_INPUT_AUTO;
	if (ms_pprof_sniff(data, n))
		return MS_INPUT_PPROF;
	return MS_INPUT_AUTO;
}

/* ---- what the input is, when no reader takes it ---------------------------
 * One place names the nearest miss, so the message says what was tried and
 * what to do. (Go heap dumps and Go execution traces are known by their
 * headers and go to their readers.) */
static const char tried[] = "not pprof, perf script, folded stacks, a runtime trace, a Go execution trace or a Go heap dump";

static int starts_with(const uint8_t *data, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(data, prefix, k) == 0;
}

/* The first line of a text input that is not empty or a comment ("//", "#"). */
static const char *first_line(const char *s, size_t n, size_t *len)
{
	const char *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *t = s;
		while (t < e && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t < e && *t != '#' && !(e - t >= 2 && t[0] == '/' && t[1] == '/')) {
			*len = (size_t)(e - t);
			return t;
		}
		s = nl ? nl + 1 : end;
	}
	return NULL;
}

static int is_text(const uint8_t *data, size_t n)
{
	size_t k = n < 4096 ? n : 4096;
	for (size_t i = 0; i < k; i++)
		if (data[i] < 0x20 && data[i] != '\n' && data[i] != '\r' && data[i] != '\t')
			return 0;
	return 1;
}

static int line_has(const char *line, size_t len, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(line + i, word, k) == 0)
			return 1;
	return 0;
}

static void unrecognised(const uint8_t *data, size_t n, ms_err *err)
{
	size_t len = 0;
	const char *line = is_text(data, n) ? first_line((const char *)data, n, &len) : NULL;
	if (starts_with(data, n, "\x7f" "ELF"))
		ms_seterr(err, "this is an ELF binary, not a profile: profile it with 'memscope run -- PROGRAM'");
	else if (!line)
		ms_seterr(err, "unrecognised input format: binary data, %s (a pprof profile is a gzipped protobuf)",
			tried);
	else if (ms_perf_headers_only((const char *)data, n))
		ms_seterr(err, "looks like perf script output without call stacks: record with -g "
			       "('perf record -g', then 'perf script')");
	else if (len >= 8 && memcmp(line, "package ", 8) == 0)
		ms_seterr(err, "this is Go source, not a profile: profile the program (runtime/pprof, or "
			       "'go test -memprofile') and give memscope the profile");
	else if (starts_with(data, n, "#include") || memmem(data, n < 4096 ? n : 4096, "\n#include", 9))
		ms_seterr(err, "this is C or C++ source, not a profile: profile the program with 'memscope run'");
	else if ((len >= 3 && memcmp(line, "gc ", 3) == 0 && line_has(line, len, " @")) || line_has(line, len, "scvg"))
		ms_seterr(err, "this is a GODEBUG=gctrace=1 log, not a profile: read it with 'memscope gctrace'");
	else if (len >= 14 && memcmp(line, "heap profile: ", 14) == 0)
		ms_seterr(err, "this is a legacy text heap profile (debug=1): fetch it with debug=0 (the gzipped "
			       "protobuf) or convert it with 'go tool pprof -proto'");
	else if (line_has(line, len, "<html") || line_has(line, len, "<!DOCTYPE") || line_has(line, len, "<!doctype"))
		ms_seterr(err, "this is an HTML page, not a profile: give a profile's own address (e.g. "
			       "http://HOST:PORT/debug/pprof/heap)");
	else if (line[0] == '{' || line[0] == '[')
		ms_seterr(err, "this is JSON, not a profile (memscope's heap dumps are read by 'memscope frag')");
	else
		ms_seterr(err, "unrecognised input format: text, but the first line \"%.*s\" is neither a perf script "
			       "sample header nor a folded stack ('frame;frame COUNT'); %s", (int)(len < 60 ? len : 60),
			line, tried);
}

static ms_profile *load_gotrace(const uint8_t *data, size_t n, bool mapped, const ms_load_opts *opts, ms_err *err)
{
	static const ms_load_opts none = { 0 };
	if (!opts)
		opts = &none;
	ms_gt_opts go = { (ms_gt_rules)opts->gotrace_rules, opts->gotrace_region, opts->gotrace_task, mapped };
	ms_gt_stats local;
	ms_gt_stats *st = opts->gotrace_stats ? opts->gotrace_stats : &local;
	return ms_gotrace_profile(data, n, (ms_gt_profile_kind)opts->gotrace_kind, &go, st, opts->warnings, err);
}

ms_profile *ms_profile_load_buffer(const char *name, const void *vdata, size_t n, const ms_load_opts *opts,
	ms_err *err)
{
	ms_buf raw = MS_BUF_INIT;
	const uint8_t *data = vdata;
	ms_profile *p = NULL;
	if (ms_is_gzip(data, n)) {
		if (ms_gunzip(data, n, &raw, err) < 0)
			goto out;
		data = (const uint8_t *)raw.data;
		n = raw.len;
	}
	ms_input_format f = opts ? opts->format : MS_INPUT_AUTO;
	if (n == 0) {
		ms_seterr(err, "empty input");
		goto out;
	}
	if (f == MS_INPUT_AUTO)
		f = detect(data, n);
	switch (f) {
	case MS_INPUT_PPROF:
		p = ms_pprof_parse(data, n, err);
		break;
	case MS_INPUT_TRACE:
		p = ms_trace_parse(data, n, opts ? opts->trace_inuse : 0, err);
		if (p && opts && opts->symbolize_trace && symbolize(p, opts->warnings, err) < 0) {
			ms_profile_free(p);
			p = NULL;
		}
		break;
	case MS_INPUT_GOTRACE:
		p = load_gotrace(data, n, false, opts, err);
		break;
	case MS_INPUT_PERF:
		p = ms_perf_parse((const char *)data, n, opts, err);
		break;
	case MS_INPUT_FOLDED:
		p = ms_folded_parse((const char *)data, n, opts, err);
		break;
	case MS_INPUT_GODUMP:
		p = godump_profile(NULL, data, n, opts ? opts->godump_binary : NULL, err);
		break;
	default:
		unrecognised(data, n, err);
		break;
	}
	if (p)
		ms_profile_demangle(p, opts ? (ms_demangle_mode)opts->demangle : MS_DEMANGLE_SIMPLIFIED, opts && opts->demangle_force);
out:
	if (p && opts && opts->format_out)
		*opts->format_out = f;
	if (!p)
		ms_err_prefix(err, name);
	ms_buf_free(&raw);
	return p;
}

/* A Go execution trace can be far larger than the profile made from it: it
 * is mapped, never read whole (its reader streams over the mapping). */
static ms_profile *try_map_gotrace(const char *path, const ms_load_opts *opts, ms_err *err, bool *tried)
{
	*tried = false;
	if (strcmp(path, "-") == 0 || (opts && opts->format != MS_INPUT_AUTO && opts->format != MS_INPUT_GOTRACE))
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block here */
	if (fd < 0)
		return NULL; /* the ordinary path reports it */
	struct stat sb;
	uint8_t head[16];
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size < 16 ||
		pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head || !ms_gotrace_sniff(head, sizeof head, NULL)) {
		close(fd);
		return NULL;
	}
	void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*tried = true;
	madvise(m, (size_t)sb.st_size, MADV_SEQUENTIAL);
	ms_profile *p = load_gotrace(m, (size_t)sb.st_size, true, opts, err);
	munmap(m, (size_t)sb.st_size);
	if (!p)
		ms_err_prefix(err, path);
	return p;
}

/* ---- reading a file: refuse early what no reader takes ----------------------
 *
 * A whole input is read into memory before it is parsed, and a gzip bomb
 * (1 GB of zeros in 4.7 MB) cost its full size before "unrecognised input
 * format". So the first SNIFF_PREFIX decompressed bytes are looked at
 * first: when their first line is binary (a control byte before the first
 * newline, which both text sniffers refuse whatever follows) and no binary
 * format's header matches, the input is refused from the prefix alone,
 * with the message the whole input would have given. Anything else is read
 * whole, with the inflated size capped (ms_inflate_limit). */
#define SNIFF_PREFIX (64 * 1024)

static int prefix_refused(const uint8_t *d, size_t n)
{
	if (n == 0 || d[0] == '#')
		return 0;
	const uint8_t *nl = memchr(d, '\n', n);
	size_t first = nl ? (size_t)(nl - d) : n, i;
	for (i = 0; i < first; i++)
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\r')
			break;
	if (i == first) /* text: the text sniffers need whole lines */
		return 0;
	return detect(d, n) == MS_INPUT_AUTO && !ms_pprof_sniff_prefix(d, n);
}

/* A live source: the URL's body is read like a file's bytes, then saved
 * (only once it has been read as a profile: an error page is not kept). */
static ms_profile *load_url(const char *url, const ms_load_opts *opts, ms_err *err)
{
	const ms_fetch_opts *fo = opts ? opts->fetch : NULL;
	ms_buf body = MS_BUF_INIT;
	if (opts && opts->fetch_saved)
		*opts->fetch_saved = NULL;
	if (ms_fetch(url, fo, &body, err) < 0) {
		ms_buf_free(&body);
		return NULL;
	}
	char *shown = ms_url_redact(url);
	ms_profile *p = ms_profile_load_buffer(shown, body.data, body.len, opts, err);
	const char *dir = fo ? fo->save_dir : NULL;
	char *defdir = dir ? NULL : ms_fetch_default_dir(url);
	if (!dir)
		dir = defdir;
	char *saved = NULL;
	ms_err serr;
	if (p && dir && *dir && ms_fetch_save(url, dir, body.data, body.len, &saved, &serr) < 0 && opts &&
	    opts->warnings)
		ms_buf_addf(opts->warnings, "not saved: %s\n", serr.msg);
	if (opts && opts->fetch_saved)
		*opts->fetch_saved = saved;
	else
		free(saved);
	free(defdir);
	free(shown);
	ms_buf_free(&body);
	return p;
}

ms_profile *ms_profile_load(const char *path, const ms_load_opts *opts, ms_err *err)
{
	if (ms_is_url(path))
		return load_url(path, opts, err);
	ms_input_format f = opts ? opts->format : MS_INPUT_AUTO;
	if ((f == MS_INPUT_AUTO || f == MS_INPUT_GODUMP) && ms_godump_file_sniff(path))
		return godump_profile(path, NULL, 0, opts ? opts->godump_binary : NULL, err); /* big dumps: not read whole */
	bool tried;
	ms_profile *gp = try_map_gotrace(path, opts, err, &tried);
	if (tried)
		return gp;
	ms_buf data = MS_BUF_INIT;
	ms_profile *p = NULL;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	ms_reader *r = ms_reader_open(path, err);
	if (!r)
		return NULL;
	ms_reader_set_limit(r, ms_inflate_limit());
	int end = ms_read_prefix(r, &data, SNIFF_PREFIX, err);
	if (end < 0)
		goto out;
	if (end == 0 && (!opts || opts->format == MS_INPUT_AUTO) &&
	    prefix_refused((const uint8_t *)data.data, data.len)) {
		/* the same message as for the whole input */
		p = ms_profile_load_buffer(name, data.data, data.len, opts, err);
		goto out;
	}
	if (end == 0 && ms_read_rest(r, &data, err) < 0)
		goto out;
	p = ms_profile_load_buffer(name, data.data, data.len, opts, err);
out:
	ms_reader_close(r);
	ms_buf_free(&data);
	return p;
}
