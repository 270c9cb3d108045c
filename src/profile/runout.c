/* runout.c — the runtime's profile directory as a list of processes
 * (runout.h): names parsed with src/rt/msrt_outnames.h, heap snapshots and
 * leak reports symbolized in place with one symbolizer, and the comments
 * the runtime writes (src/rt/mpprof.c, mpeak.c) read back.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/load.h"
#include "profile/pprof.h"
#include "profile/runout.h"
#include "symbolize/symbolize.h"

static ms_run_proc *proc_of(ms_run_dir *rd, int pid, const char *prog)
{
	for (size_t i = 0; i < rd->n; i++)
		if (rd->procs[i].pid == pid && strcmp(rd->procs[i].prog, prog) == 0)
			return &rd->procs[i];
	MS_GROW(rd->procs, rd->n, rd->cap, 1);
	ms_run_proc *p = &rd->procs[rd->n++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	snprintf(p->prog, sizeof p->prog, "%s", prog);
	return p;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = ms_xcalloc(n, 1);
	snprintf(s, n, "%s/%s", dir, name);
	return s;
}

static void set_path(char **slot, const char *dir, const char *name)
{
	free(*slot);
	*slot = join(dir, name);
}

static int by_pid(const void *a, const void *b)
{
	const ms_run_proc *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strcmp(x->prog, y->prog);
}

int ms_run_dir_scan(ms_run_dir *rd, const char *dir, ms_err *err)
{
	memset(rd, 0, sizeof *rd);
	DIR *d = opendir(dir);
	if (!d)
		return ms_seterr(err, "cannot read '%s': %s", dir, strerror(errno));
	rd->dir = ms_xstrdup(dir);
	struct dirent *e;
	/* heapdumps wait for their process's last seq: two passes */
	for (int pass = 0; pass < 2; pass++) {
		rewinddir(d);
		while ((e = readdir(d))) {
			msrt_out_kind kind;
			char prog[MSRT_OUT_PROG_MAX + 1];
			int pid;
			unsigned seq;
			if (msrt_out_parse(e->d_name, &kind, prog, &pid, &seq) < 0)
				continue;
			ms_run_proc *p = proc_of(rd, pid, prog);
			if (pass == 1) {
				if (kind == MSRT_OUT_HEAPDUMP && seq == p->last_seq)
					set_path(&p->last_heapdump, dir, e->d_name);
				continue;
			}
			rd->nfiles++;
			switch (kind) {
			case MSRT_OUT_HEAP:
				p->nsnapshots++;
				if (!p->last_heap || seq > p->last_seq) {
					set_path(&p->last_heap, dir, e->d_name);
					p->last_seq = seq;
				}
				break;
			case MSRT_OUT_LEAKS:
				set_path(&p->leaks, dir, e->d_name);
				break;
			case MSRT_OUT_TRACE:
				set_path(&p->trace, dir, e->d_name);
				break;
			default:
				break;
			}
		}
	}
	closedir(d);
	if (rd->n)
		qsort(rd->procs, rd->n, sizeof *rd->procs, by_pid);
	return 0;
}

void ms_run_dir_free(ms_run_dir *rd)
{
	for (size_t i = 0; i < rd->n; i++) {
		free(rd->procs[i].last_heap);
		free(rd->procs[i].last_heapdump);
		free(rd->procs[i].leaks);
		free(rd->procs[i].trace);
	}
	free(rd->procs);
	free(rd->dir);
	memset(rd, 0, sizeof *rd);
}

/* Adds each line of text to notes unless notes has one with the same
 * start up to its first ';' already (the same binaries are in every
 * process's profiles: "'/usr/bin/bash': no debug info found; 9 locations
 * left unresolved" is said once). */
static void add_notes(ms_buf *notes, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		int seen = 0;
		for (const char *s = notes->data; s && *s && !seen;) {
			const char *e = strchr(s, '\n');
			size_t l = e ? (size_t)(e - s) : strlen(s);
			size_t key = strcspn(text, ";\n");
			seen = l >= key && memcmp(s, text, key) == 0 && (s[key] == ';' || key == l);
			s += l + (e ? 1 : 0);
		}
		if (!seen && len)
			ms_buf_addf(notes, "%.*s\n", (int)len, text);
		text += len + (nl ? 1 : 0);
	}
}

static size_t symbolize_file(ms_symbolizer *sym, const char *path, ms_buf *notes)
{
	ms_err err;
	ms_load_opts lo = { .format = MS_INPUT_PPROF };
	ms_profile *p = ms_profile_load(path, &lo, &err);
	if (!p) {
		add_notes(notes, err.msg);
		return 0;
	}
	ms_symbolize_result res;
	memset(&res, 0, sizeof res);
	size_t done = 0;
	if (ms_symbolizer_run(sym, p, &res, &err) < 0 || (res.resolved && ms_pprof_write_file(p, path, 0, &err) < 0))
		add_notes(notes, err.msg);
	else
		done = res.resolved > 0;
	add_notes(notes, res.notes);
	ms_symbolize_result_free(&res);
	ms_profile_free(p);
	return done;
}

size_t ms_run_dir_symbolize(const ms_run_dir *rd, ms_buf *notes)
{
	DIR *d = opendir(rd->dir);
	if (!d)
		return 0;
	ms_symbolizer *sym = ms_symbolizer_new(NULL);
	size_t done = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		msrt_out_kind kind;
		char prog[MSRT_OUT_PROG_MAX + 1];
		int pid;
		unsigned seq;
		if (msrt_out_parse(e->d_name, &kind, prog, &pid, &seq) < 0 || (kind != MSRT_OUT_HEAP && kind != MSRT_OUT_LEAKS))
			continue;
		char *path = join(rd->dir, e->d_name);
		done += symbolize_file(sym, path, notes);
		free(path);
	}
	closedir(d);
	ms_symbolizer_free(sym);
	return done;
}

/* The value of " key=" in s, as text up to the next space. */
static const char *field(const char *s, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	for (const char *p = s; (p = strstr(p, key)); p++)
		if ((p == s || p[-1] == ' ') && p[kl] == '=') {
			p += kl + 1;
			*len = strcspn(p, " ");
			return p;
		}
	return NULL;
}

static const char *run_comment(const ms_profile *p, const char *key)
{
	for (size_t i = 0; i < p->ncomments; i++) {
		const char *c = ms_profile_string(p, p->comments[i]);
		size_t len;
		if (strncmp(c, "memscope-run: ", 14) == 0 && field(c + 14, key, &len))
			return c + 14;
	}
	return NULL;
}

static int field_u64(const char *s, const char *key, uint64_t *out)
{
	size_t len;
	const char *v = field(s, key, &len);
	if (!v || len == 0 || len > 20)
		return -1;
	char tmp[24];
	memcpy(tmp, v, len);
	tmp[len] = 0;
	char *end;
	*out = strtoull(tmp, &end, 10);
	return *end ? -1 : 0;
}

int ms_run_profile_who(const ms_profile *p, const char *path, int *pid, char prog[MSRT_OUT_PROG_MAX + 1])
{
	const char *c = p ? run_comment(p, "pid") : NULL;
	uint64_t v;
	size_t len;
	const char *pr;
	if (c && field_u64(c, "pid", &v) == 0 && v > 0 && v <= 0x7fffffff && (pr = field(c, "program", &len)) &&
		len <= MSRT_OUT_PROG_MAX) {
		*pid = (int)v;
		memcpy(prog, pr, len);
		prog[len] = 0;
		return 0;
	}
	if (!path)
		return -1;
	const char *base = strrchr(path, '/');
	msrt_out_kind kind;
	unsigned seq;
	return msrt_out_parse(base ? base + 1 : path, &kind, prog, pid, &seq);
}

int ms_run_profiles_one_process(ms_profile *const *ps, const char *const *names, size_t n, ms_err *err)
{
	int pid0 = 0;
	char prog0[MSRT_OUT_PROG_MAX + 1], prog[MSRT_OUT_PROG_MAX + 1];
	size_t first = 0;
	for (size_t i = 0; i < n; i++) {
		int pid;
		if (ms_run_profile_who(ps[i], names[i], &pid, prog) < 0)
			continue;
		if (!pid0) {
			pid0 = pid;
			memcpy(prog0, prog, sizeof prog0);
			first = i;
		} else if (pid != pid0 || strcmp(prog, prog0) != 0) {
			return ms_seterr(err,
				"snapshots of different processes: '%s' is %s (pid %d), '%s' is %s (pid %d); a series "
				"is one process's snapshots (give each process's separately)",
				names[first], prog0, pid0, names[i], prog, pid);
		}
	}
	return 0;
}

int ms_run_profile_usage(const ms_profile *p, ms_run_usage *u)
{
	memset(u, 0, sizeof *u);
	const char *c = run_comment(p, "peak_heap");
	uint64_t peak, inuse;
	if (!c || field_u64(c, "peak_heap", &peak) < 0 || field_u64(c, "peak_ns", &u->peak_ns) < 0 ||
		field_u64(c, "allocations", &u->allocations) < 0 || field_u64(c, "temporary", &u->temporary) < 0 ||
		field_u64(c, "in_use", &inuse) < 0 || peak > INT64_MAX || inuse > INT64_MAX)
		return -1;
	u->peak_heap = (int64_t)peak;
	u->in_use = (int64_t)inuse;
	return 0;
}
