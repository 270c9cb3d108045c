/* demangle.c — C++ and Rust symbols made readable with libiberty (the
 * demangler of binutils' c++filt), in pprof's forms.
 *
 * full:        c++filt's output: cplus_demangle(sym, DMGL_PARAMS | DMGL_ANSI
 *              | DMGL_VERBOSE), e.g.
 *              `std::vector<int, std::allocator<int> >::push_back(int const&)`.
 * simplified:  pprof's default (internal/symbolizer demanglerModeToOptions:
 *              NoParams, NoEnclosingParams, NoTemplateParams), made on
 *              libiberty's component tree before printing:
 *                - a clone suffix (`.cold`, `.isra.0`) is dropped;
 *                - the top-level function type goes: its parameters, its
 *                  `this` qualifiers (`const`, held on the name in
 *                  libiberty's tree) and a template function's return type;
 *                - every template argument list goes (`std::vector<int>` ->
 *                  `std::vector`), in scopes, constructors and destructors;
 *                - an enclosing function of a local name keeps empty
 *                  parentheses (`A::f()::x`), a lambda its signature
 *                  (`main::{lambda()#1}::operator()`), as pprof prints them;
 *                - thunks and guard variables are simplified inside.
 * templates:   like simplified, template arguments kept.
 * Rust:        rust_demangle handles legacy (`_ZN...17h<hash>E`) and v0
 *              (`_R...`) symbols. full is c++filt's (DMGL_VERBOSE: legacy
 *              hashes and v0 crate disambiguators kept); simplified drops
 *              them and, for v0 symbols, every generic argument list
 *              (`Box<LeafNode<K, V>>` -> `Box`, `catch_unwind::<F, R>` ->
 *              `catch_unwind`), as it drops C++ template arguments; pprof
 *              leaves empty brackets there (`Box<>`, `Fn<, Output = i32>`),
 *              an artefact not copied. A legacy name keeps its text
 *              (`RawVec<T,A>::with_capacity_in`), as pprof's does.
 * The results were checked against `c++filt` and `go tool pprof` on a real
 * C++ program's profile (tests/check_profile.c, tests/cli/top.t).
 */
#include "config.h"
#include "profile/demangle.h"

#include <libiberty/demangle.h>
#include <stdlib.h>
#include <string.h>

int ms_demangle_mode_parse(const char *s, ms_demangle_mode *out)
{
	static const struct {
		const char *name;
		ms_demangle_mode mode;
	} modes[] = {
		{ "simplified", MS_DEMANGLE_SIMPLIFIED },
		{ "default", MS_DEMANGLE_SIMPLIFIED },
		{ "templates", MS_DEMANGLE_TEMPLATES },
		{ "full", MS_DEMANGLE_FULL },
		{ "none", MS_DEMANGLE_NONE },
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(s, modes[i].name) == 0) {
			*out = modes[i].mode;
			return 0;
		}
	return -1;
}

typedef struct demangle_component dc_t;

#define MAX_DEPTH 256

static int is_fn_qualifier(enum demangle_component_type t)
{
	switch (t) {
	case DEMANGLE_COMPONENT_CONST_THIS:
	case DEMANGLE_COMPONENT_VOLATILE_THIS:
	case DEMANGLE_COMPONENT_RESTRICT_THIS:
	case DEMANGLE_COMPONENT_REFERENCE_THIS:
	case DEMANGLE_COMPONENT_RVALUE_REFERENCE_THIS:
	case DEMANGLE_COMPONENT_TRANSACTION_SAFE:
	case DEMANGLE_COMPONENT_NOEXCEPT:
	case DEMANGLE_COMPONENT_THROW_SPEC:
		return 1;
	default:
		return 0;
	}
}

static void simplify_name(dc_t **pp, int keep_templates, int depth);

/* The function an entity is local to: its name simplified, its function
 * type printed as "()" (pprof's NoEnclosingParams). */
static void simplify_enclosing(dc_t **pp, int keep_templates, int depth)
{
	dc_t *d = *pp;
	if (!d || depth > MAX_DEPTH)
		return;
	if (d->type != DEMANGLE_COMPONENT_TYPED_NAME) {
		simplify_name(pp, keep_templates, depth + 1);
		return;
	}
	simplify_name(&d->u.s_binary.left, keep_templates, depth + 1);
	dc_t *ft = d->u.s_binary.right;
	for (int k = 0; ft && is_fn_qualifier(ft->type) && k < MAX_DEPTH; k++)
		ft = ft->u.s_binary.left;
	if (ft && ft->type == DEMANGLE_COMPONENT_FUNCTION_TYPE) {
		ft->u.s_binary.left = NULL;  /* return type */
		ft->u.s_binary.right = NULL; /* parameters */
	}
}

static void simplify_name(dc_t **pp, int keep_templates, int depth)
{
	dc_t *d = *pp;
	if (!d || depth > MAX_DEPTH)
		return;
	if (is_fn_qualifier(d->type)) { /* `this` qualifiers print after the parameters: they go with them */
		*pp = d->u.s_binary.left;
		simplify_name(pp, keep_templates, depth + 1);
		return;
	}
	switch (d->type) {
	case DEMANGLE_COMPONENT_TEMPLATE:
		if (keep_templates) {
			simplify_name(&d->u.s_binary.left, keep_templates, depth + 1);
			return;
		}
		*pp = d->u.s_binary.left;
		simplify_name(pp, keep_templates, depth + 1);
		return;
	case DEMANGLE_COMPONENT_QUAL_NAME:
		simplify_name(&d->u.s_binary.left, keep_templates, depth + 1);
		simplify_name(&d->u.s_binary.right, keep_templates, depth + 1);
		return;
	case DEMANGLE_COMPONENT_LOCAL_NAME:
		simplify_enclosing(&d->u.s_binary.left, keep_templates, depth + 1);
		simplify_name(&d->u.s_binary.right, keep_templates, depth + 1);
		return;
	case DEMANGLE_COMPONENT_CTOR:
		simplify_name(&d->u.s_ctor.name, keep_templates, depth + 1);
		return;
	case DEMANGLE_COMPONENT_DTOR:
		simplify_name(&d->u.s_dtor.name, keep_templates, depth + 1);
		return;
	default:
		return;
	}
}

/* A whole encoding: the clone suffixes and the top-level function type go. */
static dc_t *simplify_encoding(dc_t *d, int keep_templates, int depth)
{
	while (d && d->type == DEMANGLE_COMPONENT_CLONE && depth++ < MAX_DEPTH)
		d = d->u.s_binary.left;
	if (!d || depth > MAX_DEPTH)
		return d;
	switch (d->type) {
	case DEMANGLE_COMPONENT_TYPED_NAME:
		d = d->u.s_binary.left;
		break;
	case DEMANGLE_COMPONENT_THUNK:
	case DEMANGLE_COMPONENT_VIRTUAL_THUNK:
	case DEMANGLE_COMPONENT_COVARIANT_THUNK:
	case DEMANGLE_COMPONENT_GUARD:
	case DEMANGLE_COMPONENT_TRANSACTION_CLONE:
	case DEMANGLE_COMPONENT_NONTRANSACTION_CLONE:
		d->u.s_binary.left = simplify_encoding(d->u.s_binary.left, keep_templates, depth + 1);
		return d;
	default:
		break;
	}
	simplify_name(&d, keep_templates, depth + 1);
	return d;
}

static char *demangle_simplified(const char *sym, int keep_templates)
{
	void *mem = NULL;
	dc_t *d = cplus_demangle_v3_components(sym, DMGL_PARAMS | DMGL_ANSI, &mem);
	if (!d) {
		free(mem);
		return NULL;
	}
	d = simplify_encoding(d, keep_templates, 0);
	size_t alc = 0;
	char *out = d ? cplus_demangle_print(DMGL_PARAMS | DMGL_ANSI, d, (int)strlen(sym) * 2, &alc) : NULL;
	free(mem);
	return out;
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Removes the generic argument lists of a demangled Rust v0 path, in place:
 * a '<' right after an identifier or after "::" (a turbofish, whose "::"
 * goes too) opens one, and it is dropped with everything up to its
 * matching '>' ("->" of a fn type is no bracket). Any other '<' opens a
 * qualified path (`<T as Trait>::f`, `<Box<T>>::new`), which stays, its
 * insides simplified the same way. */
static void strip_rust_generics(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		int turbofish = r[0] == ':' && r[1] == ':' && r[2] == '<';
		if (turbofish || (*r == '<' && w > s && ident_char(w[-1]))) {
			const char *q = r + (turbofish ? 2 : 0);
			int depth = 0;
			for (; *q; q++) {
				if (*q == '-' && q[1] == '>') {
					q++;
					continue;
				}
				if (*q == '<')
					depth++;
				else if (*q == '>' && --depth == 0)
					break;
			}
			if (!*q) /* unbalanced: leave the rest as it is */
				break;
			r = q + 1;
			continue;
		}
		*w++ = *r++;
	}
	if (w != s + strlen(s))
		*w = 0;
}

/* libiberty's Rust v0 printer loops once per lifetime a binder introduces
 * (`for<'a, 'b, ...>`), and the count is a base-62 number from the symbol,
 * so ~150 bytes made it run for minutes (found by fuzz_demangle). In v0 a
 * binder "G<base-62>_" comes right after the tag of a fn signature ("F")
 * or of dyn bounds ("D"); real ones  bind a handful of lifetimes. A symbol
 * whose binder would bind 62 or more is left mangled. (Elsewhere, e.g.
 * in a crate hash, "FG"/"DG" only makes the check skip a good symbol:
 * it then shows mangled.) */
static int rust_binder_too_large(const char *sym)
{
	for (const char *p = sym + 1; (p = strchr(p, 'G')) != NULL; p++) {
		if (p[-1] != 'F' && p[-1] != 'D')
			continue;
		size_t n = 0;
		while ((p[1 + n] >= '0' && p[1 + n] <= '9') || (p[1 + n] >= 'a' && p[1 + n] <= 'z') ||
		       (p[1 + n] >= 'A' && p[1 + n] <= 'Z'))
			n++;
		if (n >= 2 && p[1 + n] == '_') /* two digits: at least 62 + 1 */
			return n > 2 || p[1] != '0';
	}
	return 0;
}

char *ms_demangle(const char *sym, ms_demangle_mode mode)
{
	if (!sym || mode == MS_DEMANGLE_NONE || sym[0] != '_' || (sym[1] != 'Z' && sym[1] != 'R'))
		return NULL;
	if (sym[1] == 'R' && rust_binder_too_large(sym))
		return NULL;
	char *r = rust_demangle(sym, mode == MS_DEMANGLE_FULL ? DMGL_VERBOSE : 0);
	if (r) {
		if (sym[1] == 'R' && mode == MS_DEMANGLE_SIMPLIFIED)
			strip_rust_generics(r);
		return r;
	}
	if (sym[1] != 'Z')
		return NULL;
	if (mode == MS_DEMANGLE_FULL)
		return cplus_demangle(sym, DMGL_PARAMS | DMGL_ANSI | DMGL_VERBOSE);
	return demangle_simplified(sym, mode == MS_DEMANGLE_TEMPLATES);
}

void ms_profile_demangle(ms_profile *p, ms_demangle_mode mode, bool force)
{
	for (size_t i = 0; i < p->nfunctions; i++) {
		ms_function *f = &p->functions[i];
		uint32_t sys = f->system_name ? f->system_name : f->name;
		if (!sys)
			continue;
		if (!force && f->name && f->system_name &&
			strcmp(ms_profile_string(p, f->name), ms_profile_string(p, f->system_name)) != 0)
			continue; /* demangled before */
		char *d = ms_demangle(ms_profile_string(p, sys), mode);
		if (d) {
			f->system_name = sys;
			f->name = ms_profile_str(p, d);
			free(d);
		} else if (force && f->system_name) {
			f->name = f->system_name;
		}
	}
}
