/*
 * dnssec_check.c - is a signed zone complete and correct?  Signature
 * coverage per algorithm (RFC 4035 2.2, RFC 6840 5.11), validity times,
 * the signatures themselves, and the NSEC (RFC 4034 4) or NSEC3 (RFC 5155)
 * chain with exact type bitmaps.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/dname.h>
#include <ztk/dnssec.h>
#include <ztk/dnssec_check.h>
#include <ztk/error.h>
#include <ztk/keystore.h>
#include <ztk/rrtype.h>
#include <ztk/zonemd.h>

#include "dnssec_int.h"
#include "util.h"

static const char *const check_ids[] = {
	"dnssec-unsigned", "dnssec-expired", "dnssec-not-yet-valid",
	"dnssec-expiring", "dnssec-bad-signature", "dnssec-dnskey-not-ksk",
	"dnssec-signed-glue", "dnssec-nsec-chain", "dnssec-nsec-bitmap",
	"dnssec-nsec3-chain", "dnssec-nsec3-bitmap", "dnssec-nsec3-param",
	"dnssec-no-dnskey", "dnssec-zonemd", "dnssec-timing",
};
enum { C_UNSIGNED, C_EXPIRED, C_NOT_YET, C_EXPIRING, C_BAD, C_NOT_KSK,
	C_GLUE, C_NSEC_CHAIN, C_NSEC_BITMAP, C_NSEC3_CHAIN, C_NSEC3_BITMAP,
	C_NSEC3_PARAM, C_NO_DNSKEY, C_ZONEMD, C_TIMING, C_COUNT };

size_t ztk_dnssec_check_ids(const char *const **ids)
{
	*ids = check_ids;
	return C_COUNT;
}

struct key {
	const uint8_t *rd;
	uint16_t len, tag;
	uint8_t alg;
	bool sep, revoked;
};

struct chk {
	const struct ztk_zone *z;
	const struct ztk_dnssec_check_opts *o;
	struct ztk_findings *f;
	const struct ztk_zone_node *nodes;
	const struct ztk_zone_rr *rrs;
	size_t nnodes;
	size_t apex;
	uint8_t origin_lc[ZTK_DNAME_MAX];
	size_t origin_len;
	struct key keys[64];
	size_t nkeys;
	uint8_t algs[16];
	size_t nalgs;
	unsigned count[C_COUNT];
	unsigned max;
	int64_t warn;
	uint64_t seed;
	struct gbuf scratch, data;
	struct rdref *rds;
	size_t rdcap;
	int rc;
};

static void report(struct chk *c, int id, enum ztk_severity sev,
	const struct ztk_zone_rr *at, const uint8_t *owner, const char *hint,
	const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void report(struct chk *c, int id, enum ztk_severity sev,
	const struct ztk_zone_rr *at, const uint8_t *owner, const char *hint,
	const char *fmt, ...)
{
	if (c->o->enabled != NULL && !c->o->enabled(c->o->ctx, check_ids[id]))
		return;
	if (c->count[id]++ >= c->max)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *file = at ? ztk_zone_file_name(c->z, at->file_id) : NULL;
	if (ztk_findings_add(c->f, check_ids[id], sev, file, at ? at->line : 0,
		at ? at->col : 0, owner, hint, "%s", msg) != 0)
		c->rc = ZTK_ENOMEM;
}

static bool enabled(const struct chk *c, int id)
{
	return c->o->enabled == NULL || c->o->enabled(c->o->ctx, check_ids[id]);
}

static const char *alg_name(uint8_t alg)
{
	const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
	return ai ? ai->mnemonic : "unknown";
}

static int want_rds(struct chk *c, size_t n)
{
	if (n <= c->rdcap)
		return 0;
	size_t nc = n < 64 ? 64 : n * 2;
	struct rdref *p = realloc(c->rds, nc * sizeof(*p));
	if (p == NULL)
		return ZTK_ENOMEM;
	c->rds = p;
	c->rdcap = nc;
	return 0;
}

static bool in_zone_auth(const struct ztk_zone_node *n)
{
	return !(n->flags & (ZTK_NODE_OUT_OF_ZONE | ZTK_NODE_BELOW_CUT));
}

/* The name for a finding's text, printed the first time it is needed:
 * printing every checked name costs more than a clean zone's checks. */
static const char *lazy_name(char *buf, const uint8_t *owner)
{
	if (buf[0] == '\0')
		ztk_dname_print(owner, buf);
	return buf;
}

/*
 * Check the RRSIGs over one RRset (records [first, first+cnt) of node nd,
 * of type t).  keyset: the DNSKEY RRset at the apex.
 */
static void check_rrset(struct chk *c, const struct ztk_zone_node *nd,
	uint32_t first, uint32_t cnt, uint16_t t, bool keyset)
{
	const struct ztk_zone_rr *rr0 = &c->rrs[first];
	uint8_t owner_lc[ZTK_DNAME_MAX];
	size_t olen = ztk_dname_len(nd->owner);
	memcpy(owner_lc, nd->owner, olen);
	ztk_dname_to_lower(owner_lc);
	char name[ZTK_DNAME_TEXT_MAX], tn[16];
	name[0] = '\0';
	const char *tname = ztk_rrtype_name(t, tn);
	unsigned owner_labels = ztk_dname_labels(owner_lc);

	bool canon_done = false;
	size_t n = cnt;
	uint8_t ok_algs[256] = { 0 };
	uint8_t bad_algs[256] = { 0 };  /* a more precise finding was made */
	bool sep_ok = false, sep_bad = false;
	int64_t earliest = INT64_MAX;
	for (uint32_t i = 0; i < nd->count; i++) {
		const struct ztk_zone_rr *s = &c->rrs[nd->first + i];
		if (s->type != ZTK_TYPE_RRSIG || s->rdlen < RRSIG_FIXED + 1 ||
		    ztk_get16(s->rdata) != t)
			continue;
		const uint8_t *rd = s->rdata;
		uint8_t alg = rd[2], labels = rd[3];
		int64_t exp = rrsig_time(ztk_get32(rd + 8), c->o->now);
		int64_t inc = rrsig_time(ztk_get32(rd + 12), c->o->now);
		uint16_t tag = ztk_get16(rd + 16);
		int sl = ztk_dname_wire_check(rd + RRSIG_FIXED,
			s->rdlen - RRSIG_FIXED);
		if (sl <= 0)
			continue;
		size_t plen = RRSIG_FIXED + (size_t)sl;
		char tsb[32];
		/* Which key is this?  Needed to know what a problem hides. */
		const struct key *kk = NULL;
		for (size_t x = 0; x < c->nkeys && kk == NULL; x++)
			if (c->keys[x].tag == tag && c->keys[x].alg == alg)
				kk = &c->keys[x];
		/* Only a finding that is reported may stand in for
		 * dnssec-unsigned: disabling one must not hide the other. */
		if (kk != NULL && ((exp < c->o->now && enabled(c, C_EXPIRED)) ||
		    (inc > c->o->now && enabled(c, C_NOT_YET)) ||
		    (labels > owner_labels && enabled(c, C_BAD)))) {
			bad_algs[alg] = 1;
			sep_bad |= kk->sep;
		}
		if (exp < c->o->now) {
			fmt_utc(exp, tsb, sizeof(tsb));
			report(c, C_EXPIRED, ZTK_SEV_ERROR, s, nd->owner,
				"re-sign the zone", "RRSIG %s %s by key %u/%u "
				"expired at %s", lazy_name(name, nd->owner), tname,
				tag, alg, tsb);
			continue;
		}
		if (inc > c->o->now) {
			fmt_utc(inc, tsb, sizeof(tsb));
			report(c, C_NOT_YET, ZTK_SEV_ERROR, s, nd->owner,
				"check the signer's clock", "RRSIG %s %s by key "
				"%u/%u is not valid before %s",
				lazy_name(name, nd->owner), tname, tag, alg, tsb);
			continue;
		}
		if (labels > owner_labels) {
			report(c, C_BAD, ZTK_SEV_ERROR, s, nd->owner, NULL,
				"RRSIG %s %s by key %u/%u has %u labels, more "
				"than its owner", lazy_name(name, nd->owner), tname,
				tag, alg, labels);
			continue;
		}
		/* A key of the zone with this tag and algorithm. */
		const struct key *k = NULL;
		bool verified = false, tried = false;
		for (size_t x = 0; x < c->nkeys; x++) {
			if (c->keys[x].tag != tag || c->keys[x].alg != alg)
				continue;
			k = &c->keys[x];
			bool check = c->o->verify == ZTK_VERIFY_ALL ||
				(c->o->verify == ZTK_VERIFY_SAMPLE && (keyset ||
				 fnv1a(c->seed, owner_lc, olen) % 1000 <
				 (c->o->sample_permille ? c->o->sample_permille
				  : 10)));
			if (!check)
				break;
			tried = true;
			if (!canon_done) {
				if (want_rds(c, cnt) != 0) {
					c->rc = ZTK_ENOMEM;
					return;
				}
				for (uint32_t y = 0; y < cnt; y++) {
					c->rds[y].rd = c->rrs[first + y].rdata;
					c->rds[y].len = c->rrs[first + y].rdlen;
				}
				if (canon_rdataset(t, c->rds, &n, &c->scratch)) {
					c->rc = ZTK_ENOMEM;
					return;
				}
				canon_done = true;
			}
			if (signed_data(&c->data, rd, plen, owner_lc, olen, t,
				ZTK_CLASS_IN, ztk_get32(rd + 4), c->rds, n)) {
				c->rc = ZTK_ENOMEM;
				return;
			}
			if (ztk_dnssec_verify(k->rd, k->len, c->data.p,
				c->data.len, rd + plen, s->rdlen - plen) == 0) {
				verified = true;
				break;
			}
		}
		if (k == NULL)
			continue;       /* a key not (or no longer) published */
		if (tried && !verified) {
			if (enabled(c, C_BAD)) {
				bad_algs[alg] = 1;
				sep_bad |= k->sep;
			}
			report(c, C_BAD, ZTK_SEV_ERROR, s, nd->owner,
				"re-sign; if it persists, check the key in the "
				"HSM", "RRSIG %s %s by key %u/%u does not verify",
				lazy_name(name, nd->owner), tname, tag, alg);
			continue;
		}
		ok_algs[alg] = 1;
		if (k->sep && !k->revoked)
			sep_ok = true;
		if (exp < earliest)
			earliest = exp;
	}
	/* An algorithm whose only signatures were reported as expired, not
	 * yet valid or bad is not reported again as missing. */
	for (size_t a = 0; a < c->nalgs; a++)
		if (!ok_algs[c->algs[a]] && !bad_algs[c->algs[a]])
			report(c, C_UNSIGNED, ZTK_SEV_ERROR, rr0, nd->owner,
				"every algorithm of the DNSKEY RRset must sign "
				"every RRset (RFC 6840 5.11)", "%s %s has no valid "
				"signature by algorithm %u (%s)",
				lazy_name(name, nd->owner), tname, c->algs[a],
				alg_name(c->algs[a]));
	if (keyset && !sep_ok && !sep_bad)
		report(c, C_NOT_KSK, ZTK_SEV_ERROR, rr0, nd->owner,
			"sign the DNSKEY RRset with a KSK or CSK",
			"the DNSKEY RRset of %s has no valid signature by a key "
			"with the SEP flag", lazy_name(name, nd->owner));
	if (earliest != INT64_MAX && c->warn > 0 &&
	    earliest - c->o->now < c->warn) {
		char tsb[32];
		fmt_utc(earliest, tsb, sizeof(tsb));
		report(c, C_EXPIRING, ZTK_SEV_WARNING, rr0, nd->owner,
			"re-sign before then", "the signatures of %s %s expire "
			"at %s", lazy_name(name, nd->owner), tname, tsb);
	}
}

static void check_node_sigs(struct chk *c, size_t ni, bool nsec3)
{
	const struct ztk_zone_node *nd = nsec3 ? &ztk_zone_nsec3_nodes(c->z)[ni]
		: &c->nodes[ni];
	bool apex = !nsec3 && ni == c->apex;
	bool deleg = !nsec3 && (nd->flags & ZTK_NODE_DELEGATION) && !apex;
	for (uint32_t i = 0; i < nd->count;) {
		uint16_t t = c->rrs[nd->first + i].type;
		uint32_t k = i;
		while (k < nd->count && c->rrs[nd->first + k].type == t)
			k++;
		if (t != ZTK_TYPE_RRSIG) {
			if (!deleg || t == ZTK_TYPE_DS || t == ZTK_TYPE_NSEC)
				check_rrset(c, nd, nd->first + i, k - i, t,
					apex && t == ZTK_TYPE_DNSKEY);
		} else if (deleg) {
			for (uint32_t x = i; x < k; x++) {
				const struct ztk_zone_rr *s = &c->rrs[nd->first + x];
				uint16_t cov = s->rdlen >= 2 ? ztk_get16(s->rdata) : 0;
				if (cov != ZTK_TYPE_DS && cov != ZTK_TYPE_NSEC) {
					char name[ZTK_DNAME_TEXT_MAX], tn[16];
					ztk_dname_print(nd->owner, name);
					report(c, C_GLUE, ZTK_SEV_ERROR, s, nd->owner,
						"only DS and NSEC are signed at a "
						"zone cut (RFC 4035 2.2)", "RRSIG over "
						"%s %s at a delegation", name,
						ztk_rrtype_name(cov, tn));
				}
			}
		}
		i = k;
	}
}

/* Sorted unique types present at a node. */
static size_t present_types(const struct chk *c, const struct ztk_zone_node *nd,
	uint16_t *out)
{
	/* At a delegation point the bitmap shows what the parent holds
	 * there, nothing of the child's (RFC 4035 2.3). */
	bool cut = (nd->flags & ZTK_NODE_DELEGATION) &&
		!(nd->flags & ZTK_NODE_APEX);
	size_t n = 0;
	for (uint32_t i = 0; i < nd->count; i++) {
		uint16_t t = c->rrs[nd->first + i].type;
		if (cut && !type_at_cut(t))
			continue;
		if (n == 0 || out[n - 1] != t)
			out[n++] = t;
	}
	return n;
}

static const struct ztk_zone_rr *find_type(const struct chk *c,
	const struct ztk_zone_node *nd, uint16_t t)
{
	for (uint32_t i = 0; i < nd->count; i++)
		if (c->rrs[nd->first + i].type == t)
			return &c->rrs[nd->first + i];
	return NULL;
}

/*
 * Does a type bitmap differ from the types present?  The RRSIG bit may be
 * set at a name whose signatures are missing: that is reported once, as
 * dnssec-unsigned, not again here.
 */
static bool bitmap_differs(const uint16_t *types, size_t nt,
	const uint8_t *bm, size_t bl)
{
	uint8_t want[32 * 34];
	size_t wl = type_bitmap(types, nt, want);
	if (wl == bl && memcmp(want, bm, bl) == 0)
		return false;
	for (size_t i = 0; i < nt; i++)
		if (types[i] == ZTK_TYPE_RRSIG)
			return true;
	uint16_t with[1025];
	size_t n = 0, i = 0;
	while (i < nt && types[i] < ZTK_TYPE_RRSIG)
		with[n++] = types[i++];
	with[n++] = ZTK_TYPE_RRSIG;
	while (i < nt)
		with[n++] = types[i++];
	wl = type_bitmap(with, n, want);
	return !(wl == bl && memcmp(want, bm, bl) == 0);
}

static void check_nsec_chain(struct chk *c)
{
	size_t first = SIZE_MAX, prev = SIZE_MAX;
	uint16_t types[1024];
	for (size_t i = 0; i <= c->nnodes; i++) {
		size_t ni = i < c->nnodes ? i : first;
		if (ni == SIZE_MAX)
			break;
		const struct ztk_zone_node *nd = &c->nodes[ni];
		if (i < c->nnodes && !in_zone_auth(nd))
			continue;
		if (prev != SIZE_MAX) {
			/* prev's NSEC must point here. */
			const struct ztk_zone_node *pn = &c->nodes[prev];
			const struct ztk_zone_rr *ns = find_type(c, pn,
				ZTK_TYPE_NSEC);
			char pname[ZTK_DNAME_TEXT_MAX], nname[ZTK_DNAME_TEXT_MAX];
			pname[0] = nname[0] = '\0';
			if (ns == NULL) {
				report(c, C_NSEC_CHAIN, ZTK_SEV_ERROR,
					&c->rrs[pn->first], pn->owner,
					"re-sign the zone", "%s has no NSEC record",
					lazy_name(pname, pn->owner));
			} else {
				int nl = ztk_dname_wire_check(ns->rdata, ns->rdlen);
				if (nl <= 0 || !ztk_dname_equal(ns->rdata,
					nd->owner)) {
					char got[ZTK_DNAME_TEXT_MAX] = "?";
					if (nl > 0)
						ztk_dname_print(ns->rdata, got);
					report(c, C_NSEC_CHAIN, ZTK_SEV_ERROR, ns,
						pn->owner, "re-sign the zone",
						"the NSEC of %s points to %s, but "
						"the next name is %s",
						lazy_name(pname, pn->owner), got,
						lazy_name(nname, nd->owner));
				} else {
					size_t nt = present_types(c, pn, types);
					if (bitmap_differs(types, nt,
						ns->rdata + nl, (size_t)ns->rdlen -
						(size_t)nl))
						report(c, C_NSEC_BITMAP,
							ZTK_SEV_ERROR, ns, pn->owner,
							"re-sign the zone", "the NSEC "
							"type bitmap of %s does not "
							"match the types at the name",
							lazy_name(pname, pn->owner));
				}
			}
		}
		if (i == c->nnodes)
			break;
		if (first == SIZE_MAX)
			first = ni;
		prev = ni;
	}
}

struct n3want {
	uint8_t hash[20];
	const uint8_t *owner;
	const struct ztk_zone_node *node;       /* NULL for an ENT */
};

/* An NSEC3 owner's first label against a hash in base32hex (lower
 * case), in canonical order; a label of another length sorts first, as
 * it can never match. */
static int hashed_label_cmp(const uint8_t *owner, const char *label)
{
	if (owner[0] != 32)
		return -1;
	for (size_t k = 0; k < 32; k++) {
		uint8_t a = ztk_tolower(owner[1 + k]), b = (uint8_t)label[k];
		if (a != b)
			return a < b ? -1 : 1;
	}
	return 0;
}

static void check_nsec3_chain(struct chk *c, const struct ztk_zone_rr *param)
{
	if (param->rdlen < 5 || param->rdlen < 5u + param->rdata[4]) {
		report(c, C_NSEC3_PARAM, ZTK_SEV_ERROR, param, c->nodes[c->apex].owner,
			NULL, "malformed NSEC3PARAM");
		return;
	}
	const uint8_t *salt = param->rdata + 5;
	uint8_t saltlen = param->rdata[4];
	uint16_t iter = ztk_get16(param->rdata + 2);
	size_t nn3 = ztk_zone_nsec3_count(c->z);
	const struct ztk_zone_node *n3 = ztk_zone_nsec3_nodes(c->z);
	bool optout = false;
	/* Parameters of every NSEC3, and the chain through the owners. */
	for (size_t i = 0; i < nn3; i++) {
		const struct ztk_zone_rr *r = find_type(c, &n3[i], ZTK_TYPE_NSEC3);
		/* names are printed only for a report: a clean chain of a
		 * million names would otherwise print each of them twice */
		char name[ZTK_DNAME_TEXT_MAX];
		if (r == NULL || r->rdlen < 6 || r->rdlen < 6u + r->rdata[4] ||
		    r->rdata[5u + r->rdata[4]] != 20 ||
		    r->rdlen < 6u + r->rdata[4] + 20) {
			ztk_dname_print(n3[i].owner, name);
			report(c, C_NSEC3_CHAIN, ZTK_SEV_ERROR, r, n3[i].owner,
				NULL, "malformed NSEC3 at %s", name);
			continue;
		}
		if (r->rdata[1] & 1)
			optout = true;
		if (r->rdata[0] != param->rdata[0] ||
		    ztk_get16(r->rdata + 2) != iter || r->rdata[4] != saltlen ||
		    memcmp(r->rdata + 5, salt, saltlen) != 0) {
			ztk_dname_print(n3[i].owner, name);
			report(c, C_NSEC3_PARAM, ZTK_SEV_ERROR, r, n3[i].owner,
				"re-sign the zone", "the NSEC3 at %s has other "
				"parameters than the NSEC3PARAM", name);
		}
		const uint8_t *next = r->rdata + 6 + r->rdata[4];
		char want[33];
		b32hex20(next, want);
		const uint8_t *nown = n3[(i + 1) % nn3].owner;
		char got[64];
		size_t gl = nown[0] < sizeof(got) ? nown[0] : sizeof(got) - 1;
		for (size_t k = 0; k < gl; k++)
			got[k] = (char)ztk_tolower(nown[1 + k]);
		got[gl] = '\0';
		if (strcmp(want, got) != 0) {
			ztk_dname_print(n3[i].owner, name);
			report(c, C_NSEC3_CHAIN, ZTK_SEV_ERROR, r, n3[i].owner,
				"re-sign the zone", "the NSEC3 at %s points to "
				"%s, but the next hashed name is %s", name, want,
				got);
		}
	}

	/* Every name that needs an NSEC3 has one with the right bitmap. */
	struct n3want *want = NULL;
	size_t nw = 0, cap = 0;
	uint16_t types[1024];
	for (size_t ni = 0; ni < c->nnodes; ni++) {
		const struct ztk_zone_node *nd = &c->nodes[ni];
		if (!in_zone_auth(nd))
			continue;
		bool deleg = (nd->flags & ZTK_NODE_DELEGATION) && ni != c->apex;
		bool skip = deleg && optout && find_type(c, nd, ZTK_TYPE_DS) == NULL;
		const uint8_t *p = nd->owner;
		bool self = true;
		for (;;) {
			if (!(self && skip)) {
				if (nw == cap) {
					cap = cap ? cap * 2 : 1024;
					struct n3want *np = realloc(want,
						cap * sizeof(*np));
					if (np == NULL) {
						c->rc = ZTK_ENOMEM;
						free(want);
						return;
					}
					want = np;
				}
				uint8_t lc[ZTK_DNAME_MAX];
				size_t len = ztk_dname_len(p);
				memcpy(lc, p, len);
				ztk_dname_to_lower(lc);
				nsec3_hash(lc, len, salt,
					saltlen, iter, want[nw].hash);
				want[nw].owner = p;
				want[nw].node = self ? nd : NULL;
				nw++;
			}
			if (ni == c->apex)
				break;
			p += 1 + p[0];
			if (ztk_dname_len(p) <= c->origin_len ||
			    ztk_zone_find(c->z, p) != NULL)
				break;
			self = false;
		}
	}
	if (hash20_sort(want, nw, sizeof(*want), offsetof(struct n3want,
	    hash)) != 0) {
		c->rc = ZTK_ENOMEM;
		free(want);
		return;
	}
	/* The NSEC3 owners are in canonical order, which for labels of 32
	 * base32hex digits is the order of the hashes: one walk along both
	 * finds each hash's NSEC3 without a lookup (only a miss looks the
	 * name up, in case it holds other data too). */
	size_t h3 = 0;
	for (size_t i = 0; i < nw; i++) {
		if (i > 0 && memcmp(want[i].hash, want[i - 1].hash, 20) == 0)
			continue;
		char label[33], name[ZTK_DNAME_TEXT_MAX];
		b32hex20(want[i].hash, label);
		const struct ztk_zone_node *hn = NULL;
		for (; h3 < nn3; h3++) {
			int d = hashed_label_cmp(n3[h3].owner, label);
			if (d >= 0) {
				if (d == 0)
					hn = &n3[h3];
				break;
			}
		}
		if (hn == NULL && 1 + 32 + c->origin_len <= ZTK_DNAME_MAX) {
			uint8_t owner[ZTK_DNAME_MAX];
			owner[0] = 32;
			memcpy(owner + 1, label, 32);
			memcpy(owner + 33, c->origin_lc, c->origin_len);
			hn = ztk_zone_find(c->z, owner);
		}
		const struct ztk_zone_rr *r = hn ? find_type(c, hn,
			ZTK_TYPE_NSEC3) : NULL;
		if (r == NULL || r->rdlen < 26u + r->rdata[4]) {
			ztk_dname_print(want[i].owner, name);
			report(c, C_NSEC3_CHAIN, ZTK_SEV_ERROR,
				want[i].node ? &c->rrs[want[i].node->first] : NULL,
				want[i].owner, "re-sign the zone", "%s%s has no "
				"NSEC3 (its hash is %s)", name, want[i].node ? ""
				: " (an empty non-terminal)", label);
			continue;
		}
		size_t nt = 0;
		if (want[i].node != NULL) {
			nt = present_types(c, want[i].node, types);
			/* An insecure delegation's NSEC3 has no RRSIG bit. */
		}
		size_t off = 6u + r->rdata[4] + 20;
		if (bitmap_differs(types, nt, r->rdata + off, r->rdlen - off)) {
			ztk_dname_print(want[i].owner, name);
			report(c, C_NSEC3_BITMAP, ZTK_SEV_ERROR, r, want[i].owner,
				"re-sign the zone", "the NSEC3 type bitmap for %s "
				"does not match the types at the name", name);
		}
	}
	free(want);
}

/* RFC 8976 4: a ZONEMD at the apex must match the zone's digest. */
static void check_zonemd(struct chk *c)
{
	const struct ztk_zone_node *apex = &c->nodes[c->apex];
	const struct ztk_zone_rr *soa = find_type(c, apex, ZTK_TYPE_SOA);
	bool any = false, match = false, supported = false, serial_bad = false;
	const struct ztk_zone_rr *first = NULL;
	char name[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(apex->owner, name);
	for (uint32_t i = 0; i < apex->count; i++) {
		const struct ztk_zone_rr *r = &c->rrs[apex->first + i];
		if (r->type != ZTK_TYPE_ZONEMD || r->rdlen < 6)
			continue;
		any = true;
		if (first == NULL)
			first = r;
		uint32_t serial = ztk_get32(r->rdata);
		uint8_t scheme = r->rdata[4], alg = r->rdata[5];
		if (scheme != ZTK_ZONEMD_SCHEME_SIMPLE ||
		    (alg != ZTK_ZONEMD_SHA384 && alg != ZTK_ZONEMD_SHA512))
			continue;
		supported = true;
		if (soa != NULL && soa->rdlen >= 20 &&
		    serial != ztk_get32(soa->rdata + soa->rdlen - 20)) {
			report(c, C_ZONEMD, ZTK_SEV_ERROR, r, apex->owner,
				"recompute the ZONEMD after every change",
				"the ZONEMD of %s has serial %u, the SOA another",
				name, serial);
			serial_bad = true;
			continue;
		}
		uint8_t d[64];
		size_t dl = sizeof(d);
		int rc = ztk_zonemd_compute(c->z, alg, d, &dl);
		if (rc != 0) {
			c->rc = rc;
			return;
		}
		if ((size_t)r->rdlen - 6 == dl && memcmp(r->rdata + 6, d, dl) == 0)
			match = true;
	}
	if (any && supported && !match && !serial_bad)
		report(c, C_ZONEMD, ZTK_SEV_ERROR, first, apex->owner,
			"recompute the ZONEMD after the last change (and after "
			"signing)", "the ZONEMD of %s does not match the zone's "
			"contents (RFC 8976)", name);
}

/* RFC 6781 4.4.2: signatures must outlive a secondary's SOA expire plus
 * the longest TTL a cache may hold, or validation can fail in between. */
static void check_timing(struct chk *c)
{
	const struct ztk_zone_node *apex = &c->nodes[c->apex];
	const struct ztk_zone_rr *soa = find_type(c, apex, ZTK_TYPE_SOA);
	if (soa == NULL || soa->rdlen < 20)
		return;
	uint32_t expire = ztk_get32(soa->rdata + soa->rdlen - 8);
	uint32_t max_ttl = 0;
	size_t n = ztk_zone_rr_count(c->z);
	for (size_t i = 0; i < n; i++)
		if (c->rrs[i].ttl > max_ttl && c->rrs[i].ttl < 0x80000000u)
			max_ttl = c->rrs[i].ttl;
	uint64_t need = (uint64_t)expire + max_ttl;
	const struct ztk_zone_rr *worst = NULL;
	uint64_t worst_v = UINT64_MAX;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ztk_zone_rr *r = &c->rrs[i];
		if (r->type != ZTK_TYPE_RRSIG || r->rdlen < RRSIG_FIXED)
			continue;
		uint32_t v = ztk_get32(r->rdata + 8) - ztk_get32(r->rdata + 12);
		if (v < need) {
			count++;
			if (v < worst_v) {
				worst_v = v;
				worst = r;
			}
		}
	}
	if (worst != NULL) {
		const struct ztk_zone_node *on = NULL;
		(void)on;
		report(c, C_TIMING, ZTK_SEV_WARNING, worst, NULL,
			"sign with a validity above SOA expire plus the longest "
			"TTL, or lower those", "%zu signature%s valid for as "
			"little as %.1f days, less than SOA expire (%.1f days) "
			"plus the longest TTL (%u s): a secondary cut off from "
			"its primary may serve expired signatures", count,
			count == 1 ? " is" : "s are", (double)worst_v / 86400,
			(double)expire / 86400, max_ttl);
	}
}

int ztk_dnssec_check(const struct ztk_zone *z,
	const struct ztk_dnssec_check_opts *o, struct ztk_findings *f)
{
	struct chk c = { .z = z, .o = o, .f = f, .nodes = ztk_zone_nodes(z),
		.rrs = ztk_zone_rrs(z), .nnodes = ztk_zone_node_count(z),
		.apex = SIZE_MAX };
	c.max = o->max_findings ? o->max_findings : 100;
	c.warn = o->expire_warn == 0 ? 7 * 86400 : o->expire_warn;
	c.seed = (uint64_t)o->now * 2654435761u;
	c.origin_len = ztk_dname_len(ztk_zone_origin(z));
	memcpy(c.origin_lc, ztk_zone_origin(z), c.origin_len);
	ztk_dname_to_lower(c.origin_lc);
	bool any_sig = false;
	for (size_t i = 0; i < ztk_zone_rr_count(z) && !any_sig; i++)
		any_sig = c.rrs[i].type == ZTK_TYPE_RRSIG;
	for (size_t i = 0; i < c.nnodes; i++)
		if (c.nodes[i].flags & ZTK_NODE_APEX)
			c.apex = i;
	if (c.apex == SIZE_MAX)
		return 0;
	/* ZONEMD is checked in unsigned zones too (RFC 8976 allows it). */
	if (!o->partial)
		check_zonemd(&c);
	if (!any_sig || c.rc != 0)
		goto out;

	const struct ztk_zone_node *apex = &c.nodes[c.apex];
	const struct ztk_zone_rr *param = NULL;
	for (uint32_t i = 0; i < apex->count; i++) {
		const struct ztk_zone_rr *r = &c.rrs[apex->first + i];
		if (r->type == ZTK_TYPE_NSEC3PARAM)
			param = r;
		if (r->type != ZTK_TYPE_DNSKEY || r->rdlen < 4 ||
		    c.nkeys == ZTK_ARRAY_LEN(c.keys))
			continue;
		uint16_t flags = ztk_get16(r->rdata);
		if (!(flags & ZTK_DNSKEY_ZONE))
			continue;
		struct key *k = &c.keys[c.nkeys++];
		k->rd = r->rdata;
		k->len = r->rdlen;
		k->tag = ztk_keytag(r->rdata, r->rdlen);
		k->alg = r->rdata[3];
		k->sep = flags & ZTK_DNSKEY_SEP;
		k->revoked = flags & ZTK_DNSKEY_REVOKE;
		bool seen = false;
		for (size_t a = 0; a < c.nalgs; a++)
			seen |= c.algs[a] == k->alg;
		if (!seen && !k->revoked && c.nalgs < ZTK_ARRAY_LEN(c.algs))
			c.algs[c.nalgs++] = k->alg;
	}
	const struct ztk_zone_rr *soa_rr = find_type(&c, apex, ZTK_TYPE_SOA);
	const struct ztk_zone_rr *at = soa_rr ? soa_rr : &c.rrs[apex->first];
	if (c.nkeys == 0) {
		report(&c, C_NO_DNSKEY, ZTK_SEV_ERROR, at,
			apex->owner, "publish the zone's keys", "the zone has "
			"signatures but no DNSKEY RRset at its apex");
		goto out;
	}
	check_timing(&c);
	for (size_t i = 0; i < c.nnodes && c.rc == 0; i++) {
		const struct ztk_zone_node *nd = &c.nodes[i];
		if (in_zone_auth(nd)) {
			check_node_sigs(&c, i, false);
			continue;
		}
		if (nd->flags & ZTK_NODE_OUT_OF_ZONE)
			continue;
		/* Below a cut: glue and occluded data carry no signatures. */
		for (uint32_t k = 0; k < nd->count; k++) {
			const struct ztk_zone_rr *s = &c.rrs[nd->first + k];
			if (s->type != ZTK_TYPE_RRSIG)
				continue;
			char name[ZTK_DNAME_TEXT_MAX], tn[16];
			ztk_dname_print(nd->owner, name);
			report(&c, C_GLUE, ZTK_SEV_ERROR, s, nd->owner,
				"glue and data below a zone cut are not signed "
				"(RFC 4035 2.2)", "RRSIG over %s %s below a "
				"delegation", name, ztk_rrtype_name(s->rdlen >= 2 ?
				ztk_get16(s->rdata) : 0, tn));
		}
	}
	for (size_t i = 0; i < ztk_zone_nsec3_count(z) && c.rc == 0; i++)
		check_node_sigs(&c, i, true);
	if (c.rc == 0 && !o->partial) {
		if (param != NULL)
			check_nsec3_chain(&c, param);
		else if (find_type(&c, apex, ZTK_TYPE_NSEC) != NULL)
			check_nsec_chain(&c);
		else
			report(&c, C_NSEC_CHAIN, ZTK_SEV_ERROR, at, apex->owner,
				"sign with NSEC or NSEC3", "the zone has neither "
				"NSEC records nor an NSEC3PARAM");
	}
out:
	gbuf_free(&c.scratch);
	gbuf_free(&c.data);
	free(c.rds);
	return c.rc;
}
