/*
 * test_msg.c - DNS message parser and query builder: messages shaped like
 * real answers, built octet by octet (compression, EDNS, DNSSEC records),
 * truncation, every malformation the parser must refuse, and round trips
 * of the builder.
 *
 * With ZTK_MSG_CORPUS=DIR set, every message that parses is also written to
 * DIR/test-NN.bin: that is how tests/fuzz/corpus-msg/ was made.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/msg.h>
#include <ztk/rrtype.h>
#include "tap.h"

/* ---- a message writer for the tests ---------------------------------- */

struct wb {
	uint8_t b[70000];
	size_t n;
};

static size_t
put(struct wb *w, const void *p, size_t n)
{
	size_t at = w->n;
	memcpy(w->b + w->n, p, n);
	w->n += n;
	return at;
}

static size_t
u8(struct wb *w, unsigned v)
{
	uint8_t b = (uint8_t)v;
	return put(w, &b, 1);
}

static size_t
u16(struct wb *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return put(w, b, 2);
}

static size_t
u32(struct wb *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };
	return put(w, b, 4);
}

/* a name literal with its root label: "\3www\7example\3com" */
#define NAME(w, s) put((w), (s), sizeof(s))

static size_t
ptr(struct wb *w, size_t target)
{
	return u16(w, 0xC000u | (unsigned)target);
}

static void
hdr(struct wb *w, unsigned id, unsigned flags, unsigned qd, unsigned an,
	unsigned ns, unsigned ar)
{
	w->n = 0;
	u16(w, id);
	u16(w, flags);
	u16(w, qd);
	u16(w, an);
	u16(w, ns);
	u16(w, ar);
}

/* type, class IN, ttl, and a placeholder RDLENGTH; returns its offset */
static size_t
rr_head(struct wb *w, unsigned type, uint32_t ttl)
{
	u16(w, type);
	u16(w, ZTK_CLASS_IN);
	u32(w, ttl);
	return u16(w, 0);
}

/* fill in the RDLENGTH at off with what was written since */
static void
rr_end(struct wb *w, size_t off)
{
	size_t len = w->n - off - 2;
	w->b[off] = (uint8_t)(len >> 8);
	w->b[off + 1] = (uint8_t)len;
}

static void
set_u16(struct wb *w, size_t off, unsigned v)
{
	w->b[off] = (uint8_t)(v >> 8);
	w->b[off + 1] = (uint8_t)v;
}

/* ---- helpers ---------------------------------------------------------- */

static int corpus_n;

static void
save_bytes(const uint8_t *p, size_t n)
{
	const char *dir = getenv("ZTK_MSG_CORPUS");
	if (!dir)
		return;
	char path[4096];
	snprintf(path, sizeof(path), "%s/test-%02d.bin", dir, ++corpus_n);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

static void
save_corpus(const struct wb *w)
{
	save_bytes(w->b, w->n);
}

static struct ztk_msg *
parse_ok(const struct wb *w, const char *what)
{
	struct ztk_msg *m = NULL;
	char why[256];
	int rc = ztk_msg_parse(w->b, w->n, NULL, &m, why, sizeof(why));
	if (!ok(rc == 0 && m, "%s parses", what))
		printf("#   %s: %s\n", ztk_errname(rc), why);
	else
		save_corpus(w);
	return m;
}

/* The parse fails with code and a reason containing frag. */
static void
parse_bad(const struct wb *w, int code, const char *frag, const char *what)
{
	struct ztk_msg *m = (struct ztk_msg *)1;
	char why[256] = "";
	int rc = ztk_msg_parse(w->b, w->n, NULL, &m, why, sizeof(why));
	is_int(rc, code, "%s: refused (%s)", what, why);
	ok(m == NULL, "%s: no message handed out", what);
	if (!ok(strstr(why, frag) != NULL, "%s: reason says \"%s\"", what, frag))
		printf("#   reason: %s\n", why);
	if (rc == 0)
		ztk_msg_free(m);
}

static const char *
rdtext(const struct ztk_msg_rr *r)
{
	static char buf[4096];
	if (ztk_rdata_to_text(r->rr.type, r->rr.rdata, r->rr.rdlen, buf,
	    sizeof(buf)) < 0)
		return "(rdata does not print)";
	return buf;
}

static const char *
ntext(const uint8_t *name)
{
	static char buf[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(name, buf);
	return buf;
}

/* ---- well-formed messages --------------------------------------------- */

/*
 * www.example.com. A, as a recursive server answers it: a CNAME whose
 * target is compressed, the A of the target, an NS in authority, glue in
 * additional, an OPT with DO and a cookie option.
 */
static void
test_real_answer(void)
{
	struct wb w;
	hdr(&w, 0xBEEF, ZTK_MSG_QR | ZTK_MSG_AA | ZTK_MSG_RD | ZTK_MSG_RA, 1, 2,
		1, 2);
	size_t q = NAME(&w, "\3WwW\7example\3com");   /* case kept */
	size_t q_example = q + 4;
	u16(&w, ZTK_TYPE_A);
	u16(&w, ZTK_CLASS_IN);

	ptr(&w, q);
	size_t l = rr_head(&w, ZTK_TYPE_CNAME, 300);
	size_t web = put(&w, "\3web", 4);
	ptr(&w, q_example);
	rr_end(&w, l);

	ptr(&w, web);
	l = rr_head(&w, ZTK_TYPE_A, 300);
	put(&w, "\xc0\x00\x02\x0a", 4);
	rr_end(&w, l);

	ptr(&w, q_example);
	l = rr_head(&w, ZTK_TYPE_NS, 3600);
	size_t ns1 = put(&w, "\3ns1", 4);
	ptr(&w, q_example);
	rr_end(&w, l);

	ptr(&w, ns1);
	l = rr_head(&w, ZTK_TYPE_A, 3600);
	put(&w, "\xc0\x00\x02\x35", 4);
	rr_end(&w, l);

	u8(&w, 0);                              /* OPT */
	u16(&w, ZTK_TYPE_OPT);
	u16(&w, 1232);
	u32(&w, ZTK_EDNS_DO);
	l = u16(&w, 0);
	u16(&w, 10);                            /* COOKIE, 8-octet client */
	u16(&w, 8);
	put(&w, "\1\2\3\4\5\6\7\x08", 8);
	rr_end(&w, l);

	struct ztk_msg *m = parse_ok(&w, "real-world answer");
	if (!m)
		return;
	const struct ztk_msg_header *h = ztk_msg_header(m);
	is_int(h->id, 0xBEEF, "ID");
	is_int(h->flags, ZTK_MSG_QR | ZTK_MSG_AA | ZTK_MSG_RD | ZTK_MSG_RA,
		"flags QR AA RD RA");
	is_int(h->opcode, 0, "opcode QUERY");
	is_int(h->rcode, 0, "RCODE NOERROR");
	is_int(h->arcount, 2, "ARCOUNT counts the OPT");

	const uint8_t *qn;
	uint16_t qt, qc;
	is_int(ztk_msg_question(m, &qn, &qt, &qc), 0, "has a question");
	is_str(ntext(qn), "WwW.example.com.", "QNAME with its case");
	is_int(qt, ZTK_TYPE_A, "QTYPE");
	is_int(qc, ZTK_CLASS_IN, "QCLASS");

	const struct ztk_msg_rr *r;
	is_int(ztk_msg_rrs(m, ZTK_SECTION_ALL, &r), 4, "4 records, OPT apart");
	is_int(ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &r), 2, "2 answers");
	is_str(ntext(r[0].rr.owner), "WwW.example.com.", "CNAME owner");
	is_int(r[0].rr.type, ZTK_TYPE_CNAME, "CNAME type");
	is_int(r[0].rr.ttl, 300, "CNAME TTL");
	is_mem(r[0].rr.rdata, r[0].rr.rdlen, "\3web\7example\3com", 17,
		"CNAME target decompressed");
	is_str(ntext(r[1].rr.owner), "web.example.com.", "A owner via pointer "
		"into RDATA");
	is_str(rdtext(&r[1]), "192.0.2.10", "A RDATA");
	is_int(r[1].section, ZTK_SECTION_ANSWER, "section answer");
	is_str(r[1].rr.file, "answer", "rr.file names the section");
	is_int(r[1].rr.line, 2, "rr.line is the position in the section");

	is_int(ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &r), 1, "1 authority");
	is_str(rdtext(&r[0]), "ns1.example.com.", "NS target decompressed");
	is_int(r[0].section, ZTK_SECTION_AUTHORITY, "section authority");
	is_int(ztk_msg_rrs(m, ZTK_SECTION_ADDITIONAL, &r), 1, "1 additional");
	is_str(ntext(r[0].rr.owner), "ns1.example.com.", "glue owner");
	is_int(ztk_msg_rrs(m, (enum ztk_section)9, &r), 0, "no section 9");
	ok(r == NULL, "no records: NULL");

	const struct ztk_msg_edns *e = ztk_msg_edns(m);
	ok(e->present, "EDNS present");
	is_int(e->udp_size, 1232, "EDNS UDP size");
	is_int(e->flags, ZTK_EDNS_DO, "DO bit");
	is_int(e->version, 0, "EDNS version 0");
	is_mem(e->options, e->options_len, "\0\x0a\0\x08\1\2\3\4\5\6\7\x08", 12,
		"EDNS options as sent");

	size_t wl;
	const uint8_t *wire = ztk_msg_wire(m, &wl);
	is_mem(wire, wl, w.b, w.n, "wire copy");
	ok(!ztk_msg_is_partial(m), "not partial");
	ztk_msg_free(m);
}

/* Names inside the RDATA of every decompressing type, and an opaque one. */
static void
test_rdata_names(void)
{
	struct wb w;
	hdr(&w, 1, ZTK_MSG_QR, 1, 9, 1, 0);
	size_t q = NAME(&w, "\7example\3com");
	u16(&w, ZTK_TYPE_ANY);
	u16(&w, ZTK_CLASS_IN);
	size_t l;

	ptr(&w, q);                                     /* MX */
	l = rr_head(&w, ZTK_TYPE_MX, 60);
	u16(&w, 10);
	size_t mail = put(&w, "\4mail", 5);
	ptr(&w, q);
	rr_end(&w, l);

	ptr(&w, q);                                     /* SRV-ish owner */
	l = rr_head(&w, ZTK_TYPE_SRV, 60);
	u16(&w, 1);
	u16(&w, 2);
	u16(&w, 443);
	ptr(&w, mail);
	rr_end(&w, l);

	ptr(&w, q);                                     /* DNAME */
	l = rr_head(&w, ZTK_TYPE_DNAME, 60);
	put(&w, "\3new", 4);
	ptr(&w, q);
	rr_end(&w, l);

	ptr(&w, q);                                     /* NAPTR */
	l = rr_head(&w, ZTK_TYPE_NAPTR, 60);
	u16(&w, 100);
	u16(&w, 10);
	put(&w, "\1U", 2);
	put(&w, "\7E2U+sip", 8);
	put(&w, "\0", 1);
	ptr(&w, mail);
	rr_end(&w, l);

	ptr(&w, q);                                     /* PTR */
	l = rr_head(&w, ZTK_TYPE_PTR, 60);
	ptr(&w, mail);
	rr_end(&w, l);

	ptr(&w, q);                                     /* RRSIG */
	l = rr_head(&w, ZTK_TYPE_RRSIG, 60);
	u16(&w, ZTK_TYPE_MX);
	u8(&w, 13);
	u8(&w, 2);
	u32(&w, 60);
	u32(&w, 1735689600);                            /* 20250101000000 */
	u32(&w, 1704067200);                            /* 20240101000000 */
	u16(&w, 12345);
	ptr(&w, q);                                     /* signer compressed */
	put(&w, "\xAA\xBB\xCC\xDD", 4);
	rr_end(&w, l);

	ptr(&w, q);                                     /* NSEC */
	l = rr_head(&w, ZTK_TYPE_NSEC, 60);
	put(&w, "\1a", 2);
	ptr(&w, q);                                     /* next compressed */
	put(&w, "\x00\x06\x00\x01\x00\x00\x00\x03", 8);    /* MX RRSIG NSEC */
	rr_end(&w, l);

	ptr(&w, q);                                     /* unknown type */
	l = rr_head(&w, 65280, 60);
	put(&w, "\xc0\x0c\x01\x02", 4);                 /* looks like a ptr */
	rr_end(&w, l);

	ptr(&w, q);                                     /* RP: two names */
	l = rr_head(&w, ZTK_TYPE_RP, 60);
	put(&w, "\5admin", 6);
	ptr(&w, q);
	put(&w, "\3txt", 4);
	ptr(&w, q);
	rr_end(&w, l);

	ptr(&w, q);                                     /* SOA in authority */
	l = rr_head(&w, ZTK_TYPE_SOA, 300);
	put(&w, "\3ns1", 4);
	ptr(&w, q);
	put(&w, "\12hostmaster", 11);
	ptr(&w, q);
	u32(&w, 2024010101);
	u32(&w, 7200);
	u32(&w, 3600);
	u32(&w, 1209600);
	u32(&w, 300);
	rr_end(&w, l);

	struct ztk_msg *m = parse_ok(&w, "names in RDATA");
	if (!m)
		return;
	const struct ztk_msg_rr *r;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &r);
	is_int(n, 9, "9 answers");
	if (n == 9) {
		is_str(rdtext(&r[0]), "10 mail.example.com.", "MX");
		is_str(rdtext(&r[1]), "1 2 443 mail.example.com.", "SRV");
		is_str(rdtext(&r[2]), "new.example.com.", "DNAME decompressed");
		is_str(rdtext(&r[3]), "100 10 \"U\" \"E2U+sip\" \"\" "
			"mail.example.com.", "NAPTR");
		is_str(rdtext(&r[4]), "mail.example.com.", "PTR");
		is_str(rdtext(&r[5]), "MX 13 2 60 20250101000000 "
			"20240101000000 12345 example.com. qrvM3Q==",
			"RRSIG signer decompressed");
		is_mem(r[5].rr.rdata + 18, 13, "\7example\3com", 13,
			"RRSIG signer in wire form");
		is_int(r[5].rr.rdlen, 18 + 13 + 4, "RRSIG RDLENGTH after "
			"decompression");
		is_str(rdtext(&r[6]), "a.example.com. MX RRSIG NSEC",
			"NSEC next decompressed");
		is_mem(r[7].rr.rdata, r[7].rr.rdlen, "\xc0\x0c\x01\x02", 4,
			"unknown type kept as sent (RFC 3597)");
		is_str(rdtext(&r[8]), "admin.example.com. txt.example.com.",
			"RP");
	}
	n = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &r);
	is_int(n, 1, "SOA in authority");
	if (n == 1)
		is_str(rdtext(&r[0]), "ns1.example.com. hostmaster.example.com. "
			"2024010101 7200 3600 1209600 300", "SOA both names");
	ok(!ztk_msg_edns(m)->present, "no EDNS");
	ztk_msg_free(m);
}

/*
 * The shapes an iterative walker meets: a signed referral (NS, DS, RRSIG
 * over the DS, glue A and AAAA) and a signed NXDOMAIN with NSEC3.
 */
static void
test_dnssec_shapes(void)
{
	struct wb w;
	size_t l;
	hdr(&w, 0x1234, ZTK_MSG_QR, 1, 0, 4, 3);
	size_t q = NAME(&w, "\3www\5child\7example");
	size_t child = q + 4;
	u16(&w, ZTK_TYPE_A);
	u16(&w, ZTK_CLASS_IN);
	size_t ns[2];
	for (int i = 0; i < 2; i++) {
		ptr(&w, child);
		l = rr_head(&w, ZTK_TYPE_NS, 86400);
		ns[i] = put(&w, i ? "\3ns2" : "\3ns1", 4);
		ptr(&w, child);
		rr_end(&w, l);
	}
	ptr(&w, child);
	l = rr_head(&w, ZTK_TYPE_DS, 86400);
	u16(&w, 2371);
	u8(&w, 13);
	u8(&w, 2);
	for (int i = 0; i < 32; i++)
		u8(&w, (unsigned)i);
	rr_end(&w, l);
	ptr(&w, child);
	l = rr_head(&w, ZTK_TYPE_RRSIG, 86400);
	u16(&w, ZTK_TYPE_DS);
	u8(&w, 13);
	u8(&w, 2);
	u32(&w, 86400);
	u32(&w, 1735689600);
	u32(&w, 1704067200);
	u16(&w, 4242);
	NAME(&w, "\7example");                         /* uncompressed */
	for (int i = 0; i < 64; i++)
		u8(&w, (unsigned)(i * 3));
	rr_end(&w, l);
	ptr(&w, ns[0]);
	l = rr_head(&w, ZTK_TYPE_A, 86400);
	put(&w, "\xc0\x00\x02\x35", 4);
	rr_end(&w, l);
	ptr(&w, ns[1]);
	l = rr_head(&w, ZTK_TYPE_AAAA, 86400);
	put(&w, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x53", 16);
	rr_end(&w, l);
	u8(&w, 0);
	u16(&w, ZTK_TYPE_OPT);
	u16(&w, 1232);
	u32(&w, ZTK_EDNS_DO);
	u16(&w, 0);

	struct ztk_msg *m = parse_ok(&w, "signed referral");
	if (m) {
		const struct ztk_msg_rr *r;
		is_int(ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &r), 0, "no answer");
		size_t n = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &r);
		is_int(n, 4, "NS NS DS RRSIG");
		if (n == 4) {
			is_str(ntext(r[0].rr.owner), "child.example.",
				"delegation owner");
			is_str(rdtext(&r[1]), "ns2.child.example.", "NS 2");
			is_str(rdtext(&r[2]), "2371 13 2 000102030405060708090A0B"
				"0C0D0E0F101112131415161718191A1B1C1D1E1F", "DS");
			is_int(r[3].rr.rdlen, 18 + 9 + 64, "RRSIG length");
		}
		n = ztk_msg_rrs(m, ZTK_SECTION_ADDITIONAL, &r);
		is_int(n, 2, "glue A and AAAA, OPT apart");
		if (n == 2)
			is_str(rdtext(&r[1]), "2001:db8::53", "AAAA glue");
		ztk_msg_free(m);
	}

	hdr(&w, 0x4321, ZTK_MSG_QR | ZTK_MSG_AA | ZTK_RCODE_NXDOMAIN, 1, 0, 3,
		1);
	q = NAME(&w, "\4nope\7example");
	size_t ex = q + 5;
	u16(&w, ZTK_TYPE_A);
	u16(&w, ZTK_CLASS_IN);
	ptr(&w, ex);
	l = rr_head(&w, ZTK_TYPE_SOA, 3600);
	put(&w, "\3ns1", 4);
	ptr(&w, ex);
	put(&w, "\4root", 5);
	ptr(&w, ex);
	u32(&w, 1);
	u32(&w, 2);
	u32(&w, 3);
	u32(&w, 4);
	u32(&w, 300);
	rr_end(&w, l);
	put(&w, "\x20" "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", 33);
	ptr(&w, ex);
	l = rr_head(&w, ZTK_TYPE_NSEC3, 300);
	u8(&w, 1);
	u8(&w, 1);                                      /* opt-out */
	u16(&w, 0);
	u8(&w, 0);                                      /* no salt */
	u8(&w, 20);
	for (int i = 0; i < 20; i++)
		u8(&w, (unsigned)(0xA0 + i));
	put(&w, "\x00\x01\x40", 3);                    /* A */
	rr_end(&w, l);
	put(&w, "\x20" "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", 33);
	ptr(&w, ex);
	l = rr_head(&w, ZTK_TYPE_RRSIG, 300);
	u16(&w, ZTK_TYPE_NSEC3);
	u8(&w, 13);
	u8(&w, 2);
	u32(&w, 300);
	u32(&w, 1735689600);
	u32(&w, 1704067200);
	u16(&w, 4242);
	ptr(&w, ex);
	for (int i = 0; i < 64; i++)
		u8(&w, (unsigned)i);
	rr_end(&w, l);
	u8(&w, 0);
	u16(&w, ZTK_TYPE_OPT);
	u16(&w, 1232);
	u32(&w, ZTK_EDNS_DO);
	u16(&w, 0);
	m = parse_ok(&w, "signed NXDOMAIN with NSEC3");
	if (m) {
		const struct ztk_msg_rr *r;
		is_int(ztk_msg_header(m)->rcode, ZTK_RCODE_NXDOMAIN, "NXDOMAIN");
		size_t n = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &r);
		is_int(n, 3, "SOA NSEC3 RRSIG");
		if (n == 3) {
			is_str(rdtext(&r[0]), "ns1.example. root.example. 1 2 3 4 "
				"300", "SOA");
			is_str(ntext(r[1].rr.owner), "0p9mhaveqvm6t7vbl5lop2u3t2rp"
				"3tom.example.", "NSEC3 owner");
			is_str(rdtext(&r[1]), "1 1 0 - k2gq58t4kmjafa59lalqpbdeluob3clj A",
				"NSEC3");
			is_mem(r[2].rr.rdata + 18, 9, "\7example", 9,
				"RRSIG signer decompressed");
		}
		ztk_msg_free(m);
	}
	/* NSEC3 with a salt longer than its RDATA */
	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_NSEC3, 1);
	put(&w, "\1\0\0\0\x09" "ab", 7);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "NSEC3 RDATA: string", "NSEC3 salt overflow");
}

/* Extended RCODE, empty sections, no question. */
static void
test_rcode(void)
{
	struct wb w;
	char buf[16];
	hdr(&w, 7, ZTK_MSG_QR | 0x0002, 0, 0, 0, 1);    /* RCODE 2 */
	u8(&w, 0);
	u16(&w, ZTK_TYPE_OPT);
	u16(&w, 4096);
	u32(&w, 0x01000000);                            /* ext RCODE 1 */
	u16(&w, 0);
	struct ztk_msg *m = parse_ok(&w, "BADVERS-ish answer");
	if (m) {
		is_int(ztk_msg_header(m)->rcode, 16 + 2, "RCODE with its "
			"extended bits");
		is_int(ztk_msg_question(m, NULL, NULL, NULL), ZTK_ENOENT,
			"no question");
		is_int(ztk_msg_rrs(m, ZTK_SECTION_ALL, NULL), 0, "no records");
		is_int(ztk_msg_edns(m)->ext_rcode, 1, "ext_rcode");
		ztk_msg_free(m);
	}
	hdr(&w, 7, ZTK_MSG_QR | ZTK_RCODE_SERVFAIL, 0, 0, 0, 0);
	m = parse_ok(&w, "SERVFAIL, header only");
	if (m) {
		is_int(ztk_msg_header(m)->rcode, ZTK_RCODE_SERVFAIL, "SERVFAIL");
		ztk_msg_free(m);
	}
	is_str(ztk_rcode_name(3, buf), "NXDOMAIN", "rcode name 3");
	is_str(ztk_rcode_name(16, buf), "BADVERS", "rcode name 16");
	is_str(ztk_rcode_name(4000, buf), "RCODE4000", "rcode without name");
	is_str(ztk_section_name(ZTK_SECTION_AUTHORITY), "authority",
		"section name");
}

/* TC: a cut message keeps its whole records; without TC it is refused. */
static void
test_truncated(void)
{
	struct wb w;
	hdr(&w, 9, ZTK_MSG_QR | ZTK_MSG_TC, 1, 3, 0, 1);
	size_t q = NAME(&w, "\3big\7example");
	u16(&w, ZTK_TYPE_TXT);
	u16(&w, ZTK_CLASS_IN);
	ptr(&w, q);
	size_t l = rr_head(&w, ZTK_TYPE_TXT, 60);
	put(&w, "\5hello", 6);
	rr_end(&w, l);
	ptr(&w, q);
	l = rr_head(&w, ZTK_TYPE_TXT, 60);
	put(&w, "\5world", 6);
	rr_end(&w, l);
	w.n -= 3;                                       /* cut in RDATA */

	struct ztk_msg *m = parse_ok(&w, "TC answer cut inside a record");
	if (m) {
		ok(ztk_msg_is_partial(m), "partial");
		is_int(ztk_msg_rrs(m, ZTK_SECTION_ALL, NULL), 1, "one whole "
			"record kept");
		is_int(ztk_msg_header(m)->ancount, 3, "header count as sent");
		ok(!ztk_msg_edns(m)->present, "OPT was cut off");
		ztk_msg_free(m);
	}
	w.b[2] &= (uint8_t)~(ZTK_MSG_TC >> 8);
	parse_bad(&w, ZTK_EMALF, "header counts 4 records",
		"same without TC");

	/* the common shape: TC, header and question only */
	hdr(&w, 9, ZTK_MSG_QR | ZTK_MSG_TC, 1, 0, 0, 0);
	NAME(&w, "\3big\7example");
	u16(&w, ZTK_TYPE_TXT);
	u16(&w, ZTK_CLASS_IN);
	m = parse_ok(&w, "TC with the question only");
	if (m) {
		ok(!ztk_msg_is_partial(m), "counts met: not partial");
		ok(ztk_msg_header(m)->flags & ZTK_MSG_TC, "TC flag");
		ztk_msg_free(m);
	}
	/* cut inside the question */
	hdr(&w, 9, ZTK_MSG_QR | ZTK_MSG_TC, 1, 0, 0, 0);
	put(&w, "\3big\7exa", 8);
	m = parse_ok(&w, "TC cut inside the question");
	if (m) {
		ok(ztk_msg_is_partial(m), "partial");
		is_int(ztk_msg_question(m, NULL, NULL, NULL), ZTK_ENOENT,
			"no question kept");
		ztk_msg_free(m);
	}
	/* TC does not excuse malformation: a name past its RDATA */
	hdr(&w, 9, ZTK_MSG_QR | ZTK_MSG_TC, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_NS, 60);
	put(&w, "\5abc", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "past the end of its RDATA",
		"TC with a name running past its RDATA at the message end");
}

/* ---- malformed messages ----------------------------------------------- */

static void
question(struct wb *w, const char *name, size_t len)
{
	put(w, name, len);
	u16(w, ZTK_TYPE_A);
	u16(w, ZTK_CLASS_IN);
}

static void
test_malformed_names(void)
{
	struct wb w;

	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 0);
	w.n = 11;
	parse_bad(&w, ZTK_EMALF, "shorter than a header", "11 octets");

	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	ptr(&w, 12);
	u16(&w, 1);
	u16(&w, 1);
	parse_bad(&w, ZTK_EMALF, "points forward", "pointer to itself");

	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, "\1a\xc0\x0c", 4);
	parse_bad(&w, ZTK_EMALF, "runs into the pointer",
		"pointer back to the start of its own name (loop)");

	hdr(&w, 1, ZTK_MSG_QR, 1, 1, 0, 0);
	question(&w, "\1a", 3);
	ptr(&w, 40);                                    /* forward */
	size_t l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	NAME(&w, "\1b");
	parse_bad(&w, ZTK_EMALF, "points forward", "forward pointer");

	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, "\1a\xc0\x05", 4);
	parse_bad(&w, ZTK_EMALF, "into the header", "pointer into the header");

	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, "\1a\xc0", 3);
	w.n -= 4;
	parse_bad(&w, ZTK_EMALF, "runs past the end",
		"pointer cut by the end of the message");

	/* 200 pointers to pointers, then an owner name that starts them */
	hdr(&w, 1, ZTK_MSG_QR, 0, 2, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, 65280, 1);
	size_t prev = u8(&w, 0);
	for (int i = 0; i < 200; i++)
		prev = ptr(&w, prev);
	rr_end(&w, l);
	ptr(&w, prev);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "more than 128 compression pointers",
		"chain of 200 pointers");

	/* 4 labels of 63: 257 octets */
	char big[300];
	size_t bn = 0;
	for (int i = 0; i < 4; i++) {
		big[bn++] = 63;
		memset(big + bn, 'x', 63);
		bn += 63;
	}
	big[bn++] = 0;
	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, big, bn);
	parse_bad(&w, ZTK_EMALF, "longer than 255", "name of 257 octets");

	/* 250 octets in the question, 11 more prepended by compression */
	bn = 0;
	for (int i = 0; i < 4; i++) {
		int ll = i < 3 ? 63 : 56;
		big[bn++] = (char)ll;
		memset(big + bn, 'y', (size_t)ll);
		bn += (size_t)ll;
	}
	big[bn++] = 0;
	hdr(&w, 1, ZTK_MSG_QR, 1, 1, 0, 0);
	question(&w, big, bn);
	put(&w, "\12abcdefghij", 11);
	ptr(&w, 12);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "longer than 255",
		"name made longer than 255 by a pointer");

	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, "\x41" "a", 3);
	parse_bad(&w, ZTK_EMALF, "label type 0x40", "extended label type");
	hdr(&w, 1, ZTK_MSG_QR, 1, 0, 0, 0);
	question(&w, "\x80" "a", 3);
	parse_bad(&w, ZTK_EMALF, "label type 0x80", "label type 10");
}

static void
test_malformed_counts(void)
{
	struct wb w;
	size_t l;
	struct ztk_msg *m;

	hdr(&w, 1, ZTK_MSG_QR, 2, 0, 0, 0);
	question(&w, "\1a", 3);
	question(&w, "\1b", 3);
	parse_bad(&w, ZTK_EMALF, "at most one question", "QDCOUNT 2");

	hdr(&w, 1, ZTK_MSG_QR, 1, 100, 0, 0);
	question(&w, "\1a", 3);
	ptr(&w, 12);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "header counts 100 records",
		"ANCOUNT far beyond the data");

	hdr(&w, 1, ZTK_MSG_QR, 1, 2, 0, 0);
	question(&w, "\1a", 3);
	ptr(&w, 12);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	put(&w, "\0\0\0\0\0\0\0\0\0\0", 10);   /* no whole RR */
	parse_bad(&w, ZTK_EMALF, "runs past the end of the message",
		"ANCOUNT one more than the data");

	hdr(&w, 1, ZTK_MSG_QR, 0, 5000, 0, 0);
	parse_bad(&w, ZTK_ELIMIT, "limit of 4096", "5000 records announced");

	hdr(&w, 1, ZTK_MSG_QR, 0, 3, 0, 0);
	for (int i = 0; i < 3; i++) {
		u8(&w, 0);
		l = rr_head(&w, ZTK_TYPE_A, 1);
		put(&w, "\1\2\3\4", 4);
		rr_end(&w, l);
	}
	struct ztk_msg_parse_opts po = { .max_records = 2 };
	char why[200];
	is_int(ztk_msg_parse(w.b, w.n, &po, &m, why, sizeof(why)), ZTK_ELIMIT,
		"max_records 2, 3 records: %s", why);
	po.max_records = 3;
	is_int(ztk_msg_parse(w.b, w.n, &po, &m, why, sizeof(why)), 0,
		"max_records 3, 3 records");
	ztk_msg_free(m);

	is_int(ztk_msg_parse(w.b, ZTK_MSG_MAX + 1, NULL, &m, why, sizeof(why)),
		ZTK_EINVAL, "longer than 65535 octets");
	is_int(ztk_msg_parse(NULL, 12, NULL, &m, NULL, 0), ZTK_EINVAL,
		"NULL wire");

	/* trailing octets are ignored */
	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 0);
	put(&w, "junk", 4);
	m = parse_ok(&w, "four octets after the last record");
	ztk_msg_free(m);
}

static void
test_malformed_rdata(void)
{
	struct wb w;
	size_t l;

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_TXT, 1);
	put(&w, "\3abc", 4);
	set_u16(&w, l, 100);
	parse_bad(&w, ZTK_EMALF, "RDATA at offset 23 runs past the end",
		"RDLENGTH past the end");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4\5", 5);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "A RDATA has 1 octets after", "A of 5 octets");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_AAAA, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "AAAA RDATA of 4 octets is too short",
		"AAAA of 4 octets");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_RRSIG, 1);
	put(&w, "\0\1\2\3\4\5\6\7\x08\x09", 10);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "too short", "RRSIG of 10 octets");

	hdr(&w, 1, ZTK_MSG_QR, 0, 2, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_MX, 1);
	u16(&w, 10);
	put(&w, "\3ma", 3);
	rr_end(&w, l);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_A, 1);
	put(&w, "\1\2\3\4", 4);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "past the end of its RDATA",
		"MX name running past RDLENGTH");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_SOA, 1);
	put(&w, "\0\0", 2);
	put(&w, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	u8(&w, 0);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "SOA RDATA has 1 octets after",
		"SOA with an extra octet");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_NAPTR, 1);
	put(&w, "\0\1\0\2\1U\x09" "E2U", 10);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "string at offset", "NAPTR string overflow");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_NS, 1);
	ptr(&w, 11);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "into the header", "NS target into the header");

	/* OPT rules (RFC 6891 6.1.1) */
	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 2);
	for (int i = 0; i < 2; i++) {
		u8(&w, 0);
		rr_head(&w, ZTK_TYPE_OPT, 0);
	}
	parse_bad(&w, ZTK_EMALF, "more than one OPT", "two OPT records");

	hdr(&w, 1, ZTK_MSG_QR, 0, 1, 0, 0);
	u8(&w, 0);
	rr_head(&w, ZTK_TYPE_OPT, 0);
	parse_bad(&w, ZTK_EMALF, "outside the additional", "OPT in answer");

	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 1);
	NAME(&w, "\1x");
	rr_head(&w, ZTK_TYPE_OPT, 0);
	parse_bad(&w, ZTK_EMALF, "not owned by the root", "OPT owned by x.");

	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 1);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_OPT, 0);
	u16(&w, 10);
	u16(&w, 9);
	put(&w, "12345678", 8);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "runs past the OPT RDATA", "option too long");

	hdr(&w, 1, ZTK_MSG_QR, 0, 0, 0, 1);
	u8(&w, 0);
	l = rr_head(&w, ZTK_TYPE_OPT, 0);
	u16(&w, 10);
	u8(&w, 0);
	rr_end(&w, l);
	parse_bad(&w, ZTK_EMALF, "cut off", "option header cut off");
}

/* ---- the builder ------------------------------------------------------ */

static void
test_builder(void)
{
	static const uint8_t qname[] = "\3www\7Example\3com";
	uint8_t out[ZTK_MSG_QUERY_MAX];
	size_t len;
	struct ztk_msg *m;
	char why[200];

	is_int(ztk_msg_query(qname, ZTK_TYPE_AAAA, ZTK_CLASS_IN, NULL, out,
		sizeof(out), &len), 0, "default query");
	is_int(len, 12 + 17 + 4 + 11, "length: header, question, OPT");
	save_bytes(out, len);
	is_int(ztk_msg_parse(out, len, NULL, &m, why, sizeof(why)), 0,
		"query parses: %s", why);
	if (m) {
		const struct ztk_msg_header *h = ztk_msg_header(m);
		is_int(h->flags, 0, "no flags by default (no RD)");
		is_int(h->id, (out[0] << 8) | out[1], "ID in the first octets");
		is_int(h->qdcount, 1, "one question");
		is_int(h->arcount, 1, "OPT");
		const uint8_t *qn;
		uint16_t qt, qc;
		ztk_msg_question(m, &qn, &qt, &qc);
		is_mem(qn, ztk_dname_len(qn), qname, sizeof(qname),
			"QNAME as given, case kept");
		is_int(qt, ZTK_TYPE_AAAA, "QTYPE");
		is_int(qc, ZTK_CLASS_IN, "QCLASS");
		const struct ztk_msg_edns *e = ztk_msg_edns(m);
		ok(e->present, "EDNS");
		is_int(e->udp_size, ZTK_EDNS_UDP_SIZE, "UDP size 1232");
		is_int(e->flags, 0, "no DO by default");
		is_int(e->options_len, 0, "no options");
		ztk_msg_free(m);
	}

	struct ztk_msg_query_opts o = { .rd = true, .cd = true, .ad = true,
		.do_bit = true, .udp_size = 4096 };
	is_int(ztk_msg_query(qname, ZTK_TYPE_DNSKEY, ZTK_CLASS_IN, &o, out,
		sizeof(out), &len), 0, "query with RD CD AD DO");
	if (ztk_msg_parse(out, len, NULL, &m, why, sizeof(why)) == 0) {
		is_int(ztk_msg_header(m)->flags, ZTK_MSG_RD | ZTK_MSG_CD |
			ZTK_MSG_AD, "RD CD AD set");
		is_int(ztk_msg_edns(m)->flags, ZTK_EDNS_DO, "DO set");
		is_int(ztk_msg_edns(m)->udp_size, 4096, "UDP size 4096");
		ztk_msg_free(m);
	} else {
		ok(0, "query with flags parses: %s", why);
	}

	o = (struct ztk_msg_query_opts){ .no_edns = true, .rd = true };
	is_int(ztk_msg_query(qname, ZTK_TYPE_A, ZTK_CLASS_CH, &o, out,
		sizeof(out), &len), 0, "query without EDNS");
	is_int(len, 12 + 17 + 4, "no OPT");
	if (ztk_msg_parse(out, len, NULL, &m, why, sizeof(why)) == 0) {
		ok(!ztk_msg_edns(m)->present, "no EDNS");
		is_int(ztk_msg_header(m)->arcount, 0, "ARCOUNT 0");
		ztk_msg_free(m);
	}
	is_int(ztk_msg_query(qname, ZTK_TYPE_A, ZTK_CLASS_IN, &o, out,
		12 + 17 + 4, &len), 0, "exact room");
	is_int(ztk_msg_query(qname, ZTK_TYPE_A, ZTK_CLASS_IN, &o, out,
		12 + 17 + 3, &len), ZTK_ESPACE, "one octet short");
	o.do_bit = true;
	is_int(ztk_msg_query(qname, ZTK_TYPE_A, ZTK_CLASS_IN, &o, out,
		sizeof(out), &len), ZTK_EINVAL, "DO without EDNS refused");

	uint8_t bad[70];
	bad[0] = 64;
	memset(bad + 1, 'a', 64);
	bad[65] = 0;
	is_int(ztk_msg_query(bad, ZTK_TYPE_A, ZTK_CLASS_IN, NULL, out,
		sizeof(out), &len), ZTK_EINVAL, "64-octet label refused");

	/* IDs come from a random source: 32 queries, not all one ID */
	unsigned first = 0, same = 0;
	for (int i = 0; i < 32; i++) {
		ztk_msg_query(qname, ZTK_TYPE_A, ZTK_CLASS_IN, NULL, out,
			sizeof(out), &len);
		unsigned id = (unsigned)((out[0] << 8) | out[1]);
		if (i == 0)
			first = id;
		else
			same += id == first;
	}
	ok(same < 31, "query IDs vary (%u of 31 equal to the first)", same);

	/* the root as QNAME */
	is_int(ztk_msg_query((const uint8_t *)"", ZTK_TYPE_NS, ZTK_CLASS_IN,
		NULL, out, sizeof(out), &len), 0, "root NS query");
	if (ztk_msg_parse(out, len, NULL, &m, why, sizeof(why)) == 0) {
		const uint8_t *qn;
		ztk_msg_question(m, &qn, NULL, NULL);
		is_int(qn[0], 0, "QNAME is the root");
		ztk_msg_free(m);
	}
}

int
main(void)
{
	test_real_answer();
	test_rdata_names();
	test_dnssec_shapes();
	test_rcode();
	test_truncated();
	test_malformed_names();
	test_malformed_counts();
	test_malformed_rdata();
	test_builder();
	ztk_msg_free(NULL);
	ok(1, "ztk_msg_free(NULL) is a no-op");
	return done_testing();
}
