/*
 * sign_out.c - print and encode the signer's output node by node, so that
 * the signing threads do it in parallel instead of one thread printing the
 * whole zone at the end.  The text must be byte for byte what
 * ztk_zone_print() makes of the finished zone (a test compares them).
 */
#include <stdlib.h>
#include <string.h>

#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>

#include "rdata.h"
#include "sign_out.h"
#include "util.h"

static int bytes_cmp(const uint8_t *a, size_t al, const uint8_t *b,
	size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al > bl) - (al < bl);
}

/* The order of zone.c's rr_cmp: type, then canonical RDATA. */
static int orr_cmp(const void *pa, const void *pb)
{
	const struct orr *a = pa, *b = pb;
	if (a->type != b->type)
		return (a->type > b->type) - (a->type < b->type);
	/* RRSIGs: the 18 octets before the signer name are not changed by
	 * canonicalisation and nearly always decide. */
	if (a->type == ZTK_TYPE_RRSIG && a->rdlen >= 18 && b->rdlen >= 18) {
		int c = memcmp(a->rdata, b->rdata, 18);
		if (c)
			return c;
	}
	if (ztk_rdata_has_names(a->type) && a->rdlen <= 1024 &&
	    b->rdlen <= 1024) {
		uint8_t ca[1024], cb[1024];
		memcpy(ca, a->rdata, a->rdlen);
		memcpy(cb, b->rdata, b->rdlen);
		ztk_rdata_canonicalize(a->type, ca, a->rdlen);
		ztk_rdata_canonicalize(b->type, cb, b->rdlen);
		return bytes_cmp(ca, a->rdlen, cb, b->rdlen);
	}
	return bytes_cmp(a->rdata ? a->rdata : (const uint8_t *)"", a->rdlen,
		b->rdata ? b->rdata : (const uint8_t *)"", b->rdlen);
}

static bool sorted(const struct orr *rrs, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (orr_cmp(&rrs[i - 1], &rrs[i]) > 0)
			return false;
	return true;
}

static int put_text(const char *owner, size_t olen, const struct orr *x,
	struct ztk_sbuf *s)
{
	char cb[16], tb[16];
	int r = ztk_sbuf_put(s, owner, olen);
	if (r == 0)
		r = ztk_sbuf_chr(s, '\t');
	if (r == 0)
		r = ztk_sbuf_u32(s, x->ttl);
	if (r == 0)
		r = ztk_sbuf_chr(s, '\t');
	if (r == 0)
		r = ztk_sbuf_str(s, ztk_rrclass_name(ZTK_CLASS_IN, cb));
	if (r == 0)
		r = ztk_sbuf_chr(s, '\t');
	if (r == 0)
		r = ztk_sbuf_str(s, ztk_rrtype_name(x->type, tb));
	if (r == 0)
		r = ztk_sbuf_chr(s, '\t');
	if (r == 0) {
		size_t at = s->len;
		r = ztk_rdata_print(x->type, x->rdata, x->rdlen, s);
		if (r == ZTK_EMALF) {
			s->len = at;
			r = ztk_rdata_print_generic(x->rdata, x->rdlen, s);
		}
	}
	if (r == 0)
		r = ztk_sbuf_chr(s, '\n');
	return r;
}

/* What of x the cache keeps: an RRSIG without its signature (up to and
 * with the signer's name), which is in the text beside it; all of any
 * other record. */
static uint16_t cached_len(const struct orr *x)
{
	if (x->type != ZTK_TYPE_RRSIG || x->rdlen <= RRSIG_FIXED)
		return x->rdlen;
	int sl = ztk_dname_wire_check(x->rdata + RRSIG_FIXED,
		(size_t)x->rdlen - RRSIG_FIXED);
	return sl > 0 ? (uint16_t)(RRSIG_FIXED + (size_t)sl) : x->rdlen;
}

int sign_out_node(struct orr *rrs, size_t n, int kind, struct ztk_sbuf *text,
	struct gbuf *cache)
{
	if (n == 0)
		return 0;
	if (n > 1 && !sorted(rrs, n)) {
		if (n > 32) {
			qsort(rrs, n, sizeof(*rrs), orr_cmp);
		} else {
			/* A node's records arrive nearly in order: RRSIGs
			 * and NSEC out of place. */
			for (size_t i = 1; i < n; i++) {
				struct orr x = rrs[i];
				size_t k = i;
				while (k > 0 && orr_cmp(&rrs[k - 1], &x) > 0) {
					rrs[k] = rrs[k - 1];
					k--;
				}
				rrs[k] = x;
			}
		}
	}
	int rc;
	if (text != NULL) {
		char owner[ZTK_DNAME_TEXT_MAX];
		size_t ol = ztk_dname_print(rrs[0].owner, owner);
		for (size_t i = 0; i < n; i++)
			if ((rc = put_text(owner, ol, &rrs[i], text)) != 0)
				return rc;
	}
	if (kind == SC_KIND_NONE || cache == NULL)
		return 0;
	if (n > UINT16_MAX)
		return ZTK_ELIMIT;
	/* Room for the records whole, then the node as long as it comes
	 * out (RRSIGs shortened, see cached_len), so that each record's
	 * length is worked out once. */
	size_t olen = ztk_dname_len(rrs[0].owner);
	size_t most = SC_NODE_HEAD + olen + 2;
	for (size_t i = 0; i < n; i++)
		most += SC_RR_HEAD + rrs[i].rdlen;
	if (most > UINT32_MAX)
		return ZTK_ELIMIT;
	size_t at = cache->len;
	if ((rc = gbuf_put(cache, NULL, most)) != 0)
		return rc;
	uint8_t *start = cache->p + at, *p = start;
	p[4] = (uint8_t)kind;
	p += SC_NODE_HEAD;
	memcpy(p, rrs[0].owner, olen);
	p += olen;
	ztk_put16(p, (uint16_t)n);
	p += 2;
	for (size_t i = 0; i < n; i++) {
		uint16_t cl = cached_len(&rrs[i]);
		ztk_put16(p, rrs[i].type);
		ztk_put32(p + 2, rrs[i].ttl);
		ztk_put16(p + 6, cl);
		memcpy(p + SC_RR_HEAD, rrs[i].rdata, cl);
		p += SC_RR_HEAD + cl;
	}
	ztk_put32(start, (uint32_t)(p - start));
	cache->len = at + (size_t)(p - start);
	return 0;
}
