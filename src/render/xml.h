/* xml.h — escaping text for the SVG renderers. */
#ifndef MS_XML_H
#define MS_XML_H

#include <stdio.h>

/* Writes s with <, >, & and " escaped; control bytes other than tab and
 * newline (not allowed in XML 1.0) become '?'. */
void ms_xml_write_text(FILE *fp, const char *s);

#endif
