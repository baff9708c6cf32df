/* rdata.c - whole-rdata walks over the type table (see rdata.h). */
#include <stdio.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "util.h"

static const struct ztk_field_ops *
ops_of(uint8_t kind)
{
	switch (kind) {
	case ZTK_F_LOC: return &ztk_field_loc;
	case ZTK_F_APL: return &ztk_field_apl;
	case ZTK_F_IPSECKEY: return &ztk_field_ipseckey;
	case ZTK_F_HIP: return &ztk_field_hip;
	case ZTK_F_SVCPARAMS: return &ztk_field_svcparams;
	case ZTK_F_WKS: return &ztk_field_wks;
	}
	return &ztk_field_ops[kind];
}

int
ztk_rdata_parse(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	const struct ztk_rrtype_desc *d = ztk_rrtype_desc(rp->type);
	struct ztk_token t;
	int r;

	if (d == NULL) {
		/* RFC 3597: unknown types only in generic form (caller) */
		rd_next(rp, &t);
		char buf[16];
		return rd_error(rp, &t, "type %s has no known presentation "
			"format; write its data as \\# LENGTH HEX (RFC 3597)",
			ztk_rrtype_name(rp->type, buf));
	}
	for (const struct ztk_field *f = d->fields; f->kind != ZTK_F_NONE;
	     f++) {
		if ((f->flags & ZTK_FF_OPTIONAL) && rd_at_end(rp))
			break;
		r = ops_of(f->kind)->parse(rp, out);
		if (r)
			return r;
	}
	r = rd_next(rp, &t);
	if (r)
		return r;
	if (t.kind != ZTK_TOK_EOL && t.kind != ZTK_TOK_EOF) {
		char buf[16];
		return rd_error(rp, &t, "unexpected \"%.*s\" after the data of "
			"%s record", (int)(t.len > 40 ? 40 : t.len), t.s,
			ztk_rrtype_name(rp->type, buf));
	}
	rd_unget(rp, &t);
	return 0;
}

int
ztk_rdata_print_generic(const uint8_t *rd, size_t len, struct ztk_sbuf *out)
{
	int r = ztk_sbuf_printf(out, "\\# %zu", len);
	if (r == 0 && len) {
		r = ztk_sbuf_chr(out, ' ');
		if (r == 0)
			r = ztk_hex_encode(rd, len, out, true);
	}
	return r;
}

int
ztk_rdata_print(uint16_t type, const uint8_t *rd, size_t len,
	struct ztk_sbuf *out)
{
	const struct ztk_rrtype_desc *d = ztk_rrtype_desc(type);
	if (d == NULL)
		return ztk_rdata_print_generic(rd, len, out);
	const uint8_t *p = rd, *end = rd + len;
	size_t start = out->len;
	for (const struct ztk_field *f = d->fields; f->kind != ZTK_F_NONE;
	     f++) {
		if ((f->flags & ZTK_FF_OPTIONAL) && p == end)
			break;
		if (f != d->fields) {
			int r = ztk_sbuf_chr(out, ' ');
			if (r)
				return r;
		}
		size_t before = out->len;
		int r = ops_of(f->kind)->print(&p, end, out);
		if (r == 0 && out->len == before && f != d->fields) {
			/* an empty field (NSEC bitmap with no types): no
			 * separator either */
			out->buf[--out->len] = 0;
		}
		if (r) {
			out->len = start;
			if (out->buf)
				out->buf[start] = 0;
			return r;
		}
	}
	if (p != end) {
		out->len = start;
		if (out->buf)
			out->buf[start] = 0;
		return ZTK_EMALF;
	}
	return 0;
}

int
ztk_rdata_check(uint16_t type, const uint8_t *rd, size_t len)
{
	struct ztk_sbuf scratch = { 0 };
	int r = ztk_rdata_print(type, rd, len, &scratch);
	ztk_sbuf_clear(&scratch);
	return r;
}

int
ztk_rdata_to_text(uint16_t type, const uint8_t *rdata, size_t rdlen,
	char *buf, size_t cap)
{
	struct ztk_sbuf s = { 0 };
	int r = ztk_rdata_print(type, rdata, rdlen, &s);
	if (r == 0) {
		if (s.len + 1 > cap) {
			r = ZTK_ESPACE;
		} else {
			memcpy(buf, s.buf ? s.buf : "", s.len + 1);
			r = (int)s.len;
		}
	}
	ztk_sbuf_clear(&s);
	return r;
}

/* Wire size of a fixed or self-delimiting field before a name. */
static size_t
field_size(uint8_t kind, const uint8_t *p, const uint8_t *end)
{
	switch (kind) {
	case ZTK_F_U8: case ZTK_F_ALG: return 1;
	case ZTK_F_U16: case ZTK_F_TYPE: case ZTK_F_CERTTYPE: return 2;
	case ZTK_F_U32: case ZTK_F_TTL: case ZTK_F_TIME: case ZTK_F_IPV4:
		return 4;
	case ZTK_F_IPV6: return 16;
	case ZTK_F_STR: case ZTK_F_HEX8: case ZTK_F_B32HEX8: case ZTK_F_TAG:
		return p < end ? 1u + *p : 1;
	case ZTK_F_NAME: {
		int n = ztk_dname_wire_check(p, (size_t)(end - p));
		return n < 0 ? (size_t)(end - p) + 1 : (size_t)n;
	}
	}
	return (size_t)(end - p) + 1;   /* rest-of-rdata kinds: stop */
}

void
ztk_rdata_canonicalize(uint16_t type, uint8_t *rd, size_t len)
{
	const struct ztk_rrtype_desc *d = ztk_rrtype_desc(type);
	if (d == NULL)
		return;
	uint8_t *p = rd, *end = rd + len;
	for (const struct ztk_field *f = d->fields;
	     f->kind != ZTK_F_NONE && p < end; f++) {
		size_t n = field_size(f->kind, p, end);
		if (n > (size_t)(end - p))
			return;
		if (f->kind == ZTK_F_NAME && (f->flags & ZTK_FF_LOWER))
			ztk_dname_to_lower(p);
		p += n;
	}
}

int
ztk_rdata_parse_generic(struct ztk_rdparse *rp, struct ztk_wbuf *out)
{
	struct ztk_token t, lt;
	uint64_t len;
	int r = rd_need(rp, &lt, "length after \\#");
	if (r)
		return r;
	if (rd_uint(&lt, 65535, &len) != 0)
		return rd_error(rp, &lt, "bad length \"%.*s\" after \\# "
			"(0 to 65535)", (int)(lt.len > 20 ? 20 : lt.len), lt.s);
	size_t start = out->len;
	int half = -1;
	for (;;) {
		r = rd_next(rp, &t);
		if (r)
			return r;
		if (t.kind == ZTK_TOK_EOL || t.kind == ZTK_TOK_EOF) {
			rd_unget(rp, &t);
			break;
		}
		for (uint32_t i = 0; i < t.len; i++) {
			uint8_t c = (uint8_t)t.s[i];
			int v = ztk_isdigit(c) ? c - '0' :
				((c | 0x20) >= 'a' && (c | 0x20) <= 'f') ?
				(c | 0x20) - 'a' + 10 : -1;
			if (v < 0)
				return rd_error(rp, &t, "bad hexadecimal data "
					"\"%.*s\" after \\#",
					(int)(t.len > 40 ? 40 : t.len), t.s);
			if (half < 0) {
				half = v;
			} else {
				if (ztk_wbuf_u8(out, (uint8_t)(half << 4 | v)))
					return rd_error(rp, &t, "record data "
						"longer than 65535 octets");
				half = -1;
			}
		}
	}
	if (half >= 0)
		return rd_error(rp, &lt, "odd number of hexadecimal digits "
			"after \\#");
	if (out->len - start != len)
		return rd_error(rp, &lt, "\\# says %llu octets but %zu follow",
			(unsigned long long)len, out->len - start);
	if (ztk_rrtype_desc(rp->type) &&
	    ztk_rdata_check(rp->type, out->buf + start, len) != 0) {
		char buf[16];
		return rd_error(rp, &lt, "\\# data is not valid %s record data",
			ztk_rrtype_name(rp->type, buf));
	}
	return 0;
}

int
ztk_rdata_from_text(uint16_t type, const char *text, size_t len,
	const uint8_t *origin, struct ztk_wbuf *out, char *err, size_t errlen)
{
	struct ztk_lexer lx;
	struct ztk_rdparse rp;
	rd_init(&rp, &lx, origin, type);
	struct ztk_token t;
	int r;

	ztk_lexer_init(&lx, text, len);
	r = rd_next(&rp, &t);
	if (r == 0) {
		if (t.kind == ZTK_TOK_WORD && t.len == 2 && t.s[0] == '\\' &&
		    t.s[1] == '#') {
			r = ztk_rdata_parse_generic(&rp, out);
		} else {
			rd_unget(&rp, &t);
			r = ztk_rdata_parse(&rp, out);
		}
	}
	if (r && err)
		snprintf(err, errlen, "%u:%u: %s", rp.line, rp.col, rp.msg);
	return r;
}

bool
ztk_rdata_has_names(uint16_t type)
{
	const struct ztk_rrtype_desc *d = ztk_rrtype_desc(type);
	if (d == NULL)
		return false;
	for (const struct ztk_field *f = d->fields; f->kind; f++)
		if (f->flags & ZTK_FF_LOWER)
			return true;
	return false;
}
