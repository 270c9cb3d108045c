/* load.c — format detection and dispatch to the readers. */
#include "config.h"
#include "profile/load.h"
#include "profile/folded.h"
#include "profile/gotrace_profile.h"
#include "profile/perf_script.h"
#include "profile/pprof.h"
#include "profile/trace.h"
#include "util/io.h"

#include <fcntl.h>
#include <stdbool.h>
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

static ms_input_format detect(const uint8_t *data, size_t n)
{
	if (ms_trace_sniff(data, n)) /* an 8-byte magic */
		return MS_INPUT_TRACE;
	if (ms_gotrace_sniff(data, n, NULL)) /* "go 1.N trace" */
		return MS_INPUT_GOTRACE;
	/* the text formats first: their sniffers need whole lines of a known
	 * shape, while almost any first byte can start a protobuf field */
	if (ms_perf_sniff((const char *)data, n))
		return MS_INPUT_PERF;
	if (ms_folded_sniff((const char *)data, n))
		return MS_INPUT_FOLDED;
	if (ms_pprof_sniff(data, n))
		return MS_INPUT_PPROF;
	return MS_INPUT_AUTO;
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
	default:
		ms_seterr(err, "unrecognised input format (expected pprof, perf script, folded stacks, a runtime trace or a Go execution trace)");
		break;
	}
out:
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
	int fd = open(path, O_RDONLY | O_CLOEXEC);
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

ms_profile *ms_profile_load(const char *path, const ms_load_opts *opts, ms_err *err)
{
	bool tried;
	ms_profile *gp = try_map_gotrace(path, opts, err, &tried);
	if (tried)
		return gp;
	ms_buf data = MS_BUF_INIT;
	if (ms_read_all(path, &data, err) < 0) {
		ms_buf_free(&data);
		return NULL;
	}
	ms_profile *p = ms_profile_load_buffer(strcmp(path, "-") ? path : "<stdin>", data.data, data.len, opts, err);
	ms_buf_free(&data);
	return p;
}
