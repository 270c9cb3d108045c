/* xml.h — the one XML text escaper of the SVG renderers (flame graphs,
 * gctrace and frag charts): escapes markup characters and validates UTF-8,
 * so a name from the input (a symbol, a file name) never makes the SVG
 * ill-formed. */
#ifndef MS_XML_H
#define MS_XML_H

#include <stddef.h>
#include <stdio.h>

#include "util/buf.h"

/* Length of the UTF-8 sequence at p (n bytes available) when it is a valid
 * XML 1.0 Char (tab, newline, carriage return, U+0020 and up except
 * U+FFFE/U+FFFF), 0 if it is not. */
size_t ms_xml_char_len(const unsigned char *p, size_t n);
/* Number of characters in s (each invalid byte counts as one). */
size_t ms_xml_char_count(const char *s, size_t n);
/* Appends at most maxchars characters of s (n bytes) to b with <, >, & and
 * " escaped; a byte that does not start a valid XML Char becomes U+FFFD. */
void ms_xml_add(ms_buf *b, const char *s, size_t n, size_t maxchars);
/* The same for a NUL-terminated string written to fp. */
void ms_xml_write_text(FILE *fp, const char *s);

#endif
