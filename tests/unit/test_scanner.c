/* test_scanner.c - the zone file scanner: directives, syntax, errors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ztk/ztk.h>
#include "tap.h"

#define MAXREC 64
struct got {
	int n;
	char text[MAXREC][1600];
	uint32_t ttl[MAXREC], line[MAXREC], col[MAXREC];
	uint16_t flags[MAXREC];
	int nev;
	char ev[MAXREC][600];
	const char *evcheck[MAXREC];
};

static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	struct got *g = ctx;
	if (g->n >= MAXREC)
		return 0;
	char owner[ZTK_DNAME_TEXT_MAX], rd[400], tb[16];
	ztk_dname_print(rr->owner, owner);
	if (ztk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, rd, sizeof rd) < 0)
		strcpy(rd, "<bad>");
	snprintf(g->text[g->n], sizeof g->text[0], "%s %s %s", owner,
		ztk_rrtype_name(rr->type, tb), rd);
	g->ttl[g->n] = rr->ttl;
	g->line[g->n] = rr->line;
	g->col[g->n] = rr->col;
	g->flags[g->n] = rr->flags;
	g->n++;
	return 0;
}

static void
on_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct got *g = ctx;
	if (g->nev >= MAXREC)
		return;
	snprintf(g->ev[g->nev], sizeof g->ev[0], "%u:%u: %s", ev->line,
		ev->col, ev->message);
	g->evcheck[g->nev] = ev->check;
	g->nev++;
}

static const uint8_t example[] = "\7example\3com";

static struct got *
scan(const char *text, const uint8_t *origin)
{
	static struct got g;
	memset(&g, 0, sizeof g);
	struct ztk_scan_opts o = { .origin = origin, .on_rr = on_rr,
		.on_event = on_event, .ctx = &g, .max_errors = 5 };
	ztk_scan_buffer("t.zone", text, strlen(text), &o, NULL);
	return &g;
}

int
main(void)
{
	struct got *g;

	g = scan("$TTL 1h30m\n"
		"@ IN SOA ns1 hostmaster ( 2024010101 ; serial\n"
		"   7200 ; refresh\n   3600 1209600 300 )\n"
		"  NS ns1\n"
		"ns1 300 IN A 192.0.2.1\n"
		"    IN 600 AAAA 2001:db8::1\n"
		"txt TXT \"a;b(c)\" plain \"q\\\"uote\"\n"
		"$ORIGIN sub.example.com.\n"
		"x CNAME y\n", example);
	is_int(g->n, 6, "six records");
	is_int(g->nev, 0, "no events");
	is_str(g->text[0], "example.com. SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300", "multi-line SOA with comments");
	is_int(g->ttl[0], 5400, "$TTL 1h30m = 5400");
	is_str(g->text[1], "example.com. NS ns1.example.com.", "blank owner continues");
	is_int(g->ttl[2], 300, "TTL before class");
	is_int(g->ttl[3], 600, "class before TTL");
	is_str(g->text[3], "ns1.example.com. AAAA 2001:db8::1", "blank owner after explicit owner");
	is_str(g->text[4], "txt.example.com. TXT \"a;b(c)\" \"plain\" \"q\\\"uote\"", "quoted strings keep ; and ()");
	is_str(g->text[5], "x.sub.example.com. CNAME y.sub.example.com.", "$ORIGIN applies");
	is_int(g->line[5], 10, "line counted across parentheses");

	/* errors carry line:column and the scan goes on */
	g = scan("$TTL 300\na A 10.0.0.256\nb A 192.0.2.1\nc MX ten mail\nd A 192.0.2.2\n", example);
	is_int(g->n, 2, "good records around errors still come");
	is_int(g->nev, 2, "two errors");
	is_str(g->ev[0], "2:5: bad IPv4 address \"10.0.0.256\"", "IPv4 error position");
	is_str(g->ev[1], "4:6: expected a number from 0 to 65535, got \"ten\"", "MX preference error position");

	g = scan("$TTL 300\na TXT \"open\n\nb A 192.0.2.1\n", example);
	is_int(g->nev, 1, "unterminated quote");
	ok(strstr(g->ev[0], "2:7: quoted string without closing quote") != NULL, "%s", g->ev[0]);
	g = scan("$TTL 300\na A ( 192.0.2.1\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "2:5: end of file inside parentheses"), "open paren at EOF: %s", g->ev[0]);
	g = scan("$TTL 300\na A 192.0.2.1 )\nb A 192.0.2.2\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "2:15:"), "stray ): %s", g->ev[0]);
	is_int(g->n, 1, "record after stray ) still read");
	g = scan("$TTL 300\na FOO 1\n", example);
	is_str(g->ev[0], "2:3: unknown record type \"FOO\"", "unknown type");
	g = scan("$TTL 300\na A 192.0.2.1 extra\n", example);
	ok(strstr(g->ev[0], "2:15: unexpected \"extra\"") != NULL, "trailing junk: %s", g->ev[0]);
	g = scan("a A 192.0.2.1\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "no TTL"), "no TTL at all: %s", g->ev[0]);
	g = scan("$TTL 300\n  A 192.0.2.1\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "no owner name"), "blank owner first: %s", g->ev[0]);
	g = scan("$TTL 300\n$FOO bar\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "unknown directive"), "%s", g->ev[0]);
	g = scan("$TTL 300\nfoo TXT \"" "0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789012345678901234567890123456789\"\n", example);
	ok(g->nev == 1 && strcmp(g->evcheck[0], "txt-string-too-long") == 0, "TXT over 255: %s", g->ev[0]);
	g = scan("$TTL 300\n"
		"a A 1\nb A 1\nc A 1\nd A 1\ne A 1\nf A 1\ng A 1\n", example);
	is_int(g->nev, 6, "max_errors 5 then a stop notice");
	ok(strstr(g->ev[5], "too many errors") != NULL, "stop notice: %s", g->ev[5]);

	/* an error that ends at the end of its line must not swallow the
	 * next record (regression: \# length error hid the next line) */
	g = scan("$TTL 300\na A \\# 5 C0000201\nb A 192.0.2.1\nc MX\nd A 192.0.2.2\ne 300\nf A 192.0.2.3\n", example);
	is_int(g->nev, 3, "three errors");
	is_int(g->n, 3, "records after each error are kept");
	is_str(g->text[0], "b.example.com. A 192.0.2.1", "line after \\# error");
	is_str(g->text[1], "d.example.com. A 192.0.2.2", "line after missing field");
	is_str(g->text[2], "f.example.com. A 192.0.2.3", "line after missing type");
	g = scan("a A 192.0.2.1\nb 300 A 192.0.2.2\n", example);
	is_int(g->n, 1, "record after no-TTL error kept");

	/* TTL semantics */
	g = scan("a 300 A 192.0.2.1\nb A 192.0.2.2\n", example);
	is_int(g->ttl[1], 300, "previous TTL used without $TTL");
	ok(g->nev == 1 && strcmp(g->evcheck[0], "ttl-missing") == 0, "ttl-missing warned");
	g = scan("@ SOA ns h 1 7200 3600 1209600 900\n", example);
	is_int(g->ttl[0], 900, "SOA without any TTL takes MINIMUM (BIND)");
	g = scan("$TTL 300\na 2147483648 A 192.0.2.1\n", example);
	ok(g->nev == 1 && strcmp(g->evcheck[0], "ttl-too-large") == 0, "TTL above 2^31-1 warned");
	g = scan("$TTL 300\na 4294967296 A 192.0.2.1\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "bad TTL"), "TTL of 2^32 rejected: %s", g->ev[0]);

	/* RFC 3597 */
	g = scan("$TTL 300\na TYPE1 \\# 4 C0000201\nb A \\# 4 C000 0202\nc TYPE65280 \\# 3 ABCDEF\nd TYPE65281 \\# 0\n", example);
	is_int(g->n, 4, "generic records");
	is_str(g->text[0], "a.example.com. A 192.0.2.1", "TYPE1 \\# is an A record");
	ok(g->flags[0] & ZTK_RR_GENERIC_TYPE, "TYPEnnn flagged");
	is_str(g->text[1], "b.example.com. A 192.0.2.2", "A \\# with split hex");
	is_str(g->text[2], "c.example.com. TYPE65280 \\# 3 ABCDEF", "unknown type prints generic");
	is_str(g->text[3], "d.example.com. TYPE65281 \\# 0", "empty generic rdata");
	g = scan("$TTL 300\na A \\# 5 C0000201\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "says 5 octets but 4 follow"), "\\# length mismatch: %s", g->ev[0]);
	g = scan("$TTL 300\na A \\# 3 C00002\n", example);
	ok(g->nev == 1 && strstr(g->ev[0], "not valid A record data"), "\\# invalid for type: %s", g->ev[0]);

	/* $GENERATE */
	g = scan("$TTL 300\n$GENERATE 1-3 host$ A 192.0.2.$\n"
		"$GENERATE 10-12/2 ${5,3,x}.r PTR h-${0,2,d}\n"
		"$GENERATE 0-0 x${0,4,n} TXT \\$literal\n", example);
	is_int(g->n, 6, "generated records");
	is_str(g->text[0], "host1.example.com. A 192.0.2.1", "$ basic");
	is_str(g->text[2], "host3.example.com. A 192.0.2.3", "range end");
	is_str(g->text[3], "00f.r.example.com. PTR h-10.example.com.", "offset/width/hex");
	is_str(g->text[4], "011.r.example.com. PTR h-12.example.com.", "step 2");
	is_str(g->text[5], "x0.0.0.0.example.com. TXT \"$literal\"", "nibble mode and \\$");
	ok(g->flags[0] & ZTK_RR_GENERATED, "generated flag");
	g = scan("$TTL 300\n$GENERATE 5-1 a A 1.2.3.4\n", example);
	ok(g->n == 0 && g->nev >= 1 && strstr(g->ev[g->nev - 1], "range"), "bad range: %s", g->ev[g->nev - 1]);

	/* CRLF line endings */
	g = scan("$TTL 300\r\na A 192.0.2.1\r\nb TXT \"x\"\r\n", example);
	is_int(g->n, 2, "CRLF file");
	is_int(g->nev, 0, "CRLF: no errors");

	/* $INCLUDE with its own origin; relative to the including file */
	char dir[] = "/tmp/ztk-scan-XXXXXX";
	if (mkdtemp(dir)) {
		char p1[256], p2[256];
		snprintf(p1, sizeof p1, "%s/main.zone", dir);
		snprintf(p2, sizeof p2, "%s/inc.zone", dir);
		FILE *f = fopen(p2, "w");
		fputs("www A 192.0.2.9\n$ORIGIN other.\nzz A 192.0.2.8\n", f);
		fclose(f);
		f = fopen(p1, "w");
		fputs("$TTL 300\n$INCLUDE inc.zone sub.example.com.\nafter A 192.0.2.7\n$INCLUDE missing.zone\n", f);
		fclose(f);
		static struct got gg;
		memset(&gg, 0, sizeof gg);
		struct ztk_scan_opts o = { .origin = example, .on_rr = on_rr,
			.on_event = on_event, .ctx = &gg };
		struct ztk_scan_stats st;
		is_int(ztk_scan_file(p1, &o, &st), 0, "scan with include");
		is_int(gg.n, 3, "three records");
		for (int i = 0; i < gg.nev; i++) printf("# event %s\n", gg.ev[i]);
		is_str(gg.text[0], "www.sub.example.com. A 192.0.2.9", "include origin");
		is_str(gg.text[1], "zz.other. A 192.0.2.8", "$ORIGIN inside include");
		is_str(gg.text[2], "after.example.com. A 192.0.2.7", "origin restored after include");
		ok(gg.nev >= 1 && strstr(gg.ev[gg.nev - 1], "cannot read $INCLUDE file"), "missing include: %s", gg.ev[gg.nev - 1]);
		is_int(st.files, 2, "two files read");
		unlink(p1);
		unlink(p2);
		rmdir(dir);
	}
	struct ztk_scan_opts o = { 0 };
	is_int(ztk_scan_file("/nonexistent/zone", &o, NULL), ZTK_ENOENT, "missing file is ZTK_ENOENT");
	return done_testing();
}
