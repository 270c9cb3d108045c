/* cmds.h — every subcommand's entry point; the table is in src/memscope.c.
 * Each command parses its options and calls the libraries: no format or
 * analysis logic lives in src/cmd/. */
#ifndef MS_CMDS_H
#define MS_CMDS_H

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

#endif
