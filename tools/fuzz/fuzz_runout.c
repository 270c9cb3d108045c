/* fuzz_runout.c — libFuzzer target for what `memscope run` parses of the
 * runtime's outputs: file names (src/rt/msrt_outnames.h, msrt_out_parse,
 * checked to round-trip through msrt_out_name) and the profiles' comments
 * (src/profile/runout.c: which process, peak heap and temporary counts).
 * Input: a file name, a newline, then the comment text.
 * seeds: tools/fuzz/seeds/runout-*.txt
 * max_len: 4096 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/runout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = strndup((const char *)data, size); /* up to a NUL: names and comments are strings */
	if (!in)
		return 0;
	char *nl = strchr(in, '\n');
	const char *comment = nl ? nl + 1 : "";
	if (nl)
		*nl = 0;
	msrt_out_kind kind;
	char prog[MSRT_OUT_PROG_MAX + 1], prog2[MSRT_OUT_PROG_MAX + 1], buf[256];
	int pid, pid2;
	unsigned seq, seq2;
	if (msrt_out_parse(in, &kind, prog, &pid, &seq) == 0) {
		/* a name that parses is one msrt_out_name writes back the same */
		int n = msrt_out_name(buf, sizeof buf, ".", kind, prog, pid, seq);
		msrt_out_kind kind2;
		if (n <= 0 || (size_t)n >= sizeof buf || msrt_out_parse(buf + 2, &kind2, prog2, &pid2, &seq2) != 0 ||
			kind2 != kind || pid2 != pid || seq2 != seq || strcmp(prog, prog2) != 0)
			abort();
	}
	ms_profile *p = ms_profile_new();
	uint32_t id = ms_profile_str(p, comment);
	p->comments = malloc(sizeof *p->comments);
	if (p->comments) {
		p->comments[0] = id;
		p->ncomments = 1;
		ms_run_usage u;
		(void)ms_run_profile_usage(p, &u);
		(void)ms_run_profile_who(p, in, &pid, prog);
	}
	ms_profile_free(p);
	free(in);
	return 0;
}
