/* xml.c — XML text escaping shared by the SVG renderers. */
#include "render/xml.h"

void ms_xml_write_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
				fputc('?', fp);
			else
				fputc(*s, fp);
		}
	}
}
