/* test_dname.c - domain names: parse, print, limits, canonical order. */
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include "tap.h"

static const uint8_t root[1] = { 0 };
static const uint8_t example[] = "\7example\3com";   /* + NUL = root */

static int
parse(const char *s, const uint8_t *origin, uint8_t *out, const char **why)
{
	return ztk_dname_parse(s, strlen(s), origin, out, why);
}

static void
roundtrip(const char *in, const char *want)
{
	uint8_t w[ZTK_DNAME_MAX];
	char t[ZTK_DNAME_TEXT_MAX];
	const char *why = NULL;
	int n = parse(in, example, w, &why);
	ok(n > 0, "parse %s (%s)", in, why ? why : "ok");
	if (n > 0) {
		ztk_dname_print(w, t);
		is_str(t, want, "print %s", in);
		uint8_t w2[ZTK_DNAME_MAX];
		int n2 = parse(t, NULL, w2, &why);
		is_mem(w2, (size_t)n2, w, (size_t)n, "reparse %s", t);
	}
}

int
main(void)
{
	uint8_t w[ZTK_DNAME_MAX];
	const char *why;
	int n;

	n = parse("www.example.com.", NULL, w, &why);
	is_mem(w, (size_t)n, "\3www\7example\3com", 17, "absolute name wire");
	n = parse("www", example, w, &why);
	is_mem(w, (size_t)n, "\3www\7example\3com", 17, "relative + origin");
	n = parse("@", example, w, &why);
	is_mem(w, (size_t)n, example, 13, "@ is the origin");
	n = parse(".", NULL, w, &why);
	is_int(n, 1, "root name");
	is_int(w[0], 0, "root wire");

	/* escapes (RFC 1035 5.1, RFC 4343) */
	n = parse("a\\.b.example.", NULL, w, &why);
	is_mem(w, (size_t)n, "\3a.b\7example", 13, "\\. keeps a dot in a label");
	n = parse("\\065\\066c.", NULL, w, &why);
	is_mem(w, (size_t)n, "\3ABc", 5, "\\DDD decimal escapes");
	n = parse("a\\000b.", NULL, w, &why);
	is_mem(w, (size_t)n, "\3a\0b", 5, "\\000 is a NUL octet");
	roundtrip("a\\.b", "a\\.b.example.com.");
	roundtrip("\\\"q\\;\\(\\)\\$\\@\\\\", "\\\"q\\;\\(\\)\\$\\@\\\\.example.com.");
	roundtrip("sp\\032ace", "sp\\ ace.example.com.");
	roundtrip("\\255\\001", "\\255\\001.example.com.");
	roundtrip("*.wild", "*.wild.example.com.");

	/* errors */
	why = NULL;
	is_int(parse("a..b.", NULL, w, &why), ZTK_ESYNTAX, "empty label");
	ok(why && strstr(why, "empty label"), "empty label says so: %s", why);
	is_int(parse("\\256.", NULL, w, &why), ZTK_ESYNTAX, "\\256 rejected");
	ok(why && strstr(why, "above 255"), "\\256 says why: %s", why);
	is_int(parse("\\12.", NULL, w, &why), ZTK_ESYNTAX, "\\12 too short");
	is_int(parse("a\\", NULL, w, &why), ZTK_ESYNTAX, "trailing backslash");
	is_int(parse("rel", NULL, w, &why), ZTK_ESYNTAX, "relative, no origin");
	is_int(parse("@", NULL, w, &why), ZTK_ESYNTAX, "@ without origin");

	char l63[80], l64[80];
	memset(l63, 'a', 63); strcpy(l63 + 63, ".");
	memset(l64, 'a', 64); strcpy(l64 + 64, ".");
	ok(parse(l63, NULL, w, &why) == 65, "63-octet label accepted");
	is_int(parse(l64, NULL, w, &why), ZTK_ELIMIT, "64-octet label rejected");
	ok(why && strstr(why, "63"), "label limit says 63: %s", why);

	/* 255 octets: 3 labels of 63 + one of 61 = 4*1 + 250 + 1 root */
	char big[400], *p = big;
	for (int i = 0; i < 3; i++) {
		memset(p, 'x', 63); p += 63; *p++ = '.';
	}
	memset(p, 'y', 61); p += 61; *p++ = '.'; *p = 0;
	is_int(parse(big, NULL, w, &why), 255, "255-octet name accepted");
	p[-1] = 'z'; *p++ = '.'; *p = 0;     /* one more octet */
	is_int(parse(big, NULL, w, &why), ZTK_ELIMIT, "256-octet name rejected");
	ok(why && strstr(why, "255"), "name limit says 255: %s", why);
	is_int(parse("x", (const uint8_t *)"\77xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\77xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\77xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\75yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
		w, &why), ZTK_ELIMIT, "relative + long origin over 255");

	/* wire checks */
	is_int(ztk_dname_wire_check((const uint8_t *)"\3www\0", 5), 5, "wire ok");
	is_int(ztk_dname_wire_check((const uint8_t *)"\3www", 4), ZTK_EMALF, "wire truncated");
	is_int(ztk_dname_wire_check((const uint8_t *)"\300\014", 2), ZTK_EMALF, "compression pointer rejected");

	/* comparisons, RFC 4034 6.1 example order */
	static const char *order[] = { "example.", "a.example.",
		"yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
		"z.example.", "\\001.z.example.", "*.z.example.",
		"\\200.z.example." };
	uint8_t a[ZTK_DNAME_MAX], b[ZTK_DNAME_MAX];
	for (size_t i = 0; i + 1 < sizeof order / sizeof order[0]; i++) {
		parse(order[i], root, a, &why);
		parse(order[i + 1], root, b, &why);
		ok(ztk_dname_canon_cmp(a, b) < 0, "%s < %s", order[i], order[i + 1]);
		ok(ztk_dname_canon_cmp(b, a) > 0, "%s > %s", order[i + 1], order[i]);
	}
	parse("WWW.Example.COM.", NULL, a, &why);
	parse("www.example.com.", NULL, b, &why);
	is_int(ztk_dname_canon_cmp(a, b), 0, "case-insensitive equal");
	ok(ztk_dname_equal(a, b), "ztk_dname_equal ignores case");
	parse("a\\000.", NULL, a, &why);
	parse("a.", NULL, b, &why);
	ok(ztk_dname_canon_cmp(b, a) < 0, "a. < a\\000. (prefix first, NUL escape)");
	parse("a\\001.", NULL, b, &why);
	ok(ztk_dname_canon_cmp(a, b) < 0, "a\\000. < a\\001.");
	parse("www.example.com.", NULL, a, &why);
	ok(ztk_dname_is_subdomain(a, example), "www under example.com");
	ok(!ztk_dname_is_subdomain(example, a), "example.com not under www");
	parse("wwwexample.com.", NULL, a, &why);
	ok(!ztk_dname_is_subdomain(a, example), "label boundary respected");
	is_int(ztk_dname_labels(example), 2, "label count");
	parse("*.x.", NULL, a, &why);
	ok(ztk_dname_is_wildcard(a), "wildcard detected");
	parse("\\*.x.", NULL, a, &why);
	ok(ztk_dname_is_wildcard(a), "\\* is still an asterisk label");
	return done_testing();
}
