/* render.c - findings as text, JSON or SARIF 2.1.0 (see ztk/findings.h). */
#include <stdio.h>
#include <string.h>
#include <ztk/error.h>
#include <ztk/findings.h>

static const char *
sev_name(enum ztk_severity s)
{
	return s == ZTK_SEV_ERROR ? "error" : s == ZTK_SEV_WARNING ?
		"warning" : "info";
}

void
ztk_json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}

static void
render_text(const struct ztk_findings *f, const struct ztk_render_opts *o,
	FILE *out)
{
	static const char *colors[] = { "\033[1;31m", "\033[1;33m",
		"\033[1;36m" };
	for (size_t i = 0; i < ztk_findings_count(f); i++) {
		const struct ztk_finding *d = ztk_findings_get(f, i);
		if (d->file) {
			fputs(d->file, out);
			if (d->line) {
				fprintf(out, ":%u", d->line);
				if (d->col)
					fprintf(out, ":%u", d->col);
			}
			fputs(": ", out);
		}
		if (o->color)
			fprintf(out, "%s%s:\033[0m ", colors[d->severity],
				sev_name(d->severity));
		else
			fprintf(out, "%s: ", sev_name(d->severity));
		fputs(d->message, out);
		fprintf(out, " [%s]\n", d->check);
		if (o->hints && d->hint)
			fprintf(out, "    hint: %s\n", d->hint);
	}
}

static void
json_finding(FILE *out, const struct ztk_finding *d)
{
	fputs("{\"check\":", out);
	ztk_json_string(out, d->check);
	fprintf(out, ",\"severity\":\"%s\"", sev_name(d->severity));
	if (d->file) {
		fputs(",\"file\":", out);
		ztk_json_string(out, d->file);
	}
	if (d->line)
		fprintf(out, ",\"line\":%u", d->line);
	if (d->col)
		fprintf(out, ",\"column\":%u", d->col);
	if (d->owner) {
		fputs(",\"owner\":", out);
		ztk_json_string(out, d->owner);
	}
	fputs(",\"message\":", out);
	ztk_json_string(out, d->message);
	if (d->hint) {
		fputs(",\"hint\":", out);
		ztk_json_string(out, d->hint);
	}
	putc('}', out);
}

static void
render_json(const struct ztk_findings *f, const struct ztk_render_opts *o,
	FILE *out)
{
	fputs("{\"tool\":", out);
	ztk_json_string(out, o->tool ? o->tool : "ztk");
	fputs(",\"version\":", out);
	ztk_json_string(out, o->version ? o->version : "");
	if (o->json_extra && *o->json_extra)
		fprintf(out, ",%s", o->json_extra);
	fprintf(out, ",\"summary\":{\"errors\":%zu,\"warnings\":%zu,"
		"\"info\":%zu}", ztk_findings_count_sev(f, ZTK_SEV_ERROR),
		ztk_findings_count_sev(f, ZTK_SEV_WARNING),
		ztk_findings_count_sev(f, ZTK_SEV_INFO));
	fputs(",\"findings\":[", out);
	for (size_t i = 0; i < ztk_findings_count(f); i++) {
		if (i)
			putc(',', out);
		fputs("\n  ", out);
		json_finding(out, ztk_findings_get(f, i));
	}
	fputs("\n]}\n", out);
}

static const char *
sarif_level(enum ztk_severity s)
{
	return s == ZTK_SEV_ERROR ? "error" : s == ZTK_SEV_WARNING ?
		"warning" : "note";
}

static void
render_sarif(const struct ztk_findings *f, const struct ztk_render_opts *o,
	FILE *out)
{
	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
		"\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{"
		"\"name\":", out);
	ztk_json_string(out, o->tool ? o->tool : "ztk");
	fputs(",\"version\":", out);
	ztk_json_string(out, o->version ? o->version : "");
	fputs(",\"rules\":[", out);
	for (size_t i = 0; i < o->nchecks; i++) {
		const struct ztk_check_info *c = &o->checks[i];
		fputs(i ? ",\n" : "\n", out);
		fputs("{\"id\":", out);
		ztk_json_string(out, c->id);
		fputs(",\"shortDescription\":{\"text\":", out);
		ztk_json_string(out, c->summary);
		fprintf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"}",
			sarif_level(c->severity));
		if (c->reference) {
			fputs(",\"properties\":{\"reference\":", out);
			ztk_json_string(out, c->reference);
			putc('}', out);
		}
		putc('}', out);
	}
	fputs("]}},\"results\":[", out);
	for (size_t i = 0; i < ztk_findings_count(f); i++) {
		const struct ztk_finding *d = ztk_findings_get(f, i);
		fputs(i ? ",\n" : "\n", out);
		fputs("{\"ruleId\":", out);
		ztk_json_string(out, d->check);
		for (size_t k = 0; k < o->nchecks; k++)
			if (strcmp(o->checks[k].id, d->check) == 0) {
				fprintf(out, ",\"ruleIndex\":%zu", k);
				break;
			}
		fprintf(out, ",\"level\":\"%s\",\"message\":{\"text\":",
			sarif_level(d->severity));
		/* SARIF has one message; the hint rides along after it */
		if (d->hint) {
			char buf[2048];
			snprintf(buf, sizeof buf, "%s (hint: %s)", d->message,
				d->hint);
			ztk_json_string(out, buf);
		} else {
			ztk_json_string(out, d->message);
		}
		putc('}', out);
		if (d->file) {
			fputs(",\"locations\":[{\"physicalLocation\":{"
				"\"artifactLocation\":{\"uri\":", out);
			ztk_json_string(out, d->file);
			putc('}', out);
			if (d->line) {
				fprintf(out, ",\"region\":{\"startLine\":%u",
					d->line);
				if (d->col)
					fprintf(out, ",\"startColumn\":%u",
						d->col);
				putc('}', out);
			}
			putc('}', out);
			if (d->owner) {
				fputs(",\"logicalLocations\":[{\"name\":", out);
				ztk_json_string(out, d->owner);
				fputs(",\"kind\":\"domainName\"}]", out);
			}
			fputs("}]", out);
		}
		putc('}', out);
	}
	fputs("\n]}]}\n", out);
}

int
ztk_findings_render(const struct ztk_findings *f, enum ztk_render_format fmt,
	const struct ztk_render_opts *o, FILE *out)
{
	switch (fmt) {
	case ZTK_RENDER_TEXT: render_text(f, o, out); break;
	case ZTK_RENDER_JSON: render_json(f, o, out); break;
	case ZTK_RENDER_SARIF: render_sarif(f, o, out); break;
	}
	return ferror(out) ? ZTK_EIO : 0;
}
