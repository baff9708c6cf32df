/*
 * test_scan_split.c - the two-thread scan (lib/scan_split.h) gives the
 * records and events of the one-thread scan, in the same order, and keeps
 * its second half only when the guesses made at the cut hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ztk/ztk.h>
#include "scan_split.h"
#include "tap.h"

/* Every record and event as one line of text, in arrival order; the
 * line number apart, as part 2's count from the cut until the end. */
struct log {
	char **text;
	uint32_t *line;
	size_t n, cap;
};

static void
put(struct log *g, const char *s, uint32_t line)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->text = realloc(g->text, g->cap * sizeof *g->text);
		g->line = realloc(g->line, g->cap * sizeof *g->line);
		if (g->text == NULL || g->line == NULL)
			abort();
	}
	g->text[g->n] = strdup(s);
	g->line[g->n++] = line;
}

static void
log_free(struct log *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->text[i]);
	free(g->text);
	free(g->line);
}

static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	char owner[ZTK_DNAME_TEXT_MAX], rd[2048], tb[16], cb[16], t[4200];
	ztk_dname_print(rr->owner, owner);
	if (ztk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, rd, sizeof rd) < 0)
		strcpy(rd, "<bad>");
	snprintf(t, sizeof t, "%s %u %s %s %s col %u flags %u", owner, rr->ttl,
		ztk_rrclass_name(rr->rclass, cb), ztk_rrtype_name(rr->type, tb),
		rd, rr->col, rr->flags);
	put(ctx, t, rr->line);
	return 0;
}

static void
on_event(void *ctx, const struct ztk_scan_event *ev)
{
	char t[800];
	snprintf(t, sizeof t, "event %s col %u %s", ev->check, ev->col,
		ev->message);
	put(ctx, t, ev->line);
}

static const uint8_t example[] = "\7example\3com";

/* Scan path both ways and compare; returns whether the split kept its
 * second half. */
static bool
compare(const char *path, const char *what)
{
	struct log one = { 0 }, a = { 0 }, b = { 0 };
	struct ztk_scan_opts o = { .origin = example, .on_rr = on_rr,
		.on_event = on_event, .ctx = &one, .max_errors = 20 };
	struct ztk_scan_stats s1, s2;
	int r1 = ztk_scan_file(path, &o, &s1);
	o.ctx = &a;
	bool used2;
	uint32_t off;
	int r2 = ztk_scan_file_split(path, &o, on_rr, &b, 0, &s2, &used2, &off);
	size_t total = a.n + (used2 ? b.n : 0);
	is_int(r2, r1, "%s: same return", what);
	is_int(total, one.n, "%s: as many records and events", what);
	size_t bad = 0;
	for (size_t i = 0; i < one.n && i < total; i++) {
		bool in_a = i < a.n;
		const char *t = in_a ? a.text[i] : b.text[i - a.n];
		uint32_t line = in_a ? a.line[i] : b.line[i - a.n] + off;
		if (strcmp(t, one.text[i]) != 0 || line != one.line[i]) {
			if (bad++ == 0)
				printf("# first difference at %zu: line %u \"%s\""
					" vs line %u \"%s\"\n", i, line, t,
					one.line[i], one.text[i]);
		}
	}
	is_int(bad, 0, "%s: same records and events, in order", what);
	is_int(s2.records, s1.records, "%s: same record count", what);
	is_int(s2.errors, s1.errors, "%s: same error count", what);
	is_int(s2.warnings, s1.warnings, "%s: same warning count", what);
	is_int(s2.have_origin, s1.have_origin, "%s: origin known alike", what);
	ok(!s1.have_origin || memcmp(s2.origin, s1.origin,
		ztk_dname_len(s1.origin)) == 0, "%s: same final origin", what);
	log_free(&one);
	log_free(&a);
	log_free(&b);
	return used2;
}

static char tmpl[] = "/tmp/test_scan_split.XXXXXX";

/* A zone of n names in the mixed styles of hand-written files. */
static void
body(FILE *f, int from, int n, const char *cls)
{
	for (int i = from; i < from + n; i++) {
		switch (i % 5) {
		case 0:
			fprintf(f, "host-%d\t300 %s A 192.0.2.%d ; note\n"
				"\t%s AAAA 2001:db8::%x\n", i, cls, i % 250,
				cls, i);
			break;
		case 1:
			fprintf(f, "Mail-%d %s MX 10 host-%d\n", i, cls, i - 1);
			break;
		case 2:
			fprintf(f, "txt-%d %s TXT \"a \\\"q\\\" ;(\" ( \"two\"\n"
				"\t\"three\" )\n", i, cls);
			break;
		case 3:
			fprintf(f, "w-%d.example.com. 60 %s CNAME host-%d\n", i,
				cls, i - 3);
			break;
		default:
			fprintf(f, "sub-%d %s NS ns1.sub-%d\nns1.sub-%d %s A "
				"198.51.100.1\n", i, cls, i, i, cls);
		}
	}
}

static const char *
write_zone(void (*fill)(FILE *f))
{
	static char path[64];
	snprintf(path, sizeof path, "%s/z.zone", tmpl);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		abort();
	fill(f);
	fclose(f);
	return path;
}

static void
plain(FILE *f)
{
	fputs("$TTL 3600\n$ORIGIN example.com.\n@ SOA ns1 h ( 1 7200 3600 "
		"1209600 300 )\n  NS ns1\nns1 A 192.0.2.53\n", f);
	body(f, 0, 3000, "IN");
}

static void
relative_origin(FILE *f)
{
	fputs("$TTL 1h\n$ORIGIN com.\n$ORIGIN example\n", f);
	body(f, 0, 100, "");
	fputs("$ORIGIN sub\n", f);
	body(f, 100, 3000, "");
}

static void
cut_in_parens(FILE *f)
{
	fputs("$TTL 3600\n", f);
	body(f, 0, 50, "IN");
	/* continuation lines that start in column 1, like owner names */
	fputs("long TXT (\n", f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "w%d\n", i);
	fputs(")\n", f);
	body(f, 50, 50, "IN");
}

static void
chaos_class(FILE *f)
{
	/* a class given once holds for the records after it */
	fputs("$TTL 3600\n", f);
	body(f, 0, 2000, "CH");
	body(f, 2000, 2000, "");
}

static void
error_after_cut(FILE *f)
{
	fputs("$TTL 3600\n", f);
	body(f, 0, 2500, "IN");
	fputs("bad A 192.0.2.300\nbad2 NOTATYPE x\n", f);
	body(f, 2500, 1500, "IN");
	fputs("bad3 A 1.2.3.4 extra\n", f);
}

static void
no_ttl(FILE *f)
{
	fputs("a 60 A 192.0.2.1\n", f);
	body(f, 0, 3000, "IN");
}

static void
include_after_cut(FILE *f)
{
	fputs("$TTL 3600\n", f);
	body(f, 0, 2500, "IN");
	fputs("$INCLUDE inc.zone\n", f);
	body(f, 2500, 1500, "IN");
}

static void
inc(FILE *f)
{
	fputs("$ORIGIN inc.example.com.\nin A 192.0.2.7\n", f);
}

int
main(void)
{
	if (mkdtemp(tmpl) == NULL)
		return 1;
	ok(compare(write_zone(plain), "plain zone"),
		"plain zone: second half kept");
	ok(compare(write_zone(relative_origin), "relative $ORIGIN"),
		"relative $ORIGIN: origin guessed through the chain");
	ok(!compare(write_zone(cut_in_parens), "cut inside ( )"),
		"cut inside ( ): second half dropped");
	ok(!compare(write_zone(chaos_class), "class before the cut"),
		"class before the cut: second half dropped");
	ok(!compare(write_zone(error_after_cut), "errors after the cut"),
		"errors after the cut: reported in order by one thread");
	ok(!compare(write_zone(no_ttl), "no $TTL"),
		"no $TTL: second half dropped");
	char incpath[80];
	snprintf(incpath, sizeof incpath, "%s/inc.zone", tmpl);
	FILE *f = fopen(incpath, "w");
	if (f == NULL)
		return 1;
	inc(f);
	fclose(f);
	ok(!compare(write_zone(include_after_cut), "$INCLUDE after the cut"),
		"$INCLUDE after the cut: second half dropped");
	unlink(incpath);
	char zp[80];
	snprintf(zp, sizeof zp, "%s/z.zone", tmpl);
	unlink(zp);
	rmdir(tmpl);
	return done_testing();
}
