/*
 * rdata_special.c - codecs of the rdata kinds with a grammar of their own:
 * LOC (RFC 1876), APL (RFC 3123), IPSECKEY (RFC 4025), HIP (RFC 8005),
 * SvcParams of SVCB/HTTPS (RFC 9460, 9461, 9540) and WKS (RFC 1035).
 *
 * Each parse reads presentation tokens and appends wire octets; each print
 * checks the wire octets it reads (never past end) and returns ZTK_EMALF on
 * anything that its parse could not have produced, so that "\#" data of a
 * known type is held to the same rules as its presentation form.  Where the
 * RFCs leave the printed form open we follow BIND (named-checkzone -D), so
 * that our output reads back the same in a peer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ztk/dname.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "util.h"

/* Quote at most 40 characters of a token for a message. */
#define TOKF "\"%.*s%s\""
#define TOKA(t) (int)((t)->len > 40 ? 40 : (t)->len), (t)->s, \
	((t)->len > 40 ? "..." : "")

/* --- shared helpers ------------------------------------------------------- */

static bool
tok_is_end(const struct ztk_token *t)
{
	return t->kind == ZTK_TOK_EOL || t->kind == ZTK_TOK_EOF;
}

/* Next token, or 1 (token put back) at the end of the record. */
static int
next_or_end(struct ztk_rdparse *rp, struct ztk_token *t)
{
	int r = rd_next(rp, t);
	if (r)
		return r;
	if (tok_is_end(t)) {
		rd_unget(rp, t);
		return 1;
	}
	return 0;
}

static int
space(struct ztk_rdparse *rp, const struct ztk_token *t, int r)
{
	if (r == ZTK_ESPACE)
		return rd_error(rp, t, "record data longer than 65535 octets");
	return r;
}

static bool
tok_eq(const struct ztk_token *t, const char *s)
{
	return t->len == strlen(s) && strncmp(t->s, s, t->len) == 0;
}

/* Decimal 0..max of a whole token; -1 if it is not one. */
static int
tok_uint(const struct ztk_token *t, uint64_t max, uint64_t *v)
{
	return rd_uint(t, max, v);
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

/* Hex digits of s into out (cap octets); length, or -1 if not hex. */
static int
hex_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval((uint8_t)s[i]), lo = hexval((uint8_t)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

static int
b64val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (ztk_isdigit(c))
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64 (RFC 4648 4) of one contiguous value, padding required, into out
 * (cap octets).  Returns the length, -1 if it is not canonical base64, or
 * -2 if out is too small.
 */
static int
b64_decode(const uint8_t *s, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned nbits = 0, pad = 0;
	size_t w = 0;
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=') {
			/* only at the very end, at most two */
			if (i + 2 < n || ++pad > 2)
				return -1;
			continue;
		}
		int v = b64val(s[i]);
		if (v < 0 || pad)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if (w >= cap)
				return -2;
			out[w++] = (uint8_t)(acc >> nbits);
		}
	}
	/* the bits left over must be zero (RFC 4648 3.5) */
	if ((acc & ((1u << nbits) - 1)) != 0)
		return -1;
	return (int)w;
}

/* "..." with \" \\ and \DDD for the unprintable, as a <character-string>. */
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

/* --- LOC (RFC 1876) ------------------------------------------------------- */

/* RFC 1876 2: latitude/longitude are thousandths of a second of arc
 * offset by 2^31; altitude is centimetres above a base 100000m below the
 * WGS 84 spheroid. */
#define LOC_EQUATOR     0x80000000u
#define LOC_MS_PER_DEG  3600000u
#define LOC_ALT_BASE    10000000u

static const uint64_t pow10_tab[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

/*
 * A LOC decimal: digits, optionally "." and at most frac digits, optionally
 * "m" (if metres).  Returns the value times 10^frac, or -1.  A leading "-"
 * sets *neg when neg is not NULL.
 */
static int
loc_decimal(const struct ztk_token *t, unsigned frac, bool metres, bool *neg,
	uint64_t *out)
{
	const char *p = t->s, *end = t->s + t->len;
	uint64_t v = 0;
	unsigned idigits = 0, fdigits = 0;

	if (neg) {
		*neg = false;
		if (p < end && *p == '-') {
			*neg = true;
			p++;
		}
	}
	if (metres && p < end && end[-1] == 'm')
		end--;
	while (p < end && ztk_isdigit((uint8_t)*p)) {
		if (++idigits > 10)
			return -1;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (idigits == 0)
		return -1;
	if (p < end && *p == '.') {
		/* "1." is taken as "1", as BIND and ldns do */
		p++;
		while (p < end && ztk_isdigit((uint8_t)*p)) {
			if (++fdigits > frac)
				return -1;
			v = v * 10 + (uint64_t)(*p++ - '0');
		}
	}
	if (p != end)
		return -1;
	*out = v * pow10_tab[frac - fdigits];
	return 0;
}

static bool
is_hemisphere(const struct ztk_token *t, char pos, char neg)
{
	return t->kind == ZTK_TOK_WORD && t->len == 1 &&
		(t->s[0] == pos || t->s[0] == neg);
}

/* d [m [s.sss]] N|S (or E|W): the coordinate in wire form into *out. */
static int
loc_coord(struct ztk_rdparse *rp, uint32_t *out, unsigned maxdeg, char pos,
	char neg, const char *what)
{
	struct ztk_token t, first;
	uint64_t deg, min = 0, ms = 0;
	int r = rd_need(rp, &first, what);
	if (r)
		return r;
	if (tok_uint(&first, 999, &deg) != 0)
		return rd_error(rp, &first, "bad LOC %s degrees " TOKF,
			what, TOKA(&first));
	if (deg > maxdeg)
		return rd_error(rp, &first, "LOC %s degrees above %u",
			what, maxdeg);
	if ((r = rd_need(rp, &t, what)) != 0)
		return r;
	if (!is_hemisphere(&t, pos, neg)) {
		if (tok_uint(&t, 999, &min) != 0)
			return rd_error(rp, &t, "bad LOC %s minutes " TOKF
				" (expected 0 to 59 or %c/%c)", what,
				TOKA(&t), pos, neg);
		if (min > 59)
			return rd_error(rp, &t, "LOC %s minutes above 59",
				what);
		if ((r = rd_need(rp, &t, what)) != 0)
			return r;
		if (!is_hemisphere(&t, pos, neg)) {
			if (loc_decimal(&t, 3, false, NULL, &ms) != 0)
				return rd_error(rp, &t, "bad LOC %s seconds "
					TOKF " (expected 0 to 59.999 or %c/%c)",
					what, TOKA(&t), pos, neg);
			if (ms >= 60000)
				return rd_error(rp, &t, "LOC %s seconds "
					"above 59.999", what);
			if ((r = rd_need(rp, &t, what)) != 0)
				return r;
			if (!is_hemisphere(&t, pos, neg))
				return rd_error(rp, &t, "expected %c or %c "
					"after the LOC %s, got " TOKF, pos,
					neg, what, TOKA(&t));
		}
	}
	uint64_t v = deg * LOC_MS_PER_DEG + min * 60000 + ms;
	if (v > (uint64_t)maxdeg * LOC_MS_PER_DEG)
		return rd_error(rp, &first, "LOC %s beyond %u degrees", what,
			maxdeg);
	*out = t.s[0] == pos ? LOC_EQUATOR + (uint32_t)v :
		LOC_EQUATOR - (uint32_t)v;
	return 0;
}

/*
 * Size and precisions: centimetres as mantissa * 10^exponent, one nibble
 * each (RFC 1876 2).  Like the RFC's reference code and BIND, a value that
 * has more than one significant digit is truncated to the first.
 */
static uint8_t
loc_precision(uint64_t cm)
{
	unsigned e = 0;
	while (e < 9 && cm >= pow10_tab[e + 1])
		e++;
	return (uint8_t)((cm / pow10_tab[e]) << 4 | e);
}

static int
loc_size(struct ztk_rdparse *rp, const struct ztk_token *t, const char *what,
	uint8_t *out)
{
	uint64_t cm;
	if (loc_decimal(t, 2, true, NULL, &cm) != 0)
		return rd_error(rp, t, "bad LOC %s " TOKF " (metres, like "
			"10m or 0.5m)", what, TOKA(t));
	if (cm > 9000000000u)
		return rd_error(rp, t, "LOC %s " TOKF " above 90000000m", what,
			TOKA(t));
	*out = loc_precision(cm);
	return 0;
}

static int
parse_loc(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint32_t lat, lon;
	uint64_t cm;
	bool neg;
	/* RFC 1876 3: size 1m, horizontal 10000m, vertical 10m by default */
	uint8_t prec[3] = { 0x12, 0x16, 0x13 };
	static const char *const prec_name[3] = {
		"size", "horizontal precision", "vertical precision",
	};
	int r = loc_coord(rp, &lat, 90, 'N', 'S', "latitude");
	if (r)
		return r;
	if ((r = loc_coord(rp, &lon, 180, 'E', 'W', "longitude")) != 0)
		return r;
	if ((r = rd_need(rp, &t, "altitude")) != 0)
		return r;
	if (loc_decimal(&t, 2, true, &neg, &cm) != 0)
		return rd_error(rp, &t, "bad LOC altitude " TOKF " (metres, "
			"like -24m or 10.5m)", TOKA(&t));
	if (neg ? cm > LOC_ALT_BASE : cm > 0xffffffffu - LOC_ALT_BASE)
		return rd_error(rp, &t, "LOC altitude " TOKF " out of range "
			"(-100000.00m to 42849672.95m)", TOKA(&t));
	uint32_t alt = neg ? LOC_ALT_BASE - (uint32_t)cm :
		LOC_ALT_BASE + (uint32_t)cm;
	for (int i = 0; i < 3; i++) {
		if ((r = next_or_end(rp, &t)) < 0)
			return r;
		if (r == 1)
			break;
		if ((r = loc_size(rp, &t, prec_name[i], &prec[i])) != 0)
			return r;
	}
	uint8_t w[16] = { 0, prec[0], prec[1], prec[2] };
	ztk_put32(w + 4, lat);
	ztk_put32(w + 8, lon);
	ztk_put32(w + 12, alt);
	return space(rp, &t, ztk_wbuf_put(out, w, sizeof w));
}

static int
loc_print_coord(struct ztk_sbuf *out, uint32_t v, char pos, char neg)
{
	uint32_t a = v >= LOC_EQUATOR ? v - LOC_EQUATOR : LOC_EQUATOR - v;
	return ztk_sbuf_printf(out, "%u %u %u.%03u %c", a / LOC_MS_PER_DEG,
		a % LOC_MS_PER_DEG / 60000, a % 60000 / 1000, a % 1000,
		v >= LOC_EQUATOR ? pos : neg);
}

/* BIND's form: whole metres as "10m", below a metre as "0.05m". */
static int
loc_print_size(struct ztk_sbuf *out, uint8_t v)
{
	unsigned man = v >> 4, e = v & 15;
	if (e >= 2)
		return ztk_sbuf_printf(out, " %llum",
			(unsigned long long)(man * pow10_tab[e - 2]));
	return ztk_sbuf_printf(out, " 0.%02um", man * (e ? 10u : 1u));
}

static int
print_loc(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	const uint8_t *w = *p;
	if (end - w < 16 || w[0] != 0)   /* RFC 1876 2: version 0 only */
		return ZTK_EMALF;
	for (int i = 1; i <= 3; i++)
		if ((w[i] >> 4) > 9 || (w[i] & 15) > 9)
			return ZTK_EMALF;
	uint32_t lat = ztk_get32(w + 4), lon = ztk_get32(w + 8),
		alt = ztk_get32(w + 12);
	if ((lat >= LOC_EQUATOR ? lat - LOC_EQUATOR : LOC_EQUATOR - lat) >
	    90 * LOC_MS_PER_DEG ||
	    (lon >= LOC_EQUATOR ? lon - LOC_EQUATOR : LOC_EQUATOR - lon) >
	    180 * LOC_MS_PER_DEG)
		return ZTK_EMALF;
	int r = loc_print_coord(out, lat, 'N', 'S');
	if (r == 0)
		r = ztk_sbuf_chr(out, ' ');
	if (r == 0)
		r = loc_print_coord(out, lon, 'E', 'W');
	if (r == 0) {
		uint32_t a = alt >= LOC_ALT_BASE ? alt - LOC_ALT_BASE :
			LOC_ALT_BASE - alt;
		r = ztk_sbuf_printf(out, " %s%u.%02um",
			alt < LOC_ALT_BASE ? "-" : "", a / 100, a % 100);
	}
	for (int i = 1; r == 0 && i <= 3; i++)
		r = loc_print_size(out, w[i]);
	if (r == 0)
		*p += 16;
	return r;
}

/* --- APL (RFC 3123) ------------------------------------------------------- */

static int
parse_apl(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	int r;
	/* RFC 3123 5: zero or more "[!]afi:address/prefix" items */
	while ((r = next_or_end(rp, &t)) == 0) {
		const char *s = t.s, *end = t.s + t.len;
		bool negate = s < end && *s == '!';
		if (negate)
			s++;
		const char *colon = memchr(s, ':', (size_t)(end - s));
		const char *slash = end;
		while (slash > s && slash[-1] != '/')
			slash--;
		slash = slash > s ? slash - 1 : NULL;
		if (t.kind != ZTK_TOK_WORD || colon == NULL || slash == NULL ||
		    slash < colon)
			return rd_error(rp, &t, "bad APL item " TOKF
				" (expected [!]afi:address/prefix, like "
				"1:192.0.2.0/24)", TOKA(&t));
		struct ztk_token part = t;
		uint64_t afi, prefix;
		part.s = s;
		part.len = (uint32_t)(colon - s);
		if (tok_uint(&part, 0xffff, &afi) != 0)
			return rd_error(rp, &t, "bad APL address family in "
				TOKF, TOKA(&t));
		if (afi != 1 && afi != 2)
			return rd_error(rp, &t, "APL address family %u in " TOKF
				" is not supported (1 is IPv4, 2 is IPv6)",
				(unsigned)afi, TOKA(&t));
		part.s = slash + 1;
		part.len = (uint32_t)(end - slash - 1);
		unsigned maxp = afi == 1 ? 32 : 128;
		if (tok_uint(&part, 999, &prefix) != 0 || prefix > maxp)
			return rd_error(rp, &t, "bad APL prefix length in " TOKF
				" (0 to %u)", TOKA(&t), maxp);
		uint8_t a[16];
		size_t alen = afi == 1 ? 4 : 16;
		const char *as = colon + 1;
		size_t an = (size_t)(slash - as);
		if ((afi == 1 ? ztk_ipv4_parse(as, an, a) :
		    ztk_ipv6_parse(as, an, a)) != 0)
			return rd_error(rp, &t, "bad %s address in APL item "
				TOKF, afi == 1 ? "IPv4" : "IPv6", TOKA(&t));
		/* RFC 3123 4: trailing zero octets of the address are cut */
		while (alen > 0 && a[alen - 1] == 0)
			alen--;
		uint8_t hdr[4] = { 0, (uint8_t)afi, (uint8_t)prefix,
			(uint8_t)((negate ? 0x80 : 0) | alen) };
		r = ztk_wbuf_put(out, hdr, 4);
		if (r == 0)
			r = ztk_wbuf_put(out, a, alen);
		if (r)
			return space(rp, &t, r);
	}
	return r < 0 ? r : 0;
}

static int
print_apl(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	const uint8_t *q = *p;
	while (q < end) {
		if (end - q < 4)
			return ZTK_EMALF;
		unsigned afi = ztk_get16(q), prefix = q[2], len = q[3] & 0x7f;
		bool negate = q[3] & 0x80;
		size_t alen = afi == 1 ? 4 : 16;
		if ((afi != 1 && afi != 2) || len > alen ||
		    prefix > alen * 8 || (size_t)(end - q - 4) < len ||
		    (len > 0 && q[4 + len - 1] == 0))
			return ZTK_EMALF;
		uint8_t a[16] = { 0 };
		memcpy(a, q + 4, len);
		int r = 0;
		if (q != *p)
			r = ztk_sbuf_chr(out, ' ');
		if (r == 0)
			r = ztk_sbuf_printf(out, "%s%u:", negate ? "!" : "",
				afi);
		if (r == 0) {
			const uint8_t *ap = a;
			r = ztk_field_ops[afi == 1 ? ZTK_F_IPV4 : ZTK_F_IPV6]
				.print(&ap, a + alen, out);
		}
		if (r == 0)
			r = ztk_sbuf_printf(out, "/%u", prefix);
		if (r)
			return r;
		q += 4 + len;
	}
	*p = q;
	return 0;
}

/* --- IPSECKEY (RFC 4025) -------------------------------------------------- */

/* RFC 4025 2.3: gateway types 0 none, 1 IPv4, 2 IPv6, 3 domain name */
static int
parse_ipseckey(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint64_t gtype, alg;
	int r = rd_need(rp, &t, "gateway type");
	if (r)
		return r;
	if (tok_uint(&t, 255, &gtype) != 0 || gtype > 3)
		return rd_error(rp, &t, "bad IPSECKEY gateway type " TOKF
			" (0 none, 1 IPv4, 2 IPv6, 3 domain name)", TOKA(&t));
	if ((r = rd_need(rp, &t, "algorithm")) != 0)
		return r;
	if (tok_uint(&t, 255, &alg) != 0)
		return rd_error(rp, &t, "bad IPSECKEY algorithm " TOKF
			" (a number from 0 to 255)", TOKA(&t));
	uint8_t hdr[2] = { (uint8_t)gtype, (uint8_t)alg };
	if ((r = ztk_wbuf_put(out, hdr, 2)) != 0)
		return space(rp, &t, r);
	switch (gtype) {
	case 0:
		if ((r = rd_need(rp, &t, "gateway")) != 0)
			return r;
		if (!tok_eq(&t, "."))
			return rd_error(rp, &t, "IPSECKEY gateway type 0 means "
				"no gateway, which is written \".\", not " TOKF,
				TOKA(&t));
		break;
	case 1:
		r = ztk_field_ops[ZTK_F_IPV4].parse(rp, out);
		break;
	case 2:
		r = ztk_field_ops[ZTK_F_IPV6].parse(rp, out);
		break;
	default:
		r = ztk_field_ops[ZTK_F_NAME].parse(rp, out);
		break;
	}
	if (r)
		return r;
	/* RFC 4025 2.6: the public key is optional */
	if (rd_at_end(rp))
		return 0;
	return ztk_field_ops[ZTK_F_B64].parse(rp, out);
}

static int
print_ipseckey(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	const uint8_t *q = *p;
	if (end - q < 2 || q[0] > 3)
		return ZTK_EMALF;
	uint8_t gtype = q[0];
	int r = ztk_sbuf_printf(out, "%u %u ", q[0], q[1]);
	if (r)
		return r;
	q += 2;
	switch (gtype) {
	case 0:
		r = ztk_sbuf_chr(out, '.');
		break;
	case 1:
		r = ztk_field_ops[ZTK_F_IPV4].print(&q, end, out);
		break;
	case 2:
		r = ztk_field_ops[ZTK_F_IPV6].print(&q, end, out);
		break;
	default:
		r = ztk_field_ops[ZTK_F_NAME].print(&q, end, out);
		break;
	}
	if (r == 0 && q < end) {
		r = ztk_sbuf_chr(out, ' ');
		if (r == 0)
			r = ztk_field_ops[ZTK_F_B64].print(&q, end, out);
	}
	if (r == 0)
		*p = q;
	return r;
}

/* --- HIP (RFC 8005) ------------------------------------------------------- */

static int
parse_hip(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint64_t alg;
	int r = rd_need(rp, &t, "public key algorithm");
	if (r)
		return r;
	if (tok_uint(&t, 255, &alg) != 0)
		return rd_error(rp, &t, "bad HIP public key algorithm " TOKF
			" (a number from 0 to 255)", TOKA(&t));
	/* RFC 8005 5: HIT length, PK algorithm, PK length, HIT, PK, RVS */
	size_t at = out->len;
	uint8_t hdr[4] = { 0, (uint8_t)alg, 0, 0 };
	if ((r = ztk_wbuf_put(out, hdr, 4)) != 0)
		return space(rp, &t, r);
	if ((r = rd_need(rp, &t, "HIT")) != 0)
		return r;
	uint8_t hit[255];
	int n = hex_decode(t.s, t.len, hit, sizeof hit);
	if (n <= 0)
		return rd_error(rp, &t, "bad HIP HIT " TOKF " (1 to 255 octets "
			"in hexadecimal, without blanks)", TOKA(&t));
	if ((r = ztk_wbuf_put(out, hit, (size_t)n)) != 0)
		return space(rp, &t, r);
	out->buf[at] = (uint8_t)n;
	if ((r = rd_need(rp, &t, "public key")) != 0)
		return r;
	n = b64_decode((const uint8_t *)t.s, t.len, out->buf + out->len,
		out->cap - out->len);
	if (n == -2)
		return space(rp, &t, ZTK_ESPACE);
	if (n <= 0)
		return rd_error(rp, &t, "bad HIP public key " TOKF " (base64, "
			"in one piece without blanks)", TOKA(&t));
	out->len += (size_t)n;
	ztk_put16(out->buf + at + 2, (uint16_t)n);
	/* RFC 8005 5: zero or more rendezvous servers, uncompressed names */
	while ((r = next_or_end(rp, &t)) == 0) {
		rd_unget(rp, &t);
		if ((r = ztk_field_ops[ZTK_F_NAME].parse(rp, out)) != 0)
			return r;
	}
	return r < 0 ? r : 0;
}

static int
print_hip(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	const uint8_t *q = *p;
	if (end - q < 4)
		return ZTK_EMALF;
	size_t hitlen = q[0], pklen = ztk_get16(q + 2);
	if (hitlen == 0 || pklen == 0 ||
	    (size_t)(end - q - 4) < hitlen + pklen)
		return ZTK_EMALF;
	int r = ztk_sbuf_printf(out, "%u ", q[1]);
	if (r == 0)
		r = ztk_hex_encode(q + 4, hitlen, out, true);
	if (r == 0)
		r = ztk_sbuf_chr(out, ' ');
	if (r == 0)
		r = ztk_b64_encode(q + 4 + hitlen, pklen, out);
	q += 4 + hitlen + pklen;
	while (r == 0 && q < end) {
		r = ztk_sbuf_chr(out, ' ');
		if (r == 0)
			r = ztk_field_ops[ZTK_F_NAME].print(&q, end, out);
	}
	if (r == 0)
		*p = q;
	return r;
}

/* --- SvcParams (RFC 9460 2.1, 7; RFC 9461 5; RFC 9540 4) ------------------ */

enum {
	SVC_MANDATORY = 0, SVC_ALPN = 1, SVC_NO_DEFAULT_ALPN = 2, SVC_PORT = 3,
	SVC_IPV4HINT = 4, SVC_ECH = 5, SVC_IPV6HINT = 6, SVC_DOHPATH = 7,
	SVC_OHTTP = 8, SVC_NAMED
};

static const char *const svc_names[SVC_NAMED] = {
	"mandatory", "alpn", "no-default-alpn", "port", "ipv4hint", "ech",
	"ipv6hint", "dohpath", "ohttp",
};

/* Key name, or "keyNNNNN" written into buf (16 octets). */
static const char *
svc_key_name(uint16_t key, char *buf)
{
	if (key < SVC_NAMED)
		return svc_names[key];
	snprintf(buf, 16, "key%u", key);
	return buf;
}

/* Key from a name or keyNNNNN (RFC 9460 2.1: no leading zeros). */
static int
svc_key_from_text(const char *s, size_t n, uint16_t *out)
{
	for (uint16_t k = 0; k < SVC_NAMED; k++) {
		if (strlen(svc_names[k]) == n &&
		    strncasecmp(svc_names[k], s, n) == 0) {
			*out = k;
			return 0;
		}
	}
	if (n < 4 || n > 8 || strncasecmp(s, "key", 3) != 0 ||
	    (s[3] == '0' && n > 4))
		return -1;
	uint32_t v = 0;
	for (size_t i = 3; i < n; i++) {
		if (!ztk_isdigit((uint8_t)s[i]))
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > 0xffff)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/*
 * RFC 9461 5: dohpath is a relative URI template (RFC 6570) that starts
 * with "/" and has the variable "dns", as in "/dns-query{?dns}".
 */
static bool
dohpath_ok(const uint8_t *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{')
			continue;
		size_t j = i + 1;
		if (j < n && s[j] != 0 && strchr("+#./;?&", s[j]) != NULL)
			j++;
		while (j < n && s[j] != '}') {
			size_t v = j;
			while (j < n && s[j] != ',' && s[j] != '}' &&
			    s[j] != ':' && s[j] != '*')
				j++;
			if (j - v == 3 && memcmp(s + v, "dns", 3) == 0)
				return true;
			while (j < n && s[j] != ',' && s[j] != '}')
				j++;
			if (j < n && s[j] == ',')
				j++;
		}
		i = j;
	}
	return false;
}

/*
 * Check the value of one SvcParam in wire form; NULL if good, else what is
 * wrong.  Values of keys this table does not name are opaque.
 */
static const char *
svc_value_check(uint16_t key, const uint8_t *v, size_t n)
{
	switch (key) {
	case SVC_MANDATORY:
		/* RFC 9460 8: a non-empty list of keys, strictly increasing,
		 * not listing "mandatory" itself */
		if (n == 0 || n % 2)
			return "must be a non-empty list of keys";
		for (size_t i = 0; i < n; i += 2) {
			uint16_t k = ztk_get16(v + i);
			if (k == SVC_MANDATORY)
				return "must not list \"mandatory\" itself";
			if (i > 0 && k <= ztk_get16(v + i - 2))
				return "must list keys in increasing order "
					"without repeats";
		}
		return NULL;
	case SVC_ALPN:
		/* RFC 9460 7.1.1: non-empty list of non-empty protocol ids */
		if (n == 0)
			return "needs at least one protocol id";
		for (size_t i = 0; i < n; i += 1u + v[i])
			if (v[i] == 0 || n - i - 1 < v[i])
				return "has an empty or truncated protocol id";
		return NULL;
	case SVC_NO_DEFAULT_ALPN:
	case SVC_OHTTP:
		return n ? "takes no value" : NULL;
	case SVC_PORT:
		return n == 2 ? NULL : "must be a 2-octet port number";
	case SVC_IPV4HINT:
		return n > 0 && n % 4 == 0 ? NULL :
			"must be one or more IPv4 addresses";
	case SVC_ECH:
		return n > 0 ? NULL : "needs an ECHConfigList";
	case SVC_IPV6HINT:
		return n > 0 && n % 16 == 0 ? NULL :
			"must be one or more IPv6 addresses";
	case SVC_DOHPATH:
		return dohpath_ok(v, n) ? NULL : "must be a relative URI "
			"template with the \"dns\" variable, like "
			"\"/dns-query{?dns}\" (RFC 9461 5)";
	}
	return NULL;
}

/*
 * Check a whole list of SvcParams in wire form.  Returns 0, or -1 with a
 * message in why and the index of the SvcParam it is about in *bad.
 */
static int
svc_check(const uint8_t *p, const uint8_t *end, size_t *bad, char *why,
	size_t whylen)
{
	const uint8_t *mand = NULL;
	size_t mandlen = 0, idx = 0, mand_idx = 0;
	int last = -1;
	bool have_alpn = false;
	char kb[16];

	for (const uint8_t *q = p; q < end; idx++) {
		*bad = idx;
		if (end - q < 4) {
			snprintf(why, whylen, "SvcParams truncated");
			return -1;
		}
		uint16_t key = ztk_get16(q), len = ztk_get16(q + 2);
		if ((size_t)(end - q - 4) < len) {
			snprintf(why, whylen, "SvcParam \"%s\" truncated",
				svc_key_name(key, kb));
			return -1;
		}
		/* RFC 9460 2.2: keys strictly increasing in wire form */
		if ((int)key <= last) {
			snprintf(why, whylen, "SvcParam \"%s\" %s",
				svc_key_name(key, kb), (int)key == last ?
				"given twice" : "out of order");
			return -1;
		}
		last = key;
		const char *w = svc_value_check(key, q + 4, len);
		if (w) {
			snprintf(why, whylen, "SvcParam \"%s\" %s",
				svc_key_name(key, kb), w);
			return -1;
		}
		if (key == SVC_MANDATORY) {
			mand = q + 4;
			mandlen = len;
			mand_idx = idx;
		}
		have_alpn |= key == SVC_ALPN;
		/* RFC 9460 7.1.1: no-default-alpn only with alpn */
		if (key == SVC_NO_DEFAULT_ALPN && !have_alpn) {
			snprintf(why, whylen, "SvcParam \"no-default-alpn\" "
				"without \"alpn\"");
			return -1;
		}
		q += 4 + len;
	}
	/* RFC 9460 8: every key in mandatory must be present; both lists
	 * are strictly increasing, so one merge walk does it */
	const uint8_t *q = p;
	for (size_t i = 0; i < mandlen; i += 2) {
		uint16_t k = ztk_get16(mand + i);
		while (q < end && ztk_get16(q) < k)
			q += 4 + ztk_get16(q + 2);
		if (q >= end || ztk_get16(q) != k) {
			*bad = mand_idx;
			snprintf(why, whylen, "mandatory lists \"%s\" but the "
				"record has no such SvcParam",
				svc_key_name(k, kb));
			return -1;
		}
	}
	return 0;
}

/* One SvcParam as read, before sorting. */
struct svc_item {
	uint16_t key;
	size_t off;                /* of its key octets in out */
	struct ztk_token tok;      /* for messages */
};

static int
svc_item_cmp(const void *a, const void *b)
{
	const struct svc_item *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Split v on "," into items; fn is called per item.  Empty items fail. */
typedef int (*svc_item_fn)(const uint8_t *s, size_t n, void *ctx);

static int
svc_split(const uint8_t *v, size_t n, svc_item_fn fn, void *ctx)
{
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < n && v[j] != ',')
			j++;
		if (j == i)
			return -1;
		int r = fn(v + i, j - i, ctx);
		if (r)
			return r;
		if (j == n)
			return 0;
		i = j + 1;
	}
}

struct svc_ctx {
	struct ztk_wbuf *out;
	uint16_t keys[32768];
	size_t nkeys;
};

static int
svc_hint4(const uint8_t *s, size_t n, void *ctx)
{
	uint8_t a[4];
	if (ztk_ipv4_parse((const char *)s, n, a) != 0)
		return -1;
	return ztk_wbuf_put(((struct svc_ctx *)ctx)->out, a, 4) ? -2 : 0;
}

static int
svc_hint6(const uint8_t *s, size_t n, void *ctx)
{
	uint8_t a[16];
	if (ztk_ipv6_parse((const char *)s, n, a) != 0)
		return -1;
	return ztk_wbuf_put(((struct svc_ctx *)ctx)->out, a, 16) ? -2 : 0;
}

static int
svc_mandatory_key(const uint8_t *s, size_t n, void *ctx)
{
	struct svc_ctx *c = ctx;
	uint16_t k;
	if (svc_key_from_text((const char *)s, n, &k) != 0)
		return -1;
	if (c->nkeys >= 32768)
		return -2;
	c->keys[c->nkeys++] = k;
	return 0;
}

static int
u16_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/*
 * RFC 9460 A.1 value-list: items separated by ",", where "\," and "\\"
 * stand for themselves (after the <character-string> escapes are gone).
 */
static int
svc_parse_alpn(struct ztk_rdparse *rp, const struct ztk_token *vt,
	const uint8_t *v, size_t n, struct ztk_wbuf *out)
{
	size_t i = 0;
	if (n == 0)
		return rd_error(rp, vt, "SvcParam \"alpn\" needs at least one "
			"protocol id");
	while (i <= n) {
		size_t at = out->len;
		int r = ztk_wbuf_u8(out, 0);
		while (r == 0 && i < n && v[i] != ',') {
			if (v[i] == '\\' && i + 1 < n)
				i++;
			r = ztk_wbuf_u8(out, v[i++]);
		}
		if (r)
			return space(rp, vt, r);
		size_t len = out->len - at - 1;
		if (len == 0)
			return rd_error(rp, vt, "empty protocol id in alpn "
				TOKF, TOKA(vt));
		if (len > 255)
			return rd_error(rp, vt, "protocol id longer than 255 "
				"octets in alpn");
		out->buf[at] = (uint8_t)len;
		i++;   /* past the "," or the end */
	}
	return 0;
}

/* The value of one SvcParam (already unescaped) into out, by key. */
static int
svc_parse_value(struct ztk_rdparse *rp, uint16_t key, bool generic,
	const struct ztk_token *vt, const uint8_t *v, size_t n,
	struct svc_ctx *ctx)
{
	struct ztk_wbuf *out = ctx->out;
	char kb[16];
	const char *kn = svc_key_name(key, kb);
	int r;

	/* RFC 9460 2.1: keyNNNNN=value is the wire value itself */
	if (generic || key >= SVC_NAMED)
		return space(rp, vt, ztk_wbuf_put(out, v, n));
	switch (key) {
	case SVC_MANDATORY:
		ctx->nkeys = 0;
		r = svc_split(v, n, svc_mandatory_key, ctx);
		if (r == -2)
			return space(rp, vt, ZTK_ESPACE);
		if (r)
			return rd_error(rp, vt, "bad key list " TOKF " in "
				"mandatory (key names separated by \",\")",
				TOKA(vt));
		qsort(ctx->keys, ctx->nkeys, sizeof ctx->keys[0], u16_cmp);
		for (size_t i = 0; i < ctx->nkeys; i++) {
			if (ctx->keys[i] == SVC_MANDATORY)
				return rd_error(rp, vt, "mandatory must not "
					"list \"mandatory\" itself");
			if (i > 0 && ctx->keys[i] == ctx->keys[i - 1])
				return rd_error(rp, vt, "key \"%s\" listed "
					"twice in mandatory",
					svc_key_name(ctx->keys[i], kb));
			if ((r = ztk_wbuf_u16(out, ctx->keys[i])) != 0)
				return space(rp, vt, r);
		}
		return 0;
	case SVC_ALPN:
		return svc_parse_alpn(rp, vt, v, n, out);
	case SVC_PORT: {
		struct ztk_token pt = *vt;
		uint64_t port;
		pt.s = (const char *)v;
		pt.len = (uint32_t)n;
		if (tok_uint(&pt, 0xffff, &port) != 0)
			return rd_error(rp, vt, "bad port " TOKF " in SvcParam "
				"port (0 to 65535)", TOKA(vt));
		return space(rp, vt, ztk_wbuf_u16(out, (uint16_t)port));
	}
	case SVC_IPV4HINT:
	case SVC_IPV6HINT:
		r = svc_split(v, n, key == SVC_IPV4HINT ? svc_hint4 : svc_hint6,
			ctx);
		if (r == -2)
			return space(rp, vt, ZTK_ESPACE);
		if (r)
			return rd_error(rp, vt, "bad %s " TOKF " (IPv%c "
				"addresses separated by \",\")", kn, TOKA(vt),
				key == SVC_IPV4HINT ? '4' : '6');
		return 0;
	case SVC_ECH: {
		int m = b64_decode(v, n, out->buf + out->len,
			out->cap - out->len);
		if (m == -2)
			return space(rp, vt, ZTK_ESPACE);
		if (m <= 0)
			return rd_error(rp, vt, "bad base64 " TOKF " in "
				"SvcParam ech", TOKA(vt));
		out->len += (size_t)m;
		return 0;
	}
	default:   /* dohpath: the string itself, checked with the rest */
		return space(rp, vt, ztk_wbuf_put(out, v, n));
	}
}

/* Does this key need a value in presentation form? */
static bool
svc_needs_value(uint16_t key)
{
	return key < SVC_NAMED && key != SVC_NO_DEFAULT_ALPN &&
		key != SVC_OHTTP;
}

static int
parse_svcparams(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct svc_ctx *ctx = malloc(sizeof *ctx);
	uint8_t *val = malloc(ZTK_RDATA_MAX + 1);
	struct svc_item *items = NULL;
	size_t nitems = 0, capitems = 0, start = out->len;
	struct ztk_token t, vt;
	char kb[16];
	int r;

	if (ctx == NULL || val == NULL) {
		r = ZTK_ENOMEM;
		goto done;
	}
	ctx->out = out;
	while ((r = next_or_end(rp, &t)) == 0) {
		if (t.kind != ZTK_TOK_WORD) {
			r = rd_error(rp, &t, "expected a SvcParam key, got "
				"quoted " TOKF, TOKA(&t));
			goto done;
		}
		const char *eq = memchr(t.s, '=', t.len);
		size_t klen = eq ? (size_t)(eq - t.s) : t.len;
		uint16_t key;
		if (svc_key_from_text(t.s, klen, &key) != 0) {
			struct ztk_token kt = t;
			kt.len = (uint32_t)klen;
			r = rd_error(rp, &t, "unknown SvcParam key " TOKF
				" (keys are mandatory, alpn, no-default-alpn, "
				"port, ipv4hint, ech, ipv6hint, dohpath, "
				"ohttp or keyNNNNN)", TOKA(&kt));
			goto done;
		}
		bool generic = klen >= 4 && strncasecmp(t.s, "key", 3) == 0 &&
			ztk_isdigit((uint8_t)t.s[3]);
		bool has_value = eq != NULL;
		if (eq && eq + 1 == t.s + t.len) {
			/* key="quoted value": the quoted token right after */
			if ((r = rd_next(rp, &vt)) != 0)
				goto done;
			if (vt.kind != ZTK_TOK_QUOTED || vt.line != t.line ||
			    vt.col != t.col + t.len) {
				r = rd_error(rp, &t, "SvcParam " TOKF " has "
					"\"=\" but no value after it",
					TOKA(&t));
				goto done;
			}
			/* nothing may stick to the closing quote */
			struct ztk_token nt;
			if ((r = rd_next(rp, &nt)) != 0)
				goto done;
			rd_unget(rp, &nt);
			if (!tok_is_end(&nt) && nt.line == vt.line &&
			    nt.col == vt.col + vt.len + 2) {
				r = rd_error(rp, &nt, TOKF " right after the "
					"closing quote of a SvcParam value; "
					"put a blank between SvcParams",
					TOKA(&nt));
				goto done;
			}
		} else if (eq) {
			vt = t;
			vt.s = eq + 1;
			vt.len = (uint32_t)(t.s + t.len - vt.s);
			vt.escaped = memchr(vt.s, '\\', vt.len) != NULL;
		}
		int n = 0;
		if (has_value) {
			n = rd_unescape(&vt, val, ZTK_RDATA_MAX);
			if (n == -1) {
				r = rd_error(rp, &vt, "bad escape in SvcParam "
					"value " TOKF, TOKA(&vt));
				goto done;
			}
			if (n < 0) {
				r = space(rp, &vt, ZTK_ESPACE);
				goto done;
			}
		}
		if (!generic && svc_needs_value(key) && n == 0) {
			r = rd_error(rp, &t, "SvcParam \"%s\" needs a value",
				svc_key_name(key, kb));
			goto done;
		}
		if (!generic && !svc_needs_value(key) && key < SVC_NAMED &&
		    n > 0) {
			r = rd_error(rp, &t, "SvcParam \"%s\" takes no value",
				svc_key_name(key, kb));
			goto done;
		}
		if (nitems == capitems) {
			size_t nc = capitems ? capitems * 2 : 16;
			struct svc_item *ni = realloc(items, nc * sizeof *ni);
			if (ni == NULL) {
				r = ZTK_ENOMEM;
				goto done;
			}
			items = ni;
			capitems = nc;
		}
		items[nitems].key = key;
		items[nitems].off = out->len;
		items[nitems].tok = t;
		nitems++;
		if ((r = ztk_wbuf_u16(out, key)) != 0 ||
		    (r = ztk_wbuf_u16(out, 0)) != 0) {
			r = space(rp, &t, r);
			goto done;
		}
		r = svc_parse_value(rp, key, generic, has_value ? &vt : &t,
			val, (size_t)n, ctx);
		if (r)
			goto done;
		size_t vlen = out->len - items[nitems - 1].off - 4;
		if (vlen > 0xffff) {
			r = space(rp, &t, ZTK_ESPACE);
			goto done;
		}
		ztk_put16(out->buf + items[nitems - 1].off + 2,
			(uint16_t)vlen);
	}
	if (r < 0)
		goto done;
	/* RFC 9460 2.2: any order in presentation, increasing on the wire */
	qsort(items, nitems, sizeof *items, svc_item_cmp);
	for (size_t i = 1; i < nitems; i++) {
		if (items[i].key == items[i - 1].key) {
			r = rd_error(rp, &items[i].tok, "SvcParam \"%s\" given "
				"twice", svc_key_name(items[i].key, kb));
			goto done;
		}
	}
	size_t total = out->len - start, w = 0;
	memcpy(val, out->buf + start, total);
	for (size_t i = 0; i < nitems; i++) {
		const uint8_t *s = val + (items[i].off - start);
		size_t len = 4u + ztk_get16(s + 2);
		memcpy(out->buf + start + w, s, len);
		w += len;
	}
	size_t bad = 0;
	char why[200];
	if (svc_check(out->buf + start, out->buf + out->len, &bad, why,
	    sizeof why) != 0) {
		r = rd_error(rp, bad < nitems ? &items[bad].tok : &t, "%s",
			why);
		goto done;
	}
	r = 0;
done:
	free(items);
	free(val);
	free(ctx);
	return r;
}

/*
 * alpn as one quoted <character-string> holding an RFC 9460 A.1 value-list:
 * "," and "\\" inside an id get a value-list backslash, and every backslash
 * is then escaped again for the <character-string>, as BIND prints it.
 */
static int
svc_print_alpn(struct ztk_sbuf *out, const uint8_t *v, size_t n)
{
	int r = ztk_sbuf_grow(out, n * 4 + 2);
	if (r)
		return r;
	char *o = out->buf + out->len;
	*o++ = '"';
	for (size_t i = 0; i < n; i += 1u + v[i]) {
		if (i)
			*o++ = ',';
		for (size_t j = 1; j <= v[i]; j++) {
			uint8_t c = v[i + j];
			if (c == ',') {
				*o++ = '\\';
				*o++ = '\\';
				*o++ = ',';
			} else if (c == '\\') {
				memcpy(o, "\\\\\\\\", 4);
				o += 4;
			} else if (c == '"') {
				*o++ = '\\';
				*o++ = '"';
			} else if (c < 0x20 || c > 0x7e) {
				*o++ = '\\';
				*o++ = (char)('0' + c / 100);
				*o++ = (char)('0' + c / 10 % 10);
				*o++ = (char)('0' + c % 10);
			} else {
				*o++ = (char)c;
			}
		}
	}
	*o++ = '"';
	*o = 0;
	out->len = (size_t)(o - out->buf);
	return 0;
}

static int
svc_print_value(struct ztk_sbuf *out, uint16_t key, const uint8_t *v,
	size_t n)
{
	char kb[16];
	int r = 0;
	switch (key) {
	case SVC_MANDATORY:
		for (size_t i = 0; r == 0 && i < n; i += 2) {
			if (i)
				r = ztk_sbuf_chr(out, ',');
			if (r == 0)
				r = ztk_sbuf_str(out,
					svc_key_name(ztk_get16(v + i), kb));
		}
		return r;
	case SVC_ALPN:
		return svc_print_alpn(out, v, n);
	case SVC_PORT:
		return ztk_sbuf_u32(out, ztk_get16(v));
	case SVC_IPV4HINT:
	case SVC_IPV6HINT: {
		size_t step = key == SVC_IPV4HINT ? 4 : 16;
		const struct ztk_field_ops *ops = &ztk_field_ops[
			key == SVC_IPV4HINT ? ZTK_F_IPV4 : ZTK_F_IPV6];
		for (const uint8_t *q = v; r == 0 && q < v + n; ) {
			if (q != v)
				r = ztk_sbuf_chr(out, ',');
			if (r == 0)
				r = ops->print(&q, q + step, out);
		}
		return r;
	}
	case SVC_ECH:
		return ztk_b64_encode(v, n, out);
	default:
		return put_quoted(out, v, n);
	}
}

static int
print_svcparams(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	size_t bad;
	char why[200], kb[16];
	if (svc_check(*p, end, &bad, why, sizeof why) != 0)
		return ZTK_EMALF;
	for (const uint8_t *q = *p; q < end; ) {
		uint16_t key = ztk_get16(q), len = ztk_get16(q + 2);
		int r = 0;
		if (q != *p)
			r = ztk_sbuf_chr(out, ' ');
		if (r == 0)
			r = ztk_sbuf_str(out, svc_key_name(key, kb));
		/* BIND's form: a valueless key alone, others key=value */
		if (r == 0 && len > 0) {
			r = ztk_sbuf_chr(out, '=');
			if (r == 0)
				r = svc_print_value(out, key, q + 4, len);
		}
		if (r)
			return r;
		q += 4 + len;
	}
	*p = end;
	return 0;
}

/* --- WKS (RFC 1035 3.4.2) ------------------------------------------------- */

/* A few well-known service names (IANA port registry), any protocol. */
static const struct { const char *name; uint16_t port; } wks_services[] = {
	{ "ftp-data", 20 }, { "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 },
	{ "smtp", 25 }, { "domain", 53 }, { "http", 80 }, { "pop3", 110 },
	{ "sunrpc", 111 }, { "nntp", 119 }, { "ntp", 123 }, { "imap", 143 },
	{ "snmp", 161 }, { "ldap", 389 }, { "https", 443 },
	{ "submission", 587 }, { "imaps", 993 }, { "pop3s", 995 },
};

static int
parse_wks(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t;
	uint64_t proto, port;
	uint8_t bits[8192] = { 0 };
	size_t len = 0;
	int r = rd_need(rp, &t, "protocol");
	if (r)
		return r;
	if (t.len == 3 && strncasecmp(t.s, "tcp", 3) == 0)
		proto = 6;
	else if (t.len == 3 && strncasecmp(t.s, "udp", 3) == 0)
		proto = 17;
	else if (tok_uint(&t, 255, &proto) != 0)
		return rd_error(rp, &t, "bad WKS protocol " TOKF " (tcp, udp "
			"or a number from 0 to 255)", TOKA(&t));
	if ((r = ztk_wbuf_u8(out, (uint8_t)proto)) != 0)
		return space(rp, &t, r);
	/* services: bit N of the map is port N (RFC 1035 3.4.2) */
	while ((r = next_or_end(rp, &t)) == 0) {
		size_t i;
		for (i = 0; i < ZTK_ARRAY_LEN(wks_services); i++)
			if (t.len == strlen(wks_services[i].name) &&
			    strncasecmp(t.s, wks_services[i].name, t.len) == 0)
				break;
		if (i < ZTK_ARRAY_LEN(wks_services))
			port = wks_services[i].port;
		else if (tok_uint(&t, 0xffff, &port) != 0)
			return rd_error(rp, &t, "bad WKS service " TOKF " (a "
				"port number from 0 to 65535 or a well-known "
				"name like smtp)", TOKA(&t));
		bits[port / 8] |= (uint8_t)(0x80 >> (port % 8));
		if (port / 8 + 1 > len)
			len = port / 8 + 1;
	}
	if (r < 0)
		return r;
	return space(rp, &t, ztk_wbuf_put(out, bits, len));
}

/* BIND's form: protocol and ports as numbers. */
static int
print_wks(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out)
{
	const uint8_t *q = *p;
	if (q >= end || end - q - 1 > 8192)
		return ZTK_EMALF;
	int r = ztk_sbuf_u32(out, q[0]);
	size_t n = (size_t)(end - q - 1);
	for (size_t i = 0; r == 0 && i < n * 8; i++)
		if (q[1 + i / 8] & (0x80 >> (i % 8)))
			r = ztk_sbuf_printf(out, " %zu", i);
	if (r == 0)
		*p = end;
	return r;
}

const struct ztk_field_ops ztk_field_loc = { parse_loc, print_loc };
const struct ztk_field_ops ztk_field_apl = { parse_apl, print_apl };
const struct ztk_field_ops ztk_field_ipseckey = { parse_ipseckey,
	print_ipseckey };
const struct ztk_field_ops ztk_field_hip = { parse_hip, print_hip };
const struct ztk_field_ops ztk_field_svcparams = { parse_svcparams,
	print_svcparams };
const struct ztk_field_ops ztk_field_wks = { parse_wks, print_wks };
