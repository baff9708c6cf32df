/*
 * ds_check.c - the parent-side check of a DS RRset replacement (RFC 7344,
 * RFC 8078); see include/ztk/dscheck.h for what is and is not checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ztk/dname.h>
#include <ztk/dnssec.h>
#include <ztk/dscheck.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>

#include "util.h"

#define RRSET_MAX 4096          /* records of one RRset we accept */
#define ITEMS_MAX (8 * RRSET_MAX + 64)
#define DS_MAX_LEN (4 + 48)     /* a DS we compute: SHA-384 at most */

/* Digest types ztk can compute, the index into the coverage sets. */
static const uint8_t computable[] = { ZTK_DIGEST_SHA1, ZTK_DIGEST_SHA256,
	ZTK_DIGEST_SHA384 };

struct ctx {
	const struct ztk_dscheck_input *in;
	struct ztk_dscheck_report *r;
	size_t items_cap, new_cap;
	int err;                /* first error (ZTK_ENOMEM) */
};

/* Algorithm as "13 (ECDSAP256SHA256)" into buf. */
static const char *
alg_text(unsigned alg, char *buf, size_t len)
{
	const struct ztk_alg_info *a = ztk_alg_by_number(alg);
	if (a != NULL)
		snprintf(buf, len, "%u (%s)", alg, a->mnemonic);
	else
		snprintf(buf, len, "%u", alg);
	return buf;
}

static void
add(struct ctx *c, enum ztk_dscheck_level level, const char *id, int keytag,
	int alg, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
add(struct ctx *c, enum ztk_dscheck_level level, const char *id, int keytag,
	int alg, const char *fmt, ...)
{
	struct ztk_dscheck_report *r = c->r;
	if (c->err)
		return;
	if (r->n_items == c->items_cap) {
		size_t cap = c->items_cap ? c->items_cap * 2 : 16;
		if (cap > ITEMS_MAX) {
			c->err = ZTK_ELIMIT;
			return;
		}
		void *p = realloc(r->items, cap * sizeof *r->items);
		if (p == NULL) {
			c->err = ZTK_ENOMEM;
			return;
		}
		r->items = p;
		c->items_cap = cap;
	}
	struct ztk_dscheck_item *it = &r->items[r->n_items++];
	it->level = level;
	it->id = id;
	it->keytag = keytag;
	it->alg = alg;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->message, sizeof it->message, fmt, ap);
	va_end(ap);
	if (level == ZTK_DSC_UNSAFE)
		r->n_unsafe++;
	else if (level == ZTK_DSC_WARNING)
		r->n_warnings++;
}

/* Append a copy of a DS RDATA to the proposal. */
static void
propose(struct ctx *c, const uint8_t *rd, size_t len)
{
	struct ztk_dscheck_report *r = c->r;
	if (c->err)
		return;
	if (r->n_new_ds == c->new_cap) {
		size_t cap = c->new_cap ? c->new_cap * 2 : 8;
		void *p = realloc(r->new_ds, cap * sizeof *r->new_ds);
		if (p == NULL) {
			c->err = ZTK_ENOMEM;
			return;
		}
		r->new_ds = p;
		c->new_cap = cap;
	}
	uint8_t *copy = malloc(len ? len : 1);
	if (copy == NULL) {
		c->err = ZTK_ENOMEM;
		return;
	}
	memcpy(copy, rd, len);
	r->new_ds[r->n_new_ds].data = copy;
	r->new_ds[r->n_new_ds].len = (uint16_t)len;
	r->n_new_ds++;
}

bool
ztk_cds_is_delete(const uint8_t *rdata, size_t len)
{
	/* RFC 8078 4: key tag 0, algorithm 0, digest type 0, digest 00. */
	static const uint8_t del[] = { 0, 0, 0, 0, 0 };
	return rdata != NULL && len == sizeof del &&
		memcmp(rdata, del, len) == 0;
}

bool
ztk_cdnskey_is_delete(const uint8_t *rdata, size_t len)
{
	/* RFC 8078 4: flags 0, protocol 3, algorithm 0, key 0x00 (AA==). */
	static const uint8_t del[] = { 0, 0, 3, 0, 0 };
	return rdata != NULL && len == sizeof del &&
		memcmp(rdata, del, len) == 0;
}

int
ztk_ds_match(const uint8_t *owner, const uint8_t *ds, size_t dslen,
	const uint8_t *key, size_t keylen)
{
	if (ds == NULL || key == NULL || dslen < 4 || keylen < 4)
		return ZTK_EMALF;
	size_t dlen = ztk_digest_len(ds[3]);
	if (dlen == 0)
		return ZTK_ENOTSUP;
	if (ztk_get16(ds) != ztk_keytag(key, keylen) || ds[2] != key[3] ||
	    dslen != 4 + dlen)
		return 0;
	uint8_t mine[DS_MAX_LEN];
	int n = ztk_ds_from_dnskey(owner, key, keylen, ds[3], mine,
		sizeof mine);
	if (n < 0)
		return n;
	return (size_t)n == dslen && memcmp(mine, ds, dslen) == 0;
}

static int
canon_cmp(const void *a, const void *b)
{
	const struct ztk_rdata_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int d = n ? memcmp(x->data, y->data, n) : 0;
	if (d != 0)
		return d;
	return (x->len > y->len) - (x->len < y->len);
}

size_t
ztk_dscheck_canon(struct ztk_rdata_ref *v, size_t n)
{
	if (v == NULL || n == 0)
		return 0;
	qsort(v, n, sizeof *v, canon_cmp);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (canon_cmp(&v[k - 1], &v[i]) != 0)
			v[k++] = v[i];
	return k;
}

void
ztk_dscheck_free(struct ztk_dscheck_report *report)
{
	if (report == NULL)
		return;
	for (size_t i = 0; i < report->n_new_ds; i++)
		free((void *)report->new_ds[i].data);
	free(report->new_ds);
	free(report->items);
	free(report);
}

/* "14382 13 2" of a DS RDATA (at least 4 octets). */
static const char *
ds_text(const uint8_t *ds, char *buf, size_t len)
{
	snprintf(buf, len, "%u %u %u", ztk_get16(ds), ds[2], ds[3]);
	return buf;
}

static bool
is_revoked(const struct ztk_rdata_ref *k)
{
	return (ztk_get16(k->data) & ZTK_DNSKEY_REVOKE) != 0;
}

static bool
is_zone_key(const struct ztk_rdata_ref *k)
{
	return (ztk_get16(k->data) & ZTK_DNSKEY_ZONE) != 0;
}

static bool
is_sep(const struct ztk_rdata_ref *k)
{
	return (ztk_get16(k->data) & ZTK_DNSKEY_SEP) != 0;
}

static int
check_sets(const struct ztk_dscheck_input *in)
{
	const struct ztk_rdata_ref *sets[] = { in->dnskey, in->cds,
		in->cdnskey, in->ds, in->keys, in->rrsig };
	const size_t counts[] = { in->n_dnskey, in->n_cds, in->n_cdnskey,
		in->n_ds, in->n_keys, in->n_rrsig };
	for (size_t s = 0; s < ZTK_ARRAY_LEN(sets); s++) {
		if (counts[s] > RRSET_MAX)
			return ZTK_ELIMIT;
		if (counts[s] > 0 && sets[s] == NULL)
			return ZTK_EINVAL;
		for (size_t i = 0; i < counts[s]; i++)
			if (sets[s][i].data == NULL && sets[s][i].len > 0)
				return ZTK_EINVAL;
	}
	return 0;
}

/* DS of key for every digest type asked for, into the proposal. */
static void
propose_from_key(struct ctx *c, const struct ztk_dscheck_opts *o,
	const struct ztk_rdata_ref *key)
{
	static const uint8_t sha256 = ZTK_DIGEST_SHA256;
	const uint8_t *dig = o->n_digests ? o->digests : &sha256;
	size_t nd = o->n_digests ? o->n_digests : 1;
	for (size_t d = 0; d < nd; d++) {
		uint8_t ds[DS_MAX_LEN];
		int n = ztk_ds_from_dnskey(c->in->owner, key->data, key->len,
			dig[d], ds, sizeof ds);
		char a[40];
		if (n == ZTK_ENOTSUP) {
			add(c, ZTK_DSC_WARNING, "digest-unknown", -1, -1,
				"digest type %u is not one ztk can compute "
				"(1 SHA-1, 2 SHA-256, 4 SHA-384)", dig[d]);
			continue;
		}
		if (n < 0) {
			add(c, ZTK_DSC_WARNING, "key-malformed",
				ztk_keytag(key->data, key->len),
				key->len >= 4 ? key->data[3] : -1,
				"key %u (algorithm %s) is too short to make a DS "
				"from", ztk_keytag(key->data, key->len),
				alg_text(key->len >= 4 ? key->data[3] : 0, a,
				sizeof a));
			continue;
		}
		propose(c, ds, (size_t)n);
	}
}

/*
 * Build the proposal.  Returns true when the check is over (a delete, or
 * nothing to propose).
 */
static bool
make_proposal(struct ctx *c, const struct ztk_dscheck_opts *o)
{
	const struct ztk_dscheck_input *in = c->in;
	struct ztk_dscheck_report *r = c->r;
	const char *what;
	const struct ztk_rdata_ref *set;
	size_t n;

	if (in->n_cds > 0 && !(o->prefer_cdnskey && in->n_cdnskey > 0)) {
		r->source = ZTK_DSC_FROM_CDS;
		set = in->cds;
		n = in->n_cds;
		what = "CDS";
	} else if (in->n_cdnskey > 0) {
		r->source = ZTK_DSC_FROM_CDNSKEY;
		set = in->cdnskey;
		n = in->n_cdnskey;
		what = "CDNSKEY";
	} else {
		r->source = ZTK_DSC_FROM_DNSKEY;
		const struct ztk_rdata_ref *keys = in->n_keys ? in->keys :
			in->dnskey;
		size_t nkeys = in->n_keys ? in->n_keys : in->n_dnskey, nsep = 0;
		for (size_t i = 0; i < nkeys; i++) {
			const struct ztk_rdata_ref *k = &keys[i];
			if (k->len >= 4 && is_zone_key(k) && !is_revoked(k) &&
			    (in->n_keys || is_sep(k))) {
				propose_from_key(c, o, k);
				nsep++;
			}
		}
		r->n_new_ds = ztk_dscheck_canon(r->new_ds, r->n_new_ds);
		if (nsep == 0) {
			add(c, ZTK_DSC_UNSAFE, "no-proposal", -1, -1,
				"the child publishes no CDS, no CDNSKEY and no "
				"SEP key: there is no DS RRset to propose");
			return true;
		}
		add(c, ZTK_DSC_NOTE, "source", -1, -1, "no CDS or CDNSKEY "
			"RRset: checking the DS RRset made from %zu %s%s%s",
			nsep, in->n_keys ? "key-signing key" : "SEP key",
			nsep == 1 ? "" : "s",
			in->n_keys ? "" : " of the DNSKEY RRset");
		return false;
	}

	size_t ndel = 0;
	for (size_t i = 0; i < n; i++)
		if (r->source == ZTK_DSC_FROM_CDS ?
		    ztk_cds_is_delete(set[i].data, set[i].len) :
		    ztk_cdnskey_is_delete(set[i].data, set[i].len))
			ndel++;
	if (ndel > 0 && ndel < n) {
		add(c, ZTK_DSC_UNSAFE, "delete-mixed", -1, -1, "the %s RRset "
			"holds the RFC 8078 delete record beside %zu other "
			"record%s: contradictory, act on neither", what,
			n - ndel, n - ndel == 1 ? "" : "s");
		return true;
	}
	if (ndel > 0) {
		r->verdict = ZTK_DSC_INSECURE;
		add(c, ZTK_DSC_UNSAFE, "delete", -1, -1, "the %s RRset is the "
			"RFC 8078 delete record: the child asks for its DS "
			"RRset to be removed, which makes the delegation "
			"insecure", what);
		return true;
	}
	add(c, ZTK_DSC_NOTE, "source", -1, -1, "proposal: the %s RRset "
		"(%zu record%s)", what, n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		if (r->source == ZTK_DSC_FROM_CDS) {
			if (set[i].len < 5) {
				add(c, ZTK_DSC_UNSAFE, "cds-malformed", -1, -1,
					"a CDS record of %u octets is too short "
					"to be a DS", set[i].len);
				continue;
			}
			propose(c, set[i].data, set[i].len);
		} else {
			propose_from_key(c, o, &set[i]);
		}
	}
	r->n_new_ds = ztk_dscheck_canon(r->new_ds, r->n_new_ds);
	return false;
}

/* Does some current DS match a published, usable key?  RFC 7344 4.1 wants
 * the CDS RRset validated by a key the current DS RRset points to. */
static void
check_current(struct ctx *c)
{
	const struct ztk_dscheck_input *in = c->in;
	char t[40];
	if (in->n_ds == 0) {
		add(c, ZTK_DSC_WARNING, "no-current-ds", -1, -1, "the parent "
			"has no DS for the child: this is an initial DS, which "
			"cannot be authenticated through the chain; RFC 8078 3 "
			"asks for out-of-band checks before accepting it");
		return;
	}
	size_t good = 0;
	for (size_t i = 0; i < in->n_ds; i++) {
		const struct ztk_rdata_ref *d = &in->ds[i];
		if (d->len < 4)
			continue;
		for (size_t k = 0; k < in->n_dnskey; k++) {
			const struct ztk_rdata_ref *key = &in->dnskey[k];
			if (key->len < 4 || !is_zone_key(key) ||
			    is_revoked(key))
				continue;
			if (ztk_ds_match(in->owner, d->data, d->len,
			    key->data, key->len) == 1) {
				add(c, ZTK_DSC_OK, "current-ds-match",
					ztk_get16(d->data), d->data[2],
					"current DS %s matches published key "
					"%u: the child's records can be "
					"authenticated through it",
					ds_text(d->data, t, sizeof t),
					ztk_keytag(key->data, key->len));
				good++;
				break;
			}
		}
	}
	if (good == 0)
		add(c, ZTK_DSC_UNSAFE, "current-ds-dangling", -1, -1, "no "
			"current DS matches a published DNSKEY: the chain is "
			"already broken and the child's records cannot be "
			"authenticated through it (RFC 7344 4.1)");
}

static size_t
digest_index(unsigned type)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(computable); i++)
		if (computable[i] == type)
			return i;
	return SIZE_MAX;
}

/* Per proposed DS: which key it matches; per algorithm and digest type:
 * coverage.  covered[] and used[] are indexed by algorithm number. */
static void
check_proposal(struct ctx *c, bool *covered, bool *ds_alg, uint8_t *cover,
	bool *sep_match)
{
	const struct ztk_dscheck_input *in = c->in;
	struct ztk_dscheck_report *r = c->r;
	char t[40], a[40];
	for (size_t i = 0; i < r->n_new_ds; i++) {
		const struct ztk_rdata_ref *d = &r->new_ds[i];
		unsigned tag = ztk_get16(d->data), alg = d->data[2],
			dt = d->data[3];
		ds_text(d->data, t, sizeof t);
		alg_text(alg, a, sizeof a);
		ds_alg[alg] = true;
		const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
		if (ai == NULL)
			add(c, ZTK_DSC_WARNING, "alg-unknown", (int)tag,
				(int)alg, "DS %s: algorithm %u is not one "
				"ztk knows; validators will likely treat the "
				"zone as insecure", t, alg);
		else if (ai->status == ZTK_ALG_MUST_NOT)
			add(c, ZTK_DSC_WARNING, "alg-must-not", (int)tag,
				(int)alg, "DS %s: algorithm %s: %s", t, a,
				ai->why_not ? ai->why_not :
				"RFC 8624 3.1: MUST NOT be used");
		if (dt == ZTK_DIGEST_SHA1)
			add(c, ZTK_DSC_WARNING, "sha1-digest", (int)tag,
				(int)alg, "DS %s uses SHA-1, which RFC 8624 "
				"3.3 says MUST NOT be used for new DS "
				"records", t);
		size_t di = digest_index(dt);
		if (di == SIZE_MAX) {
			add(c, ZTK_DSC_WARNING, "digest-unknown", (int)tag,
				(int)alg, "DS %s: digest type %u is not one ztk "
				"can compute, so it cannot be matched to a key",
				t, dt);
			continue;
		}
		/* best match: usable SEP key, usable other zone key,
		 * revoked key, a key that is not a zone key */
		int best = -1, rank = 0;
		bool same_tag = false;
		for (size_t k = 0; k < in->n_dnskey; k++) {
			const struct ztk_rdata_ref *key = &in->dnskey[k];
			if (key->len < 4)
				continue;
			if (ztk_keytag(key->data, key->len) == tag &&
			    key->data[3] == alg)
				same_tag = true;
			if (ztk_ds_match(in->owner, d->data, d->len,
			    key->data, key->len) != 1)
				continue;
			int kr = !is_zone_key(key) ? 1 : is_revoked(key) ? 2 :
				!is_sep(key) ? 3 : 4;
			if (kr > rank) {
				rank = kr;
				best = (int)k;
			}
		}
		switch (rank) {
		case 4:
			add(c, ZTK_DSC_OK, "ds-match", (int)tag, (int)alg,
				"DS %s matches the published SEP key %u, "
				"algorithm %s", t, tag, a);
			*sep_match = true;
			break;
		case 3:
			add(c, ZTK_DSC_WARNING, "ds-matches-zsk", (int)tag,
				(int)alg, "DS %s matches key %u, which has no "
				"SEP bit (flags %u): validators accept it if "
				"that key signs the DNSKEY RRset, but a DS "
				"usually points to a KSK", t, tag,
				ztk_get16(in->dnskey[best].data));
			break;
		case 2:
			add(c, ZTK_DSC_WARNING, "ds-matches-revoked", (int)tag,
				(int)alg, "DS %s matches key %u, which is "
				"revoked (RFC 5011 2.1): validators will not "
				"use it", t, tag);
			break;
		case 1:
			add(c, ZTK_DSC_WARNING, "ds-matches-nonzone", (int)tag,
				(int)alg, "DS %s matches key %u, which is not a "
				"zone key (flags %u, RFC 4034 2.1.1): it cannot "
				"validate anything", t, tag,
				ztk_get16(in->dnskey[best].data));
			break;
		default:
			if (same_tag)
				add(c, ZTK_DSC_WARNING, "ds-digest-mismatch",
					(int)tag, (int)alg, "DS %s names key "
					"%u, but its digest does not match that "
					"key", t, tag);
			else
				add(c, ZTK_DSC_WARNING, "ds-no-key", (int)tag,
					(int)alg, "DS %s matches no published "
					"DNSKEY (fine only for a key about to "
					"be published)", t);
			break;
		}
		if (rank >= 3) {
			covered[alg] = true;
			cover[di * in->n_dnskey + (size_t)best] = 1;
		}
	}
}

/* --- signatures (RFC 7344 4.1) ----------------------------------------- */

/*
 * Which published keys made a valid signature over the child's RRset of
 * type (set[0..n)): ok[] gets one flag per DNSKEY of the input.  Revoked
 * keys and keys without the zone bit do not count (RFC 5011 2.1, RFC 4034
 * 2.1.1).  Returns how many keys count, or a negative error.
 */
static int
signers_of(struct ctx *c, uint16_t type, const struct ztk_rdata_ref *set,
	size_t n, bool *ok, char *why, size_t whylen)
{
	const struct ztk_dscheck_input *in = c->in;
	size_t nk = in->n_dnskey;
	int r = ztk_rrset_signers(in->owner, NULL, type, set, n, in->rrsig,
		in->n_rrsig, in->dnskey, nk, in->now, ok, why, whylen);
	if (r < 0)
		return r;
	int good = 0;
	for (size_t k = 0; k < nk; k++) {
		const struct ztk_rdata_ref *key = &in->dnskey[k];
		if (ok[k] && (key->len < 4 || !is_zone_key(key) ||
		    is_revoked(key)))
			ok[k] = false;
		good += ok[k];
	}
	if (good == 0 && r > 0 && why && whylen)
		snprintf(why, whylen, "only revoked or non-zone keys sign it");
	return good;
}

/* Key tags of the keys flagged in mark[], as "12345, 23456" (or "none"). */
static const char *
tags_of(const struct ztk_dscheck_input *in, const bool *mark, char *buf,
	size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < in->n_dnskey && o + 8 < len; k++)
		if (mark[k])
			o += (size_t)snprintf(buf + o, len - o, "%s%u",
				o ? ", " : "", ztk_keytag(in->dnskey[k].data,
				in->dnskey[k].len));
	if (o == 0)
		snprintf(buf, len, "none");
	return buf;
}

/* "it is signed only by key 12345, 23456" */
static const char *
signed_by(const struct ztk_dscheck_input *in, const bool *mark, char *buf,
	size_t len)
{
	char t[160];
	snprintf(buf, len, "it is signed only by key %s",
		tags_of(in, mark, t, sizeof t));
	return buf;
}

/* Mark the usable keys some DS of ds[0..n) matches. */
static void
mark_matched(const struct ztk_dscheck_input *in,
	const struct ztk_rdata_ref *ds, size_t n, bool *mark)
{
	for (size_t k = 0; k < in->n_dnskey; k++) {
		const struct ztk_rdata_ref *key = &in->dnskey[k];
		mark[k] = false;
		if (key->len < 4 || !is_zone_key(key) || is_revoked(key))
			continue;
		for (size_t i = 0; i < n && !mark[k]; i++)
			mark[k] = ds[i].len >= 4 && ztk_ds_match(in->owner,
				ds[i].data, ds[i].len, key->data,
				key->len) == 1;
	}
}

/*
 * The three signature checks of dscheck.h.  flags holds 3 * n_dnskey
 * booleans of scratch.
 */
static void
check_signatures(struct ctx *c, bool *flags)
{
	const struct ztk_dscheck_input *in = c->in;
	struct ztk_dscheck_report *r = c->r;
	size_t nk = in->n_dnskey;
	bool *keysign = flags, *cur = flags + nk, *tmp = flags + 2 * nk;
	char why[320], t1[200], t2[200], a[40];

	int ks = signers_of(c, ZTK_TYPE_DNSKEY, in->dnskey, nk, keysign, why,
		sizeof why);
	if (ks < 0) {
		c->err = ks;
		return;
	}
	char keyset_why[320];
	memcpy(keyset_why, why, sizeof why);

	/* 1. the chain as it stands */
	mark_matched(in, in->ds, in->n_ds, cur);
	bool any_cur = false, cur_signs = false;
	for (size_t k = 0; k < nk; k++) {
		any_cur |= cur[k];
		cur_signs |= cur[k] && keysign[k];
	}
	if (any_cur && cur_signs) {
		for (size_t k = 0; k < nk; k++)
			tmp[k] = cur[k] && keysign[k];
		add(c, ZTK_DSC_OK, "current-chain-valid", -1, -1, "the DNSKEY "
			"RRset is signed by key %s, which the current DS RRset "
			"points to", tags_of(in, tmp, t1, sizeof t1));
	} else if (any_cur) {
		add(c, ZTK_DSC_UNSAFE, "current-chain-bogus", -1, -1, "no key "
			"the current DS RRset points to (%s) signs the DNSKEY "
			"RRset (%s): the zone does not validate as it stands, so "
			"nothing it publishes can be authenticated",
			tags_of(in, cur, t1, sizeof t1), keyset_why[0] ?
			keyset_why : signed_by(in, keysign, t2, sizeof t2));
	}

	/* 2. RFC 7344 4.1: the CDS/CDNSKEY RRset signed by a key the
	 * current DS RRset points to */
	if (any_cur && r->source != ZTK_DSC_FROM_DNSKEY) {
		bool cds = r->source == ZTK_DSC_FROM_CDS;
		const char *what = cds ? "CDS" : "CDNSKEY";
		int n = signers_of(c, cds ? ZTK_TYPE_CDS : ZTK_TYPE_CDNSKEY,
			cds ? in->cds : in->cdnskey,
			cds ? in->n_cds : in->n_cdnskey, tmp, why, sizeof why);
		if (n < 0) {
			c->err = n;
			return;
		}
		bool auth = false;
		for (size_t k = 0; k < nk; k++)
			auth |= tmp[k] && cur[k];
		if (auth)
			add(c, ZTK_DSC_OK, "cds-authenticated", -1, -1, "the %s "
				"RRset is signed by a key the current DS RRset "
				"points to", what);
		else
			add(c, ZTK_DSC_UNSAFE, "cds-unauthenticated", -1, -1,
				"the %s RRset is not signed by a key the current "
				"DS RRset points to (%s; it is signed by %s%s%s): "
				"RFC 7344 4.1 says the parent must not act on it",
				what, tags_of(in, cur, t1, sizeof t1),
				tags_of(in, tmp, t2, sizeof t2), why[0] ? "; " : "",
				why);
	}

	/* 3. every algorithm of the proposal reaches a key that signs */
	bool alg_ds[256] = { false }, alg_signs[256] = { false };
	for (size_t i = 0; i < r->n_new_ds; i++) {
		const struct ztk_rdata_ref *d = &r->new_ds[i];
		mark_matched(in, d, 1, tmp);
		bool any = false;
		for (size_t k = 0; k < nk; k++) {
			any |= tmp[k];
			alg_signs[d->data[2]] |= tmp[k] && keysign[k];
		}
		alg_ds[d->data[2]] |= any;
	}
	for (unsigned alg = 0; alg < 256; alg++) {
		if (!alg_ds[alg])
			continue;       /* no key at all: alg-no-key says it */
		if (alg_signs[alg])
			add(c, ZTK_DSC_OK, "new-ds-signing", -1, (int)alg,
				"a key the proposed DS RRset points to for "
				"algorithm %s signs the DNSKEY RRset",
				alg_text(alg, a, sizeof a));
		else
			add(c, ZTK_DSC_UNSAFE, "new-ds-not-signing", -1,
				(int)alg, "no key the proposed DS RRset points to "
				"for algorithm %s signs the DNSKEY RRset (%s): "
				"validators that follow the new DS would find the "
				"zone bogus", alg_text(alg, a, sizeof a),
				keyset_why[0] ? keyset_why : signed_by(in, keysign,
				t2, sizeof t2));
	}
}

int
ztk_dscheck_run(const struct ztk_dscheck_input *in,
	const struct ztk_dscheck_opts *opts, struct ztk_dscheck_report **out)
{
	static const struct ztk_dscheck_opts no_opts;
	if (out == NULL)
		return ZTK_EINVAL;
	*out = NULL;
	if (in == NULL || in->owner == NULL)
		return ZTK_EINVAL;
	if (ztk_dname_wire_check(in->owner, ZTK_DNAME_MAX) < 0)
		return ZTK_EINVAL;
	int e = check_sets(in);
	if (e)
		return e;
	if (opts == NULL)
		opts = &no_opts;
	if (opts->n_digests > 0 && opts->digests == NULL)
		return ZTK_EINVAL;

	struct ctx c = { .in = in };
	c.r = calloc(1, sizeof *c.r);
	if (c.r == NULL)
		return ZTK_ENOMEM;
	struct ztk_dscheck_report *r = c.r;
	uint8_t *cover = NULL;
	char a[40];

	if (in->n_dnskey == 0) {
		add(&c, ZTK_DSC_UNSAFE, "no-dnskey", -1, -1, "the child "
			"publishes no DNSKEY RRset: no DS can point to it");
	}
	bool done = make_proposal(&c, opts);
	if (c.err)
		goto fail;
	if (in->n_dnskey > 0)
		check_current(&c);
	if (done || in->n_dnskey == 0)
		goto verdict;

	/* algorithms of the usable zone keys */
	bool key_alg[256] = { false }, covered[256] = { false },
		ds_alg[256] = { false }, sep_match = false;
	for (size_t k = 0; k < in->n_dnskey; k++) {
		const struct ztk_rdata_ref *key = &in->dnskey[k];
		if (key->len >= 4 && is_zone_key(key) && !is_revoked(key))
			key_alg[key->data[3]] = true;
	}
	cover = calloc(ZTK_ARRAY_LEN(computable) * in->n_dnskey, 1);
	if (cover == NULL) {
		c.err = ZTK_ENOMEM;
		goto fail;
	}
	check_proposal(&c, covered, ds_alg, cover, &sep_match);
	if (in->verify) {
		bool *flags = calloc(3 * in->n_dnskey, sizeof *flags);
		if (flags == NULL) {
			c.err = ZTK_ENOMEM;
			goto fail;
		}
		check_signatures(&c, flags);
		free(flags);
		if (c.err)
			goto fail;
	}

	/* RFC 6840 5.11: a signed zone MUST include a DNSKEY for each
	 * algorithm in its DS RRset. */
	for (unsigned alg = 0; alg < 256; alg++) {
		if (ds_alg[alg] && !key_alg[alg])
			add(&c, ZTK_DSC_UNSAFE, "alg-no-key", -1, (int)alg,
				"the proposal has DS records of algorithm %s, "
				"which no published key uses (RFC 6840 5.11: "
				"every DS algorithm needs a DNSKEY and "
				"signatures)", alg_text(alg, a, sizeof a));
	}
	/* Ours: every algorithm of the DNSKEY RRset keeps a DS, so an
	 * algorithm leaves the zone before it leaves the parent. */
	for (unsigned alg = 0; alg < 256; alg++) {
		if (!key_alg[alg])
			continue;
		if (covered[alg])
			add(&c, ZTK_DSC_OK, "alg-covered", -1, (int)alg,
				"algorithm %s of the DNSKEY RRset keeps a DS",
				alg_text(alg, a, sizeof a));
		else
			add(&c, ZTK_DSC_UNSAFE, "alg-uncovered", -1, (int)alg,
				"algorithm %s is in the DNSKEY RRset but no "
				"proposed DS matches a key of it",
				alg_text(alg, a, sizeof a));
	}
	/* RFC 4509 3: a validator may use only the digest type it likes
	 * best, so each type present must reach the same keys. */
	size_t first = SIZE_MAX;
	bool present[ZTK_ARRAY_LEN(computable)] = { false };
	for (size_t i = 0; i < r->n_new_ds; i++) {
		size_t di = digest_index(r->new_ds[i].data[3]);
		if (di != SIZE_MAX)
			present[di] = true;
	}
	for (size_t di = 0; di < ZTK_ARRAY_LEN(computable); di++) {
		if (!present[di])
			continue;
		if (first == SIZE_MAX) {
			first = di;
			continue;
		}
		if (memcmp(cover + di * in->n_dnskey,
		    cover + first * in->n_dnskey, in->n_dnskey) != 0)
			add(&c, ZTK_DSC_UNSAFE, "digest-coverage", -1, -1,
				"the %s DS records and the %s DS records point "
				"to different keys: a validator that uses only "
				"one digest type (RFC 4509 3) sees fewer",
				ztk_digest_name(computable[first]),
				ztk_digest_name(computable[di]));
	}
	if (sep_match)
		add(&c, ZTK_DSC_OK, "sep-match", -1, -1, "at least one "
			"proposed DS matches a published SEP key");
	else
		add(&c, ZTK_DSC_UNSAFE, "no-sep-match", -1, -1, "no proposed "
			"DS matches a published key with the SEP bit");

	/* RFC 7344 4: CDS and CDNSKEY should describe the same keys. */
	if (in->n_cds > 0 && in->n_cdnskey > 0) {
		size_t miss = 0;
		for (size_t i = 0; i < in->n_cds; i++) {
			bool hit = false;
			for (size_t k = 0; k < in->n_cdnskey && !hit; k++)
				hit = ztk_ds_match(in->owner, in->cds[i].data,
					in->cds[i].len, in->cdnskey[k].data,
					in->cdnskey[k].len) == 1;
			miss += !hit;
		}
		for (size_t k = 0; k < in->n_cdnskey; k++) {
			bool hit = false;
			for (size_t i = 0; i < in->n_cds && !hit; i++)
				hit = ztk_ds_match(in->owner, in->cds[i].data,
					in->cds[i].len, in->cdnskey[k].data,
					in->cdnskey[k].len) == 1;
			miss += !hit;
		}
		if (miss)
			add(&c, ZTK_DSC_WARNING, "cds-cdnskey-mismatch", -1,
				-1, "the CDS and CDNSKEY RRsets describe "
				"different keys (%zu record%s without a "
				"partner); the %s RRset was used", miss,
				miss == 1 ? "" : "s",
				r->source == ZTK_DSC_FROM_CDS ? "CDS" :
				"CDNSKEY");
	}

	/* what changes at the parent */
	size_t added = 0, removed = 0;
	char t[40];
	for (size_t i = 0; i < r->n_new_ds; i++) {
		bool old = false;
		for (size_t j = 0; j < in->n_ds && !old; j++)
			old = canon_cmp(&r->new_ds[i], &in->ds[j]) == 0;
		if (!old) {
			added++;
			add(&c, ZTK_DSC_NOTE, "ds-added",
				ztk_get16(r->new_ds[i].data),
				r->new_ds[i].data[2], "adds DS %s",
				ds_text(r->new_ds[i].data, t, sizeof t));
		}
	}
	for (size_t j = 0; j < in->n_ds; j++) {
		bool kept = false, dup = false;
		for (size_t i = 0; i < r->n_new_ds && !kept; i++)
			kept = canon_cmp(&r->new_ds[i], &in->ds[j]) == 0;
		for (size_t i = 0; i < j && !dup; i++)
			dup = canon_cmp(&in->ds[i], &in->ds[j]) == 0;
		if (!kept && !dup && in->ds[j].len >= 4) {
			removed++;
			add(&c, ZTK_DSC_NOTE, "ds-removed",
				ztk_get16(in->ds[j].data), in->ds[j].data[2],
				"removes DS %s",
				ds_text(in->ds[j].data, t, sizeof t));
		}
	}
	if (added == 0 && removed == 0)
		add(&c, ZTK_DSC_NOTE, "unchanged", -1, -1, "the proposal "
			"equals the current DS RRset: nothing to do");

verdict:
	if (!in->verify)
		add(&c, ZTK_DSC_NOTE, "signatures-unverified", -1, -1,
			"signatures not verified: no RRSIGs were given, so it was "
			"not checked that the DNSKEY, CDS and CDNSKEY RRsets are "
			"signed by the keys the DS records point to");
	if (c.err)
		goto fail;
	free(cover);
	if (r->verdict != ZTK_DSC_INSECURE)
		r->verdict = r->n_unsafe ? ZTK_DSC_BREAKS : ZTK_DSC_SAFE;
	r->signatures_verified = in->verify;
	*out = r;
	return 0;
fail:
	free(cover);
	ztk_dscheck_free(r);
	return c.err;
}
