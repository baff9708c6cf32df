/*
 * zonemd.c - the ZONEMD digest of a zone (RFC 8976, scheme SIMPLE): every
 * in-zone RR in canonical order and form, except the apex ZONEMD RRset and
 * the RRSIGs over it, fed to SHA-384 or SHA-512.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/zonemd.h>

#include "dnssec_int.h"
#include "util.h"

struct md {
	EVP_MD_CTX *ctx;
	const struct ztk_zone *z;
	const struct ztk_zone_rr *rrs;
	const uint8_t *apex;
	struct gbuf scratch;
	struct rdref *rds;
	size_t rdcap;
	int rc;
};

/* Feed one node: RRsets by type, RRs by canonical RDATA, TTL per RR. */
static void feed_node(struct md *m, const struct ztk_zone_node *nd)
{
	uint8_t owner[ZTK_DNAME_MAX];
	size_t olen = ztk_dname_len(nd->owner);
	memcpy(owner, nd->owner, olen);
	ztk_dname_to_lower(owner);
	bool apex = ztk_dname_equal(owner, m->apex);
	for (uint32_t i = 0; i < nd->count && m->rc == 0;) {
		uint16_t t = m->rrs[nd->first + i].type;
		uint32_t k = i;
		while (k < nd->count && m->rrs[nd->first + k].type == t)
			k++;
		size_t n = k - i;
		if (apex && t == ZTK_TYPE_ZONEMD) {
			i = k;
			continue;
		}
		if (n > m->rdcap) {
			struct rdref *p = realloc(m->rds, n * 2 * sizeof(*p));
			if (p == NULL) {
				m->rc = ZTK_ENOMEM;
				return;
			}
			m->rds = p;
			m->rdcap = n * 2;
		}
		/* RRs of one set may differ in TTL (a lint finding); keep
		 * each RR's own, indexed beside its RDATA. */
		for (size_t x = 0; x < n; x++) {
			const struct ztk_zone_rr *rr = &m->rrs[nd->first + i + x];
			if (apex && t == ZTK_TYPE_RRSIG && rr->rdlen >= 2 &&
			    ztk_get16(rr->rdata) == ZTK_TYPE_ZONEMD) {
				m->rds[x].rd = NULL;
				continue;
			}
			m->rds[x].rd = rr->rdata;
			m->rds[x].len = rr->rdlen;
			m->rds[x].ttl = rr->ttl;
		}
		size_t w = 0;
		for (size_t x = 0; x < n; x++)
			if (m->rds[x].rd != NULL)
				m->rds[w++] = m->rds[x];
		n = w;
		if (canon_rdataset(t, m->rds, &n, &m->scratch) != 0) {
			m->rc = ZTK_ENOMEM;
			return;
		}
		uint8_t fixed[8] = { (uint8_t)(t >> 8), (uint8_t)t, 0, 1 };
		for (size_t x = 0; x < n; x++) {
			/* Each RR with its own TTL: an RRSIG "set" mixes them. */
			ztk_put32(fixed + 4, m->rds[x].ttl);
			uint8_t len[2] = { (uint8_t)(m->rds[x].len >> 8),
				(uint8_t)m->rds[x].len };
			if (EVP_DigestUpdate(m->ctx, owner, olen) != 1 ||
			    EVP_DigestUpdate(m->ctx, fixed, 8) != 1 ||
			    EVP_DigestUpdate(m->ctx, len, 2) != 1 ||
			    EVP_DigestUpdate(m->ctx, m->rds[x].rd,
				m->rds[x].len) != 1) {
				m->rc = ZTK_ECRYPTO;
				return;
			}
		}
		i = k;
	}
}

static bool in_zone(const struct ztk_zone_node *n)
{
	return !(n->flags & ZTK_NODE_OUT_OF_ZONE);
}

int ztk_zonemd_compute(const struct ztk_zone *z, unsigned hash_alg,
	uint8_t *digest, size_t *len)
{
	const EVP_MD *md = hash_alg == ZTK_ZONEMD_SHA384 ? EVP_sha384()
		: hash_alg == ZTK_ZONEMD_SHA512 ? EVP_sha512() : NULL;
	if (md == NULL)
		return ZTK_ENOTSUP;
	size_t want = hash_alg == ZTK_ZONEMD_SHA384 ? 48 : 64;
	if (*len < want)
		return ZTK_ESPACE;
	struct md m = { .z = z, .rrs = ztk_zone_rrs(z) };
	uint8_t apex[ZTK_DNAME_MAX];
	memcpy(apex, ztk_zone_origin(z), ztk_dname_len(ztk_zone_origin(z)));
	ztk_dname_to_lower(apex);
	m.apex = apex;
	m.ctx = EVP_MD_CTX_new();
	if (m.ctx == NULL || EVP_DigestInit_ex(m.ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(m.ctx);
		return ZTK_ENOMEM;
	}
	/* Ordinary and NSEC3 names are kept apart: merge them back into
	 * one canonical order. */
	const struct ztk_zone_node *a = ztk_zone_nodes(z);
	const struct ztk_zone_node *b = ztk_zone_nsec3_nodes(z);
	size_t na = ztk_zone_node_count(z), nb = ztk_zone_nsec3_count(z);
	size_t i = 0, j = 0;
	while ((i < na || j < nb) && m.rc == 0) {
		const struct ztk_zone_node *n;
		if (j >= nb || (i < na &&
		    ztk_dname_canon_cmp(a[i].owner, b[j].owner) <= 0))
			n = &a[i++];
		else
			n = &b[j++];
		if (in_zone(n))
			feed_node(&m, n);
	}
	unsigned out = 0;
	if (m.rc == 0 && EVP_DigestFinal_ex(m.ctx, digest, &out) != 1)
		m.rc = ZTK_ECRYPTO;
	*len = out;
	EVP_MD_CTX_free(m.ctx);
	gbuf_free(&m.scratch);
	free(m.rds);
	return m.rc;
}
