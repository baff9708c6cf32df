/*
 * rrset_verify.c - does an RRset carry a valid RRSIG by one of a set of
 * keys (RFC 4035 5.3)?  For callers that hold the records as loose RDATA
 * (a DNS answer, a parent-side DS check) rather than as a loaded zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ztk/dname.h>
#include <ztk/dnssec.h>
#include <ztk/dscheck.h>
#include <ztk/error.h>
#include <ztk/keystore.h>
#include <ztk/rrtype.h>

#include "dnssec_int.h"
#include "util.h"

/*
 * The owner the signature was made over: owner itself, or for a wildcard
 * expansion (labels field below the owner's label count, RFC 4035 5.3.2)
 * "*." plus the owner's rightmost `labels` labels.  0, or -1 when the
 * labels field is larger than the owner's count (the RRSIG is bad).
 */
static int signed_owner(const uint8_t *owner_lc, unsigned labels,
	uint8_t *out, size_t *outlen)
{
	unsigned have = ztk_dname_labels(owner_lc);
	if (labels > have)
		return -1;
	const uint8_t *p = owner_lc;
	if (labels == have) {
		*outlen = ztk_dname_len(owner_lc);
		memcpy(out, owner_lc, *outlen);
		return 0;
	}
	for (unsigned skip = have - labels; skip > 0; skip--)
		p += 1 + *p;
	out[0] = 1;
	out[1] = '*';
	size_t rest = ztk_dname_len(p);
	memcpy(out + 2, p, rest);
	*outlen = rest + 2;
	return 0;
}

int rrset_verify(const struct rrset_verify_in *in, bool *key_ok,
	char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = '\0';
	if (in->nkeys > 0)
		memset(key_ok, 0, in->nkeys * sizeof(*key_ok));
	uint8_t owner_lc[ZTK_DNAME_MAX], signer_lc[ZTK_DNAME_MAX];
	size_t olen = ztk_dname_len(in->owner);
	memcpy(owner_lc, in->owner, olen);
	ztk_dname_to_lower(owner_lc);
	memcpy(signer_lc, in->signer, ztk_dname_len(in->signer));
	ztk_dname_to_lower(signer_lc);
	char name[ZTK_DNAME_TEXT_MAX], tb[16];
	ztk_dname_print(owner_lc, name);
	const char *tn = ztk_rrtype_name(in->type, tb);

	struct rdref *rds = calloc(in->n ? in->n : 1, sizeof(*rds));
	if (rds == NULL)
		return ZTK_ENOMEM;
	memcpy(rds, in->rds, in->n * sizeof(*rds));
	size_t n = in->n;
	struct gbuf scratch = { 0 }, data = { 0 };
	int rc = canon_rdataset(in->type, rds, &n, &scratch);
	int good = 0;
	bool any = false;
	for (size_t i = 0; rc == 0 && i < in->nsigs; i++) {
		const uint8_t *s = in->sigs[i].rd;
		size_t slen = in->sigs[i].len;
		if (slen <= RRSIG_FIXED || ztk_get16(s) != in->type)
			continue;
		int sl = ztk_dname_wire_check(s + RRSIG_FIXED,
			slen - RRSIG_FIXED);
		if (sl <= 0)
			continue;
		uint8_t sig_signer[ZTK_DNAME_MAX];
		memcpy(sig_signer, s + RRSIG_FIXED, (size_t)sl);
		ztk_dname_to_lower(sig_signer);
		uint16_t tag = ztk_get16(s + 16);
		uint8_t alg = s[2];
		if (!ztk_dname_equal(sig_signer, signer_lc))
			continue;       /* RFC 4035 5.3.1: another zone's */
		any = true;
		bool have_key = false;
		for (size_t k = 0; k < in->nkeys && !have_key; k++)
			have_key = in->keys[k].len >= 4 &&
				in->keys[k].rd[3] == alg &&
				ztk_keytag(in->keys[k].rd, in->keys[k].len) == tag;
		if (!have_key)
			continue;       /* not one of the keys asked about */
		int64_t exp = rrsig_time(ztk_get32(s + 8), in->now);
		int64_t inc = rrsig_time(ztk_get32(s + 12), in->now);
		char ts[32];
		if (exp < in->now || inc > in->now) {
			fmt_utc(exp < in->now ? exp : inc, ts, sizeof(ts));
			if (why && whylen)
				snprintf(why, whylen, "the signature of %.200s %s "
					"by key %u %s %s", name, tn, tag,
					exp < in->now ? "expired at" :
					"is not valid before", ts);
			continue;
		}
		uint8_t sown[ZTK_DNAME_MAX + 2];
		size_t sownlen;
		if (signed_owner(owner_lc, s[3], sown, &sownlen) != 0) {
			if (why && whylen)
				snprintf(why, whylen, "the signature of %.200s %s "
					"by key %u has %u labels, more than its "
					"owner", name, tn, tag, s[3]);
			continue;
		}
		size_t plen = RRSIG_FIXED + (size_t)sl;
		bool tried = false, verified = false;
		for (size_t k = 0; k < in->nkeys && !verified; k++) {
			const struct rdref *key = &in->keys[k];
			if (key->len < 4 || key->rd[3] != alg ||
			    ztk_keytag(key->rd, key->len) != tag)
				continue;
			rc = signed_data(&data, s, plen, sown, sownlen, in->type,
				ZTK_CLASS_IN, ztk_get32(s + 4), rds, n);
			if (rc != 0)
				break;
			tried = true;
			if (ztk_dnssec_verify(key->rd, key->len, data.p, data.len,
			    s + plen, slen - plen) == 0) {
				verified = true;
				if (!key_ok[k])
					good++;
				key_ok[k] = true;
			}
		}
		if (tried && !verified && why && whylen)
			snprintf(why, whylen, "the signature of %.200s %s by key "
				"%u does not verify", name, tn, tag);
	}
	if (rc == 0 && good == 0 && why && whylen && why[0] == '\0') {
		if (!any)
			snprintf(why, whylen, "%.200s %s has no signature", name,
				tn);
		else if (in->nkeys == 1 && in->keys[0].len >= 4)
			snprintf(why, whylen, "%.200s %s has no signature by "
				"key %u", name, tn, ztk_keytag(in->keys[0].rd,
				in->keys[0].len));
		else
			snprintf(why, whylen, "%.200s %s has no signature by "
				"the keys in question", name, tn);
	}
	if (good > 0 && why && whylen)
		why[0] = '\0';
	free(rds);
	gbuf_free(&scratch);
	gbuf_free(&data);
	return rc ? rc : good;
}

int ztk_rrset_signers(const uint8_t *owner, const uint8_t *zone,
	uint16_t type,
	const struct ztk_rdata_ref *set, size_t n,
	const struct ztk_rdata_ref *rrsig, size_t nsig,
	const struct ztk_rdata_ref *keys, size_t nkeys, int64_t now,
	bool *ok, char *why, size_t whylen)
{
	if (zone == NULL)
		zone = owner;
	if (owner == NULL || ok == NULL || (n && set == NULL) ||
	    (nsig && rrsig == NULL) || (nkeys && keys == NULL) ||
	    ztk_dname_wire_check(owner, ZTK_DNAME_MAX) < 0 ||
	    ztk_dname_wire_check(zone, ZTK_DNAME_MAX) < 0)
		return ZTK_EINVAL;
	struct rdref *v = calloc(n + nsig + nkeys + 1, sizeof(*v));
	if (v == NULL)
		return ZTK_ENOMEM;
	struct rdref *sv = v + n, *kv = sv + nsig;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct rdref){ set[i].data, set[i].len, 0 };
	for (size_t i = 0; i < nsig; i++)
		sv[i] = (struct rdref){ rrsig[i].data, rrsig[i].len, 0 };
	for (size_t i = 0; i < nkeys; i++)
		kv[i] = (struct rdref){ keys[i].data, keys[i].len, 0 };
	struct rrset_verify_in in = { .owner = owner, .signer = zone,
		.type = type, .rds = v, .n = n, .sigs = sv, .nsigs = nsig,
		.keys = kv, .nkeys = nkeys, .now = now };
	int r = rrset_verify(&in, ok, why, whylen);
	free(v);
	return r;
}
