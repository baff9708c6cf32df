/*
 * denial.c - what verified NSEC/NSEC3 records prove (see denial.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <ztk/dname.h>
#include <ztk/rrtype.h>
#include "denial.h"
#include "dnssec_int.h"
#include "util.h"

bool bitmap_has(const uint8_t *bm, size_t len, uint16_t type)
{
	unsigned win = type >> 8, bit = type & 0xff;
	size_t i = 0;
	while (i + 2 <= len) {
		unsigned w = bm[i], l = bm[i + 1];
		if (l == 0 || l > 32 || i + 2 + l > len)
			return false;
		if (w == win)
			return bit / 8 < l && (bm[i + 2 + bit / 8] & (0x80 >> (bit % 8)));
		i += 2 + l;
	}
	return false;
}

/* The last n labels of name (n <= its label count). */
static const uint8_t *suffix(const uint8_t *name, unsigned n)
{
	unsigned l = ztk_dname_labels(name);
	while (l > n && *name) {
		name += 1 + *name;
		l--;
	}
	return name;
}

/* Labels two names share from the right. */
static unsigned common_labels(const uint8_t *a, const uint8_t *b)
{
	unsigned la = ztk_dname_labels(a), lb = ztk_dname_labels(b);
	unsigned n = la < lb ? la : lb;
	while (n > 0 && !ztk_dname_equal(suffix(a, n), suffix(b, n)))
		n--;
	return n;
}

/* "*." + name into out; false if too long. */
static bool wildcard_of(const uint8_t *name, uint8_t *out)
{
	size_t l = ztk_dname_len(name);
	if (l + 2 > ZTK_DNAME_MAX)
		return false;
	out[0] = 1;
	out[1] = '*';
	memcpy(out + 2, name, l);
	return true;
}

static void pname(const uint8_t *n, char *out)
{
	char t[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(n, t);
	snprintf(out, 200, "%.199s", t);
}

/* --- NSEC ---------------------------------------------------------------- */

static bool nsec_split(const struct ztk_rr *r, const uint8_t **next,
	const uint8_t **bm, size_t *bml)
{
	int nl = ztk_dname_wire_check(r->rdata, r->rdlen);
	if (nl <= 0)
		return false;
	*next = r->rdata;
	*bm = r->rdata + nl;
	*bml = r->rdlen - (size_t)nl;
	return true;
}

static const struct ztk_rr *nsec_match(const struct denial *d,
	const uint8_t *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->rr[i]->type == ZTK_TYPE_NSEC &&
		    ztk_dname_equal(d->rr[i]->owner, name))
			return d->rr[i];
	return NULL;
}

/* An NSEC whose span holds name, name itself excluded. */
static const struct ztk_rr *nsec_cover(const struct denial *d,
	const uint8_t *name)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct ztk_rr *r = d->rr[i];
		const uint8_t *next, *bm;
		size_t bml;
		if (r->type != ZTK_TYPE_NSEC || !nsec_split(r, &next, &bm, &bml))
			continue;
		int lo = ztk_dname_canon_cmp(r->owner, name);
		int hi = ztk_dname_canon_cmp(name, next);
		bool wraps = ztk_dname_canon_cmp(next, r->owner) <= 0;
		if (!(lo < 0 && (hi < 0 || wraps)))
			continue;
		/* an NSEC at a delegation says nothing about names below
		 * the cut, nor one at a DNAME below its owner */
		if (ztk_dname_is_subdomain(name, r->owner) &&
		    ((bitmap_has(bm, bml, ZTK_TYPE_NS) &&
		      !bitmap_has(bm, bml, ZTK_TYPE_SOA)) ||
		     bitmap_has(bm, bml, ZTK_TYPE_DNAME)))
			continue;
		return r;
	}
	return NULL;
}

/* Closest encloser of a name an NSEC covers: the deeper of the names the
 * span touches, as an ancestor of qname. */
static unsigned nsec_ce_labels(const struct ztk_rr *cov, const uint8_t *qname)
{
	const uint8_t *next = cov->owner, *bm;
	size_t bml;
	nsec_split(cov, &next, &bm, &bml);
	unsigned a = common_labels(qname, cov->owner);
	unsigned b = common_labels(qname, next);
	return a > b ? a : b;
}

static bool type_absent(const uint8_t *bm, size_t bml, uint16_t qtype)
{
	return !bitmap_has(bm, bml, qtype) && !bitmap_has(bm, bml,
		ZTK_TYPE_CNAME);
}

/* --- NSEC3 --------------------------------------------------------------- */

struct n3 {
	uint8_t flags;
	uint16_t iter;
	const uint8_t *salt;
	uint8_t saltlen;
	const uint8_t *next;    /* 20 octets */
	const uint8_t *bm;
	size_t bml;
};

static bool n3_split(const struct ztk_rr *r, struct n3 *o)
{
	const uint8_t *p = r->rdata;
	size_t len = r->rdlen;
	if (len < 5 || p[0] != 1)
		return false;
	o->flags = p[1];
	o->iter = ztk_get16(p + 2);
	o->saltlen = p[4];
	if ((size_t)5 + o->saltlen + 1 > len)
		return false;
	o->salt = p + 5;
	size_t h = 5 + o->saltlen;
	if (p[h] != 20 || h + 1 + 20 > len)
		return false;
	o->next = p + h + 1;
	o->bm = p + h + 21;
	o->bml = len - h - 21;
	return true;
}

/* The first label of an NSEC3 owner (32 base32hex characters), lowercase;
 * false if the owner is not a hash right below the zone. */
static bool n3_label(const struct denial *d, const struct ztk_rr *r,
	char out[33])
{
	if (r->owner[0] != 32 || !ztk_dname_equal(r->owner + 33, d->zone))
		return false;
	for (int i = 0; i < 32; i++) {
		char c = (char)r->owner[1 + i];
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[32] = '\0';
	return true;
}

/* Hash of name with the parameters of the first usable NSEC3. */
static bool n3_hash(const struct denial *d, const uint8_t *name, char out[33])
{
	for (size_t i = 0; i < d->n; i++) {
		struct n3 p;
		if (d->rr[i]->type != ZTK_TYPE_NSEC3 || !n3_split(d->rr[i], &p))
			continue;
		uint8_t lc[ZTK_DNAME_MAX], h[20];
		size_t l = ztk_dname_len(name);
		memcpy(lc, name, l);
		ztk_dname_to_lower(lc);
		nsec3_hash(lc, l, p.salt, p.saltlen, p.iter, h);
		b32hex20(h, out);
		return true;
	}
	return false;
}

static const struct ztk_rr *n3_match(const struct denial *d,
	const uint8_t *name, struct n3 *p)
{
	char h[33], lab[33];
	if (!n3_hash(d, name, h))
		return NULL;
	for (size_t i = 0; i < d->n; i++)
		if (d->rr[i]->type == ZTK_TYPE_NSEC3 && n3_label(d, d->rr[i], lab)
		    && strcmp(lab, h) == 0 && n3_split(d->rr[i], p))
			return d->rr[i];
	return NULL;
}

static const struct ztk_rr *n3_cover(const struct denial *d,
	const uint8_t *name, struct n3 *p)
{
	char h[33], lab[33], nx[33];
	if (!n3_hash(d, name, h))
		return NULL;
	for (size_t i = 0; i < d->n; i++) {
		const struct ztk_rr *r = d->rr[i];
		if (r->type != ZTK_TYPE_NSEC3 || !n3_label(d, r, lab) ||
		    !n3_split(r, p))
			continue;
		b32hex20(p->next, nx);
		int lo = strcmp(lab, h), hi = strcmp(h, nx);
		bool wraps = strcmp(nx, lab) <= 0;
		if (wraps ? (lo < 0 || hi < 0) : (lo < 0 && hi < 0))
			return r;
	}
	return NULL;
}

static bool have_type(const struct denial *d, uint16_t type)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->rr[i]->type == type)
			return true;
	return false;
}

/*
 * RFC 5155 8.3 closest encloser proof for qname: the closest encloser's
 * label count (and the NSEC3 covering the next closer name), or 0 when
 * there is none.  *exists: qname itself has a matching NSEC3.
 */
static unsigned n3_closest(const struct denial *d, const uint8_t *qname,
	struct n3 *cover, bool *exists)
{
	unsigned ql = ztk_dname_labels(qname), zl = ztk_dname_labels(d->zone);
	struct n3 m;
	*exists = false;
	for (unsigned n = ql; n >= zl && n > 0; n--) {
		if (!n3_match(d, suffix(qname, n), &m))
			continue;
		if (n == ql) {
			*exists = true;
			return n;
		}
		if (n3_cover(d, suffix(qname, n + 1), cover))
			return n;
		return 0;
	}
	return 0;
}

/* --- the proofs ---------------------------------------------------------- */

bool denial_nodata(const struct denial *d, const uint8_t *qname,
	uint16_t qtype, char *why, size_t whylen)
{
	char qn[200], tb[16];
	pname(qname, qn);
	const char *tn = ztk_rrtype_name(qtype, tb);
	if (have_type(d, ZTK_TYPE_NSEC)) {
		const struct ztk_rr *r = nsec_match(d, qname);
		const uint8_t *next, *bm;
		size_t bml;
		if (r && nsec_split(r, &next, &bm, &bml)) {
			if (type_absent(bm, bml, qtype))
				return true;
			snprintf(why, whylen, "the NSEC of %s lists %s: the "
				"NODATA answer contradicts it", qn, tn);
			return false;
		}
		/* an empty non-terminal: the NSEC whose span holds qname leads
		 * to a name below it (RFC 4035 3.1.3.2 via RFC 4592 4.1) */
		const struct ztk_rr *cov = nsec_cover(d, qname);
		if (cov && nsec_split(cov, &next, &bm, &bml) &&
		    ztk_dname_is_subdomain(next, qname) &&
		    !ztk_dname_equal(next, qname))
			return true;
		/* wildcard NODATA: qname covered, *.ce has no such type */
		uint8_t wc[ZTK_DNAME_MAX];
		if (cov && wildcard_of(suffix(qname, nsec_ce_labels(cov, qname)),
			wc) && (r = nsec_match(d, wc)) != NULL &&
		    nsec_split(r, &next, &bm, &bml) && type_absent(bm, bml, qtype))
			return true;
		snprintf(why, whylen, "no NSEC proves that %s has no %s", qn, tn);
		return false;
	}
	if (have_type(d, ZTK_TYPE_NSEC3)) {
		struct n3 p;
		if (n3_match(d, qname, &p)) {
			if (type_absent(p.bm, p.bml, qtype))
				return true;
			snprintf(why, whylen, "the NSEC3 of %s lists %s: the "
				"NODATA answer contradicts it", qn, tn);
			return false;
		}
		bool ex;
		struct n3 cov;
		unsigned ce = n3_closest(d, qname, &cov, &ex);
		uint8_t wc[ZTK_DNAME_MAX];
		if (ce && wildcard_of(suffix(qname, ce), wc) &&
		    n3_match(d, wc, &p) && type_absent(p.bm, p.bml, qtype))
			return true;
		/* RFC 5155 8.6: DS NODATA under opt-out */
		if (ce && qtype == ZTK_TYPE_DS && (cov.flags & 1))
			return true;
		snprintf(why, whylen, "no NSEC3 proves that %s has no %s", qn, tn);
		return false;
	}
	snprintf(why, whylen, "the NODATA answer for %s %s carries no NSEC or "
		"NSEC3 proof", qn, tn);
	return false;
}

bool denial_nxdomain(const struct denial *d, const uint8_t *qname, char *why,
	size_t whylen)
{
	char qn[200];
	pname(qname, qn);
	uint8_t wc[ZTK_DNAME_MAX];
	if (have_type(d, ZTK_TYPE_NSEC)) {
		const struct ztk_rr *cov = nsec_cover(d, qname);
		if (cov == NULL) {
			snprintf(why, whylen, "no NSEC covers %s: the NXDOMAIN is "
				"not proven", qn);
			return false;
		}
		const uint8_t *next, *bm;
		size_t bml;
		if (nsec_split(cov, &next, &bm, &bml) &&
		    ztk_dname_is_subdomain(next, qname)) {
			snprintf(why, whylen, "the NSEC that covers %s leads to a "
				"name below it: %s exists, the NXDOMAIN is false",
				qn, qn);
			return false;
		}
		unsigned ce = nsec_ce_labels(cov, qname);
		if (!wildcard_of(suffix(qname, ce), wc))
			return false;
		if (nsec_match(d, wc) || nsec_cover(d, wc) == NULL) {
			char wn[200];
			pname(wc, wn);
			snprintf(why, whylen, "no NSEC proves that the wildcard "
				"%s does not exist", wn);
			return false;
		}
		return true;
	}
	if (have_type(d, ZTK_TYPE_NSEC3)) {
		bool ex;
		struct n3 cov, p;
		unsigned ce = n3_closest(d, qname, &cov, &ex);
		if (ex) {
			snprintf(why, whylen, "an NSEC3 matches %s: the name "
				"exists, the NXDOMAIN is false", qn);
			return false;
		}
		if (ce == 0) {
			snprintf(why, whylen, "no closest encloser proof for %s "
				"(RFC 5155 8.3)", qn);
			return false;
		}
		if (!wildcard_of(suffix(qname, ce), wc))
			return false;
		if (n3_match(d, wc, &p) || !n3_cover(d, wc, &p)) {
			char wn[200];
			pname(wc, wn);
			snprintf(why, whylen, "no NSEC3 proves that the wildcard "
				"%s does not exist", wn);
			return false;
		}
		return true;
	}
	snprintf(why, whylen, "the NXDOMAIN answer for %s carries no NSEC or "
		"NSEC3 proof", qn);
	return false;
}

bool denial_wildcard(const struct denial *d, const uint8_t *qname,
	unsigned sig_labels, char *why, size_t whylen)
{
	char qn[200];
	pname(qname, qn);
	unsigned ql = ztk_dname_labels(qname);
	if (sig_labels >= ql)
		return true;
	const uint8_t *next_closer = suffix(qname, sig_labels + 1);
	struct n3 p;
	if (nsec_cover(d, qname) || n3_cover(d, next_closer, &p))
		return true;
	snprintf(why, whylen, "%s came from a wildcard, but no NSEC or NSEC3 "
		"proves that the name itself does not exist", qn);
	return false;
}

enum denial_ds denial_no_ds(const struct denial *d, const uint8_t *child,
	char *why, size_t whylen)
{
	char cn[200];
	pname(child, cn);
	if (have_type(d, ZTK_TYPE_NSEC)) {
		const struct ztk_rr *r = nsec_match(d, child);
		const uint8_t *next, *bm;
		size_t bml;
		if (r && nsec_split(r, &next, &bm, &bml)) {
			if (bitmap_has(bm, bml, ZTK_TYPE_DS)) {
				snprintf(why, whylen, "the NSEC of %s at the parent "
					"lists DS, yet no DS came", cn);
				return DENIAL_DS_UNPROVEN;
			}
			if (!bitmap_has(bm, bml, ZTK_TYPE_NS) ||
			    bitmap_has(bm, bml, ZTK_TYPE_SOA)) {
				snprintf(why, whylen, "the NSEC of %s comes from "
					"the child side, not the parent's "
					"delegation", cn);
				return DENIAL_DS_UNPROVEN;
			}
			return DENIAL_DS_NONE;
		}
		snprintf(why, whylen, "the parent sent no NSEC for %s to prove "
			"it has no DS", cn);
		return DENIAL_DS_UNPROVEN;
	}
	if (have_type(d, ZTK_TYPE_NSEC3)) {
		struct n3 p;
		if (n3_match(d, child, &p)) {
			if (bitmap_has(p.bm, p.bml, ZTK_TYPE_DS)) {
				snprintf(why, whylen, "the NSEC3 of %s at the "
					"parent lists DS, yet no DS came", cn);
				return DENIAL_DS_UNPROVEN;
			}
			if (bitmap_has(p.bm, p.bml, ZTK_TYPE_SOA)) {
				snprintf(why, whylen, "the NSEC3 of %s comes from "
					"the child side", cn);
				return DENIAL_DS_UNPROVEN;
			}
			return DENIAL_DS_NONE;
		}
		bool ex;
		struct n3 cov;
		unsigned ce = n3_closest(d, child, &cov, &ex);
		if (ce && (cov.flags & 1))
			return DENIAL_DS_OPTOUT;
		snprintf(why, whylen, "no NSEC3 at the parent matches %s, and no "
			"opt-out span covers it", cn);
		return DENIAL_DS_UNPROVEN;
	}
	snprintf(why, whylen, "the parent answered that %s has no DS without "
		"NSEC or NSEC3 proof", cn);
	return DENIAL_DS_UNPROVEN;
}
