/* godump_syms.c — global variable names for Go heap dump roots (see
 * godump_syms.h). A position-independent Go binary is matched through its
 * runtime.data symbol: the dump's data segment address minus that
 * symbol's value is the load bias. */
#include "config.h"
#include "symbolize/godump_syms.h"
#include "symbolize/elfobj.h"

#include <string.h>

int ms_godump_names_open(ms_godump_names *n, const char *binary, ms_err *err)
{
	memset(n, 0, sizeof *n);
	ms_strtab_init(&n->names);
	if (!binary)
		return 0;
	n->elf = ms_elfobj_open(binary, &n->names, err);
	if (!n->elf) {
		ms_strtab_free(&n->names);
		return -1;
	}
	return 0;
}

static const char *global_name(void *ctx, uint64_t addr)
{
	ms_godump_names *n = ctx;
	const ms_elf_symbol *s = ms_elfobj_data_symbol_at(n->elf, addr - (uint64_t)n->bias);
	return s ? n->names.str[s->name] : NULL;
}

void ms_godump_names_bind(ms_godump_names *n, const ms_godump *d, ms_goheap_opts *o)
{
	if (!n->elf)
		return;
	n->bias = 0;
	if (n->elf->is_dyn)
		for (size_t i = 0; i < n->elf->ndata_syms; i++)
			if (strcmp(n->names.str[n->elf->data_syms[i].name], "runtime.data") == 0)
				n->bias = (int64_t)(d->data_addr - n->elf->data_syms[i].addr);
	o->global_name = global_name;
	o->global_ctx = n;
}

void ms_godump_names_close(ms_godump_names *n)
{
	if (n->elf)
		ms_elfobj_free(n->elf);
	ms_strtab_free(&n->names);
	n->elf = NULL;
}
