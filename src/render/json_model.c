/* json_model.c — streaming JSON dump of the profile model. */
#include "config.h"
#include "render/json_model.h"

#include <inttypes.h>
#include <string.h>

#include "util/utf8.h"

void ms_json_write_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		const unsigned char *c = (const unsigned char *)s + i;
		if (*c >= 0x80) { /* a UTF-8 sequence as it is, an invalid byte as U+FFFD */
			size_t l = ms_utf8_len(c, n - i, NULL);
			if (l)
				fwrite(c, 1, l, fp);
			else
				fputs(MS_UTF8_REPLACEMENT, fp);
			i += l ? l : 1;
			continue;
		}
		switch (*c) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*c < 0x20)
				fprintf(fp, "\\u%04x", *c);
			else
				fputc(*c, fp);
		}
		i++;
	}
	fputc('"', fp);
}

static void str_field(FILE *fp, const ms_profile *p, const char *key, uint32_t id, int comma)
{
	fprintf(fp, "%s\"%s\": ", comma ? ", " : "", key);
	ms_json_write_string(fp, ms_profile_string(p, id));
}

static uint64_t id_or_index(uint64_t id, size_t index) { return id ? id : index + 1; }

int ms_render_model_json(FILE *fp, const ms_profile *p)
{
	fputs("{\n  \"sample_types\": [", fp);
	for (size_t i = 0; i < p->ntypes; i++) {
		fputs(i ? ", {" : "{", fp);
		str_field(fp, p, "type", p->types[i].type, 0);
		str_field(fp, p, "unit", p->types[i].unit, 1);
		fputc('}', fp);
	}
	fputs("],\n  ", fp);
	str_field(fp, p, "default_sample_type", p->default_type, 0);
	fputs(",\n  \"period_type\": {", fp);
	str_field(fp, p, "type", p->period_type.type, 0);
	str_field(fp, p, "unit", p->period_type.unit, 1);
	fprintf(fp, "},\n  \"period\": %" PRId64 ",\n  \"time_nanos\": %" PRId64 ",\n  \"duration_nanos\": %" PRId64
		",\n  \"comments\": [", p->period, p->time_nanos, p->duration_nanos);
	for (size_t i = 0; i < p->ncomments; i++) {
		if (i)
			fputs(", ", fp);
		ms_json_write_string(fp, ms_profile_string(p, p->comments[i]));
	}
	fputs("],\n  \"mappings\": [", fp);
	for (size_t i = 0; i < p->nmappings; i++) {
		const ms_mapping *m = &p->mappings[i];
		fprintf(fp, "%s\n    {\"id\": %" PRIu64 ", \"start\": %" PRIu64 ", \"limit\": %" PRIu64
			", \"offset\": %" PRIu64, i ? "," : "", id_or_index(m->id, i), m->start, m->limit, m->offset);
		str_field(fp, p, "filename", m->filename, 1);
		str_field(fp, p, "build_id", m->build_id, 1);
		fputc('}', fp);
	}
	fputs("],\n  \"functions\": [", fp);
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ms_function *f = &p->functions[i];
		fprintf(fp, "%s\n    {\"id\": %" PRIu64, i ? "," : "", id_or_index(f->id, i));
		str_field(fp, p, "name", f->name, 1);
		str_field(fp, p, "system_name", f->system_name, 1);
		str_field(fp, p, "filename", f->filename, 1);
		fprintf(fp, ", \"start_line\": %" PRId64 "}", f->start_line);
	}
	fputs("],\n  \"locations\": [", fp);
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *l = &p->locations[i];
		uint64_t mid = l->mapping == MS_NONE ? 0 : id_or_index(p->mappings[l->mapping].id, l->mapping);
		fprintf(fp, "%s\n    {\"id\": %" PRIu64 ", \"mapping_id\": %" PRIu64 ", \"address\": %" PRIu64
			", \"lines\": [", i ? "," : "", id_or_index(l->id, i), mid, l->address);
		for (uint32_t k = 0; k < l->nlines; k++) {
			const ms_line *ln = &p->lines[l->line_off + k];
			fprintf(fp, "%s{\"function_id\": %" PRIu64 ", \"line\": %" PRId64 "}", k ? ", " : "",
				id_or_index(p->functions[ln->function].id, ln->function), ln->line);
		}
		fputs("]}", fp);
	}
	fputs("],\n  \"samples\": [", fp);
	for (size_t i = 0; i < p->nsamples; i++) {
		const ms_sample *s = &p->samples[i];
		fprintf(fp, "%s\n    {\"locations\": [", i ? "," : "");
		for (uint32_t k = 0; k < s->depth; k++) {
			uint32_t li = p->stack[s->stack_off + k];
			fprintf(fp, "%s%" PRIu64, k ? ", " : "", id_or_index(p->locations[li].id, li));
		}
		fputs("], \"values\": [", fp);
		for (size_t t = 0; t < p->ntypes; t++)
			fprintf(fp, "%s%" PRId64, t ? ", " : "", p->values[i * p->ntypes + t]);
		fputs("], \"labels\": [", fp);
		for (uint32_t k = 0; k < s->nlabels; k++) {
			const ms_label *lb = &p->labels[s->label_off + k];
			fputs(k ? ", {" : "{", fp);
			str_field(fp, p, "key", lb->key, 0);
			if (lb->str)
				str_field(fp, p, "str", lb->str, 1);
			else {
				fprintf(fp, ", \"num\": %" PRId64, lb->num);
				if (lb->num_unit)
					str_field(fp, p, "num_unit", lb->num_unit, 1);
			}
			fputc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs("\n  ]\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}
