/* dwarfcheck.h — checks of raw DWARF sections before libdwarf reads them
 * (libdwarf 20210528 frees twice or loops for ever on some corrupt input;
 * see dwarfcheck.c). Each returns NULL, or what is wrong and in *at the
 * section offset of the unit or DIE where it is. Internal to
 * src/symbolize/. */
#ifndef MS_SYMBOLIZE_DWARFCHECK_H
#define MS_SYMBOLIZE_DWARFCHECK_H

#include <stdbool.h>
#include <stdint.h>

/* .debug_rnglists / .debug_loclists unit headers. */
const char *ms_dwarf_check_lists(const unsigned char *d, uint64_t size, bool msb, uint64_t *at);

/* Every unit and DIE of .debug_info against .debug_abbrev. */
const char *ms_dwarf_check_info(const unsigned char *info, uint64_t info_size, const unsigned char *abbrev,
	uint64_t abbrev_size, bool msb, uint64_t *at);

/* Line-table headers of .debug_line: every file's directory index inside
 * its directory table. */
const char *ms_dwarf_check_line(const unsigned char *d, uint64_t size, bool msb, uint64_t *at);

#endif
