/*
 * rdata_fields.c - codecs of the common rdata field kinds (see rdata.h).
 * The few kinds with a grammar of their own (LOC, APL, IPSECKEY, HIP,
 * SvcParams, WKS) live in rdata_special.c.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "timeconv.h"
#include "util.h"

/* --- token plumbing ----------------------------------------------------- */

int
rd_next(struct ztk_rdparse *rp, struct ztk_token *tok)
{
	if (rp->have_ahead) {
		*tok = rp->ahead;
		rp->have_ahead = false;
		return 0;
	}
	int r = ztk_lexer_next(rp->lx, tok);
	if (r == 0 && (tok->kind == ZTK_TOK_EOL || tok->kind == ZTK_TOK_EOF))
		rp->eol_consumed = true;
	if (r != 0) {
		rp->check = "syntax";
		snprintf(rp->msg, sizeof rp->msg, "%s", rp->lx->why);
		rp->line = rp->lx->err_line;
		rp->col = rp->lx->err_col;
	}
	return r;
}

void
rd_unget(struct ztk_rdparse *rp, const struct ztk_token *tok)
{
	rp->ahead = *tok;
	rp->have_ahead = true;
}

bool
rd_at_end(struct ztk_rdparse *rp)
{
	struct ztk_token t;
	if (rd_next(rp, &t) != 0)
		return true;
	rd_unget(rp, &t);
	return t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF;
}

int
rd_error(struct ztk_rdparse *rp, const struct ztk_token *tok,
	const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rp->msg, sizeof rp->msg, fmt, ap);
	va_end(ap);
	rp->line = tok->line;
	rp->col = tok->col;
	if (rp->check == NULL)
		rp->check = "syntax";
	return ZTK_ESYNTAX;
}

/* Quote at most 40 characters of a token for a message. */
#define TOKF "\"%.*s%s\""
#define TOKA(t) (int)((t)->len > 40 ? 40 : (t)->len), (t)->s, \
	((t)->len > 40 ? "..." : "")

int
rd_need(struct ztk_rdparse *rp, struct ztk_token *tok, const char *what)
{
	int r = rd_next(rp, tok);
	if (r)
		return r;
	if (tok->kind == ZTK_TOK_EOL || tok->kind == ZTK_TOK_EOF) {
		return rd_error(rp, tok, "missing %s in %s record", what,
			ztk_rrtype_name(rp->type, (char[16]){0}));
	}
	return 0;
}

int
rd_unescape(const struct ztk_token *tok, uint8_t *out, size_t cap)
{
	const char *p = tok->s, *end = tok->s + tok->len;
	size_t n = 0;
	if (!tok->escaped) {
		if (tok->len > cap)
			return -2;
		memcpy(out, p, tok->len);
		return (int)tok->len;
	}
	while (p < end) {
		uint8_t c = (uint8_t)*p++;
		if (c == '\\') {
			if (p == end)
				return -1;
			if (ztk_isdigit((uint8_t)*p)) {
				if (end - p < 3 || !ztk_isdigit((uint8_t)p[1]) ||
				    !ztk_isdigit((uint8_t)p[2]))
					return -1;
				unsigned v = (unsigned)(p[0] - '0') * 100 +
					(unsigned)(p[1] - '0') * 10 +
					(unsigned)(p[2] - '0');
				if (v > 255)
					return -1;
				c = (uint8_t)v;
				p += 3;
			} else {
				c = (uint8_t)*p++;
			}
		}
		if (n >= cap)
			return -2;
		out[n++] = c;
	}
	return (int)n;
}

int
rd_uint(const struct ztk_token *tok, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (tok->len == 0 || tok->len > 20)
		return -1;
	for (uint32_t i = 0; i < tok->len; i++) {
		uint8_t c = (uint8_t)tok->s[i];
		if (!ztk_isdigit(c))
			return -1;
		v = v * 10 + (c - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

static int
space(struct ztk_rdparse *rp, const struct ztk_token *t, int r)
{
	if (r == ZTK_ESPACE)
		return rd_error(rp, t, "record data longer than 65535 octets");
	return r;
}

/* --- integers ------------------------------------------------------------ */

static int
parse_uint(struct ztk_rdparse *rp, struct ztk_wbuf *out, unsigned bytes)
{
	struct ztk_token t;
	uint64_t v, max = bytes == 1 ? 0xff : bytes == 2 ? 0xffff : 0xffffffff;
	int r = rd_need(rp, &t, "number");
	if (r)
		return r;
	if (rd_uint(&t, max, &v) != 0)
		return rd_error(rp, &t, "expected a number from 0 to %llu, got "
			TOKF, (unsigned long long)max, TOKA(&t));
	r = bytes == 1 ? ztk_wbuf_u8(out, (uint8_t)v) :
	    bytes == 2 ? ztk_wbuf_u16(out, (uint16_t)v) :
	    ztk_wbuf_u32(out, (uint32_t)v);
	return space(rp, &t, r);
}

static int parse_u8(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_uint(rp, o, 1); }
static int parse_u16(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_uint(rp, o, 2); }
static int parse_u32(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_uint(rp, o, 4); }

static int
print_uint(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out,
	unsigned bytes)
{
	if ((size_t)(end - *p) < bytes)
		return ZTK_EMALF;
	uint32_t v = bytes == 1 ? **p : bytes == 2 ? ztk_get16(*p) :
		ztk_get32(*p);
	*p += bytes;
	return ztk_sbuf_u32(out, v);
}

static int print_u8(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_uint(p, e, o, 1); }
static int print_u16(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_uint(p, e, o, 2); }
static int print_u32(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_uint(p, e, o, 4); }

static int
parse_ttl_field(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint32_t v;
	int r = rd_need(rp, &t, "time value");
	if (r)
		return r;
	if (ztk_ttl_parse(t.s, t.len, &v) != 0)
		return rd_error(rp, &t, "bad time value " TOKF
			" (a number of seconds, or units like 1h30m)",
			TOKA(&t));
	return space(rp, &t, ztk_wbuf_u32(out, v));
}

static int
parse_time(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint32_t v;
	int r = rd_need(rp, &t, "timestamp");
	if (r)
		return r;
	if (ztk_timestamp_parse(t.s, t.len, &v) != 0)
		return rd_error(rp, &t, "bad timestamp " TOKF
			" (YYYYMMDDHHmmSS in UTC, or seconds since 1970)",
			TOKA(&t));
	return space(rp, &t, ztk_wbuf_u32(out, v));
}

static int
print_time(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	char buf[16];
	if (end - *p < 4)
		return ZTK_EMALF;
	ztk_timestamp_print(ztk_get32(*p), buf);
	*p += 4;
	return ztk_sbuf_str(out, buf);
}

static int
parse_type(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint16_t v;
	int r = rd_need(rp, &t, "record type");
	if (r)
		return r;
	if (ztk_rrtype_from_text(t.s, t.len, &v) != 0)
		return rd_error(rp, &t, "unknown record type " TOKF, TOKA(&t));
	return space(rp, &t, ztk_wbuf_u16(out, v));
}

static int
print_type(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	char buf[16];
	if (end - *p < 2)
		return ZTK_EMALF;
	const char *n = ztk_rrtype_name(ztk_get16(*p), buf);
	*p += 2;
	return ztk_sbuf_str(out, n);
}

/* Mnemonics for numeric fields (RFC 4034 A.1, RFC 4398 2.1). */
struct mnemonic { const char *name; uint16_t value; };

static const struct mnemonic alg_names[] = {
	{ "RSAMD5", 1 }, { "DH", 2 }, { "DSA", 3 }, { "RSASHA1", 5 },
	{ "DSA-NSEC3-SHA1", 6 }, { "RSASHA1-NSEC3-SHA1", 7 },
	{ "RSASHA256", 8 }, { "RSASHA512", 10 }, { "ECC-GOST", 12 },
	{ "ECDSAP256SHA256", 13 }, { "ECDSAP384SHA384", 14 },
	{ "ED25519", 15 }, { "ED448", 16 }, { "INDIRECT", 252 },
	{ "PRIVATEDNS", 253 }, { "PRIVATEOID", 254 }, { NULL, 0 },
};

static const struct mnemonic cert_names[] = {
	{ "PKIX", 1 }, { "SPKI", 2 }, { "PGP", 3 }, { "IPKIX", 4 },
	{ "ISPKI", 5 }, { "IPGP", 6 }, { "ACPKIX", 7 }, { "IACPKIX", 8 },
	{ "URI", 253 }, { "OID", 254 }, { NULL, 0 },
};

static int
parse_mnemonic(struct ztk_rdparse *rp, struct ztk_wbuf *out,
	const struct mnemonic *tab, unsigned bytes, const char *what)
{
	struct ztk_token t;
	uint64_t v;
	int r = rd_need(rp, &t, what);
	if (r)
		return r;
	if (rd_uint(&t, bytes == 1 ? 0xff : 0xffff, &v) != 0) {
		const struct mnemonic *m;
		for (m = tab; m->name; m++)
			if (strlen(m->name) == t.len &&
			    strncasecmp(m->name, t.s, t.len) == 0)
				break;
		if (m->name == NULL)
			return rd_error(rp, &t, "unknown %s " TOKF, what,
				TOKA(&t));
		v = m->value;
	}
	r = bytes == 1 ? ztk_wbuf_u8(out, (uint8_t)v) :
		ztk_wbuf_u16(out, (uint16_t)v);
	return space(rp, &t, r);
}

static int
parse_alg(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	return parse_mnemonic(rp, out, alg_names, 1, "algorithm");
}

static int
parse_certtype(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	return parse_mnemonic(rp, out, cert_names, 2, "certificate type");
}

/* --- names and addresses -------------------------------------------------- */

static int
parse_name(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	const char *why;
	int r = rd_need(rp, &t, "domain name");
	if (r)
		return r;
	if (out->cap - out->len < ZTK_DNAME_MAX) {
		uint8_t tmp[ZTK_DNAME_MAX];
		int n = ztk_dname_parse(t.s, t.len, rp->origin, tmp, &why);
		if (n < 0)
			return rd_error(rp, &t, "%s: " TOKF, why, TOKA(&t));
		return space(rp, &t, ztk_wbuf_put(out, tmp, (size_t)n));
	}
	int n = ztk_dname_parse(t.s, t.len, rp->origin, out->buf + out->len,
		&why);
	if (n < 0)
		return rd_error(rp, &t, "%s: " TOKF, why, TOKA(&t));
	out->len += (size_t)n;
	return 0;
}

static int
print_name(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	int n = ztk_dname_wire_check(*p, (size_t)(end - *p));
	if (n < 0)
		return n;
	int r = ztk_sbuf_grow(out, ZTK_DNAME_TEXT_MAX);
	if (r)
		return r;
	out->len += ztk_dname_print(*p, out->buf + out->len);
	*p += n;
	return 0;
}

/* Strict dotted quad: four decimals 0..255 without leading zeros. */
int
ztk_ipv4_parse(const char *s, size_t len, uint8_t out[4])
{
	const char *p = s, *end = s + len;
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (p < end && ztk_isdigit((uint8_t)*p)) {
			if (digits == 1 && v == 0)
				return -1;
			v = v * 10 + (unsigned)(*p++ - '0');
			if (++digits > 3 || v > 255)
				return -1;
		}
		if (digits == 0)
			return -1;
		out[i] = (uint8_t)v;
		if (i < 3) {
			if (p >= end || *p != '.')
				return -1;
			p++;
		}
	}
	return p == end ? 0 : -1;
}

static int
parse_ipv4(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint8_t a[4];
	int r = rd_need(rp, &t, "IPv4 address");
	if (r)
		return r;
	if (ztk_ipv4_parse(t.s, t.len, a) != 0)
		return rd_error(rp, &t, "bad IPv4 address " TOKF, TOKA(&t));
	return space(rp, &t, ztk_wbuf_put(out, a, 4));
}

static int
print_ipv4(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (end - *p < 4)
		return ZTK_EMALF;
	int r = ztk_sbuf_printf(out, "%u.%u.%u.%u", (*p)[0], (*p)[1],
		(*p)[2], (*p)[3]);
	*p += 4;
	return r;
}

/* hex digit values + 1 (0: not a hex digit) */
static const uint8_t hex_value1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * The usual spellings (hex groups, at most one "::") are read here;
 * anything else (an IPv4 tail, or text that may be wrong) goes to
 * inet_pton, which has the last word on what is valid, so both paths
 * accept the same text.
 */
static bool
ipv6_plain(const char *s, size_t len, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1;
	size_t i = 0;
	if (s[0] == ':') {
		if (len < 2 || s[1] != ':')
			return false;
		gap = 0;
		i = 2;
	}
	while (i < len) {
		unsigned v = 0, d = 0, h;
		while (i < len && d < 5 && (h = hex_value1[(uint8_t)s[i]]) != 0) {
			v = v * 16 + h - 1;
			d++;
			i++;
		}
		if (d == 0 || d > 4 || n == 8)
			return false;
		g[n++] = (uint16_t)v;
		if (i == len)
			break;
		if (s[i] != ':' || ++i == len)
			return false;   /* "." (IPv4 tail), junk, or a last ":" */
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = n;
			i++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return false;
	int zeros = 8 - n, k = 0;
	for (int j = 0; j < n; j++) {
		if (j == gap)
			for (int z = 0; z < zeros; z++, k++)
				out[2 * k] = out[2 * k + 1] = 0;
		out[2 * k] = (uint8_t)(g[j] >> 8);
		out[2 * k + 1] = (uint8_t)g[j];
		k++;
	}
	if (gap == n)
		for (int z = 0; z < zeros; z++, k++)
			out[2 * k] = out[2 * k + 1] = 0;
	return true;
}

int
ztk_ipv6_parse(const char *s, size_t len, uint8_t out[16])
{
	char tmp[64];
	if (len == 0 || len >= sizeof tmp)
		return -1;
	if (ipv6_plain(s, len, out))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	return inet_pton(AF_INET6, tmp, out) == 1 ? 0 : -1;
}

static int
parse_ipv6(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint8_t a[16];
	int r = rd_need(rp, &t, "IPv6 address");
	if (r)
		return r;
	if (ztk_ipv6_parse(t.s, t.len, a) != 0)
		return rd_error(rp, &t, "bad IPv6 address " TOKF, TOKA(&t));
	return space(rp, &t, ztk_wbuf_put(out, a, 16));
}

static int
print_ipv6(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	char buf[INET6_ADDRSTRLEN];
	if (end - *p < 16)
		return ZTK_EMALF;
	inet_ntop(AF_INET6, *p, buf, sizeof buf);
	*p += 16;
	return ztk_sbuf_str(out, buf);
}

/* --- strings -------------------------------------------------------------- */

static int
parse_str_token(struct ztk_rdparse *rp, struct ztk_wbuf *out,
	const struct ztk_token *t)
{
	uint8_t tmp[1024];
	int n = rd_unescape(t, tmp, 255);
	if (n == -1)
		return rd_error(rp, t, "bad escape in string " TOKF, TOKA(t));
	if (n < 0) {
		/* RFC 1035 3.3: one <character-string> is at most 255 octets */
		if (rp->type == ZTK_TYPE_TXT || rp->type == ZTK_TYPE_SPF)
			rp->check = "txt-string-too-long";
		return rd_error(rp, t, "string longer than 255 octets; split "
			"it into several quoted strings of at most 255");
	}
	int r = ztk_wbuf_u8(out, (uint8_t)n);
	if (r == 0)
		r = ztk_wbuf_put(out, tmp, (size_t)n);
	return space(rp, t, r);
}

static int
parse_str(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	int r = rd_need(rp, &t, "string");
	if (r)
		return r;
	return parse_str_token(rp, out, &t);
}

static int
parse_strs(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	int r = rd_need(rp, &t, "string");
	if (r)
		return r;
	for (;;) {
		r = parse_str_token(rp, out, &t);
		if (r)
			return r;
		r = rd_next(rp, &t);
		if (r)
			return r;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF) {
			rd_unget(rp, &t);
			return 0;
		}
	}
}

static int
put_quoted(struct ztk_sbuf *out, const uint8_t *s, size_t n)
{
	int r = ztk_sbuf_grow(out, n * 4 + 2);
	if (r)
		return r;
	char *o = out->buf + out->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c < 0x20 || c > 0x7e) {
			*o++ = '\\';
			*o++ = (char)('0' + c / 100);
			*o++ = (char)('0' + c / 10 % 10);
			*o++ = (char)('0' + c % 10);
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = 0;
	out->len = (size_t)(o - out->buf);
	return 0;
}

static int
print_str(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end || (size_t)(end - *p) < 1u + **p)
		return ZTK_EMALF;
	size_t n = **p;
	int r = put_quoted(out, *p + 1, n);
	*p += 1 + n;
	return r;
}

static int
print_strs(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end)
		return ZTK_EMALF;
	for (bool first = true; *p < end; first = false) {
		if (!first) {
			int r = ztk_sbuf_chr(out, ' ');
			if (r)
				return r;
		}
		int r = print_str(p, end, out);
		if (r)
			return r;
	}
	return 0;
}

static int
parse_tag(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint8_t tmp[256];
	int r = rd_need(rp, &t, "tag");
	if (r)
		return r;
	int n = rd_unescape(&t, tmp, 255);
	if (n <= 0)
		return rd_error(rp, &t, "bad tag " TOKF, TOKA(&t));
	for (int i = 0; i < n; i++)
		if (!(ztk_isalpha(tmp[i]) || ztk_isdigit(tmp[i])))
			return rd_error(rp, &t, "tag " TOKF " must be letters "
				"and digits only (RFC 8659 4.1)", TOKA(&t));
	r = ztk_wbuf_u8(out, (uint8_t)n);
	if (r == 0)
		r = ztk_wbuf_put(out, tmp, (size_t)n);
	return space(rp, &t, r);
}

static int
print_tag(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end || (size_t)(end - *p) < 1u + **p || **p == 0)
		return ZTK_EMALF;
	size_t n = **p;
	for (size_t i = 1; i <= n; i++)
		if (!(ztk_isalpha((*p)[i]) || ztk_isdigit((*p)[i])))
			return ZTK_EMALF;
	int r = ztk_sbuf_put(out, (const char *)*p + 1, n);
	*p += 1 + n;
	return r;
}

static int
parse_text(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	int r = rd_need(rp, &t, "text");
	if (r)
		return r;
	int n = rd_unescape(&t, out->buf + out->len, out->cap - out->len);
	if (n == -1)
		return rd_error(rp, &t, "bad escape in string " TOKF, TOKA(&t));
	if (n < 0)
		return space(rp, &t, ZTK_ESPACE);
	out->len += (size_t)n;
	return 0;
}

static int
print_text(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	int r = put_quoted(out, *p, (size_t)(end - *p));
	*p = end;
	return r;
}

/* --- binary encodings ----------------------------------------------------- */

static const int8_t b64_val[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};   /* value + 1, 0 = not base64 */

static int
parse_b64(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t, first;
	uint32_t acc = 0;
	unsigned nbits = 0, pad = 0, chars = 0;
	int r = rd_need(rp, &first, "base64 data");
	if (r)
		return r;
	t = first;
	for (;;) {
		for (uint32_t i = 0; i < t.len; i++) {
			uint8_t c = (uint8_t)t.s[i];
			if (c == '=') {
				pad++;
				chars++;
				continue;
			}
			int v = b64_val[c];
			if (v == 0 || pad)
				return rd_error(rp, &t, "bad base64 data " TOKF,
					TOKA(&t));
			acc = (acc << 6) | (uint32_t)(v - 1);
			nbits += 6;
			chars++;
			if (nbits >= 8) {
				nbits -= 8;
				r = ztk_wbuf_u8(out, (uint8_t)(acc >> nbits));
				if (r)
					return space(rp, &t, r);
			}
		}
		r = rd_next(rp, &t);
		if (r)
			return r;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF) {
			rd_unget(rp, &t);
			break;
		}
	}
	if (chars % 4 != 0 || pad > 2 || (acc & ((1u << nbits) - 1)) != 0)
		return rd_error(rp, &first, "base64 data of wrong length or "
			"padding");
	return 0;
}

int
ztk_b64_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int r = ztk_sbuf_grow(out, (n + 2) / 3 * 4);
	if (r)
		return r;
	char *o = out->buf + out->len;
	size_t i;
	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
			in[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = 0;
	out->len = (size_t)(o - out->buf);
	return 0;
}

static int
print_b64(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end)
		return ZTK_EMALF;
	int r = ztk_b64_encode(*p, (size_t)(end - *p), out);
	*p = end;
	return r;
}

static int
hexval(uint8_t c)
{
	if (ztk_isdigit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Append the hex digits of one token; *half carries an odd digit over. */
static int
hex_token(struct ztk_rdparse *rp, const struct ztk_token *t,
	struct ztk_wbuf *out, int *half)
{
	for (uint32_t i = 0; i < t->len; i++) {
		int v = hexval((uint8_t)t->s[i]);
		if (v < 0)
			return rd_error(rp, t, "bad hexadecimal data " TOKF,
				TOKA(t));
		if (*half < 0) {
			*half = v;
		} else {
			int r = ztk_wbuf_u8(out, (uint8_t)(*half << 4 | v));
			if (r)
				return space(rp, t, r);
			*half = -1;
		}
	}
	return 0;
}

static int
parse_hex(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t, first;
	int half = -1;
	int r = rd_need(rp, &first, "hexadecimal data");
	if (r)
		return r;
	t = first;
	for (;;) {
		r = hex_token(rp, &t, out, &half);
		if (r)
			return r;
		r = rd_next(rp, &t);
		if (r)
			return r;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF) {
			rd_unget(rp, &t);
			break;
		}
	}
	if (half >= 0)
		return rd_error(rp, &first, "odd number of hexadecimal digits");
	return 0;
}

int
ztk_hex_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int r = ztk_sbuf_grow(out, n * 2);
	if (r)
		return r;
	char *o = out->buf + out->len;
	for (size_t i = 0; i < n; i++) {
		*o++ = digits[in[i] >> 4];
		*o++ = digits[in[i] & 15];
	}
	*o = 0;
	out->len = (size_t)(o - out->buf);
	return 0;
}

static int
print_hex(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end)
		return ZTK_EMALF;
	int r = ztk_hex_encode(*p, (size_t)(end - *p), out, true);
	*p = end;
	return r;
}

static int
parse_hex8(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	int half = -1;
	int r = rd_need(rp, &t, "salt");
	if (r)
		return r;
	size_t at = out->len;
	r = ztk_wbuf_u8(out, 0);
	if (r)
		return space(rp, &t, r);
	if (t.len == 1 && t.s[0] == '-')
		return 0;
	r = hex_token(rp, &t, out, &half);
	if (r)
		return r;
	if (half >= 0)
		return rd_error(rp, &t, "odd number of hexadecimal digits");
	if (out->len - at - 1 > 255)
		return rd_error(rp, &t, "salt longer than 255 octets");
	out->buf[at] = (uint8_t)(out->len - at - 1);
	return 0;
}

static int
print_hex8(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end || (size_t)(end - *p) < 1u + **p)
		return ZTK_EMALF;
	size_t n = **p;
	int r = n ? ztk_hex_encode(*p + 1, n, out, true) :
		ztk_sbuf_chr(out, '-');
	*p += 1 + n;
	return r;
}

static int
b32val(uint8_t c)
{
	if (ztk_isdigit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'v')
		return c - 'a' + 10;
	return -1;
}

static int
parse_b32hex8(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint32_t acc = 0;
	unsigned nbits = 0;
	int r = rd_need(rp, &t, "hashed owner name");
	if (r)
		return r;
	size_t at = out->len;
	r = ztk_wbuf_u8(out, 0);
	if (r)
		return space(rp, &t, r);
	for (uint32_t i = 0; i < t.len; i++) {
		int v = b32val((uint8_t)t.s[i]);
		if (v < 0)
			return rd_error(rp, &t, "bad base32hex data " TOKF,
				TOKA(&t));
		acc = (acc << 5) | (uint32_t)v;
		nbits += 5;
		if (nbits >= 8) {
			nbits -= 8;
			r = ztk_wbuf_u8(out, (uint8_t)(acc >> nbits));
			if (r)
				return space(rp, &t, r);
		}
	}
	if ((acc & ((1u << nbits) - 1)) != 0 || nbits >= 5 ||
	    out->len - at - 1 > 255 || out->len - at == 1)
		return rd_error(rp, &t, "bad base32hex length " TOKF, TOKA(&t));
	out->buf[at] = (uint8_t)(out->len - at - 1);
	return 0;
}

int
ztk_b32hex_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out)
{
	static const char tab[] = "0123456789abcdefghijklmnopqrstuv";
	int r = ztk_sbuf_grow(out, (n * 8 + 4) / 5);
	if (r)
		return r;
	char *o = out->buf + out->len;
	uint32_t acc = 0;
	unsigned nbits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		nbits += 8;
		while (nbits >= 5) {
			nbits -= 5;
			*o++ = tab[(acc >> nbits) & 31];
		}
	}
	if (nbits)
		*o++ = tab[(acc << (5 - nbits)) & 31];
	*o = 0;
	out->len = (size_t)(o - out->buf);
	return 0;
}

static int
print_b32hex8(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	if (*p >= end || (size_t)(end - *p) < 1u + **p || **p == 0)
		return ZTK_EMALF;
	size_t n = **p;
	int r = ztk_b32hex_encode(*p + 1, n, out);
	*p += 1 + n;
	return r;
}

/* --- type bitmap (RFC 4034 4.1.2) ----------------------------------------- */

static int
parse_bitmap(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	uint8_t bits[256][32];
	uint8_t used[256] = { 0 };
	struct ztk_token t;
	int r;

	for (;;) {
		r = rd_next(rp, &t);
		if (r)
			return r;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF) {
			rd_unget(rp, &t);
			break;
		}
		uint16_t type;
		if (ztk_rrtype_from_text(t.s, t.len, &type) != 0)
			return rd_error(rp, &t, "unknown record type " TOKF
				" in type bitmap", TOKA(&t));
		uint8_t win = (uint8_t)(type >> 8), bit = (uint8_t)type;
		if (!used[win]) {
			memset(bits[win], 0, 32);
			used[win] = 1;
		}
		bits[win][bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		used[win] = 1;
	}
	for (unsigned w = 0; w < 256; w++) {
		if (!used[w])
			continue;
		unsigned len = 32;
		while (len > 0 && bits[w][len - 1] == 0)
			len--;
		r = ztk_wbuf_u8(out, (uint8_t)w);
		if (!r)
			r = ztk_wbuf_u8(out, (uint8_t)len);
		if (!r)
			r = ztk_wbuf_put(out, bits[w], len);
		if (r)
			return space(rp, &t, r);
	}
	return 0;
}

static int
print_bitmap(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	int last = -1;
	bool first = true;
	while (*p < end) {
		if (end - *p < 2)
			return ZTK_EMALF;
		unsigned win = (*p)[0], len = (*p)[1];
		/* RFC 4034 4.1.2: windows ascending, 1..32 octets each */
		if ((int)win <= last || len == 0 || len > 32 ||
		    (size_t)(end - *p) < 2u + len)
			return ZTK_EMALF;
		last = (int)win;
		for (unsigned i = 0; i < len * 8; i++) {
			if (!((*p)[2 + i / 8] & (0x80 >> (i % 8))))
				continue;
			char buf[16];
			if (!first) {
				int r = ztk_sbuf_chr(out, ' ');
				if (r)
					return r;
			}
			first = false;
			int r = ztk_sbuf_str(out,
				ztk_rrtype_name((uint16_t)(win << 8 | i), buf));
			if (r)
				return r;
		}
		*p += 2 + len;
	}
	return 0;
}

/* --- EUI and ILNP --------------------------------------------------------- */

static int
parse_hexgroups(struct ztk_rdparse *rp, struct ztk_wbuf *out, unsigned groups,
	unsigned digits, char sep, const char *what)
{
	struct ztk_token t;
	int r = rd_need(rp, &t, what);
	if (r)
		return r;
	if (t.len != groups * digits + groups - 1)
		goto bad;
	const char *s = t.s;
	for (unsigned g = 0; g < groups; g++) {
		unsigned v = 0;
		for (unsigned d = 0; d < digits; d++) {
			int h = hexval((uint8_t)*s++);
			if (h < 0)
				goto bad;
			v = v << 4 | (unsigned)h;
		}
		if (g + 1 < groups && *s++ != sep)
			goto bad;
		r = digits == 2 ? ztk_wbuf_u8(out, (uint8_t)v) :
			ztk_wbuf_u16(out, (uint16_t)v);
		if (r)
			return space(rp, &t, r);
	}
	return 0;
bad:
	return rd_error(rp, &t, "bad %s " TOKF, what, TOKA(&t));
}

static int parse_eui48(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_hexgroups(rp, o, 6, 2, '-', "EUI-48 address"); }
static int parse_eui64(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_hexgroups(rp, o, 8, 2, '-', "EUI-64 address"); }
static int parse_ilnp64(struct ztk_rdparse *rp, struct ztk_wbuf *o) { return parse_hexgroups(rp, o, 4, 4, ':', "64-bit locator"); }

static int
print_hexgroups(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out,
	unsigned octets, unsigned per_group, char sep)
{
	if ((size_t)(end - *p) < octets)
		return ZTK_EMALF;
	int r = ztk_sbuf_grow(out, octets * 3);
	if (r)
		return r;
	for (unsigned i = 0; i < octets; i++) {
		if (i && i % per_group == 0)
			ztk_sbuf_chr(out, sep);
		ztk_sbuf_printf(out, "%02x", (*p)[i]);
	}
	*p += octets;
	return 0;
}

static int print_eui48(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_hexgroups(p, e, o, 6, 1, '-'); }
static int print_eui64(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_hexgroups(p, e, o, 8, 1, '-'); }
static int print_ilnp64(const uint8_t **p, const uint8_t *e, struct ztk_sbuf *o) { return print_hexgroups(p, e, o, 8, 2, ':'); }

const struct ztk_field_ops ztk_field_ops[ZTK_F_KIND_COUNT] = {
	[ZTK_F_U8] = { parse_u8, print_u8 },
	[ZTK_F_U16] = { parse_u16, print_u16 },
	[ZTK_F_U32] = { parse_u32, print_u32 },
	[ZTK_F_TTL] = { parse_ttl_field, print_u32 },
	[ZTK_F_TIME] = { parse_time, print_time },
	[ZTK_F_TYPE] = { parse_type, print_type },
	[ZTK_F_ALG] = { parse_alg, print_u8 },
	[ZTK_F_CERTTYPE] = { parse_certtype, print_u16 },
	[ZTK_F_NAME] = { parse_name, print_name },
	[ZTK_F_IPV4] = { parse_ipv4, print_ipv4 },
	[ZTK_F_IPV6] = { parse_ipv6, print_ipv6 },
	[ZTK_F_STR] = { parse_str, print_str },
	[ZTK_F_STRS] = { parse_strs, print_strs },
	[ZTK_F_TAG] = { parse_tag, print_tag },
	[ZTK_F_TEXT] = { parse_text, print_text },
	[ZTK_F_B64] = { parse_b64, print_b64 },
	[ZTK_F_HEX] = { parse_hex, print_hex },
	[ZTK_F_HEX8] = { parse_hex8, print_hex8 },
	[ZTK_F_B32HEX8] = { parse_b32hex8, print_b32hex8 },
	[ZTK_F_BITMAP] = { parse_bitmap, print_bitmap },
	[ZTK_F_EUI48] = { parse_eui48, print_eui48 },
	[ZTK_F_EUI64] = { parse_eui64, print_eui64 },
	[ZTK_F_ILNP64] = { parse_ilnp64, print_ilnp64 },
};
