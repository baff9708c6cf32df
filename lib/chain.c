/*
 * chain.c - one link of the chain of trust (RFC 4035 5.2, 5.3): from a
 * trusted DS/DNSKEY set to the zone's DNSKEY RRset, then the zone's own
 * signatures and denial of existence, through the same checks ztk-lint
 * and ztk-sign use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/chain.h>
#include <ztk/dnssec.h>
#include <ztk/dnssec_check.h>
#include <ztk/error.h>
#include <ztk/keystore.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>

#include "buf.h"
#include "dnssec_int.h"
#include "rdata.h"
#include "util.h"

const char *ztk_verdict_name(enum ztk_verdict v)
{
	switch (v) {
	case ZTK_SECURE: return "secure";
	case ZTK_INSECURE: return "insecure";
	case ZTK_BOGUS: return "bogus";
	default: return "indeterminate";
	}
}

/* --- trust anchors ------------------------------------------------------ */

struct tl {
	struct ztk_trust *a;
	size_t n, cap;
	int rc;
};

static int tl_add(struct tl *t, const uint8_t *owner, uint16_t type,
	const uint8_t *rd, size_t len)
{
	if (len > sizeof(t->a->rdata))
		return ZTK_ERANGE;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 8;
		struct ztk_trust *p = realloc(t->a, nc * sizeof(*p));
		if (p == NULL)
			return ZTK_ENOMEM;
		t->a = p;
		t->cap = nc;
	}
	struct ztk_trust *x = &t->a[t->n++];
	memset(x, 0, sizeof(*x));
	memcpy(x->owner, owner, ztk_dname_len(owner));
	ztk_dname_to_lower(x->owner);
	x->type = type;
	x->len = (uint16_t)len;
	memcpy(x->rdata, rd, len);
	return 0;
}

struct scan_err {
	char *why;
	size_t whylen;
	int n;
};

struct anchor_ctx {
	struct tl t;
	struct scan_err e;
};

static int on_anchor(void *ctx, const struct ztk_rr *rr)
{
	struct tl *t = &((struct anchor_ctx *)ctx)->t;
	if (rr->type != ZTK_TYPE_DS && rr->type != ZTK_TYPE_DNSKEY)
		return 0;
	t->rc = tl_add(t, rr->owner, rr->type, rr->rdata, rr->rdlen);
	return t->rc != 0;
}

static void on_anchor_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct scan_err *e = &((struct anchor_ctx *)ctx)->e;
	if (ev->severity != ZTK_SEV_ERROR || e->n++)
		return;
	snprintf(e->why, e->whylen, "%s:%u:%u: %s", ev->file, ev->line, ev->col,
		ev->message);
}

/*
 * BIND's trust-anchors (or managed-keys / trusted-keys) block, rewritten
 * as zone file lines so the one scanner parses the records:
 *   "." initial-key 257 3 8 "AwEA...";   ->   . DNSKEY 257 3 8 AwEA...
 *   "." static-ds 20326 8 2 "E06D...";   ->   . DS 20326 8 2 E06D...
 */
static int bind_block(const char *text, size_t len, struct ztk_sbuf *out)
{
	const char *p = memchr(text, '{', len);
	if (p == NULL)
		return ZTK_ESYNTAX;
	const char *end = text + len;
	p++;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'))
			p++;
		if (p >= end || *p == '}')
			break;
		const char *stmt = p;
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			return ZTK_ESYNTAX;
		char line[4096];
		size_t l = (size_t)(semi - stmt);
		if (l >= sizeof(line))
			return ZTK_ELIMIT;
		memcpy(line, stmt, l);
		line[l] = '\0';
		p = semi + 1;
		/* Drop the quotes and the key word; keep the order. */
		char name[1024] = "", word[32] = "";
		int off = 0;
		if (sscanf(line, " %1023s %31s %n", name, word, &off) != 2)
			return ZTK_ESYNTAX;
		const char *type = NULL;
		if (strstr(word, "-key") || strcmp(word, "static") == 0)
			type = "DNSKEY";
		else if (strstr(word, "-ds"))
			type = "DS";
		else
			return ZTK_ESYNTAX;
		/* The name without its quotes. */
		char *np = name;
		size_t nl = strlen(np);
		if (nl >= 2 && np[0] == '"' && np[nl - 1] == '"') {
			np[nl - 1] = '\0';
			np++;
		}
		char rest[4096];
		size_t r = 0;
		for (const char *q = line + off; *q && r + 1 < sizeof(rest); q++)
			if (*q != '"')
				rest[r++] = *q;
		rest[r] = '\0';
		int rc = ztk_sbuf_printf(out, "%s IN %s %s\n", np, type, rest);
		if (rc)
			return rc;
	}
	return 0;
}

int ztk_trust_load(const char *path, struct ztk_trust **out, size_t *n,
	char *why, size_t whylen)
{
	*out = NULL;
	*n = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "cannot read trust anchors %s", path);
		return ZTK_EIO;
	}
	struct ztk_sbuf text = { .max = 1 << 20 };
	char buf[4096];
	size_t got;
	int rc = 0;
	while (rc == 0 && (got = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = ztk_sbuf_put(&text, buf, got);
	fclose(f);
	if (rc) {
		ztk_sbuf_clear(&text);
		snprintf(why, whylen, "%s: too large for a trust anchor file",
			path);
		return rc;
	}
	struct ztk_sbuf zone = { .max = 1 << 20 };
	const char *src = text.buf ? text.buf : "";
	size_t srclen = text.len;
	if (strstr(src, "trust-anchors") || strstr(src, "managed-keys") ||
	    strstr(src, "trusted-keys")) {
		if (bind_block(src, srclen, &zone) != 0) {
			snprintf(why, whylen, "%s: cannot read the trust-anchors "
				"block (NAME static-key|initial-key|static-ds|"
				"initial-ds ... \"...\";)", path);
			ztk_sbuf_clear(&text);
			ztk_sbuf_clear(&zone);
			return ZTK_ESYNTAX;
		}
		src = zone.buf ? zone.buf : "";
		srclen = zone.len;
	}
	struct anchor_ctx ac = { .e = { why, whylen, 0 } };
	static const uint8_t root[1] = { 0 };
	struct ztk_scan_opts so = { .origin = root, .on_rr = on_anchor,
		.on_event = on_anchor_event, .ctx = &ac, .no_include = true,
		.ttl_optional = true };
	rc = ztk_scan_buffer(path, src, srclen, &so, NULL);
	struct tl t = ac.t;
	struct scan_err e = ac.e;
	if (rc == 0 && e.n > 0)
		rc = ZTK_ESYNTAX;
	ztk_sbuf_clear(&text);
	ztk_sbuf_clear(&zone);
	if (rc != 0 || t.rc != 0) {
		if (e.n == 0)
			snprintf(why, whylen, "%s: %s", path,
				ztk_strerror(t.rc ? t.rc : rc));
		free(t.a);
		return t.rc ? t.rc : rc;
	}
	if (t.n == 0) {
		snprintf(why, whylen, "%s: no DS or DNSKEY record in it", path);
		free(t.a);
		return ZTK_ENOENT;
	}
	*out = t.a;
	*n = t.n;
	return 0;
}

/* --- one zone ------------------------------------------------------------- */

static const struct ztk_zone_node *apex_of(const struct ztk_zone *z)
{
	const struct ztk_zone_node *nodes = ztk_zone_nodes(z);
	for (size_t i = 0; i < ztk_zone_node_count(z); i++)
		if (nodes[i].flags & ZTK_NODE_APEX)
			return &nodes[i];
	return NULL;
}

size_t ztk_chain_ds_of(const struct ztk_zone *parent, const uint8_t *child,
	struct ztk_trust *out, size_t max, bool *delegated)
{
	*delegated = false;
	const struct ztk_zone_node *nd = ztk_zone_find(parent, child);
	if (nd == NULL)
		return 0;
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(parent);
	size_t n = 0;
	for (uint32_t i = 0; i < nd->count; i++) {
		const struct ztk_zone_rr *r = &rrs[nd->first + i];
		if (r->type == ZTK_TYPE_NS)
			*delegated = true;
		if (r->type != ZTK_TYPE_DS || n == max ||
		    r->rdlen > sizeof(out->rdata))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].owner, child, ztk_dname_len(child));
		ztk_dname_to_lower(out[n].owner);
		out[n].type = ZTK_TYPE_DS;
		out[n].len = r->rdlen;
		memcpy(out[n].rdata, r->rdata, r->rdlen);
		n++;
	}
	return n;
}

struct key {
	const uint8_t *rd;
	uint16_t len, tag;
	uint8_t alg;
	bool sep, revoked, matched;
	uint8_t digest;         /* digest type of the DS that matched */
};

static void list_tags(char *buf, size_t len, const struct key *k, size_t n,
	bool sep_only)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && o + 16 < len; i++) {
		if (sep_only && !k[i].sep)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%u/%u", o ? ", " : "",
			k[i].tag, k[i].alg);
	}
	if (o == 0)
		snprintf(buf, len, "none");
}

int ztk_chain_zone(const struct ztk_zone *z, const struct ztk_trust *trusted,
	size_t ntrusted, const struct ztk_chain_opts *o,
	struct ztk_chain_level *out, struct ztk_findings *f)
{
	memset(out, 0, sizeof(*out));
	uint8_t origin[ZTK_DNAME_MAX];
	memcpy(origin, ztk_zone_origin(z), ztk_dname_len(ztk_zone_origin(z)));
	ztk_dname_to_lower(origin);
	ztk_dname_print(origin, out->zone);
	/* Messages quote the name; one of 200 characters is plenty. */
	char zn[208];
	snprintf(zn, sizeof(zn), "%.200s", out->zone);
	const struct ztk_zone_node *apex = apex_of(z);
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	if (apex == NULL) {
		out->verdict = ZTK_INDETERMINATE;
		snprintf(out->reason, sizeof(out->reason), "no data at the apex "
			"of %s", zn);
		return 0;
	}

	struct key keys[64];
	size_t nk = 0;
	uint32_t dnskey_first = 0, dnskey_count = 0;
	for (uint32_t i = 0; i < apex->count; i++) {
		const struct ztk_zone_rr *r = &rrs[apex->first + i];
		if (r->type != ZTK_TYPE_DNSKEY)
			continue;
		if (dnskey_count++ == 0)
			dnskey_first = apex->first + i;
		uint16_t fl = r->rdlen >= 4 ? ztk_get16(r->rdata) : 0;
		if (!(fl & ZTK_DNSKEY_ZONE) || nk == ZTK_ARRAY_LEN(keys))
			continue;
		struct key *k = &keys[nk++];
		memset(k, 0, sizeof(*k));
		k->rd = r->rdata;
		k->len = r->rdlen;
		k->tag = ztk_keytag(r->rdata, r->rdlen);
		k->alg = r->rdata[3];
		k->sep = fl & ZTK_DNSKEY_SEP;
		k->revoked = fl & ZTK_DNSKEY_REVOKE;
		if (k->sep && !k->revoked && out->npublished <
		    ZTK_ARRAY_LEN(out->published))
			out->published[out->npublished++] = k->tag;
	}

	/* Signatures: earliest expiry, for monitoring. */
	for (size_t i = 0; i < ztk_zone_rr_count(z); i++)
		if (rrs[i].type == ZTK_TYPE_RRSIG && rrs[i].rdlen >= 12) {
			int64_t e = rrsig_time(ztk_get32(rrs[i].rdata + 8), o->now);
			if (out->earliest_expiry == 0 || e < out->earliest_expiry)
				out->earliest_expiry = e;
		}

	size_t for_us = 0, usable = 0;
	bool any_sha2 = false;
	char dsdesc[256] = "";
	for (size_t t = 0; t < ntrusted; t++) {
		const struct ztk_trust *tr = &trusted[t];
		if (!ztk_dname_equal(tr->owner, origin))
			continue;
		for_us++;
		if (tr->type == ZTK_TYPE_DS) {
			if (tr->len < 4)
				continue;
			uint16_t tag = ztk_get16(tr->rdata);
			uint8_t alg = tr->rdata[2], dt = tr->rdata[3];
			const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
			if (ztk_digest_len(dt) == 0 || ai == NULL || !ai->supported)
				continue;       /* RFC 4035 5.2: not usable */
			usable++;
			if (dsdesc[0] == '\0')
				snprintf(dsdesc, sizeof(dsdesc), "DS %u/%u/%u", tag,
					alg, dt);
			for (size_t i = 0; i < nk; i++) {
				uint8_t ds[64];
				if (keys[i].tag != tag || keys[i].alg != alg ||
				    keys[i].revoked)
					continue;
				int dl = ztk_ds_from_dnskey(origin, keys[i].rd,
					keys[i].len, dt, ds, sizeof(ds));
				if (dl == (int)(4 + ztk_digest_len(dt)) &&
				    (size_t)dl == tr->len &&
				    memcmp(ds, tr->rdata, (size_t)dl) == 0) {
					keys[i].matched = true;
					if (dt != ZTK_DIGEST_SHA1)
						any_sha2 = true;
					keys[i].digest = dt;
				}
			}
		} else {
			usable++;
			for (size_t i = 0; i < nk; i++)
				if (!keys[i].revoked && keys[i].len == tr->len &&
				    memcmp(keys[i].rd, tr->rdata, tr->len) == 0)
					keys[i].matched = true, any_sha2 = true;
		}
	}
	for (size_t i = 0; i < nk; i++)
		if (keys[i].matched && out->nmatched < ZTK_ARRAY_LEN(out->matched))
			out->matched[out->nmatched++] = keys[i].tag;
	char pub[200];
	list_tags(pub, sizeof(pub), keys, nk, true);

	if (for_us == 0) {
		out->verdict = ZTK_INSECURE;
		snprintf(out->reason, sizeof(out->reason), "the parent has no DS "
			"for %s: validators treat it as unsigned", zn);
		if (out->npublished > 0) {
			out->ksk_without_ds = true;
			snprintf(out->hint, sizeof(out->hint), "the zone publishes "
				"SEP key(s) %s: hand their DS to the parent "
				"(ztk-ds) to make it secure", pub);
		}
		return 0;
	}
	if (usable == 0) {
		out->verdict = ZTK_INSECURE;
		snprintf(out->reason, sizeof(out->reason), "no DS for %s uses a "
			"digest and algorithm a validator supports (RFC 4035 "
			"5.2)", zn);
		snprintf(out->hint, sizeof(out->hint), "publish a DS with "
			"SHA-256 for a key of algorithm 8, 13, 14, 15 or 16");
		return 0;
	}
	if (out->nmatched == 0) {
		out->verdict = ZTK_BOGUS;
		snprintf(out->reason, sizeof(out->reason), "%.64s at the parent "
			"matches no DNSKEY of %s (it publishes %.160s)",
			dsdesc[0] ? dsdesc : "the trust anchor", zn, pub);
		snprintf(out->hint, sizeof(out->hint), "publish the DS of a "
			"current KSK at the parent, or re-add the old key");
		return 0;
	}
	out->sha1_only = !any_sha2;
	for (size_t i = 0; i < nk; i++)
		if (keys[i].sep && !keys[i].revoked && !keys[i].matched)
			out->ksk_without_ds = true;

	/* A matched key must sign the DNSKEY RRset, now (RFC 4035 5.2). */
	struct rdref *rds = calloc(dnskey_count ? dnskey_count : 1,
		sizeof(*rds));
	struct gbuf scratch = { 0 }, data = { 0 };
	if (rds == NULL)
		return ZTK_ENOMEM;
	size_t n = dnskey_count;
	for (uint32_t i = 0; i < dnskey_count; i++) {
		rds[i].rd = rrs[dnskey_first + i].rdata;
		rds[i].len = rrs[dnskey_first + i].rdlen;
	}
	int rc = canon_rdataset(ZTK_TYPE_DNSKEY, rds, &n, &scratch);
	bool signed_ok = false;
	char sigwhy[400] = "";
	size_t olen = ztk_dname_len(origin);
	for (uint32_t i = 0; rc == 0 && i < apex->count && !signed_ok; i++) {
		const struct ztk_zone_rr *s = &rrs[apex->first + i];
		if (s->type != ZTK_TYPE_RRSIG || s->rdlen <= RRSIG_FIXED ||
		    ztk_get16(s->rdata) != ZTK_TYPE_DNSKEY)
			continue;
		const struct key *k = NULL;
		for (size_t x = 0; x < nk && k == NULL; x++)
			if (keys[x].matched && keys[x].tag ==
			    ztk_get16(s->rdata + 16) && keys[x].alg == s->rdata[2])
				k = &keys[x];
		if (k == NULL)
			continue;
		int64_t exp = rrsig_time(ztk_get32(s->rdata + 8), o->now);
		int64_t inc = rrsig_time(ztk_get32(s->rdata + 12), o->now);
		char ts[32];
		if (exp < o->now) {
			fmt_utc(exp, ts, sizeof(ts));
			snprintf(sigwhy, sizeof(sigwhy), "the signature of key %u "
				"over the DNSKEY RRset of %s expired at %s",
				k->tag, zn, ts);
			continue;
		}
		if (inc > o->now) {
			fmt_utc(inc, ts, sizeof(ts));
			snprintf(sigwhy, sizeof(sigwhy), "the signature of key %u "
				"over the DNSKEY RRset of %s is not valid before %s",
				k->tag, zn, ts);
			continue;
		}
		int sl = ztk_dname_wire_check(s->rdata + RRSIG_FIXED,
			s->rdlen - RRSIG_FIXED);
		if (sl <= 0)
			continue;
		size_t plen = RRSIG_FIXED + (size_t)sl;
		rc = signed_data(&data, s->rdata, plen, origin, olen,
			ZTK_TYPE_DNSKEY, ZTK_CLASS_IN, ztk_get32(s->rdata + 4), rds,
			n);
		if (rc == 0 && ztk_dnssec_verify(k->rd, k->len, data.p, data.len,
			s->rdata + plen, s->rdlen - plen) == 0)
			signed_ok = true;
		else if (rc == 0)
			snprintf(sigwhy, sizeof(sigwhy), "the signature of key %u "
				"over the DNSKEY RRset of %s does not verify",
				k->tag, zn);
	}
	free(rds);
	gbuf_free(&scratch);
	gbuf_free(&data);
	if (rc)
		return rc;
	if (!signed_ok) {
		char m[200];
		size_t mo = 0;
		for (size_t i = 0; i < nk; i++)
			if (keys[i].matched && mo + 8 < sizeof(m))
				mo += (size_t)snprintf(m + mo, sizeof(m) - mo, "%s%u",
					mo ? ", " : "", keys[i].tag);
		out->verdict = ZTK_BOGUS;
		if (sigwhy[0])
			snprintf(out->reason, sizeof(out->reason), "%s", sigwhy);
		else
			snprintf(out->reason, sizeof(out->reason), "the DNSKEY "
				"RRset of %s is not signed by key %s, the key the "
				"DS points to", zn, m);
		if (strstr(sigwhy, "expired") || strstr(sigwhy, "not valid"))
			snprintf(out->hint, sizeof(out->hint), "re-sign the "
				"zone: the DNSKEY RRset's signature is outside its "
				"validity window");
		else
			snprintf(out->hint, sizeof(out->hint), "sign the DNSKEY "
				"RRset with the KSK whose DS is at the parent");
		return 0;
	}

	/* The keys are trusted: now the zone's own data and denial. */
	if (!o->whole_zone)
		return 0;
	struct ztk_findings *own = f;
	if (own == NULL && (rc = ztk_findings_new(&own)) != 0)
		return rc;
	size_t before = ztk_findings_count(own);
	struct ztk_dnssec_check_opts co = { .now = o->now,
		.verify = ZTK_VERIFY_ALL, .expire_warn = o->expire_warn,
		.max_findings = UINT32_MAX };
	rc = ztk_dnssec_check(z, &co, own);
	if (rc == 0) {
		const struct ztk_finding *first = NULL;
		for (size_t i = before; i < ztk_findings_count(own); i++) {
			const struct ztk_finding *x = ztk_findings_get(own, i);
			if (x->severity == ZTK_SEV_ERROR) {
				out->errors++;
				if (first == NULL)
					first = x;
			} else if (x->severity == ZTK_SEV_WARNING)
				out->warnings++;
		}
		if (first != NULL) {
			out->verdict = ZTK_BOGUS;
			snprintf(out->reason, sizeof(out->reason), "%s%s",
				first->message, out->errors > 1 ? " (and more)" : "");
			snprintf(out->hint, sizeof(out->hint), "%s",
				first->hint ? first->hint : "re-sign the zone");
		}
	}
	if (own != f)
		ztk_findings_free(own);
	return rc;
}

enum ztk_verdict ztk_chain_rrset(const struct ztk_zone *z,
	const uint8_t *name, uint16_t type, const struct ztk_chain_opts *o,
	char *why, size_t whylen)
{
	why[0] = '\0';
	const struct ztk_zone_node *nd = ztk_zone_find(z, name);
	const struct ztk_zone_node *apex = apex_of(z);
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	char nm[ZTK_DNAME_TEXT_MAX], tbuf[16];
	ztk_dname_print(name, nm);
	const char *tn = ztk_rrtype_name(type, tbuf);
	uint32_t first = 0, cnt = 0;
	for (uint32_t i = 0; nd != NULL && i < nd->count; i++)
		if (rrs[nd->first + i].type == type && cnt++ == 0)
			first = nd->first + i;
	if (cnt == 0 || apex == NULL) {
		snprintf(why, whylen, "%.200s %s is not in the zone", nm, tn);
		return ZTK_INDETERMINATE;
	}
	struct rdref *rds = calloc(cnt, sizeof(*rds));
	struct gbuf scratch = { 0 }, data = { 0 };
	if (rds == NULL) {
		snprintf(why, whylen, "out of memory");
		return ZTK_INDETERMINATE;
	}
	size_t n = cnt;
	for (uint32_t i = 0; i < cnt; i++) {
		rds[i].rd = rrs[first + i].rdata;
		rds[i].len = rrs[first + i].rdlen;
	}
	uint8_t owner[ZTK_DNAME_MAX];
	size_t olen = ztk_dname_len(name);
	memcpy(owner, name, olen);
	ztk_dname_to_lower(owner);
	enum ztk_verdict v = ZTK_BOGUS;
	snprintf(why, whylen, "%.200s %s has no signature by a key of the zone",
		nm, tn);
	if (canon_rdataset(type, rds, &n, &scratch) != 0)
		goto out;
	for (uint32_t i = 0; i < nd->count && v != ZTK_SECURE; i++) {
		const struct ztk_zone_rr *s = &rrs[nd->first + i];
		if (s->type != ZTK_TYPE_RRSIG || s->rdlen <= RRSIG_FIXED ||
		    ztk_get16(s->rdata) != type)
			continue;
		int64_t exp = rrsig_time(ztk_get32(s->rdata + 8), o->now);
		int64_t inc = rrsig_time(ztk_get32(s->rdata + 12), o->now);
		char ts[32];
		if (exp < o->now || inc > o->now) {
			fmt_utc(exp < o->now ? exp : inc, ts, sizeof(ts));
			snprintf(why, whylen, "the signature of %.200s %s by key "
				"%u %s %s", nm, tn, ztk_get16(s->rdata + 16),
				exp < o->now ? "expired at" : "is not valid before",
				ts);
			continue;
		}
		int sl = ztk_dname_wire_check(s->rdata + RRSIG_FIXED,
			s->rdlen - RRSIG_FIXED);
		if (sl <= 0)
			continue;
		size_t plen = RRSIG_FIXED + (size_t)sl;
		for (uint32_t k = 0; k < apex->count && v != ZTK_SECURE; k++) {
			const struct ztk_zone_rr *d = &rrs[apex->first + k];
			if (d->type != ZTK_TYPE_DNSKEY || d->rdlen < 4 ||
			    d->rdata[3] != s->rdata[2] ||
			    ztk_keytag(d->rdata, d->rdlen) !=
			    ztk_get16(s->rdata + 16))
				continue;
			if (signed_data(&data, s->rdata, plen, owner, olen, type,
				ZTK_CLASS_IN, ztk_get32(s->rdata + 4), rds, n) != 0)
				goto out;
			if (ztk_dnssec_verify(d->rdata, d->rdlen, data.p, data.len,
				s->rdata + plen, s->rdlen - plen) == 0)
				v = ZTK_SECURE;
			else
				snprintf(why, whylen, "the signature of %.200s %s "
					"by key %u does not verify", nm, tn,
					ztk_get16(s->rdata + 16));
		}
	}
	if (v == ZTK_SECURE)
		why[0] = '\0';
out:
	free(rds);
	gbuf_free(&scratch);
	gbuf_free(&data);
	return v;
}
