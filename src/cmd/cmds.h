/* cmds.h — every subcommand's entry point; the table is in src/memscope.c.
 * Each command parses its options and calls the libraries: no format or
 * analysis logic lives in src/cmd/. */
#ifndef MS_CMDS_H
#define MS_CMDS_H

#include "profile/load.h"

int cmd_top(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_leaks(int argc, char **argv);
int cmd_frag(int argc, char **argv);
int cmd_symbolize(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_gctrace(int argc, char **argv);
int cmd_flame(int argc, char **argv);
int cmd_heapdump(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_escape(int argc, char **argv);
int cmd_peek(int argc, char **argv);
int cmd_traces(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_tags(int argc, char **argv);

/* Loads path like ms_profile_load and prints the reader's warnings (one
 * "memscope: warning: FILE: ..." line each); NULL with err set on error
 * (cmd_load.c). Every command loads its profiles through it. */
ms_profile *ms_cmd_load(const char *path, const ms_load_opts *lo, ms_err *err);
/* Loads paths[0..n) and merges them as pprof merges several inputs, then
 * subtracts base if non-NULL (pprof -base); cmd_load.c. */
ms_profile *ms_cmd_load_inputs(char *const *paths, size_t n, const char *base, const ms_load_opts *lo, ms_err *err);

#endif
