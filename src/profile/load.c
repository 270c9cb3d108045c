/* load.c — format detection and dispatch to the readers. */
#include "config.h"
#include "profile/load.h"
#include "profile/folded.h"
#include "profile/perf_script.h"
#include "profile/pprof.h"
#include "profile/trace.h"
#include "util/io.h"

#include <string.h>

static const char *const format_names[] = {
	[MS_INPUT_AUTO] = "auto",
	[MS_INPUT_PPROF] = "pprof",
	[MS_INPUT_PERF] = "perf",
	[MS_INPUT_FOLDED] = "folded",
	[MS_INPUT_TRACE] = "trace",
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
	case MS_INPUT_PERF:
		p = ms_perf_parse((const char *)data, n, opts, err);
		break;
	case MS_INPUT_FOLDED:
		p = ms_folded_parse((const char *)data, n, opts, err);
		break;
	default:
		ms_seterr(err, "unrecognised input format (expected pprof, perf script, folded stacks or a runtime trace)");
		break;
	}
out:
	if (!p)
		ms_err_prefix(err, name);
	ms_buf_free(&raw);
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

ms_profile *ms_profile_load(const char *path, const ms_load_opts *opts, ms_err *err)
{
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
