/* demangle.h — C++ (Itanium ABI) and Rust (legacy and v0) symbol names
 * made readable, the way pprof shows them: by default its "simplified"
 * form (no parameters, no template arguments, no return type, no clone
 * suffix: `std::vector::push_back`, `operator new`), or the full form that
 * c++filt prints, or none. Functions keep the raw symbol as their
 * system_name, as pprof's do. */
#ifndef MS_DEMANGLE_H
#define MS_DEMANGLE_H

#include <stdbool.h>

#include "profile/profile.h"

typedef enum ms_demangle_mode {
	MS_DEMANGLE_SIMPLIFIED = 0, /* pprof's default */
	MS_DEMANGLE_TEMPLATES,      /* pprof's demangle=templates: keeps template arguments */
	MS_DEMANGLE_FULL,           /* parameters, templates, return types: c++filt */
	MS_DEMANGLE_NONE,           /* the raw symbols */
} ms_demangle_mode;

/* "simplified" (or "default"), "templates", "full", "none" -> mode; -1 if unknown. */
int ms_demangle_mode_parse(const char *s, ms_demangle_mode *out);

/* The readable form of sym (malloc'd), or NULL when sym is not a mangled
 * C++ or Rust name (or mode is none). */
char *ms_demangle(const char *sym, ms_demangle_mode mode);

/* Demangles every function of p: name = demangled system_name (a function
 * without a system_name gets its name as one). Without force, a function
 * whose name already differs from its system_name is left alone (it was
 * demangled before: pprof's rule); with force, names are made again from
 * the system names (mode none restores them). */
void ms_profile_demangle(ms_profile *p, ms_demangle_mode mode, bool force);

#endif
